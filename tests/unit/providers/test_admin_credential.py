"""KRaft's admin credential step: written through the broker after each broker start, again once a refresh finds
the admin's login refused, and a controller's restart gate waits for a majority serving without it."""

from __future__ import annotations

import pytest

from components.providers import admin_credential, roll
from components.rules.quorum_status import status

PROPS = {
    "node": "kafka-0",
    "container": "caracal-dev-kafka-0",
    "files": ["/a", "/b"],
    "revision": "r1",
    "triggers": ["id"],
    "connection": {"username": "admin"},
}


@pytest.fixture
def seeded(monkeypatch):
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(
        admin_credential.admin_credential, "seed", lambda container, host, path: calls.append((container, host, path))
    )
    return calls


def test_each_broker_start_writes_the_credential_through_that_broker(seeded):
    provider = admin_credential.AdminCredentialProvider()
    provider.create(PROPS)
    provider.update("kafka-0", PROPS, {**PROPS, "triggers": ["new-id"]})
    # One request per mechanism's file: Kafka refuses one request altering a user's credentials twice.
    assert seeded == [("caracal-dev-kafka-0", "kafka-0", "/a"), ("caracal-dev-kafka-0", "kafka-0", "/b")] * 2


@pytest.mark.parametrize("refused", [True, False])
def test_a_refused_admin_login_is_drift_that_the_next_up_repairs(monkeypatch, seeded, refused):
    monkeypatch.setattr(admin_credential.admin_credential, "login_refused", lambda connection: refused)
    provider = admin_credential.AdminCredentialProvider()
    read = provider.read("kafka-0", PROPS)
    assert (read.outs["revision"] == admin_credential.REFUSED) is refused
    assert provider.diff("kafka-0", read.outs, PROPS).changes is refused


@pytest.mark.parametrize(
    "roles, blocked",
    [
        ({"controller-0": "leader", "controller-1": "follower", "controller-2": "follower"}, False),
        ({"controller-0": "leader", "controller-1": None, "controller-2": "follower"}, True),
    ],
)
def test_a_controller_restarts_only_while_a_majority_serves_without_it(monkeypatch, roles, blocked):
    monkeypatch.setattr(roll.quorum_probe, "probe", lambda *args: status("kraft", roles, 3000))
    found = roll.controller_may_restart({"prefix": "caracal-prod", "controllers": 3, "index": 2})
    assert (found is not None) is blocked
    if blocked:
        assert found == "only 1 other node(s) serve ([0]); a quorum of 2 must remain while controller-2 restarts"
