"""Schema registry subjects as an operator sees them: which exist, and what the latest version of one holds.

The functions take a RegistryClient and return plain dataclasses; a missing subject is SubjectNotFound, any other
failure the client's RegistryError, which `explain_registry_error` turns into one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from components.clients.registry import SUBJECT_NOT_FOUND, RegistryClient, RegistryError


class SubjectNotFound(LookupError):
    """The subject asked for does not exist."""

    def __init__(self, subject: str) -> None:
        super().__init__(f"subject {subject!r} does not exist")
        self.subject = subject


@dataclass(frozen=True)
class SubjectDescription:
    """The latest version of a subject and the rule new versions must follow."""

    subject: str
    """Subject name, e.g. caracal.metering.events-value."""
    version: int
    """Latest version number."""
    versions: tuple[int, ...]
    """Every version number still registered."""
    schema_id: int
    """Registry-wide id of the latest schema; what serialized records carry."""
    schema_type: str
    """AVRO, JSON or PROTOBUF."""
    schema: str
    """Schema text as registered."""
    compatibility: str
    """Compatibility level new versions are checked against, e.g. BACKWARD."""
    compatibility_is_global: bool
    """True when the subject has no level of its own and the registry-wide default applies."""


def list_subjects(registry: RegistryClient) -> list[str]:
    """Every registered subject, sorted."""
    return sorted(registry.subjects())


def describe_subject(registry: RegistryClient, subject: str) -> SubjectDescription:
    """The latest version of `subject`; SubjectNotFound when there is no such subject."""
    try:
        latest = registry.latest(subject)
        versions = registry.versions(subject) if latest is not None else []
    except RegistryError as error:
        if error.code == SUBJECT_NOT_FOUND:
            raise SubjectNotFound(subject) from None
        raise
    if latest is None:
        raise SubjectNotFound(subject)
    level = registry.compatibility(subject)
    return SubjectDescription(
        subject=subject,
        version=int(latest.get("version") or 0),
        versions=tuple(sorted(versions)),
        schema_id=int(latest.get("id") or 0),
        # The Confluent API leaves the type out for Avro, its original and default type.
        schema_type=latest.get("schemaType") or "AVRO",
        schema=latest.get("schema") or "",
        compatibility=level or registry.compatibility() or "",
        compatibility_is_global=level is None,
    )


def explain_registry_error(error: RegistryError, url: str) -> str:
    """One line saying what went wrong."""
    # The message may be a whole error page from a proxy: its lines are joined so the report stays one line.
    message = " ".join(error.message.split())
    if error.status == 0:
        return f"cannot reach the schema registry at {url}: {message}"
    if error.status in (401, 403):
        return f"the schema registry refused the request: {message}"
    return f"schema registry error: {message} (HTTP {error.status})"
