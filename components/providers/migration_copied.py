"""The end of the migration's `hybrid` step: once the last broker runs in migration mode, the active KRaft
controller copies the metadata from ZooKeeper and records the copy in ZooKeeper (the /migration znode, with the
offset of the copy in its own log). This resource completes only when Kafka's record says so, so the `up` that
runs `hybrid` ends only then, and `dual-write` (which infra/migration_check.py allows only after the copy) never
starts before it."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, UpdateResult

from components.clients import migration_facts
from components.clients.docker_cli import docker
from components.clients.running_platform import running_containers
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules.layout import CONTROLLER_ID_BASE, controller_host
from components.rules.migration_phase import controller_to_restart
from components.rules.names import MIGRATION_COPIED

TIMEOUT_S = 600.0
POLL_S = 2.0
# A controller's JVM start and first health check, on a loaded 2-core machine.
RESTART_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class MigrationCopiedArgs(ResourceArgs):
    prefix: str
    """The stack's container prefix: the record is read through a controller's container."""
    zookeeper_nodes: int
    """Size of the ensemble the record lives in."""
    controllers: int
    """How many controllers there are."""
    triggers: Sequence[pulumi.Input[str]]
    """The brokers' container ids: a broker restarted again makes the resource wait again."""


def _controllers_healthy(prefix: str, controllers: int) -> dict[int, bool]:
    """Each controller's id and whether its container runs with its health check passing."""
    running = running_containers(prefix)
    return {
        CONTROLLER_ID_BASE + index: running.get(f"{prefix}-{controller_host(index)}", False)
        for index in range(controllers)
    }


def restart_controller(prefix: str, controllers: int, node: int) -> None:
    """Restart controller `node` in place and wait until it is healthy again, so the next poll sees it back."""
    pulumi.log.warn(f"controller {node} never registered with the active controller: restarting it")
    container = f"{prefix}-{controller_host(node - CONTROLLER_ID_BASE)}"
    docker("restart", container, timeout=120)
    deadline = time.monotonic() + RESTART_TIMEOUT_S
    while not _controllers_healthy(prefix, controllers)[node]:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{container} was not healthy {RESTART_TIMEOUT_S:.0f} s after its restart")
        time.sleep(POLL_S)


def wait_for_copy(props: dict[str, Any]) -> dict[str, Any]:
    """Kafka's migration record once it says the metadata was copied; TimeoutError naming what was seen.

    Kafka 3.9 defect seen here: a controller whose first ControllerRegistration request timed out at its start
    ("channel manager timed out before sending the request") never sends another, and the migration driver waits
    for its registration forever ("No registration found for controller N"). Restarting that controller (a
    follower; a majority serves without it) makes it register, and the copy begins: done once per controller, one
    controller at a time."""
    prefix, controllers = props["prefix"], props["controllers"]
    deadline = time.monotonic() + TIMEOUT_S
    record = None
    restarted: set[int] = set()
    while time.monotonic() < deadline:
        record = migration_facts.migration_record(prefix, props["zookeeper_nodes"], controllers)
        if migration_facts.copied(record):
            return record or {}
        waiting = migration_facts.unregistered_controllers(prefix, controllers)
        node = controller_to_restart(waiting, restarted, _controllers_healthy(prefix, controllers)) if waiting else None
        if node is not None:
            restart_controller(prefix, controllers, node)
            restarted.add(node)
        time.sleep(POLL_S)
    raise TimeoutError(
        f"the KRaft controllers did not copy the metadata from ZooKeeper within {TIMEOUT_S:.0f} s (Kafka's "
        f"/migration record: {record or 'none'}); see the active controller's log for the migration driver's state"
    )


class MigrationCopiedProvider(PlatformProvider):
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=olds.get("triggers") != news.get("triggers"))

    def create(self, props: dict[str, Any]) -> CreateResult:
        record = wait_for_copy(props)
        return CreateResult(props["prefix"], {**props, "offset": int(record.get("kraft_metadata_offset", -1))})

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        record = wait_for_copy(news)
        return UpdateResult({**news, "offset": int(record.get("kraft_metadata_offset", -1))})


class MigrationCopied(PlatformResource, kind=MIGRATION_COPIED):
    """Completes once Kafka recorded the copy of the metadata from ZooKeeper to the KRaft controllers."""

    provider_class = MigrationCopiedProvider
    extra_outputs = ("offset",)
