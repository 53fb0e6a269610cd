"""The JMX exporter's rules give the names operators know; the agent's config holds no secret in plain text."""

from __future__ import annotations

import hashlib
import re

import pytest
import yaml

from components.rules import metrics_agent
from components.rules.jmx_exporter_rules import KAFKA_RULES, RULES, ZOOKEEPER_RULES


def exported(rules: list[dict], sample: str) -> tuple[str, dict[str, str]] | None:
    """What the agent makes of one attribute: its rules' patterns are matched (first match wins) against
    `domain<keys><>attribute: value`, each wrapped as ^.*(?:pattern).*$, names and labels lower-cased."""
    for rule in rules:
        match = re.match(rf"^.*(?:{rule['pattern']}).*$", sample)
        if match:

            def fill(text: str, found: re.Match = match) -> str:
                return re.sub(r"\$(\d+)", lambda group: found.group(int(group[1])), text)

            labels = {fill(key).lower(): fill(value) for key, value in (rule.get("labels") or {}).items()}
            return re.sub(r"[^a-zA-Z0-9:_]", "_", fill(rule["name"])).lower(), labels
    return None


@pytest.mark.parametrize(
    ("sample", "name", "labels"),
    [
        (
            "kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value: 0",
            "kafka_server_replicamanager_underreplicatedpartitions",
            {},
        ),
        (
            "kafka.server<type=ReplicaManager, name=UnderMinIsrPartitionCount><>Value: 0",
            "kafka_server_replicamanager_underminisrpartitioncount",
            {},
        ),
        (
            "kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value: 1",
            "kafka_controller_kafkacontroller_activecontrollercount",
            {},
        ),
        (
            "kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value: 0",
            "kafka_controller_kafkacontroller_offlinepartitionscount",
            {},
        ),
        (
            "kafka.controller<type=KafkaController, name=ZkMigrationState><>Value: 4",
            "kafka_controller_kafkacontroller_zkmigrationstate",
            {},
        ),
        (
            "kafka.log<type=LogManager, name=OfflineLogDirectoryCount><>Value: 0",
            "kafka_log_logmanager_offlinelogdirectorycount",
            {},
        ),
        (
            "kafka.server<type=ReplicaManager, name=IsrShrinksPerSec><>Count: 3",
            "kafka_server_replicamanager_isrshrinks_total",
            {},
        ),
        (
            "kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec, topic=orders><>Count: 7",
            "kafka_server_brokertopicmetrics_messagesin_total",
            {"topic": "orders"},
        ),
        (
            "kafka.network<type=RequestMetrics, name=RequestsPerSec, request=Produce, version=9><>Count: 5",
            "kafka_network_requestmetrics_requests_total",
            {"request": "Produce", "version": "9"},
        ),
        (
            "kafka.network<type=RequestMetrics, name=TotalTimeMs, request=Produce><>99thPercentile: 3.0",
            "kafka_network_requestmetrics_totaltimems",
            {"request": "Produce", "quantile": "0.99"},
        ),
        (
            "kafka.log<type=Log, name=Size, topic=orders, partition=2><>Value: 1024",
            "kafka_log_log_size",
            {"topic": "orders", "partition": "2"},
        ),
        (
            "kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>MeanRate: 0.9",
            "kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent",
            {},
        ),
        (
            "kafka.server<type=raft-metrics><>current-state: leader",
            "kafka_server_raftmetrics_current_state",
            {"state": "leader"},
        ),
        ("kafka.server<type=raft-metrics><>high-watermark: 42.0", "kafka_server_raftmetrics_high_watermark", {}),
        (
            "kafka.controller<type=QuorumController, name=ActiveBrokerCount><>Value: 3",
            "kafka_controller_quorumcontroller_activebrokercount",
            {},
        ),
    ],
)
def test_kafka_mbeans_become_the_names_dashboards_and_alerts_use(sample, name, labels):
    assert exported(KAFKA_RULES, sample) == (name, labels)


