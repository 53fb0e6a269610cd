"""A removed broker's registration with the cluster's metadata.

ZooKeeper mode needs nothing: a broker registers as an ephemeral znode, gone when the broker stops. On KRaft a
stopped broker stays registered (fenced) until it is unregistered (UnregisterBroker, KIP-631), and keeps
appearing in the metadata. The KRaft quorum calls `unregister` for each broker the stack removed, once its
container is gone (the partition balance drained it first: components/providers/partition_balance.py). Not run
against KRaft here: ZooKeeper-mode stacks never call it."""

from __future__ import annotations

from components.clients import kafka_tools
from components.rules.kafka_tools import CLUSTER


def unregister(container: str, broker: int) -> None:
    """Unregister `broker` through a broker of the stack that stays (`container`), as the admin whose login
    lives there."""
    place = kafka_tools.InBroker(container)
    kafka_tools.run(
        CLUSTER,
        [
            "unregister",
            "--bootstrap-server",
            place.bootstrap_servers,
            "--config",
            place.command_config,
            "--id",
            str(broker),
        ],
        place,
    )
