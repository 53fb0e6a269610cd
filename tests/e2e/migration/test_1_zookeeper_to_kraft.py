"""A live ZooKeeper cluster of the prod topology becomes a KRaft cluster through the four `up`s of the key
metadataMigration, with an application producing (acks=all) and consuming all along (the `up` of `hybrid` killed
half way and finished by the next, as an operator's would be): no send fails, no acknowledged record is lost,
never two nodes of a kind down at once, and the cluster keeps its topics (partition counts, configs), ACLs, SCRAM
users, quotas, committed offsets and schema subjects. A skipped step and a way back after finalize are refused at
preview; once finalized the stack is a KRaft stack."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import time

from infra.scratch_stack import Stack
from tests.e2e.conftest import end_leftovers, interrupt_up, record
from tests.e2e.dev.catalog_copy import Catalog
from tests.e2e.migration import cluster_state
from tests.e2e.traffic import TOPIC, Traffic, TrafficReport

KEY = "metadataMigration"
# (step, the kinds of node it restarts)
STEPS = (("controllers", ()), ("hybrid", ("kafka",)), ("dual-write", ("kafka",)), ("finalize", ("controller",)))


# The step whose `up` is killed once its first broker was replaced; the next `up` (as `make up` runs it: the
# killed update recovered first) finishes it.
KILLED = "hybrid"


def broker_ids(stack: Stack) -> set[str]:
    listed = subprocess.run(
        ["docker", "ps", "-q", "--no-trunc", "--filter", f"name=^caracal-{stack.name}-kafka-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(listed.stdout.split())


def killed_then_finished(stack: Stack, step: str) -> float:
    """`up` of `step` killed as soon as a broker runs in a new container, then recovered and run again (as `make
    up` does): the seconds of both. The recovery removes that half-made container (it was never recorded), so the
    next `up` finds the broker without one and must bring it back first, before any other broker goes down."""
    before = broker_ids(stack)

    def a_broker_replaced() -> bool:
        time.sleep(0.5)
        return bool(broker_ids(stack) - before)

    started = time.monotonic()
    end_leftovers(interrupt_up(stack, a_broker_replaced, timeout_s=900))
    assert stack.recover() == 0
    run = stack.up()
    assert "ZooKeeper-to-KRaft migration: " in run.output, run.output[-3000:]
    return time.monotonic() - started


def migrate(stack: Stack, step: str, restarts: tuple[str, ...]) -> TrafficReport:
    outputs = stack.outputs()
    expected = {"kafka": int(stack.setting("brokers")), "zookeeper": int(stack.setting("zookeeperNodes"))}
    if step != "controllers":
        expected["controller"] = int(stack.setting("controllers"))
    with Traffic(stack.name, outputs, expected_nodes=expected) as traffic:
        stack.set_config(KEY, step)
        seconds = killed_then_finished(stack, step) if step == KILLED else stack.up().seconds
    report = traffic.report
    assert report is not None
    record(f"migration {step}{' (killed, then finished)' if step == KILLED else ''}: up with traffic", seconds)
    record(f"migration {step}: longest ack gap", report.longest_ack_gap_s)
    problems = report.outage() + report.roll()
    if step == "hybrid":
        # A controller Kafka 3.9 left unregistered is restarted in place, once (a follower; outage() still holds
        # the controllers to one down at a time): not replaced, yet seen down.
        problems = [item for item in problems if not ("-controller-" in item and "was not replaced" in item)]
    if step == "finalize":
        # The ensemble goes as a whole once the controllers left it; nothing reads it any more.
        problems = [item for item in problems if "zookeeper" not in item.lower()]
        gone = [name for name in report.nodes["zookeeper"] if name in report.containers_after]
        assert gone == [], gone
    problems += report.not_restarted(restarts)
    print(f"[migration] {step} ({seconds:.0f} s): {report.summary()}; problems: {problems}", file=sys.stderr)
    assert problems == [], f"{step}: {'; '.join(problems)}\n{report.summary()}"
    return report


def refused(stack: Stack, says: str) -> None:
    run = stack.preview(check=False)
    assert run.returncode != 0 and says in run.output, run.output[-3000:]


def test_a_live_zookeeper_stack_migrates_to_kraft_step_by_step_and_keeps_its_data(stack, tmp_path_factory):
    # A quota for the migration to keep, given as an operator gives one: in the catalog.
    catalog = Catalog(stack, tmp_path_factory.mktemp("catalog"))
    producer = next(user for user in catalog.document["users"] if user["name"] == "producer")
    producer.update(cluster_state.QUOTA)
    catalog.write()
    stack.up()
    assert cluster_state.quotas(stack.name, "producer") == cluster_state.QUOTA
    outputs = stack.outputs()
    committed = cluster_state.commit_offsets(outputs, TOPIC)
    before = cluster_state.snapshot(outputs)
    assert before["offsets"] and before["users"] and before["acls"] and before["subjects"], before
    assert len(before["offsets"]) == len(committed)

    stack.set_config("controllers", "3")
    stack.set_config(KEY, "hybrid")
    refused(
        stack,
        "metadataMigration = 'hybrid': not allowed now: the cluster completed no step; run the step "
        "'controllers' first",
    )

    # A skipped step further on is refused as the first one is (the rules: tests/unit/rules/test_migration_phase.py).
    for step, restarts in STEPS:
        migrate(stack, step, restarts)

    after = cluster_state.snapshot(stack.outputs())
    assert after == before
    # finalize saved ZooKeeper's data before the ensemble went, in the project folder: its snapshots and logs.
    [archive] = (stack.workdir / "zookeeper-snapshots").glob(f"caracal-{stack.name}-zookeeper-*.tar.gz")
    with tarfile.open(archive) as saved:
        names = saved.getnames()
    assert any(name.startswith("./version-2/snapshot.") for name in names), names
    assert any(name.startswith("./version-2/log.") for name in names), names
    assert cluster_state.quotas(stack.name, "producer") == cluster_state.QUOTA

    stack.set_config(KEY, "dual-write")
    refused(stack, "the migration was finalized")

    # Finalized: a KRaft stack. Without the key, the next `up` restarts and replaces nothing.
    stack.set_config(KEY, "")
    stack.set_config("metadataQuorum", "kraft")
    stack.set_config("zookeeperNodes", "1")
    preview = stack.pulumi("preview", "--json", *stack.refresh_options)
    changed = [
        (item["op"], item["urn"].rsplit("::", 1)[-1])
        for item in json.loads(preview.stdout).get("steps", [])
        if item["op"] not in ("same", "read", "refresh")
    ]
    # Only the record of the ZooKeeper volumes kept in Docker goes (retained: Docker keeps them).
    assert all(op == "delete" and "zookeeper" in name for op, name in changed), changed

    # On a protected stack finalize keeps ZooKeeper's volumes; the operator removes them with docker.
    volumes = [f"caracal-{stack.name}-zookeeper-{index}-data" for index in range(3)]
    listed = subprocess.run(["docker", "volume", "ls", "--format", "{{.Name}}"], capture_output=True, text=True)
    assert set(volumes) <= set(listed.stdout.split()), listed.stdout
    subprocess.run(["docker", "volume", "rm", *volumes], check=True, capture_output=True)