@pytest.mark.parametrize(
    ("sample", "name", "labels"),
    [
        ("org.apache.ZooKeeperService<name0=ReplicatedServer_id2><>QuorumSize: 3", "zookeeper_quorumsize", {}),
        (
            "org.apache.ZooKeeperService<name0=ReplicatedServer_id2, name1=replica.2, name2=Follower><>"
            "AvgRequestLatency: 1",
            "zookeeper_avgrequestlatency",
            {"replicaid": "2", "membertype": "Follower"},
        ),
        (
            "org.apache.ZooKeeperService<name0=ReplicatedServer_id1, name1=replica.1, name2=Leader,"
            " name3=InMemoryDataTree><>NodeCount: 40",
            "zookeeper_inmemorydatatree_nodecount",
            {"replicaid": "1", "membertype": "Leader"},
        ),
        (
            "org.apache.ZooKeeperService<name0=StandaloneServer_port2182><>NumAliveConnections: 2",
            "zookeeper_numaliveconnections",
            {},
        ),
    ],
)
def test_zookeeper_mbeans_become_zookeeper_series(sample, name, labels):
    assert exported(ZOOKEEPER_RULES, sample) == (name, labels)


def test_every_node_kind_has_rules_and_controllers_share_the_brokers():
    assert set(RULES) == {"kafka", "controller", "zookeeper"}
    assert RULES["controller"] is KAFKA_RULES


def test_the_hash_is_the_agents_digest_of_salt_and_password_as_a_hex_number():
    for password in ("a", "b", "c", "d", "e", "f", "g", "h"):
        salt = metrics_agent.salt_of(password)
        digest = hashlib.sha512(f"{salt}:{password}".encode()).hexdigest()
        # Java's BigInteger.toString(16): no leading zeros.
        assert metrics_agent.password_hash(password, salt) == digest.lstrip("0")


def test_the_hash_drops_a_leading_zero_as_the_agent_does():
    password = next(f"p{n}" for n in range(1000) if hashlib.sha512(f"s:p{n}".encode()).hexdigest().startswith("0"))
    assert not metrics_agent.password_hash(password, "s").startswith("0")
    assert len(metrics_agent.password_hash(password, "s")) < 128


def test_the_agent_config_holds_the_hash_not_the_password_and_a_placeholder_for_the_keystore():
    text = metrics_agent.agent_config("kafka", "Sup3rSecretPassw0rd")
    assert "Sup3rSecretPassw0rd" not in text
    config = yaml.safe_load(text)
    basic = config["httpServer"]["authentication"]["basic"]
    assert basic["username"] == "prometheus" and basic["algorithm"] == "SHA-512"
    assert basic["passwordHash"] == metrics_agent.password_hash("Sup3rSecretPassw0rd", basic["salt"])
    assert config["httpServer"]["ssl"]["keyStore"] == {
        "filename": metrics_agent.KEYSTORE,
        "password": metrics_agent.PASSWORD_PLACEHOLDER,
    }
    assert config["rules"] == KAFKA_RULES
    # Only the beans the rules read are visited: the request metrics of 9 request types, not of ~65.
    assert "kafka.network:type=RequestMetrics,request=Produce,*" in config["includeObjectNames"]
    assert not any("DescribeAcls" in name for name in config["includeObjectNames"])
    # Same password, same file: a preview sees no change.
    assert metrics_agent.agent_config("kafka", "Sup3rSecretPassw0rd") == text


def test_the_start_lines_make_the_keystore_in_the_tmpfs_and_pass_no_password_on_a_command_line():
    script = metrics_agent.prepare_script("/etc/kafka", "/etc/kafka/secrets/keystore.pem")
    assert "umask 077" in script
    assert "-passout file:/tmp/metrics/keystore.password" in script
    assert "-in /etc/kafka/secrets/keystore.pem" in script
    assert script.rstrip().endswith("rm -f /tmp/metrics/keystore.password")
    assert metrics_agent.java_flag() == (
        "-javaagent:/opt/kafka/agent/jmx_prometheus_javaagent.jar=9404:/tmp/metrics/exporter.yaml"
    )
