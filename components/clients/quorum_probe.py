"""The one probe of a stack's metadata quorum, for either kind: the roll orders restarts by it, the `health`
command reports it, a migration watches it. Each node is asked from inside the platform's network with the
platform's own certificates: neither ZooKeeper nor the controllers are published outside it.

KRaft: Kafka's metadata-quorum tool runs in a broker container (the tool runner) and reports each controller's
state as the quorum's leader sees it; the leader it names is the active controller."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from confluent_kafka.admin import AdminClient

from components.clients import cluster_health, kafka_tools, zookeeper_probe
from components.clients.docker_cli import DockerUnavailable, docker
from components.rules.kafka_tools import METADATA_QUORUM
from components.rules.layout import BROKER_HOST_PREFIX, CLIENT_PORT, controller_host, zookeeper_host
from components.rules.quorum_status import KRAFT, ZOOKEEPER, QuorumStatus, kraft_roles, leader_id, status

BROKER = re.compile(rf"{BROKER_HOST_PREFIX}\d+$")


def _controller_broker(admin: AdminClient | None) -> int | None:
    try:
        # `is not None`: a client's truth is its queue length (librdkafka's len()), 0 when nothing waits.
        return cluster_health.controller(admin) if admin is not None else None
    except Exception:  # the cluster does not answer: there is no controller to name
        return None


def _healthy(prefix: str) -> set[str]:
    try:
        listed = docker("ps", "--filter", f"name=^{prefix}-", "--format", "{{.Names}}\t{{.Status}}")
    except DockerUnavailable:
        return set()
    return {name for name, _, state in (line.partition("\t") for line in listed.splitlines()) if "(healthy)" in state}


def replication(prefix: str, brokers: Iterable[str], healthy: set[str]) -> str:
    """`describe --replication` as the quorum reports it through the first healthy broker that answers (as admin,
    with the login that lives in the broker's container); empty when none does.

    Asked through a broker rather than a controller's own listener (`--bootstrap-controller`): that path needs
    the controllers' registrations, which a controller that timed out registering under load may never finish
    on 3.9, while a broker forwards DescribeQuorum to the quorum's leader whatever the registrations say."""
    for host in brokers:
        container = f"{prefix}-{host}"
        if container not in healthy:
            continue
        place = kafka_tools.InBroker(container, f"{host}:{CLIENT_PORT}")
        try:
            done = kafka_tools.run(METADATA_QUORUM, ["describe", "--replication"], place, check=False)
        except kafka_tools.ToolError:
            continue
        if done.exit_code == 0 and "Status" in done.stdout:
            return done.stdout
    return ""


def probe(prefix: str, zookeeper_nodes: int, controllers: int, admin: AdminClient | None) -> QuorumStatus:
    """How the quorum of the stack whose containers are named `prefix`-… serves now. `admin` (optional) names
    the controller broker of a ZooKeeper stack."""
    if controllers and not zookeeper_nodes:
        healthy = _healthy(prefix)
        brokers = sorted(name.removeprefix(f"{prefix}-") for name in healthy if BROKER.match(name, len(prefix) + 1))
        table = replication(prefix, brokers, healthy)
        indexes = [i for i in range(controllers) if f"{prefix}-{controller_host(i)}" in healthy]
        roles = kraft_roles(table, controllers, indexes, int(time.time() * 1000))
        return status(KRAFT, {controller_host(i): role for i, role in roles.items()}, leader_id(table))
    roles = {
        zookeeper_host(index): zookeeper_probe.mode(f"{prefix}-{zookeeper_host(index)}")
        for index in range(zookeeper_nodes)
    }
    return status(ZOOKEEPER, roles, _controller_broker(admin))
