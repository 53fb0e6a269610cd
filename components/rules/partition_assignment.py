"""Where each partition's replicas go when a topic's replication factor changes or brokers come and go: pure,
deterministic rules over what the cluster reports.

The new assignment spreads each topic's replicas evenly over the brokers (counts differ by at most one where the
replicas allow it), balances preferred leaders (the first replica of each partition) the same way, and keeps every
replica that may stay where it is: a replica moves only to leave a broker that goes, to reach a new replication
factor, or to even out a topic whose spread differs by more than one, and then the smallest partitions move first
(fewest bytes copied). A partition in the middle of a reassignment is planned from where that reassignment takes
it (its replicas minus those being removed), never from a count of its current replicas, so an interrupted
reassignment is neither mistaken for another replication factor nor started twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

TopicPartition = tuple[str, int]


@dataclass(frozen=True)
class PartitionReplicas:
    """A partition as the cluster reports it."""

    topic: str
    partition: int
    replicas: tuple[int, ...]
    """Its replicas, the preferred leader first (during a reassignment: old and new together)."""
    adding: tuple[int, ...] = ()
    """A reassignment in progress adds these replicas..."""
    removing: tuple[int, ...] = ()
    """...and removes these."""

    @property
    def settled(self) -> tuple[int, ...]:
        """Where the partition is going: its replicas once any reassignment in progress completes."""
        return tuple(broker for broker in self.replicas if broker not in self.removing)

    @property
    def moving(self) -> bool:
        return bool(self.adding or self.removing)


@dataclass(frozen=True)
class Move:
    """One partition's new replicas: what a reassignment is asked to do."""

    topic: str
    partition: int
    before: tuple[int, ...]
    after: tuple[int, ...]
    bytes: int | None
    """Bytes to copy: the partition's size times the replicas it gains (None: size unknown)."""

    def describe(self) -> str:
        copied = "size unknown" if self.bytes is None else f"{self.bytes} bytes to copy"
        return f"{self.topic}-{self.partition}: replicas {_ids(self.before)} -> {_ids(self.after)} ({copied})"


@dataclass(frozen=True)
class AssignmentPlan:
    moves: list[Move] = field(default_factory=list)
    """Partitions whose replicas or preferred leader change."""
    refusals: list[str] = field(default_factory=list)
    """Why the plan cannot be made; nothing is moved while there is one."""

    @property
    def bytes(self) -> int | None:
        sizes = [move.bytes for move in self.moves]
        return None if any(size is None for size in sizes) else sum(size or 0 for size in sizes)


def _ids(ids: Sequence[int]) -> str:
    return "[" + ",".join(map(str, ids)) + "]"


def plan_assignment(
    current: Sequence[PartitionReplicas],
    brokers: Sequence[int],
    replication: Mapping[str, int] | None = None,
    sizes: Mapping[TopicPartition, int] | None = None,
) -> AssignmentPlan:
    """The moves that put every partition of `current` on `brokers` only, with `replication[topic]` replicas
    (a topic not named keeps the replicas each of its partitions is settling on), spread and led evenly."""
    replication = replication or {}
    sizes = sizes or {}
    allowed = sorted(set(brokers))
    plan = AssignmentPlan()
    by_topic: dict[str, list[PartitionReplicas]] = {}
    for state in current:
        by_topic.setdefault(state.topic, []).append(state)
    for topic, states in sorted(by_topic.items()):
        states.sort(key=lambda state: state.partition)
        wanted = replication.get(topic) or max(len(state.settled) for state in states)
        if wanted > len(allowed):
            plan.refusals.append(
                f"topic {topic} needs {wanted} replicas per partition, but only {len(allowed)} broker(s) remain "
                f"({_ids(allowed)})"
            )
            continue
        targets = {state.partition: replication.get(topic) or len(state.settled) for state in states}
        assigned = _topic_assignment(states, allowed, targets, {p: sizes.get((topic, p), 0) for p in targets})
        for state in states:
            after = assigned[state.partition]
            if after != state.settled:
                gained = len(set(after) - set(state.settled))
                size = sizes.get((topic, state.partition))
                plan.moves.append(
                    Move(topic, state.partition, state.settled, after, None if size is None else size * gained)
                )
    return plan


