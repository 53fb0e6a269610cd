"""How a running cluster takes a change without an outage: what Kafka changes at run time (no restart), in which
order the brokers and ZooKeeper nodes restart, and when one of them may go down. Pure: the providers hand in
what the cluster reports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Broker settings the stack sets that Kafka changes at run time as cluster-wide defaults (the broker "" config
# resource, kept in ZooKeeper): changing one never restarts a broker. Every broker reads them at start, so a
# broker restarted later runs with the stack's value too.
RETENTION_KEY = "log.retention.ms"
MIN_INSYNC_KEY = "min.insync.replicas"
DYNAMIC_CLUSTER_KEYS = (RETENTION_KEY, MIN_INSYNC_KEY)


def cluster_defaults(retention_ms: str, min_insync_replicas: int) -> dict[str, str]:
    """The stack's dynamic cluster-wide defaults, as Kafka spells them."""
    return {RETENTION_KEY: str(retention_ms), MIN_INSYNC_KEY: str(min_insync_replicas)}


def defaults_to_change(desired: Mapping[str, str], actual: Mapping[str, str]) -> dict[str, str]:
    """The desired defaults the cluster does not have yet (unset counts as different)."""
    return {key: value for key, value in desired.items() if actual.get(key) != value}


def revision(*parts: Any) -> str:
    """A digest of everything a container is made from: it changes exactly when the container is replaced, so
    the restart gate in front of the container waits for a safe moment exactly then."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class PartitionState:
    topic: str
    partition: int
    replicas: tuple[int, ...]
    isr: tuple[int, ...]

    @property
    def name(self) -> str:
        return f"{self.topic}-{self.partition}"


def restart_blockers(
    broker: int, partitions: Sequence[PartitionState], min_insync: Mapping[str, int], default_min_insync: int
) -> list[str]:
    """Partitions that would fall below min.insync.replicas in-sync replicas while `broker` is down: acks=all
    writes to them would fail, so the broker must not restart yet.

    A partition whose min.insync.replicas is not below its replica count can never lose a replica without
    refusing writes; it does not block a roll (else it could never finish), as Strimzi's roller decides too. The
    stack refuses such a setting unless explicitly allowed (stack_settings)."""
    blocked = []
    for state in partitions:
        if broker not in state.isr:
            continue
        need = min_insync.get(state.topic, default_min_insync)
        if len(state.replicas) > need and len(state.isr) - 1 < need:
            blocked.append(f"{state.name} (in sync: {_ids(state.isr)}, needs {need})")
    return blocked


def out_of_sync(broker: int, partitions: Sequence[PartitionState]) -> list[str]:
    """Partitions `broker` holds a replica of but has not caught up with: it is not back yet."""
    return [f"{state.name}" for state in partitions if broker in state.replicas and broker not in state.isr]


def members_without_container(missing: Sequence[int], replicas: Mapping[int, int]) -> list[int]:
    """Of the brokers the stack declares that have no container (`missing`), those the cluster still places
    partition replicas on (`replicas`: broker -> count, -1 unknown): members whose container an interrupted `up`
    removed, not brokers the stack adds (a new broker holds none until the balance moves some to it)."""
    return [broker for broker in missing if replicas.get(broker, 0) > 0]


def roll_order(brokers: Sequence[int], controller: int | None, down: Sequence[int] = ()) -> list[int]:
    """Brokers in the order they restart: those down first (a roll cut short left one stopped: it comes back
    before any other goes down), the active controller last, so the controller moves at most once."""
    first = [broker for broker in brokers if broker in down]
    rest = [broker for broker in brokers if broker not in down]
    return first + [broker for broker in rest if broker != controller] + [b for b in rest if b == controller]


LEADER, FOLLOWER, STANDALONE = "leader", "follower", "standalone"


def zookeeper_order(modes: Mapping[int, str | None]) -> list[int]:
    """Quorum nodes (ZooKeeper nodes or KRaft controllers) in the order they restart: nodes not serving first (no
    other may go down before they are back in the quorum), then followers, the leader last."""
    rank = {None: 0, LEADER: 2}
    return sorted(modes, key=lambda node: (rank.get(modes[node], 1), node))


def quorum(nodes: int) -> int:
    return nodes // 2 + 1


def zookeeper_restart_blocker(node: int, modes: Mapping[int, str | None], host: str = "zookeeper") -> str | None:
    """Why `node` may not restart now: the nodes serving without it would be fewer than a quorum (ZooKeeper nodes
    or KRaft controllers, named `host`-<node>)."""
    if len(modes) == 1:
        return None
    serving = [other for other, mode in modes.items() if other != node and mode in (LEADER, FOLLOWER)]
    if len(serving) >= quorum(len(modes)):
        return None
    return (
        f"only {len(serving)} other node(s) serve ({_ids(sorted(serving))}); "
        f"a quorum of {quorum(len(modes))} must remain while {host}-{node} restarts"
    )


def _ids(ids: Sequence[int]) -> str:
    return "[" + ",".join(str(item) for item in ids) + "]"


@dataclass(frozen=True)
class RollPlan:
    """How the platform's nodes take a change that restarts them, decided from what runs when the program runs."""

    running: bool
    """The cluster runs: a node restarts only after the one before it is back (and in sync)."""
    brokers: tuple[int, ...]
    """Broker ids in restart order (the active controller last)."""
    zookeeper: tuple[int, ...]
    """ZooKeeper node indexes in restart order (the leader last)."""
    retiring: Mapping[int, int] = field(default_factory=dict)
    """Running brokers the stack no longer declares -> partition replicas each holds (-1: unknown)."""
    controllers: tuple[int, ...] = ()
    """KRaft controller indexes in restart order (the active controller last)."""
    running_quorum: tuple[int, int] = field(default=(0, 0), compare=False)
    """ZooKeeper nodes and KRaft controllers of the stack that run now: what holds its metadata."""

    @classmethod
    def fresh(cls, brokers: int, zookeeper_nodes: int, controllers: int = 0) -> RollPlan:
        """Nothing runs yet: every node starts at once (a quorum node serves only once a majority runs)."""
        return cls(False, tuple(range(brokers)), tuple(range(zookeeper_nodes)), {}, tuple(range(controllers)))

    def with_sizes(self, brokers: int, zookeeper_nodes: int, controllers: int = 0) -> RollPlan:
        """This order for the nodes that exist, followed by any node the stack adds."""
        return RollPlan(
            self.running,
            _complete(self.brokers, brokers),
            _complete(self.zookeeper, zookeeper_nodes),
            self.retiring,
            _complete(self.controllers, controllers),
            self.running_quorum,
        )

    def removal_refusal(self, allow: bool) -> str | None:
        """Why the stack may not remove the brokers it no longer declares: they hold replicas, and moving those
        away (the partition balance drains them before they stop) takes the operator's consent."""
        holding = {broker: count for broker, count in self.retiring.items() if count != 0}
        if not holding or allow:
            return None
        held = ", ".join(
            f"kafka-{broker} ({'unknown' if count < 0 else count} replicas)"
            for broker, count in sorted(holding.items())
        )
        return (
            f"removing brokers that hold partitions: {held}. Set allowBrokerRemoval: true to move their partitions "
            "to the brokers that stay (a throttled reassignment) and then remove them"
        )


def _complete(order: Sequence[int], size: int) -> tuple[int, ...]:
    kept = [node for node in order if node < size]
    return tuple(kept + [node for node in range(size) if node not in kept])
