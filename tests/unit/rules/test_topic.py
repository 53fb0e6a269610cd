"""The topic provider's check and diff, as tables."""

from __future__ import annotations

import pytest

from components.rules.topic import check_topic, diff_topic
from components.rules.topic_config import normalise_topic_config
from components.rules.values import UNKNOWN

CONNECTION = {"bootstrap_servers": "localhost:19093", "username": "admin", "password": "p" * 32, "ca_pem": "CA"}
OLD = {
    "name": "caracal.dlq",
    "partitions": 3,
    "replication_factor": 1,
    "config": {"retention.ms": "604800000", "compression.type": "snappy"},
    "allow_data_loss": False,
    "connection": CONNECTION,
}


def new(**changes):
    return {**OLD, **changes}


NORMALISE = [
    ("retention.ms", 604800000, "604800000"),
    ("retention.ms", "7d", "604800000"),
    ("retention.ms", "  168h ", "604800000"),
    ("retention.ms", -1, "-1"),
    ("retention.ms", 6.048e8, "604800000"),
    ("segment.bytes", "1GiB", "1073741824"),
    ("max.message.bytes", "1MB", "1000000"),
    ("compression.type", "SNAPPY", "snappy"),
    ("cleanup.policy", "delete,compact", "compact,delete"),
    ("cleanup.policy", ["delete"], "delete"),
    ("unclean.leader.election.enable", True, "true"),
    ("preallocate", "FALSE", "false"),
    ("min.cleanable.dirty.ratio", "0.5", "0.5"),
    ("message.timestamp.type", "logappendtime", "LogAppendTime"),
    ("min.insync.replicas", "2", "2"),
]


@pytest.mark.parametrize(("key", "value", "expected"), NORMALISE)
def test_config_values_take_kafkas_string_form_whatever_their_type_unit_or_case(key, value, expected):
    assert normalise_topic_config(key, value) == expected


CHECK_FAILURES = [
    (new(partitions=0), "partitions"),
    (new(partitions="many"), "partitions"),
    (new(partitions=True), "partitions"),
    (new(replication_factor=0), "replication_factor"),
    (new(name="has space"), "name"),
    (new(name=""), "name"),
    (new(config={"retention.ms": "soon"}), "config.retention.ms"),
    (new(config={"no.such.key": "1"}), "config.no.such.key"),
    (new(config=["retention.ms"]), "config"),
    (new(allow_data_loss="yes"), "allow_data_loss"),
]


@pytest.mark.parametrize(("inputs", "property_"), CHECK_FAILURES)
def test_check_refuses_invalid_topic_inputs_naming_the_property(inputs, property_):
    _, failures = check_topic(inputs)
    assert [failure.property for failure in failures] == [property_]
    assert "allowed" in failures[0].reason or "unknown" in failures[0].reason


def test_check_normalises_numbers_given_as_numbers_or_text_to_the_same_inputs():
    as_numbers, _ = check_topic(new(partitions=3.0, config={"retention.ms": 604800000, "compression.type": "SNAPPY"}))
    as_text, _ = check_topic(new(partitions="3", config={"retention.ms": "7d", "compression.type": "snappy"}))
    assert as_numbers == as_text
    assert as_text["partitions"] == 3


def test_check_lets_unknown_values_through_during_preview():
    inputs, failures = check_topic(new(connection=UNKNOWN, partitions=UNKNOWN, config={"retention.ms": UNKNOWN}))
    assert failures == []
    assert inputs["partitions"] == UNKNOWN


DIFFS = [
    # (new inputs, changes, replaces, refused, config_set, config_deleted)
    (new(), False, [], False, {}, []),
    (new(partitions=6), True, [], False, {}, []),
    (new(partitions=2), True, [], True, {}, []),
    # Another replication factor is a change made in place, by a reassignment.
    (new(replication_factor=3), True, [], False, {}, []),
    (new(name="caracal.dead-letters"), True, ["name"], False, {}, []),
    (new(config={**OLD["config"], "retention.ms": "86400000"}), True, [], False, {"retention.ms": "86400000"}, []),
    (new(config={"retention.ms": "604800000"}), True, [], False, {}, ["compression.type"]),
    (new(config={**OLD["config"], "cleanup.policy": "compact"}), True, [], False, {"cleanup.policy": "compact"}, []),
    (new(allow_data_loss=True), True, [], False, {}, []),
    (new(connection={**CONNECTION, "password": "q" * 32}), True, [], False, {}, []),
]


@pytest.mark.parametrize(("news", "changes", "replaces", "refused", "config_set", "config_deleted"), DIFFS)
def test_diff_says_what_changes_in_place_what_replaces_and_what_is_refused(
    news, changes, replaces, refused, config_set, config_deleted
):
    result = diff_topic(OLD, news)
    assert result.changes is changes
    assert result.replaces == replaces
    assert bool(result.refusals) is refused
    assert result.config_set == config_set
    assert result.config_deleted == config_deleted


def test_a_partition_decrease_is_refused_naming_the_topic_and_the_smallest_allowed_count():
    (message,) = diff_topic(OLD, new(partitions=1)).refusals
    assert "topic caracal.dlq" in message
    assert "from 3 down to 1" in message
    assert "partitions >= 3" in message


def test_broker_defaults_the_program_never_set_are_not_drift():
    # A refresh returns only the keys the program manages, so extra broker-side keys never appear in olds.
    refreshed = {**OLD, "config": dict(OLD["config"])}
    assert diff_topic(refreshed, new()).changes is False
