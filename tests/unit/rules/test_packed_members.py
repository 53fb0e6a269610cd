"""A set's members packed into one string: canonical, read back whole; the former mapping read by compat only."""

from __future__ import annotations

import pytest

from components.compat.mapping_sets import recorded_members, unpacked
from components.rules.packed_members import pack, packed, unpack
from components.rules.values import UNKNOWN

MEMBERS = {"b": {"partitions": 3, "config": {"retention.ms": "1"}}, "a": {"partitions": 1, "config": {}}}


def test_equal_members_pack_to_the_same_string_whatever_their_order():
    reordered = {"a": {"config": {}, "partitions": 1}, "b": {"config": {"retention.ms": "1"}, "partitions": 3}}
    assert pack(MEMBERS) == pack(reordered)
    assert pack(MEMBERS).startswith('{"a":{"config":{},"partitions":1}')


def test_packed_members_come_back_equal():
    assert unpack("topics", pack(MEMBERS)) == MEMBERS


@pytest.mark.parametrize("value", [UNKNOWN, None], ids=["unknown", "absent"])
def test_what_is_not_a_packed_string_is_read_as_it_is(value):
    assert unpack("topics", value) is value
    assert recorded_members("topics", value) is value


def test_members_recorded_as_a_mapping_are_read_by_the_compatibility_path_alone():
    with pytest.raises(ValueError, match=r"^topics: members recorded as a mapping, not packed"):
        unpack("topics", MEMBERS)
    assert recorded_members("topics", MEMBERS) == MEMBERS
    assert recorded_members("topics", pack(MEMBERS)) == MEMBERS


@pytest.mark.parametrize(
    ("value", "found"), [("{not json", "Expecting property name"), ("[1]", "found list"), ('"x"', "found str")]
)
def test_a_string_that_holds_no_members_is_an_error_naming_the_property(value, found):
    with pytest.raises(ValueError, match=r"^bindings: not the JSON object of a set's members") as raised:
        unpack("bindings", value)
    assert found in str(raised.value)


def test_only_the_named_properties_are_packed_and_unpacked():
    properties = {"topics": MEMBERS, "connection": {"password": "p"}, "protect_data": True}
    sent = packed(properties, ("topics",))
    assert sent == {"topics": pack(MEMBERS), "connection": {"password": "p"}, "protect_data": True}
    assert unpacked(sent, ("topics",)) == properties
