"""What a running stack tells about a ZooKeeper-to-KRaft migration: how each broker and controller runs (read
from its own server.properties through `docker exec`), which ZooKeeper nodes run, the cluster's id and Kafka's
migration record (the /migration znode the active controller writes once it copied the metadata from ZooKeeper).
components/rules/migration_phase.py turns them into the phase."""

from __future__ import annotations

import re

from components.clients import migration_znodes
from components.clients.client_properties import parse_properties
from components.clients.docker_cli import DockerUnavailable, docker
from components.clients.running_platform import running_containers
from components.rules import migration_phase as phase
from components.rules.layout import SERVER_PROPERTIES, broker_host, controller_host, zookeeper_host

MIGRATION_FLAG = "zookeeper.metadata.migration.enable"
META_PROPERTIES = "/var/lib/kafka/data/meta.properties"


def _properties(container: str, path: str = SERVER_PROPERTIES) -> dict[str, str] | None:
    try:
        return parse_properties(docker("exec", container, "cat", path))
    except (DockerUnavailable, ValueError):
        return None


def broker_mode(properties: dict[str, str]) -> str:
    if properties.get("process.roles"):
        return phase.BROKER_KRAFT
    if properties.get(MIGRATION_FLAG) == "true":
        return phase.BROKER_MIGRATING
    return phase.BROKER_ZOOKEEPER


def controller_mode(properties: dict[str, str]) -> str:
    return phase.CONTROLLER_MIGRATING if properties.get(MIGRATION_FLAG) == "true" else phase.CONTROLLER_KRAFT


def migration_record(prefix: str, zookeeper_nodes: int, controllers: int) -> dict | None:
    """Kafka's migration record, read with a migrating controller's ZooKeeper identity; None when there is none."""
    names = [f"{prefix}-{controller_host(index)}" for index in range(controllers)]
    return migration_znodes.read(names, zookeeper_nodes, migration_znodes.MIGRATION)


def copied(record: dict | None) -> bool:
    return migration_znodes.copied(record)


def observe(prefix: str, brokers: int, zookeeper_nodes: int, controllers: int) -> phase.Observed | None:
    """Where the running stack stands; None when none of its brokers runs (nothing to migrate yet)."""
    running = running_containers(prefix)
    broker_modes = []
    for index in range(brokers):
        found = _properties(f"{prefix}-{broker_host(index)}") if f"{prefix}-{broker_host(index)}" in running else None
        if found is not None:
            broker_modes.append(broker_mode(found))
    if not broker_modes:
        return None
    controller_modes = []
    for index in range(controllers):
        name = f"{prefix}-{controller_host(index)}"
        found = _properties(name) if name in running else None
        if found is not None:
            controller_modes.append(controller_mode(found))
    ensemble = sum(f"{prefix}-{zookeeper_host(index)}" in running for index in range(max(zookeeper_nodes, 7)))
    done = False
    if controller_modes and phase.CONTROLLER_MIGRATING in controller_modes and ensemble:
        done = copied(migration_record(prefix, zookeeper_nodes, controllers))
    return phase.observe(broker_modes, controller_modes, ensemble, done)


def cluster_id(prefix: str, brokers: int) -> str | None:
    """The running cluster's id, from a broker's meta.properties (ZooKeeper brokers write it on first start)."""
    for index in range(brokers):
        found = _properties(f"{prefix}-{broker_host(index)}", META_PROPERTIES)
        if found and found.get("cluster.id"):
            return found["cluster.id"]
    return None


_UNREGISTERED = re.compile(r"Not ready due to:No registration found for controller (\d+)")


def unregistered_controllers(prefix: str, controllers: int, since_s: int = 20) -> set[int]:
    """Controller ids the active controller's migration driver still waits for (Kafka 3.9 logs "No registration
    found for controller N" while it cannot begin the migration): read from the controllers' recent log."""
    found: set[int] = set()
    for index in range(controllers):
        try:
            text = docker("logs", "--since", f"{since_s}s", f"{prefix}-{controller_host(index)}")
        except DockerUnavailable:
            continue
        found |= {int(match) for match in _UNREGISTERED.findall(text)}
    return found
