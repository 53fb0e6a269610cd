"""Schema registry subjects as the operator sees them: which exist, and what the latest version of one holds.

The I/O functions take a SchemaRegistryClient and return plain dataclasses; registry failures become CliErrors
with one line saying what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

from caracal_cli.errors import CliError

try:  # the HTTP library the registry client uses: httpx2 where installed, else httpx
    import httpx2 as httpx
except ImportError:  # pragma: no cover
    import httpx  # type: ignore[no-redef]

# Confluent API error codes, which Apicurio's compatibility API returns too.
SUBJECT_NOT_FOUND = 40401
_T = TypeVar("_T")


class RegistryUnreachable(ConnectionError):
    """No answer from the registry (refused connection, TLS failure, timeout); the message says which."""


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


def list_subjects(registry: SchemaRegistryClient) -> list[str]:
    """Every registered subject, sorted."""
    return sorted(_call(registry, lambda: registry.get_subjects()))


def describe_subject(registry: SchemaRegistryClient, subject: str) -> SubjectDescription:
    """The latest version of `subject`; SubjectNotFound when there is no such subject."""
    latest = _call(registry, lambda: registry.get_latest_version(subject), subject)
    versions = _call(registry, lambda: registry.get_versions(subject), subject)
    level, is_global = _compatibility(registry, subject)
    return SubjectDescription(
        subject=subject,
        version=int(latest.version or 0),
        versions=tuple(sorted(int(version) for version in versions)),
        schema_id=int(latest.schema_id or 0),
        # The Confluent API leaves the type out for Avro, its original and default type.
        schema_type=latest.schema.schema_type or "AVRO",
        schema=latest.schema.schema_str or "",
        compatibility=level,
        compatibility_is_global=is_global,
    )


def _compatibility(registry: SchemaRegistryClient, subject: str) -> tuple[str, bool]:
    try:
        return registry.get_compatibility(subject), False
    except SchemaRegistryError as error:
        # A subject without a level of its own answers 404; the registry-wide level applies then.
        if error.http_status_code != 404:
            raise _registry_error(error) from None
    return _call(registry, lambda: registry.get_compatibility()), True


def _call(registry: SchemaRegistryClient, request: Callable[[], _T], subject: str | None = None) -> _T:
    try:
        return request()
    except SchemaRegistryError as error:
        if subject is not None and error.error_code == SUBJECT_NOT_FOUND:
            raise SubjectNotFound(subject) from None
        raise _registry_error(error) from None
    except (CliError, SubjectNotFound):
        raise
    except httpx.TransportError as error:  # refused connection, TLS failure, DNS, timeout
        raise RegistryUnreachable(_describe(error)) from None


def _registry_error(error: SchemaRegistryError) -> CliError:
    if error.http_status_code in (401, 403):
        return CliError(f"the schema registry refused the request: {error.error_message}")
    return CliError(f"schema registry error: {error.error_message} (HTTP {error.http_status_code})")


def _describe(error: Exception) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
