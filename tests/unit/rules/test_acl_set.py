"""The catalog's ACL set: its check, diff and plan, as tables."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from components.rules.acl import binding_id
from components.rules.acl_set import AclSetPlan, check_acl_set, diff_acl_set, plan_acl_set
from components.rules.catalog import AclSpec
from components.rules.values import UNKNOWN

WRITE = {
    "principal": "User:producer",
    "resource_type": "TOPIC",
    "resource_name": "caracal.",
    "pattern_type": "PREFIXED",
    "operation": "WRITE",
    "permission": "ALLOW",
    "host": "*",
}
READ = {**WRITE, "principal": "User:consumer", "pattern_type": "LITERAL", "resource_name": "caracal.events"}
CONNECTION = {"bootstrap.servers": "localhost:19093"}


def keyed(*bindings):
    return {binding_id(binding): binding for binding in bindings}


def test_valid_bindings_pass_unchanged_keyed_by_their_id():
    inputs, failures = check_acl_set({"bindings": keyed(WRITE, READ), "connection": CONNECTION})
    assert failures == []
    assert inputs == {"bindings": keyed(WRITE, READ), "connection": CONNECTION}
    assert list(inputs["bindings"]) == sorted(inputs["bindings"])


def test_bindings_are_normalised_and_rekeyed_so_write_and_WRITE_are_one_binding():
    lower = {**WRITE, "operation": "write", "pattern_type": "prefixed", "resource_type": "topic"}
    del lower["host"]
    inputs, failures = check_acl_set({"bindings": {"any-key": lower, binding_id(WRITE): WRITE}})
    assert failures == []
    assert inputs["bindings"] == keyed(WRITE)
    assert inputs["bindings"][binding_id(WRITE)]["pattern_type"] == "PREFIXED"


FAILURES = [
    ({"operation": "WRTIE"}, "operation: 'WRTIE' is not allowed; allowed: ALL, READ"),
    ({"pattern_type": "MATCH"}, "pattern_type: 'MATCH' is not allowed"),
    ({"principal": "producer"}, "principal: 'producer' is not allowed; allowed: User:<name>"),
    ({"resource_name": "*"}, "resource_name: allowed: a non-empty name or prefix"),
    ({"hots": "10.0.0.1"}, "unexpected fields hots; allowed: principal, resource_type"),
]


@pytest.mark.parametrize(("changes", "reason"), FAILURES)
def test_a_bad_binding_is_refused_naming_the_binding_and_its_field(changes, reason):
    _, failures = check_acl_set({"bindings": {"the-bad-one": {**WRITE, **changes}, binding_id(READ): READ}})
    assert len(failures) == 1
    assert failures[0].property == "bindings"
    assert failures[0].reason.startswith(f"the-bad-one: {reason}")


def test_a_binding_that_is_not_a_mapping_and_bindings_that_are_not_a_mapping_are_refused():
    _, failures = check_acl_set({"bindings": {"k": "User:producer"}})
    assert [(item.property, item.reason.split(":")[0]) for item in failures] == [("bindings", "k")]
    _, failures = check_acl_set({"bindings": ["x"]})
    assert [item.property for item in failures] == ["bindings"]


def test_values_known_only_after_apply_pass_through_unchecked():
    inputs, failures = check_acl_set({"bindings": UNKNOWN, "connection": UNKNOWN})
    assert (inputs, failures) == ({"bindings": UNKNOWN, "connection": UNKNOWN}, [])
    later = {**WRITE, "principal": UNKNOWN, "operation": UNKNOWN}
    inputs, failures = check_acl_set(
        {"bindings": {"later": later, "whole": UNKNOWN, "declared-key": {**READ, "host": ""}}}
    )
    assert failures == []
    assert inputs["bindings"] == {"later": later, "whole": UNKNOWN, binding_id(READ): {**READ, "host": "*"}}


def test_a_known_bad_field_beside_an_unknown_one_is_still_refused():
    _, failures = check_acl_set({"bindings": {"k": {**WRITE, "principal": UNKNOWN, "permission": "MAYBE"}}})
    assert [item.reason.split(": ")[1] for item in failures] == ["permission"]


OLDS = {"bindings": keyed(WRITE, READ), "connection": CONNECTION}
DIFFS = [
    ("same bindings and connection", {}, False),
    ("one binding added", {"bindings": keyed(WRITE, READ, {**READ, "operation": "DESCRIBE"})}, True),
    ("one binding removed", {"bindings": keyed(WRITE)}, True),
    ("prefixed became literal", {"bindings": keyed({**WRITE, "pattern_type": "LITERAL"}, READ)}, True),
    ("connection changed", {"connection": {"bootstrap.servers": "localhost:29093"}}, True),
    ("bindings unknown", {"bindings": UNKNOWN}, True),
    ("a binding's field unknown", {"bindings": {**keyed(WRITE), binding_id(READ): {**READ, "host": UNKNOWN}}}, True),
]


@pytest.mark.parametrize(("case", "changes", "changed"), DIFFS, ids=[case for case, _, _ in DIFFS])
def test_the_set_changes_when_its_bindings_or_connection_change(case, changes, changed):
    assert diff_acl_set(OLDS, {**OLDS, **changes}) is changed


def test_a_set_recorded_without_bindings_changes():
    assert diff_acl_set({}, OLDS)


PLANS = [
    ("fresh set: create what is missing, adopt what exists", set(), {"a", "b", "c"}, {"b", "x"}, ("a", "c"), ()),
    ("one added", {"a", "b"}, {"a", "b", "c"}, {"a", "b"}, ("c",), ()),
    ("one removed", {"a", "b"}, {"a"}, {"a", "b"}, (), ("b",)),
    ("removed and already gone", {"a", "b"}, {"a"}, {"a"}, (), ()),
    ("made elsewhere is never deleted", {"a"}, {"a"}, {"a", "x"}, (), ()),
    ("recorded, declared, missing: made again", {"a", "b"}, {"a", "b"}, {"a"}, ("b",), ()),
    ("everything removed", {"a", "b"}, set(), {"a", "b", "x"}, (), ("a", "b")),
]


@pytest.mark.parametrize(
    ("case", "recorded", "declared", "actual", "create", "delete"), PLANS, ids=[row[0] for row in PLANS]
)
def test_the_plan_creates_what_is_declared_and_missing_and_deletes_only_what_the_set_recorded(
    case, recorded, declared, actual, create, delete
):
    assert plan_acl_set(recorded, declared, actual) == AclSetPlan(create=create, delete=delete)


def test_the_plan_is_sorted_whatever_order_the_ids_come_in():
    ids = [f"id-{number:04d}" for number in range(2000)]
    plan = plan_acl_set(reversed(ids[:1000]), reversed(ids[500:]), ids[:700])
    assert plan.create == tuple(ids[700:])
    assert plan.delete == tuple(ids[:500])


def test_a_catalog_bindings_fields_are_exactly_its_identity():
    spec = AclSpec("User:app", "TOPIC", "orders", "PREFIXED", "READ", "DENY", "10.0.0.1")
    assert spec.fields() == asdict(spec)
    assert spec.key == "User:app|TOPIC|orders|PREFIXED|READ|DENY|10.0.0.1"
