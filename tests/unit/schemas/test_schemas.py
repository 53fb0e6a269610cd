"""The event schemas: valid Avro, documented field by field, and each with a sample that survives the wire."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import fastavro
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from schemas import SCHEMA_DIR, load_schema, schema_names
from tests.schema_samples import sample_record

TOPICS = {
    "metering-event": "caracal.metering.events",
    "policy-decision": "caracal.policy.decisions",
    "agent-lifecycle": "caracal.agent.lifecycle",
    "policy-change": "caracal.policy.changes",
}
NAMESPACE = "io.caracal.events"


def _named_types(schema: Any) -> list[dict[str, Any]]:
    """Every record and enum declared anywhere inside `schema`."""
    found: list[dict[str, Any]] = []
    if isinstance(schema, list):
        for branch in schema:
            found += _named_types(branch)
    elif isinstance(schema, dict):
        if schema.get("type") in ("record", "enum"):
            found.append(schema)
        for field in schema.get("fields", []):
            found += _named_types(field["type"])
        for key in ("items", "values"):
            if key in schema:
                found += _named_types(schema[key])
    return found


def _fields(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{record['name']}.{field['name']}", field)
        for record in _named_types(schema)
        if record["type"] == "record"
        for field in record["fields"]
    ]


def test_the_four_event_schemas_are_present() -> None:
    assert schema_names() == sorted(TOPICS)


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_schema_is_valid_avro_in_the_caracal_namespace(name: str) -> None:
    schema = load_schema(name)
    parsed = fastavro.parse_schema(schema)
    assert parsed["name"].startswith(f"{NAMESPACE}.")


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_every_record_enum_and_field_carries_a_doc(name: str) -> None:
    schema = load_schema(name)
    undocumented = [t["name"] for t in _named_types(schema) if not t.get("doc", "").strip()]
    undocumented += [where for where, field in _fields(schema) if not field.get("doc", "").strip()]
    assert undocumented == []


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_optional_fields_are_null_first_unions_defaulting_to_null(name: str) -> None:
    for where, field in _fields(load_schema(name)):
        if isinstance(field["type"], list) and "null" in field["type"]:
            assert field["type"][0] == "null", where
            assert "default" in field and field["default"] is None, where


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_sample_round_trips_through_fastavro(name: str) -> None:
    parsed = fastavro.parse_schema(load_schema(name))
    record = sample_record(name)
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, parsed, record)
    buffer.seek(0)
    assert fastavro.schemaless_reader(buffer, parsed, parsed) == record


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_sample_serialises_with_confluent_kafka_under_the_topic_value_subject(name: str) -> None:
    registry = SchemaRegistryClient.new_client({"url": "mock://"})
    schema_text = (SCHEMA_DIR / f"{name}.avsc").read_text(encoding="utf-8")
    serializer = AvroSerializer(registry, schema_text)
    deserializer = AvroDeserializer(registry)
    context = SerializationContext(TOPICS[name], MessageField.VALUE)

    payload = serializer(sample_record(name), context)

    assert registry.get_subjects() == [f"{TOPICS[name]}-value"]
    assert deserializer(payload, context) == sample_record(name)


def test_sample_accepts_the_schema_file_name_as_the_catalog_writes_it() -> None:
    assert sample_record("policy-change.avsc") == sample_record("policy-change")


def test_sample_for_an_unknown_schema_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="known schemas: agent-lifecycle, metering-event"):
        sample_record("billing-event")


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_readme_documents_every_field_and_the_subject(name: str) -> None:
    readme = Path(SCHEMA_DIR, "README.md").read_text(encoding="utf-8")
    section = readme.split(f"## {name}.avsc\n", 1)[1].split("\n## ", 1)[0]
    assert f"subject `{TOPICS[name]}-value`" in section
    missing = [where for where, field in _fields(load_schema(name)) if f"{field['name']}` |" not in section]
    assert missing == []
