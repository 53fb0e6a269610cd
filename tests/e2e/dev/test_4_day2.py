"""Day-2 changes on the live dev stack: each edit of the catalog or a schema is previewed and applied as an
operator expects, and what cannot be done safely is refused at preview with nothing changed."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import time

import pytest
import yaml
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    ConfigSource,
    NewPartitions,
    NewTopic,
    ResourcePatternType,
    ResourceType,
)

from components.user_quota import config_command, parse_described
from tests.e2e import clients
from tests.e2e.stack import ROOT

DLQ = "caracal.dlq"
EVENTS = "caracal.metering.events"


class Catalog:
    """A copy of the catalog and schemas the stack points at; tests edit it and run preview/up."""

    def __init__(self, stack, folder):
        self.stack = stack
        self.folder = folder
        shutil.copytree(ROOT / "schemas", folder / "schemas", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        self.document = yaml.safe_load((ROOT / "stacks" / "catalog.yaml").read_text())
        self.write()
        stack.set_config("catalog", str(folder / "catalog.yaml"))
        stack.set_config("schemasDir", str(folder / "schemas"))

    def write(self):
        (self.folder / "catalog.yaml").write_text(yaml.safe_dump(self.document, sort_keys=False))

    def topic(self, name: str) -> dict:
        return next(topic for topic in self.document["topics"] if topic["name"] == name)

    def edit(self, change):
        saved = copy.deepcopy(self.document)
        change(self.document)
        self.write()
        return saved

    def restore(self, saved):
        self.document = saved
        self.write()


@pytest.fixture(scope="module")
def catalog(dev, tmp_path_factory):
    return Catalog(dev, tmp_path_factory.mktemp("catalog"))


def topic_config(outputs, name: str) -> dict[str, tuple[str, int]]:
    resource = ConfigResource(ConfigResource.Type.TOPIC, name)
    admin = clients.admin(outputs)
    entries = admin.describe_configs([resource])[resource].result(timeout=30)
    return {key: (entry.value, entry.source) for key, entry in entries.items()}


def partitions(outputs, name: str) -> int:
    return len(clients.admin(outputs).list_topics(topic=name, timeout=30).topics[name].partitions)


def test_the_unchanged_catalog_copy_previews_no_changes(dev, catalog):
    assert dev.preview("--expect-no-changes").returncode == 0


def test_partitions_grow_in_place(dev, catalog, outputs):
    catalog.topic(DLQ)["partitions"] = 4
    catalog.write()
    dev.up()
    assert partitions(outputs, DLQ) == 4
    assert dev.preview("--expect-no-changes").returncode == 0


def test_a_partition_decrease_is_refused_at_preview_and_nothing_changes(dev, catalog, outputs):
    saved = catalog.edit(lambda doc: catalog.topic(DLQ).update(partitions=2))
    try:
        run = dev.preview(check=False)
        assert run.returncode != 0
        assert f"topic {DLQ}: partitions cannot go from 4 down to 2" in run.output
        assert dev.up(check=False).returncode != 0
        assert partitions(outputs, DLQ) == 4
    finally:
        catalog.restore(saved)


def test_config_changes_in_place_and_a_removed_key_returns_to_the_broker_default(dev, catalog, outputs):
    catalog.topic(DLQ)["config"] = {"retention.ms": "3d", "max.message.bytes": "2MiB"}
    catalog.write()
    dev.up()
    values = topic_config(outputs, DLQ)
    assert values["retention.ms"][0] == str(3 * 86_400_000)
    assert values["max.message.bytes"][0] == str(2 * 1024 * 1024)
    assert dev.preview("--expect-no-changes").returncode == 0

    del catalog.topic(DLQ)["config"]["max.message.bytes"]
    catalog.write()
    dev.up()
    value, source = topic_config(outputs, DLQ)["max.message.bytes"]
    assert int(getattr(source, "value", source)) != ConfigSource.DYNAMIC_TOPIC_CONFIG.value
    assert value != str(2 * 1024 * 1024)
    assert topic_config(outputs, DLQ)["retention.ms"][0] == str(3 * 86_400_000)


def test_an_out_of_band_config_change_shows_on_refresh_and_up_restores_it(dev, catalog, outputs):
    admin = clients.admin(outputs)
    entry = ConfigEntry("retention.ms", "3600000", incremental_operation=AlterConfigOpType.SET)
    resource = ConfigResource(ConfigResource.Type.TOPIC, EVENTS, incremental_configs=[entry])
    admin.incremental_alter_configs([resource])[resource].result(timeout=30)

    refreshed = dev.pulumi("refresh", "--yes", "--diff")
    assert "retention.ms" in refreshed.output
    assert dev.preview("--expect-no-changes", check=False).returncode != 0
    dev.up()
    assert topic_config(outputs, EVENTS)["retention.ms"][0] == str(7 * 86_400_000)


def test_out_of_band_partitions_show_on_refresh_and_up_refuses_to_shrink_them(dev, catalog, outputs):
    admin = clients.admin(outputs)
    admin.create_partitions([NewPartitions(EVENTS, 12)])[EVENTS].result(timeout=30)
    dev.pulumi("refresh", "--yes")
    run = dev.preview(check=False)
    assert "partitions cannot go from 12 down to 10" in run.output
    catalog.topic(EVENTS)["partitions"] = 12
    catalog.write()
    assert dev.preview("--expect-no-changes").returncode == 0


def test_topics_the_program_did_not_create_are_never_touched_unless_adopted(dev, catalog, outputs):
    admin = clients.admin(outputs)
    admin.create_topics([NewTopic("someone.elses.topic", 1, 1)])["someone.elses.topic"].result(timeout=30)
    dev.up()
    assert "someone.elses.topic" in admin.list_topics(timeout=30).topics

    saved = catalog.edit(lambda doc: doc["topics"].append({"name": "someone.elses.topic", "partitions": 2}))
    try:
        run = dev.up(check=False)
        assert run.returncode != 0
        assert "someone.elses.topic already exists and is not managed by this stack" in run.output
        assert partitions(outputs, "someone.elses.topic") == 1
    finally:
        catalog.restore(saved)

    saved = catalog.edit(
        lambda doc: doc["topics"].append({"name": "someone.elses.topic", "partitions": 2, "adopt": True})
    )
    dev.up()
    assert partitions(outputs, "someone.elses.topic") == 2
    assert topic_config(outputs, "someone.elses.topic")["compression.type"][0] == "snappy"
    assert dev.preview("--expect-no-changes").returncode == 0
    catalog.restore(saved)
    dev.up()
    assert "someone.elses.topic" not in admin.list_topics(timeout=30).topics


def test_a_rename_of_a_topic_holding_data_is_refused_unless_data_loss_is_allowed(dev, catalog, outputs):
    assert clients.deliver(clients.producer(outputs), DLQ, [b"keep-me"]) == [None]
    saved = catalog.edit(lambda doc: catalog.topic(DLQ).update(name="caracal.dead-letters", renamed_from=DLQ))
    run = dev.preview(check=False)
    if run.returncode == 0 or f"topic {DLQ} would be replaced" not in run.output:
        catalog.restore(saved)
    assert run.returncode != 0
    assert f"topic {DLQ} would be replaced" in run.output and "holds" in run.output
    assert DLQ in clients.admin(outputs).list_topics(timeout=30).topics

    catalog.topic("caracal.dead-letters")["allow_data_loss"] = True
    catalog.write()
    dev.up()
    topics = clients.admin(outputs).list_topics(timeout=30).topics
    assert "caracal.dead-letters" in topics and DLQ not in topics
    # And back: the resource keeps its name, the topic takes the old one again.
    catalog.topic("caracal.dead-letters").update(name=DLQ, renamed_from=DLQ)
    catalog.write()
    dev.up()
    assert DLQ in clients.admin(outputs).list_topics(timeout=30).topics
    catalog.restore(saved)
    dev.up()
    assert dev.preview("--expect-no-changes").returncode == 0


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
    run = dev.up()
    assert "1 created" in run.stdout
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
    assert "deleted" in refreshed.stdout
    dev.up()
    assert acl_count(outputs) == before + 1


def test_bad_input_fails_preview_naming_the_key_and_changes_nothing(dev, catalog, outputs):
    saved = catalog.edit(lambda doc: catalog.topic(DLQ).update(partitions=0))
    try:
        run = dev.preview(check=False)
        assert run.returncode != 0
        assert "topics[caracal.dlq].partitions: 0 is not allowed; allowed: an integer from 1 to 10000" in run.output
    finally:
        catalog.restore(saved)
    assert partitions(outputs, DLQ) == 4
    consumer_admin = clients.admin(outputs, user="consumer")
    with pytest.raises(KafkaException) as error:
        consumer_admin.create_topics([NewTopic("x", 1, 1)])["x"].result(timeout=15)
    assert error.value.args[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


def described_quotas(dev) -> str:
    command = config_command({"container": f"caracal-{dev.name}-kafka-0", "user": "producer"}, "--describe")
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


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
