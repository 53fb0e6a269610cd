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
from infra.kafka_release_check import check_image_release, node_containers, read_running_release
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


@pytest.fixture
def image_versions(monkeypatch):
    asked: list[str] = []
    versions = {"registry.local/kafka:3.9.1-patched": (3, 9, 2), "registry.local/kafka:4": (4, 4, 0)}

    def kafka_version(place):
        asked.append(place.image)
        if place.image not in versions:
            raise kafka_release_check.ToolError(f"image {place.image} is not there to run a Kafka tool in")
        return versions[place.image]

    monkeypatch.setattr(kafka_release_check.kafka_tools, "kafka_version", kafka_version)
    monkeypatch.setattr(kafka_release_check.pulumi.log, "warn", lambda message: asked.append(f"warned: {message}"))
    return asked


def test_the_image_of_the_release_is_not_inspected(image_versions):
    check_image_release(settings_for("dev"))
    assert image_versions == []


def test_a_named_image_of_the_same_release_line_passes(image_versions):
    check_image_release(settings_for("dev", kafkaImage="registry.local/kafka:3.9.1-patched"))
    assert image_versions == ["registry.local/kafka:3.9.1-patched"]


def test_a_named_image_of_another_release_is_refused_naming_both(image_versions):
    with pytest.raises(SettingsError) as error:
        check_image_release(settings_for("dev", kafkaImage="registry.local/kafka:4"))
    assert error.value.problems == [
        "caracal-kafka:kafkaImage = 'registry.local/kafka:4': not allowed; allowed: an image of Kafka 3.9.x "
        "(kafkaVersion = 3.9.1); it holds Kafka 4.4.0: set kafkaVersion to that release, or name an image of 3.9.1"
    ]


def test_a_named_image_not_there_yet_is_only_warned_about(image_versions):
    check_image_release(settings_for("dev", kafkaImage="registry.local/kafka:missing"))
    assert image_versions[-1].startswith("warned: cannot tell the Kafka release of kafkaImage")
