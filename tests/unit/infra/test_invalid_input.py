"""Bad input fails before any resource is registered, with a message naming the key, the value and what is
allowed. Every row is one invalid input."""

from __future__ import annotations

import copy

import pytest
import yaml

from components.rules.stack_settings import SettingsError
from infra import catalog
from infra.catalog import CatalogError, parse_catalog
from infra.settings import ROOT, load_settings
from tests.unit.harness import stack_config

SCHEMAS = ROOT / "schemas"
CATALOG = yaml.safe_load((ROOT / "stacks" / "catalog.yaml").read_text())

CONFIG_CASES = [
    ({"brokers": "0"}, "caracal-kafka:brokers = '0': not allowed; allowed: an integer from 1 to 9"),
    ({"brokers": "three"}, "caracal-kafka:brokers = 'three'"),
    ({"replicationFactor": "2"}, "caracal-kafka:replicationFactor = 2: not allowed; allowed: at most brokers (1)"),
    (
        {"minInsyncReplicas": "2"},
        "caracal-kafka:minInsyncReplicas = 2: not allowed; allowed: at most replicationFactor",
    ),
    ({"zookeeperNodes": "2"}, "caracal-kafka:zookeeperNodes = '2': not allowed; allowed: an odd integer from 1 to 7"),
    ({"zookeeperNodes": "0"}, "caracal-kafka:zookeeperNodes = '0'"),
    ({"retentionDays": "0"}, "caracal-kafka:retentionDays = '0': not allowed; allowed: an integer from 1 to 3650"),
    ({"retentionDays": "-3"}, "caracal-kafka:retentionDays = '-3'"),
    ({"retentionDays": "1.5"}, "caracal-kafka:retentionDays = '1.5'"),
    ({"protectData": "yes"}, "caracal-kafka:protectData = 'yes': not allowed; allowed: true or false"),
    (
        {"bootstrapPort": "80"},
        "caracal-kafka:bootstrapPort = '80': not allowed; allowed: an integer from 1024 to 65535",
    ),
    (
        {"registryPort": "19093"},
        "caracal-kafka:registryPort = 19093: not allowed; allowed: a port outside the brokers'",
    ),
    ({"brokerHeapMb": "2048"}, "caracal-kafka:brokerHeapMb = 2048: not allowed; allowed: less than brokerMemoryMb"),
    ({"scramIterations": "1000"}, "caracal-kafka:scramIterations = '1000': not allowed; allowed: an integer from 4096"),
    (
        {"kafkaImage": "caracal/kafka: 3.9.1"},
        "caracal-kafka:kafkaImage = 'caracal/kafka: 3.9.1': not allowed; allowed: empty (the image of kafkaVersion",
    ),
    (
        {"kafkaVersion": "4.0.0"},
        "caracal-kafka:kafkaVersion = '4.0.0': not allowed; allowed: 3.9.1 (the default, ZooKeeper or KRaft) or 4.4.0",
    ),
    (
        {"kafkaVersion": "4.4.0"},
        "caracal-kafka:kafkaVersion = '4.4.0': not allowed; allowed: 3.9.1 while metadataQuorum is zookeeper: "
        "ZooKeeper was removed in Kafka 4.0: migrate to KRaft first (metadataMigration), then set kafkaVersion",
    ),
    ({"kafkaMetadataVersion": "4.4"}, "caracal-kafka:kafkaMetadataVersion = '4.4': not allowed; allowed: empty, or"),
    (
        {"kafkaMetadataVersion": "3.9-IV0"},
        "caracal-kafka:kafkaMetadataVersion = '3.9-IV0': not allowed; allowed: empty while metadataQuorum is zookeeper",
    ),
    ({"certificateValidityDays": "3651"}, "caracal-kafka:certificateValidityDays"),
    ({"brokres": "3"}, "caracal-kafka:brokres: unknown key; allowed: alertWebhookUrl, allowBrokerRemoval, allowMin"),
    ({"catalog": "stacks/missing.yaml"}, "caracal-kafka:catalog (stacks/missing.yaml):"),
    (
        {"prometheusPort": "18081"},
        "caracal-kafka:prometheusPort = 18081: not allowed; allowed: a port outside the brokers' 19093-19093 and",
    ),
    ({"metrics": "on"}, "caracal-kafka:metrics = 'on': not allowed; allowed: true or false"),
    ({"metricsRetentionDays": "0"}, "caracal-kafka:metricsRetentionDays = '0': not allowed; allowed: an integer"),
    (
        {"metricsScrapeSeconds": "300"},
        "caracal-kafka:metricsScrapeSeconds = '300': not allowed; allowed: an integer from 10 to 120",
    ),
    (
        {"prometheusMemoryMb": "64"},
        "caracal-kafka:prometheusMemoryMb = '64': not allowed; allowed: an integer from 192",
    ),
    (
        {"alertWebhookUrl": "https://hooks.example/t"},
        "caracal-kafka:alertWebhookUrl: set in plaintext; allowed: a secret",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), CONFIG_CASES, ids=[str(case[0]) for case in CONFIG_CASES])
