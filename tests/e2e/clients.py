"""Kafka and registry clients built from a stack's outputs, the way an application would build them."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import (
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ResourcePatternType,
    ResourceType,
)
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

TIMEOUT_S = 30
ROOT = Path(__file__).resolve().parents[2]


def kafka_config(outputs: dict[str, Any], user: str, **overrides: Any) -> dict[str, Any]:
    return {**outputs["clientConfigs"][user]["kafka"], **overrides}


def write_ca(outputs: dict[str, Any]) -> str:
    """SchemaRegistryClient reads its CA from a file."""
    handle, path = tempfile.mkstemp(suffix=".pem")
    with os.fdopen(handle, "w") as file:
        file.write(outputs["caCertificate"])
    return path


def registry(outputs: dict[str, Any], user: str = "admin") -> SchemaRegistryClient:
    """confluent-kafka's registry client as an application builds it: the user's login from `clientConfigs`."""
    settings = outputs["clientConfigs"][user]["registry"]
    return SchemaRegistryClient(
        {
            "url": settings["url"],
            "basic.auth.user.info": settings["basic.auth.user.info"],
            "ssl.ca.location": write_ca(outputs),
        }
    )


def admin(outputs: dict[str, Any], user: str = "admin", **overrides: Any) -> AdminClient:
    return AdminClient(kafka_config(outputs, user, **overrides))


def producer(outputs: dict[str, Any], user: str = "producer", **overrides: Any) -> Producer:
    settings = {"acks": "all", "enable.idempotence": False, "message.timeout.ms": TIMEOUT_S * 1000}
    return Producer(kafka_config(outputs, user, **{**settings, **overrides}))


def consumer(
    outputs: dict[str, Any], user: str = "consumer", group: str = "caracal-consumer-group", **overrides: Any
) -> Consumer:
    settings = {"group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": False}
    return Consumer(kafka_config(outputs, user, **{**settings, **overrides}))


def deliver(producer_: Producer, topic: str, values: list[bytes], key: bytes | None = None) -> list[Any]:
    """Produce and flush; the delivery report of every record (an error or None)."""
    reports: list[Any] = []
    for value in values:
        producer_.produce(topic, value=value, key=key, on_delivery=lambda error, _msg: reports.append(error))
    producer_.flush(TIMEOUT_S)
    return reports


def consume(consumer_: Consumer, topics: list[str], count: int, timeout_s: float = 60) -> list[Any]:
    """Read `count` records from `topics` (raising on any error), committing their offsets."""
    consumer_.subscribe(topics)
    records: list[Any] = []
    deadline = time.monotonic() + timeout_s
    while len(records) < count and time.monotonic() < deadline:
        message = consumer_.poll(1.0)
        if message is None:
            continue
        if message.error():
            if message.error().code() == KafkaError._PARTITION_EOF:
                continue
            raise KafkaException(message.error())
        records.append(message)
    if records:
        consumer_.commit(asynchronous=False)
    return records


def read_all(consumer_: Consumer, topic: str, timeout_s: float = 120) -> list[Any]:
    """Every record the topic holds now, read by direct assignment from the start of each partition: no group
    coordinator involved, so it also reads while the cluster is degraded."""
    metadata = consumer_.list_topics(topic=topic, timeout=TIMEOUT_S)
    bounds = {
        index: consumer_.get_watermark_offsets(TopicPartition(topic, index), timeout=TIMEOUT_S)
        for index in metadata.topics[topic].partitions
    }
    consumer_.assign([TopicPartition(topic, index, low) for index, (low, _) in bounds.items()])
    remaining = {index: high for index, (low, high) in bounds.items() if high > low}
    records: list[Any] = []
    deadline = time.monotonic() + timeout_s
    while remaining and time.monotonic() < deadline:
        message = consumer_.poll(1.0)
        if message is None or (message.error() and message.error().code() == KafkaError._PARTITION_EOF):
            continue
        if message.error():
            raise KafkaException(message.error())
        records.append(message)
        if message.offset() + 1 >= remaining.get(message.partition(), 0):
            remaining.pop(message.partition(), None)
    return records


def avro_serializer(client: SchemaRegistryClient, schema: str) -> AvroSerializer:
    # Schemas are registered by the stack; the application only uses them.
    return AvroSerializer(client, schema, conf={"auto.register.schemas": False, "use.latest.version": True})


def avro_deserializer(client: SchemaRegistryClient) -> AvroDeserializer:
    return AvroDeserializer(client)


def context(topic: str) -> SerializationContext:
    return SerializationContext(topic, MessageField.VALUE)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def acl_bindings(admin: AdminClient, principal: str) -> list[Any]:
    """Every ACL binding of `principal` on the cluster."""
    every = AclBindingFilter(
        ResourceType.ANY, None, ResourcePatternType.ANY, principal, None, AclOperation.ANY, AclPermissionType.ANY
    )
    return list(admin.describe_acls(every).result(timeout=TIMEOUT_S))


def health(stack: Any, *args: str, config_file: str | None = None) -> subprocess.CompletedProcess:
    """`caracal-kafka health` as an operator runs it: on the stack (--stack), or with a client.properties file."""
    where = (
        ["--config-file", config_file] if config_file else ["--stack", stack.name, "--pulumi-cwd", str(stack.workdir)]
    )
    command = [sys.executable, "-m", "caracal_cli", *where, "health", *args]
    return subprocess.run(command, cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=120)
