"""The partition balance of a stack's own cluster: wired after everything that makes topics, so brokers that go
are drained of every replica, and brokers that come get their share, before the engine removes or finishes them."""

from __future__ import annotations

import pulumi

from components.platform.platform import Platform
from components.providers.partition_balance import PartitionBalance, PartitionBalanceArgs
from components.rules.stack_settings import Settings


def balance_partitions(platform: Platform, settings: Settings, after: list[pulumi.Resource]) -> PartitionBalance:
    return PartitionBalance(
        "caracal-partition-balance",
        PartitionBalanceArgs(
            brokers=list(range(settings.brokers)),
            throttle_mbps=settings.reassign_throttle_mbps,
            container=platform.cluster.containers[0].name,
            connection=platform.connections.kafka,
        ),
        opts=pulumi.ResourceOptions(depends_on=[platform.kafka_ready, *after]),
    )
