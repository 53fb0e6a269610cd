"""Adopt what an interrupted `pulumi up` created but never recorded, so the next `up` converges.

When `pulumi up` is killed while creating resources, the state keeps them as pending creates: the containers,
volumes, topics and users may exist, but the state has no id for them, and a plain re-run would try to create
them again (name conflicts) or leave them orphaned. Docker objects caught mid-creation are removed (they hold no
data yet) and made again by the next run; topics, subjects, users and ACL bindings, named by their inputs, are
handed to `pulumi refresh --import-pending-creates`, which reads each back, or drops it when it was never created.
Pure state (keys, passwords, readiness) is dropped and simply made again.

Topics and bindings are members of sets (the catalog's, and the platform's for the registry). When a run is
killed while updating a set, the state still records the set as it was, not the topics the killed update may have
created already; the set is recorded with every member that update declared, and the refresh of the next `up`
keeps those that exist. A state written when topics and bindings were resources of their own is rewritten to the
sets first, recording the same (nothing in Kafka changes; components/compat/single_to_sets.py).

It first releases the lock a killed run leaves behind in a file backend (only when the process that took it is
gone from this host).

    python scripts/recover.py STACK [PULUMI_ARGS...]   (in the project folder, with the stack's Pulumi environment;
                                                       PULUMI_ARGS such as --config-file go to the refresh)
    python scripts/recover.py STACK --layout-check     (exit status 10: the state still has the single layout)
    python scripts/recover.py STACK --layout-only      (only rewrite the single layout to the sets)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pulumi.dynamic.dynamic import serialize_provider

from components.compat.mapping_sets import recorded_members
from components.compat.pulumi_docker_network import FORMER_TYPE
from components.compat.single_to_sets import has_single_layout, to_set_layout
from components.providers.acl_set import ACL_SET_ID, AclSetProvider
from components.providers.topic_set import TOPIC_SET_ID, TopicSetProvider
from components.rules.interrupted_set_updates import with_interrupted_updates
from components.rules.names import ACL_SET, DOCKER_NETWORK, SCRAM_USER, SUBJECT, TOPIC_SET, dynamic_token
from infra.pulumi_cli import PULUMI

# Docker objects a killed run was creating hold nothing yet (data volumes were just made, containers keep no
# data): they are removed and made again, in this order (containers before the networks and volumes they use). A
# network recorded by pulumi-docker is a stack made before the network was the platform's own resource.
_DOCKER_REMOVALS = {
    "docker:index/container:Container": ["rm", "-f"],
    FORMER_TYPE: ["network", "rm"],
    "docker:index/volume:Volume": ["volume", "rm", "-f"],
}
# Dynamic resources whose id is made from their inputs, by type token (the kind's identity).
_DYNAMIC_IDS = {
    dynamic_token(DOCKER_NETWORK): lambda inputs: inputs["name"],
    dynamic_token(SUBJECT): lambda inputs: inputs["subject"],
    dynamic_token(SCRAM_USER): lambda inputs: inputs["username"],
    dynamic_token(TOPIC_SET): lambda inputs: inputs.get("set_id") or TOPIC_SET_ID,
    dynamic_token(ACL_SET): lambda inputs: inputs.get("set_id") or ACL_SET_ID,
}
# The exit status of --layout-check when the state still records topics or bindings one resource each.
LAYOUT_TO_CONVERT = 10


def _pulumi(stack: str, *args: str) -> str:
    return subprocess.run(
        [*PULUMI, *args, "--stack", stack, "--non-interactive"], check=True, capture_output=True, text=True
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


def _export(stack: str) -> dict[str, Any]:
    return json.loads(_pulumi(stack, "stack", "export"))


def _import(stack: str, state: dict[str, Any]) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(state, file)
        file.flush()
        _pulumi(stack, "stack", "import", "--file", file.name)


def record_interrupted_set_updates(stack: str) -> None:
    """A set whose update was killed is recorded with every member that update declared (the refresh keeps the
    ones that exist), so members it made already are its own, not foreign topics."""
    state = _export(stack)
    deployment = state.get("deployment", {})
    resources, pending = with_interrupted_updates(
        deployment.get("resources") or [], deployment.get("pending_operations") or [], recorded_members
    )
    if pending == (deployment.get("pending_operations") or []):
        return
    print("recover: a killed run was updating the catalog's sets; recording what it declared", file=sys.stderr)
    deployment["resources"], deployment["pending_operations"] = resources, pending
    _import(stack, state)


def adopt_pending_creates(stack: str, extra: list[str]) -> None:
    pending = [
        op["resource"]
        for op in _export(stack).get("deployment", {}).get("pending_operations") or []
        if op.get("type") == "creating"
    ]
    if not pending:
        return
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


def convert_single_layout(stack: str) -> None:
    """Fold single topic and binding resources into their sets (state only; Kafka is not touched)."""
    state = _export(stack)
    deployment = state.get("deployment", {})
    resources = deployment.get("resources") or []
    if not has_single_layout(resources):
        return
    providers = {TOPIC_SET: serialize_provider(TopicSetProvider()), ACL_SET: serialize_provider(AclSetProvider())}
    deployment["resources"] = to_set_layout(resources, providers)
    print("recover: recording topics and ACL bindings as members of their sets (Kafka unchanged)", file=sys.stderr)
    _import(stack, state)


def has_single_layout_state(stack: str) -> bool:
    try:
        return has_single_layout(_export(stack).get("deployment", {}).get("resources") or [])
    except subprocess.CalledProcessError:
        return False  # no state to read: whatever runs next says why


def main(stack: str, extra: list[str]) -> int:
    if extra[:1] == ["--layout-check"]:
        return LAYOUT_TO_CONVERT if has_single_layout_state(stack) else 0
    if extra[:1] == ["--layout-only"]:
        convert_single_layout(stack)
        return 0
    release_stale_lock(stack)
    # First: the refresh that adopts pending creates loads the provider of every recorded resource, and the single
    # topic and binding providers are gone.
    convert_single_layout(stack)
    record_interrupted_set_updates(stack)
    adopt_pending_creates(stack, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
