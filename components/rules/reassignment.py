"""What Kafka's reassignment and log-dirs tools read and print, and the throttle they run under. Pure: the client
(components/clients/reassignments.py) runs the tools, these rules write their input and read their output.

Formats, from kafka-reassign-partitions and kafka-log-dirs of Kafka 3.9 (ReassignPartitionsCommand, LogDirsCommand):
- a reassignment: `{"version": 1, "partitions": [{"topic": t, "partition": p, "replicas": [..]}]}`;
- `--list`: `No partition reassignments found.` or `Current partition reassignments:` then one line per partition,
  `t-0: replicas: 1,2,3. adding: 3. removing: 1.` (adding and removing only when not empty);
- `kafka-log-dirs --describe`: two lines of progress, then one JSON line
  `{"brokers": [{"broker": 0, "logDirs": [{"partitions": [{"partition": "t-0", "size": 123, "isFuture": false}]}]}]}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence

from components.rules.partition_assignment import Move, PartitionReplicas, TopicPartition

MIB = 1024 * 1024
# The replication throttle a reassignment runs under when the stack sets none. Measured on a 2-core host: copying
# 300 MiB to a third replica under traffic, acks never waited over 0.6 s at 10 or at 100 MiB/s (87 s vs 53 s for
# the `up`); 10 is the cautious default for brokers that share two cores with their clients.
DEFAULT_THROTTLE_MBPS = 10
_LISTED = re.compile(r"^(?P<topic>.+)-(?P<partition>\d+): replicas: (?P<replicas>[\d,]*)\.(?P<rest>.*)$")
_PART = re.compile(r"(adding|removing): ([\d,]+)\.")
# What a cluster says when it does not let its clients place replicas (a managed service's policy, a login
# without Alter on the cluster, a broker too old for KIP-455).
_PLACEMENT_REFUSED = (
    "PolicyViolation",
    "UnsupportedVersion",
    "ClusterAuthorization",
    "not supported",
    "Authorization failed",
)


def throttle_bytes(mbps: int) -> int:
    """The replication throttle in bytes per second, as the tool takes it."""
    return mbps * MIB


def plan_document(targets: Iterable[tuple[str, int, Sequence[int]]]) -> str:
    """The reassignment JSON the tool executes, verifies or cancels: each partition with its new replicas."""
    partitions = [
        {"topic": topic, "partition": partition, "replicas": list(replicas)}
        for topic, partition, replicas in sorted(targets, key=lambda item: (item[0], item[1]))
    ]
    return json.dumps({"version": 1, "partitions": partitions})


def moves_document(moves: Iterable[Move]) -> str:
    return plan_document((move.topic, move.partition, move.after) for move in moves)


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(item) for item in text.split(",") if item)


def parse_listing(stdout: str) -> list[PartitionReplicas]:
    """The reassignments in progress, as `--list` prints them."""
    found = []
    for line in stdout.splitlines():
        match = _LISTED.match(line.strip())
        if not match:
            continue
        parts = dict(_PART.findall(match["rest"]))
        found.append(
            PartitionReplicas(
                match["topic"],
                int(match["partition"]),
                _ids(match["replicas"]),
                _ids(parts.get("adding", "")),
                _ids(parts.get("removing", "")),
            )
        )
    return found


def with_ongoing(
    replicas: Mapping[TopicPartition, Sequence[int]], listed: Sequence[PartitionReplicas]
) -> list[PartitionReplicas]:
    """Every partition from the cluster's metadata, those being reassigned as `--list` describes them."""
    moving = {(state.topic, state.partition): state for state in listed}
    return [
        moving.get((topic, partition)) or PartitionReplicas(topic, partition, tuple(found))
        for (topic, partition), found in sorted(replicas.items())
    ]


def parse_sizes(stdout: str) -> dict[TopicPartition, int]:
    """Each partition's size in bytes (its largest replica; a future replica of a log-dir move not counted)."""
    line = next((line for line in stdout.splitlines() if line.startswith("{")), None)
    if line is None:
        return {}
    sizes: dict[TopicPartition, int] = {}
    for broker in json.loads(line).get("brokers", []):
        for log_dir in broker.get("logDirs", []):
            for entry in log_dir.get("partitions", []):
                if entry.get("isFuture"):
                    continue
                topic, _, partition = str(entry["partition"]).rpartition("-")
                key = (topic, int(partition))
                sizes[key] = max(sizes.get(key, 0), int(entry.get("size", 0)))
    return sizes


def placement_refusal(said: str) -> str | None:
    """Why the cluster does not let this stack place replicas, from what the tool said; None for another error."""
    if not any(marker.lower() in said.lower() for marker in _PLACEMENT_REFUSED):
        return None
    return (
        "the cluster does not allow its clients to place partition replicas (AlterPartitionReassignments was "
        "refused: a managed service such as Confluent Cloud places them itself, or the admin login lacks Alter "
        f"on the cluster); change the replication factor there by its own means. Kafka said: {said.strip()[-300:]}"
    )


def progress(listed: Sequence[PartitionReplicas]) -> list[str]:
    """One line per reassignment in progress, for the CLI and for errors."""
    return [
        f"{state.topic}-{state.partition}: replicas [{','.join(map(str, state.replicas))}]"
        + (f", adding [{','.join(map(str, state.adding))}]" if state.adding else "")
        + (f", removing [{','.join(map(str, state.removing))}]" if state.removing else "")
        for state in listed
    ]


# A preview names this many moves one per line; the rest are counted.
SHOWN_MOVES = 40


def preview_lines(what: str, moves: Sequence[Move], throttle_mbps: int) -> list[str]:
    """What an `up` will move, as a preview shows it: a summary, then each partition's replicas before and
    after with the bytes to copy."""
    if not moves:
        return []
    sizes = [move.bytes for move in moves]
    copied = "an unknown number of bytes" if None in sizes else f"{sum(size or 0 for size in sizes)} bytes"
    lines = [
        f"{what}: {len(moves)} partition(s) move, {copied} to copy at up to {throttle_mbps} MiB/s per broker "
        "(reassignThrottleMBps)"
    ]
    lines += [f"  {move.describe()}" for move in moves[:SHOWN_MOVES]]
    if len(moves) > SHOWN_MOVES:
        lines.append(f"  ... and {len(moves) - SHOWN_MOVES} more")
    return lines


def applied(current: Sequence[PartitionReplicas], moves: Sequence[Move]) -> list[PartitionReplicas]:
    """The partitions as they are once `moves` are made."""
    after = {(move.topic, move.partition): move.after for move in moves}
    return [
        PartitionReplicas(state.topic, state.partition, after.get((state.topic, state.partition), state.settled))
        for state in current
    ]
