"""The ACL set's provider on a fake cluster: one request for many bindings, only recorded bindings deleted, a refresh
that drops what is gone, and a failed `up` that leaves behind nothing it made."""

from __future__ import annotations

from concurrent.futures import Future

import dill
import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import ResourceType
from pulumi.runtime import rpc

from components.clients.acl_snapshot import binding, identity
from components.clients.kafka_admin import AdminError
from components.providers import acl_set
from components.providers.acl_set import ACL_SET_ID, AclSetArgs, AclSetProvider
from components.providers.session import SESSION
from components.rules.acl import binding_id
from components.rules.catalog import AclSpec
from components.rules.names import ACL_SET
from components.rules.packed_members import pack, packed, unpack

CONNECTION = {"bootstrap.servers": "localhost:19093"}


def spec(number: int, **changes: str) -> AclSpec:
    fields = {
        "principal": f"User:app-{number}",
        "resource_type": "TOPIC",
        "resource_name": "caracal.",
        "pattern_type": "PREFIXED",
        "operation": "WRITE",
    }
    return AclSpec(**{**fields, **changes})


def settled(result=None, error_code=None) -> Future:
    future: Future = Future()
    if error_code is None:
        future.set_result(result)
    else:
        future.set_exception(KafkaException(KafkaError(error_code, "refused by the cluster")))
    return future


def _fields(item) -> tuple:
    return (item.restype, item.name, item.resource_pattern_type, item.principal, item.host, item.operation,
            item.permission_type)  # fmt: skip


class FakeCluster:
    """Keeps bindings like a cluster's authorizer and records every request; refuses to create the ids in
    `refused`."""

    def __init__(self, *present: AclSpec) -> None:
        self.bindings = {binding(vars(acl)) for acl in present}
        self.refused: set[str] = set()
        self.requests: list[tuple[str, int]] = []
        self.looks = 0
        """DescribeAcls requests for one exact binding (the wait after a write)."""

    def ids(self) -> set[str]:
        return {identity(item) for item in self.bindings}

    def describe_acls(self, wanted, **_options):
        # Every binding for the refresh's filter; the one binding an exact filter names for the wait after a write.
        if wanted.restype == ResourceType.ANY:
            self.requests.append(("describe", 0))
            return settled(list(self.bindings))
        self.looks += 1
        return settled([item for item in self.bindings if _fields(item) == _fields(wanted)])

    def create_acls(self, bindings, **_options):
        self.requests.append(("create", len(bindings)))
        futures = {}
        for item in bindings:
            if identity(item) in self.refused:
                futures[item] = settled(error_code=KafkaError.POLICY_VIOLATION)
            else:
                self.bindings.add(item)
                futures[item] = settled()
        return futures

    def delete_acls(self, filters, **_options):
        self.requests.append(("delete", len(filters)))
        futures = {}
        for exact in filters:
            matched = [item for item in self.bindings if _fields(item) == _fields(exact)]
            self.bindings -= set(matched)
            futures[exact] = settled(matched)
        return futures


@pytest.fixture
def cluster(monkeypatch):
    fake = FakeCluster()
    monkeypatch.setattr(SESSION.admins, "get", lambda connection: fake)
    SESSION.acls.invalidate()
    yield fake
    SESSION.acls.invalidate()


def props(*acls: AclSpec) -> dict:
    """The set's properties as the engine holds them: the bindings packed into one string."""
    return packed(AclSetArgs.of(acls, CONNECTION).to_props(), AclSetProvider.packed_members)


def members(properties: dict) -> dict:
    return unpack("bindings", properties["bindings"])


def test_args_of_catalog_bindings_are_keyed_by_identity_and_a_binding_declared_twice_is_one():
    args = AclSetArgs.of([spec(2), spec(1), spec(2)], CONNECTION)
    assert list(args.bindings) == sorted([spec(1).key, spec(2).key])
    assert args.bindings[spec(1).key]["pattern_type"] == "PREFIXED"
    assert args.bindings[spec(1).key]["host"] == "*"
    assert set(args.to_props()) == {"bindings", "connection", "set_id"}
    assert args.set_id == "catalog-acls"


