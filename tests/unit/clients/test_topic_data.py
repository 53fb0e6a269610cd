"""What deleting topics would lose, asked for many topics at once in a handful of requests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from confluent_kafka import KafkaError, TopicPartition
from confluent_kafka.admin import OffsetSpec

from components.clients import topic_snapshot
from components.clients.kafka_admin import AdminError
from components.clients.topic_snapshot import holding_data, holds_data
from tests.unit.futures import done, settled


class LogAdmin:
    """Topics of two partitions each with the given (earliest, latest) offsets, and groups' committed topics."""

    def __init__(self, logs, committed=None):
        self.logs = logs
        self.committed = committed or {}
        self.requests = []

    def list_topics(self, topic=None, timeout=None):
        self.requests.append(("metadata", topic))
        names = [topic] if topic else list(self.logs)
        partitions = {0: None, 1: None}
        return SimpleNamespace(
            topics={n: SimpleNamespace(error=None, partitions=partitions) for n in names if n in self.logs}
        )

    def list_offsets(self, wanted):
        self.requests.append(("offsets", len(wanted)))
        end = 0 if next(iter(wanted.values())) == OffsetSpec.earliest() else 1
        return {
            tp: settled(KafkaError.UNKNOWN_TOPIC_OR_PART)
            if self.logs[tp.topic] is None
            else done(SimpleNamespace(offset=self.logs[tp.topic][end] if tp.partition == 0 else 0))
            for tp in wanted
        }

    def list_consumer_groups(self):
        self.requests.append(("groups", None))
        return done(SimpleNamespace(valid=[SimpleNamespace(group_id=group) for group in self.committed]))

    def list_consumer_group_offsets(self, request):
        (group,) = request
        self.requests.append(("group offsets", group.group_id))
        partitions = [TopicPartition(topic, 0, 7) for topic in self.committed[group.group_id]]
        return {group.group_id: done(SimpleNamespace(topic_partitions=partitions))}


def test_records_and_committed_offsets_of_many_topics_are_read_in_a_few_requests():
    admin = LogAdmin({"full": (2, 7), "read": (5, 5), "empty": (0, 0)}, committed={"g1": ["other"], "g2": ["read"]})
    assert holding_data(admin, ["full", "read", "empty", "missing"]) == {
        "full": "holds 5 records",
        "read": "has offsets committed by consumer group g2",
    }
    assert admin.requests == [
        ("metadata", None),
        ("offsets", 6),
        ("offsets", 6),
        ("groups", None),
        ("group offsets", "g1"),
        ("group offsets", "g2"),
    ]


def test_a_topic_deleted_by_someone_else_meanwhile_holds_nothing():
    # Listed, then gone before its offsets are read (None: the cluster answers UNKNOWN_TOPIC_OR_PART).
    admin = LogAdmin({"full": (0, 3), "deleted": None})
    assert holding_data(admin, ["full", "deleted"]) == {"full": "holds 3 records"}


def test_groups_are_not_asked_when_every_topic_already_holds_records():
    admin = LogAdmin({"full": (0, 3)}, committed={"g": ["full"]})
    assert holds_data(admin, "full") == "holds 3 records"
    assert admin.requests == [("metadata", "full"), ("offsets", 2), ("offsets", 2)]


def test_no_topic_to_ask_about_sends_nothing():
    admin = LogAdmin({})
    assert holding_data(admin, []) == {} and holding_data(admin, ["gone"]) == {}
    assert admin.requests == [("metadata", "gone")]


class ConfigAdmin:
    """Topics with one config key each; records the size of every DescribeConfigs request."""

    def __init__(self, names, deleted_meanwhile=()):
        self.names = names
        self.deleted_meanwhile = set(deleted_meanwhile)
        self.described = []

    def list_topics(self, topic=None, timeout=None):
        names = [topic] if topic else self.names
        partition = SimpleNamespace(replicas=[0, 1, 2])
        return SimpleNamespace(topics={n: SimpleNamespace(error=None, partitions={0: partition}) for n in names})

    def describe_configs(self, resources):
        self.described.append(len(resources))
        entry = SimpleNamespace(value="snappy")
        return {
            resource: settled(KafkaError.UNKNOWN_TOPIC_OR_PART)
            if resource.name in self.deleted_meanwhile
            else done({"compression.type": entry})
            for resource in resources
        }


def test_thousands_of_topics_are_described_in_bounded_requests_one_after_the_other(monkeypatch):
    monkeypatch.setattr(topic_snapshot, "DESCRIBE_PER_REQUEST", 2)
    admin = ConfigAdmin(["a", "b", "c", "d", "e", "__consumer_offsets"])
    topics = topic_snapshot.TopicSnapshots().get(admin)
    assert admin.described == [2, 2, 1]
    assert sorted(topics) == ["a", "b", "c", "d", "e"]
    assert topics["e"] == topic_snapshot.ActualTopic(1, 3, {"compression.type": "snappy"})


def test_a_topic_deleted_between_the_listing_and_its_configs_read_is_left_out():
    # Someone else's deletion running beside a refresh or a `destroy` fails neither.
    admin = ConfigAdmin(["kept", "deleted"], deleted_meanwhile=["deleted"])
    topics = topic_snapshot.TopicSnapshots().get(admin)
    assert sorted(topics) == ["kept"]


def test_any_other_error_reading_configs_still_fails_naming_the_topic():
    class Refusing(ConfigAdmin):
        def describe_configs(self, resources):
            return {resource: settled(KafkaError.TOPIC_AUTHORIZATION_FAILED) for resource in resources}

    with pytest.raises(AdminError, match=r"describe configs of topic .*secret.*: refused"):
        topic_snapshot.TopicSnapshots().get(Refusing(["secret"]))
