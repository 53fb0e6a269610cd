"""Avro schemas in one canonical text form, validated by fastavro.

The canonical form is the schema's JSON with sorted keys and no insignificant whitespace. Unlike Avro's Parsing
Canonical Form it keeps docs, defaults and logical types, which the registry needs for compatibility checks and
readers need for documentation; like it, whitespace and key order never make two schemas differ.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import fastavro
from fastavro.schema import SchemaParseException, UnknownType


class SchemaError(ValueError):
    """A schema that is not valid Avro; the message says where."""


def canonical_schema(text: str) -> str:
    """Return the canonical text of a JSON schema; raise SchemaError if it is not JSON."""
    try:
        return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    except json.JSONDecodeError as error:
        raise SchemaError(f"not valid JSON: {error}") from None


def full_name(schema_text: str) -> str:
    """The fully qualified name of a named schema (record, enum, fixed): what other schemas refer to it by."""
    schema = json.loads(schema_text)
    if not isinstance(schema, dict) or "name" not in schema:
        raise SchemaError("a referenced schema must be a named type (record, enum or fixed)")
    name = str(schema["name"])
    namespace = schema.get("namespace")
    return name if "." in name or not namespace else f"{namespace}.{name}"


_REQUIRED = {"record": "fields", "error": "fields", "enum": "symbols", "fixed": "size"}


def _require_members(node: object) -> None:
    """What the Avro specification requires and fastavro lets pass: a record's fields, an enum's symbols."""
    if isinstance(node, list):
        for item in node:
            _require_members(item)
    elif isinstance(node, dict):
        required = _REQUIRED.get(str(node.get("type")))
        if required and required not in node:
            raise SchemaError(f"not valid Avro: {node.get('type')} {node.get('name')!r} has no {required!r}")
        for value in node.values():
            _require_members(value)


def parse_avro(text: str, references: Mapping[str, str] | None = None) -> str:
    """Validate `text` as Avro (with the named schemas of `references`) and return its canonical form."""
    canonical = canonical_schema(text)
    named: dict[str, dict] = {}
    try:
        for reference in (references or {}).values():
            fastavro.parse_schema(json.loads(reference), named_schemas=named)
        _require_members(json.loads(canonical))
        fastavro.parse_schema(json.loads(canonical), named_schemas=named)
    except (SchemaParseException, UnknownType) as error:
        raise SchemaError(f"not valid Avro: {error}") from None
    except (TypeError, KeyError, AttributeError, ValueError) as error:
        raise SchemaError(f"not valid Avro: {error!r}") from None
    return canonical
