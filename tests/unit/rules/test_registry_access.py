"""Who may do what on the schema registry: method x path x right -> the proxy's answer, path by path."""

from __future__ import annotations

import pytest

from components.rules.catalog import UserSpec
from components.rules.registry_access import Decision, RegistryGrant, decide, grants

READER = RegistryGrant("producer", read=True)
WRITER = RegistryGrant("tools", read=True, write_subjects=("s-value",))
ADMIN = RegistryGrant("admin", admin=True)
NOBODY = RegistryGrant("batch")  # known, no rights: the proxy never lists such a user, and it may do nothing
A, F, N = Decision.ALLOW, Decision.FORBIDDEN, Decision.NOT_CANONICAL
C = "/apis/ccompat/v7"

# (method, path, reader, writer of s-value, admin)
TABLE = [
    # The Confluent API's reads: everybody with a right.
    ("GET", f"{C}/subjects", A, A, A),
    ("HEAD", f"{C}/subjects", A, A, A),
    ("GET", f"{C}/subjects/other-value/versions", A, A, A),
    ("GET", f"{C}/subjects/s-value/versions/latest", A, A, A),
    ("GET", f"{C}/subjects/s-value/versions/3/schema", A, A, A),
    ("GET", f"{C}/subjects/s-value/versions/-1/referencedby", A, A, A),
    ("GET", f"{C}/subjects/s-value/metadata", A, A, A),
    ("GET", f"{C}/subjects/caracal%3Aodd-value/versions", A, A, A),  # an encoded subject stays one segment
    ("GET", f"{C}/schemas", A, A, A),
    ("GET", f"{C}/schemas/types", A, A, A),
    ("GET", f"{C}/schemas/ids/7", A, A, A),
    ("GET", f"{C}/schemas/ids/7/subjects", A, A, A),
    ("GET", f"{C}/schemas/ids/7/versions", A, A, A),
    ("GET", f"{C}/schemas/guids/0f3c", A, A, A),
    ("GET", f"{C}/config", A, A, A),
    ("GET", f"{C}/config/s-value", A, A, A),
    ("GET", f"{C}/mode", A, A, A),
    ("GET", f"{C}/contexts", A, A, A),
    ("GET", f"{C}/associations/resources/-/caracal.metering.events", A, A, A),
    ("POST", f"{C}/associations", F, F, A),
    ("DELETE", f"{C}/associations/resources/-/caracal.metering.events", F, F, A),
    # POSTs that change nothing.
    ("POST", f"{C}/subjects/other-value", A, A, A),
    ("POST", f"{C}/compatibility/subjects/other-value/versions/latest", A, A, A),
    ("POST", f"{C}/compatibility/subjects/other-value/versions", A, A, A),
    # Writes: on the writer's own subject only.
    ("POST", f"{C}/subjects/s-value/versions", F, A, A),
    ("DELETE", f"{C}/subjects/s-value", F, A, A),
    ("DELETE", f"{C}/subjects/s-value/versions/2", F, A, A),
    ("PUT", f"{C}/config/s-value", F, A, A),
    ("DELETE", f"{C}/config/s-value", F, A, A),
    ("POST", f"{C}/subjects/other-value/versions", F, F, A),
    ("DELETE", f"{C}/subjects/other-value", F, F, A),
    ("PUT", f"{C}/config/other-value", F, F, A),
    ("POST", f"{C}/subjects/s-value-other/versions", F, F, A),  # a longer name is another subject
    ("POST", f"{C}/subjects/sXvalue/versions", F, F, A),  # the dot of a name is no wildcard
    ("POST", f"{C}/subjects/s%2Dvalue/versions", F, F, A),  # encoded: not the name as written
    ("PUT", f"{C}/subjects/s-value/versions", F, F, A),
    # The whole registry's settings: the admin's.
    ("PUT", f"{C}/config", F, F, A),
    ("PUT", f"{C}/mode", F, F, A),
    ("PUT", f"{C}/mode/s-value", F, F, A),
    ("DELETE", f"{C}/mode/s-value", F, F, A),
    # The native APIs, the admin API among them: the admin's.
    ("GET", "/apis/registry/v3/admin/export", F, F, A),
    ("POST", "/apis/registry/v3/admin/import", F, F, A),
    ("GET", "/apis/registry/v3/admin/config/properties", F, F, A),
    ("GET", "/apis/registry/v3/admin/rules", F, F, A),
    ("GET", "/apis/registry/v3/groups/default/artifacts", F, F, A),
    ("POST", "/apis/registry/v3/groups/default/artifacts/s-value/versions", F, F, A),
    ("GET", "/apis/registry/v2/admin/export", F, F, A),
    ("GET", "/apis/registry/v2/search/artifacts", F, F, A),
    ("GET", "/apis/registry/v3/system/info", F, F, A),
    ("GET", "/apis", F, F, A),
    ("GET", "/", F, F, A),
    ("GET", "/ui/", F, F, A),
    ("GET", "/health/ready", F, F, A),
    # Anything not named, case variants included: refused.
    ("OPTIONS", f"{C}/subjects", F, F, A),
    ("get", f"{C}/subjects", F, F, A),
    ("GET", f"{C}/SUBJECTS", F, F, A),
    ("GET", "/APIS/registry/v3/admin/export", F, F, A),
    ("GET", "/apis/Registry/v3/admin/export", F, F, A),
    ("GET", f"{C}/subjects/", F, F, A),
    ("GET", f"{C}/exporters", F, F, A),
    ("GET", f"{C}/subjects/s-value/versions/latest/extra", F, F, A),
    # Paths the registry would read differently once decoded or normalised: refused for everybody.
    ("GET", f"{C}/subjects/..%2F..%2F..%2Fregistry%2Fv3%2Fadmin%2Fexport/versions", N, N, N),
    ("GET", f"{C}/subjects/%2e%2e/%2e%2e/%2e%2e/registry/v3/admin/export", N, N, N),
    ("GET", f"{C}/subjects/%2E%2E/versions", N, N, N),
    ("GET", f"{C}/../../registry/v3/admin/export", N, N, N),
    ("GET", f"{C}/schemas/ids/1/..", N, N, N),
    ("GET", f"{C}/./subjects", N, N, N),
    ("GET", f"{C}/subjects/.", N, N, N),
    ("GET", f"{C}//subjects", N, N, N),
    ("GET", "/apis//registry/v3/admin/export", N, N, N),
    ("GET", f"{C}/subjects/a%2fb/versions", N, N, N),
    ("GET", f"{C}/subjects/a%5Cb/versions", N, N, N),
    ("GET", f"{C}/subjects/a\\b/versions", N, N, N),
    ("POST", f"{C}/subjects/s-value/..%2Fversions", N, N, N),
]


