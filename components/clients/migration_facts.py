"""What a running stack tells about a ZooKeeper-to-KRaft migration: how each broker and controller runs (read
from its own server.properties through `docker exec`), which ZooKeeper nodes run, the cluster's id and Kafka's
migration record (the /migration znode the active controller writes once it copied the metadata from ZooKeeper).
components/rules/migration_phase.py turns them into the phase."""

from __future__ import annotations

import json
import re

from components.clients import kafka_tools
from components.clients.client_properties import parse_properties
from components.clients.docker_cli import DockerUnavailable, docker
from components.clients.running_platform import running_containers
from components.rules import migration_phase as phase
from components.rules.kafka_tools import ZOOKEEPER_SHELL
from components.rules.layout import (
    SERVER_PROPERTIES,
    ZK_TLS_FILE,
    broker_host,
    controller_host,
    zookeeper_connect,
    zookeeper_host,
)

MIGRATION_FLAG = "zookeeper.metadata.migration.enable"
META_PROPERTIES = "/var/lib/kafka/data/meta.properties"
MIGRATION_ZNODE = "/migration"
_RECORD = re.compile(r"^\{.*\"kraft_metadata_offset\".*\}$", re.MULTILINE)


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
    """Kafka's migration record (the /migration znode), read with a migrating controller's ZooKeeper identity;
    None when it does not exist or no migrating controller answers."""
    for index in range(controllers):
        place = kafka_tools.InBroker(f"{prefix}-{controller_host(index)}")
        args = ["-zk-tls-config-file", ZK_TLS_FILE, "-server", zookeeper_connect(zookeeper_nodes)]
        try:
            result = kafka_tools.run(ZOOKEEPER_SHELL, [*args, "get", MIGRATION_ZNODE], place, check=False)
        except kafka_tools.ToolError:
            continue
        found = _RECORD.search(result.stdout + "\n" + result.stderr)
        if found:
            return json.loads(found.group(0))
        if "NoNode" in result.stdout + result.stderr:
            return None
    return None


def copied(record: dict | None) -> bool:
    """The record says the controllers completed the copy of the metadata (an offset in their log)."""
    return bool(record) and int(record.get("kraft_metadata_offset", -1)) >= 0


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
