"""What the cluster actually holds of its topics, read in batches: one metadata request and one describe-configs
request serve the refresh of every topic of a stack, instead of a round trip per topic; and the waits that make a
change visible before the next step reads it."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, OffsetSpec

from components.clients import kafka_admin
from components.rules.names import is_internal_topic, replication_factor

AWAIT_S = 60.0


@dataclass(frozen=True)
class ActualTopic:
    partitions: int
    replication_factor: int
    config: dict[str, str]


class TopicSnapshots:
    """Every topic of a cluster as read by one metadata and one describe-configs request, shared by the reads
    that come within `ttl_s` of each other (the refresh of many topics runs them concurrently). Whoever changes a
    topic through the same object invalidates it."""

    def __init__(self, ttl_s: float = 5.0) -> None:
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._taken: dict[int, tuple[float, dict[str, ActualTopic]]] = {}

    def invalidate(self) -> None:
        with self._lock:
            self._taken.clear()

    def get(self, admin: AdminClient) -> dict[str, ActualTopic]:
        """Every non-internal topic with its partition count, replication factor and config values."""
        with self._lock:
            taken = self._taken.get(id(admin))
            if taken and time.monotonic() - taken[0] < self.ttl_s:
                return taken[1]
            topics = _describe(admin, admin.list_topics(timeout=kafka_admin.REQUEST_TIMEOUT_S))
            self._taken[id(admin)] = (time.monotonic(), topics)
            return topics


def describe_one(admin: AdminClient, name: str) -> ActualTopic | None:
    """One topic as it is, or None when it does not exist: what a create asks, without reading every topic."""
    return _describe(admin, admin.list_topics(topic=name, timeout=kafka_admin.REQUEST_TIMEOUT_S)).get(name)


def _describe(admin: AdminClient, metadata: Any) -> dict[str, ActualTopic]:
    names = [name for name, topic in metadata.topics.items() if topic.error is None and not is_internal_topic(name)]
    configs: dict[str, dict[str, str]] = {name: {} for name in names}
    if names:
        resources = [ConfigResource(ConfigResource.Type.TOPIC, name) for name in names]
        results = kafka_admin.wait_all(admin.describe_configs(resources), "describe configs of topic")
        for resource, entries in results.items():
            configs[resource.name] = {key: entry.value for key, entry in entries.items() if entry.value is not None}
    topics = {}
    for name in names:
        partitions = metadata.topics[name].partitions
        replication = replication_factor(len(partition.replicas) for partition in partitions.values())
        topics[name] = ActualTopic(len(partitions), replication, configs[name])
    return topics


def await_topic(admin: AdminClient, name: str, partitions: int) -> None:
    """Wait until the metadata shows the topic with its partitions, so the next step sees what was done."""
    deadline = time.monotonic() + AWAIT_S
    while time.monotonic() < deadline:
        topic = admin.list_topics(topic=name, timeout=kafka_admin.REQUEST_TIMEOUT_S).topics.get(name)
        if topic is not None and topic.error is None and len(topic.partitions) >= partitions:
            return
        time.sleep(0.5)
    raise kafka_admin.AdminError(f"topic {name} did not show {partitions} partitions within {AWAIT_S:.0f} s")


def await_gone(admin: AdminClient, name: str) -> None:
    deadline = time.monotonic() + AWAIT_S
    while time.monotonic() < deadline:
        if name not in admin.list_topics(timeout=kafka_admin.REQUEST_TIMEOUT_S).topics:
            return
        time.sleep(0.5)
    raise kafka_admin.AdminError(f"topic {name} was still listed {AWAIT_S:.0f} s after its deletion")


def holds_data(admin: AdminClient, name: str) -> str | None:
    """Why deleting `name` would lose something (records, or a group's committed position), or None."""
    metadata = admin.list_topics(topic=name, timeout=kafka_admin.REQUEST_TIMEOUT_S).topics.get(name)
    if metadata is None or metadata.error is not None:
        return None
    partitions = [TopicPartition(name, index) for index in metadata.partitions]
    earliest = _offsets(admin, partitions, OffsetSpec.earliest())
    latest = _offsets(admin, partitions, OffsetSpec.latest())
    records = sum(latest[index] - earliest[index] for index in latest)
    if records:
        return f"holds {records} records"
    groups = kafka_admin.wait(admin.list_consumer_groups(), "list consumer groups")
    for group in groups.valid:
        request = [ConsumerGroupTopicPartitions(group.group_id)]
        offsets = kafka_admin.wait_all(admin.list_consumer_group_offsets(request), "list offsets of group")
        for result in offsets.values():
            if any(tp.topic == name and tp.offset >= 0 for tp in result.topic_partitions or []):
                return f"has offsets committed by consumer group {group.group_id}"
    return None


def _offsets(admin: AdminClient, partitions: list[TopicPartition], spec: OffsetSpec) -> dict[int, int]:
    futures = admin.list_offsets({tp: spec for tp in partitions})
    results = kafka_admin.wait_all(futures, "list offsets of")
    return {tp.partition: result.offset for tp, result in results.items()}
