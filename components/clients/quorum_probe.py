"""The one probe of a stack's metadata quorum, for either kind: the roll orders restarts by it, the `health`
command reports it, a migration watches it. Each node is asked from inside the platform's network with the
platform's own certificates: neither ZooKeeper nor the controllers are published outside it.

KRaft: Kafka's metadata-quorum tool runs in a controller container with that controller's certificate and asks
the controllers themselves (`--bootstrap-controller`), so it answers while no broker runs; the leader it names is
the active controller."""

from __future__ import annotations

import time

from confluent_kafka.admin import AdminClient

from components.clients import cluster_health, kafka_tools, zookeeper_probe
from components.clients.docker_cli import DockerUnavailable, docker
from components.rules.kafka_tools import METADATA_QUORUM_OF_CONTROLLERS
from components.rules.layout import CONTROLLER_CLIENT_FILE, CONTROLLER_PORT, controller_host, zookeeper_host
from components.rules.quorum_status import KRAFT, ZOOKEEPER, QuorumStatus, kraft_roles, leader_id, status


def _controller_broker(admin: AdminClient | None) -> int | None:
    try:
        return cluster_health.controller(admin) if admin else None
    except Exception:  # the cluster does not answer: there is no controller to name
        return None


def _healthy(prefix: str) -> set[str]:
    try:
        listed = docker("ps", "--filter", f"name=^{prefix}-", "--format", "{{.Names}}\t{{.Status}}")
    except DockerUnavailable:
        return set()
    return {name for name, _, state in (line.partition("\t") for line in listed.splitlines()) if "(healthy)" in state}


def replication(prefix: str, controllers: int, healthy: set[str]) -> str:
    """`describe --replication` as the first healthy controller that answers reports it; empty when none does."""
    for index in range(controllers):
        container = f"{prefix}-{controller_host(index)}"
        if container not in healthy:
            continue
        args = [
            "--bootstrap-controller", f"{controller_host(index)}:{CONTROLLER_PORT}",
            "--command-config", CONTROLLER_CLIENT_FILE, "describe", "--replication",
        ]  # fmt: skip
        try:
            done = kafka_tools.run(METADATA_QUORUM_OF_CONTROLLERS, args, kafka_tools.InBroker(container), check=False)
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
        table = replication(prefix, controllers, healthy)
        indexes = [i for i in range(controllers) if f"{prefix}-{controller_host(i)}" in healthy]
        roles = kraft_roles(table, controllers, indexes, int(time.time() * 1000))
        return status(KRAFT, {controller_host(i): role for i, role in roles.items()}, leader_id(table))
    roles = {
        zookeeper_host(index): zookeeper_probe.mode(f"{prefix}-{zookeeper_host(index)}")
        for index in range(zookeeper_nodes)
    }
    return status(ZOOKEEPER, roles, _controller_broker(admin))