def test_invalid_stack_config_is_refused_with_the_key_and_what_is_allowed(overrides, message):
    raw = stack_config("dev") | {f"caracal-kafka:{key}": value for key, value in overrides.items()}
    with pytest.raises(SettingsError) as error:
        load_settings(raw, "dev")
    assert message in str(error.value)


def with_topic(**fields):
    document = copy.deepcopy(CATALOG)
    document["topics"][0].update(fields)
    return document


def with_acl(**fields):
    document = copy.deepcopy(CATALOG)
    document["acls"][0].update(fields)
    return document


def with_user(**fields):
    document = copy.deepcopy(CATALOG)
    document["users"][0].update(fields)
    return document


CATALOG_CASES = [
    (
        with_topic(partitions=0),
        "topics[caracal.metering.events].partitions: 0 is not allowed; allowed: an integer from 1",
    ),
    (with_topic(partitions=-1), "topics[caracal.metering.events].partitions: -1"),
    (with_topic(partitions="ten"), "topics[caracal.metering.events].partitions: 'ten'"),
    (with_topic(name="bad name!"), "topics[0].name: 'bad name!' is not allowed; allowed: 1-249 characters"),
    (with_topic(name=".."), "topics[0].name: '..' is not allowed"),
    (with_topic(name="x" * 250), "is not allowed; allowed: 1-249 characters"),
    (with_topic(name="caracal.dlq"), "topic (with '.' and '_' treated alike) 'caracal_dlq' is declared twice"),
    (with_topic(name="caracal_dlq"), "'caracal_dlq' is declared twice"),
    (with_topic(config={"retention.ms": "forever"}), "config.retention.ms: retention.ms: 'forever' is not a whole"),
    (with_topic(config={"compression.type": "brotli"}), "'brotli' is not one of uncompressed, zstd, lz4, snappy"),
    (with_topic(config={"cleanup.policy": "archive"}), "is not a list of compact, delete"),
    (with_topic(config={"retention.msec": 5}), "unknown topic config 'retention.msec'; allowed: cleanup.policy"),
    (with_topic(config={"min.insync.replicas": 0}), "min.insync.replicas: 0 is below the minimum 1"),
    (with_topic(config={"segment.bytes": "1KiB"}), "segment.bytes: 1024 is below the minimum 1048576"),
    (with_topic(config={"retention.ms": "7 weeks"}), "unknown unit 'weeks'"),
    (with_topic(config={"min.cleanable.dirty.ratio": 2}), "2.0 is outside 0..1"),
    (with_topic(config={"preallocate": "maybe"}), "'maybe' is not true or false"),
    (with_topic(replication_factor=0), "replication_factor: 0 is not allowed; allowed: an integer from 1 to 32"),
    (with_topic(allow_data_loss="yes"), "allow_data_loss: 'yes' is not allowed; allowed: true or false"),
    (with_topic(adopt="please"), "topics[caracal.metering.events].adopt: 'please' is not allowed; allowed: true or"),
    (with_topic(renamed_from="old name"), "renamed_from: 'old name' is not allowed; allowed: the topic's former name"),
    (with_topic(retention=5), "topics[0].retention: unknown key; allowed: adopt, allow_data_loss, compatibility"),
    (with_topic(schema="missing.avsc"), "schema: 'missing.avsc' is not a file in"),
    (with_topic(schema="../pyproject.toml"), "schema: '../pyproject.toml' is not allowed; allowed: a .avsc file"),
    (with_topic(compatibility="SIDEWAYS"), "compatibility: 'SIDEWAYS' is not allowed; allowed: BACKWARD"),
    (with_user(name="admin"), "users[0].name: 'admin' is managed by the platform"),
    (with_user(name="schema-registry"), "'schema-registry' is managed by the platform"),
    (with_user(name="bad user"), "users[0].name: 'bad user' is not allowed; allowed: 1-64 characters"),
    (with_user(name="-dash"), "'-dash' is not allowed"),
    (with_user(name="consumer"), "user 'consumer' is declared twice"),
    (with_user(rotation=-1), "users[producer].rotation: -1 is not allowed"),
    (with_user(producer_byte_rate=10), "users[producer].producer_byte_rate: 10 is not allowed; allowed: an integer"),
    (with_user(registry="write"), "users[producer].registry: 'write' is not allowed; allowed: none, read"),
    (with_user(registry_write="caracal.dlq-value"), "users[producer].registry_write: must be a list of subject names"),
    (with_user(registry_write=["bad subject"]), "users[producer].registry_write: 'bad subject' is not allowed"),
    (with_topic(rollback="undo"), "topics[caracal.metering.events].rollback: 'undo' is not allowed; allowed: refuse"),
    (with_topic(name="_internal"), "topics[0].name: '_internal' is not allowed: names starting with '_' are Kafka's"),
    (with_acl(principal="User:nobody"), "acls[0].principal: 'User:nobody' is not allowed; allowed: one of the users"),
    (with_acl(resource_type="BROKER"), "acls[0].resource_type: 'BROKER' is not allowed; allowed: TOPIC, GROUP"),
    (with_acl(pattern_type="MATCH"), "acls[0].pattern_type: 'MATCH' is not allowed; allowed: LITERAL, PREFIXED"),
    (with_acl(operations=["WRITE", "FLY"]), "acls[0].operations: 'FLY' is not allowed; allowed: ALL, READ"),
    (with_acl(operations=[]), "acls[0].operations: must be a non-empty list"),
    (with_acl(permission="MAYBE"), "acls[0].permission: 'MAYBE' is not allowed; allowed: ALLOW, DENY"),
    (with_acl(resource_name="*"), "acls[0].resource_name: '*' is not allowed"),
    (with_acl(resource_type="CLUSTER", resource_name="prod"), "allowed: kafka-cluster"),
    (with_acl(operations=["WRITE", "WRITE"]), "ACL binding 'User:producer|TOPIC|caracal.|PREFIXED|WRITE|ALLOW|*' is "),
    ({"topics": [], "extras": 1}, "catalog.extras: unknown key; allowed: acls, defaults, subjects, topics, users"),
    ({"topics": {"name": "x"}}, "topics: must be a list"),
    (
        {"subjects": [{"subject": "a-value", "schema": "metering-event.avsc", "references": ["b"]}]},
        "subjects[a-value].references: 'b' is not a declared subject",
    ),
]


