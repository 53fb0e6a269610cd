"""Reading subjects from the schema registry, and how its failures are reported."""

from __future__ import annotations

from typing import Any

import pytest
from confluent_kafka.schema_registry import RegisteredSchema, Schema
from confluent_kafka.schema_registry.error import SchemaRegistryError

from caracal_cli.errors import CliError
from caracal_cli.subjects import (
    RegistryUnreachable,
    SubjectDescription,
    SubjectNotFound,
    describe_subject,
    list_subjects,
)

try:
    import httpx2 as httpx
except ImportError:  # pragma: no cover
    import httpx  # type: ignore[no-redef]

SUBJECT = "caracal.policy.changes-value"
AVRO = '{"type":"record","name":"PolicyChangeEvent","fields":[]}'


class FakeRegistry:
    """Answers like SchemaRegistryClient; `subject_level` None means the subject has no compatibility of its own."""

    def __init__(self, subject_level: str | None = "FULL", failure: Exception | None = None) -> None:
        self.subject_level = subject_level
        self.failure = failure

    def _fail(self) -> None:
        if self.failure is not None:
            raise self.failure

    def get_subjects(self) -> list[str]:
        self._fail()
        return ["caracal.metering.events-value", SUBJECT, "caracal.agent.lifecycle-value"]

    def get_latest_version(self, subject: str) -> RegisteredSchema:
        self._fail()
        if subject != SUBJECT:
            raise SchemaRegistryError(404, 40401, f"Subject '{subject}' not found.")
        return RegisteredSchema(subject=subject, version=3, schema_id=12, guid=None, schema=Schema(AVRO, None))

    def get_versions(self, subject: str) -> list[int]:
        return [3, 1, 2]

    def get_compatibility(self, subject: str | None = None) -> str:
        if subject is None:
            return "BACKWARD"
        if self.subject_level is None:
            raise SchemaRegistryError(404, 40408, "Subject does not have subject-level compatibility configured")
        return self.subject_level


def test_subjects_are_listed_sorted() -> None:
    assert list_subjects(FakeRegistry()) == [  # type: ignore[arg-type]
        "caracal.agent.lifecycle-value",
        "caracal.metering.events-value",
        SUBJECT,
    ]


@pytest.mark.parametrize(
    ("subject_level", "compatibility", "is_global"),
    [
        pytest.param("FULL", "FULL", False, id="subject's own level"),
        pytest.param(None, "BACKWARD", True, id="registry default when the subject has none"),
    ],
)
def test_subject_description_has_latest_version_and_compatibility(
    subject_level: str | None, compatibility: str, is_global: bool
) -> None:
    assert describe_subject(FakeRegistry(subject_level), SUBJECT) == SubjectDescription(  # type: ignore[arg-type]
        subject=SUBJECT,
        version=3,
        versions=(1, 2, 3),
        schema_id=12,
        schema_type="AVRO",
        schema=AVRO,
        compatibility=compatibility,
        compatibility_is_global=is_global,
    )


def test_missing_subject_raises_subject_not_found() -> None:
    with pytest.raises(SubjectNotFound, match="subject 'nope-value' does not exist"):
        describe_subject(FakeRegistry(), "nope-value")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("failure", "raised", "message"),
    [
        pytest.param(
            SchemaRegistryError(401, 401, "Unauthorized"), CliError,
            "the schema registry refused the request: Unauthorized", id="credentials refused",
        ),
        pytest.param(
            SchemaRegistryError(500, 50001, "Error in the backend data store"), CliError,
            r"schema registry error: Error in the backend data store \(HTTP 500\)", id="server error",
        ),
        pytest.param(
            httpx.ConnectError("[Errno 111] Connection refused"), RegistryUnreachable,
            r"ConnectError: \[Errno 111\] Connection refused", id="no connection",
        ),
    ],
)  # fmt: skip
def test_registry_failures_become_one_line_errors(failure: Exception, raised: type[Exception], message: Any) -> None:
    with pytest.raises(raised, match=message):
        list_subjects(FakeRegistry(failure=failure))  # type: ignore[arg-type]
