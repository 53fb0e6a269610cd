"""Kafka's tools: the main class for the version of the image, the version read from its jars, the java command
line, and what an error may show."""

from __future__ import annotations

import pytest

from components.rules.kafka_tools import (
    CONFIGS,
    LOG_DIRS,
    METADATA_QUORUM,
    REASSIGN_PARTITIONS,
    STORAGE,
    java_command,
    masked,
    split_log,
    standing_in,
    version_from_libs,
)


@pytest.mark.parametrize(
    ("tool", "version", "main_class"),
    [
        (CONFIGS, (3, 9, 1), "kafka.admin.ConfigCommand"),
        (CONFIGS, (4, 0, 0), "kafka.admin.ConfigCommand"),
        (CONFIGS, (4, 3, 2), "kafka.admin.ConfigCommand"),
        (CONFIGS, (4, 4, 0), "org.apache.kafka.tools.ConfigCommand"),
        (CONFIGS, (5, 0, 0), "org.apache.kafka.tools.ConfigCommand"),
        (METADATA_QUORUM, (3, 9, 1), "org.apache.kafka.tools.MetadataQuorumCommand"),
        (METADATA_QUORUM, (4, 4, 0), "org.apache.kafka.tools.MetadataQuorumCommand"),
        (STORAGE, (3, 9, 1), "kafka.tools.StorageTool"),
        (STORAGE, (4, 1, 1), "kafka.tools.StorageTool"),
        (REASSIGN_PARTITIONS, (3, 9, 0), "org.apache.kafka.tools.reassign.ReassignPartitionsCommand"),
        (REASSIGN_PARTITIONS, (4, 2, 0), "org.apache.kafka.tools.reassign.ReassignPartitionsCommand"),
        (LOG_DIRS, (3, 9, 1), "org.apache.kafka.tools.LogDirsCommand"),
        (LOG_DIRS, (4, 4, 0), "org.apache.kafka.tools.LogDirsCommand"),
    ],
)
def test_each_tool_runs_the_main_class_its_kafka_version_has(tool, version, main_class):
    assert tool.main_class(version) == main_class


def test_a_kafka_older_than_the_table_is_refused_with_the_oldest_allowed():
    with pytest.raises(ValueError, match=r"kafka-configs: Kafka 3\.8\.1 is not supported; allowed: 3\.9\.0 or newer"):
        CONFIGS.main_class((3, 8, 1))


@pytest.mark.parametrize(
    ("names", "version"),
    [
        (["kafka_2.13-3.9.1.jar", "kafka-clients-3.9.1.jar", "zookeeper-3.8.4.jar"], (3, 9, 1)),
        (["kafka-clients-4.4.0.jar", "kafka-tools-4.4.0.jar", "log4j-core-2.24.3.jar"], (4, 4, 0)),
        (["kafka-clients-10.12.3.jar"], (10, 12, 3)),
    ],
)
def test_the_version_is_that_of_the_kafka_clients_jar_on_the_class_path(names, version):
    assert version_from_libs(names) == version


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["reload4j-1.2.25.jar", "kafka-clients-3.9.1-test.jar"], "no kafka-clients jar"),
        (["kafka-clients-3.9.1.jar", "kafka-clients-4.0.0.jar"], "kafka-clients of 2 versions"),
    ],
)
def test_a_class_path_with_no_single_kafka_version_is_refused(names, message):
    with pytest.raises(ValueError, match=message):
        version_from_libs(names)


def test_a_connecting_tool_gets_its_bootstrap_servers_and_client_config_before_its_own_arguments():
    command = java_command(
        CONFIGS, (3, 9, 1), ["--describe"], bootstrap_servers="kafka-0:9092", command_config="/run/c.properties"
    )
    assert command == [
        "java", "-Xmx128m", "-Dlog4j.configuration=file:/opt/kafka/config/log4j.properties", "-cp",
        "/opt/kafka/libs/*", "kafka.admin.ConfigCommand",
        "--bootstrap-server", "kafka-0:9092", "--command-config", "/run/c.properties", "--describe",
    ]  # fmt: skip


