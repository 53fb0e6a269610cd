"""The schema registry on the live dev stack: every request authenticated, each user's rights enforced; a schema
reverted in the catalog refused until the way back is chosen; drift put back by a plain `up`."""

from __future__ import annotations

import json
import time

import pytest
from confluent_kafka.admin import AlterConfigOpType, ConfigEntry, ConfigResource

from components.clients.registry import RegistryClient, RegistryError
from components.rules.registry_access import RegistryGrant
from tests.e2e import clients
from tests.e2e.dev.catalog_copy import DLQ, EVENTS, topic_config
from tests.e2e.dev.registry_paths import ADMIN_READS, READS, VARIANTS, WRITES, mismatches

SUBJECT = f"{EVENTS}-value"
SCRATCH = "e2e.scratch-value"
SCHEMA = json.dumps({"type": "record", "name": "Scratch", "fields": [{"name": "a", "type": "string"}]})
WRITER = "schema-tools"


def registry(outputs, user: str, password: str | None = None) -> RegistryClient:
    settings = dict(outputs["clientConfigs"][user]["registry"])
    if password is not None:
        settings["basic.auth.user.info"] = f"{user}:{password}"
    return RegistryClient.from_settings(settings, timeout=15)


def status(call) -> int:
    try:
        call()
    except RegistryError as error:
        return error.status
    return 200


OPERATIONS = {
    "read schema": lambda client, subject: client.latest(subject),
    "register": lambda client, subject: client.register(subject, SCHEMA, []),
    "change compatibility": lambda client, subject: client.set_compatibility(subject, "NONE"),
    "delete": lambda client, subject: client.delete_subject(subject, permanent=False),
}


def test_anonymous_requests_and_wrong_passwords_get_401(outputs):
    anonymous = RegistryClient(outputs["registryUrl"], ca_pem=outputs["caCertificate"])
    assert status(lambda: anonymous.subjects()) == 401
    assert status(lambda: anonymous.register(SCRATCH, SCHEMA, [])) == 401
    assert status(lambda: registry(outputs, "admin", "not-the-password").subjects()) == 401
    assert status(lambda: registry(outputs, "producer", "not-the-password").latest(SUBJECT)) == 401
    # Users the catalog gives no registry rights are not known to it at all: the registry's own Kafka user.
    assert status(lambda: registry(outputs, "schema-registry").subjects()) == 401


@pytest.mark.parametrize("user", ["producer", "consumer"])
def test_producer_and_consumer_may_read_and_nothing_else(outputs, user):
    client = registry(outputs, user)
    assert status(lambda: OPERATIONS["read schema"](client, SUBJECT)) == 200
    assert status(lambda: client.incompatibilities(SUBJECT, SCHEMA, [])) == 200  # a test changes nothing
    for operation in ("register", "change compatibility", "delete"):
        assert status(lambda operation=operation: OPERATIONS[operation](client, SUBJECT)) == 403, operation
    assert clients.registry(outputs).get_latest_version(SUBJECT).subject == SUBJECT  # still there, unchanged


def test_the_programs_identity_may_do_everything(outputs):
    admin = registry(outputs, "admin")
    try:
        for operation in ("register", "read schema", "change compatibility", "delete"):
            assert status(lambda operation=operation: OPERATIONS[operation](admin, SCRATCH)) == 200, operation
    finally:
        admin.delete_subject(SCRATCH, permanent=True)


def test_a_user_given_write_on_named_subjects_may_change_those_only(dev, catalog):
    catalog.document["users"].append({"name": WRITER, "registry_write": [SCRATCH]})
    catalog.write()
    dev.up()
    outputs = dev.outputs()
    writer = registry(outputs, WRITER)
    try:
        grant = RegistryGrant(WRITER, read=True, write_subjects=(SCRATCH,))
        assert mismatches(outputs, grant, READS + WRITES + ADMIN_READS + VARIANTS, own=SCRATCH) == []
        assert status(lambda: OPERATIONS["read schema"](writer, SUBJECT)) == 200
        for operation in ("register", "change compatibility", "delete"):
            assert status(lambda operation=operation: OPERATIONS[operation](writer, SCRATCH)) == 200, operation
            assert status(lambda operation=operation: OPERATIONS[operation](writer, SUBJECT)) == 403, operation
    finally:
        registry(outputs, "admin").delete_subject(SCRATCH, permanent=True)
        catalog.document["users"] = [user for user in catalog.document["users"] if user["name"] != WRITER]
        catalog.write()
        dev.up()
    # The user is gone from the registry with its catalog entry.
    assert status(lambda: writer.subjects()) == 401


