"""The files of the nodes during a ZooKeeper-to-KRaft migration (Kafka 3.9 ops.html, "ZooKeeper to KRaft
Migration"): what a controller adds in migration mode, and a broker's quorum lines in the `hybrid` step.

The controllers reach ZooKeeper with the brokers' own ZooKeeper identity (the certificate CN `kafka` the znodes'
ACLs name), and the brokers' INTERNAL listener (mutual TLS) with their own certificates: the controller's CN
`controller-<i>` is a super user of every broker from `hybrid` on, the step after which Kafka's controller sends
the brokers its requests."""

from __future__ import annotations

from components.platform.kafka_config import QuorumProperties, zookeeper_quorum_properties
from components.platform.kraft_config import CONTROLLER_LISTENER, controller_principals
from components.rules.layout import quorum_voters

MIGRATION_FLAG = "zookeeper.metadata.migration.enable"
INTER_BROKER_LISTENER = "INTERNAL"


def controller_migration_properties(zookeeper_nodes: int) -> dict[str, object]:
    """A controller in migration mode: ZooKeeper over TLS as the brokers reach it, and the brokers' inter-broker
    listener, which the controller sends its requests to."""
    zookeeper = zookeeper_quorum_properties(0, zookeeper_nodes)
    return {
        MIGRATION_FLAG: "true",
        "zookeeper.connect": zookeeper.identity["zookeeper.connect"],
        "inter.broker.listener.name": INTER_BROKER_LISTENER,
        "listener.security.protocol.map": f"{CONTROLLER_LISTENER}:SSL,{INTER_BROKER_LISTENER}:SSL",
        **zookeeper.tail,
    }


def hybrid_broker_properties(broker: int, zookeeper_nodes: int, controllers: int) -> QuorumProperties:
    """A ZooKeeper broker in migration mode: it keeps ZooKeeper, its broker.id and AclAuthorizer, and registers
    with the KRaft controllers over mutual TLS."""
    zookeeper = zookeeper_quorum_properties(broker, zookeeper_nodes)
    return QuorumProperties(
        identity={
            **zookeeper.identity,
            MIGRATION_FLAG: "true",
            "controller.quorum.voters": quorum_voters(controllers),
            "controller.listener.names": CONTROLLER_LISTENER,
        },
        authorizer=zookeeper.authorizer,
        tail=zookeeper.tail,
        listener_protocols=f"{CONTROLLER_LISTENER}:SSL",
        super_users=controller_principals(controllers),
    )
