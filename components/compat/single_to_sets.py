"""Single topic and ACL resources folded into sets: a state rewrite.

Keeps working: stacks whose state records topics and ACL bindings one resource each (the Topic and Acl kinds):
every catalog topic and binding until the sets of 2026-12-01, and the registry's three storage topics and ten
bindings until they became sets of the platform. The rewrite folds them into the sets that record exactly the
same (the catalog's TopicSet and AclSet, the platform's `registry-topics` and `registry-acls`), in the state only:
nothing in Kafka changes, and the `up` that follows finds nothing to do for them. Without it that `up` would
create the sets over topics they do not know (refused as foreign) and delete the single resources (refused where
protected, as in prod; and their providers are gone). `make up` runs it (scripts/recover.py) before anything
else, `make preview` previews a rewritten copy of a file backend's state.

A rewrite rather than a provider stub kept for the single kinds: one Pulumi resource cannot take the place of
several through aliases, a stub's deletion of the single resources is refused where they are protected, and the
preview of a stub would show deletions an operator must not approve blindly; the rewrite leaves the preview empty.

Since: 9f3897c, 2026-12-01 (the catalog's sets); the registry's storage and bindings since the sets of the platform
(2026-12-06).

Lets it go: every stack has run `make up` (or scripts/recover.py) with a release of 2026-12-06 or later; from then
on `recover.py --layout-check` exits 0 for each. A stack left on an older release can still be brought over by a
release that has this module, then by the newest.

Pure: exported state in, exported state out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from components.rules.acl import IDENTITY, binding_id
from components.rules.names import (
    ACL,
    ACL_SET,
    CATALOG_ACL_SET_ID,
    CATALOG_TOPIC_SET_ID,
    REGISTRY_ACL_SET_ID,
    REGISTRY_TOPIC_SET_ID,
    TOPIC,
    TOPIC_SET,
    dynamic_token,
    token,
)
from components.rules.packed_members import pack

TOPIC_SPEC_KEYS = ("partitions", "replication_factor", "config", "allow_data_loss", "adopt")
PROVIDER_KEY = "__provider"
CONNECTION = "connection"
SET_ID = "set_id"
PROTECT_DATA = "protect_data"
# What the engine records of where a resource was declared: it belongs to the single resources, not to the sets.
_DECLARATION_KEYS = ("sourcePosition", "stackTrace")


@dataclass(frozen=True)
class SetKind:
    """How single resources of one kind fold into a set."""

    single: str
    """Kind of the single resources (rules/names.py)."""
    set_kind: str
    """Kind of the set."""
    suffix: str
    """The end of the set's resource name."""
    field: str
    """The set's property holding its members."""

    def member(self, properties: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        if self.single == TOPIC:
            return str(properties["name"]), {key: properties[key] for key in TOPIC_SPEC_KEYS if key in properties}
        fields = {key: properties[key] for key in IDENTITY}
        return binding_id(fields), fields


@dataclass(frozen=True)
class Owner:
    """A component whose single resources of a kind fold into one set of its own."""

    prefix: str
    """The set's resource name is `<component name>-<prefix><kind suffix>`."""
    ids: Mapping[str, str]
    """The set's id, by set kind."""


SET_KINDS = (SetKind(TOPIC, TOPIC_SET, "topics", "topics"), SetKind(ACL, ACL_SET, "acls", "bindings"))
OWNERS = {
    token("Catalog"): Owner("", {TOPIC_SET: CATALOG_TOPIC_SET_ID, ACL_SET: CATALOG_ACL_SET_ID}),
    # The registry's storage topics and bindings (components/platform/platform.py).
    token("Platform"): Owner("registry-", {TOPIC_SET: REGISTRY_TOPIC_SET_ID, ACL_SET: REGISTRY_ACL_SET_ID}),
}


def _qualified_type(urn: str) -> str:
    return urn.split("::")[2]


def _child_urn(parent_urn: str, kind: str, name: str) -> str:
    stack_and_project = "::".join(parent_urn.split("::")[:2])
    return f"{stack_and_project}::{_qualified_type(parent_urn)}${dynamic_token(kind)}::{name}"


def _union(lists: Sequence[Sequence[str]], dropped: set[str], replacement: dict[str, str]) -> list[str]:
    merged: dict[str, None] = {}
    for items in lists:
        for urn in items:
            merged[replacement.get(urn, urn)] = None
    return [urn for urn in merged if urn not in dropped]


def _set_resource(
    kind: SetKind, owner_urn: str, singles: list[dict[str, Any]], provider: str, dropped: set[str]
) -> dict[str, Any]:
    first = singles[0]
    owner = OWNERS[_qualified_type(owner_urn).split("$")[-1]]
    name = f"{owner_urn.split('::')[-1]}-{owner.prefix}{kind.suffix}"
    protect = any(single.get("protect", False) for single in singles)
    # What the set's args hold beside its members and connection, as the program declares them.
    args: dict[str, Any] = {SET_ID: owner.ids[kind.set_kind]}
    if kind.set_kind == TOPIC_SET:
        args[PROTECT_DATA] = protect
    inputs = dict(kind.member(single.get("inputs") or {}) for single in singles)
    outputs = dict(kind.member(single.get("outputs") or single.get("inputs") or {}) for single in singles)
    connection_input = (first.get("inputs") or {}).get(CONNECTION)
    connection_output = (first.get("outputs") or {}).get(CONNECTION, connection_input)
    resource = {key: value for key, value in first.items() if key not in _DECLARATION_KEYS}
    resource.update(
        urn=_child_urn(owner_urn, kind.set_kind, name),
        type=dynamic_token(kind.set_kind),
        id=owner.ids[kind.set_kind],
        inputs={PROVIDER_KEY: provider, kind.field: pack(inputs), CONNECTION: connection_input, **args},
        outputs={PROVIDER_KEY: provider, kind.field: pack(outputs), CONNECTION: connection_output, **args},
        protect=protect,
        dependencies=_union([single.get("dependencies") or [] for single in singles], dropped, {}),
        propertyDependencies={
            CONNECTION: _union(
                [(single.get("propertyDependencies") or {}).get(CONNECTION) or [] for single in singles], dropped, {}
            )
        },
        additionalSecretOutputs=[CONNECTION],
    )
    return resource


def _owners(resources: Sequence[Mapping[str, Any]]) -> list[str]:
    return [resource["urn"] for resource in resources if resource.get("type") in OWNERS]


def has_single_layout(resources: Sequence[Mapping[str, Any]]) -> bool:
    """Whether any catalog or platform still records its topics or bindings one resource each."""
    owners = set(_owners(resources))
    singles = {dynamic_token(kind.single) for kind in SET_KINDS}
    return any(resource.get("type") in singles and resource.get("parent") in owners for resource in resources)


def to_set_layout(resources: Sequence[Mapping[str, Any]], providers: Mapping[str, str]) -> list[dict[str, Any]]:
    """`resources` (a deployment's, in order) with every catalog's and platform's single topic and binding
    resources folded into one set per kind, placed where the first of them was; references to them now name their
    set. `providers` maps a set kind to its serialized dynamic provider."""
    replacement: dict[str, str] = {}
    placed: dict[str, dict[str, Any]] = {}
    for owner_urn in _owners(resources):
        for kind in SET_KINDS:
            singles = [
                dict(resource)
                for resource in resources
                if resource.get("type") == dynamic_token(kind.single) and resource.get("parent") == owner_urn
            ]
            if not singles:
                continue
            dropped = {single["urn"] for single in singles}
            made = _set_resource(kind, owner_urn, singles, providers[kind.set_kind], dropped)
            replacement.update(dict.fromkeys(dropped, made["urn"]))
            placed[singles[0]["urn"]] = made
    result: list[dict[str, Any]] = []
    for resource in resources:
        urn = resource["urn"]
        if urn in placed:
            result.append(placed[urn])
            continue
        if urn in replacement:
            continue
        rewritten = dict(resource)
        if resource.get("dependencies"):
            rewritten["dependencies"] = _union([resource["dependencies"]], set(), replacement)
        if resource.get("propertyDependencies"):
            rewritten["propertyDependencies"] = {
                key: _union([urns or []], set(), replacement) for key, urns in resource["propertyDependencies"].items()
            }
        result.append(rewritten)
    return result


REWRITE_FIRST = (
    "this stack's state records topics or ACL bindings one resource each (a release before 2026-12-06), whose "
    "providers are gone: rewrite the state first. `make up`, `make preview`, `make down` and `make refresh` do it; "
    "with plain `pulumi` commands, run `python scripts/recover.py STACK` before them"
)


class FormerSingleProvider:
    """What the engine finds under the single kinds' former provider names (former_modules answers them with this
    module) when a stack that was not rewritten reaches a single Topic or Acl: a refusal naming what to run,
    instead of "No module named components.providers.topic"."""

    def _refuse(self, *_args: object, **_kwargs: object) -> None:
        raise RuntimeError(REWRITE_FIRST)

    check = diff = create = read = update = delete = _refuse


# The class names the former resources' providers were pickled under.
TopicProvider = AclProvider = FormerSingleProvider
