"""Every ACL binding of a catalog as one set: what the set may hold, when it changes, and which bindings an `up`
creates and deletes. Each binding keeps its full identity (components/rules/acl.py), so adding or removing one
never touches another, and the set deletes only bindings it recorded itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from components.rules.acl import IDENTITY, binding_id, check_acl
from components.rules.values import Failure, is_unknown

BINDINGS = "bindings"


@dataclass(frozen=True)
class AclSetPlan:
    create: tuple[str, ...]
    """Ids of declared bindings the cluster does not have, sorted."""
    delete: tuple[str, ...]
    """Ids of bindings the set recorded, no longer declares and the cluster still has, sorted."""


def _has_unknown(fields: Any) -> bool:
    return is_unknown(fields) or (isinstance(fields, Mapping) and any(is_unknown(value) for value in fields.values()))


def _binding_failures(key: str, fields: Any) -> list[Failure]:
    if is_unknown(fields):
        return []
    if not isinstance(fields, Mapping):
        return [Failure(BINDINGS, f"{key}: {fields!r} is not allowed; allowed: a mapping of {', '.join(IDENTITY)}")]
    failures = []
    unexpected = sorted(set(fields) - set(IDENTITY))
    if unexpected:
        # A misspelt field would otherwise be dropped and its default (e.g. host `*`) taken silently.
        failures.append(
            Failure(BINDINGS, f"{key}: unexpected fields {', '.join(unexpected)}; allowed: {', '.join(IDENTITY)}")
        )
    unknown = {field for field in IDENTITY if is_unknown(fields.get(field))}
    _, found = check_acl(fields)
    # A field known only after apply is checked then; the others are checked now.
    failures += [
        Failure(BINDINGS, f"{key}: {item.property}: {item.reason}") for item in found if item.property not in unknown
    ]
    return failures


def check_acl_set(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    """The inputs with every binding normalised and keyed by its own id (so `write` and `WRITE` are one binding),
    and a failure per problem, each reason starting with the binding's key as declared."""
    declared = news.get(BINDINGS)
    if is_unknown(declared):
        return dict(news), []
    if not isinstance(declared, Mapping):
        reason = f"{declared!r} is not allowed; allowed: a mapping of binding id to its fields"
        return dict(news), [Failure(BINDINGS, reason)]
    bindings: dict[str, Any] = {}
    failures: list[Failure] = []
    for key, fields in sorted(declared.items()):
        found = _binding_failures(key, fields)
        failures += found
        if found:
            continue
        if _has_unknown(fields):
            # Its id is known only after apply: it keeps the key and the fields it was declared with until then.
            bindings[key] = fields
            continue
        inputs, _ = check_acl(fields)
        binding = {field: inputs[field] for field in IDENTITY}
        bindings[binding_id(binding)] = binding
    return {**news, BINDINGS: dict(sorted(bindings.items()))}, failures


def diff_acl_set(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """True when the set's bindings or its connection changed. A set is never replaced: a replacement would
    delete bindings the new set declares."""
    old, new = olds.get(BINDINGS), news.get(BINDINGS)
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return True
    if any(_has_unknown(fields) for fields in new.values()):
        return True
    return set(old) != set(new) or olds.get("connection") != news.get("connection")


def plan_acl_set(recorded_ids: Iterable[str], declared_ids: Iterable[str], actual_ids: Iterable[str]) -> AclSetPlan:
    """What one `up` of the set does. Create what is declared and missing (an existing one is adopted as it is);
    delete only what the set recorded and no longer declares: a binding made elsewhere is never touched."""
    recorded, declared, actual = set(recorded_ids), set(declared_ids), set(actual_ids)
    return AclSetPlan(create=tuple(sorted(declared - actual)), delete=tuple(sorted((recorded - declared) & actual)))
