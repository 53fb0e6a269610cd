"""What an ACL binding may say, and its identity: every field, so adding or removing one binding never touches
another, and a prefixed pattern stays prefixed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.rules.values import Failure, is_unknown

# The order of the identity; the binding's id joins these fields with '|'.
IDENTITY = ("principal", "resource_type", "resource_name", "pattern_type", "operation", "permission", "host")
RESOURCE_TYPES = ("TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID")
PATTERN_TYPES = ("LITERAL", "PREFIXED")
# Kafka's ACL operations (confluent-kafka's AclOperation without UNKNOWN and ANY; a unit test keeps them equal).
OPERATIONS = (
    "ALL",
    "READ",
    "WRITE",
    "CREATE",
    "DELETE",
    "ALTER",
    "DESCRIBE",
    "CLUSTER_ACTION",
    "DESCRIBE_CONFIGS",
    "ALTER_CONFIGS",
    "IDEMPOTENT_WRITE",
)
PERMISSIONS = ("ALLOW", "DENY")
ALLOWED = {
    "resource_type": RESOURCE_TYPES,
    "pattern_type": PATTERN_TYPES,
    "operation": OPERATIONS,
    "permission": PERMISSIONS,
}


def normalised(binding: Mapping[str, Any]) -> dict[str, Any]:
    """The binding's fields as Kafka spells them: enum values upper case, host `*` when not given."""
    fields = {key: binding.get(key) for key in IDENTITY}
    for key in ALLOWED:
        fields[key] = str(binding.get(key, "")).upper()
    fields["host"] = str(binding.get("host") or "*")
    return fields


def binding_id(binding: Mapping[str, Any]) -> str:
    """The one identity of a binding: two bindings are the same binding exactly when their ids match."""
    fields = normalised(binding)
    return "|".join(str(fields[key]) for key in IDENTITY)


def check_acl(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    inputs = {**news, **normalised(news)}
    failures = []
    for key, allowed in ALLOWED.items():
        if inputs[key] not in allowed:
            failures.append(Failure(key, f"{news.get(key)!r} is not allowed; allowed: {', '.join(allowed)}"))
    principal = news.get("principal")
    if not is_unknown(principal) and (
        not isinstance(principal, str) or not principal.startswith("User:") or len(principal) < 6
    ):
        failures.append(Failure("principal", f"{principal!r} is not allowed; allowed: User:<name>"))
    if not news.get("resource_name") or news.get("resource_name") == "*":
        failures.append(Failure("resource_name", "allowed: a non-empty name or prefix, not '*'"))
    return inputs, failures
