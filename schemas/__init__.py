"""The Avro schemas of the Caracal event topics, one `.avsc` file each, and helpers to find and load them.

A schema is named by its file's stem (`metering-event`); the file name (`metering-event.avsc`) is accepted too,
since that is how the topic catalog refers to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent


def schema_names() -> list[str]:
    """Stems of every schema file, sorted."""
    return sorted(path.stem for path in SCHEMA_DIR.glob("*.avsc"))


def schema_path(name: str) -> Path:
    """Path of the schema called `name`; ValueError naming the known schemas when there is none."""
    stem = name.removesuffix(".avsc")
    if stem not in schema_names():
        raise ValueError(f"no schema {name!r}; known schemas: {', '.join(schema_names())}")
    return SCHEMA_DIR / f"{stem}.avsc"


def load_schema(name: str) -> dict[str, Any]:
    """The schema called `name`, as the JSON document of its file."""
    return json.loads(schema_path(name).read_text(encoding="utf-8"))
