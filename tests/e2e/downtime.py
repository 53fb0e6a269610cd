"""Which nodes of a live stack were down when, sampled during a change, and the judgment of it: every node seen,
no two of a kind down at once, each node the change replaced down exactly once and no other node down at all,
and no two brokers out of sync at once (a broker went down only once the one before had caught up).

The sampling runs in the traffic recorder (tests.e2e.traffic); the judgment is pure and unit-tested.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

INSPECT_FORMAT = "{{.Name}} {{.Id}} {{.State.Running}} {{if .State.Health}}{{.State.Health.Status}}{{end}}"
# A restart the sampler missed fails the judgment anyway (a replaced node must be seen down once); what a sparse
# sampler could miss is two restarts overlapping for less than its gap. A restarted broker is down for its JVM's
# start and at least one 3 s health-check interval: 8 s or more measured on a loaded 2-core machine, where one
# `docker inspect` took up to 6 s.
MAX_SAMPLE_GAP_S = 10.0
KINDS = ("kafka", "zookeeper", "controller")


@dataclass(frozen=True)
class Sample:
    """One look at the nodes: which Docker listed, and which of those it listed running and healthy."""

    at: float
    seen: frozenset[str]
    down: frozenset[str]
    """Nodes missing, stopped or not healthy (a node being replaced is missing for a moment)."""


@dataclass(frozen=True)
class SyncSample:
    """One look at the partitions: brokers that hold a replica of a partition but are not in its in-sync set."""

    at: float
    out_of_sync: frozenset[int]


def parse_inspect(output: str) -> dict[str, tuple[str, bool]]:
    """`docker inspect -f INSPECT_FORMAT` lines -> {name: (container id, running and healthy)}. A container with
    no health check counts as healthy when running."""
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        name, container_id, running = parts[0].lstrip("/"), parts[1], parts[2] == "true"
        health = parts[3] if len(parts) > 3 else "healthy"
        found[name] = (container_id, running and health == "healthy")
    return found


def not_ready(names: Iterable[str], states: Mapping[str, tuple[str, bool]]) -> set[str]:
    """Which of `names` are missing, stopped or not healthy."""
    return {name for name in names if not states.get(name, ("", False))[1]}


def sample(at: float, names: Iterable[str], states: Mapping[str, tuple[str, bool]]) -> Sample:
    names = list(names)
    return Sample(at, frozenset(name for name in names if name in states), frozenset(not_ready(names, states)))


def inspect(names: Sequence[str]) -> dict[str, tuple[str, bool]]:
    # Exits 1 when a container is missing (replaced right now) but still prints the others.
    done = subprocess.run(["docker", "inspect", "-f", INSPECT_FORMAT, *names], capture_output=True, text=True)
    return parse_inspect(done.stdout)


def node_names(stack: str, all_names: Iterable[str], kind: str) -> list[str]:
    pattern = re.compile(rf"^caracal-{re.escape(stack)}-{kind}-\d+$")
    return sorted(name for name in all_names if pattern.match(name))


def out_of_sync(partitions: Iterable[tuple[Sequence[int], Sequence[int]]]) -> frozenset[int]:
    """Brokers missing from the in-sync set of a partition they hold, from (replicas, in-sync) pairs."""
    return frozenset(broker for replicas, isr in partitions for broker in replicas if broker not in isr)


def most_down_at_once(samples: Iterable[Sample], nodes: Iterable[str]) -> int:
    nodes = set(nodes)
    return max((len(entry.down & nodes) for entry in samples), default=0)


def down_spans(samples: Sequence[Sample], node: str) -> list[tuple[float, float]]:
    """The stretches `node` was down: from the first sample that saw it down to the first that saw it back (or the
    last sample)."""
    spans, started = [], None
    for entry in samples:
        if node in entry.down and started is None:
            started = entry.at
        elif node not in entry.down and started is not None:
            spans.append((started, entry.at))
            started = None
    if started is not None:
        spans.append((started, samples[-1].at))
    return spans


def unseen(samples: Sequence[Sample], expected: Mapping[str, int], nodes: Mapping[str, Sequence[str]]) -> list[str]:
    """Why the samples cannot be trusted to have seen every node: fewer nodes of a kind found by name than the
    stack runs (a name pattern that matches nothing makes every judgment pass), no sample, a node no sample saw."""
    problems = []
    for kind, count in expected.items():
        found = nodes.get(kind, [])
        if len(found) != count:
            problems.append(f"expected {count} {kind} nodes, the sampler found {len(found)}: {list(found)}")
    if not samples:
        return [*problems, "no sample taken"]
    everything = [name for names in nodes.values() for name in names]
    missing = [name for name in everything if not any(name in entry.seen for entry in samples)]
    if missing:
        problems.append(f"never seen by the sampler: {missing}")
    return problems


def sample_gap(samples: Sequence[Sample]) -> float:
    return max((later.at - earlier.at for earlier, later in pairwise(samples)), default=0.0)


def roll_problems(samples: Sequence[Sample], nodes: Mapping[str, Sequence[str]], replaced: Iterable[str]) -> list[str]:
    """Whether the change took the nodes down one at a time: per kind never two at once, each replaced node down
    exactly once, every other node never; and the samples close enough together to have seen each restart."""
    replaced = set(replaced)
    problems = []
    gap = sample_gap(samples)
    if gap > MAX_SAMPLE_GAP_S:
        problems.append(f"the sampler looked only every {gap:.1f} s at worst (two restarts may overlap unseen)")
    for kind, names in nodes.items():
        at_once = most_down_at_once(samples, names)
        if at_once > 1:
            problems.append(f"{at_once} {kind} nodes down at once")
        for name in names:
            spans = down_spans(samples, name)
            if name in replaced and len(spans) != 1:
                problems.append(f"{name} was replaced but seen down {len(spans)} times, not once")
            if name not in replaced and spans:
                problems.append(f"{name} was not replaced but seen down {len(spans)} times")
    return problems


def sync_problems(samples: Sequence[SyncSample]) -> list[str]:
    """Two brokers out of sync at once means one went down before the other had caught up again."""
    if not samples:
        return ["no sample of the in-sync replicas taken"]
    both = [entry for entry in samples if len(entry.out_of_sync) > 1]
    if not both:
        return []
    first = both[0]
    return [
        f"{len(both)} samples saw two or more brokers out of sync at once, the first brokers "
        f"{sorted(first.out_of_sync)} {first.at - samples[0].at:.1f} s into the sampling"
    ]
