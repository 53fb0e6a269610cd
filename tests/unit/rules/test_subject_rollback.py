"""A schema reverted to an older version of its subject: found, refused with the way out, or allowed as asked."""

from __future__ import annotations

import pytest

from components.rules.subject import check_subject, older_version_matching, rollback_refusal

A, B, C = '"string"', '"int"', '"long"'


@pytest.mark.parametrize(
    ("schema", "history", "version"),
    [
        pytest.param(A, [(1, A), (2, B)], 1, id="reverted to version 1"),
        pytest.param(B, [(1, A), (2, B)], None, id="already the latest"),
        pytest.param(C, [(1, A), (2, B)], None, id="a new schema"),
        pytest.param(A, [], None, id="a new subject"),
        pytest.param(A, [(1, A), (3, B), (4, A), (5, C)], 4, id="the newest of several equal versions"),
    ],
)
def test_an_older_version_equal_to_the_declared_schema_is_found(schema, history, version):
    assert older_version_matching(schema, history) == version


def test_the_refusal_names_the_subject_the_versions_and_both_ways_out():
    message = rollback_refusal("caracal.metering.events-value", 1, 3)
    assert message.startswith("subject caracal.metering.events-value: the declared schema equals version 1")
    assert "the latest is version 3" in message
    assert "`rollback: reregister`" in message and "as version 4" in message
    assert "`rollback: delete_newer` (soft-deletes versions 2 to 3)" in message


@pytest.mark.parametrize(
    ("given", "normalised", "failing"), [(None, "refuse", []), ("DELETE_NEWER", "delete_newer", [])]
)
def test_the_rollback_mode_is_checked_and_normalised(given, normalised, failing):
    inputs, failures = check_subject({"subject": "s-value", "schema": A, "rollback": given})
    assert inputs["rollback"] == normalised
    assert [failure.property for failure in failures] == failing


def test_an_unknown_rollback_mode_is_refused_naming_the_allowed_ones():
    _, failures = check_subject({"subject": "s-value", "schema": A, "rollback": "undo"})
    assert [(failure.property, failure.reason) for failure in failures] == [
        ("rollback", "'undo' is not allowed; allowed: refuse, reregister, delete_newer")
    ]
