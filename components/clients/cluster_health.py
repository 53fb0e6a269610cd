"""What a running cluster reports about itself that a roll needs: every partition's replicas and in-sync
replicas, each topic's min.insync.replicas, the active controller, and the cluster-wide dynamic defaults; and the
kind of quorum it runs on, which sizes the topic set's requests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from confluent_kafka.admin import AdminClient, ConfigResource, ConfigSource

from components.clients import kafka_tools
from components.clients.kafka_admin import REQUEST_TIMEOUT_S, wait, wait_all
from components.rules.kafka_tools import CONFIGS
from components.rules.roll import PartitionState

# ConfigCommand's arguments that name the cluster-wide defaults of every broker.
BROKER_DEFAULTS = ("--entity-type", "brokers", "--entity-default")


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


def kraft(admin: AdminClient) -> bool:
    """Whether the cluster runs on KRaft: a broker's `process.roles` is set (empty in ZooKeeper mode). False when no
    broker's config can be read (an admin without DESCRIBE_CONFIGS on the cluster)."""
    try:
        broker = min(registered_brokers(admin))
        resource = ConfigResource(ConfigResource.Type.BROKER, str(broker))
        entries = wait(admin.describe_configs([resource])[resource], f"describe the config of broker {broker}") or {}
    except Exception:  # no broker, or its config is not ours to read: the cautious answer
        return False
    roles = entries.get("process.roles")
    return bool(roles and roles.value)


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
    """The cluster-wide dynamic defaults among `keys` (not the brokers' files), as a broker reports them."""
    broker = min(registered_brokers(admin))
    resource = ConfigResource(ConfigResource.Type.BROKER, str(broker))
    entries = wait(admin.describe_configs([resource])[resource], f"describe the config of broker {broker}") or {}
    found = {}
    for name in keys:
        entry = entries.get(name)
        candidates = [entry, *(entry.synonyms.values() if entry and entry.synonyms else [])]
        for candidate in candidates:
            if candidate is not None and ConfigSource(candidate.source) == ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG:
                found[name] = candidate.value
                break
    return found


def set_cluster_defaults(container: str, values: Mapping[str, str], remove: Iterable[str] = ()) -> None:
    """Change cluster-wide defaults in place (IncrementalAlterConfigs on the default broker resource): every
    broker applies them at once, none restarts.

    librdkafka cannot name the default broker resource, so Kafka's own kafka-configs does it, run in a broker
    container as admin with the client config file that lives there: no credential leaves the container."""
    dropped = list(remove)
    broker = kafka_tools.InBroker(container)
    if values:
        settings = ",".join(f"{key}={value}" for key, value in values.items())
        kafka_tools.run(CONFIGS, [*BROKER_DEFAULTS, "--alter", "--add-config", settings], broker)
    if dropped:
        kafka_tools.run(CONFIGS, [*BROKER_DEFAULTS, "--alter", "--delete-config", ",".join(dropped)], broker)
