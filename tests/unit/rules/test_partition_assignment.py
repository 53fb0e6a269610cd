"""The assignment planner: even spread, balanced leaders, fewest moves, partitions mid-reassignment."""

from __future__ import annotations

from collections import Counter

import pytest

from components.rules.partition_assignment import PartitionReplicas, plan_assignment, replica_counts


def topic(name: str, *replicas: tuple[int, ...]) -> list[PartitionReplicas]:
    return [PartitionReplicas(name, index, tuple(found)) for index, found in enumerate(replicas)]


def applied(current: list[PartitionReplicas], plan) -> dict[tuple[str, int], tuple[int, ...]]:
    result = {(state.topic, state.partition): state.settled for state in current}
    result.update({(move.topic, move.partition): move.after for move in plan.moves})
    return result


def spread(assignment) -> Counter:
    return Counter(broker for replicas in assignment.values() for broker in replicas)


def leaders(assignment) -> Counter:
    return Counter(replicas[0] for replicas in assignment.values())


THREE = topic("t", (0, 1, 2), (1, 2, 0), (2, 0, 1))


@pytest.mark.parametrize(
    ("current", "brokers", "replication", "moved", "replicas_per_broker", "leaders_per_broker"),
    [
        # Nothing to do: the same brokers, the same replication factor.
        (THREE, [0, 1, 2], {"t": 3}, 0, {0: 3, 1: 3, 2: 3}, {0: 1, 1: 1, 2: 1}),
        # RF 3 -> 2: every partition drops one replica, each broker keeps two, leaders stay.
        (THREE, [0, 1, 2], {"t": 2}, 3, {0: 2, 1: 2, 2: 2}, {0: 1, 1: 1, 2: 1}),
        # RF 2 -> 3 on three brokers: every partition gains the one broker it lacks.
        (topic("t", (0, 1), (1, 2), (2, 0)), [0, 1, 2], {"t": 3}, 3, {0: 3, 1: 3, 2: 3}, {0: 1, 1: 1, 2: 1}),
        # A fourth broker: it gets its share (9 replicas over 4 brokers: 2 or 3 each).
        (THREE, [0, 1, 2, 3], {}, 2, {0: 2, 1: 2, 2: 2, 3: 3}, None),
        # Broker 3 leaves: its replicas move to the others, spread evenly.
        (
            topic("t", (0, 1, 3), (1, 2, 3), (2, 3, 0), (3, 0, 1)),
            [0, 1, 2],
            {},
            4,
            {0: 4, 1: 4, 2: 4},
            {0: 2, 1: 1, 2: 1},
        ),
    ],
)
def test_the_plan_spreads_replicas_and_leaders_evenly(
    current, brokers, replication, moved, replicas_per_broker, leaders_per_broker
):
    plan = plan_assignment(current, brokers, replication)
    assert plan.refusals == []
    assert len(plan.moves) == moved
    result = applied(current, plan)
    counts = spread(result)
    assert max(counts.values()) - min(counts[b] for b in brokers) <= 1
    assert sorted(counts.values()) == sorted(replicas_per_broker.values())
    assert set(counts) <= set(brokers)
    if leaders_per_broker is not None:
        assert dict(leaders(result)) == leaders_per_broker
    for (name, _), replicas in result.items():
        assert len(set(replicas)) == len(replicas) == (replication.get(name) or 3)


def test_a_new_broker_gets_replicas_and_leadership_of_a_busy_topic():
    current = topic("offsets", *[(p % 3, (p + 1) % 3, (p + 2) % 3) for p in range(12)])
    result = applied(current, plan_assignment(current, [0, 1, 2, 3]))
    assert spread(result) == {0: 9, 1: 9, 2: 9, 3: 9}
    assert leaders(result) == {0: 3, 1: 3, 2: 3, 3: 3}


def test_existing_replicas_stay_and_the_smallest_partitions_move():
    current = topic("t", (0, 1), (1, 0), (0, 1), (1, 0))
    sizes = {("t", 0): 900, ("t", 1): 10, ("t", 2): 800, ("t", 3): 20}
    plan = plan_assignment(current, [0, 1, 2], {}, sizes)
    # 8 replicas over 3 brokers: broker 2 takes two, of the two small partitions; the large ones stay put.
    assert sorted((move.partition, move.bytes) for move in plan.moves) == [(1, 10), (3, 20)]
    result = applied(current, plan)
    assert max(leaders(result).values()) - min(leaders(result).values()) <= 1
    assert plan.bytes == 30


def test_bytes_are_unknown_without_sizes_and_zero_for_a_leader_change_only():
    plan = plan_assignment(THREE, [0, 1, 2, 3])
    assert plan.bytes is None
    reordered = topic("t", (0, 1), (0, 1))
    moves = plan_assignment(reordered, [0, 1], {}, {("t", 0): 5, ("t", 1): 5}).moves
    assert [(move.after, move.bytes) for move in moves] == [((1, 0), 0)]


def test_a_partition_mid_reassignment_is_planned_from_where_it_goes_not_by_counting():
    # Partition 0 is going from [0,1] to [1,2]: four replicas listed would read as another RF (the trap C.2).
    moving = PartitionReplicas("t", 0, (1, 2, 0), adding=(2,), removing=(0,))
    current = [moving, PartitionReplicas("t", 1, (2, 0))]
    plan = plan_assignment(current, [0, 1, 2], {"t": 2})
    assert plan.refusals == []
    # Where it goes is already balanced: nothing is started again.
    assert [move.partition for move in plan.moves if move.partition == 0] == []
    assert replica_counts(current, [0, 1, 2]) == {0: 2, 1: 1, 2: 2}


def test_a_topic_that_needs_more_brokers_than_remain_is_refused():
    plan = plan_assignment(THREE, [0, 1], {})
    assert plan.moves == []
    assert plan.refusals == ["topic t needs 3 replicas per partition, but only 2 broker(s) remain ([0,1])"]


def test_other_topics_are_refused_or_planned_independently():
    current = THREE + topic("u", (0,), (1,))
    plan = plan_assignment(current, [0, 1], {"u": 2})
    assert len(plan.refusals) == 1 and plan.refusals[0].startswith("topic t")
    assert {(move.topic, len(move.after)) for move in plan.moves} == {("u", 2)}


def test_the_plan_is_deterministic():
    current = topic("t", *[(p % 5, (p + 2) % 5) for p in range(10)])
    first = plan_assignment(current, [0, 1, 2, 3, 4, 5], {"t": 3})
    second = plan_assignment(list(reversed(current)), [5, 4, 3, 2, 1, 0], {"t": 3})
    assert first == second
    result = applied(current, first)
    assert max(spread(result).values()) - min(spread(result).values()) <= 1
    assert max(leaders(result).values()) - min(leaders(result).values()) <= 1
