"""Kafka's rollback of a ZooKeeper-to-KRaft migration from `controllers` or `hybrid` (Kafka 3.9 ops.html,
"Reverting to ZooKeeper mode"), the part that must come before any broker rolls back: deprovision the controllers
(stopped here; the `up` removes their containers and data at its end) and remove /controller and /migration from
ZooKeeper, "quickly", so that a broker becomes ZooKeeper's controller again and a later retry copies the metadata
anew. The brokers' restart gates depend on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic import CreateResult, DiffResult, UpdateResult

from components.clients import migration_znodes
from components.clients.docker_cli import DockerUnavailable, docker
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules.names import MIGRATION_ROLLBACK


@dataclass(frozen=True)
class MigrationRollbackArgs(ResourceArgs):
    controllers: Sequence[str]
    """The controllers' container names."""
    brokers: Sequence[str]
    """The brokers' container names (they hold the ZooKeeper identity zookeeper-shell runs with)."""
    broker_ids: Sequence[int]
    """The brokers' ids: a /controller znode naming another id is a KRaft controller's."""
    zookeeper_nodes: int
    """Size of the ensemble."""


def roll_back(props: dict[str, Any]) -> list[str]:
    for container in props["controllers"]:
        try:
            docker("stop", "--time", "30", container, timeout=60)
        except DockerUnavailable as error:
            if "No such container" not in str(error):
                raise
    return migration_znodes.remove_for_rollback(props["brokers"], props["zookeeper_nodes"], props["broker_ids"])


class MigrationRollbackProvider(PlatformProvider):
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("migration-rollback", {**props, "removed": roll_back(props)})

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(dict(news))


class MigrationRollback(PlatformResource, kind=MIGRATION_ROLLBACK):
    """Stops the controllers and removes Kafka's migration znodes before the brokers roll back to ZooKeeper."""

    provider_class = MigrationRollbackProvider
    extra_outputs = ("removed",)
