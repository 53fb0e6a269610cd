"""The dev stack, brought up from empty, carries Avro records from the producer to the consumer on every topic."""

from __future__ import annotations

import json

from confluent_kafka.admin import ConfigResource

from infra.scratch_stack import ROOT
from tests.e2e import clients
from tests.schema_samples import sample_record

TOPIC_SCHEMAS = {
    "caracal.metering.events": "metering-event",
    "caracal.policy.decisions": "policy-decision",
    "caracal.agent.lifecycle": "agent-lifecycle",
    "caracal.policy.changes": "policy-change",
}
PARTITIONS = {
    "caracal.metering.events": 10,
    "caracal.policy.decisions": 5,
    "caracal.agent.lifecycle": 3,
    "caracal.policy.changes": 3,
    "caracal.dlq": 3,
}


def test_outputs_give_a_client_everything_it_needs(dev, outputs):
    # The stack's own ports: moved as a whole when CARACAL_E2E_PORT_OFFSET is set.
    assert outputs["bootstrapServers"] == f"localhost:{dev.setting('bootstrapPort')}"
    assert outputs["registryUrl"] == f"https://localhost:{dev.setting('registryPort')}/apis/ccompat/v7"
    assert outputs["caCertificate"].startswith("-----BEGIN CERTIFICATE-----")
    assert sorted(outputs["topics"]) == sorted(PARTITIONS)
    assert set(outputs["clientConfigs"]) == {"admin", "schema-registry", "producer", "consumer"}
    assert outputs["caExpiresAt"] > outputs["certificateExpiresAt"]["kafka-0"]


def test_producer_writes_avro_to_every_topic_and_consumer_reads_every_record_back(outputs):
    # Confluent's serializer and deserializer, unchanged, each with its user's registry login.
    registry = clients.registry(outputs, user="producer")
    producer = clients.producer(outputs)
    sent = {}
    for topic, schema_name in TOPIC_SCHEMAS.items():
        schema = (ROOT / "schemas" / f"{schema_name}.avsc").read_text()
        serializer = clients.avro_serializer(registry, schema)
        record = sample_record(schema_name)
        value = serializer(record, clients.context(topic))
        assert clients.deliver(producer, topic, [value]) == [None], topic
        sent[topic] = record
    assert clients.deliver(producer, "caracal.dlq", [b"failed-event"]) == [None]

    consumer = clients.consumer(outputs)
    try:
        records = clients.consume(consumer, list(PARTITIONS), count=len(PARTITIONS))
    finally:
        consumer.close()
    deserializer = clients.avro_deserializer(clients.registry(outputs, user="consumer"))
    received = {message.topic(): message.value() for message in records}
    assert set(received) == set(PARTITIONS)
    assert received["caracal.dlq"] == b"failed-event"
    for topic, record in sent.items():
        assert deserializer(received[topic], clients.context(topic)) == record, topic


def test_topics_on_the_broker_have_the_stacks_partitions_and_configs(outputs):
    admin = clients.admin(outputs)
    metadata = admin.list_topics(timeout=30)
    resources = [ConfigResource(ConfigResource.Type.TOPIC, name) for name in PARTITIONS]
    configs = {resource.name: future.result() for resource, future in admin.describe_configs(resources).items()}
    for name, partitions in PARTITIONS.items():
        topic = metadata.topics[name]
        assert len(topic.partitions) == partitions, name
        assert all(len(partition.replicas) == 1 for partition in topic.partitions.values())
        values = {key: entry.value for key, entry in configs[name].items()}
        assert values["retention.ms"] == str(7 * 86_400_000)
        assert values["min.insync.replicas"] == "1"
        assert values["compression.type"] == "snappy"
        assert values["cleanup.policy"] == "delete"


def test_every_subject_exists_with_its_schema_and_backward_compatibility(outputs):
    registry = clients.registry(outputs)
    assert sorted(registry.get_subjects()) == sorted(f"{topic}-value" for topic in TOPIC_SCHEMAS)
    for topic, schema_name in TOPIC_SCHEMAS.items():
        subject = f"{topic}-value"
        latest = registry.get_latest_version(subject)
        declared = json.loads((ROOT / "schemas" / f"{schema_name}.avsc").read_text())
        assert json.loads(latest.schema.schema_str) == declared
        assert registry.get_compatibility(subject) == "BACKWARD"
