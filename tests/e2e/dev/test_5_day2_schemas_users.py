"""Day-2 changes of schemas, users, ACLs and quotas on the live dev stack."""

from __future__ import annotations

import json
import time

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    NewTopic,
    ResourcePatternType,
    ResourceType,
)

from components.clients import kafka_tools
from components.rules.kafka_tools import CONFIGS
from components.rules.quota import parse_described, quota_entity
from tests.e2e import clients
from tests.e2e.dev.catalog_copy import DLQ, EVENTS, partitions

SCHEMA = "metering-event.avsc"


def edit_schema(catalog, change) -> str:
    path = catalog.folder / "schemas" / SCHEMA
    saved = path.read_text()
    schema = json.loads(saved)
    change(schema)
    path.write_text(json.dumps(schema))
    return saved


def versions(outputs, subject: str) -> list[int]:
    return clients.registry(outputs).get_versions(subject)


def test_whitespace_and_key_order_in_a_schema_never_show_as_a_change(dev, catalog):
    path = catalog.folder / "schemas" / SCHEMA
    saved = path.read_text()
    path.write_text(json.dumps(json.loads(saved), indent=7, sort_keys=True))
    try:
        assert dev.preview("--expect-no-changes").returncode == 0
    finally:
        path.write_text(saved)


def test_an_incompatible_schema_fails_preview_with_the_registrys_reason_and_changes_nothing(dev, catalog, outputs):
    subject = f"{EVENTS}-value"
    before = versions(outputs, subject)
    saved = edit_schema(
        catalog,
        lambda schema: schema["fields"].append(
            {"name": "tenant", "type": "string", "doc": "Tenant without a default: old records cannot be read"}
        ),
    )
    try:
        run = dev.preview(check=False)
        assert run.returncode != 0
        assert f"subject {subject}: the new schema is refused by the registry's BACKWARD rule" in run.output
        assert dev.up(check=False).returncode != 0
        assert versions(outputs, subject) == before
    finally:
        (catalog.folder / "schemas" / SCHEMA).write_text(saved)
    assert dev.preview("--expect-no-changes").returncode == 0


def test_a_compatible_schema_becomes_a_new_version_and_the_level_changes_in_place(dev, catalog, outputs):
    subject = f"{EVENTS}-value"
    before = versions(outputs, subject)
    edit_schema(
        catalog,
        lambda schema: schema["fields"].append(
            {"name": "region", "type": ["null", "string"], "default": None, "doc": "Region the usage happened in"}
        ),
    )
    catalog.topic(EVENTS)["compatibility"] = "FULL"
    catalog.write()
    dev.up()
    assert versions(outputs, subject) == [*before, before[-1] + 1]
    assert clients.registry(outputs).get_compatibility(subject) == "FULL"
    assert dev.preview("--expect-no-changes").returncode == 0


def scram_login_works(outputs, user: str, password: str) -> bool:
    config = clients.kafka_config(outputs, user, **{"sasl.password": password, "socket.timeout.ms": 8000})
    try:
        AdminClient(config).list_topics(timeout=10)
        return True
    except KafkaException:
        return False


def test_a_password_rotation_refuses_the_old_password_and_accepts_the_new(dev, catalog, outputs):
    old = outputs["clientConfigs"]["producer"]["kafka"]["sasl.password"]
    next(user for user in catalog.document["users"] if user["name"] == "producer")["rotation"] = 1
    catalog.write()
    dev.up()
    rotated = dev.outputs()
    new = rotated["clientConfigs"]["producer"]["kafka"]["sasl.password"]
    assert new != old
    assert scram_login_works(rotated, "producer", new)
    assert not scram_login_works(rotated, "producer", old)
    outputs["clientConfigs"] = rotated["clientConfigs"]


def acl_count(outputs) -> int:
    everything = AclBindingFilter(
        ResourceType.ANY, None, ResourcePatternType.ANY, None, None, AclOperation.ANY, AclPermissionType.ANY
    )
    admin = clients.admin(outputs)
    return len(admin.describe_acls(everything).result(timeout=30))


