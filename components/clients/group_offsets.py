"""Consumer lag as the Admin API gives it: every consumer group the user may see, each group's committed offsets,
and the end offset of every partition a group committed on. One ListGroups, one OffsetFetch per group (the API
takes a single group per request; they are all sent at once), and one ListOffsets for every partition together,
which librdkafka splits by leader: a few round trips whatever the number of topics."""

from __future__ import annotations

from concurrent.futures import Future

from confluent_kafka import ConsumerGroupTopicPartitions, KafkaError, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, OffsetSpec

from components.rules.consumer_lag import GroupLag, Partition, topic_lags


def group_lags(admin: AdminClient, timeout: float) -> tuple[tuple[GroupLag, ...], tuple[str, ...]]:
    """Each visible group's lag per topic, in group order, and notes on what could not be read.

    Raises KafkaException (or TimeoutError) when the groups cannot be listed at all."""
    listed = admin.list_consumer_groups(request_timeout=timeout).result(timeout=timeout)
    notes = tuple(f"listing consumer groups: {_reason(error)}" for error in listed.errors or ())
    states = {group.group_id: _state(group.state) for group in listed.valid}
    requests = {
        group: admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)], request_timeout=timeout)[group]
        for group in sorted(states)
    }
    committed: dict[str, dict[Partition, int]] = {}
    errors: dict[str, str] = {}
    for group, future in requests.items():
        try:
            offsets = future.result(timeout=timeout).topic_partitions or []
            committed[group] = {(tp.topic, tp.partition): tp.offset for tp in offsets if tp.error is None}
        except KafkaException as error:
            errors[group] = _reason(error)
        except TimeoutError:
            errors[group] = f"no answer within {timeout:g} s"
    ends = end_offsets({partition for offsets in committed.values() for partition in offsets}, admin, timeout)
    lags = tuple(
        GroupLag(group, states[group], error=errors[group])
        if group in errors
        else GroupLag(group, states[group], topic_lags(group, committed[group], ends))
        for group in sorted(states)
    )
    return lags, notes


def end_offsets(partitions: set[Partition], admin: AdminClient, timeout: float) -> dict[Partition, int]:
    """The latest offset of each partition; a partition the cluster gives no offset for is left out."""
    if not partitions:
        return {}
    asked = {TopicPartition(topic, partition): OffsetSpec.latest() for topic, partition in sorted(partitions)}
    futures: dict[TopicPartition, Future] = admin.list_offsets(asked, request_timeout=timeout)
    found = {}
    for partition, future in futures.items():
        try:
            found[(partition.topic, partition.partition)] = future.result(timeout=timeout).offset
        except (KafkaException, TimeoutError):
            continue
    return found


def _state(state: object) -> str:
    return getattr(state, "name", str(state))


def _reason(error: object) -> str:
    first = error.args[0] if isinstance(error, KafkaException) and error.args else error
    if isinstance(first, KafkaError):
        if first.code() == KafkaError.GROUP_AUTHORIZATION_FAILED:
            return "not authorized (needs Describe on the group)"
        return f"{first.name()}: {first.str()}"
    return str(first)
