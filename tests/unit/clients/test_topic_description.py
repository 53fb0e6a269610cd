"""Reading topics from Kafka: filtering names, describing a topic in one round trip, and a missing topic."""

from __future__ import annotations

from concurrent.futures import Future
from types import SimpleNamespace
from typing import Any

import pytest
from confluent_kafka import KafkaError, KafkaException, Node, TopicCollection, TopicPartitionInfo
from confluent_kafka.admin import ConfigEntry, ConfigResource, ConfigSource
from confluent_kafka.admin import TopicDescription as KafkaTopicDescription

from components.clients.topic_description import (
    ConfigSetting,
    PartitionState,
    TopicDescription,
    TopicNotFound,
    describe_topic,
    list_topics,
    select_topics,
    topic_from_kafka,
)

NAMES = ["caracal.dlq", "__consumer_offsets", "_schemas", "caracal.metering.events", "other"]


@pytest.mark.parametrize(
    ("prefix", "include_internal", "expected"),
    [
        pytest.param(None, False, ["caracal.dlq", "caracal.metering.events", "other"], id="internal hidden"),
        pytest.param(
            None, True, ["__consumer_offsets", "_schemas", "caracal.dlq", "caracal.metering.events", "other"], id="all"
        ),
        pytest.param("caracal.", False, ["caracal.dlq", "caracal.metering.events"], id="prefix"),
        pytest.param("_", False, [], id="internal prefix without --all"),
        pytest.param("_", True, ["__consumer_offsets", "_schemas"], id="internal prefix with --all"),
        pytest.param("nothing", True, [], id="no match"),
    ],
)
def test_topic_names_are_filtered_and_sorted(prefix: str | None, include_internal: bool, expected: list[str]) -> None:
    assert select_topics(NAMES, prefix, include_internal) == expected


def _done(value: Any = None, error: Exception | None = None) -> Future[Any]:
    future: Future[Any] = Future()
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)
    return future


def _node(broker: int) -> Node:
    return Node(broker, f"kafka-{broker}", 9093)


KAFKA_TOPIC = KafkaTopicDescription(
    "caracal.policy.changes",
    None,
    False,
    [
        TopicPartitionInfo(1, _node(2), [_node(2), _node(3)], [_node(2)]),
        TopicPartitionInfo(0, None, [_node(1), _node(2)], []),
    ],
)
KAFKA_CONFIGS = {
    "retention.ms": ConfigEntry("retention.ms", "2592000000", source=ConfigSource.DYNAMIC_TOPIC_CONFIG),
    "cleanup.policy": ConfigEntry("cleanup.policy", "delete", source=ConfigSource.DEFAULT_CONFIG.value),
    "ssl.key.password": ConfigEntry("ssl.key.password", "leaked?", source=99, is_sensitive=True),
}
EXPECTED = TopicDescription(
    name="caracal.policy.changes",
    partitions=(
        PartitionState(id=0, leader=None, replicas=(1, 2), isr=()),
        PartitionState(id=1, leader=2, replicas=(2, 3), isr=(2,)),
    ),
    configs=(
        ConfigSetting("cleanup.policy", "delete", "DEFAULT_CONFIG"),
        ConfigSetting("retention.ms", "2592000000", "DYNAMIC_TOPIC_CONFIG"),
        ConfigSetting("ssl.key.password", None, "UNKNOWN_CONFIG", sensitive=True),
    ),
)


def test_kafka_objects_become_plain_sorted_data_with_sensitive_values_withheld() -> None:
    assert topic_from_kafka(KAFKA_TOPIC, KAFKA_CONFIGS) == EXPECTED


class FakeAdmin:
    """Answers like AdminClient, recording what was asked."""

    def __init__(self, topic_error: Exception | None = None) -> None:
        self.topic_error = topic_error
        self.calls: list[tuple[str, Any, dict[str, Any]]] = []

    def list_topics(self, **kwargs: Any) -> Any:
        self.calls.append(("list_topics", None, kwargs))
        return SimpleNamespace(topics={name: object() for name in NAMES})

    def describe_topics(self, topics: TopicCollection, **kwargs: Any) -> dict[str, Future[Any]]:
        self.calls.append(("describe_topics", topics.topic_names, kwargs))
        return {name: _done(KAFKA_TOPIC, self.topic_error) for name in topics.topic_names}

    def describe_configs(self, resources: list[ConfigResource], **kwargs: Any) -> dict[ConfigResource, Future[Any]]:
        self.calls.append(("describe_configs", [(r.restype.name, r.name) for r in resources], kwargs))
        return {resource: _done(KAFKA_CONFIGS, self.topic_error) for resource in resources}


def test_list_topics_asks_once_with_the_timeout() -> None:
    admin = FakeAdmin()

    assert list_topics(admin, "caracal.", timeout=3) == ["caracal.dlq", "caracal.metering.events"]  # type: ignore[arg-type]
    assert admin.calls == [("list_topics", None, {"timeout": 3})]


def test_describe_topic_sends_both_requests_with_the_timeout() -> None:
    admin = FakeAdmin()

    assert describe_topic(admin, "caracal.policy.changes", timeout=4) == EXPECTED  # type: ignore[arg-type]
    assert admin.calls == [
        ("describe_topics", ["caracal.policy.changes"], {"request_timeout": 4}),
        ("describe_configs", [("TOPIC", "caracal.policy.changes")], {"request_timeout": 4}),
    ]


@pytest.mark.parametrize("code", [KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._UNKNOWN_TOPIC])
def test_describing_a_missing_topic_raises_topic_not_found(code: int) -> None:
    admin = FakeAdmin(topic_error=KafkaException(KafkaError(code, "Broker: Unknown topic or partition")))

    with pytest.raises(TopicNotFound, match="topic 'nope' does not exist"):
        describe_topic(admin, "nope")  # type: ignore[arg-type]


def test_other_kafka_failures_pass_through_for_the_caller_to_explain() -> None:
    error = KafkaException(KafkaError(KafkaError._TIMED_OUT, "Failed while waiting for controller"))

    with pytest.raises(KafkaException) as raised:
        describe_topic(FakeAdmin(topic_error=error), "caracal.dlq")  # type: ignore[arg-type]
    assert raised.value is error