def test_adding_an_acl_touches_no_other_and_out_of_band_removal_is_restored(dev, catalog, outputs):
    before = acl_count(outputs)
    catalog.document["acls"].append(
        {
            "principal": "User:consumer",
            "resource_type": "GROUP",
            "resource_name": "caracal-replay-",
            "pattern_type": "PREFIXED",
            "operations": ["READ"],
        }
    )
    catalog.write()
    added = "User:consumer|GROUP|caracal-replay-|PREFIXED|READ|ALLOW|*"
    # The preview names the one binding added and no binding removed.
    diff = [line.strip() for line in dev.preview().stdout.splitlines() if "User:" in line and "|" in line]
    assert [line for line in diff if line.startswith("+")] and all(added in line for line in diff if line[0] in "+-")
    run = dev.up()
    assert "1 updated" in run.stdout
    assert acl_count(outputs) == before + 1

    binding = AclBindingFilter(
        ResourceType.GROUP,
        "caracal-replay-",
        ResourcePatternType.PREFIXED,
        "User:consumer",
        "*",
        AclOperation.READ,
        AclPermissionType.ALLOW,
    )
    admin = clients.admin(outputs)
    admin.delete_acls([binding])[binding].result(timeout=30)
    time.sleep(2)
    refreshed = dev.pulumi("refresh", "--yes")
    assert any("caracal-acls" in line and "updated" in line for line in refreshed.stdout.splitlines())
    dev.up()
    assert acl_count(outputs) == before + 1


def test_bad_input_fails_preview_naming_the_key_and_changes_nothing(dev, catalog, outputs):
    saved = catalog.edit(lambda doc: catalog.topic(DLQ).update(partitions=0))
    try:
        run = dev.preview(check=False)
        assert run.returncode != 0
        cause = "topics[caracal.dlq].partitions: 0 is not allowed; allowed: an integer from 1 to 10000"
        # A Pulumi error, once, and no Python traceback before it.
        assert run.output.count(cause) == 1, run.output
        assert "Traceback" not in run.output and "Program failed" not in run.output, run.output
    finally:
        catalog.restore(saved)
    # A stack setting every topic inherits: its cause once, by its key, not once per topic.
    replication = dev.setting("replicationFactor")
    dev.set_config("replicationFactor", "2")
    try:
        run = dev.preview(check=False)
        assert run.returncode != 0
        assert run.output.count("caracal-kafka:replicationFactor = 2: not allowed; allowed: at most brokers") == 1
        assert "caracal-kafka:catalog: topics[" not in run.output and "Traceback" not in run.output, run.output
    finally:
        dev.set_config("replicationFactor", replication)
    assert partitions(outputs, DLQ) == 4
    consumer_admin = clients.admin(outputs, user="consumer")
    with pytest.raises(KafkaException) as error:
        consumer_admin.create_topics([NewTopic("x", 1, 1)])["x"].result(timeout=15)
    assert error.value.args[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


def described_quotas(dev) -> str:
    """What the broker itself reports, through kafka-configs run as admin in the broker."""
    broker = kafka_tools.InBroker(f"caracal-{dev.name}-kafka-0")
    return kafka_tools.run(CONFIGS, [*quota_entity("producer"), "--describe"], broker).stdout


def test_user_quotas_are_set_changed_and_removed_from_the_catalog(dev, catalog):
    producer = next(user for user in catalog.document["users"] if user["name"] == "producer")
    producer["producer_byte_rate"] = 1048576
    catalog.write()
    dev.up()
    assert parse_described(described_quotas(dev)) == {"producer_byte_rate": 1048576}
    assert dev.preview("--expect-no-changes").returncode == 0

    producer["producer_byte_rate"] = 2097152
    producer["consumer_byte_rate"] = 4194304
    catalog.write()
    dev.up()
    assert parse_described(described_quotas(dev)) == {"producer_byte_rate": 2097152, "consumer_byte_rate": 4194304}

    del producer["producer_byte_rate"], producer["consumer_byte_rate"]
    catalog.write()
    dev.up()
    assert parse_described(described_quotas(dev)) == {}
