"""Data moves without an outage: a topic's replication factor goes down and up again, a fourth broker joins and
gets its share of replicas and leadership, and leaves again drained, each `up` with an application producing
(acks=all, idempotent) and consuming all along, and a watch on the cluster's metadata. Each: no failed send, no
lost record, every partition at or above min.insync.replicas throughout. Runs after the rolling changes on the
same stack (the file names keep that order): the broker removal is the last change it takes."""

from __future__ import annotations

import subprocess
import sys

from infra.scratch_stack import Stack
from tests.e2e.conftest import record
from tests.e2e.rolls import changes
from tests.e2e.rolls.replica_watch import ReplicaWatch, catalog_with, replicas_and_leaders, replication_factors
from tests.e2e.traffic import TOPIC


def moved(stack: Stack, step: str, settings: dict[str, str], watched: tuple[int, ...] = ()) -> ReplicaWatch:
    """One `up` of `settings` under traffic and the watch; the figures recorded, the outage judged."""
    with ReplicaWatch(stack.outputs(), watched) as watch:
        applied = changes.apply(stack, settings)
    report = applied.report
    record(f"{step}: up with traffic", applied.up_seconds)
    record(f"{step}: longest ack gap", report.longest_ack_gap_s)
    problems = report.outage() + [f"below min.insync.replicas: {watch.under_min_insync[:5]}"] * bool(
        watch.under_min_insync
    )
    print(f"[reassign] {step}: {report.summary()}; watch samples {watch.samples}; problems {problems}", file=sys.stderr)
    assert watch.samples > 10, watch.errors[-3:]
    assert problems == [], f"{step}: {'; '.join(problems)}\n{report.summary()}"
    return watch


def test_a_topics_replication_factor_goes_down_and_up_again_by_reassignment(stack, tmp_path):
    # 3 -> 2: min.insync.replicas stays 2, equal to the replicas, which the stack must be told to accept.
    down = {"catalog": catalog_with(tmp_path, 2), "allowMinInsyncEqualReplicas": "true"}
    moved(stack, "replication factor 3 -> 2", down)
    assert replication_factors(stack.outputs(), TOPIC) == [2, 2, 2]
    moved(stack, "replication factor 2 -> 3", {"catalog": catalog_with(tmp_path, None)})
    assert replication_factors(stack.outputs(), TOPIC) == [3, 3, 3]


def test_b_a_fourth_broker_gets_its_share_of_replicas_and_leadership(stack):
    moved(stack, "brokers 3 -> 4", {"brokers": "4"})
    held = replicas_and_leaders(stack.outputs())
    print(f"[reassign] replicas and leaders per broker: {held}", file=sys.stderr)
    assert set(held) == {0, 1, 2, 3}
    replicas, leads = held[3]
    assert replicas >= min(count for count, _ in held.values()) > 0 and leads > 0, held


def test_c_a_removed_broker_is_drained_before_it_stops_and_its_protected_volume_is_kept(stack):
    watch = moved(stack, "brokers 4 -> 3", {"brokers": "3", "allowBrokerRemoval": "true"}, watched=(3,))
    assert watch.gone == {3} and watch.last_held == {3: 0}, (watch.gone, watch.last_held)
    assert set(replicas_and_leaders(stack.outputs())) == {0, 1, 2}
    volume = f"caracal-{stack.name}-kafka-3-data"
    # The stack protects its data: the volume stays until the operator removes it.
    assert subprocess.run(["docker", "volume", "inspect", volume], capture_output=True).returncode == 0
    subprocess.run(["docker", "volume", "rm", volume], capture_output=True, check=True)
