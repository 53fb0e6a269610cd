"""What the cluster's metadata says during a reassignment, sampled twice a second from outside: partitions whose
in-sync replicas fell below min.insync.replicas, and how many replicas each watched broker held the last time it
was seen registered (a broker stopped while holding replicas would be seen holding some). Shared by the scaling
tests and `python -m bench.reassign`."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from components.clients import kafka_tools, reassignments
from infra.scratch_stack import ROOT
from tests.e2e import clients
from tests.e2e.traffic import TOPIC

# The prod topology's min.insync.replicas, for every topic with two replicas or more.
MIN_INSYNC = 2


class ReplicaWatch:
    def __init__(self, outputs: dict[str, Any], brokers: tuple[int, ...] = (), every_s: float = 0.5) -> None:
        self.admin = clients.admin(outputs)
        self.brokers = brokers
        self.every_s = every_s
        self.under_min_insync: list[str] = []
        """Samples of partitions below min.insync.replicas ("topic-partition isr [..] at t s")."""
        self.last_held: dict[int, int] = {}
        """Watched broker -> replicas it held in the last sample it was registered in."""
        self.gone: set[int] = set()
        """Watched brokers seen registered, then no longer."""
        self.samples = 0
        self.errors: list[str] = []
        self._running = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> ReplicaWatch:
        self._start = time.monotonic()
        self._running.set()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._running.clear()
        self._thread.join(30)

    def _watch(self) -> None:
        while self._running.is_set():
            try:
                self._sample()
            except Exception as error:  # a broker going away mid-request: the next sample asks again
                self.errors.append(str(error))
            time.sleep(self.every_s)

    def _sample(self) -> None:
        metadata = self.admin.list_topics(timeout=10)
        at = time.monotonic() - self._start
        held: Counter[int] = Counter()
        for topic, described in metadata.topics.items():
            for partition in described.partitions.values():
                held.update(partition.replicas)
                if len(partition.replicas) >= MIN_INSYNC and len(partition.isrs) < MIN_INSYNC:
                    self.under_min_insync.append(f"{topic}-{partition.id} isr {list(partition.isrs)} at {at:.1f} s")
        self.samples += 1
        for broker in self.brokers:
            if broker in metadata.brokers:
                self.last_held[broker] = held[broker]
            elif broker in self.last_held:
                self.gone.add(broker)


def replicas_and_leaders(outputs: dict[str, Any]) -> dict[int, tuple[int, int]]:
    """Broker -> (replicas it holds, partitions it leads), over every topic."""
    metadata = clients.admin(outputs).list_topics(timeout=30)
    replicas: Counter[int] = Counter()
    leaders: Counter[int] = Counter()
    for described in metadata.topics.values():
        for partition in described.partitions.values():
            replicas.update(partition.replicas)
            leaders[partition.leader] += 1
    return {broker: (replicas[broker], leaders[broker]) for broker in sorted(metadata.brokers)}


def replication_factors(outputs: dict[str, Any], topic: str) -> list[int]:
    described = clients.admin(outputs).list_topics(topic, timeout=30).topics[topic]
    return [len(partition.replicas) for partition in described.partitions.values()]


def catalog_with(folder: Path, replication_factor: int | None) -> str:
    """A copy of the catalog where the traffic's topic declares `replication_factor` (None: the stack's); its
    path, for the stack's `catalog` setting (the schemas stay where the stack finds them)."""
    document = yaml.safe_load((ROOT / "stacks" / "catalog.yaml").read_text())
    topic = next(entry for entry in document["topics"] if entry["name"] == TOPIC)
    topic.pop("replication_factor", None)
    if replication_factor is not None:
        topic["replication_factor"] = replication_factor
    path = folder / f"catalog-rf-{replication_factor}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return str(path)


def assignment(outputs: dict[str, Any]) -> dict[tuple[str, int], tuple[int, ...]]:
    metadata = clients.admin(outputs).list_topics(timeout=30)
    return {
        (topic, partition.id): tuple(partition.replicas)
        for topic, described in metadata.topics.items()
        for partition in described.partitions.values()
    }


def bytes_moved(
    before: dict[tuple[str, int], tuple[int, ...]],
    after: dict[tuple[str, int], tuple[int, ...]],
    sizes: dict[tuple[str, int], int],
) -> int:
    """Bytes copied to make `after` from `before`: each partition's size for every replica it gained."""
    return sum(sizes.get(key, 0) * len(set(after[key]) - set(before.get(key, ()))) for key in after)


def partition_sizes(stack_name: str, topics: list[str]) -> dict[tuple[str, int], int]:
    """Each partition's size, as kafka-log-dirs in the stack's first broker reports it."""
    access = reassignments.ToolAccess(kafka_tools.InBroker(f"caracal-{stack_name}-kafka-0"))
    return reassignments.sizes(access, topics)
