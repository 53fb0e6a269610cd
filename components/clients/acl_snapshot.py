"""ACL bindings as the rules name them (every field is the identity) and as the admin client sends them; and every
binding of a cluster read by one DescribeAcls request, shared by the refresh of every ACL resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ResourcePatternType,
    ResourceType,
)

from components.clients import kafka_admin
from components.clients.shared_reads import SharedReads
from components.rules.acl import binding_id, normalised

_EVERY_BINDING = AclBindingFilter(
    ResourceType.ANY, None, ResourcePatternType.ANY, None, None, AclOperation.ANY, AclPermissionType.ANY
)


def binding(fields: Mapping[str, Any]) -> AclBinding:
    """The admin client's binding of the rules' identity fields."""
    fields = normalised(fields)
    return AclBinding(
        ResourceType[fields["resource_type"]],
        fields["resource_name"],
        ResourcePatternType[fields["pattern_type"]],
        fields["principal"],
        fields["host"],
        AclOperation[fields["operation"]],
        AclPermissionType[fields["permission"]],
    )


def matching(found: AclBinding) -> AclBindingFilter:
    """A filter matching exactly this one binding."""
    return AclBindingFilter(
        found.restype,
        found.name,
        found.resource_pattern_type,
        found.principal,
        found.host,
        found.operation,
        found.permission_type,
    )


def exact_filter(fields: Mapping[str, Any]) -> AclBindingFilter:
    """A filter matching exactly this one binding, for deleting it."""
    return matching(binding(fields))


def identity(found: AclBinding) -> str:
    """The rules' id of a binding read from the cluster."""
    return binding_id(
        {
            "principal": found.principal,
            "resource_type": found.restype.name,
            "resource_name": found.name,
            "pattern_type": found.resource_pattern_type.name,
            "operation": found.operation.name,
            "permission": found.permission_type.name,
            "host": found.host,
        }
    )


def _every_binding(admin: AdminClient) -> frozenset[str]:
    found = kafka_admin.wait(admin.describe_acls(_EVERY_BINDING), "describe every ACL") or []
    return frozenset(identity(item) for item in found)


class AclSnapshots(SharedReads[frozenset[str]]):
    """The ids of every binding of a cluster, read once for the reads of one operation; writes invalidate it."""

    def __init__(self, ttl_s: float = 30.0) -> None:
        super().__init__(_every_binding, ttl_s)
