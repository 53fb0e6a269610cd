"""A stack in external mode manages a catalog of its own on a cluster another stack runs, logged in as that
cluster's admin: the same day-2 rules as on a stack's own cluster, and destroying it leaves the cluster, and
everything the other stack made, serving."""

from __future__ import annotations

import json

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    ResourcePatternType,
    ResourceType,
)
from confluent_kafka.schema_registry.error import SchemaRegistryError

from components.clients import kafka_tools
from components.rules.kafka_tools import CONFIGS
from components.rules.quota import parse_described, quota_entity
from tests.e2e import clients
from tests.e2e.conftest import record
from tests.e2e.dev.catalog_copy import partitions, topic_config
from tests.e2e.external.conftest import AUDIT, ORDERS

SUBJECT = f"{ORDERS}-value"
DAY_MS = 86_400_000


def quotas(cluster, user: str) -> dict[str, int]:
    """The user's quotas as the cluster's own broker reports them (not through the external stack's code path)."""
    broker = kafka_tools.InBroker(f"caracal-{cluster.name}-kafka-0")
    return parse_described(kafka_tools.run(CONFIGS, [*quota_entity(user), "--describe"], broker).stdout)


def acls_of(cluster_outputs, principal: str) -> set[tuple[str, str, str]]:
    found = AclBindingFilter(
        ResourceType.ANY, None, ResourcePatternType.ANY, principal, None, AclOperation.ANY, AclPermissionType.ANY
    )
    admin = clients.admin(cluster_outputs)  # kept while the future runs: a dropped client cancels it
    bindings = admin.describe_acls(found).result(timeout=30)
    return {(binding.restype.name, binding.name, binding.operation.name) for binding in bindings}


def scram_users(cluster_outputs, *names: str) -> set[str]:
    """Which of `names` have a SCRAM credential on the cluster."""
    admin = clients.admin(cluster_outputs)
    described = admin.describe_user_scram_credentials(list(names))
    present = set()
    for name, future in described.items():
        try:
            future.result(timeout=30)
            present.add(name)
        except KafkaException:  # RESOURCE_NOT_FOUND: no credential
            pass
    return present


def test_the_external_stack_creates_the_catalog_only_and_exports_the_external_endpoints(
    external, outputs, cluster, cluster_outputs
):
    assert outputs["bootstrapServers"] == cluster_outputs["bootstrapServers"]
    assert outputs["registryUrl"] == cluster_outputs["registryUrl"]
    assert set(outputs["clientConfigs"]) == {"admin", "ext-producer", "ext-consumer"}
    assert "caCertificate" not in outputs
    assert external.docker_objects() == {"containers": [], "volumes": [], "networks": []}
    # No secret in plaintext: not in the state, not in the stack file, not in the plain outputs.
    secrets = [outputs["clientConfigs"][user]["kafka"]["sasl.password"] for user in outputs["clientConfigs"]]
    stack_file = (external.workdir / f"Pulumi.{external.name}.yaml").read_text()
    plain = str(external.outputs(secrets=False))
    for text in (external.export(), stack_file, plain):
        assert not any(secret in text for secret in secrets)

    topics = clients.admin(cluster_outputs).list_topics(timeout=30).topics
    assert len(topics[ORDERS].partitions) == 3 and len(topics[AUDIT].partitions) == 1
    assert topic_config(cluster_outputs, AUDIT)["retention.ms"][0] == str(DAY_MS)
    assert clients.registry(cluster_outputs).get_versions(SUBJECT) == [1]
    assert quotas(cluster, "ext-producer") == {"producer_byte_rate": 1048576}
    assert ("TOPIC", AUDIT, "WRITE") in acls_of(cluster_outputs, "User:producer")
    assert external.preview("--expect-no-changes").returncode == 0