def set_fields(catalog, fields: list[dict]) -> None:
    path = catalog.folder / "schemas" / "metering-event.avsc"
    schema = json.loads(path.read_text())
    schema["fields"] = fields
    path.write_text(json.dumps(schema, indent=2))


def schema_fields(catalog) -> list[dict]:
    return json.loads((catalog.folder / "schemas" / "metering-event.avsc").read_text())["fields"]


def latest(outputs) -> tuple[int, list[str]]:
    version = registry(outputs, "admin").latest(SUBJECT)
    return version["version"], [field["name"] for field in json.loads(version["schema"])["fields"]]


def test_a_schema_reverted_to_an_older_version_is_refused_until_the_way_back_is_chosen(dev, catalog, outputs):
    original = schema_fields(catalog)
    zone = {"name": "zone", "type": ["null", "string"], "default": None, "doc": "Zone"}
    set_fields(catalog, [*original, zone])
    dev.up()
    newer, names = latest(outputs)
    assert names[-1] == "zone"

    set_fields(catalog, original)  # the revert in git
    refused = dev.preview(check=False)
    assert refused.returncode != 0
    assert f"subject {SUBJECT}: the declared schema equals version" in refused.output
    assert "rollback: reregister" in refused.output and "rollback: delete_newer" in refused.output
    assert latest(outputs) == (newer, names)  # nothing changed

    catalog.topic(EVENTS)["rollback"] = "delete_newer"
    catalog.write()
    dev.up()
    version, names = latest(outputs)
    assert version < newer and "zone" not in names
    assert dev.preview("--expect-no-changes").returncode == 0

    # Forward again, then back with delete_newer a second time: the version the first rollback soft-deleted keeps
    # its number and is no longer served (the registry refuses to soft-delete it twice), the new one is deleted.
    set_fields(catalog, [*original, zone])
    dev.up()
    forward, names = latest(outputs)
    assert forward > newer and names[-1] == "zone"  # a new number: a soft-deleted version lies between
    set_fields(catalog, original)
    dev.up()
    assert latest(outputs) == (version, [field["name"] for field in original])
    assert dev.preview("--expect-no-changes").returncode == 0

    # Forward again, then back by registering the older schema once more as the newest version.
    set_fields(catalog, [*original, zone])
    dev.up()
    set_fields(catalog, original)
    catalog.topic(EVENTS)["rollback"] = "reregister"
    catalog.write()
    dev.up()
    again, names = latest(outputs)
    assert again > newer and "zone" not in names
    assert dev.preview("--expect-no-changes").returncode == 0
    del catalog.topic(EVENTS)["rollback"]
    catalog.write()


def drifting_values(outputs) -> tuple[str, str]:
    """The retention of a topic and the compatibility level of a subject, as Kafka and the registry have them."""
    return topic_config(outputs, DLQ)["retention.ms"][0], registry(outputs, "admin").compatibility(SUBJECT)


def test_drift_is_put_back_by_a_plain_up(dev, outputs):
    declared = drifting_values(outputs)
    assert declared[0] != "3600000" and declared[1] != "NONE"
    admin = clients.admin(outputs)
    entry = ConfigEntry("retention.ms", "3600000", incremental_operation=AlterConfigOpType.SET)
    resource = ConfigResource(ConfigResource.Type.TOPIC, DLQ, incremental_configs=[entry])
    admin.incremental_alter_configs([resource])[resource].result(timeout=30)
    registry(outputs, "admin").set_compatibility(SUBJECT, "NONE")
    assert topic_config(outputs, DLQ)["retention.ms"][0] == "3600000"

    started = time.monotonic()
    dev.up()
    print(f"\n[timing] up putting back two out-of-band changes: {time.monotonic() - started:.1f} s")
    # Back to what the catalog declares, not merely away from the drift.
    assert drifting_values(outputs) == declared
    assert dev.preview("--expect-no-changes").returncode == 0
