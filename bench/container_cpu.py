"""CPU time of containers from their cgroups: what a part of a stack spends, and a wait until it is quiet."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def _cgroup_usage_s(container_id: str) -> float | None:
    """CPU seconds the container has used: cgroup v1's cpuacct or v2's cpu.stat; None where neither is readable."""
    v1 = Path(f"/sys/fs/cgroup/cpuacct/docker/{container_id}/cpuacct.usage")
    if v1.exists():
        return int(v1.read_text()) / 1e9
    v2 = Path(f"/sys/fs/cgroup/system.slice/docker-{container_id}.scope/cpu.stat")
    if v2.exists():
        usage = re.search(r"usage_usec (\d+)", v2.read_text())
        return int(usage.group(1)) / 1e6 if usage else None
    return None


def cpu_seconds(containers: list[str]) -> dict[str, float]:
    """Each container's CPU time so far, in seconds (those whose cgroup cannot be read are left out)."""
    inspected = subprocess.run(
        ["docker", "inspect", "-f", "{{.Name}} {{.Id}}", *containers], capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in inspected.splitlines():
        name, container_id = line.split()
        usage = _cgroup_usage_s(container_id)
        if usage is not None:
            found[name.lstrip("/")] = usage
    return found


def settle(
    containers: list[str],
    done: Callable[[], bool] = lambda: True,
    below_cores: float = 0.2,
    window_s: float = 5.0,
    limit_s: float = 300.0,
) -> float:
    """Wait until `done()` and `containers` together use less than `below_cores` over a window (a broker that has
    just been asked to make or delete thousands of topics keeps at it after the answer: a run timed then pays for
    the one before). Returns the seconds waited; gives up after `limit_s`."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        before = sum(cpu_seconds(containers).values())
        time.sleep(window_s)
        busy = (sum(cpu_seconds(containers).values()) - before) / window_s
        if busy < below_cores and done():
            break
    return time.monotonic() - started
