"""One definition each: ACL operations and identity, the internal-topic rule, a topic's replication factor."""

from __future__ import annotations

import pytest
from confluent_kafka.admin import AclOperation

from components.rules.acl import OPERATIONS, binding_id
from components.rules.catalog import AclSpec
from components.rules.names import is_internal_topic, replication_factor


def test_acl_operations_are_kafkas_without_unknown_and_any():
    assert tuple(op.name for op in AclOperation if op.name not in ("UNKNOWN", "ANY")) == OPERATIONS


def test_a_bindings_identity_is_the_same_whatever_the_case_of_its_enum_fields_and_however_it_is_held():
    spec = AclSpec("User:producer", "TOPIC", "caracal.", "PREFIXED", "WRITE")
    props = {
        "principal": "User:producer",
        "resource_type": "topic",
        "resource_name": "caracal.",
        "pattern_type": "prefixed",
        "operation": "write",
        "permission": "allow",
    }
    assert spec.key == binding_id(props) == "User:producer|TOPIC|caracal.|PREFIXED|WRITE|ALLOW|*"
    # Names and principals keep their case: User:Producer is another principal.
    assert binding_id({**props, "principal": "User:Producer"}) != spec.key


@pytest.mark.parametrize(
    ("name", "internal"),
    [("__consumer_offsets", True), ("_schemas", True), ("caracal.dlq", False), ("kafkasql-journal", False)],
)
def test_internal_topics_are_kafkas_and_its_tools_own(name, internal):
    assert is_internal_topic(name) is internal


@pytest.mark.parametrize(("counts", "factor"), [([3, 3, 3], 3), ([2, 3, 3], 2), ([], 0)])
def test_a_topics_replication_factor_is_what_every_partition_has(counts, factor):
    assert replication_factor(counts) == factor
