"""What the ZooKeeper-to-KRaft migration and the upgrade to Kafka 4 cost an application, on a real cluster.

Brings up a prod bench stack on ZooKeeper (3 ZooKeeper nodes, 3 brokers, on ports of its own) and takes it through
every step, one `up` each, with a producer (acks=all, idempotent) and a consumer running throughout each `up`: the
migration up to `dual-write`; Kafka's rollback to ZooKeeper from there (`hybrid`, then the key unset with
`controllers: 0`); the migration again, through `finalize`; the stack declared KRaft; the roll onto Kafka 4.4.0;
the metadata version raised in a later `up`. Prints one row per step: failed sends, acknowledged records lost, the
most brokers and quorum nodes down at once, the longest wait between two acknowledgements (target: under 5 s), the
`up` time and the containers replaced; then whether the cluster still holds what it held at the start (topics with
their partitions and configs, ACLs, SCRAM users, committed offsets, schema subjects). Then destroys the stack.

Two steps take quorum nodes away as a whole, as Kafka's procedure does, and their rows show it: the rollback stops
the three controllers together, and `finalize` removes the ZooKeeper ensemble (nothing reads it any more).

With `--upgrade-only` the stack starts as a KRaft stack on Kafka 3.9.1 and takes the last two steps alone: what
the upgrade to Kafka 4 costs a KRaft stack.

    python -m bench.migration [--upgrade-only]          (make bench-migration [UPGRADE_ONLY=1]; project folder)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from bench.rolls import HEADER, measure
from components.rules import kafka_release
from infra.scratch_stack import Stack
from tests.e2e.migration import cluster_state
from tests.e2e.rolls.changes import Change
from tests.e2e.traffic import TOPIC

NEWEST = kafka_release.parse(kafka_release.RELEASES[-1])


def step(name: str, **settings: str) -> Change:
    return Change(name, (settings,))


def migration(value: str, **more: str) -> Change:
    return step(f"metadataMigration -> {value or '(none)'}", metadataMigration=value, **more)


STEPS = (
    migration("controllers", controllers="3"),
    migration("hybrid"),
    migration("dual-write"),
    # Kafka's way back from dual-write: the brokers into migration mode, then out of it with the controllers gone.
    migration("hybrid"),
    migration("", controllers="0"),
    # And forward again, to the end.
    migration("controllers", controllers="3"),
    migration("hybrid"),
    migration("dual-write"),
    migration("finalize"),
    step("metadataQuorum -> kraft (key dropped)", metadataMigration="", metadataQuorum="kraft", zookeeperNodes="1"),
    step(f"kafkaVersion -> {NEWEST}", kafkaVersion=str(NEWEST)),
    step(
        f"kafkaMetadataVersion -> {NEWEST.newest_metadata_version}", kafkaMetadataVersion=NEWEST.newest_metadata_version
    ),
)


UPGRADE = STEPS[-2:]
KRAFT = {"metadataQuorum": "kraft", "controllers": "3", "zookeeperNodes": "1"}


def main(upgrade_only: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="caracal-bench-migration-"))
    # Ports apart from a prod stack the user may run, the e2e stacks and the other benches.
    stack = Stack.create(
        "prod", "bench-migrate", folder, bootstrapPort=44093, registryPort=44081, prometheusPort=44090,
        **(KRAFT if upgrade_only else {}),
    )  # fmt: skip
    stack.purge()
    rows = []
    try:
        kind = "KRaft on 3.9.1" if upgrade_only else "ZooKeeper"
        print(f"prod cluster on {kind} up: {stack.up().seconds:.1f} s", flush=True)
        outputs = stack.outputs()
        cluster_state.commit_offsets(outputs, TOPIC)
        before = cluster_state.snapshot(outputs)
        for change in UPGRADE if upgrade_only else STEPS:
            print(f"{change.name}:", flush=True)
            rows.append(measure(stack, change))
            print(rows[-1].cells(), flush=True)
            if rows[-1].error:
                break
        after = cluster_state.snapshot(stack.outputs())
        kept = "everything" if after == before else f"NOT all: {sorted(k for k in before if before[k] != after.get(k))}"
    finally:
        stack.destroy()
        # finalize keeps a protected stack's ZooKeeper volumes in Docker (the operator's to remove): a bench's go.
        kept = [f"caracal-{stack.name}-zookeeper-{index}-data" for index in range(3)]
        subprocess.run(["docker", "volume", "rm", *kept], capture_output=True, check=False)
    print()
    print(HEADER)
    for row in rows:
        print(row.cells())
    print(f"\nkept through every step: {kept}")


if __name__ == "__main__":
    main("--upgrade-only" in sys.argv[1:])
