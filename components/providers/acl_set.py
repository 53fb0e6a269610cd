"""A set of ACL bindings as one Pulumi resource (dynamic provider): every binding of a catalog, or the registry's
own, applied by CreateAcls and DeleteAcls requests of up to a thousand bindings each. One resource instead of one
per binding: the engine writes its state once per resource, so a resource per binding made an `up` of N bindings
cost O(N^2). Each binding keeps its full identity (components/rules/acl.py), so adding or removing one never
touches another."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients.kafka_admin import AdminError
from components.clients.kafka_batches import create_acls, delete_acls
from components.providers import host
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules.acl import IDENTITY, binding_id, normalised
from components.rules.acl_set import BINDINGS, check_acl_set, diff_acl_set, plan_acl_set
from components.rules.catalog import AclSpec
from components.rules.names import ACL_SET, CATALOG_ACL_SET_ID

if TYPE_CHECKING:
    from confluent_kafka.admin import AdminClient

SECRET_OUTPUTS = ("connection",)
ACL_SET_ID = CATALOG_ACL_SET_ID
# How many failed bindings an error names; the rest are counted.
NAMED_FAILURES = 5

Bindings = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class AclSetArgs(ResourceArgs):
    bindings: Mapping[str, Mapping[str, str]]
    """Binding id (components/rules/acl.py binding_id) -> the binding's identity fields."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""
    set_id: str = ACL_SET_ID
    """Whose bindings the set holds (rules/names.py): the catalog's or the registry's."""

    @classmethod
    def of(
        cls, acls: Iterable[AclSpec], connection: pulumi.Input[Mapping[str, str]], set_id: str = ACL_SET_ID
    ) -> AclSetArgs:
        """The set of these bindings; one declared twice is one binding."""
        keyed = {binding_id(fields): fields for fields in (normalised(acl.fields()) for acl in acls)}
        bindings = {key: keyed[key] for key in sorted(keyed)}
        return cls(bindings=bindings, connection=connection, set_id=set_id)


def _specs(bindings: Bindings, keys: Iterable[str]) -> list[AclSpec]:
    """The bindings of `keys` as the model the client layer sends."""
    return [AclSpec(**{field: bindings[key][field] for field in IDENTITY}) for key in keys]


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
        results = create_acls(admin, _specs(declared, plan.create))
        created = [key for key, result in zip(plan.create, results, strict=True) if result is True]
        _raise_failures(results, "created")
        _raise_failures(delete_acls(admin, _specs(recorded, plan.delete)), "deleted")
    except Exception:
        # Only bindings that did not exist before this call: nothing made elsewhere is removed. Should this fail
        # too, the first error is the one to report, and the next `up` adopts what was left (it is declared).
        # Not when the engine is gone (the `up` was killed): its next run may already have made them its own.
        with contextlib.suppress(Exception):
            if host.engine_alive(host.ENGINE):
                delete_acls(admin, _specs(declared, created))
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
        return CreateResult(args.set_id, args.to_props())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        args = AclSetArgs.from_props(props)
        # One DescribeAcls for every binding; the set itself always exists, with what is left of it.
        actual = SESSION.acls.get(SESSION.admins.get(args.connection))
        kept = {key: fields for key, fields in (args.bindings or {}).items() if key in actual}
        # Outputs as recorded but for the bindings gone (a set recorded before it had an id records none);
        # inputs as the program gives them, so a preview after a refresh shows only what really changes.
        inputs = AclSetArgs(bindings=kept, connection=args.connection, set_id=args.set_id).to_props()
        return ReadResult(id_, {**props, BINDINGS: kept}, inputs)

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
            _raise_failures(delete_acls(admin, _specs(recorded, sorted(recorded))), "deleted")
        finally:
            SESSION.acls.invalidate()


class AclSet(PlatformResource, kind=ACL_SET):
    """A set of ACL bindings (the catalog's, or the registry's own), managed by this stack as one resource."""

    bindings: pulumi.Output[str]
    """Every binding as recorded, packed (components/rules/packed_members.py)."""

    provider_class = AclSetProvider
    secret_outputs = SECRET_OUTPUTS
