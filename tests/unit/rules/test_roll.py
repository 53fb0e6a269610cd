"""How a running cluster takes a change: what may restart when, in which order."""

from __future__ import annotations

import pytest

from components.rules import roll
from components.rules.roll import PartitionState, RollPlan


def partition(topic: str, replicas: tuple[int, ...], isr: tuple[int, ...], index: int = 0) -> PartitionState:
    return PartitionState(topic, index, replicas, isr)


@pytest.mark.parametrize(
    ("broker", "states", "min_insync", "blocked"),
    [
        # Fully in sync, RF 3, min ISR 2: any one broker may go.
        (1, [partition("t", (0, 1, 2), (0, 1, 2))], {}, []),
        # Another broker already out of the ISR: taking this one leaves 1 < 2.
        (1, [partition("t", (0, 1, 2), (1, 2))], {}, ["t-0 (in sync: [1,2], needs 2)"]),
        # The broker is itself out of the ISR: its restart takes nothing away.
        (0, [partition("t", (0, 1, 2), (1, 2))], {}, []),
        # A topic's own min.insync.replicas counts over the cluster default.
        (2, [partition("strict", (0, 1, 2), (0, 1, 2))], {"strict": 3}, []),
        (2, [partition("t", (0, 1, 2, 3), (0, 1, 2))], {"t": 3}, ["t-0 (in sync: [0,1,2], needs 3)"]),
        # A partition that can never lose a replica (min ISR >= replicas) does not block a roll forever.
        (0, [partition("single", (0,), (0,))], {"single": 1}, []),
        (0, [partition("t", (0, 1), (0, 1))], {"t": 2}, []),
        # Partitions of other brokers do not matter.
        (2, [partition("t", (0, 1), (0,))], {}, []),
    ],
)
def test_a_broker_may_restart_only_if_every_partition_keeps_min_insync_replicas(broker, states, min_insync, blocked):
    assert roll.restart_blockers(broker, states, min_insync, default_min_insync=2) == blocked


def test_a_broker_is_back_once_it_is_in_the_isr_of_every_partition_it_holds():
    states = [partition("a", (0, 1, 2), (0, 1, 2)), partition("b", (0, 1, 2), (0, 2), 3)]
    assert roll.out_of_sync(1, states) == ["b-3"]
    assert roll.out_of_sync(2, states) == []
    assert roll.out_of_sync(7, states) == []


@pytest.mark.parametrize(
    ("brokers", "controller", "down", "order"),
    [
        ([0, 1, 2], 0, [], [1, 2, 0]),
        ([0, 1, 2], 2, [], [0, 1, 2]),
        ([0, 1, 2], None, [], [0, 1, 2]),
        # A broker a cut-short roll left down comes back first, before any other goes down.
        ([0, 1, 2], 1, [2], [2, 0, 1]),
        ([0, 1, 2], 0, [0], [0, 1, 2]),
    ],
)
def test_brokers_restart_down_first_and_the_active_controller_last(brokers, controller, down, order):
    assert roll.roll_order(brokers, controller, down) == order


@pytest.mark.parametrize(
    ("missing", "replicas", "members"),
    [
        ([0], {0: 12}, [0]),  # an interrupted `up` removed its container: a member
        ([3], {3: 0}, []),  # a broker the stack adds holds nothing yet
        ([3], {3: -1}, []),  # the cluster did not say: kept as a new broker, as before
        ([0, 3], {0: 5, 3: 0}, [0]),
        ([], {}, []),
    ],
)
def test_a_broker_without_a_container_is_a_member_only_while_the_cluster_places_replicas_on_it(
    missing, replicas, members
):
    assert roll.members_without_container(missing, replicas) == members


def test_zookeeper_restarts_nodes_not_serving_first_then_followers_and_the_leader_last():
    assert roll.zookeeper_order({0: "leader", 1: "follower", 2: "follower"}) == [1, 2, 0]
    assert roll.zookeeper_order({0: "follower", 1: None, 2: "leader"}) == [1, 0, 2]
    assert roll.zookeeper_order({0: "standalone"}) == [0]


@pytest.mark.parametrize(
    ("node", "modes", "allowed"),
    [
        (1, {0: "leader", 1: "follower", 2: "follower"}, True),
        # Without node 1, only node 0 serves: 1 of 3 is no quorum.
        (1, {0: "leader", 1: "follower", 2: None}, False),
        # The node not serving is the one to restart: the two others keep the quorum.
        (2, {0: "leader", 1: "follower", 2: None}, True),
        (0, {0: "standalone"}, True),
        (2, {0: "leader", 1: "follower", 2: "follower", 3: None, 4: "follower"}, True),
        (2, {0: "leader", 1: None, 2: "follower", 3: None, 4: "follower"}, False),
    ],
)
def test_a_zookeeper_node_restarts_only_while_a_quorum_serves_without_it(node, modes, allowed):
    assert (roll.zookeeper_restart_blocker(node, modes) is None) == allowed


def test_only_the_defaults_the_cluster_lacks_are_set():
    desired = roll.cluster_defaults("2592000000", 2)
    assert desired == {"log.retention.ms": "2592000000", "min.insync.replicas": "2"}
    assert roll.defaults_to_change(desired, {"log.retention.ms": "2592000000", "min.insync.replicas": "1"}) == {
        "min.insync.replicas": "2"
    }
    assert roll.defaults_to_change(desired, desired) == {}


def test_a_revision_changes_exactly_when_what_a_container_is_made_from_changes():
    base = roll.revision({"memory": 1536}, ["sha256:image", "server.properties text"])
    assert base == roll.revision({"memory": 1536}, ["sha256:image", "server.properties text"])
    assert base != roll.revision({"memory": 1024}, ["sha256:image", "server.properties text"])
    assert base != roll.revision({"memory": 1536}, ["sha256:other", "server.properties text"])


def test_a_roll_plan_keeps_its_order_and_appends_nodes_the_stack_adds():
    plan = RollPlan(True, (2, 0, 1), (1, 0, 2))
    assert plan.with_sizes(4, 3) == RollPlan(True, (2, 0, 1, 3), (1, 0, 2))
    assert plan.with_sizes(2, 1) == RollPlan(True, (0, 1), (0,))
    assert RollPlan.fresh(3, 3) == RollPlan(False, (0, 1, 2), (0, 1, 2))
