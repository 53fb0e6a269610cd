"""The registry proxy on the live dev stack, path by path, for each kind of user: what it lets through is what the
pure rules (components/rules/registry_access.py) allow, and nothing else; encoded and dotted paths included.
The writer's paths are checked where test_7 gives a user write on a subject."""

from __future__ import annotations

import pytest

from components.rules.registry_access import Decision, RegistryGrant
from tests.e2e.dev.registry_paths import ADMIN_READS, READS, VARIANTS, WRITES, C, mismatches, outcome, request

ADMIN = RegistryGrant("admin", admin=True)


@pytest.mark.parametrize("user", ["producer", "consumer"])
def test_a_reader_gets_the_confluent_reads_and_none_of_the_admin_api(outputs, user):
    # What the issue found: the whole registry as a ZIP, its settings and rules, to anyone who may read.
    for path in ("/apis/registry/v3/admin/export", "/apis/registry/v3/admin/config/properties"):
        assert outcome(*request(outputs, user, "GET", path)) is Decision.FORBIDDEN, path
    assert request(outputs, user, "GET", f"{C}/subjects")[0] == 200
    reader = RegistryGrant(user, read=True)
    assert mismatches(outputs, reader, READS + WRITES + ADMIN_READS + VARIANTS) == []


def test_the_admin_gets_everything_but_paths_the_registry_would_read_differently(outputs):
    assert request(outputs, "admin", "GET", "/apis/registry/v3/admin/export")[0] == 200
    # The admin's writes are exercised by the program itself (and test_7); here only what changes nothing.
    assert mismatches(outputs, ADMIN, READS + ADMIN_READS + VARIANTS) == []
    assert outcome(*request(outputs, "admin", "GET", f"{C}/%2e%2e/%2e%2e/registry/v3/admin/export")) is (
        Decision.NOT_CANONICAL
    )
