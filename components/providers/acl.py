"""One ACL binding as a Pulumi resource (dynamic provider). Every field is part of its identity
(components/rules/acl.py), so adding or removing one binding never touches another."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import acl_snapshot
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules.acl import IDENTITY, binding_id, check_acl, diff_acl
from components.rules.catalog import AclSpec
from components.rules.names import ACL

SECRET_OUTPUTS = ("connection",)


@dataclass(frozen=True)
class AclArgs(ResourceArgs):
    principal: str
    """Kafka principal, e.g. User:producer."""
    resource_type: str
    """TOPIC, GROUP, CLUSTER or TRANSACTIONAL_ID."""
    resource_name: str
    """Resource name, or the prefix when pattern_type is PREFIXED."""
    pattern_type: str
    """LITERAL or PREFIXED."""
    operation: str
    """One Kafka ACL operation, e.g. WRITE."""
    permission: str
    """ALLOW or DENY."""
    host: str
    """Client host the binding applies to."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""

    @classmethod
    def of(cls, acl: AclSpec, connection: pulumi.Input[Mapping[str, str]]) -> AclArgs:
        return cls(**{key: getattr(acl, key) for key in IDENTITY}, connection=connection)


class AclProvider(PlatformProvider):
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_acl(news)
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes, replaces = diff_acl(olds, news)
        return DiffResult(changes=changes, replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = AclArgs.from_props(props)
        admin = SESSION.admins.get(args.connection)
        try:
            SESSION.batches.create_acl(admin, acl_snapshot.binding(props))
        finally:
            SESSION.acls.invalidate()
        return CreateResult(binding_id(props), args.to_props())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        args = AclArgs.from_props(props)
        # One DescribeAcls of every binding serves the refresh of every ACL resource of the operation.
        if binding_id(props) not in SESSION.acls.get(SESSION.admins.get(args.connection)):
            return ReadResult(None, {})
        return ReadResult(id_, args.to_props(), args.to_props())

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(AclArgs.from_props(news).to_props())

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        args = AclArgs.from_props(props)
        admin = SESSION.admins.get(args.connection)
        try:
            SESSION.batches.delete_acl(admin, acl_snapshot.exact_filter(props))
        finally:
            SESSION.acls.invalidate()


class Acl(PlatformResource, kind=ACL):
    """One ACL binding managed by this stack."""

    provider_class = AclProvider
    secret_outputs = SECRET_OUTPUTS
