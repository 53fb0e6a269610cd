"""What a ZooKeeper-to-KRaft migration step adds to the platform beyond its nodes: on the way back from
`controllers` or `hybrid`, the controllers stopped and Kafka's znodes removed before any broker restarts; in
`hybrid`, the wait for
Kafka's record of the metadata copy; in `finalize`, an archive of ZooKeeper's data made once the controllers left
it and before the ensemble goes (in the project folder's zookeeper-snapshots/), and, on a stack that protects its
data, the ZooKeeper nodes' data volumes kept in Docker while their containers go (`docker volume rm
caracal-<stack>-zookeeper-<i>-data` removes one later, once the operator no longer wants ZooKeeper's last copy)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pulumi
import pulumi_docker as docker

from components.platform.kafka_cluster import KafkaCluster
from components.providers.migration_copied import MigrationCopied, MigrationCopiedArgs
from components.providers.migration_rollback import MigrationRollback, MigrationRollbackArgs
from components.providers.zookeeper_snapshot import ZooKeeperSnapshot, ZooKeeperSnapshotArgs
from components.rules import layout, zookeeper_snapshot
from components.rules import migration_phase as phase
from components.rules.migration_phase import MigrationRun
from components.rules.names import token
from components.rules.stack_settings import Settings


def controllers_away(
    name: str, settings: Settings, migration: MigrationRun, parent: pulumi.Resource
) -> list[pulumi.Resource]:
    """Kafka's rollback from `controllers` or `hybrid`: the controllers stop and Kafka's znodes go before any
    broker restarts (their containers and data go at the end of the `up`, as the stack no longer declares them)."""
    if not migration.stop_controllers:
        return []
    rollback = MigrationRollback(
        f"{name}-migration-rollback",
        MigrationRollbackArgs(
            controllers=[f"{settings.prefix}-{layout.controller_host(i)}" for i in range(migration.stop_controllers)],
            brokers=[f"{settings.prefix}-{layout.broker_host(i)}" for i in range(settings.brokers)],
            broker_ids=list(range(settings.brokers)),
            zookeeper_nodes=settings.zookeeper_nodes,
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return [rollback]


def after_brokers(
    name: str,
    settings: Settings,
    cluster: KafkaCluster,
    quorum_containers: Sequence[docker.Container],
    parent: pulumi.Resource,
) -> None:
    if settings.metadata_migration == phase.HYBRID and not settings.kraft:
        MigrationCopied(
            f"{name}-migration-copied",
            MigrationCopiedArgs(
                prefix=settings.prefix,
                zookeeper_nodes=settings.zookeeper_nodes,
                controllers=settings.controllers,
                triggers=[container.id for container in cluster.containers],
            ),
            opts=pulumi.ResourceOptions(parent=parent, depends_on=cluster.in_sync),
        )
    if settings.metadata_migration == phase.FINALIZE and not settings.kraft:
        # The project folder (Pulumi.yaml's); unknown only on mocks.
        project = Path(pulumi.get_root_directory() or Path.cwd())
        ZooKeeperSnapshot(
            f"{name}-zookeeper-snapshot",
            ZooKeeperSnapshotArgs(
                prefix=settings.prefix,
                data_volume=f"{settings.prefix}-{layout.zookeeper_host(0)}-data",
                image=settings.kafka_image,
                folder=str(project / zookeeper_snapshot.FOLDER),
                after=[container.id for container in quorum_containers],
            ),
            opts=pulumi.ResourceOptions(parent=parent, depends_on=list(quorum_containers)),
        )
    if settings.metadata_migration == phase.FINALIZE and settings.protect_data and not settings.kraft:
        _keep_zookeeper_volumes(f"{name}-zookeeper", settings, parent)


def _keep_zookeeper_volumes(name: str, settings: Settings, parent: pulumi.Resource) -> None:
    """The ensemble's volumes under the ensemble's own component name, as it declared them, but no longer
    protected and retained on delete: the next `up` without them forgets them and leaves them in Docker."""
    ensemble = pulumi.ComponentResource(token("ZooKeeper"), name, None, pulumi.ResourceOptions(parent=parent))
    for index in range(settings.zookeeper_nodes):
        docker.Volume(
            f"{name}-{index}-data",
            name=f"{settings.prefix}-{layout.zookeeper_host(index)}-data",
            opts=pulumi.ResourceOptions(parent=ensemble, retain_on_delete=True, delete_before_replace=True),
        )
    ensemble.register_outputs({})
