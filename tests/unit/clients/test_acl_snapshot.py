import pytest

from components.clients.acl_snapshot import binding, exact_filter, identity
from components.rules.acl import binding_id

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
