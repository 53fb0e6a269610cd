"""Partition reassignments on a running cluster, for the topic sets (a replication factor changes), the partition
balance (brokers come or go) and the operator's CLI. librdkafka has no reassignment or log-dirs call, so Kafka's
own kafka-reassign-partitions and kafka-log-dirs run through the one tool runner (components/clients/kafka_tools.py):
in a broker of the stack, or beside an external cluster with the admin's login on stdin.

A reassignment runs under a replication throttle, is waited for, then verified, which removes the throttles.
One found in progress (left by an `up` that was killed) is waited for first and never submitted again: the plan
is made from where it takes its partitions (components/rules/partition_assignment.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from confluent_kafka import ElectionType, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource

from components.clients import kafka_tools
from components.clients.kafka_admin import REQUEST_TIMEOUT_S, AdminError
from components.rules.kafka_tools import LOG_DIRS, REASSIGN_PARTITIONS
from components.rules.partition_assignment import Move, PartitionReplicas
from components.rules.reassignment import (
    moves_document,
    parse_listing,
    parse_sizes,
    placement_refusal,
    plan_document,
    progress,
    with_ongoing,
)

POLL_S = 3.0
# What a reassignment's --throttle sets on each broker it involves, and --verify removes.
THROTTLE_RATES = ("leader.replication.throttled.rate", "follower.replication.throttled.rate")
# What --verify prints of a partition whose reassignment goes on.
IN_PROGRESS = "is still in progress"
# Time a reassignment may take beyond copying its bytes at the throttle (a JVM start per poll, leader moves).
SLACK_S = 300.0


class ReassignmentError(AdminError):
    """A reassignment that could not be made, did not finish, or is not allowed on this cluster."""


@dataclass(frozen=True)
class ToolAccess:
    """Where the tools run and with which login (None: the admin file in the broker)."""

    place: kafka_tools.Place
    client: kafka_tools.ClientConfig | None = None


def tool_access(runner: Mapping[str, object]) -> ToolAccess:
    """From a resource's runner props: `container` (a broker of the stack) or `image` and `connection` (an
    external cluster)."""
    if runner.get("connection"):
        connection = runner["connection"]
        assert isinstance(connection, Mapping)
        return ToolAccess(kafka_tools.InToolContainer(str(runner["image"])), kafka_tools.admin_client(connection))
    return ToolAccess(kafka_tools.InBroker(str(runner["container"])))


def _run(access: ToolAccess, args: Sequence[str], document: str | None = None) -> str:
    try:
        return kafka_tools.run(REASSIGN_PARTITIONS, args, access.place, access.client, document=document).stdout
    except kafka_tools.ToolError as error:
        refusal = placement_refusal(str(error))
        raise ReassignmentError(refusal or str(error)) from None


def listing(access: ToolAccess) -> list[PartitionReplicas]:
    """The reassignments in progress on the cluster (ListPartitionReassignments)."""
    return parse_listing(_run(access, ["--list"]))


def metadata_replicas(admin: AdminClient) -> dict[tuple[str, int], tuple[int, ...]]:
    metadata = admin.list_topics(timeout=REQUEST_TIMEOUT_S)
    return {
        (topic, partition.id): tuple(partition.replicas)
        for topic, described in metadata.topics.items()
        for partition in described.partitions.values()
    }


def assignments(admin: AdminClient, access: ToolAccess) -> list[PartitionReplicas]:
    """Every partition's replicas, those being reassigned with what is added and removed."""
    return with_ongoing(metadata_replicas(admin), listing(access))


def sizes(access: ToolAccess, topics: Sequence[str]) -> dict[tuple[str, int], int]:
    """Each partition's size in bytes; empty when the brokers do not say (the plan then shows sizes unknown)."""
    if not topics:
        return {}
    try:
        done = kafka_tools.run(
            LOG_DIRS, ["--describe", "--topic-list", ",".join(sorted(topics))], access.place, access.client
        )
    except kafka_tools.ToolError:
        return {}
    return parse_sizes(done.stdout)


def _unsettled(admin: AdminClient, targets: Mapping[tuple[str, int], tuple[int, ...]]) -> list[str]:
    """The partitions not yet exactly on their targets, all in sync: a reassignment lists old and new replicas
    together (an added replica is listed from the start, and joins the in-sync replicas once it caught up)."""
    metadata = admin.list_topics(timeout=REQUEST_TIMEOUT_S)
    left = []
    for (topic, partition), wanted in targets.items():
        described = metadata.topics.get(topic)
        found = described.partitions.get(partition) if described else None
        if found is None or tuple(found.replicas) != wanted or not set(wanted) <= set(found.isrs):
            left.append(f"{topic}-{partition}")
    return left