@pytest.mark.parametrize(
    ("method", "path", "reader", "writer", "admin"), TABLE, ids=[f"{row[0]} {row[1]}" for row in TABLE]
)
def test_each_kind_of_user_gets_what_its_right_names_and_nothing_else(method, path, reader, writer, admin):
    assert (decide(READER, method, path), decide(WRITER, method, path), decide(ADMIN, method, path)) == (
        reader,
        writer,
        admin,
    )
    assert decide(NOBODY, method, path) in (Decision.FORBIDDEN, Decision.NOT_CANONICAL)


def test_the_admin_may_do_everything_and_users_only_what_the_catalog_grants():
    users = [UserSpec("producer", registry="read"), UserSpec("nobody"), UserSpec("tools", registry_write=("s-value",))]
    assert grants(users) == [
        RegistryGrant("admin", admin=True),
        RegistryGrant("producer", read=True),
        RegistryGrant("tools", read=True, write_subjects=("s-value",)),
    ]


def test_a_writer_of_several_subjects_may_write_each_of_them():
    writer = RegistryGrant("tools", read=True, write_subjects=("a-value", "b.c-value"))
    for subject in ("a-value", "b.c-value"):
        assert decide(writer, "POST", f"{C}/subjects/{subject}/versions") is A
    assert decide(writer, "POST", f"{C}/subjects/bXc-value/versions") is F
    assert decide(writer, "POST", f"{C}/subjects/a-value|b.c-value/versions") is F
