"""The tar archive a container's config volume is filled from: its files, root-owned and read-only, under the
directory the volume is mounted at. Pure: paths and modes in, archive bytes out."""

from __future__ import annotations

import io
import posixpath
import tarfile
from collections.abc import Mapping, Sequence
from typing import Any

FILE_MODE = 0o444
SCRIPT_MODE = 0o555
DIRECTORY_MODE = 0o755


def relative_path(directory: str, path: str) -> str:
    """`path` inside `directory`, or ValueError: every file of a container must lie in its config directory."""
    relative = posixpath.relpath(posixpath.normpath(path), posixpath.normpath(directory))
    if not posixpath.isabs(path) or relative == "." or relative.startswith(".."):
        raise ValueError(f"file {path}: not allowed; allowed: an absolute path inside the config directory {directory}")
    return relative


def archive(directory: str, files: Sequence[Mapping[str, Any]]) -> bytes:
    """`files`: {"path": absolute path, "content": text, "executable": bool} each. Directories are made 0755, files
    0444 (0555 for scripts), all owned by root: the service's own user reads them and cannot change them."""
    buffer = io.BytesIO()
    made: set[str] = set()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for item in sorted(files, key=lambda entry: entry["path"]):
            relative = relative_path(directory, item["path"])
            parent = posixpath.dirname(relative)
            parents = []
            while parent and parent not in made:
                parents.append(parent)
                parent = posixpath.dirname(parent)
            for folder in reversed(parents):
                made.add(folder)
                entry = tarfile.TarInfo(folder)
                entry.type, entry.mode = tarfile.DIRTYPE, DIRECTORY_MODE
                tar.addfile(entry)
            data = str(item["content"]).encode()
            entry = tarfile.TarInfo(relative)
            entry.size = len(data)
            entry.mode = SCRIPT_MODE if item.get("executable") else FILE_MODE
            tar.addfile(entry, io.BytesIO(data))
    return buffer.getvalue()