def wait_for(
    admin: AdminClient,
    targets: Mapping[tuple[str, int], tuple[int, ...]],
    timeout_s: float,
    report: Callable[[str], None] = lambda _: None,
) -> None:
    """Until every partition of `targets` has exactly its target replicas."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = _unsettled(admin, targets)
        if not left:
            return
        if time.monotonic() > deadline:
            raise ReassignmentError(
                f"the reassignment of {len(left)} partition(s) did not complete within {timeout_s:.0f} s "
                f"({', '.join(left[:5])}); it goes on in the cluster: see `caracal-kafka reassignments`, or cancel "
                "it with `caracal-kafka reassignments --cancel`"
            )
        report(f"{len(left)} of {len(targets)} partition(s) still moving")
        time.sleep(POLL_S)


def timeout_for(moves: Sequence[Move], throttle_bps: int) -> float:
    copied = sum(move.bytes or 0 for move in moves)
    return SLACK_S + 3 * copied / max(1, throttle_bps)


def finish_ongoing(admin: AdminClient, access: ToolAccess, timeout_s: float = SLACK_S) -> list[PartitionReplicas]:
    """Wait for the reassignments in progress (a killed `up` left them, or an operator started them), then
    remove their throttles: the cluster is then as they leave it. A reassignment that completed after its `up`
    was killed left its throttles behind: they are removed too. What was in progress."""
    found = listing(access)
    if found:
        targets = {(state.topic, state.partition): state.settled for state in found}
        wait_for(admin, targets, timeout_s)
        verify(admin, access, targets, timeout_s)
    elif throttled_brokers(admin):
        # --verify of partitions already in place removes every broker's throttle and those of their topics.
        verify(admin, access, metadata_replicas(admin), timeout_s)
    return found


def settled_assignments(admin: AdminClient, access: ToolAccess) -> list[PartitionReplicas]:
    """Every partition's replicas once the reassignments in progress finished (finish_ongoing): read from the
    metadata, with no reassignment left to list (one tool run where two would say the same)."""
    finish_ongoing(admin, access)
    return with_ongoing(metadata_replicas(admin), [])


def throttled_brokers(admin: AdminClient) -> list[int]:
    """Brokers with a replication throttle set (only a reassignment sets one here)."""
    found = []
    for broker in sorted(admin.list_topics(timeout=REQUEST_TIMEOUT_S).brokers):
        resource = ConfigResource(ConfigResource.Type.BROKER, str(broker))
        entries = admin.describe_configs([resource])[resource].result(timeout=REQUEST_TIMEOUT_S) or {}
        if any(entries.get(key) is not None and entries[key].value for key in THROTTLE_RATES):
            found.append(broker)
    return found


def _items(targets: Mapping[tuple[str, int], tuple[int, ...]]) -> list[tuple[str, int, tuple[int, ...]]]:
    return [(topic, partition, replicas) for (topic, partition), replicas in targets.items()]


def reassign(
    admin: AdminClient,
    access: ToolAccess,
    moves: Sequence[Move],
    throttle_bps: int,
    report: Callable[[str], None] = lambda _: None,
) -> None:
    """Move `moves` under a replication throttle, wait until they complete, remove the throttles, and elect
    the preferred leaders of the moved partitions."""
    if not moves:
        return
    document = moves_document(moves)
    _run(
        access,
        ["--execute", "--throttle", str(throttle_bps), "--reassignment-json-file", kafka_tools.DOCUMENT],
        document,
    )
    targets = {(move.topic, move.partition): move.after for move in moves}
    timeout_s = timeout_for(moves, throttle_bps)
    wait_for(admin, targets, timeout_s, report)
    verify(admin, access, targets, timeout_s)
    elect_preferred(admin, list(targets))


def verify(
    admin: AdminClient, access: ToolAccess, targets: Mapping[tuple[str, int], tuple[int, ...]], timeout_s: float
) -> None:
    """--verify until Kafka says every partition of `targets` completed: then it removes the broker and topic
    throttles the reassignment set."""
    document = plan_document(_items(targets))
    deadline = time.monotonic() + timeout_s
    while IN_PROGRESS in _run(access, ["--verify", "--reassignment-json-file", kafka_tools.DOCUMENT], document):
        if time.monotonic() > deadline:
            raise ReassignmentError(f"Kafka still reports the reassignment in progress after {timeout_s:.0f} s")
        wait_for(admin, targets, timeout_s)
        time.sleep(POLL_S)


def elect_preferred(admin: AdminClient, partitions: Sequence[tuple[str, int]]) -> list[str]:
    """A preferred-leader election of `partitions`: each is led by its first replica again. The partitions it
    could not move (a partition already so led is not one); Kafka's own auto.leader.rebalance retries those
    within five minutes."""
    if not partitions:
        return []
    chosen = [TopicPartition(topic, partition) for topic, partition in partitions]
    # Without keyword arguments: confluent-kafka 2.16 fails to parse its own timeouts here.
    future = admin.elect_leaders(ElectionType.PREFERRED, chosen)
    results = future.result(timeout=REQUEST_TIMEOUT_S * 2)
    return [
        f"{found.topic}-{found.partition}: {error}"
        for found, error in results.items()
        if error is not None and "ELECTION_NOT_NEEDED" not in str(error)
    ]


def cancel(access: ToolAccess) -> list[str]:
    """Cancel every reassignment in progress (their partitions return to their former replicas) and remove the
    throttles; what was cancelled."""
    found = listing(access)
    if found:
        targets = plan_document((state.topic, state.partition, state.settled) for state in found)
        _run(access, ["--cancel", "--reassignment-json-file", kafka_tools.DOCUMENT], targets)
    return progress(found)
