"""What an application producing and consuming around a change of a live stack saw, counted from what the
recorder (tests.e2e.traffic) took down: sends, acknowledgements, reads, and the samples of the nodes. Pure:
unit-tested on made-up timelines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from tests.e2e.downtime import (
    Sample,
    SyncSample,
    most_down_at_once,
    roll_problems,
    sample_gap,
    sync_problems,
    unseen,
)

FIRST_ERRORS = 5
# A stall an application notices, not a latency target. A broker stopped without its controlled shutdown leaves
# its partitions leaderless until its session expires (KRaft 9 s, ZooKeeper 18 s): at least this long. A controlled
# stop costs a leader move: 1-3 s on a quiet 2-core machine, up to 6 s with two prod stacks beside it. The latency
# target (under 5 s) is a figure the benches print (bench/rolls.py), not a timed test.
MAX_ACK_GAP_S = 10.0


def record_value(run: str, sequence: int) -> bytes:
    return f"{run}:{sequence}".encode()


def sequence_of(value: bytes | None, run: str) -> int | None:
    """The sequence number of a record of this run, None for anything else the topic holds."""
    if not value:
        return None
    tag, _, number = value.decode(errors="replace").partition(":")
    return int(number) if tag == run and number.isdigit() else None


def first_distinct(items: Iterable[str], count: int = FIRST_ERRORS) -> list[str]:
    """The first `count` different errors: a stall fails thousands of sends with the same one."""
    return list(dict.fromkeys(items))[:count]


def longest_gap_span(times: Iterable[float], start: float, end: float) -> tuple[float, float]:
    """(from, to) of the longest time in [start, end] without an acknowledgement: the window's edges count, so a
    window with no acknowledgement at all is one gap as long as the window."""
    inside = sorted(t for t in times if start <= t <= end)
    edges = [start, *inside, end]
    return max(pairwise(edges), key=lambda span: span[1] - span[0])


def longest_gap(times: Iterable[float], start: float, end: float) -> float:
    earlier, later = longest_gap_span(times, start, end)
    return later - earlier


def down_during(samples: Iterable[Sample], span: tuple[float, float]) -> list[str]:
    """Nodes some sample saw down within `span`, or in the last sample before it (a node down as the gap began)."""
    samples = sorted(samples, key=lambda one: one.at)
    before = [one for one in samples if one.at < span[0]][-1:]
    inside = [one for one in samples if span[0] <= one.at <= span[1]]
    return sorted({name for one in before + inside for name in one.down})


def lost_and_duplicates(acknowledged: Iterable[int], consumed: Sequence[int]) -> tuple[int, int]:
    """(acknowledged records never read, reads beyond the first of a record)."""
    counts = Counter(consumed)
    lost = sum(1 for sequence in set(acknowledged) if sequence not in counts)
    return lost, sum(count - 1 for count in counts.values())


def replaced(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Names whose container is not the one there before (a new id, or gone)."""
    return sorted(name for name, container_id in before.items() if after.get(name) != container_id)


# --- the report ---------------------------------------------------------------------------------------------------


@dataclass
class TrafficReport:
    sent: int
    acknowledged: int
    failed: int
    first_errors: list[str]
    """The first few different delivery errors."""
    lost: int
    duplicates: int
    longest_ack_gap_s: float
    containers_before: dict[str, str]
    containers_after: dict[str, str]
    window_s: float
    nodes: dict[str, list[str]] = field(default_factory=dict)
    """The brokers and ZooKeeper nodes sampled, by kind ("kafka", "zookeeper")."""
    expected_nodes: dict[str, int] = field(default_factory=dict)
    """How many nodes of each kind the stack runs: the sampler must have found that many."""
    samples: list[Sample] = field(default_factory=list)
    sync_samples: list[SyncSample] = field(default_factory=list)
    consumer_errors: list[str] = field(default_factory=list)
    recorder_errors: list[str] = field(default_factory=list)
    """A thread of the recorder that died: its figures cannot be trusted."""
    longest_ack_gap_from_s: float = 0.0
    """Where the longest gap began, in seconds into the window: with the samples, what caused it."""
    window_start: float = 0.0
    """The window's start on the samples' clock."""

    @property
    def down_in_longest_gap(self) -> list[str]:
        start = self.window_start + self.longest_ack_gap_from_s
        return down_during(self.samples, (start, start + self.longest_ack_gap_s))

    @property
    def replaced(self) -> list[str]:
        return replaced(self.containers_before, self.containers_after)

    @property
    def max_brokers_down(self) -> int:
        return most_down_at_once(self.samples, self.nodes.get("kafka", []))

    @property
    def max_zookeeper_down(self) -> int:
        return most_down_at_once(self.samples, self.nodes.get("zookeeper", []))

    @property
    def max_controllers_down(self) -> int:
        return most_down_at_once(self.samples, self.nodes.get("controller", []))

    def outage(self, max_down: int = 1, max_gap_s: float = MAX_ACK_GAP_S) -> list[str]:
        """What an application would have noticed (a failed send, a lost record, a wait of `max_gap_s` or more
        for an acknowledgement), or what took more than one node of a kind down at once."""
        problems = [f"recorder failed: {error}" for error in self.recorder_errors]
        if self.failed:
            problems.append(f"{self.failed} sends failed, first: {self.first_errors}")
        if self.lost:
            problems.append(f"{self.lost} acknowledged records never read")
        if self.longest_ack_gap_s >= max_gap_s:
            problems.append(f"no acknowledgement for {self.longest_ack_gap_s:.1f} s (allowed: under {max_gap_s} s)")
        if self.max_brokers_down > max_down:
            problems.append(f"{self.max_brokers_down} brokers down at once")
        if self.max_zookeeper_down > max_down:
            problems.append(f"{self.max_zookeeper_down} ZooKeeper nodes down at once")
        if self.max_controllers_down > max_down:
            problems.append(f"{self.max_controllers_down} KRaft controllers down at once")
        return problems

    def roll(self) -> list[str]:
        """Whether the nodes went down as a roll takes them: every node seen by the sampler, one of a kind down at
        a time, each replaced node down exactly once and no other, never two brokers out of sync at once."""
        return [
            *unseen(self.samples, self.expected_nodes, self.nodes),
            *roll_problems(self.samples, self.nodes, self.replaced),
            *sync_problems(self.sync_samples),
        ]

    def not_restarted(self, kinds: Sequence[str]) -> list[str]:
        """Nodes of `kinds` ("kafka", "zookeeper", "controller") the change should have restarted but left running."""
        kept = sorted({node for kind in kinds for node in self.nodes[kind]} - set(self.replaced))
        return [f"not restarted: {kept}"] if kept else []

    def summary(self) -> str:
        return (
            f"sent {self.sent}, acknowledged {self.acknowledged}, failed {self.failed}, lost {self.lost}, "
            f"duplicates {self.duplicates}, longest ack gap {self.longest_ack_gap_s:.1f} s "
            f"(from {self.longest_ack_gap_from_s:.1f} s, nodes down then: {self.down_in_longest_gap}), "
            f"max brokers down {self.max_brokers_down}, max ZooKeeper down {self.max_zookeeper_down}, "
            f"max controllers down {self.max_controllers_down}, "
            f"replaced {len(self.replaced)}/{len(self.containers_before)} {self.replaced}, "
            f"samples {len(self.samples)} (every {sample_gap(self.samples):.1f} s at worst), "
            f"in-sync samples {len(self.sync_samples)}, "
            f"window {self.window_s:.1f} s" + (f", first errors {self.first_errors}" if self.first_errors else "")
        )
