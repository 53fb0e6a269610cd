"""The reassignment client against a recording tool runner and a fake cluster: throttled execute, wait, verify
(which removes the throttles), preferred-leader election; one found in progress is waited for, never submitted
again; a cluster that places replicas itself is refused with the reason."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from components.clients import kafka_tools, reassignments
from components.clients.kafka_tools import InBroker, ToolError, ToolResult
from components.rules.partition_assignment import Move

ACCESS = reassignments.ToolAccess(InBroker("caracal-prod-kafka-0"))


class Cluster:
    """Metadata that reaches each reassignment's target after `lag` reads; records every tool run."""

    def __init__(self, replicas, listing="No partition reassignments found.\n", lag=1):
        self.replicas = dict(replicas)
        self.targets: dict = {}
        self.listing = listing
        self.lag = lag
        self.runs: list[tuple[list[str], str | None]] = []
        self.elected: list = []
        self.throttled = False

    def run(self, tool, args, place, client=None, *, check=True, document=None):
        self.runs.append((list(args), document))
        if "--execute" in args:
            for entry in json.loads(document)["partitions"]:
                self.targets[(entry["topic"], entry["partition"])] = tuple(entry["replicas"])
        return ToolResult(0, self.listing if "--list" in args else "", "")

    def list_topics(self, timeout=None):
        if self.lag:
            self.lag -= 1
            current = {
                key: tuple(dict.fromkeys(self.replicas[key] + self.targets.get(key, ()))) for key in self.replicas
            }
        else:
            self.replicas.update(self.targets)
            current = self.replicas
        topics: dict = {}
        for (topic, partition), found in current.items():
            topics.setdefault(topic, SimpleNamespace(partitions={}))
            # An added replica is listed at once, and in sync only once the reassignment completed.
            isrs = [b for b in found if b in self.replicas[(topic, partition)]]
            topics[topic].partitions[partition] = SimpleNamespace(id=partition, replicas=list(found), isrs=isrs)
        return SimpleNamespace(topics=topics, brokers={0: None, 1: None, 2: None})

    def describe_configs(self, resources):
        entry = SimpleNamespace(value="10485760" if self.throttled else None)
        entries = {"leader.replication.throttled.rate": entry}
        return {resource: SimpleNamespace(result=lambda timeout=None: entries) for resource in resources}

    def elect_leaders(self, election_type, partitions):
        self.elected += [(p.topic, p.partition) for p in partitions]
        return SimpleNamespace(result=lambda timeout=None: {})


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr(reassignments, "POLL_S", 0)


def test_a_reassignment_is_throttled_waited_for_verified_and_its_leaders_elected(monkeypatch, fast):
    cluster = Cluster({("t", 0): (0, 1)})
    monkeypatch.setattr(kafka_tools, "run", cluster.run)
    reassignments.reassign(cluster, ACCESS, [Move("t", 0, (0, 1), (0, 1, 2), 100)], 10 * 1024 * 1024)
    (execute, execute_plan), (verify, verify_plan) = cluster.runs
    assert execute[:3] == ["--execute", "--throttle", str(10 * 1024 * 1024)]
    assert execute[-1] == verify[-1] == kafka_tools.DOCUMENT
    assert verify[0] == "--verify" and verify_plan == execute_plan
    assert json.loads(execute_plan)["partitions"] == [{"topic": "t", "partition": 0, "replicas": [0, 1, 2]}]
    assert cluster.replicas[("t", 0)] == (0, 1, 2) and cluster.elected == [("t", 0)]


def test_a_reassignment_found_in_progress_is_waited_for_and_never_submitted_again(monkeypatch, fast):
    listing = "Current partition reassignments:\nt-0: replicas: 2,1,0. adding: 2. removing: 0.\n"
    cluster = Cluster({("t", 0): (2, 1, 0)}, listing, lag=2)
    cluster.targets[("t", 0)] = (2, 1)
    monkeypatch.setattr(kafka_tools, "run", cluster.run)
    found = reassignments.finish_ongoing(cluster, ACCESS)
    assert [state.settled for state in found] == [(2, 1)]
    assert [args[0] for args, _ in cluster.runs] == ["--list", "--verify"]


def test_throttles_a_completed_reassignment_left_behind_are_removed(monkeypatch, fast):
    cluster = Cluster({("t", 0): (0, 1, 2)}, lag=0)
    cluster.throttled = True
    monkeypatch.setattr(kafka_tools, "run", cluster.run)
    assert reassignments.finish_ongoing(cluster, ACCESS) == []
    (_, _), (verify, plan) = cluster.runs
    assert verify[0] == "--verify" and json.loads(plan)["partitions"][0]["replicas"] == [0, 1, 2]
    cluster.throttled, cluster.runs = False, []
    reassignments.finish_ongoing(cluster, ACCESS)
    assert [args[0] for args, _ in cluster.runs] == ["--list"]


def test_a_reassignment_that_does_not_finish_says_how_to_see_and_cancel_it(monkeypatch, fast):
    cluster = Cluster({("t", 0): (0, 1)}, lag=10**6)
    monkeypatch.setattr(kafka_tools, "run", cluster.run)
    with pytest.raises(reassignments.ReassignmentError, match="reassignments --cancel"):
        reassignments.wait_for(cluster, {("t", 0): (0, 1, 2)}, timeout_s=0)


def test_a_cluster_that_places_replicas_itself_is_refused_with_the_reason(monkeypatch):
    def refused(*_args, **_kwargs):
        raise ToolError("kafka-reassign-partitions exited with status 1: PolicyViolationException: not allowed")

    monkeypatch.setattr(kafka_tools, "run", refused)
    with pytest.raises(reassignments.ReassignmentError, match="does not allow its clients to place"):
        reassignments.listing(ACCESS)


def test_cancel_names_what_it_cancelled(monkeypatch):
    listing = "Current partition reassignments:\nt-0: replicas: 0,1,2. adding: 2.\n"
    cluster = Cluster({("t", 0): (0, 1, 2)}, listing)
    monkeypatch.setattr(kafka_tools, "run", cluster.run)
    assert reassignments.cancel(ACCESS) == ["t-0: replicas [0,1,2], adding [2]"]
    (_, _), (cancel, plan) = cluster.runs
    assert cancel[0] == "--cancel" and json.loads(plan)["partitions"][0]["replicas"] == [0, 1, 2]
