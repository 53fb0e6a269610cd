"""What the cluster actually holds, read in batches: one metadata request and one describe-configs request serve
the refresh of every topic of a stack, instead of a round trip per topic."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, OffsetSpec

from components import kafka_admin

# Refreshes of many topics run concurrently in one provider process; a snapshot younger than this is shared.
SNAPSHOT_TTL_S = 5.0
AWAIT_S = 60.0


@dataclass(frozen=True)
class ActualTopic:
    partitions: int
    replication_factor: int
    config: dict[str, str]


_lock = threading.Lock()
_snapshot: dict[int, tuple[float, dict[str, ActualTopic]]] = {}
_approved_deletions: set[str] = set()


def invalidate() -> None:
    with _lock:
        _snapshot.clear()


def snapshot(admin: AdminClient) -> dict[str, ActualTopic]:
    """Every non-internal topic with its partition count, replication factor and config values."""
    with _lock:
        taken = _snapshot.get(id(admin))
        if taken and time.monotonic() - taken[0] < SNAPSHOT_TTL_S:
            return taken[1]
        topics = _describe_all(admin)
        _snapshot[id(admin)] = (time.monotonic(), topics)
        return topics


def describe_one(admin: AdminClient, name: str) -> ActualTopic | None:
    """One topic as it is, or None when it does not exist: what a create asks, without reading every topic."""
    return _describe(admin, admin.list_topics(topic=name, timeout=kafka_admin.REQUEST_TIMEOUT_S)).get(name)


def _describe_all(admin: AdminClient) -> dict[str, ActualTopic]:
    return _describe(admin, admin.list_topics(timeout=kafka_admin.REQUEST_TIMEOUT_S))


def _describe(admin: AdminClient, metadata: Any) -> dict[str, ActualTopic]:
    names = [name for name, topic in metadata.topics.items() if topic.error is None and not name.startswith("__")]
    configs: dict[str, dict[str, str]] = {name: {} for name in names}
    if names:
        resources = [ConfigResource(ConfigResource.Type.TOPIC, name) for name in names]
        results = kafka_admin.wait_all(admin.describe_configs(resources), "describe configs of topic")
        for resource, entries in results.items():
            configs[resource.name] = {key: entry.value for key, entry in entries.items() if entry.value is not None}
    topics = {}
    for name in names:
        partitions = metadata.topics[name].partitions
        replication = max((len(partition.replicas) for partition in partitions.values()), default=0)
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


def approve_deletion(name: str) -> None:
    """Remember, for this provider process, that the diff of this run cleared `name` for deletion."""
    with _lock:
        _approved_deletions.add(name)


def deletion_approved(name: str) -> bool:
    with _lock:
        return name in _approved_deletions
