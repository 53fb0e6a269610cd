"""At the start of a run of a KRaft stack that runs, what the cluster reports is checked against kafkaVersion and
kafkaMetadataVersion; a ZooKeeper stack or one not running asks nothing."""

from __future__ import annotations

import dataclasses

import pytest

from components.clients import kafka_features
from components.rules.kafka_release import parse
from components.rules.kafka_upgrade import RunningCluster
from components.rules.stack_settings import SettingsError
from infra import kafka_release_check
from infra.kafka_release_check import node_containers, read_running_release
from tests.unit.harness import settings_for

PREFIX = "caracal-dev"
RUNNING = [f"{PREFIX}-kafka-1", f"{PREFIX}-controller-3001", f"{PREFIX}-kafka-0", f"{PREFIX}-schema-registry"]


@dataclasses.dataclass(frozen=True)
class KraftSettings:
    """The settings of a KRaft stack (metadataQuorum comes with KRaft stacks)."""

    kafka_version: str
    kafka_metadata_version: str = ""
    metadata_quorum: str = "kraft"
    stack: str = "dev"
    prefix: str = PREFIX


def test_node_containers_are_the_brokers_and_controllers_of_this_stack_only():
    names = [*RUNNING, "caracal-dev2-kafka-0", f"{PREFIX}-kafka-0-filler", f"{PREFIX}-zookeeper-0"]
    nodes, brokers = node_containers(PREFIX, names)
    assert nodes == [f"{PREFIX}-controller-3001", f"{PREFIX}-kafka-0", f"{PREFIX}-kafka-1"]
    assert brokers == [f"{PREFIX}-kafka-0", f"{PREFIX}-kafka-1"]


@pytest.fixture
def cluster(monkeypatch):
    asked: list[object] = []
    state = {"finalized": "4.4-IV2"}

    def running_cluster(nodes, place):
        asked.append(place)
        return RunningCluster({node: parse("4.4.0") for node in nodes}, state["finalized"])

    monkeypatch.setattr(kafka_release_check, "running_containers", lambda prefix: dict.fromkeys(RUNNING, True))
    monkeypatch.setattr(kafka_features, "running_cluster", running_cluster)
    return asked, state


def test_a_zookeeper_stack_asks_the_cluster_nothing(cluster):
    asked, _ = cluster
    assert read_running_release(settings_for("dev")) is None
    assert asked == []


def test_a_downgrade_after_the_raise_is_refused_naming_the_key_and_the_reason(cluster):
    asked, _ = cluster
    with pytest.raises(SettingsError) as error:
        read_running_release(KraftSettings("3.9.1"))
    assert error.value.problems == [
        "caracal-kafka:kafkaVersion = '3.9.1': not allowed; allowed: 4.4.0: the cluster's metadata.version was raised "
        "to 4.4-IV2, which Kafka 3.9.1 cannot read, and Kafka never lowers a metadata version: this cluster cannot go "
        "back below Kafka 4.4"
    ]
    # Asked in the first broker, which runs the tool with its own image.
    assert [str(place) for place in asked] == [f"broker container {PREFIX}-kafka-0"]


def test_a_release_the_cluster_can_run_passes_with_what_the_cluster_reports(cluster):
    _, state = cluster
    state["finalized"] = "3.9-IV0"
    running = read_running_release(KraftSettings("3.9.1"))
    assert running is not None and running.finalized_metadata_version == "3.9-IV0"


def test_a_stack_without_running_brokers_asks_nothing(cluster, monkeypatch):
    asked, _ = cluster
    monkeypatch.setattr(kafka_release_check, "running_containers", lambda prefix: {f"{PREFIX}-schema-registry": True})
    assert read_running_release(KraftSettings("4.4.0")) is None
    assert asked == []
