"""The subject, SCRAM user and ACL providers' check and diff, as tables."""

from __future__ import annotations

import json

import pytest

from components.rules.acl import check_acl
from components.rules.scram_user import check_user, diff_user
from components.rules.subject import check_subject, diff_subject

SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Event",
        "namespace": "io.caracal",
        "fields": [{"name": "id", "type": "string", "doc": "Event id"}],
    }
)
REGISTRY = {"url": "https://localhost:18081/apis/ccompat/v7", "ca_pem": "CA"}
SUBJECT = {
    "subject": "caracal.dlq-value",
    "schema": SCHEMA,
    "compatibility": "BACKWARD",
    "references": [],
    "hard_delete": False,
    "registry": REGISTRY,
}


def test_whitespace_and_key_order_of_a_schema_never_make_a_new_version():
    checked, _ = check_subject(SUBJECT)
    reordered = json.dumps(json.loads(SCHEMA), indent=4, sort_keys=True)
    rechecked, _ = check_subject({**SUBJECT, "schema": reordered})
    assert checked["schema"] == rechecked["schema"]
    assert diff_subject(checked, rechecked).changes is False


SUBJECT_FAILURES = [
    ({"schema": "{not json"}, "schema"),
    ({"schema": json.dumps({"type": "record", "name": "E"})}, "schema"),
    ({"schema": json.dumps({"type": "record", "name": "E", "fields": [{"name": "a", "type": "Money"}]})}, "schema"),
    ({"compatibility": "SOMETIMES"}, "compatibility"),
    ({"subject": "bad subject"}, "subject"),
]


@pytest.mark.parametrize(("changes", "property_"), SUBJECT_FAILURES)
def test_subject_check_refuses_invalid_inputs_naming_the_property(changes, property_):
    _, failures = check_subject({**SUBJECT, **changes})
    assert [failure.property for failure in failures] == [property_]


def test_a_schema_parses_with_the_named_types_of_its_references():
    money = json.dumps(
        {"type": "record", "name": "Money", "namespace": "io.caracal", "fields": [{"name": "amount", "type": "string"}]}
    )
    uses = json.dumps(
        {
            "type": "record",
            "name": "E",
            "namespace": "io.caracal",
            "fields": [{"name": "cost", "type": "io.caracal.Money"}],
        }
    )
    _, failures = check_subject({**SUBJECT, "schema": uses, "reference_schemas": {"money": money}})
    assert failures == []


SCHEMA_V2 = json.dumps(
    {
        "type": "record",
        "name": "Event",
        "namespace": "io.caracal",
        "fields": [{"name": "id", "type": "string", "doc": "Event id"}, {"name": "n", "type": "int", "default": 0}],
    }
)

SUBJECT_DIFFS = [
    ({}, False, [], False, False),
    ({"schema": SCHEMA_V2}, True, [], True, False),
    ({"compatibility": "FULL"}, True, [], False, True),
    ({"schema": SCHEMA_V2, "compatibility": "NONE"}, True, [], True, True),
    ({"subject": "other-value"}, True, ["subject"], False, False),
    ({"hard_delete": True}, True, [], False, False),
]


@pytest.mark.parametrize(("changes", "any_change", "replaces", "new_version", "new_level"), SUBJECT_DIFFS)
def test_subject_diff_registers_new_versions_and_levels_in_place(changes, any_change, replaces, new_version, new_level):
    old, _ = check_subject(SUBJECT)
    news, _ = check_subject({**SUBJECT, **changes})
    result = diff_subject(old, news)
    assert (result.changes, result.replaces, result.new_version, result.new_compatibility) == (
        any_change,
        replaces,
        new_version,
        new_level,
    )


CONNECTION = {"bootstrap_servers": "localhost:19093", "username": "admin", "password": "p" * 32, "ca_pem": "CA"}
USER = {"username": "producer", "password": "x" * 32, "iterations": 8192, "connection": CONNECTION}

USER_FAILURES = [
    ({"username": "bad user"}, "username"),
    ({"username": ""}, "username"),
    ({"iterations": 1000}, "iterations"),
    ({"iterations": 20000}, "iterations"),
    ({"password": "short"}, "password"),
]


@pytest.mark.parametrize(("changes", "property_"), USER_FAILURES)
def test_user_check_refuses_invalid_inputs_naming_the_property(changes, property_):
    _, failures = check_user({**USER, **changes})
    assert [failure.property for failure in failures] == [property_]


@pytest.mark.parametrize(
    ("changes", "any_change", "replaces"),
    [
        ({}, False, []),
        ({"password": "y" * 32}, True, []),
        ({"iterations": 4096}, True, []),
        ({"username": "producer2"}, True, ["username"]),
    ],
)
def test_a_password_rotates_in_place_and_a_new_name_is_a_new_user(changes, any_change, replaces):
    assert diff_user(USER, {**USER, **changes}) == (any_change, replaces)


ACL = {
    "principal": "User:producer",
    "resource_type": "TOPIC",
    "resource_name": "caracal.",
    "pattern_type": "PREFIXED",
    "operation": "WRITE",
    "permission": "ALLOW",
    "host": "*",
    "connection": CONNECTION,
}

ACL_FAILURES = [
    ({"principal": "producer"}, "principal"),
    ({"resource_type": "BROKER"}, "resource_type"),
    ({"pattern_type": "MATCH"}, "pattern_type"),
    ({"pattern_type": "ANY"}, "pattern_type"),
    ({"operation": "FLY"}, "operation"),
    ({"permission": "PERHAPS"}, "permission"),
    ({"resource_name": ""}, "resource_name"),
]


@pytest.mark.parametrize(("changes", "property_"), ACL_FAILURES)
def test_acl_check_refuses_invalid_bindings_naming_the_field(changes, property_):
    _, failures = check_acl({**ACL, **changes})
    assert [failure.property for failure in failures] == [property_]


def test_acl_check_keeps_a_prefixed_pattern_prefixed():
    inputs, _ = check_acl({**ACL, "pattern_type": "prefixed", "operation": "write"})
    assert inputs["pattern_type"] == "PREFIXED"
    assert inputs["operation"] == "WRITE"
