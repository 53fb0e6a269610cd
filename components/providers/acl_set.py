"""Every ACL binding of the catalog as one Pulumi resource (dynamic provider), applied by CreateAcls and DeleteAcls
requests of up to a thousand bindings each. One resource instead of one per binding: the engine writes its state
once per resource, so a resource per binding made an `up` of N bindings cost O(N^2). Each binding keeps its full
identity (components/rules/acl.py), so adding or removing one never touches another."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pulumi
from confluent_kafka.admin import AdminClient
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import acl_snapshot
from components.clients.kafka_admin import AdminError
from components.clients.kafka_batches import create_acls, delete_acls
from components.providers import host
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules.acl import binding_id, normalised
from components.rules.acl_set import BINDINGS, check_acl_set, diff_acl_set, plan_acl_set
from components.rules.catalog import AclSpec
from components.rules.names import ACL_SET

SECRET_OUTPUTS = ("connection",)
# The one set of a stack: its bindings, not its id, say what it holds.
ACL_SET_ID = "catalog-acls"
# How many failed bindings an error names; the rest are counted.
NAMED_FAILURES = 5

Bindings = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class AclSetArgs(ResourceArgs):
    bindings: Mapping[str, Mapping[str, str]]
    """Binding id (components/rules/acl.py binding_id) -> the binding's identity fields."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""

    @classmethod
    def of(cls, acls: Iterable[AclSpec], connection: pulumi.Input[Mapping[str, str]]) -> AclSetArgs:
        """The set of these catalog bindings; one declared twice is one binding."""
        fields = [normalised(asdict(acl)) for acl in acls]
        return cls(bindings={binding_id(item): item for item in sorted(fields, key=binding_id)}, connection=connection)


def _raise_failures(results: list[bool | AdminError], what: str) -> None:
    failed = [str(result) for result in results if isinstance(result, AdminError)]
    if failed:
        more = f"; and {len(failed) - NAMED_FAILURES} more" if len(failed) > NAMED_FAILURES else ""
        named = "; ".join(failed[:NAMED_FAILURES])
        raise AdminError(f"{len(failed)} of {len(results)} ACL bindings could not be {what}: {named}{more}")


def _apply(admin: AdminClient, recorded: Bindings, declared: Bindings) -> None:
    """Create what is declared and missing, then delete what was recorded and is no longer declared (so a binding
    that is replaced by another never leaves a moment without either). When anything fails, the bindings this call
    created are deleted again: the state, which keeps what it recorded before, stays true."""
    plan = plan_acl_set(recorded, declared, SESSION.acls.get(admin))
    created: list[str] = []
    try:
        results = create_acls(admin, [acl_snapshot.binding(declared[key]) for key in plan.create])
        created = [key for key, result in zip(plan.create, results, strict=True) if result is True]
        _raise_failures(results, "created")
        filters = [acl_snapshot.exact_filter(recorded[key]) for key in plan.delete]
        _raise_failures(delete_acls(admin, filters), "deleted")
    except Exception:
        # Only bindings that did not exist before this call: nothing made elsewhere is removed. Should this fail
        # too, the first error is the one to report, and the next `up` adopts what was left (it is declared).
        # Not when the engine is gone (the `up` was killed): its next run may already have made them its own.
        with contextlib.suppress(Exception):
            if host.engine_alive(host.ENGINE):
                delete_acls(admin, [acl_snapshot.exact_filter(declared[key]) for key in created])
        raise
    finally:
        SESSION.acls.invalidate()


class AclSetProvider(PlatformProvider):
    packed_members = (BINDINGS,)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_acl_set(news)
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=diff_acl_set(olds, news), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = AclSetArgs.from_props(props)
        # Nothing recorded yet: bindings that already exist are adopted, none is deleted.
        _apply(SESSION.admins.get(args.connection), {}, args.bindings)
        return CreateResult(ACL_SET_ID, args.to_props())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        args = AclSetArgs.from_props(props)
        # One DescribeAcls for every binding; the set itself always exists, with what is left of it.
        actual = SESSION.acls.get(SESSION.admins.get(args.connection))
        kept = {key: fields for key, fields in (args.bindings or {}).items() if key in actual}
        outputs = AclSetArgs(bindings=kept, connection=args.connection).to_props()
        return ReadResult(id_, outputs, outputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        args = AclSetArgs.from_props(news)
        _apply(SESSION.admins.get(args.connection), olds.get("bindings") or {}, args.bindings)
        return UpdateResult(args.to_props())

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        args = AclSetArgs.from_props(props)
        admin = SESSION.admins.get(args.connection)
        recorded = args.bindings or {}
        try:
            # A binding already gone matches nothing and is not an error.
            filters = [acl_snapshot.exact_filter(recorded[key]) for key in sorted(recorded)]
            _raise_failures(delete_acls(admin, filters), "deleted")
        finally:
            SESSION.acls.invalidate()


class AclSet(PlatformResource, kind=ACL_SET):
    """Every ACL binding of the catalog, managed by this stack as one resource."""

    bindings: pulumi.Output[str]
    """Every binding as recorded, packed (components/rules/packed_members.py)."""

    provider_class = AclSetProvider
    secret_outputs = SECRET_OUTPUTS