@pytest.mark.parametrize(("document", "message"), CATALOG_CASES, ids=[case[1][:50] for case in CATALOG_CASES])
def test_invalid_catalog_entries_are_refused_with_their_place_and_what_is_allowed(document, message):
    with pytest.raises(CatalogError) as error:
        parse_catalog(document, SCHEMAS)
    assert message in str(error.value)


SCHEMA_CASES = [
    ('{"type": "record", "name": "X", "fields": [', "not valid JSON"),
    ('{"type": "record", "name": "X"}', "not valid Avro"),
    ('{"type": "record", "name": "X", "fields": [{"name": "a", "type": "nosuchtype"}]}', "not valid Avro"),
    ('{"type": "enum", "name": "E", "symbols": ["A", "A"]}', "not valid Avro"),
    ('{"type": "record", "name": "X", "fields": [{"name": "a", "type": "int", "default": "x"}]}', "not valid Avro"),
]


@pytest.mark.parametrize(("text", "message"), SCHEMA_CASES, ids=[case[0][:40] for case in SCHEMA_CASES])
def test_a_schema_file_that_does_not_parse_is_refused_naming_the_subject_and_file(tmp_path, text, message):
    for schema in SCHEMAS.glob("*.avsc"):
        (tmp_path / schema.name).write_text(schema.read_text())
    (tmp_path / "bad.avsc").write_text(text)
    document = with_topic(schema="bad.avsc")
    with pytest.raises(CatalogError) as error:
        parse_catalog(document, tmp_path)
    assert f"subjects[caracal.metering.events-value].schema: bad.avsc: {message}" in str(error.value)


