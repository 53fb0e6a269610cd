"""Adopt what an interrupted `pulumi up` created but never recorded, so the next `up` converges.

When `pulumi up` is killed while creating resources, the state keeps them as pending creates: the containers,
volumes, topics and users may exist, but the state has no id for them, and a plain re-run would try to create
them again (name conflicts) or leave them orphaned. Docker objects caught mid-creation are removed (they hold no
data yet) and made again by the next run; topics, subjects, users and ACL bindings, named by their inputs, are
handed to `pulumi refresh --import-pending-creates`, which reads each back, or drops it when it was never created.
Pure state (keys, passwords, readiness) is dropped and simply made again.

It first releases the lock a killed run leaves behind in a file backend (only when the process that took it is
gone from this host).

    python scripts/recover.py STACK [PULUMI_ARGS...]   (in the project folder, with the stack's Pulumi environment;
                                                       PULUMI_ARGS such as --config-file go to the refresh)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from components.rules.acl import binding_id
from components.rules.names import ACL, SCRAM_USER, SUBJECT, TOPIC, dynamic_token

# Docker objects a killed run was creating hold nothing yet (data volumes were just made, containers keep no
# data): they are removed and made again, in this order (containers before the networks and volumes they use).
_DOCKER_REMOVALS = {
    "docker:index/container:Container": ["rm", "-f"],
    "docker:index/network:Network": ["network", "rm"],
    "docker:index/volume:Volume": ["volume", "rm", "-f"],
}
# Dynamic resources whose id is made from their inputs, by type token (the kind's identity).
_DYNAMIC_IDS = {
    dynamic_token(TOPIC): lambda inputs: inputs["name"],
    dynamic_token(SUBJECT): lambda inputs: inputs["subject"],
    dynamic_token(SCRAM_USER): lambda inputs: inputs["username"],
    dynamic_token(ACL): binding_id,
}


def _pulumi(stack: str, *args: str) -> str:
    return subprocess.run(
        ["pulumi", *args, "--stack", stack, "--non-interactive"], check=True, capture_output=True, text=True
    ).stdout


def real_id(resource: dict[str, Any]) -> str | None:
    """The id of the external thing a pending create of a dynamic resource made (topics, subjects, users, ACLs)."""
    make_id = _DYNAMIC_IDS.get(resource["type"])
    return make_id(resource.get("inputs") or {}) if make_id else None


def remove_docker_leftovers(pending: list[dict[str, Any]]) -> None:
    for kind, command in _DOCKER_REMOVALS.items():
        names = [str((resource.get("inputs") or {}).get("name")) for resource in pending if resource["type"] == kind]
        if names:
            subprocess.run(["docker", *command, *names], capture_output=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_stale_lock(stack: str) -> None:
    """A killed run leaves its lock in a file backend: release it when the process that took it is gone."""
    backend = os.environ.get("PULUMI_BACKEND_URL", "")
    if not backend.startswith("file://"):
        return
    root = Path(backend.removeprefix("file://").split("?")[0]).expanduser()
    for lock in root.glob(f".pulumi/locks/*/*/{stack}/*.json"):
        holder = json.loads(lock.read_text())
        if holder.get("hostname") == socket.gethostname() and not _alive(int(holder.get("pid", 0))):
            print(
                f"recover: releasing the lock of a run that no longer exists (pid {holder.get('pid')})", file=sys.stderr
            )
            _pulumi(stack, "cancel", "--yes")
            return


def main(stack: str, extra: list[str]) -> int:
    release_stale_lock(stack)
    state = json.loads(_pulumi(stack, "stack", "export"))
    pending = [
        op["resource"]
        for op in state.get("deployment", {}).get("pending_operations") or []
        if op.get("type") == "creating"
    ]
    if not pending:
        return 0
    remove_docker_leftovers(pending)
    imports: list[str] = []
    for resource in pending:
        found = real_id(resource)
        if found:
            imports += ["--import-pending-creates", resource["urn"], "--import-pending-creates", found]
    print(
        f"recover: {len(pending)} pending creates from an interrupted run; adopting {len(imports) // 4}",
        file=sys.stderr,
    )
    _pulumi(stack, "refresh", "--yes", "--skip-preview", *extra, *imports, "--clear-pending-creates")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
