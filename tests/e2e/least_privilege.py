"""What `docker inspect` and the containers themselves show of a real stack's least privilege: the rules of
components/rules/container_hardening.py on every container, and the kernel's own view inside them."""

from __future__ import annotations

import json
import subprocess

from components.rules.container_hardening import violations

# Every service needs no capability (docs: the containers' table); a container that did would be listed here.
ALLOWED_CAPABILITIES: dict[str, tuple[str, ...]] = {}


def inspect(names: list[str]) -> list[dict]:
    return json.loads(subprocess.run(["docker", "inspect", *names], capture_output=True, text=True, check=True).stdout)


def broken_rules(names: list[str]) -> list[str]:
    """Every rule any of the containers breaks, naming the container and the rule."""
    found = []
    for document in inspect(names):
        role = document["Name"].lstrip("/").split("-", 2)[-1]
        found += violations(document, ALLOWED_CAPABILITIES.get(role, ()))
    return found


def run_in(container: str, command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", "exec", container, "sh", "-c", command], capture_output=True, text=True)


def kernel_view(container: str) -> dict[str, str]:
    """The service's process (pid 1) as the kernel holds it: effective and bounding capabilities, no_new_privs."""
    status = run_in(container, "cat /proc/1/status").stdout
    fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
    return {key: fields[key].strip() for key in ("CapEff", "CapBnd", "CapPrm", "NoNewPrivs")}


def threads(container: str) -> int:
    """Tasks the container runs now, as its pids controller counts them."""
    found = run_in(container, "cat /sys/fs/cgroup/pids.current 2>/dev/null || cat /sys/fs/cgroup/pids/pids.current")
    return int(found.stdout.strip())
