"""ConfigCommand in the stack's broker container: the cluster-wide defaults go to Kafka's default broker resource,
as admin with the file that stays in the container."""

from __future__ import annotations

from components.clients import cluster_health
from components.clients import config_command as tool


def test_cluster_defaults_are_set_on_the_default_broker_resource_inside_a_broker(monkeypatch):
    ran: list[tool.Invocation] = []
    monkeypatch.setattr(tool, "run", lambda invocation: ran.append(invocation) or "")
    cluster_health.set_cluster_defaults("caracal-prod-kafka-0", {"log.retention.ms": "86400000"}, ["x.y"])
    (set_args, set_stdin), (delete_args, _) = ran
    assert set_stdin is None and set_args[:3] == ["docker", "exec", "caracal-prod-kafka-0"]
    assert set_args[set_args.index("--command-config") + 1] == "/etc/kafka/secrets/admin-client.properties"
    assert set_args[-6:] == [
        "--entity-type",
        "brokers",
        "--entity-default",
        "--alter",
        "--add-config",
        "log.retention.ms=86400000",
    ]
    assert delete_args[-2:] == ["--delete-config", "x.y"]


def test_nothing_to_change_runs_nothing(monkeypatch):
    ran: list[tool.Invocation] = []
    monkeypatch.setattr(tool, "run", ran.append)
    cluster_health.set_cluster_defaults("caracal-prod-kafka-0", {}, [])
    assert ran == []
