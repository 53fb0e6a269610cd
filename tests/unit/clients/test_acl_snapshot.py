import pytest

from components.clients import acl_snapshot
from components.clients.acl_snapshot import binding, exact_filter, identity
from components.clients.kafka_admin import AdminError
from components.rules.acl import binding_id
from tests.unit.futures import done

BINDINGS = [
    {
        "principal": "User:producer",
        "resource_type": "TOPIC",
        "resource_name": "caracal.",
        "pattern_type": "PREFIXED",
        "operation": "WRITE",
        "permission": "ALLOW",
        "host": "*",
    },
    {
        "principal": "User:consumer",
        "resource_type": "group",
        "resource_name": "caracal-consumers",
        "pattern_type": "literal",
        "operation": "read",
        "permission": "deny",
    },
]


@pytest.mark.parametrize("fields", BINDINGS)
def test_a_binding_read_back_from_the_cluster_has_the_id_the_rules_give_it(fields):
    assert identity(binding(fields)) == binding_id(fields)


@pytest.mark.parametrize("fields", BINDINGS)
def test_the_delete_filter_names_every_field_of_the_binding_so_it_matches_that_binding_alone(fields):
    made = binding(fields)
    found = exact_filter(fields)
    assert (found.restype, found.name, found.resource_pattern_type, found.principal, found.host) == (
        made.restype,
        made.name,
        made.resource_pattern_type,
        made.principal,
        made.host,
    )
    assert (found.operation, found.permission_type) == (made.operation, made.permission_type)


class SlowlyApplyingAdmin:
    """A broker whose authorizer lists one more of `found` on each DescribeAcls, as one applying the metadata log."""

    def __init__(self, found):
        self.found, self.looks = found, 0

    def describe_acls(self, _filter, **_options):
        self.looks += 1
        return done(self.found[: self.looks])


def test_bindings_just_made_are_waited_for_while_they_keep_showing(monkeypatch):
    monkeypatch.setattr(acl_snapshot, "AWAIT_S", 0.01)
    monkeypatch.setattr(acl_snapshot, "POLL_S", 0.02)
    made = [binding(fields) for fields in BINDINGS]
    ids = [identity(item) for item in made]
    admin = SlowlyApplyingAdmin(made)
    acl_snapshot.await_bindings(admin, ids)
    assert admin.looks == 2
    acl_snapshot.await_bindings(admin, [])  # nothing made: no request
    assert admin.looks == 2
    with pytest.raises(AdminError, match="1 ACL bindings did not show within 0 s of the last that did"):
        acl_snapshot.await_bindings(SlowlyApplyingAdmin(made[:1]), ids)
