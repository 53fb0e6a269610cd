"""A large catalog's parsed YAML kept as JSON, keyed by the file's exact content: every `preview` and `up` runs
the program, and a catalog of 10,000 topics and bindings (1.7 MB) takes libyaml half a second to parse where JSON
takes a fiftieth. A changed byte, another PyYAML or another loader is another key, so the cache can only ever give
what parsing gives; a document JSON cannot hold exactly (dates, keys that are not strings) is not cached. The
document is validated every time, as when it is parsed. Nothing secret is in a catalog; the files are still the
user's alone (0600 in a 0700 folder)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Smaller catalogs parse in milliseconds: not worth a file.
CACHED_FROM_BYTES = 64 * 1024
# The newest documents kept (a stack's catalog, its pull request's, ...); older ones are removed as new ones come.
KEPT = 8


def cache_dir() -> Path:
    root = os.environ.get("CARACAL_CACHE") or str(Path.home() / ".cache" / "caracal-kafka")
    return Path(root) / "catalogs"


def parsed(text: str, parse: Callable[[str], Any], parser_id: str, folder: Path | None = None) -> Any:
    """`parse(text)`, or the document an earlier parse of the same text by the same parser gave."""
    if len(text) < CACHED_FROM_BYTES:
        return parse(text)
    folder = folder or cache_dir()
    key = hashlib.sha256(f"{parser_id}\0{text}".encode()).hexdigest()
    path = folder / f"{key}.json"
    with contextlib.suppress(OSError, ValueError):
        document = json.loads(path.read_text(encoding="utf-8"))
        # Used now: the last to be pruned.
        os.utime(path)
        return document
    document = parse(text)
    # A cache that cannot be written (a read-only home) costs nothing but the parse.
    with contextlib.suppress(OSError, TypeError, ValueError):
        _store(folder, path, document)
    return document


def _store(folder: Path, path: Path, document: Any) -> None:
    encoded = json.dumps(document)
    if json.loads(encoded) != document:
        return
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Written whole under another name, then renamed: a reader never sees half a document.
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(encoded)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    _prune(folder)


def _prune(folder: Path) -> None:
    documents = sorted(folder.glob("*.json"), key=lambda item: item.stat().st_mtime, reverse=True)
    for old in documents[KEPT:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