def test_records_flow_as_the_external_stacks_users(outputs, cluster_outputs, catalog):
    registry = clients.registry(cluster_outputs)
    serializer = clients.avro_serializer(registry, json.dumps(catalog.schema))
    value = serializer({"id": "o-1", "amount": 42}, clients.context(ORDERS))
    assert clients.deliver(clients.producer(outputs, user="ext-producer"), ORDERS, [value]) == [None]
    records = clients.consume(clients.consumer(outputs, user="ext-consumer", group="ext-group"), [ORDERS], 1)
    assert clients.avro_deserializer(registry)(records[0].value(), clients.context(ORDERS)) == {
        "id": "o-1",
        "amount": 42,
    }
    refused = clients.deliver(clients.producer(outputs, user="ext-consumer"), ORDERS, [b"x"])
    assert refused[0] is not None and refused[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED
    # The other stack's user, existing here only as a principal, writes where this stack's ACL lets it.
    assert clients.deliver(clients.producer(cluster_outputs, user="producer"), AUDIT, [b"audit-1"]) == [None]


def test_topics_grow_and_change_config_in_place_and_a_shrink_is_refused(external, catalog, cluster_outputs):
    catalog.topic(ORDERS)["partitions"] = 4
    catalog.topic(AUDIT)["config"] = {"retention.ms": "2d"}
    catalog.write()
    external.up()
    assert partitions(cluster_outputs, ORDERS) == 4
    assert topic_config(cluster_outputs, AUDIT)["retention.ms"][0] == str(2 * DAY_MS)
    assert external.preview("--expect-no-changes").returncode == 0

    catalog.topic(ORDERS)["partitions"] = 2
    catalog.write()
    try:
        run = external.preview(check=False)
        assert run.returncode != 0
        assert f"topic {ORDERS}: partitions cannot go from 4 down to 2" in run.output
    finally:
        catalog.topic(ORDERS)["partitions"] = 4
        catalog.write()
    assert partitions(cluster_outputs, ORDERS) == 4


def test_a_compatible_schema_evolves_and_an_incompatible_one_is_refused_at_preview(external, catalog, cluster_outputs):
    saved = dict(catalog.schema)
    note = {"name": "note", "type": ["null", "string"], "default": None}
    catalog.schema = {**saved, "fields": [*saved["fields"], note]}
    catalog.write()
    external.up()
    assert clients.registry(cluster_outputs).get_versions(SUBJECT) == [1, 2]

    evolved = dict(catalog.schema)
    catalog.schema = {**evolved, "fields": [{"name": "id", "type": "long"}, *evolved["fields"][1:]]}
    catalog.write()
    try:
        run = external.preview(check=False)
        assert run.returncode != 0
        assert f"subject {SUBJECT}: the new schema is refused by the registry's BACKWARD rule" in run.output
    finally:
        catalog.schema = evolved
        catalog.write()
    assert clients.registry(cluster_outputs).get_versions(SUBJECT) == [1, 2]


def test_out_of_band_changes_show_as_drift_and_up_puts_them_back(external, cluster_outputs):
    admin = clients.admin(cluster_outputs)
    binding = AclBindingFilter(
        ResourceType.TOPIC,
        "ext.",
        ResourcePatternType.PREFIXED,
        "User:ext-consumer",
        "*",
        AclOperation.READ,
        AclPermissionType.ALLOW,
    )
    assert len(admin.delete_acls([binding])[binding].result(timeout=30)) == 1
    entry = ConfigEntry("retention.ms", "3600000", incremental_operation=AlterConfigOpType.SET)
    resource = ConfigResource(ConfigResource.Type.TOPIC, AUDIT, incremental_configs=[entry])
    admin.incremental_alter_configs([resource])[resource].result(timeout=30)

    run = external.preview("--expect-no-changes", check=False)
    assert run.returncode != 0
    assert "retention.ms" in run.output
    external.up()
    assert ("TOPIC", "ext.", "READ") in acls_of(cluster_outputs, "User:ext-consumer")
    assert topic_config(cluster_outputs, AUDIT)["retention.ms"][0] == str(2 * DAY_MS)
    assert external.preview("--expect-no-changes").returncode == 0


def test_users_and_quotas_change_in_place(external, catalog, cluster, cluster_outputs):
    catalog.document["users"].append({"name": "ext-extra"})
    catalog.user("ext-producer")["producer_byte_rate"] = 2097152
    catalog.user("ext-producer")["consumer_byte_rate"] = 4194304
    catalog.write()
    external.up()
    assert scram_users(cluster_outputs, "ext-extra") == {"ext-extra"}
    assert "ext-extra" in external.outputs()["clientConfigs"]
    assert quotas(cluster, "ext-producer") == {"producer_byte_rate": 2097152, "consumer_byte_rate": 4194304}

    catalog.document["users"] = [user for user in catalog.document["users"] if user["name"] != "ext-extra"]
    catalog.write()
    external.up()
    assert scram_users(cluster_outputs, "ext-extra") == set()


def placement(cluster_outputs, topic: str) -> dict[int, tuple[list[int], list[int]]]:
    """Partition -> (replicas, in-sync replicas), as the cluster's metadata lists them."""
    described = clients.admin(cluster_outputs).list_topics(topic, timeout=30).topics[topic]
    return {index: (list(found.replicas), list(found.isrs)) for index, found in described.partitions.items()}


def test_a_topics_replication_factor_goes_up_and_back_by_reassignment(external, catalog, cluster_outputs):
    # The brokers are not the stack's: Kafka's reassignment tool runs beside the cluster in a throw-away container
    # of the Kafka image, and any broker of the cluster may take a replica. The topic holds the records sent above.
    before = placement(cluster_outputs, ORDERS)
    assert {len(replicas) for replicas, _ in before.values()} == {1}
    catalog.topic(ORDERS)["replication_factor"] = 2
    catalog.write()
    try:
        shown = external.preview()
        assert f"replication factor change: {len(before)} partition(s) move" in shown.output
        assert "an unknown number of bytes" not in shown.output  # the preview read each partition's size
        run = external.up()
        record("external: replication factor 1 -> 2 (up)", run.seconds)
        raised = placement(cluster_outputs, ORDERS)
        for index, (replicas, in_sync) in raised.items():
            # Both brokers hold every partition, in sync, and the replica it had stayed where it was.
            assert sorted(replicas) == sorted(in_sync) == [0, 1], (index, raised)
            assert before[index][0][0] in replicas
    finally:
        del catalog.topic(ORDERS)["replication_factor"]  # back to the stack's replicationFactor, 1
        catalog.write()
    run = external.up()
    record("external: replication factor 2 -> 1 (up)", run.seconds)
    after = placement(cluster_outputs, ORDERS)
    assert {len(replicas) for replicas, _ in after.values()} == {1}, after
    # One replica per partition kept, spread over both brokers.
    assert {replicas[0] for replicas, _ in after.values()} == {0, 1}, after


def test_a_topic_holding_data_is_deleted_only_once_data_loss_is_allowed(external, catalog, cluster_outputs):
    audit = catalog.topic(AUDIT)
    catalog.document["topics"] = [catalog.topic(ORDERS)]  # ext.audit holds a record
    catalog.write()
    run = external.up(check=False)
    assert run.returncode != 0
    assert f"topic {AUDIT} is not deleted" in run.output
    assert AUDIT in clients.admin(cluster_outputs).list_topics(timeout=30).topics

    catalog.document["topics"].append({**audit, "allow_data_loss": True})
    catalog.write()
    external.up()
    catalog.document["topics"] = [catalog.topic(ORDERS)]
    catalog.write()
    external.up()
    assert AUDIT not in clients.admin(cluster_outputs).list_topics(timeout=30).topics
    assert external.preview("--expect-no-changes").returncode == 0


def test_destroying_the_external_stack_removes_only_what_it_created(external, cluster, cluster_outputs):
    cluster_acls = {acl for acl in acls_of(cluster_outputs, "User:producer") if acl[1] != AUDIT}
    run = external.destroy()
    record("pulumi destroy e2e-ext-managed (external)", run.seconds)

    topics = clients.admin(cluster_outputs).list_topics(timeout=30).topics
    assert ORDERS not in topics
    assert {"caracal.metering.events", "caracal.dlq"} <= set(topics)
    assert scram_users(cluster_outputs, "ext-producer", "ext-consumer", "producer", "consumer") == {
        "producer",
        "consumer",
    }
    assert quotas(cluster, "ext-producer") == {}
    assert acls_of(cluster_outputs, "User:ext-consumer") == set()
    assert acls_of(cluster_outputs, "User:producer") == cluster_acls
    assert clients.deliver(clients.producer(cluster_outputs), "caracal.metering.events", [b"still-serving"]) == [None]
    try:
        versions = clients.registry(cluster_outputs).get_versions(SUBJECT)
    except SchemaRegistryError as error:
        assert error.http_status_code == 404
        versions = []
    assert versions == []
    # The cluster's own stack sees no change at all: nothing of it was touched.
    assert cluster.preview("--expect-no-changes").returncode == 0
