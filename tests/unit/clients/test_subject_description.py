"""Reading subjects from the schema registry, and how its failures are reported."""

from __future__ import annotations

import re
from typing import Any

import pytest

from components.clients.registry import RegistryError
from components.clients.subject_description import (
    SubjectDescription,
    SubjectNotFound,
    describe_subject,
    explain_registry_error,
    list_subjects,
)

SUBJECT = "caracal.policy.changes-value"
AVRO = '{"type":"record","name":"PolicyChangeEvent","fields":[]}'
URL = "https://reg:8081"


class FakeRegistry:
    """Answers like RegistryClient; `subject_level` None means the subject has no compatibility of its own."""

    def __init__(
        self, subject_level: str | None = "FULL", failure: Exception | None = None, gone_after_latest: bool = False
    ) -> None:
        self.subject_level = subject_level
        self.failure = failure
        self.gone_after_latest = gone_after_latest

    def _fail(self) -> None:
        if self.failure is not None:
            raise self.failure

    def subjects(self) -> list[str]:
        self._fail()
        return ["caracal.metering.events-value", SUBJECT, "caracal.agent.lifecycle-value"]

    def latest(self, subject: str) -> dict[str, Any] | None:
        self._fail()
        if subject != SUBJECT:
            return None  # RegistryClient's answer to a 404
        # The Confluent API leaves schemaType out for Avro.
        return {"subject": subject, "version": 3, "id": 12, "schema": AVRO}

    def versions(self, subject: str) -> list[int]:
        if self.gone_after_latest:
            raise RegistryError(404, f"Subject '{subject}' not found.", 40401)
        return [3, 1, 2]

    def compatibility(self, subject: str | None = None) -> str | None:
        if subject is None:
            return "BACKWARD"
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


def test_subject_deleted_between_two_requests_is_not_found_either() -> None:
    with pytest.raises(SubjectNotFound, match=f"subject '{SUBJECT}' does not exist"):
        describe_subject(FakeRegistry(gone_after_latest=True), SUBJECT)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        pytest.param(
            RegistryError(401, "Unauthorized", 401),
            "the schema registry refused the request: Unauthorized", id="credentials refused",
        ),
        pytest.param(
            RegistryError(500, "Error in the backend data store", 50001),
            r"schema registry error: Error in the backend data store \(HTTP 500\)", id="server error",
        ),
        pytest.param(
            RegistryError(0, "ConnectionRefusedError: [Errno 111] Connection refused"),
            rf"cannot reach the schema registry at {URL}: ConnectionRefusedError: \[Errno 111\] Connection refused",
            id="no connection",
        ),
        pytest.param(
            RegistryError(502, "<html>\n  <h1>Bad Gateway</h1>\n</html>\n"),
            r"^schema registry error: <html> <h1>Bad Gateway</h1> </html> \(HTTP 502\)$", id="error page on one line",
        ),
    ],
)  # fmt: skip
def test_registry_failures_become_one_line_errors(failure: RegistryError, message: str) -> None:
    with pytest.raises(RegistryError) as raised:
        list_subjects(FakeRegistry(failure=failure))  # type: ignore[arg-type]

    assert raised.value is failure
    assert re.search(message, explain_registry_error(raised.value, URL)), explain_registry_error(raised.value, URL)
