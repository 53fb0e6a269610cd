"""`rollback: delete_newer` on a subject rolled back before: the versions soft-deleted then are no longer served and
are not deleted again (Apicurio refuses that with 409), so the second rollback of the same subject works.

The registry stand-in keeps Apicurio 3's rules of its Confluent-compatible API: a soft delete disables a version,
which then is neither listed nor served; numbers are never reused; a schema registered again after its version was
soft-deleted gets a new number; a second soft delete of a version is refused."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from components.clients.registry import RegistryClient, RegistryError
from components.providers import subject as provider
from components.rules.avro_schema import canonical_schema
from components.rules.subject import versions_after

SUBJECT = "caracal.metering.events-value"
# As check hands them to the provider: canonical.
A = canonical_schema(json.dumps({"type": "record", "name": "E", "fields": [{"name": "a", "type": "string"}]}))
B = canonical_schema(
    json.dumps(
        {
            "type": "record",
            "name": "E",
            "fields": [{"name": "a", "type": "string"}, {"name": "zone", "type": ["null", "string"], "default": None}],
        }
    )
)


class SoftDeletingRegistry:
    """One subject's versions: number -> (schema, enabled)."""

    def __init__(self) -> None:
        self.versions: dict[int, tuple[str, bool]] = {}
        self.deletes: list[int] = []

    def served(self) -> list[int]:
        return sorted(number for number, (_, enabled) in self.versions.items() if enabled)

    def call(self, method: str, path: str, body: Any = None, base: str | None = None) -> Any:
        found = re.fullmatch(r"/subjects/[^/]+/versions(?:/(\w+))?", path)
        assert found, path
        which = found.group(1)
        if method == "GET" and which is None:
            if not self.served():
                raise RegistryError(404, f"Subject '{SUBJECT}' not found.", 40401)
            return self.served()
        if method == "GET":
            number = self.served()[-1] if which == "latest" and self.served() else int(which or 0)
            if number not in self.served():
                raise RegistryError(404, "Version not found.", 40402)
            return {"schema": self.versions[number][0], "version": number, "id": number}
        if method == "POST":
            same = [number for number in self.served() if self.versions[number][0] == body["schema"]]
            number = same[0] if same else max(self.versions, default=0) + 1
            self.versions[number] = (body["schema"], True)
            return {"id": number}
        if method == "DELETE":
            number = int(which or 0)
            self.deletes.append(number)
            if number not in self.versions:
                raise RegistryError(404, "Version not found.", 40402)
            if not self.versions[number][1]:
                raise RegistryError(409, "Schema is already soft deleted")
            self.versions[number] = (self.versions[number][0], False)
            return number
        raise AssertionError(method)


@pytest.fixture
def registry(monkeypatch) -> tuple[SoftDeletingRegistry, RegistryClient]:
    stand_in = SoftDeletingRegistry()
    client = RegistryClient("https://127.0.0.1:1/apis/ccompat/v7")
    monkeypatch.setattr(client, "_call", stand_in.call)
    return stand_in, client


def declare(client: RegistryClient, schema: str, rollback: str = "delete_newer") -> None:
    provider._make_latest(client, {"subject": SUBJECT, "schema": schema, "rollback": rollback, "references": []})


def test_the_same_subject_is_rolled_back_twice_with_delete_newer(registry):
    stand_in, client = registry
    declare(client, A)
    declare(client, B)
    declare(client, A)  # the first rollback: version 2 soft-deleted
    assert stand_in.served() == [1]
    declare(client, B)  # forward again: a new version, 3 (2 keeps its number, disabled)
    assert stand_in.served() == [1, 3]

    declare(client, A)  # the second rollback
    assert stand_in.served() == [1]
    assert client.latest(SUBJECT)["schema"] == A
    # Only the served version was deleted: the one soft-deleted by the first rollback was left alone.
    assert stand_in.deletes == [2, 3]


def test_a_version_soft_deleted_before_is_not_an_error_to_soft_delete(registry):
    stand_in, client = registry
    declare(client, A)
    declare(client, B)
    client.delete_version(SUBJECT, 2)
    client.delete_version(SUBJECT, 2)  # the registry answers 409: already soft-deleted, which is what was asked
    assert stand_in.served() == [1]


def test_a_refused_delete_of_a_version_still_served_is_an_error(registry, monkeypatch):
    stand_in, client = registry
    declare(client, A)

    def refusing(method: str, path: str, body: Any = None, base: str | None = None) -> Any:
        if method == "DELETE":
            raise RegistryError(409, "refused")
        return stand_in.call(method, path, body, base)

    monkeypatch.setattr(client, "_call", refusing)
    with pytest.raises(RegistryError, match="409: refused"):
        client.delete_version(SUBJECT, 1)


@pytest.mark.parametrize(
    ("version", "history", "deleted"),
    [
        pytest.param(1, [(1, A), (2, B)], [2], id="one newer version"),
        pytest.param(1, [(1, A), (3, B)], [3], id="a gap left by an earlier rollback"),
        pytest.param(2, [(1, A), (2, B), (4, A), (7, B)], [7, 4], id="several newer, newest first"),
        pytest.param(7, [(1, A), (7, B)], [], id="already the latest"),
    ],
)
def test_delete_newer_removes_the_served_versions_after_the_match_newest_first(version, history, deleted):
    assert versions_after(version, history) == deleted
