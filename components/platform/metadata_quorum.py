"""The metadata quorum: where a cluster keeps its metadata, ACLs and SCRAM credentials. Two kinds, each in its
own files and chosen once in the wiring (components/platform/platform.py): a ZooKeeper ensemble
(zookeeper_quorum.py, the default) or KRaft controllers (kraft_quorum.py).

A quorum hands the brokers what they need of it: their quorum settings and authorizer, the step that makes the
admin's SCRAM credential exist before any client connects, the files those read, and the containers the brokers
start after. Its own nodes take part in the roll: it orders them, gates each restart, and the one probe
(components/clients/quorum_probe.py) tells the roll, the `health` command and a migration how it serves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pulumi
import pulumi_docker as docker

from components.platform.kafka_config import QuorumProperties
from components.platform.service_container import ContainerFile
from components.rules.layout import LOG4J
from components.rules.roll import RollPlan


@dataclass(frozen=True)
class QuorumArgs:
    """What every kind of quorum is made from."""

    prefix: str
    """Prefix of the Docker objects' names."""
    image: pulumi.Input[str]
    """Image with Java and Kafka's jars."""
    protect_data: bool
    """Protect the data volumes from deletion."""
    certificate_validity_days: int
    """Validity of each node's certificate."""
    certificate_rotation: int
    """Raising it re-issues the nodes' keys and certificates (a roll)."""
    roll: RollPlan
    """Whether the platform runs, and the order its nodes restart in."""
    metrics_password: pulumi.Output[str] | None = None
    """The metrics scrape password: each node runs the JMX exporter agent; None without metrics."""
    log_option: str = LOG4J
    """The JVM option naming the Kafka release's log configuration in the image (KRaft nodes; ZooKeeper runs 3.x)."""


@dataclass(frozen=True)
class BrokerSide:
    """What one broker takes from the quorum."""

    properties: QuorumProperties
    """Its quorum lines in server.properties."""
    prepare: str
    """Shell lines its start script runs before the broker (seed the admin credential, format storage)."""
    files: Sequence[ContainerFile]
    """The files those lines and the properties read (beyond the broker's own keys, trust and logins)."""


@dataclass(frozen=True)
class AdminScram:
    """The admin's SCRAM credential, as a quorum seeds it."""

    password: pulumi.Output[str]
    """The admin's password (secret)."""
    iterations: int
    """SCRAM iterations."""
    mechanisms: tuple[str, ...]
    """One credential per SCRAM mechanism the brokers offer."""


class MetadataQuorum(Protocol):
    """One kind of metadata quorum, as the brokers and the platform see it."""

    kind: str
    """"zookeeper" or "kraft" (components/rules/quorum_status.py)."""
    containers: list[docker.Container]
    """The quorum's own nodes: the brokers start after them."""

    def broker_side(self, cluster: pulumi.Resource, name: str, broker: int, admin: AdminScram) -> BrokerSide:
        """What broker `broker` needs; resources it makes are children of `cluster`, named from `name`."""
        ...

    def after_broker(
        self,
        cluster: pulumi.Resource,
        name: str,
        broker: int,
        container: docker.Container,
        revision: pulumi.Output[str],
    ) -> list[pulumi.Resource]:
        """Steps that run once broker `broker` runs, before it counts as back (children of `cluster`)."""
        ...

    def registrations(
        self, cluster: pulumi.Resource, name: str, brokers: int, through: str
    ) -> dict[int, pulumi.Resource]:
        """By broker id, what the quorum keeps of a broker beyond its container: the broker's container depends
        on it, and the container `through` (broker 0's, which every broker the stack removes is unregistered
        through) on them all, so a removed broker's entry goes after its container and before broker 0's."""
        ...

    def certificate_expiry(self) -> dict[str, pulumi.Output[str]]:
        """When each certificate the quorum issued expires, by the name the stack exports it under."""
        ...
