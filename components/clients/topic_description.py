"""Kafka topics as an operator sees them: which exist, and how one is laid out and configured.

The I/O functions take a confluent-kafka AdminClient and return plain dataclasses, so the printing code (and its
tests) never touch Kafka objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from confluent_kafka import KafkaError, KafkaException, TopicCollection
from confluent_kafka.admin import AdminClient, ConfigResource, ConfigSource, ResourceType

from components.rules.names import is_internal_topic

DEFAULT_TIMEOUT = 15.0
# Extra wait for a future beyond the request timeout, so librdkafka's own timeout error wins when it fires.
_GRACE_SECONDS = 5.0
_MISSING_TOPIC = (KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._UNKNOWN_TOPIC)


class TopicNotFound(LookupError):
    """The topic asked for does not exist."""

    def __init__(self, topic: str) -> None:
        super().__init__(f"topic {topic!r} does not exist")
        self.topic = topic


@dataclass(frozen=True)
class PartitionState:
    """Where one partition's replicas live and which of them keep up."""

    id: int
    """Partition number."""
    leader: int | None
    """Broker id of the leader; None when the partition has no leader (offline)."""
    replicas: tuple[int, ...]
    """Broker ids holding a replica, preferred leader first."""
    isr: tuple[int, ...]
    """Broker ids of the in-sync replicas."""

    @property
    def under_replicated(self) -> bool:
        return len(self.isr) < len(self.replicas)


@dataclass(frozen=True)
class ConfigSetting:
    """One topic configuration value and where it comes from."""

    name: str
    """Configuration key, e.g. retention.ms."""
    value: str | None
    """Value as Kafka reports it; None when unset or sensitive."""
    source: str
    """Kafka's name for the origin, e.g. DYNAMIC_TOPIC_CONFIG (a topic override) or DEFAULT_CONFIG."""
    sensitive: bool = False
    """True when Kafka withholds the value."""

    @property
    def is_override(self) -> bool:
        """True when the value was set on the topic itself rather than inherited."""
        return self.source == ConfigSource.DYNAMIC_TOPIC_CONFIG.name


@dataclass(frozen=True)
class TopicDescription:
    """A topic's partitions and configuration."""

    name: str
    """Topic name."""
    partitions: tuple[PartitionState, ...]
    """Every partition, by number."""
    configs: tuple[ConfigSetting, ...]
    """Every configuration value, by name."""


def select_topics(names: Iterable[str], prefix: str | None = None, include_internal: bool = False) -> list[str]:
    """The names starting with `prefix` (all when None), without internal topics unless asked for, sorted."""
    return sorted(
        name for name in names if (include_internal or not is_internal_topic(name)) and name.startswith(prefix or "")
    )


def list_topics(
    admin: AdminClient,
    prefix: str | None = None,
    include_internal: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[str]:
    """Names of the cluster's topics, filtered as select_topics does."""
    metadata = admin.list_topics(timeout=timeout)
    return select_topics(metadata.topics, prefix, include_internal)


def describe_topic(admin: AdminClient, name: str, timeout: float = DEFAULT_TIMEOUT) -> TopicDescription:
    """Partitions and configuration of topic `name`; TopicNotFound when there is no such topic.

    Both requests are sent before either answer is awaited, so a description costs one round trip.
    """
    resource = ConfigResource(ResourceType.TOPIC, name)
    topic_future = admin.describe_topics(TopicCollection([name]), request_timeout=timeout)[name]
    config_future = admin.describe_configs([resource], request_timeout=timeout)[resource]
    description = _result(topic_future, name, timeout)
    entries = _result(config_future, name, timeout)
    return topic_from_kafka(description, entries)


def _result(future: Future[Any], topic: str, timeout: float) -> Any:
    try:
        return future.result(timeout=timeout + _GRACE_SECONDS)
    except KafkaException as error:
        cause = error.args[0] if error.args else None
        if isinstance(cause, KafkaError) and cause.code() in _MISSING_TOPIC:
            raise TopicNotFound(topic) from None
        raise


def topic_from_kafka(description: Any, entries: Mapping[str, Any]) -> TopicDescription:
    """Build a TopicDescription from confluent-kafka's TopicDescription and ConfigEntry objects."""
    partitions = tuple(
        PartitionState(
            id=partition.id,
            leader=partition.leader.id if partition.leader is not None else None,
            replicas=tuple(node.id for node in partition.replicas),
            isr=tuple(node.id for node in partition.isr),
        )
        for partition in sorted(description.partitions, key=lambda partition: partition.id)
    )
    configs = tuple(
        ConfigSetting(
            name=entry.name,
            value=None if entry.is_sensitive else entry.value,
            source=_source_name(entry.source),
            sensitive=bool(entry.is_sensitive),
        )
        for entry in sorted(entries.values(), key=lambda entry: entry.name)
    )
    return TopicDescription(name=description.name, partitions=partitions, configs=configs)


def _source_name(source: ConfigSource | int) -> str:
    # confluent-kafka has handed the source over both as the enum and as its plain number.
    try:
        return ConfigSource(source).name
    except ValueError:
        return ConfigSource.UNKNOWN_CONFIG.name
