"""Adopt what an interrupted `pulumi up` created but never recorded, so the next `up` converges.

When `pulumi up` is killed while creating resources, the state keeps them as pending creates: the containers,
volumes, topics and users may exist, but the state has no id for them, and a plain re-run would try to create
them again (name conflicts) or leave them orphaned. This finds each one's real id (Docker looks up containers,
volumes and networks by their fixed names; topics, subjects, users and ACL bindings are named by their inputs)
and hands them to `pulumi refresh --import-pending-creates`, which reads each back — or drops it when it was
never created. Pure state (keys, passwords, readiness) is dropped and simply made again.

    python scripts/recover.py STACK [PULUMI_ARGS...]   (in the project folder, with the stack's Pulumi environment;
                                                       PULUMI_ARGS such as --config-file go to the refresh)
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

_DOCKER_LOOKUPS = {
    "docker:index/container:Container": ["container", "inspect", "--format", "{{.Id}}"],
    "docker:index/network:Network": ["network", "inspect", "--format", "{{.Id}}"],
    "docker:index/volume:Volume": ["volume", "inspect", "--format", "{{.Name}}"],
}
# Dynamic resources whose id is made from their inputs, keyed by an input only that kind has.
_DYNAMIC_IDS = {
    "partitions": lambda inputs: inputs["name"],
    "schema": lambda inputs: inputs["subject"],
    "username": lambda inputs: inputs["username"],
    "principal": lambda inputs: "|".join(
        str(inputs[key])
        for key in ("principal", "resource_type", "resource_name", "pattern_type", "operation", "permission", "host")
    ),
}


def _pulumi(stack: str, *args: str) -> str:
    return subprocess.run(
        ["pulumi", *args, "--stack", stack, "--non-interactive"], check=True, capture_output=True, text=True
    ).stdout


def real_id(resource: dict[str, Any]) -> str | None:
    """The id of the thing a pending create made, or None when it does not exist or holds nothing external."""
    inputs = resource.get("inputs") or {}
    lookup = _DOCKER_LOOKUPS.get(resource["type"])
    if lookup:
        found = subprocess.run(["docker", *lookup, str(inputs.get("name"))], capture_output=True, text=True)
        return found.stdout.strip() or None if found.returncode == 0 else None
    if resource["type"].startswith("pulumi-python:dynamic"):
        for key, make_id in _DYNAMIC_IDS.items():
            if key in inputs:
                return make_id(inputs)
    return None


def main(stack: str, extra: list[str]) -> int:
    state = json.loads(_pulumi(stack, "stack", "export"))
    pending = [
        op["resource"]
        for op in state.get("deployment", {}).get("pending_operations") or []
        if op.get("type") == "creating"
    ]
    if not pending:
        return 0
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
