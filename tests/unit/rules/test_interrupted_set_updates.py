"""A set's update killed midway: the members it declared are recorded beside the recorded ones."""

from __future__ import annotations

import pytest

from components.compat.mapping_sets import recorded_members
from components.rules.interrupted_set_updates import with_interrupted_updates
from components.rules.names import ACL_SET, TOPIC, TOPIC_SET, dynamic_token
from components.rules.packed_members import pack, unpack


# A set recorded before its members were packed holds them as a mapping: both are read.
@pytest.mark.parametrize("form", [pack, dict], ids=["packed", "mapping"])
def test_an_interrupted_set_update_records_the_members_it_declared_beside_the_recorded_ones(form):
    recorded = form({"a": {"partitions": 3}})
    resource = {
        "urn": "urn:set",
        "type": dynamic_token(TOPIC_SET),
        "inputs": {"topics": recorded},
        "outputs": {"topics": recorded},
    }
    other = {"type": "creating", "resource": {"urn": "urn:x", "type": dynamic_token(TOPIC)}}
    pending = [
        {
            "type": "updating",
            "resource": {**resource, "inputs": {"topics": pack({"a": {"partitions": 9}, "b": {"partitions": 1}})}},
        },
        other,
    ]
    resources, remaining = with_interrupted_updates([resource], pending, recorded_members)
    assert remaining == [other]
    written = resources[0]["inputs"]["topics"]
    assert unpack("topics", written) == {"a": {"partitions": 3}, "b": {"partitions": 1, "pending": True}}
    assert isinstance(written, str)
    assert resources[0]["outputs"]["topics"] == resources[0]["inputs"]["topics"]


def test_without_interrupted_set_updates_nothing_changes():
    resource = {"urn": "urn:set", "type": dynamic_token(ACL_SET), "inputs": {}, "outputs": {}}
    pending = [{"type": "updating", "resource": {"urn": "urn:c", "type": "docker:index/container:Container"}}]
    assert with_interrupted_updates([resource], pending) == ([resource], pending)