def test_two_thousand_bindings_are_made_by_one_describe_and_a_create_request_per_thousand(cluster):
    acls = [spec(number) for number in range(2000)]
    result = AclSetProvider().create(props(*acls))
    assert result.id == ACL_SET_ID
    assert cluster.requests == [("describe", 0), ("create", 1000), ("create", 1000)]
    # Then one look with an exact filter: the last binding is applied, so every one is.
    assert cluster.looks == 1
    assert cluster.ids() == {acl.key for acl in acls}
    assert result.outs["bindings"] == props(*acls)["bindings"]
    assert result.outs["connection"] == CONNECTION


def test_a_fresh_set_adopts_existing_bindings_and_deletes_nothing(cluster):
    elsewhere = spec(9, operation="READ")
    cluster.bindings |= {binding(vars(spec(1))), binding(vars(elsewhere))}
    AclSetProvider().create(props(spec(1), spec(2)))
    assert cluster.requests == [("describe", 0), ("create", 1)]
    assert cluster.ids() == {spec(1).key, spec(2).key, elsewhere.key}


def test_adding_and_removing_one_binding_touches_no_other(cluster):
    olds = AclSetProvider().create(props(spec(1), spec(2), spec(3))).outs
    cluster.requests.clear()
    result = AclSetProvider().update(ACL_SET_ID, olds, props(spec(1), spec(2), spec(4)))
    assert cluster.requests == [("describe", 0), ("create", 1), ("delete", 1)]
    assert cluster.ids() == {spec(1).key, spec(2).key, spec(4).key}
    assert set(members(result.outs)) == {spec(1).key, spec(2).key, spec(4).key}


def test_a_prefixed_binding_stays_prefixed_beside_its_literal_twin(cluster):
    literal = spec(1, pattern_type="LITERAL")
    olds = AclSetProvider().create(props(spec(1))).outs
    AclSetProvider().update(ACL_SET_ID, olds, props(spec(1), literal))
    assert cluster.ids() == {spec(1).key, literal.key}
    assert "|PREFIXED|" in spec(1).key and "|LITERAL|" in literal.key


def test_an_update_deletes_only_what_the_set_recorded(cluster):
    elsewhere = spec(9)
    olds = AclSetProvider().create(props(spec(1), spec(2))).outs
    cluster.bindings.add(binding(vars(elsewhere)))
    AclSetProvider().update(ACL_SET_ID, olds, props())
    assert cluster.ids() == {elsewhere.key}


def test_a_declared_binding_removed_out_of_band_is_made_again(cluster):
    olds = AclSetProvider().create(props(spec(1), spec(2))).outs
    cluster.bindings.discard(binding(vars(spec(2))))
    AclSetProvider().update(ACL_SET_ID, olds, props(spec(1), spec(2)))
    assert cluster.ids() == {spec(1).key, spec(2).key}


def test_a_refused_binding_fails_the_up_naming_it_and_what_this_call_made_is_removed(cluster):
    kept = spec(1)
    cluster.bindings.add(binding(vars(kept)))
    cluster.refused.add(spec(3).key)
    with pytest.raises(AdminError, match=r"1 of 2 ACL bindings could not be created: create ACL .*app-3"):
        AclSetProvider().create(props(kept, spec(2), spec(3)))
    assert cluster.ids() == {kept.key}
    assert cluster.requests[-1] == ("delete", 1)


def test_a_rerun_after_an_up_killed_midway_adopts_what_it_had_made(cluster):
    olds = AclSetProvider().create(props(spec(1))).outs
    cluster.bindings.add(binding(vars(spec(2))))  # made by the killed run, never recorded
    cluster.requests.clear()
    result = AclSetProvider().update(ACL_SET_ID, olds, props(spec(1), spec(2)))
    assert cluster.requests == [("describe", 0)]
    assert set(members(result.outs)) == {spec(1).key, spec(2).key}


