"""During a roll each node runs the image it was last started with: a tool run in a node uses the class names of
that node's Kafka, and the running cluster reports each node's release and the finalized metadata version."""

from __future__ import annotations

import subprocess

import pytest

from components.clients import kafka_features, kafka_tools
from components.clients.kafka_tools import InBroker
from components.rules.kafka_release import parse
from components.rules.kafka_tools import CONFIGS

# Mid-roll: kafka-0 already runs 4.4.0, kafka-1 still 3.9.1.
IMAGES = {"caracal-dev-kafka-0": "caracal/kafka:4.4.0", "caracal-dev-kafka-1": "caracal/kafka:3.9.1"}
LIBS = {"caracal/kafka:4.4.0": "kafka-clients-4.4.0.jar\n", "caracal/kafka:3.9.1": "kafka-clients-3.9.1.jar\n"}
DESCRIBE = (
    "Feature: metadata.version\tSupportedMinVersion: 3.0-IV1\tSupportedMaxVersion: 3.9-IV0\t"
    "FinalizedVersionLevel: 3.9-IV0\tEpoch: 4\n"
)


@pytest.fixture
def ran(monkeypatch) -> list[list[str]]:
    commands: list[list[str]] = []

    def docker(command: list[str], stdin: str | None, what: str) -> subprocess.CompletedProcess[str]:
        if "{{.State.Running}}" in command:
            return subprocess.CompletedProcess(command, 0, "true\n", "")
        if command[1] == "container":
            return subprocess.CompletedProcess(command, 0, f"sha256:{IMAGES[command[-1]]}\n", "")
        if "/bin/ls" in command:
            return subprocess.CompletedProcess(command, 0, LIBS[command[-2].removeprefix("sha256:")], "")
        commands.append(command)
        return subprocess.CompletedProcess(command, 0, DESCRIBE, "")

    monkeypatch.setattr(kafka_tools, "_docker", docker)
    kafka_tools._version_of_image.cache_clear()
    return commands


def test_a_tool_in_a_node_uses_the_classes_of_that_nodes_image(ran):
    kafka_tools.run(CONFIGS, ["--describe"], InBroker("caracal-dev-kafka-0"))
    kafka_tools.run(CONFIGS, ["--describe"], InBroker("caracal-dev-kafka-1"))
    assert "org.apache.kafka.tools.ConfigCommand" in ran[0]
    assert "kafka.admin.ConfigCommand" in ran[1]
    assert ran[0][:3] == ["docker", "exec", "caracal-dev-kafka-0"]


def test_the_running_cluster_gives_each_nodes_release_and_the_finalized_metadata_version(ran):
    running = kafka_features.running_cluster(list(IMAGES), InBroker("caracal-dev-kafka-1"))
    assert running.nodes == {"caracal-dev-kafka-0": parse("4.4.0"), "caracal-dev-kafka-1": parse("3.9.1")}
    assert running.finalized_metadata_version == "3.9-IV0"
    assert "org.apache.kafka.tools.FeatureCommand" in ran[0] and ran[0][-1] == "describe"


def test_the_raise_runs_kafka_features_upgrade_of_metadata_version_alone(ran):
    kafka_features.raise_metadata_version(InBroker("caracal-dev-kafka-0"), 33)
    assert ran[0][-3:] == ["upgrade", "--feature", "metadata.version=33"]