def test_a_topic_replicated_more_than_the_stack_has_brokers_is_refused(tmp_path):
    (tmp_path / "stacks").mkdir()
    (tmp_path / "schemas").symlink_to(SCHEMAS)
    (tmp_path / "stacks" / "catalog.yaml").write_text(yaml.safe_dump(with_topic(replication_factor=3)))
    with pytest.raises(SettingsError) as error:
        load_settings(stack_config("dev"), "dev", tmp_path)
    assert "topics[caracal.metering.events].replication_factor = 3: not allowed; allowed: at most brokers (1)" in str(
        error.value
    )


def test_every_problem_is_reported_at_once():
    raw = stack_config("dev") | {"caracal-kafka:brokers": "0", "caracal-kafka:retentionDays": "0"}
    with pytest.raises(SettingsError) as error:
        load_settings(raw, "dev")
    assert len(error.value.problems) >= 2


PROD_GUARD = "with both equal, acks=all writes stop whenever one broker is down"


def test_prod_refuses_min_insync_replicas_equal_to_the_replication_factor_unless_explicitly_allowed():
    raw = stack_config("prod") | {"caracal-kafka:minInsyncReplicas": "3"}
    with pytest.raises(SettingsError) as error:
        load_settings(raw, "prod")
    assert "caracal-kafka:minInsyncReplicas = 3: not allowed; allowed: less than replicationFactor (3)" in str(
        error.value
    )
    assert PROD_GUARD in str(error.value) and "allowMinInsyncEqualReplicas: true" in str(error.value)
    allowed = load_settings(raw | {"caracal-kafka:allowMinInsyncEqualReplicas": "true"}, "prod")
    assert allowed.min_insync_replicas == 3 and not allowed.redundant
    # One replica cannot be anything but in sync: dev is not refused, and says it has no redundancy.
    assert not load_settings(stack_config("dev"), "dev").redundant
    assert load_settings(stack_config("prod"), "prod").redundant


def test_a_catalog_topic_with_min_insync_replicas_equal_to_its_replicas_is_refused_too(tmp_path):
    (tmp_path / "stacks").mkdir()
    (tmp_path / "schemas").symlink_to(SCHEMAS)
    catalog = with_topic(config={"min.insync.replicas": 3})
    (tmp_path / "stacks" / "catalog.yaml").write_text(yaml.safe_dump(catalog))
    with pytest.raises(SettingsError) as error:
        load_settings(stack_config("prod"), "prod", tmp_path)
    assert "topics[caracal.metering.events].config.min.insync.replicas = 3: not allowed" in str(error.value)
    raw = stack_config("prod") | {"caracal-kafka:allowMinInsyncEqualReplicas": "true"}
    assert load_settings(raw, "prod", tmp_path).catalog.topics


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"caRotation": "trust"}, "caracal-kafka:caRotation = 'trust': not allowed; allowed: none while caGeneration"),
        ({"caRotation": "rotate", "caGeneration": "1"}, "allowed: one of none, trust, sign"),
        ({"certificateRotation": "-1"}, "caracal-kafka:certificateRotation = '-1': not allowed"),
    ],
)
def test_rotation_settings_are_checked(overrides, message):
    raw = stack_config("dev") | {f"caracal-kafka:{key}": value for key, value in overrides.items()}
    with pytest.raises(SettingsError) as error:
        load_settings(raw, "dev")
    assert message in str(error.value)


def test_a_catalog_that_is_not_yaml_is_refused_quoting_the_line_and_where_in_it(tmp_path):
    (tmp_path / "catalog.yaml").write_text("topics:\n  - name: caracal.a\n   partitions: 2\n")
    raw = stack_config("dev") | {"caracal-kafka:catalog": str(tmp_path / "catalog.yaml")}
    with pytest.raises(SettingsError) as error:
        load_settings(raw, "dev")
    message = str(error.value)
    assert "catalog.yaml: not valid YAML: while parsing a block collection" in message
    assert "line 3, column 4:\n       partitions: 2\n       ^" in message


def test_a_large_catalog_reads_the_same_with_either_yaml_parser():
    document = {"topics": [{"name": f"caracal.t{index}", "partitions": index % 7 + 1} for index in range(300)]}
    text = yaml.safe_dump(document)
    assert catalog._FAST_LOADER is yaml.CSafeLoader  # the PyYAML wheel ships libyaml
    assert yaml.load(text, Loader=catalog._FAST_LOADER) == yaml.safe_load(text) == document
