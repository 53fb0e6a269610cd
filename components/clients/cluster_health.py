"""What a running cluster reports about itself that a roll needs: every partition's replicas and in-sync
replicas, each topic's min.insync.replicas, the active controller, and the cluster-wide dynamic defaults."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from confluent_kafka.admin import AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource

from components.clients.kafka_admin import REQUEST_TIMEOUT_S, wait, wait_all
from components.rules.roll import PartitionState

# The config resource of the cluster-wide defaults: the broker resource with an empty name.
CLUSTER_DEFAULT = ""


def partitions(admin: AdminClient) -> list[PartitionState]:
    """Every partition of every topic, Kafka's own included (they matter as much when a broker goes down)."""
    metadata = admin.list_topics(timeout=REQUEST_TIMEOUT_S)
    return [
        PartitionState(topic, partition.id, tuple(partition.replicas), tuple(partition.isrs))
        for topic, described in metadata.topics.items()
        for partition in described.partitions.values()
    ]


def registered_brokers(admin: AdminClient) -> set[int]:
    return set(admin.list_topics(timeout=REQUEST_TIMEOUT_S).brokers)


def controller(admin: AdminClient) -> int | None:
    """The active controller's broker id, None while there is none."""
    found = admin.list_topics(timeout=REQUEST_TIMEOUT_S).controller_id
    return found if isinstance(found, int) and found >= 0 else None


def min_insync(admin: AdminClient, topics: Iterable[str]) -> dict[str, int]:
    """Each topic's effective min.insync.replicas."""
    resources = [ConfigResource(ConfigResource.Type.TOPIC, topic) for topic in sorted(set(topics))]
    if not resources:
        return {}
    described = wait_all(admin.describe_configs(resources), "describe topic configs")
    return {
        resource.name: int(entries["min.insync.replicas"].value)
        for resource, entries in described.items()
        if entries and "min.insync.replicas" in entries
    }


def cluster_defaults(admin: AdminClient, keys: Iterable[str]) -> dict[str, str]:
    """The cluster-wide dynamic defaults set on the cluster (not the brokers' static files) among `keys`."""
    resource = ConfigResource(ConfigResource.Type.BROKER, CLUSTER_DEFAULT)
    entries = wait(admin.describe_configs([resource])[resource], "describe the cluster-wide broker defaults") or {}
    wanted = set(keys)
    return {name: entry.value for name, entry in entries.items() if name in wanted and entry.value is not None}


def set_cluster_defaults(admin: AdminClient, values: Mapping[str, str], remove: Iterable[str] = ()) -> None:
    """Change cluster-wide defaults in place (IncrementalAlterConfigs): every broker applies them at once, none
    restarts."""
    entries = [
        ConfigEntry(name, value, incremental_operation=AlterConfigOpType.SET) for name, value in values.items()
    ] + [ConfigEntry(name, None, incremental_operation=AlterConfigOpType.DELETE) for name in remove]
    if not entries:
        return
    resource = ConfigResource(ConfigResource.Type.BROKER, CLUSTER_DEFAULT, incremental_configs=entries)
    wait_all(admin.incremental_alter_configs([resource]), "set the cluster-wide broker defaults")
