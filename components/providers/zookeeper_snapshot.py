"""ZooKeeper's data saved before the migration's `finalize` takes the ensemble away (Kafka's procedure: keep
ZooKeeper's last copy until the KRaft cluster is trusted). Declared only in the `finalize` step, after the
controllers left ZooKeeper, so ZooKeeper no longer changes; the engine removes the ensemble's containers only at the
end of that `up`, after this resource is made. The archive outlives the resource and the stack: an operator
removes it once the KRaft cluster is trusted."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult

from components.clients.volume_archive import archive
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules import zookeeper_snapshot
from components.rules.names import ZOOKEEPER_SNAPSHOT


@dataclass(frozen=True)
class ZooKeeperSnapshotArgs(ResourceArgs):
    prefix: str
    """The stack's container prefix: it names the archive."""
    data_volume: str
    """The ZooKeeper node's data volume the archive is made of."""
    image: str
    """An image with tar and gzip (the Kafka image the nodes run)."""
    folder: str
    """The absolute folder the archive goes to."""
    after: Sequence[pulumi.Input[str]]
    """The controllers' container ids: the archive is made once they left ZooKeeper."""


def save(props: dict[str, Any], now: datetime) -> str:
    """Writes the archive (owner-only: it holds salted credentials and ACLs); its path."""
    folder = Path(props["folder"])
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / zookeeper_snapshot.file_name(props["prefix"], now)
    content = archive(props["data_volume"], props["image"])
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    return str(path)


class ZooKeeperSnapshotProvider(PlatformProvider):
    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        # One archive per finalize: a later run of the same step keeps the one it has.
        return DiffResult(changes=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        path = save(props, datetime.now(UTC))
        pulumi.log.info(f"ZooKeeper's data saved before the ensemble goes: {path}")
        return CreateResult(path, {**props, "path": path})

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """The archive stays: it is the operator's to remove."""


class ZooKeeperSnapshot(PlatformResource, kind=ZOOKEEPER_SNAPSHOT):
    """An archive of a ZooKeeper node's data directory, made once."""

    provider_class = ZooKeeperSnapshotProvider
    extra_outputs = ("path",)
    path: pulumi.Output[str]
