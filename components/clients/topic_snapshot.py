"""What the cluster actually holds of its topics, read in batches: one metadata request and a describe-configs
request per thousand topics serve the refresh of every topic of a stack, instead of a round trip per topic; and what
deleting a topic would lose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from confluent_kafka import ConsumerGroupTopicPartitions, KafkaError, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, OffsetSpec

from components.clients import kafka_admin
from components.clients.shared_reads import SharedReads
from components.rules.names import is_internal_topic, replication_factor

# Topics per DescribeConfigs request: about a second of a broker's work each on this machine.
DESCRIBE_PER_REQUEST = 1000


@dataclass(frozen=True)
class ActualTopic:
    partitions: int
    replication_factor: int
    config: dict[str, str]


class TopicSnapshots(SharedReads[dict[str, "ActualTopic"]]):
    """Every non-internal topic of a cluster with its partition count, replication factor and config values, as
    read by one metadata request and a describe-configs request per thousand topics, shared by the reads of one
    operation (the refresh of many topics runs them concurrently). Whoever changes a topic through the same object
    invalidates it."""

    def __init__(self, ttl_s: float = 30.0) -> None:
        super().__init__(_describe_all, ttl_s)


def _describe_all(admin: AdminClient) -> dict[str, ActualTopic]:
    return _describe(admin, admin.list_topics(timeout=kafka_admin.REQUEST_TIMEOUT_S))


def describe_one(admin: AdminClient, name: str) -> ActualTopic | None:
    """One topic as it is, or None when it does not exist: what a create asks, without reading every topic."""
    return _describe(admin, admin.list_topics(topic=name, timeout=kafka_admin.REQUEST_TIMEOUT_S)).get(name)


def _describe(admin: AdminClient, metadata: Any) -> dict[str, ActualTopic]:
    names = [name for name, topic in metadata.topics.items() if topic.error is None and not is_internal_topic(name)]
    configs: dict[str, dict[str, str]] = {name: {} for name in names}
    resources = [ConfigResource(ConfigResource.Type.TOPIC, name) for name in names]
    # One request at a time, each answered before the next is sent: the answer for thousands of topics in one
    # request (every key with its synonyms) took a ZooKeeper-mode broker on a loaded host over the request timeout.
    # A topic listed and then deleted by someone else before its configs are read is gone: left out, as if the
    # listing had come a moment later (a shared cluster, a cleanup running beside a `destroy`).
    for start in range(0, len(resources), DESCRIBE_PER_REQUEST):
        chunk = resources[start : start + DESCRIBE_PER_REQUEST]
        results = kafka_admin.wait_all(
            admin.describe_configs(chunk), "describe configs of topic", tolerate=[KafkaError.UNKNOWN_TOPIC_OR_PART]
        )
        for resource, entries in results.items():
            if entries is None:
                del configs[resource.name]
                continue
            configs[resource.name] = {key: entry.value for key, entry in entries.items() if entry.value is not None}
    topics = {}
    for name in configs:
        partitions = metadata.topics[name].partitions
        replication = replication_factor(len(partition.replicas) for partition in partitions.values())
        topics[name] = ActualTopic(len(partitions), replication, configs[name])
    return topics


def holds_data(admin: AdminClient, name: str) -> str | None:
    """Why deleting `name` would lose something (records, or a group's committed position), or None."""
    return holding_data(admin, [name]).get(name)


def holding_data(admin: AdminClient, names: Sequence[str]) -> dict[str, str]:
    """What deleting each of `names` would lose, for those that hold records or a group's committed position: one
    metadata request, one offsets request per end of the log and one per consumer group, however many topics."""
    if not names:
        return {}
    # Asking for one topic by name spares a read of every topic's metadata.
    by_name = {"topic": names[0]} if len(names) == 1 else {}
    metadata = admin.list_topics(**by_name, timeout=kafka_admin.REQUEST_TIMEOUT_S)
    present = [name for name in names if (topic := metadata.topics.get(name)) is not None and topic.error is None]
    partitions = [TopicPartition(name, index) for name in present for index in metadata.topics[name].partitions]
    if not partitions:
        return {}
    earliest = _offsets(admin, partitions, OffsetSpec.earliest())
    latest = _offsets(admin, partitions, OffsetSpec.latest())
    records: dict[str, int] = dict.fromkeys(present, 0)
    for key, offset in latest.items():
        if key in earliest:
            records[key[0]] += offset - earliest[key]
    reasons = {name: f"holds {count} records" for name, count in records.items() if count}
    unexplained = set(present) - set(reasons)
    if unexplained:
        groups = kafka_admin.wait(admin.list_consumer_groups(), "list consumer groups")
        for group in groups.valid:
            request = [ConsumerGroupTopicPartitions(group.group_id)]
            offsets = kafka_admin.wait_all(admin.list_consumer_group_offsets(request), "list offsets of group")
            for result in offsets.values():
                for tp in result.topic_partitions or []:
                    if tp.topic in unexplained and tp.offset >= 0:
                        unexplained.discard(tp.topic)
                        reasons[tp.topic] = f"has offsets committed by consumer group {group.group_id}"
            if not unexplained:
                break
    return {name: reasons[name] for name in names if name in reasons}


def _offsets(admin: AdminClient, partitions: list[TopicPartition], spec: OffsetSpec) -> dict[tuple[str, int], int]:
    """Each partition's offset; a partition whose topic someone else deleted meanwhile is left out (it holds
    nothing any more)."""
    futures = admin.list_offsets({tp: spec for tp in partitions})
    results = kafka_admin.wait_all(futures, "list offsets of", tolerate=[KafkaError.UNKNOWN_TOPIC_OR_PART])
    return {(tp.topic, tp.partition): result.offset for tp, result in results.items() if result is not None}
