"""Quotas through kafka-configs: in the stack's broker as admin with the file there, or for an external cluster in
a throw-away container of the local image with the admin's login on stdin only."""

from __future__ import annotations

import pytest

from components.clients import kafka_tools
from components.clients.client_properties import parse_properties
from components.clients.kafka_tools import InBroker, InToolContainer
from components.providers import user_quota
from components.rules.kafka_tools import CONFIGS
from components.rules.quota import diff_quota
from tests.unit.clients.test_kafka_tools import CONNECTION

QUOTA = {"user": "ext-producer", "container": "", "connection": CONNECTION, "image": "caracal/kafka:3.9.1"}
OWN = {"user": "producer", "container": "caracal-dev-kafka-0", "producer_byte_rate": 1048576}


@pytest.fixture
def ran(monkeypatch) -> list[tuple]:
    calls: list[tuple] = []

    def run(tool, args, place, client=None):
        calls.append((tool, list(args), place, client))
        return kafka_tools.ToolResult(0, "Quota configs for user-principal 'x' are producer_byte_rate=2048.0\n", "")

    monkeypatch.setattr(kafka_tools, "run", run)
    return calls


def test_an_external_clusters_quotas_are_set_from_the_local_image_as_its_admin(ran):
    user_quota.config_command(QUOTA, "--alter", "--add-config", "producer_byte_rate=1048576")
    ((tool, args, place, client),) = ran
    assert tool is CONFIGS and place == InToolContainer("caracal/kafka:3.9.1")
    assert args == ["--entity-type", "users", "--entity-name", "ext-producer", "--alter", "--add-config",
                    "producer_byte_rate=1048576"]  # fmt: skip
    assert client.bootstrap_servers == "b-1.example.com:9096"
    assert 'password="the-admin-password"' in parse_properties(client.properties)["sasl.jaas.config"]


def test_the_stacks_own_quotas_are_set_in_its_broker_with_no_login_passed(ran):
    assert user_quota.config_command(OWN, "--describe").startswith("Quota configs")
    ((_, args, place, client),) = ran
    assert place == InBroker("caracal-dev-kafka-0") and client is None
    assert args[-3:] == ["--entity-name", "producer", "--describe"]


def test_a_change_sets_new_rates_and_deletes_dropped_ones_in_two_calls(ran):
    user_quota._apply({"consumer_byte_rate": 4096}, {**OWN, "consumer_byte_rate": None})
    assert [args[-2:] for _, args, _, _ in ran] == [
        ["--add-config", "producer_byte_rate=1048576"],
        ["--delete-config", "consumer_byte_rate"],
    ]


def test_a_quota_recorded_before_external_clusters_shows_no_change_and_a_new_login_is_an_update():
    recorded = {"user": "producer", "container": "caracal-dev-kafka-0", "producer_byte_rate": 1048576}
    today = {**recorded, "consumer_byte_rate": None, "connection": None, "image": ""}
    assert diff_quota(recorded, today) == (False, [])
    rotated = {**CONNECTION, "password": "a-new-admin-password"}
    assert diff_quota(
        {**QUOTA, "producer_byte_rate": 1048576}, {**QUOTA, "producer_byte_rate": 1048576, "connection": rotated}
    ) == (True, [])
