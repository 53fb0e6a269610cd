"""User quotas: what a declaration may say, what a change does, how the broker's answer is read."""

from __future__ import annotations

import pytest

from components.rules.quota import check_quota, parse_described, quota_changes, quota_entity

QUOTA = {
    "user": "producer",
    "container": "caracal-dev-kafka-0",
    "zookeeper_nodes": 1.0,
    "producer_byte_rate": 1048576.0,
    "consumer_byte_rate": None,
}


@pytest.mark.parametrize(
    ("changes", "failing"),
    [
        ({"producer_byte_rate": 10}, ["producer_byte_rate"]),
        ({"consumer_byte_rate": "fast"}, ["consumer_byte_rate"]),
        ({"producer_byte_rate": 1.5}, ["producer_byte_rate"]),
        ({}, []),
    ],
)
def test_rates_are_whole_bytes_per_second_of_at_least_1024(changes, failing):
    inputs, failures = check_quota({**QUOTA, **changes})
    assert [failure.property for failure in failures] == failing
    if not failing:
        assert inputs["producer_byte_rate"] == 1048576


@pytest.mark.parametrize(
    ("olds", "news", "to_set", "to_delete"),
    [
        ({}, {"producer_byte_rate": 2048}, {"producer_byte_rate": 2048}, []),
        ({"producer_byte_rate": 2048}, {"producer_byte_rate": 2048}, {}, []),
        ({"producer_byte_rate": 2048}, {"producer_byte_rate": 4096}, {"producer_byte_rate": 4096}, []),
        ({"producer_byte_rate": 2048}, {"producer_byte_rate": None}, {}, ["producer_byte_rate"]),
        (
            {"consumer_byte_rate": 2048},
            {"producer_byte_rate": 1024},
            {"producer_byte_rate": 1024},
            ["consumer_byte_rate"],
        ),
    ],
)
def test_a_change_sets_new_rates_and_removes_dropped_ones(olds, news, to_set, to_delete):
    assert quota_changes(olds, news) == (to_set, to_delete)


def test_the_brokers_description_is_read_back_as_whole_numbers():
    text = "Quota configs for user-principal 'producer' are consumer_byte_rate=2048.0, producer_byte_rate=1048576.0\n"
    assert parse_described(text) == {"consumer_byte_rate": 2048, "producer_byte_rate": 1048576}
    assert parse_described("Quota configs for user-principal 'producer' are \n") == {}


def test_a_users_quotas_are_named_as_kafka_configs_names_them():
    assert quota_entity("producer") == ("--entity-type", "users", "--entity-name", "producer")
