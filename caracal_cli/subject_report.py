"""Subject lists and descriptions as the text an operator reads; pure functions of plain data."""

from __future__ import annotations

import json

from caracal_cli.banner import banner
from components.clients.subject_description import SubjectDescription


def format_subject_list(subjects: list[str]) -> str:
    """A titled list of subject names, one per indented line, in the order given."""
    lines = banner(f"Schema Subjects ({len(subjects)} total)")
    lines += [f"  {subject}" for subject in subjects] or ["  (no subjects)"]
    return "\n".join(lines) + "\n"


def format_subject_description(subject: SubjectDescription) -> str:
    """The latest version's numbers, the compatibility level and the schema, pretty-printed when it is JSON."""
    scope = " (registry default)" if subject.compatibility_is_global else ""
    lines = banner(f"Subject: {subject.subject}")
    lines += [
        f"Latest version: {subject.version}",
        f"All versions: {', '.join(str(version) for version in subject.versions)}",
        f"Schema id: {subject.schema_id}",
        f"Schema type: {subject.schema_type}",
        f"Compatibility: {subject.compatibility}{scope}",
        "",
        "Schema:",
        "",
    ]
    lines += [f"  {line}" for line in pretty_schema(subject.schema).splitlines()]
    return "\n".join(lines) + "\n"


def pretty_schema(text: str) -> str:
    """Avro and JSON schemas indented by two, keys in their original order; any other text unchanged."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except json.JSONDecodeError:
        return text.strip()
