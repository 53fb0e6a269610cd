"""`caracal-kafka reassignments`: where the tool runs, what it prints, and --cancel."""

from __future__ import annotations

import pytest

from caracal_cli import reassignment_report
from caracal_cli.__main__ import main
from components.clients import reassignments
from components.clients.docker_cli import DockerUnavailable
from components.clients.kafka_tools import InBroker, InToolContainer
from components.rules.partition_assignment import PartitionReplicas

MOVING = [PartitionReplicas("caracal.dlq", 0, (0, 1, 2), adding=(2,))]


@pytest.fixture
def tools(monkeypatch):
    seen: list = []
    monkeypatch.setattr(reassignment_report, "docker", lambda *args: "[]")
    monkeypatch.setattr(reassignments, "listing", lambda access: seen.append(access) or MOVING)
    monkeypatch.setattr(reassignments, "cancel", lambda access: seen.append(access) or ["caracal.dlq-0: ..."])
    return seen


def test_a_stack_this_host_runs_is_asked_in_its_first_broker(tools, capsys):
    assert main(["reassignments", "--stack", "prod"]) == 0
    assert tools[0].place == InBroker("caracal-prod-kafka-0") and tools[0].client is None
    assert capsys.readouterr().out == (
        "1 partition(s) being reassigned:\n  caracal.dlq-0: replicas [0,1,2], adding [2]\n"
    )


def test_cancel_says_what_it_cancelled(tools, capsys):
    assert main(["reassignments", "--stack", "prod", "--cancel"]) == 0
    assert capsys.readouterr().out == "cancelled caracal.dlq-0: ...\n"


def test_an_external_cluster_is_asked_from_a_container_with_the_login_on_stdin(tools, monkeypatch, tmp_path):
    def absent(*args):
        raise DockerUnavailable("no such container")

    monkeypatch.setattr(reassignment_report, "docker", absent)
    config = tmp_path / "admin.properties"
    config.write_text("bootstrap.servers=b-1.example.com:9096\nsasl.jaas.config=secret\n")
    assert main(["reassignments", "--config-file", str(config), "--image", "kafka:4.4"]) == 0
    assert tools[0].place == InToolContainer("kafka:4.4")
    assert tools[0].client.bootstrap_servers == "b-1.example.com:9096"


def test_without_a_stack_or_a_login_it_says_what_to_give(monkeypatch, capsys):
    monkeypatch.setattr(reassignment_report, "docker", lambda *args: (_ for _ in ()).throw(DockerUnavailable("x")))
    assert main(["reassignments"]) == 2
    assert "give --stack NAME" in capsys.readouterr().err
