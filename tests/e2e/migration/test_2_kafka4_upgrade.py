"""The migrated stack, a KRaft stack on Kafka 3.9.1, goes on to the newest Kafka release as the upgrade rules ask
(components/rules/kafka_upgrade.py): one `up` rolls every node onto the new release, one at a time, with an
application producing (acks=all) and consuming all along; a later `up` raises the metadata version and restarts
nothing; after it a way back to 3.9.1 is refused at preview with the reason."""

from __future__ import annotations

import sys

from components.rules import kafka_release
from infra.scratch_stack import Stack
from tests.e2e.conftest import record
from tests.e2e.migration import cluster_state
from tests.e2e.rolls import changes
from tests.e2e.traffic import TrafficReport

NEWEST = kafka_release.parse(kafka_release.RELEASES[-1])


def step(stack: Stack, name: str, settings: dict[str, str]) -> TrafficReport:
    applied = changes.apply(stack, settings)
    report = applied.report
    record(f"{name}: up with traffic", applied.up_seconds)
    record(f"{name}: longest ack gap", report.longest_ack_gap_s)
    problems = report.outage() + report.roll()
    print(f"[upgrade] {name} ({applied.up_seconds:.0f} s): {report.summary()}; problems: {problems}", file=sys.stderr)
    assert problems == [], f"{name}: {'; '.join(problems)}\n{report.summary()}"
    return report


def test_the_kraft_stack_rolls_onto_kafka_4_then_raises_its_metadata_version_and_cannot_go_back(migrated):
    stack = migrated
    rolled = step(stack, f"kafkaVersion -> {NEWEST}", {"kafkaVersion": str(NEWEST)})
    assert rolled.not_restarted(("kafka", "controller")) == [], f"not all rolled onto {NEWEST}"
    assert changes.broker_images(stack) == {changes.image_id(NEWEST.image)}
    # What the migration kept, kept through the roll too (read with the new release's tools).
    assert cluster_state.quotas(stack.name, "producer") == cluster_state.QUOTA

    level = NEWEST.newest_metadata_version
    raised = step(stack, f"kafkaMetadataVersion -> {level}", {"kafkaMetadataVersion": level})
    assert raised.replaced == [], raised.replaced

    # The way back an operator would try (the old release, the metadata version key dropped) is refused from what
    # the running cluster reports: its metadata version was raised.
    stack.set_config("kafkaVersion", kafka_release.DEFAULT)
    stack.set_config("kafkaMetadataVersion", "")
    run = stack.preview(check=False)
    stack.set_config("kafkaVersion", str(NEWEST))
    stack.set_config("kafkaMetadataVersion", level)
    assert run.returncode != 0, run.output[-3000:]
    assert f"metadata.version was raised to {level}" in run.output, run.output[-3000:]
