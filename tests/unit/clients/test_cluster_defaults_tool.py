"""The cluster-wide defaults go to Kafka's default broker resource through kafka-configs in a broker container,
as admin with the file that stays in the container."""

from __future__ import annotations

from components.clients import cluster_health, kafka_tools
from components.clients.kafka_tools import InBroker
from components.rules.kafka_tools import CONFIGS


def test_cluster_defaults_are_set_on_the_default_broker_resource_inside_a_broker(monkeypatch):
    ran: list[tuple] = []
    monkeypatch.setattr(kafka_tools, "run", lambda tool, args, place, client=None: ran.append((tool, args, place)))
    cluster_health.set_cluster_defaults("caracal-prod-kafka-0", {"log.retention.ms": "86400000"}, ["x.y"])
    (tool, set_args, place), (_, delete_args, _) = ran
    assert tool is CONFIGS and place == InBroker("caracal-prod-kafka-0")
    assert set_args == [
        "--entity-type", "brokers", "--entity-default", "--alter", "--add-config", "log.retention.ms=86400000",
    ]  # fmt: skip
    assert delete_args[-2:] == ["--delete-config", "x.y"]


def test_nothing_to_change_runs_nothing(monkeypatch):
    ran: list[tuple] = []
    monkeypatch.setattr(kafka_tools, "run", lambda *args, **kwargs: ran.append(args))
    cluster_health.set_cluster_defaults("caracal-prod-kafka-0", {}, [])
    assert ran == []
