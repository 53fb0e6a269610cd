"""What a schema subject declaration may say and what a change to it means: pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from components.rules.avro_schema import SchemaError, parse_avro
from components.rules.names import SUBJECT_NAME, SUBJECT_NAME_ALLOWED
from components.rules.values import Failure, is_unknown

COMPATIBILITY_LEVELS = (
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
    "NONE",
)


@dataclass(frozen=True)
class SubjectDiff:
    changes: bool
    replaces: list[str] = field(default_factory=list)
    new_version: bool = False
    """The schema differs from the registered one: a new version is registered."""
    new_compatibility: bool = False
    """The subject's compatibility level changes in place."""


def check_subject(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    """Validate the subject name, level and schema (parsed by fastavro with its references' named types);
    return inputs with the schema in canonical form, so whitespace and key order never make a new version."""
    failures: list[Failure] = []
    inputs = dict(news)
    subject = news.get("subject")
    if not is_unknown(subject) and (not isinstance(subject, str) or not SUBJECT_NAME.match(subject)):
        failures.append(Failure("subject", f"{subject!r} is not allowed; allowed: {SUBJECT_NAME_ALLOWED}"))
    level = str(news.get("compatibility", "BACKWARD")).upper()
    if level not in COMPATIBILITY_LEVELS:
        failures.append(
            Failure("compatibility", f"{level!r} is not allowed; allowed: {', '.join(COMPATIBILITY_LEVELS)}")
        )
    inputs["compatibility"] = level
    named = news.get("reference_schemas") or {}
    schema = news.get("schema")
    if not is_unknown(schema) and not any(is_unknown(value) for value in named.values()):
        try:
            inputs["schema"] = parse_avro(str(schema), named)
        except SchemaError as error:
            failures.append(Failure("schema", f"subject {subject}: {error}"))
    inputs["hard_delete"] = bool(news.get("hard_delete", False))
    rollback = str(news.get("rollback") or "refuse").lower()
    if rollback not in ROLLBACK_MODES:
        failures.append(Failure("rollback", f"{rollback!r} is not allowed; allowed: {', '.join(ROLLBACK_MODES)}"))
    inputs["rollback"] = rollback
    return inputs, failures


def diff_subject(olds: Mapping[str, Any], news: Mapping[str, Any]) -> SubjectDiff:
    replaces = ["subject"] if olds.get("subject") != news.get("subject") else []
    new_version = olds.get("schema") != news.get("schema") or olds.get("references") != news.get("references")
    new_compatibility = olds.get("compatibility") != news.get("compatibility")
    changes = bool(
        replaces
        or new_version
        or new_compatibility
        or bool(olds.get("hard_delete")) != bool(news.get("hard_delete"))
        or olds.get("registry") != news.get("registry")
    )
    return SubjectDiff(changes, replaces, new_version and not replaces, new_compatibility and not replaces)


# What to do when the declared schema equals an older version of its subject (a revert in git): the registry
# answers a registration of it with that older version, so nothing would change and the diff would stay forever.
ROLLBACK_MODES = ("refuse", "reregister", "delete_newer")


def older_version_matching(schema: str, history: Sequence[tuple[int, str]]) -> int | None:
    """The version of `history` ((version, canonical schema), oldest first) that equals `schema`, when it is not
    the latest; None when the schema is new to the subject or already its latest version."""
    if not history or history[-1][1] == schema:
        return None
    return next((version for version, text in reversed(history[:-1]) if text == schema), None)


def versions_after(version: int, history: Sequence[tuple[int, str]]) -> list[int]:
    """The versions of `history` (the ones the registry still serves) newer than `version`, newest first: what
    `rollback: delete_newer` soft-deletes. Version numbers are not contiguous: a version soft-deleted by an earlier
    rollback is no longer served and keeps its number (the next registration gets a new one), and the registry
    refuses to soft-delete it a second time."""
    return sorted((served for served, _ in history if served > version), reverse=True)


def rollback_refusal(subject: str, version: int, latest: int) -> str:
    return (
        f"subject {subject}: the declared schema equals version {version}, an older version of the subject (the "
        f"latest is version {latest}); registering it again would leave version {latest} the latest. To make it "
        f"the subject's schema again, set `rollback: reregister` on the subject (registers it once more, as version "
        f"{latest + 1}), or `rollback: delete_newer` (soft-deletes versions {version + 1} to {latest}); or declare "
        f"the schema of version {latest}"
    )