def test_kafka_4_tools_log_through_log4j2_and_the_storage_tool_connects_nowhere():
    command = java_command(STORAGE, (4, 1, 1), ["random-uuid"])
    assert command[2] == "-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml"
    assert command[-2:] == ["kafka.tools.StorageTool", "random-uuid"]
    assert "--bootstrap-server" not in command


def test_a_connecting_tool_without_a_login_is_refused():
    with pytest.raises(ValueError, match="kafka-log-dirs connects to the cluster: it needs bootstrap servers"):
        java_command(LOG_DIRS, (3, 9, 1), ["--describe"])


@pytest.mark.parametrize(
    ("text", "secrets", "shown"),
    [
        ("Login failed for the-admin-password", ["the-admin-password"], "Login failed for ******"),
        ('jaas: username="admin" password="s3cr3t";', [], 'jaas: username="admin" password="******";'),
        ("ssl.key.password=abc ssl.keystore.key=MIIE", [], "ssl.key.password=****** ssl.keystore.key=******"),
        ("sasl.client.callback.handler.secret: x1", [], "sasl.client.callback.handler.secret: ******"),
        (
            "TimeoutException: Call(callName=describeConfigs)",
            ["", "pw"],
            "TimeoutException: Call(callName=describeConfigs)",
        ),
        ("ab-abc", ["ab", "ab-abc"], "******"),
    ],
)
def test_errors_show_no_secret(text, secrets, shown):
    assert masked(text, secrets) == shown


RECORD = "[2026-12-06 11:15:34,570] INFO Metrics reporters closed (org.apache.kafka.common.metrics.Metrics)\n"
FAILURE = "[2026-12-06 11:15:35,001] WARN Connection to node -1 failed (org.apache.kafka.clients.NetworkClient)\n"
TRACE = "java.io.IOException: refused\n\tat sun.nio.ch.Net.connect(Net.java:1)\nCaused by: x\n\t... 3 more\n"


@pytest.mark.parametrize(
    ("stdout", "output", "log"),
    [
        ("Quota configs for user-principal 'p' are \n", "Quota configs for user-principal 'p' are \n", ""),
        (f'{RECORD}Querying brokers\n{{"brokers":[]}}\n{RECORD}', 'Querying brokers\n{"brokers":[]}\n', RECORD * 2),
        (f"{FAILURE}{TRACE}done\n", "done\n", FAILURE + TRACE.split("\n", 1)[0] + "\n" + TRACE.split("\n", 1)[1]),
        (f"[not a record] INFO x\n{RECORD}", "[not a record] INFO x\n", RECORD),
        ("", "", ""),
    ],
)
def test_log_records_on_stdout_are_told_from_the_tools_own_output(stdout, output, log):
    assert split_log(stdout) == (output, log)


@pytest.mark.parametrize(
    ("container", "running", "expected"),
    [
        # The lowest-numbered running broker of the same stack stands in.
        ("caracal-prod-kafka-0", ["caracal-prod-kafka-2", "caracal-prod-kafka-1"], "caracal-prod-kafka-1"),
        ("caracal-prod-kafka-1", ["caracal-prod-kafka-0", "caracal-prod-kafka-2"], "caracal-prod-kafka-0"),
        ("caracal-prod-kafka-0", ["caracal-prod-kafka-10", "caracal-prod-kafka-9"], "caracal-prod-kafka-9"),
        # Never another stack's broker (a stack whose name extends this one's included), nor a non-broker.
        ("caracal-prod-kafka-0", ["caracal-prod2-kafka-1", "caracal-prod-controller-0"], None),
        ("caracal-e2e-prod-kafka-0", ["caracal-prod-kafka-1"], None),
        ("caracal-prod-kafka-0", [], None),
        # Not a broker container: nothing stands in for it.
        ("caracal-prod-controller-0", ["caracal-prod-controller-1"], None),
        ("caracal-prod-zookeeper-0", ["caracal-prod-kafka-0"], None),
    ],
)
def test_a_running_broker_of_the_same_stack_stands_in_for_one_that_does_not_run(container, running, expected):
    assert standing_in(container, running) == expected
