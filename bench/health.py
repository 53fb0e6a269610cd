"""How long `caracal-kafka health` takes on a cluster with many topics and consumer groups.

One bench stack (the dev topology on ports of its own, 127.0.0.1 only) is brought up; then N topics (1 partition
each; default 2,000) are made through the Admin API (the command does not care how), and G groups commit an offset
on every topic (each group on N/G topics) plus one group on all N, so that lag is computed over 2N committed
partitions. `caracal-kafka --stack NAME health --json` is then run REPEATS times; each run's own breakdown (seconds
per part, from the report) and its wall time (the process, both `pulumi stack output` calls included) are printed,
with the median. Then the stack is destroyed. Figures are printed, not judged: the machine may be shared.

    python -m bench.health [TOPICS [GROUPS]]        (make bench-health)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from infra.scratch_stack import ROOT, Stack

# Ports of the bench stack: clear of the dev (19093/18081), prod, test and topics-bench stacks.
BOOTSTRAP_PORT = 53093
REGISTRY_PORT = 53081
REPEATS = 3
# CreateTopics of a few hundred topics can take over a minute on a loaded 2-core machine: small batches, long wait.
BATCH = 100
SLOW_S = 300


def make_topics(admin: AdminClient, names: list[str]) -> float:
    started = time.monotonic()
    for first in range(0, len(names), BATCH):
        batch = [NewTopic(name, 1, 1) for name in names[first : first + BATCH]]
        for future in admin.create_topics(batch, request_timeout=SLOW_S, operation_timeout=SLOW_S).values():
            future.result(timeout=SLOW_S)
    return time.monotonic() - started


def commit_groups(kafka: dict[str, str], names: list[str], groups: int) -> float:
    """`groups` groups over a share of the topics each, and one more over all of them, each committing offset 0."""
    started = time.monotonic()
    share = max(len(names) // groups, 1)
    plans = [names[index * share : (index + 1) * share] for index in range(groups)] + [names]
    for index, topics in enumerate(plans):
        consumer = Consumer({**kafka, "group.id": f"bench-health-{index}", "enable.auto.commit": False})
        consumer.commit(offsets=[TopicPartition(topic, 0, 0) for topic in topics], asynchronous=False)
        consumer.close()
    return time.monotonic() - started


def run_health(stack: Stack) -> tuple[float, dict[str, float], dict]:
    command = [sys.executable, "-m", "caracal_cli", "--stack", stack.name, "--pulumi-cwd", str(stack.workdir)]
    started = time.monotonic()
    done = subprocess.run(
        [*command, "health", "--json"], cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=300
    )
    wall = time.monotonic() - started
    if done.returncode not in (0, 3):
        raise RuntimeError(f"health failed ({done.returncode}): {done.stderr.strip()}")
    report = json.loads(done.stdout)
    return wall, report["seconds"], report


def main(topics: int, groups: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="caracal-bench-health-"))
    stack = Stack.create("dev", "hbench", folder / "project", bootstrapPort=BOOTSTRAP_PORT, registryPort=REGISTRY_PORT)
    stack.purge()
    try:
        print(f"cluster up: {stack.up().seconds:.1f} s", flush=True)
        kafka = stack.outputs()["clientConfigs"]["admin"]["kafka"]
        admin = AdminClient({**kafka, "socket.timeout.ms": SLOW_S * 1000, "log_level": 0})
        names = [f"bench.health-{index:05d}" for index in range(topics)]
        print(f"{topics} topics made: {make_topics(admin, names):.1f} s", flush=True)
        print(f"{groups + 1} groups committed: {commit_groups(kafka, names, groups):.1f} s", flush=True)
        runs = [run_health(stack) for _ in range(REPEATS)]
        report = runs[-1][2]
        committed = sum(len(group["topics"]) for group in report["consumer_groups"])
        print(
            f"health over {report['partitions']['total']} partitions, {len(report['consumer_groups'])} groups,"
            f" {committed} group/topic lags; healthy={report['healthy']}"
        )
        for wall, seconds, _ in runs:
            parts = ", ".join(f"{part} {value:.2f}" for part, value in seconds.items())
            print(f"  wall {wall:.2f} s; {parts}")
        print(
            f"median wall {statistics.median(wall for wall, _, _ in runs):.2f} s,"
            f" median lag {statistics.median(seconds['lag'] for _, seconds, _ in runs):.2f} s"
        )
    finally:
        stack.destroy()


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    main(*(arguments + [2000, 20][len(arguments) :]))
