"""The upgrade of a running KRaft node from Kafka 3.9.1 to 4.4.0, on the real thing: a secured node (mutual TLS
between its roles, SCRAM for clients, the StandardAuthorizer) formatted and started on 3.9.1, rolled onto the 4.4.0
image with its data, where it runs on Java 17 and logs through log4j2. Kafka's tools run through the tool runner
under the class names of the image they run in, before and after the roll. The metadata version is raised as a
step of its own, after which a downgrade to 3.9.1 is refused.

The tests run in file order on one node (a module fixture): the first sets a broker default on 3.9.1 and rolls."""

from __future__ import annotations

import re

import pytest

from components.clients import kafka_features, kafka_tools
from components.rules import kafka_release, kafka_upgrade
from components.rules.kafka_tools import CONFIGS, METADATA_QUORUM
from tests.e2e.conftest import record
from tests.e2e.kafka4.node import HOST, KraftNode, docker

OLD = kafka_release.parse(kafka_release.DEFAULT)
NEW = kafka_release.parse(kafka_release.RELEASES[-1])
DEFAULT_RETENTION = ["--entity-type", "brokers", "--entity-default"]


@pytest.fixture(scope="module")
def node():
    started = KraftNode(OLD.image, OLD, OLD.newest_metadata_version)
    try:
        record(f"Kafka {OLD} KRaft node started", started.up())
        yield started
    finally:
        started.down()


def test_a_3_9_node_rolled_onto_the_4_4_image_keeps_its_metadata_and_metadata_version(node):
    place, login = node.tool_place, node.login
    command, _ = kafka_tools.invocation(CONFIGS, OLD.version, ["--describe"], place, login)
    assert "kafka.admin.ConfigCommand" in command[-1]
    kafka_tools.run(CONFIGS, ["--alter", *DEFAULT_RETENTION, "--add-config", "log.retention.ms=3600000"], place, login)

    record(f"roll of the node from {OLD} to {NEW}", node.roll_to(NEW.image, NEW))

    assert docker("inspect", "--format", "{{.Config.Image}}", node.name).strip() == NEW.image
    assert 'version "17.' in docker("exec", node.name, "sh", "-c", "java -version 2>&1")
    logs = node.logs()
    assert "Kafka version: 4.4.0" in logs
    assert re.search(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO .*\(kafka\.", logs, re.MULTILINE)
    assert "log4j:WARN" not in logs and "StatusLogger" not in logs
    assert node.password not in logs and node.password not in docker("inspect", node.name)
    # What 3.9.1 wrote is read by 4.4.0's own ConfigCommand over the SCRAM listener.
    place = node.tool_place
    assert kafka_tools.kafka_version(place) == NEW.version
    command, _ = kafka_tools.invocation(CONFIGS, NEW.version, ["--describe"], place, login)
    assert "org.apache.kafka.tools.ConfigCommand" in command[-1]
    described = kafka_tools.run(CONFIGS, ["--describe", *DEFAULT_RETENTION], place, login)
    assert "log.retention.ms=3600000" in described.stdout, described.stdout
    running = kafka_features.running_cluster([node.name], place, login)
    assert running.finalized_metadata_version == "3.9-IV0"
    # Until the metadata version is raised, going back to 3.9.1 is a roll like this one.
    assert kafka_upgrade.running_refusals(str(OLD), "", running) == []


def test_the_4x_tools_log_in_with_scram_and_a_wrong_password_is_refused_and_not_shown(node):
    users = kafka_tools.run(
        CONFIGS, ["--describe", "--entity-type", "users", "--entity-name", "admin"], node.tool_place, node.login
    )
    assert "SCRAM-SHA-512=iterations=" in users.stdout
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
    assert kafka_tools.kafka_version(place) == NEW.version
    result = kafka_tools.run(METADATA_QUORUM, ["describe", "--status"], place, node.login)
    assert re.search(r"LeaderId:\s+1\b", result.stdout), result.stdout


def test_the_metadata_version_is_raised_as_a_step_of_its_own_and_then_blocks_a_downgrade(node):
    place, login = node.tool_place, node.login
    running = kafka_features.running_cluster([node.name], place, login)
    level = kafka_upgrade.metadata_raise(NEW.newest_metadata_version, running)
    assert level == kafka_release.metadata_level("4.4-IV2")

    kafka_features.raise_metadata_version(place, level, login)

    raised = kafka_upgrade.RunningCluster(running.nodes, kafka_features.finalized_metadata_version(place, login))
    assert raised.finalized_metadata_version == "4.4-IV2"
    assert kafka_upgrade.metadata_raise("4.4-IV2", raised) is None
    (refusal,) = kafka_upgrade.running_refusals(str(OLD), "", raised)
    assert refusal.key == "kafkaVersion"
    assert "metadata.version was raised to 4.4-IV2, which Kafka 3.9.1 cannot read" in refusal.allowed
