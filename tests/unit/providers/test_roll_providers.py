"""The roll's providers: a gate waits only when its node's container is about to be replaced and the stack has
redundancy; a node that does not come back fails naming it; a skipped CA rotation step is refused at preview."""

from __future__ import annotations

import pytest

from components.providers import roll
from components.providers.ca_trust import CaTrustProvider

GATE = {"node": "kafka-1", "broker": 1, "revision": "new", "redundant": True, "default_min_insync": 2, "connection": {}}


@pytest.fixture
def asked(monkeypatch):
    """What the gate asked the cluster; answers from `answers` in turn (None: safe)."""
    calls: list[str] = []
    answers: list[str | None] = []

    def may_restart(props):
        calls.append(props["node"])
        return answers.pop(0) if answers else None

    monkeypatch.setattr(roll, "broker_may_restart", may_restart)
    monkeypatch.setattr(roll, "POLL_S", 0)
    return calls, answers


def test_a_gate_waits_for_a_safe_moment_only_when_its_broker_is_about_to_restart(asked):
    calls, answers = asked
    provider = roll.BrokerGateProvider()
    provider.update("kafka-1", {**GATE, "revision": "new"}, GATE)
    assert calls == []
    answers.extend(["it would leave t-0 short of in-sync replicas", None])
    provider.update("kafka-1", {**GATE, "revision": "old"}, GATE)
    assert calls == ["kafka-1", "kafka-1"]


def test_without_redundancy_the_broker_restarts_without_waiting(asked):
    calls, _ = asked
    roll.BrokerGateProvider().update("kafka-0", {**GATE, "revision": "old"}, {**GATE, "redundant": False})
    assert calls == []


def test_a_gate_that_never_gets_a_safe_moment_fails_naming_the_broker_and_why(asked, monkeypatch):
    _, answers = asked
    monkeypatch.setattr(roll, "TIMEOUT_S", 0)
    answers.extend(["it would leave t-0 short of in-sync replicas"] * 3)
    with pytest.raises(TimeoutError, match=r"kafka-1 could not restart safely .* t-0 short of in-sync replicas"):
        roll.BrokerGateProvider().update("kafka-1", {**GATE, "revision": "old"}, GATE)


def test_a_broker_that_does_not_come_back_fails_naming_it(monkeypatch):
    monkeypatch.setattr(roll, "TIMEOUT_S", 0)
    monkeypatch.setattr(roll, "POLL_S", 0)
    monkeypatch.setattr(roll, "broker_in_sync", lambda props: "not registered with the cluster")
    with pytest.raises(TimeoutError, match=r"kafka-2 did not come back .* not registered"):
        roll.BrokerInSyncProvider().update("kafka-2", {}, {"node": "kafka-2", "broker": 2, "connection": {}})


def test_a_zookeeper_gate_asks_every_node_and_keeps_a_quorum(monkeypatch):
    modes = {"zk-0": "leader", "zk-1": "follower", "zk-2": None}
    monkeypatch.setattr(roll.zookeeper_probe, "mode", modes.get)
    props = {"node": "zookeeper-1", "index": 1, "containers": ["zk-0", "zk-1", "zk-2"]}
    assert "a quorum of 2 must remain" in roll.zookeeper_may_restart(props)
    assert roll.zookeeper_may_restart({**props, "index": 2, "node": "zookeeper-2"}) is None


def test_a_ca_rotation_step_skipped_is_refused_at_preview():
    provider = CaTrustProvider()
    refused = provider.check({"trusted": [0], "signing": 0}, {"trusted": [0, 1], "signing": 1})
    assert [failure.property for failure in refused.failures] == ["signing"]
    assert "caRotation=trust" in refused.failures[0].reason
    assert provider.check({"trusted": [0], "signing": 0}, {"trusted": [0, 1], "signing": 0}).failures == []
    # A stack without a recorded step (new, or made before rotations) is never refused.
    assert provider.check({}, {"trusted": [1], "signing": 1}).failures == []
