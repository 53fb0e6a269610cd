"""One ACL binding as a Pulumi resource (dynamic provider). Every field is part of its identity, so adding or
removing one binding never touches another, and a prefixed pattern stays prefixed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    ResourcePatternType,
    ResourceType,
)
from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from components import kafka_admin
from components.platform_resource import PlatformResource
from components.provider_values import Failure, check_result, is_unknown

IDENTITY = ("principal", "resource_type", "resource_name", "pattern_type", "operation", "permission", "host")
SECRET_OUTPUTS = ("connection",)
RESOURCE_TYPES = ("TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID")
PATTERN_TYPES = ("LITERAL", "PREFIXED")
OPERATIONS = tuple(op.name for op in AclOperation if op.name not in ("UNKNOWN", "ANY"))
PERMISSIONS = ("ALLOW", "DENY")
_ALLOWED = {
    "resource_type": RESOURCE_TYPES,
    "pattern_type": PATTERN_TYPES,
    "operation": OPERATIONS,
    "permission": PERMISSIONS,
}


def check_acl(news: dict[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    inputs = dict(news)
    failures = []
    for key, allowed in _ALLOWED.items():
        value = str(news.get(key, "")).upper()
        inputs[key] = value
        if value not in allowed:
            failures.append(Failure(key, f"{news.get(key)!r} is not allowed; allowed: {', '.join(allowed)}"))
    principal = news.get("principal")
    if not is_unknown(principal) and (
        not isinstance(principal, str) or not principal.startswith("User:") or len(principal) < 6
    ):
        failures.append(Failure("principal", f"{principal!r} is not allowed; allowed: User:<name>"))
    if not news.get("resource_name") or news.get("resource_name") == "*":
        failures.append(Failure("resource_name", "allowed: a non-empty name or prefix, not '*'"))
    inputs["host"] = str(news.get("host") or "*")
    return inputs, failures


def diff_acl(olds: dict[str, Any], news: dict[str, Any]) -> tuple[bool, list[str]]:
    """(changes, replaces): any identity field that differs makes it another binding."""
    replaces = [key for key in IDENTITY if olds.get(key) != news.get(key)]
    return bool(replaces) or olds.get("connection") != news.get("connection"), replaces


def binding_id(props: Mapping[str, Any]) -> str:
    return "|".join(str(props[key]) for key in IDENTITY)


def _binding(props: Mapping[str, Any]) -> AclBinding:
    return AclBinding(
        ResourceType[props["resource_type"]],
        props["resource_name"],
        ResourcePatternType[props["pattern_type"]],
        props["principal"],
        props["host"],
        AclOperation[props["operation"]],
        AclPermissionType[props["permission"]],
    )


def _exact_filter(props: Mapping[str, Any]) -> AclBindingFilter:
    binding = _binding(props)
    return AclBindingFilter(
        binding.restype,
        binding.name,
        binding.resource_pattern_type,
        binding.principal,
        binding.host,
        binding.operation,
        binding.permission_type,
    )


class AclProvider(ResourceProvider):
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_acl(news)
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes, replaces = diff_acl(olds, news)
        return DiffResult(changes=changes, replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        admin = kafka_admin.admin_client(props["connection"])
        kafka_admin.wait_all(admin.create_acls([_binding(props)]), "create ACL")
        return CreateResult(binding_id(props), {key: props[key] for key in (*IDENTITY, "connection")})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        admin = kafka_admin.admin_client(props["connection"])
        found = kafka_admin.wait(admin.describe_acls(_exact_filter(props)), f"describe ACL {id_}")
        if not found:
            return ReadResult(None, {})
        outputs = {key: props[key] for key in (*IDENTITY, "connection")}
        return ReadResult(id_, outputs, outputs)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult({key: news[key] for key in (*IDENTITY, "connection")})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        admin = kafka_admin.admin_client(props["connection"])
        kafka_admin.wait_all(admin.delete_acls([_exact_filter(props)]), f"delete ACL {id_}")


class Acl(PlatformResource, module="caracal", name="Acl"):
    """One ACL binding managed by this stack."""

    provider_class = AclProvider
    secret_outputs = SECRET_OUTPUTS
