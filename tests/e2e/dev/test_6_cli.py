"""The operator commands (the first design's list/describe) against the live dev stack."""

from __future__ import annotations

import re
import subprocess
import sys

from infra.scratch_stack import ROOT

CARACAL_TOPICS = [
    "caracal.agent.lifecycle", "caracal.dlq", "caracal.metering.events", "caracal.policy.changes",
    "caracal.policy.decisions",
]  # fmt: skip


def cli(dev, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "caracal_cli", *args], cwd=ROOT, env=dev.env, capture_output=True, text=True, timeout=120
    )


def properties_file(outputs, user: str, tmp_path) -> str:
    path = tmp_path / f"{user}.properties"
    path.write_text(outputs["clientConfigs"][user]["properties"])
    return str(path)


def test_list_topics_with_a_client_properties_file_shows_the_caracal_topics(dev, outputs, tmp_path):
    done = cli(dev, "--config-file", properties_file(outputs, "admin", tmp_path), "list-topics", "--filter", "caracal.")
    assert done.returncode == 0, done.stderr
    assert f"Kafka Topics ({len(CARACAL_TOPICS)} total)" in done.stdout
    assert [line.strip() for line in done.stdout.splitlines() if line.startswith("  ")] == CARACAL_TOPICS


def test_describe_topic_from_the_stacks_outputs_shows_partitions_replicas_isr_and_overrides(dev, outputs):
    done = cli(dev, "--stack", dev.name, "--pulumi-cwd", str(dev.workdir), "describe-topic", "caracal.policy.changes")
    assert done.returncode == 0, done.stderr
    assert "Topic: caracal.policy.changes" in done.stdout
    assert "Partitions: 3" in done.stdout and "Replication factor: 1" in done.stdout
    assert done.stdout.count("In-Sync Replicas: [0]") == 3
    # The overrides the stack set, values aligned in a column.
    assert re.search(r"^  compression\.type:\s+snappy$", done.stdout, re.MULTILINE)
    assert re.search(r"^  min\.insync\.replicas:\s+1$", done.stdout, re.MULTILINE)


def test_describe_subject_shows_the_latest_version_and_its_compatibility(dev, outputs):
    done = cli(
        dev, "--stack", dev.name, "--pulumi-cwd", str(dev.workdir), "describe-subject", "caracal.policy.changes-value"
    )
    assert done.returncode == 0, done.stderr
    assert "Compatibility: BACKWARD" in done.stdout


def test_a_user_without_rights_gets_one_clear_line_and_a_failing_status(dev, outputs, tmp_path):
    done = cli(dev, "--config-file", properties_file(outputs, "consumer", tmp_path), "describe-topic", "nope")
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "not authorized" in done.stderr
