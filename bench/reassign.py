"""What moving data costs an application, on a real cluster: a replication factor change and brokers added and
removed, each by throttled partition reassignment.

Brings up a bench stack (the prod topology: 3 ZooKeeper nodes, 3 brokers, on ports of its own), writes
`--megabytes` MiB into the traffic topic, then, each with an application producing (acks=all, idempotent) and
consuming all along and a watch on the cluster's metadata: the topic's replication factor 3 -> 2 -> 3, brokers
3 -> 4 -> 3. Prints one row per change: bytes copied, the `up` wall time, the longest wait between two
acknowledgements, failed sends, acknowledged records lost, samples with a partition below min.insync.replicas,
and, for a removal, the replicas the leaving broker held when it left. Then destroys the stack.

    python -m bench.reassign [--megabytes N] [--throttle MIBPS]     (from the project folder)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from confluent_kafka import Producer

from infra.scratch_stack import Stack
from tests.e2e import clients
from tests.e2e.rolls import changes
from tests.e2e.rolls.replica_watch import ReplicaWatch, assignment, bytes_moved, catalog_with, partition_sizes
from tests.e2e.traffic import TOPIC

HEADER = (
    f"{'change':28} {'bytes copied':>13} {'up (s)':>7} {'ack gap (s)':>11} {'failed':>7} {'lost':>5}"
    f" {'<min.insync':>11} {'held at stop':>12}"
)


def fill(outputs: dict, megabytes: int) -> None:
    """`megabytes` MiB of 10 KiB records into the traffic topic, as the producer user."""
    producer: Producer = clients.producer(outputs, **{"linger.ms": 50, "enable.idempotence": True})
    # Random bytes: the producer's compression would shrink repeated ones to nothing on disk.
    for _ in range(megabytes * 100):
        record = os.urandom(10240)
        while True:
            try:
                producer.produce(TOPIC, record)
                break
            except BufferError:
                producer.poll(0.1)
    assert producer.flush(300) == 0


def measure(stack: Stack, name: str, settings: dict[str, str], watched: tuple[int, ...] = ()) -> str:
    outputs = stack.outputs()
    before = assignment(outputs)
    sizes = partition_sizes(stack.name, sorted({topic for topic, _ in before}))
    try:
        with ReplicaWatch(outputs, watched) as watch:
            applied = changes.apply(stack, settings)
    except AssertionError as error:
        return f"{name:28} up failed: {str(error)[-300:]}"
    report = applied.report
    copied = bytes_moved(before, assignment(stack.outputs()), sizes)
    held = ",".join(f"{watch.last_held.get(broker, '?')}" for broker in watched) or "-"
    print(f"  {report.summary()}", flush=True)
    return (
        f"{name:28} {copied:>13} {applied.up_seconds:>7.1f} {report.longest_ack_gap_s:>11.1f} {report.failed:>7}"
        f" {report.lost:>5} {len(watch.under_min_insync):>11} {held:>12}"
    )


def main(megabytes: int, throttle: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="caracal-bench-reassign-"))
    stack = Stack.create("prod", "bench-reassign", folder / "project", bootstrapPort=47093, registryPort=47081)
    stack.purge()
    rows = []
    try:
        stack.set_config("reassignThrottleMBps", str(throttle))
        print(f"prod cluster up: {stack.up().seconds:.1f} s", flush=True)
        started = time.monotonic()
        fill(stack.outputs(), megabytes)
        print(f"{megabytes} MiB written in {time.monotonic() - started:.1f} s", flush=True)
        steps = [
            (
                "replication factor 3 -> 2",
                {"catalog": catalog_with(folder, 2), "allowMinInsyncEqualReplicas": "true"},
                (),
            ),
            ("replication factor 2 -> 3", {"catalog": catalog_with(folder, None)}, ()),
            ("brokers 3 -> 4", {"brokers": "4"}, ()),
            ("brokers 4 -> 3", {"brokers": "3", "allowBrokerRemoval": "true"}, (3,)),
        ]
        for name, settings, watched in steps:
            print(f"{name}:", flush=True)
            rows.append(measure(stack, name, settings, watched))
            print(rows[-1], flush=True)
    finally:
        stack.destroy()
        subprocess.run(["docker", "volume", "rm", f"caracal-{stack.name}-kafka-3-data"], capture_output=True)
    print(f"\nreassignThrottleMBps {throttle}, {megabytes} MiB in {TOPIC}")
    print(HEADER)
    for row in rows:
        print(row)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.reassign")
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--throttle", type=int, default=10)
    arguments = parser.parse_args()
    main(arguments.megabytes, arguments.throttle)
