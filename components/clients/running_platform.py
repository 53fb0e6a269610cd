"""What of a stack's platform runs on this Docker host right now, read when the program starts: whether its
containers exist, which broker is the active controller and which ZooKeeper node leads. The platform turns that
into the order a change restarts nodes in (components/rules/roll.py)."""

from __future__ import annotations

from dataclasses import replace

from confluent_kafka.admin import AdminClient

from components.clients import cluster_health, quorum_probe, zookeeper_probe
from components.clients.client_properties import parse_properties, to_librdkafka
from components.clients.docker_cli import DockerUnavailable, docker
from components.clients.kafka_admin import admin_settings
from components.rules.layout import (
    ADMIN_CLIENT_FILE,
    BROKER_HOST_PREFIX,
    CONTROLLER_HOST_PREFIX,
    TRUSTSTORE,
    ZOOKEEPER_HOST_PREFIX,
    broker_host,
    zookeeper_host,
)
from components.rules.roll import RollPlan, members_without_container, roll_order, zookeeper_order


def running_containers(prefix: str) -> dict[str, bool]:
    """The stack's running containers, each with whether its health check passes."""
    listed = docker("ps", "--filter", f"name=^{prefix}-", "--format", "{{.Names}}\t{{.Status}}")
    return {
        name: "(healthy)" in status
        for name, _, status in (line.partition("\t") for line in listed.splitlines() if line.strip())
    }


def _index(name: str, host_prefix: str) -> int | None:
    rest = name.removeprefix(host_prefix)
    return int(rest) if rest != name and rest.isdigit() else None


def existing_containers(prefix: str) -> set[str]:
    """The stack's containers, running or not."""
    listed = docker("ps", "-a", "--filter", f"name=^{prefix}-", "--format", "{{.Names}}")
    return {line.split("\t")[0] for line in listed.splitlines() if line.strip()}


def admin(prefix: str, bootstrap_servers: str, brokers: list[int]) -> AdminClient | None:
    """An admin client with the login a running broker holds (read through `docker exec`, kept in memory only);
    None when no broker has it."""
    for broker in brokers:
        container = f"{prefix}-{broker_host(broker)}"
        try:
            login = to_librdkafka(parse_properties(docker("exec", container, "cat", ADMIN_CLIENT_FILE)))
            ca_pem = docker("exec", container, "cat", TRUSTSTORE)
        except (DockerUnavailable, ValueError):
            continue
        connection = {
            "bootstrap_servers": bootstrap_servers,
            "username": login.get("sasl.username", ""),
            "password": login.get("sasl.password", ""),
            "ca_pem": ca_pem,
        }
        return AdminClient(admin_settings(connection))
    return None


def controller(client: AdminClient | None) -> int | None:
    """The active controller; None when the cluster does not answer (there is then no controller to keep last)."""
    try:
        # `is not None`: a client's truth is its queue length (librdkafka's len()), 0 when nothing waits.
        return cluster_health.controller(client) if client is not None else None
    except Exception:
        return None


def replicas_on(client: AdminClient | None, brokers: list[int]) -> dict[int, int]:
    """How many partition replicas each of `brokers` holds; -1 where the cluster does not say."""
    try:
        states = cluster_health.partitions(client) if client is not None else None
    except Exception:
        states = None
    if states is None:
        return dict.fromkeys(brokers, -1)
    return {broker: sum(broker in state.replicas for state in states) for broker in brokers}


def roll_plan(prefix: str, bootstrap_servers: str, brokers: int, zookeeper_nodes: int) -> RollPlan:
    """RollPlan.fresh when none of the stack's brokers runs; otherwise the restart order of what runs."""
    running = running_containers(prefix)
    # What holds the stack's metadata now, whatever the stack says it should be: a switch of kinds is refused.
    quorum = tuple(
        sum(_index(name, f"{prefix}-{host}") is not None for name in running)
        for host in (ZOOKEEPER_HOST_PREFIX, CONTROLLER_HOST_PREFIX)
    )
    if not any(f"{prefix}-{broker_host(index)}" in running for index in range(brokers)):
        return replace(RollPlan.fresh(brokers, zookeeper_nodes), running_quorum=quorum)
    # Stopped or not healthy (an interrupted roll left it so): such a broker comes back before another goes down.
    up = [index for index in range(brokers) if running.get(f"{prefix}-{broker_host(index)}")]
    # A broker the stack adds has no container yet: it starts after every existing broker took the change (they
    # must accept it as a peer before it starts, or it could become the controller of brokers that refuse it).
    containers = existing_containers(prefix) | set(running)
    existing = [index for index in range(brokers) if f"{prefix}-{broker_host(index)}" in containers]
    client = admin(prefix, bootstrap_servers, up)
    # A broker without a container that the cluster still places replicas on is no new broker: an interrupted `up`
    # removed its container half way through replacing it. It comes back first, as a stopped one does; started last,
    # the first broker to go down before it would wait for its replicas forever.
    missing = [index for index in range(brokers) if index not in existing]
    existing = sorted(existing + members_without_container(missing, replicas_on(client, missing) if missing else {}))
    down = [index for index in existing if index not in up]
    # A node that is not running (an interrupted roll stopped it) reports no mode: it comes first.
    modes = {
        index: zookeeper_probe.mode(f"{prefix}-{zookeeper_host(index)}")
        if f"{prefix}-{zookeeper_host(index)}" in running
        else None
        for index in range(zookeeper_nodes)
    }
    # Brokers beyond the stack's count that still run: removing one that holds replicas loses them.
    indexes = (name.removeprefix(f"{prefix}-{BROKER_HOST_PREFIX}") for name in running)
    beyond = sorted(int(index) for index in indexes if index.isdigit() and int(index) >= brokers)
    retiring = replicas_on(client, beyond)
    return RollPlan(
        True,
        tuple(roll_order(existing, controller(client), down)),
        tuple(zookeeper_order(modes)),
        retiring,
        running_quorum=quorum,
    )


def with_controllers(plan: RollPlan, prefix: str, controllers: int) -> RollPlan:
    """`plan` with the KRaft controllers' restart order: those not serving first, followers, the active
    controller last (read from the quorum itself). On a KRaft cluster no broker is the controller, so the
    brokers' order keeps only its stopped-first rule."""
    if not plan.running:
        return replace(plan, controllers=tuple(range(controllers)))
    status = quorum_probe.probe(prefix, 0, controllers, None)
    modes = {index: node.role for index, node in enumerate(status.nodes)}
    return replace(plan, controllers=tuple(zookeeper_order(modes)))