def _topic_assignment(
    states: Sequence[PartitionReplicas], brokers: Sequence[int], targets: Mapping[int, int], sizes: Mapping[int, int]
) -> dict[int, tuple[int, ...]]:
    """Each partition's new replicas, the preferred leader first."""
    replicas = {state.partition: [b for b in state.settled if b in brokers] for state in states}
    load = Counter({broker: 0 for broker in brokers})
    for kept in replicas.values():
        load.update(kept)
    # Fewer replicas: drop those on the busiest brokers, the preferred leader last.
    for partition, kept in replicas.items():
        while len(kept) > targets[partition]:
            drop = max(kept[1:] or kept, key=lambda broker: (load[broker], broker))
            kept.remove(drop)
            load[drop] -= 1
    # More replicas: add the least busy brokers, the largest partitions first (they have the least choice left).
    for partition in sorted(replicas, key=lambda p: -sizes[p]):
        kept = replicas[partition]
        while len(kept) < targets[partition]:
            add = min((b for b in brokers if b not in kept), key=lambda broker: (load[broker], broker))
            kept.append(add)
            load[add] += 1
    _even_out(replicas, brokers, load, sizes)
    return _balance_leaders(replicas, brokers, {state.partition: state.settled[:1] for state in states})


def _even_out(
    replicas: dict[int, list[int]], brokers: Sequence[int], load: Counter[int], sizes: Mapping[int, int]
) -> None:
    """Move replicas from the busiest broker to the idlest until their counts differ by at most one, each time
    the smallest partition that can move (a follower rather than a preferred leader between equals)."""
    while True:
        busiest = max(brokers, key=lambda broker: (load[broker], -broker))
        idlest = min(brokers, key=lambda broker: (load[broker], broker))
        if load[busiest] - load[idlest] <= 1:
            return
        candidates = [p for p, kept in replicas.items() if busiest in kept and idlest not in kept]
        if not candidates:
            return
        chosen = min(candidates, key=lambda p: (sizes[p], replicas[p][0] == busiest, p))
        kept = replicas[chosen]
        kept[kept.index(busiest)] = idlest
        load[busiest] -= 1
        load[idlest] += 1


def _balance_leaders(
    replicas: Mapping[int, list[int]], brokers: Sequence[int], leaders: Mapping[int, tuple[int, ...]]
) -> dict[int, tuple[int, ...]]:
    """Order each partition's replicas so that preferred leaders spread evenly: a partition keeps its preferred
    leader while that broker leads no more than its share, the rest go to the replica leading fewest."""
    share = -(-len(replicas) // max(1, len(brokers)))
    led: Counter[int] = Counter()
    chosen: dict[int, int] = {}
    for partition, kept in sorted(replicas.items()):
        former = leaders[partition][0] if leaders[partition] else None
        if former in kept and led[former] < share:
            chosen[partition] = former
            led[former] += 1
    for partition, kept in sorted(replicas.items()):
        if partition not in chosen and kept:
            leader = min(kept, key=lambda broker: (led[broker], broker))
            chosen[partition] = leader
            led[leader] += 1
    # Greedy choices can leave a broker short: hand it a partition it holds from the broker leading most.
    while True:
        most = max(brokers, key=lambda broker: (led[broker], -broker))
        least = min(brokers, key=lambda broker: (led[broker], broker))
        movable = [p for p in sorted(chosen) if chosen[p] == most and least in replicas[p]]
        if led[most] - led[least] <= 1 or not movable:
            break
        chosen[movable[0]] = least
        led[most] -= 1
        led[least] += 1
    return {
        partition: tuple([chosen[partition]] + [b for b in kept if b != chosen[partition]]) if kept else ()
        for partition, kept in replicas.items()
    }


def ongoing(current: Sequence[PartitionReplicas]) -> list[PartitionReplicas]:
    """The partitions a reassignment is moving now."""
    return [state for state in current if state.moving]


def replica_counts(current: Sequence[PartitionReplicas], brokers: Sequence[int]) -> dict[int, int]:
    """How many replicas each of `brokers` holds, counting where reassignments in progress still hold them."""
    counts = Counter(broker for state in current for broker in state.replicas)
    return {broker: counts[broker] for broker in brokers}
