"""The stack's kind of metadata quorum, chosen once (components/platform/metadata_quorum.py): a ZooKeeper
ensemble, KRaft controllers (a KRaft stack, or a migration once finalized), or, during the steps of a
ZooKeeper-to-KRaft migration before finalize, both side by side (migration_quorum.py)."""

from __future__ import annotations

import pulumi

from components.platform.certificate_authority import Authorities
from components.platform.kraft_controllers import ControllersArgs
from components.platform.kraft_quorum import KraftQuorum
from components.platform.metadata_quorum import AdminScram, MetadataQuorum, QuorumArgs
from components.platform.migration_quorum import MigrationQuorum
from components.platform.zookeeper_quorum import ZooKeeperQuorum
from components.providers.docker_network import DockerNetwork
from components.rules.stack_settings import Settings


def choose_quorum(
    name: str,
    settings: Settings,
    super_user_brokers: int,
    args: QuorumArgs,
    cluster_id: str | None,
    admin: AdminScram,
    connection: pulumi.Output[dict],
    network: DockerNetwork,
    authorities: Authorities,
    opts: pulumi.ResourceOptions,
) -> MetadataQuorum:
    """`super_user_brokers`: how many brokers the controllers accept as super users (a leaving one stays until it
    is gone); `cluster_id`: the running cluster's id, which KRaft controllers serve (None: the stack's own);
    `connection`: the admin connection the platform's providers use (secret)."""
    controllers = ControllersArgs(
        quorum=args,
        controllers=settings.controllers,
        brokers=super_user_brokers,
        memory_mb=settings.controller_memory_mb,
        heap_mb=settings.controller_heap_mb,
        cpu_millicores=settings.controller_cpu_millicores,
        cluster_id=cluster_id,
    )
    if settings.finalized:
        return KraftQuorum(f"{name}-controller", controllers, admin, connection, network, authorities, opts)
    zookeeper = ZooKeeperQuorum(
        f"{name}-zookeeper",
        args,
        settings.zookeeper_nodes,
        (settings.zookeeper_memory_mb, settings.zookeeper_heap_mb, settings.zookeeper_cpu_millicores),
        network,
        authorities,
        opts,
    )
    if not settings.migrating:
        return zookeeper
    return MigrationQuorum(
        f"{name}-controller",
        settings.metadata_migration,
        zookeeper,
        controllers,
        admin,
        connection,
        network,
        authorities,
        opts,
    )
