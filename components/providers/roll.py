"""The steps of a rolling restart, as resources the engine orders: a gate in front of each broker or ZooKeeper
container and, behind each broker, a check that it is back in sync.

A container is replaced (stopped, then made anew) when anything it is made from changes. Its gate carries a digest
of all that (`revision`): when the digest changes, the gate is updated first and returns only once the node may go
down without an outage — every partition the broker holds keeps min.insync.replicas in-sync replicas without it,
or a ZooKeeper quorum remains without the node. The platform chains gate -> container -> in-sync check -> next
gate, so one node is down at a time, in the order the platform chose (the controller and the ZooKeeper leader
last). A node that does not come back stops the chain with an error naming it; nothing after it restarts.
An `up` killed midway leaves the rest of the chain with its old digests, so the next `up` goes on from there.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, UpdateResult

from components.clients import cluster_health, quorum_probe, zookeeper_probe
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules import roll
from components.rules.names import BROKER_GATE, BROKER_IN_SYNC, CONTROLLER_GATE, ZOOKEEPER_GATE

TIMEOUT_S = 300.0
POLL_S = 2.0
SECRET_OUTPUTS = ("connection", "revision")


@dataclass(frozen=True)
class BrokerGateArgs(ResourceArgs):
    node: str
    """The broker's host name, for messages."""
    broker: int
    """Its broker id."""
    revision: pulumi.Input[str]
    """Digest of everything its container is made from (secret: it digests keys too)."""
    redundant: bool
    """False where no broker can go down without an outage (one broker): the gate then waits for nothing."""
    default_min_insync: int
    """The cluster's default min.insync.replicas, for topics that do not set their own."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""


@dataclass(frozen=True)
class ZooKeeperGateArgs(ResourceArgs):
    node: str
    """The node's host name, for messages."""
    index: int
    """Its index in the ensemble."""
    revision: pulumi.Input[str]
    """Digest of everything its container is made from (secret)."""
    containers: Sequence[str]
    """Every node's container name, in index order: the gate asks each for its mode."""


@dataclass(frozen=True)
class ControllerGateArgs(ResourceArgs):
    node: str
    """The controller's host name, for messages."""
    index: int
    """Its index among the controllers."""
    revision: pulumi.Input[str]
    """Digest of everything its container is made from (secret)."""
    prefix: str
    """The stack's container prefix: the gate asks the quorum through the controllers' containers."""
    controllers: int
    """How many controllers the quorum has."""


@dataclass(frozen=True)
class BrokerInSyncArgs(ResourceArgs):
    node: str
    """The broker's host name, for messages."""
    broker: int
    """Its broker id."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""
    triggers: Sequence[pulumi.Input[str]]
    """The broker's container id: a new container makes the check wait again."""


def _until(what: str, problem: Any) -> None:
    """Poll `problem()` until it answers None; after TIMEOUT_S fail with `what` and the last problem."""
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        try:
            found = problem()
        except Exception as error:  # a broker going away mid-request is part of a roll: ask again
            found = str(error)
        if found is None:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {TIMEOUT_S:.0f} s: {found}")
        time.sleep(POLL_S)


def broker_may_restart(props: Mapping[str, Any]) -> str | None:
    """None once the broker may go down; otherwise the partitions that would fall below min.insync.replicas."""
    admin = SESSION.admins.get(props["connection"])
    states = cluster_health.partitions(admin)
    hosted = {state.topic for state in states if props["broker"] in state.replicas}
    blocked = roll.restart_blockers(
        props["broker"], states, cluster_health.min_insync(admin, hosted), props["default_min_insync"]
    )
    return f"it would leave {', '.join(blocked[:5])} short of in-sync replicas" if blocked else None


def broker_in_sync(props: Mapping[str, Any]) -> str | None:
    """None once the broker is registered and in the ISR of every partition it holds."""
    admin = SESSION.admins.get(props["connection"])
    if props["broker"] not in cluster_health.registered_brokers(admin):
        return "not registered with the cluster"
    lagging = roll.out_of_sync(props["broker"], cluster_health.partitions(admin))
    return f"not in sync yet for {len(lagging)} partition(s): {', '.join(lagging[:5])}" if lagging else None


def zookeeper_may_restart(props: Mapping[str, Any]) -> str | None:
    modes = {index: zookeeper_probe.mode(name) for index, name in enumerate(props["containers"])}
    return roll.zookeeper_restart_blocker(props["index"], modes)


def controller_may_restart(props: Mapping[str, Any]) -> str | None:
    """None once a majority of the controllers serves without this one (the quorum itself says who serves)."""
    found = quorum_probe.probe(props["prefix"], 0, props["controllers"], None)
    modes = {index: node.role for index, node in enumerate(found.nodes)}
    return roll.zookeeper_restart_blocker(props["index"], modes, "controller")


def _changed(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    return any(olds.get(key) != news.get(key) for key in set(olds) | set(news) if key != "__provider")


class _GateProvider(PlatformProvider):
    """A gate: created at once (a new node interrupts nothing), updated by waiting until its node may go down —
    only when the node's container is about to be replaced (its revision changed)."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=_changed(olds, news))

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(str(props["node"]), dict(props))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        if olds.get("revision") != news["revision"] and self.waits(news):
            _until(f"{news['node']} could not restart safely", lambda: self.may_restart(news))
        return UpdateResult(dict(news))

    def waits(self, props: Mapping[str, Any]) -> bool:
        return True

    def may_restart(self, props: Mapping[str, Any]) -> str | None:
        raise NotImplementedError


class BrokerGateProvider(_GateProvider):
    def waits(self, props: Mapping[str, Any]) -> bool:
        # Without redundancy no moment is safe: the broker restarts in place (the stack warns of it).
        return bool(props["redundant"])

    def may_restart(self, props: Mapping[str, Any]) -> str | None:
        return broker_may_restart(props)


class ZooKeeperGateProvider(_GateProvider):
    def may_restart(self, props: Mapping[str, Any]) -> str | None:
        return zookeeper_may_restart(props)


class ControllerGateProvider(_GateProvider):
    def may_restart(self, props: Mapping[str, Any]) -> str | None:
        return controller_may_restart(props)


class BrokerInSyncProvider(PlatformProvider):
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=_changed(olds, news))

    def create(self, props: dict[str, Any]) -> CreateResult:
        _until(f"{props['node']} did not come back", lambda: broker_in_sync(props))
        return CreateResult(str(props["node"]), dict(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        _until(f"{news['node']} did not come back", lambda: broker_in_sync(news))
        return UpdateResult(dict(news))


class BrokerGate(PlatformResource, kind=BROKER_GATE):
    """Returns once its broker may restart without an outage; the broker's container depends on it."""

    provider_class = BrokerGateProvider
    secret_outputs = SECRET_OUTPUTS


class ZooKeeperGate(PlatformResource, kind=ZOOKEEPER_GATE):
    """Returns once its ZooKeeper node may restart with a quorum kept; the node's container depends on it."""

    provider_class = ZooKeeperGateProvider
    secret_outputs = SECRET_OUTPUTS


class ControllerGate(PlatformResource, kind=CONTROLLER_GATE):
    """Returns once its KRaft controller may restart with a majority serving; the controller's container depends
    on it."""

    provider_class = ControllerGateProvider
    secret_outputs = SECRET_OUTPUTS


class BrokerInSync(PlatformResource, kind=BROKER_IN_SYNC):
    """Completes once its broker serves again and has caught up on every partition it holds."""

    provider_class = BrokerInSyncProvider
    secret_outputs = SECRET_OUTPUTS
