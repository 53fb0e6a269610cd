"""The Kafka 4.x image runs a secured KRaft node (mutual TLS between its roles, SCRAM for clients, the
StandardAuthorizer), logs through log4j2, and Kafka's tools run against it under their 4.x class names through the
tool runner, in a throw-away container of the image or in the node's own container. Its metadata version is
raised as a step of its own, after which a downgrade to 3.9.1 is refused."""

from __future__ import annotations

import re

import pytest

from components.clients import kafka_features, kafka_tools
from components.rules import kafka_release, kafka_upgrade
from components.rules.kafka_tools import CONFIGS, METADATA_QUORUM
from tests.e2e.conftest import record
from tests.e2e.kafka4.node import HOST, KraftNode, docker

RELEASE = kafka_release.parse(kafka_release.RELEASES[-1])
# Formatted at 3.9's metadata version, as a cluster rolled from 3.9.1 to 4.x is before the separate raise.
START_METADATA = "3.9-IV0"


@pytest.fixture(scope="module")
def node():
    started = KraftNode(RELEASE.image, RELEASE, START_METADATA)
    try:
        record(f"Kafka {RELEASE} KRaft node started", started.up())
        yield started
    finally:
        started.down()


def test_the_node_runs_kafka_4_on_java_17_and_logs_through_log4j2(node):
    assert docker("inspect", "--format", "{{.Config.Image}}", node.name).strip() == "caracal/kafka:4.4.0"
    assert 'version "17.' in docker("exec", node.name, "sh", "-c", "java -version 2>&1")
    logs = node.logs()
    assert re.search(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO .*\(kafka\.", logs, re.MULTILINE)
    assert "log4j:WARN" not in logs and "StatusLogger" not in logs
    assert "Kafka version: 4.4.0" in logs
    assert node.password not in logs
    assert node.password not in docker("inspect", node.name)


def test_the_tools_run_under_their_4x_class_names_in_a_throw_away_container_of_the_image(node):
    place = node.tool_place
    assert kafka_tools.kafka_version(place) == RELEASE.version
    command, _ = kafka_tools.invocation(CONFIGS, RELEASE.version, ["--describe"], place, node.login)
    assert "org.apache.kafka.tools.ConfigCommand" in command[-1]
    # The admin's SCRAM credential came from `kafka-storage format --add-scram`; kafka-configs (4.4's own
    # class) lists it over the SCRAM listener.
    users = kafka_tools.run(
        CONFIGS, ["--describe", "--entity-type", "users", "--entity-name", "admin"], place, node.login
    )
    assert "SCRAM-SHA-512=iterations=" in users.stdout
    quorum = kafka_tools.run(METADATA_QUORUM, ["describe", "--status"], place, node.login)
    assert re.search(r"LeaderId:\s+1\b", quorum.stdout), quorum.stdout
    assert re.search(r"CurrentVoters:\s+\[.*\"id\":\s*1\b", quorum.stdout), quorum.stdout


def test_a_wrong_password_is_refused_and_not_shown(node):
    login = node.login
    wrong = kafka_tools.ClientConfig(
        login.bootstrap_servers, login.properties.replace(node.password, "not-the-password"), ("not-the-password",)
    )
    with pytest.raises(kafka_tools.ToolError) as error:
        kafka_tools.run(METADATA_QUORUM, ["describe", "--status"], node.tool_place, wrong)
    assert "not-the-password" not in str(error.value)
    assert "kafka-metadata-quorum (org.apache.kafka.tools.MetadataQuorumCommand)" in str(error.value)


def test_in_the_node_the_runner_uses_the_image_of_that_node(node):
    place = kafka_tools.InBroker(node.name, bootstrap_servers=f"{HOST}:9092")
    assert kafka_tools.kafka_version(place) == RELEASE.version
    result = kafka_tools.run(METADATA_QUORUM, ["describe", "--replication"], place, node.login)
    assert re.search(r"^1\s", result.stdout, re.MULTILINE), result.stdout


def test_the_metadata_version_is_raised_as_a_step_of_its_own_and_then_blocks_a_downgrade(node):
    place, login = node.tool_place, node.login
    running = kafka_features.running_cluster([node.name], place, login)
    assert running.finalized_metadata_version == START_METADATA
    # Going back to 3.9.1 is still a roll: nothing refuses it.
    assert kafka_upgrade.running_refusals("3.9.1", "", running) == []
    level = kafka_upgrade.metadata_raise(RELEASE.newest_metadata_version, running)
    assert level == kafka_release.metadata_level("4.4-IV2")

    kafka_features.raise_metadata_version(place, level, login)

    raised = kafka_upgrade.RunningCluster(running.nodes, kafka_features.finalized_metadata_version(place, login))
    assert raised.finalized_metadata_version == "4.4-IV2"
    assert kafka_upgrade.metadata_raise("4.4-IV2", raised) is None
    (refusal,) = kafka_upgrade.running_refusals("3.9.1", "", raised)
    assert refusal.key == "kafkaVersion"
    assert "metadata.version was raised to 4.4-IV2, which Kafka 3.9.1 cannot read" in refusal.allowed
