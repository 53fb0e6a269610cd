"""CPU time of a container's JVM per kind of thread, read from the host's /proc: which part of a node spends the
CPU (Kafka's request handlers, its replica fetchers, the collector, the JIT, an agent's HTTP threads). HotSpot names
each Java thread's native thread after it (15 characters), so the name is known from outside the JVM; digits are
folded so that a pool counts as one kind."""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def kind(name: str) -> str:
    """A thread's kind: its name with every run of digits as N (`data-plane-kafka-request-handler-3` and `-4` are
    one kind)."""
    return re.sub(r"\d+", "N", name.strip())


def java_pid(container: str) -> int:
    """The host pid of the container's JVM: its first process, or that process's java child (a shell that did not
    exec)."""
    root = subprocess.run(
        ["docker", "inspect", "-f", "{{.State.Pid}}", container], capture_output=True, text=True, check=True
    ).stdout.strip()
    if Path(f"/proc/{root}/comm").read_text().strip() == "java":
        return int(root)
    children = subprocess.run(["pgrep", "-P", root, "-x", "java"], capture_output=True, text=True).stdout.split()
    if not children:
        raise RuntimeError(f"no JVM in {container}")
    return int(children[0])


def seconds(stat: str) -> float:
    """CPU seconds (user and system) of a thread, from its /proc/PID/task/TID/stat line."""
    # The fields after the name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th.
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def cpu_by_kind(container: str) -> Counter[str]:
    """CPU seconds each kind of thread of the container's JVM has used so far (threads that ended are gone from the
    count: compare two readings of long-lived threads)."""
    used: Counter[str] = Counter()
    for task in Path(f"/proc/{java_pid(container)}/task").iterdir():
        try:
            used[kind((task / "comm").read_text())] += seconds((task / "stat").read_text())
        except FileNotFoundError:  # the thread ended while it was read
            continue
    return used


def cores_by_kind(before: Counter[str], after: Counter[str], seconds: float) -> dict[str, float]:
    """Cores each kind used between two readings, busiest first; kinds whose threads ended are left out."""
    spent = {name: (after[name] - before.get(name, 0.0)) / seconds for name in after}
    return dict(sorted(((name, value) for name, value in spent.items() if value > 0), key=lambda item: -item[1]))
