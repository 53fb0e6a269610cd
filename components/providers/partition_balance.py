"""The partitions of a stack's own cluster spread over exactly the brokers it declares: when brokers are added,
the new ones get their share of every topic's replicas and of its leadership; when brokers go, every replica they
hold moves to the brokers that stay, and the brokers are stopped only afterwards.

The engine deletes the resources a program no longer declares (a removed broker's container) after every other
step of the `up`, so the balance, updated within the `up`, drains the leaving brokers before their containers go;
it fails the `up` (and nothing is removed) while one of them still holds a replica. The moves are throttled
reassignments (components/clients/reassignments.py), followed by a preferred-leader election.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, UpdateResult

from components.clients import reassignments
from components.clients.cluster_health import registered_brokers
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules.names import PARTITION_BALANCE
from components.rules.partition_assignment import plan_assignment, replica_counts
from components.rules.reassignment import throttle_bytes, with_ongoing

SECRET_OUTPUTS = ("connection",)


@dataclass(frozen=True)
class PartitionBalanceArgs(ResourceArgs):
    brokers: Sequence[int]
    """The broker ids the stack declares: every replica ends up on these."""
    throttle_mbps: int
    """The replication throttle of the moves, MiB/s per broker."""
    container: pulumi.Input[str]
    """A broker container that stays, to run Kafka's reassignment tool in."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""


def balance(props: Mapping[str, Any]) -> None:
    """Finish what a killed `up` left moving, move every replica onto the declared brokers, evenly, and check
    that the brokers not declared hold nothing."""
    admin = SESSION.admins.get(props["connection"])
    access = reassignments.tool_access({"container": props["container"]})
    brokers = [int(broker) for broker in props["brokers"]]
    leaving = sorted(registered_brokers(admin) - set(brokers))
    # Read from the metadata alone first: a balanced cluster (every `up` of a stack whose brokers stay) costs no
    # tool run. A partition being moved lists old and new replicas there, so it never looks balanced.
    quick = plan_assignment(with_ongoing(reassignments.metadata_replicas(admin), []), brokers)
    # Throttles a killed `up` left behind (its reassignment completed meanwhile) are removed on the way.
    if not quick.moves and not quick.refusals and not leaving and not reassignments.throttled_brokers(admin):
        return
    current = reassignments.settled_assignments(admin, access)
    sizes = reassignments.sizes(access, sorted({state.topic for state in current}))
    plan = plan_assignment(current, brokers, {}, sizes)
    if plan.refusals:
        raise reassignments.ReassignmentError(
            "the brokers that stay cannot hold every partition: " + "; ".join(plan.refusals)
        )
    reassignments.reassign(admin, access, plan.moves, throttle_bytes(int(props["throttle_mbps"])))
    after = with_ongoing(reassignments.metadata_replicas(admin), [])
    held = {broker: count for broker, count in replica_counts(after, leaving).items() if count}
    if held:
        raise reassignments.ReassignmentError(
            f"brokers still hold replicas after the moves, so they are not removed: {held}"
        )


class PartitionBalanceProvider(PlatformProvider):
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # The brokers (and how fast to move) decide the balance; another admin login or container moves nothing.
        return DiffResult(changes=any(olds.get(key) != news.get(key) for key in ("brokers", "throttle_mbps")))

    def create(self, props: dict[str, Any]) -> CreateResult:
        balance(props)
        return CreateResult("partition-balance", dict(props))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        if olds.get("brokers") != news.get("brokers"):
            balance(news)
        return UpdateResult(dict(news))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        return None


class PartitionBalance(PlatformResource, kind=PARTITION_BALANCE):
    """Every replica on the brokers the stack declares, spread and led evenly; updated when brokers come or go."""

    provider_class = PartitionBalanceProvider
    secret_outputs = SECRET_OUTPUTS
