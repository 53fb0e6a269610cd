"""Where a container's JVM keeps its memory, read from outside by the JDK's `jcmd` on the host (it attaches to a
process in a container by its host pid). A container's resident memory alone cannot tell what a java agent adds:
the heap is fixed (-Xms = -Xmx) and its pages become resident as the JVM first touches them, which follows the
JVM's age and load rather than what it holds. So this splits it: the live heap after a full collection, the part
of it held in the agent's own objects, and what lives outside the heap (metaspace, compiled code, threads).

Reading the live heap forces a full collection (`GC.class_histogram`): take readings between timed runs, never
during one."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, fields
from pathlib import Path

from bench.jvm_threads import java_pid

# Classes of the Prometheus JMX exporter agent, its shaded libraries and the JDK's HTTP server it serves on.
AGENT_CLASSES = re.compile(r"^(io\.prometheus\.|sun\.net\.httpserver\.)")
_HISTOGRAM_ROW = re.compile(r"^\s*\d+:\s+\d+\s+(\d+)\s+(\S+)", re.MULTILINE)
_HISTOGRAM_TOTAL = re.compile(r"^Total\s+\d+\s+(\d+)", re.MULTILINE)
_METASPACE = re.compile(r"Metaspace\s+used (\d+)K")
_CODE_HEAP = re.compile(r"^CodeHeap .* used=(\d+)Kb", re.MULTILINE)
_THREADS = re.compile(r"^Threads:\s+(\d+)", re.MULTILINE)


@dataclass(frozen=True)
class JvmMemory:
    """One JVM's memory, in MiB (the agent's objects in KiB, threads a count)."""

    resident: float
    live_heap: float
    agent_objects_kib: float
    metaspace: float
    code: float
    threads: int


def names() -> list[str]:
    """The figures of a JvmMemory, in table order."""
    return [field.name for field in fields(JvmMemory)]


def _jcmd(pid: int, *command: str) -> str:
    return subprocess.run(["jcmd", str(pid), *command], capture_output=True, text=True, check=True, timeout=120).stdout


def parse(histogram: str, heap_info: str, code_cache: str, status: str, resident_mib: float) -> JvmMemory:
    """A JvmMemory from the outputs of `jcmd GC.class_histogram`, `GC.heap_info`, `Compiler.codecache` and the
    process's /proc status."""
    agent = sum(int(size) for size, name in _HISTOGRAM_ROW.findall(histogram) if AGENT_CLASSES.match(name))
    return JvmMemory(
        resident=resident_mib,
        live_heap=int(_HISTOGRAM_TOTAL.search(histogram).group(1)) / 2**20,
        agent_objects_kib=agent / 1024,
        metaspace=int(_METASPACE.search(heap_info).group(1)) / 1024,
        code=sum(int(used) for used in _CODE_HEAP.findall(code_cache)) / 1024,
        threads=int(_THREADS.search(status).group(1)),
    )


def read(container: str) -> JvmMemory:
    pid = java_pid(container)
    # The histogram first: its full collection also settles the heap the other readings see.
    histogram = _jcmd(pid, "GC.class_histogram")
    status = Path(f"/proc/{pid}/status").read_text()
    resident = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024
    return parse(histogram, _jcmd(pid, "GC.heap_info"), _jcmd(pid, "Compiler.codecache"), status, resident)