def test_refresh_keeps_recorded_bindings_that_exist_and_the_set_always_exists(cluster):
    outs = AclSetProvider().create(props(spec(1), spec(2))).outs
    cluster.bindings = {binding(vars(spec(2))), binding(vars(spec(9)))}
    SESSION.acls.invalidate()  # a later operation reads afresh
    result = AclSetProvider().read(ACL_SET_ID, outs)
    assert result.id == ACL_SET_ID
    assert set(members(result.outs)) == {spec(2).key}
    assert result.inputs == result.outs
    cluster.bindings = set()
    SESSION.acls.invalidate()
    assert members(AclSetProvider().read(ACL_SET_ID, outs).outs) == {}


def test_a_set_recorded_before_sets_had_ids_refreshes_unchanged_and_is_declared_as_the_catalogs(cluster):
    outs = {key: value for key, value in AclSetProvider().create(props(spec(1))).outs.items() if key != "set_id"}
    SESSION.acls.invalidate()
    result = AclSetProvider().read(ACL_SET_ID, outs)
    assert result.outs == outs
    assert result.inputs["set_id"] == ACL_SET_ID == "catalog-acls"


def test_destroy_deletes_every_recorded_binding_in_one_request_and_nothing_else(cluster):
    outs = AclSetProvider().create(props(*(spec(number) for number in range(100)))).outs
    cluster.bindings.add(binding(vars(spec(500))))
    cluster.bindings.discard(binding(vars(spec(0))))  # already gone: not an error
    cluster.requests.clear()
    AclSetProvider().delete(ACL_SET_ID, outs)
    assert cluster.requests == [("delete", 100)]
    assert cluster.ids() == {spec(500).key}


def test_an_empty_set_sends_no_request(cluster):
    outs = AclSetProvider().create(props()).outs
    AclSetProvider().delete(ACL_SET_ID, outs)
    assert cluster.requests == [("describe", 0)]


def test_check_at_preview_passes_unknown_values_to_the_engine_as_its_marker():
    result = AclSetProvider().check({}, {"bindings": rpc.UNKNOWN, "connection": rpc.UNKNOWN})
    assert result.inputs == {"bindings": rpc.UNKNOWN, "connection": rpc.UNKNOWN}
    assert result.failures == []


def test_check_rekeys_and_reports_failures_as_properties_of_bindings():
    lower = {**vars(spec(1)), "operation": "write"}
    result = AclSetProvider().check({}, {"bindings": pack({"mine": lower, "bad": {**lower, "permission": "x"}})})
    assert list(members(result.inputs)) == [spec(1).key]
    assert [(item.property, item.reason.split(":")[0]) for item in result.failures] == [("bindings", "bad")]


def test_a_set_recorded_before_its_bindings_were_packed_is_the_same_set_packed():
    recorded = {**props(spec(1), spec(2)), "bindings": members(props(spec(1), spec(2)))}
    assert AclSetProvider().diff(ACL_SET_ID, recorded, props(spec(2), spec(1))).changes is False
    assert AclSetProvider().diff(ACL_SET_ID, recorded, props(spec(1))).changes is True


def test_diff_never_replaces():
    olds = props(spec(1))
    diff = AclSetProvider().diff(ACL_SET_ID, olds, props(spec(1, pattern_type="LITERAL")))
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, [], False)
    assert AclSetProvider().diff(ACL_SET_ID, olds, props(spec(1))).changes is False


def test_the_provider_pickles_and_the_resource_has_its_kind_and_secret_connection():
    assert type(dill.loads(dill.dumps(AclSetProvider()))) is AclSetProvider
    assert acl_set.AclSet.secret_outputs == ("connection",)
    assert acl_set.AclSet.provider_class is AclSetProvider
    assert ACL_SET == "AclSet"
    assert binding_id(vars(spec(1))) == spec(1).key
