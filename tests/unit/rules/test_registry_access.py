"""Who may do what on the schema registry."""

from __future__ import annotations

import re

import pytest

from components.rules.catalog import UserSpec
from components.rules.registry_access import READ_POSTS, RegistryGrant, grants


def test_the_admin_may_do_everything_and_users_only_what_the_catalog_grants():
    users = [UserSpec("producer", registry="read"), UserSpec("nobody"), UserSpec("tools", registry_write=("s-value",))]
    assert grants(users) == [
        RegistryGrant("admin", admin=True),
        RegistryGrant("producer", read=True),
        RegistryGrant("tools", read=True, write_subjects=("s-value",)),
    ]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/apis/ccompat/v7/subjects/s-value/versions", True),
        ("/apis/ccompat/v7/subjects/s-value", True),
        ("/apis/ccompat/v7/config/s-value", True),
        ("/apis/ccompat/v7/subjects/s-value-other/versions", False),
        ("/apis/ccompat/v7/subjects/sXvalue/versions", False),
        ("/apis/ccompat/v7/config", False),
        ("/apis/registry/v3/groups/default/artifacts/s-value", False),
    ],
)
def test_write_on_a_subject_covers_its_versions_level_and_existence_and_nothing_else(path, allowed):
    pattern = RegistryGrant("tools", read=True, write_subjects=("s-value",)).write_paths
    assert bool(re.match(pattern, path)) is allowed


@pytest.mark.parametrize(
    ("path", "read_only"),
    [
        ("/apis/ccompat/v7/compatibility/subjects/s-value/versions/latest", True),
        ("/apis/ccompat/v7/subjects/s-value", True),
        ("/apis/ccompat/v7/subjects/s-value/versions", False),
    ],
)
def test_posts_that_change_nothing_are_reads(path, read_only):
    assert any(re.match(pattern, path) for pattern in READ_POSTS) is read_only
