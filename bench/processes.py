"""A Pulumi command run with the peak memory of its processes: the engine (the `pulumi` CLI), the dynamic-provider
host (`python -m pulumi.dynamic`) and the language host running the program, sampled from /proc while it runs.
The peaks are resident set sizes summed per kind; a short-lived spike between two samples can be missed."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_S = 0.2
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    seconds: float
    returncode: int
    output: str
    peak_mb: dict[str, float] = field(default_factory=dict)
    """Peak resident memory per kind of process: engine, provider host, program."""
    samples: list[float] = field(default_factory=list)
    """Where this is the median of several runs: the time of each."""


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _kind(pid: int) -> str | None:
    try:
        command = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    if "pulumi.dynamic" in command or "pulumi-resource-pulumi-python" in command:
        return "provider host"
    first = command.split(" ", 1)[0]
    if first.endswith("/pulumi") or first == "pulumi":
        return "engine"
    if "python" in first or "pulumi-language-python" in first:
        return "program"
    return None


def _rss_mb(pid: int) -> float:
    try:
        pages = int((Path("/proc") / str(pid) / "statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * PAGE / 2**20


def _sample(root: int, peaks: dict[str, float]) -> None:
    tree = _children()
    now: dict[str, float] = {}
    pending = [root]
    while pending:
        pid = pending.pop()
        pending += tree.get(pid, [])
        kind = _kind(pid)
        if kind:
            now[kind] = now.get(kind, 0.0) + _rss_mb(pid)
    for kind, megabytes in now.items():
        peaks[kind] = max(peaks.get(kind, 0.0), megabytes)


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 3600) -> Measured:
    """Run `command`, sampling the memory of it and its descendants until it ends."""
    peaks: dict[str, float] = {}
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    captured: list[str] = []
    reader = threading.Thread(target=lambda: captured.append(process.stdout.read() if process.stdout else ""))
    reader.start()
    while process.poll() is None:
        _sample(process.pid, peaks)
        if time.monotonic() - started > timeout:
            process.kill()
        time.sleep(SAMPLE_S)
    reader.join()
    return Measured(time.monotonic() - started, process.returncode, "".join(captured), peaks)
