"""A set whose update a killed `up` left pending, recorded with the members that update declared: pure, exported
state in, exported state out (scripts/recover.py runs it). Without it the next `up` would find the topics the
killed run made already unrecorded, and refuse them as foreign."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from components.rules.names import ACL_SET, TOPIC_SET, dynamic_token
from components.rules.packed_members import pack, unpack
from components.rules.topic_set import PENDING

# The property holding a set's members, by the set's type token.
MEMBERS = {dynamic_token(TOPIC_SET): "topics", dynamic_token(ACL_SET): "bindings"}


def with_interrupted_updates(
    resources: Sequence[Mapping[str, Any]],
    pending_operations: Sequence[Mapping[str, Any]],
    read_members: Callable[[str, Any], Any] = unpack,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(resources, pending operations) after recording, for every set whose update a killed run left pending,
    the members that update declared beside the recorded ones (recorded members keep what they recorded). The
    pending updates of sets are then settled; the refresh of the next run keeps the members that exist.
    `read_members(property, value)` reads a set's recorded members (see components/compat/mapping_sets.py)."""
    declared: dict[str, tuple[str, dict[str, Any]]] = {}
    remaining: list[dict[str, Any]] = []
    for operation in pending_operations:
        resource = operation.get("resource") or {}
        field = MEMBERS.get(resource.get("type"))
        if operation.get("type") != "updating" or field is None:
            remaining.append(dict(operation))
            continue
        declared[resource["urn"]] = (field, _members(field, resource.get("inputs"), read_members))
    result: list[dict[str, Any]] = []
    for resource in resources:
        rewritten = dict(resource)
        if resource["urn"] in declared:
            field, members = declared[resource["urn"]]
            # Marked pending: the refresh keeps them while Kafka may still be making them (the controller goes on
            # with a request whose sender was killed), so the next apply knows them as the set's own.
            pending = {key: {**member, PENDING: True} for key, member in members.items()}
            for side in ("inputs", "outputs"):
                properties = dict(resource.get(side) or {})
                properties[field] = pack({**pending, **_members(field, properties, read_members)})
                rewritten[side] = properties
        result.append(rewritten)
    return result, remaining


def _members(
    field: str, properties: Mapping[str, Any] | None, read_members: Callable[[str, Any], Any]
) -> dict[str, Any]:
    return dict(read_members(field, (properties or {}).get(field)) or {})
