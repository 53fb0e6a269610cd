"""kafkaVersion through the real engine: Kafka 4.x asked of a ZooKeeper stack fails preview with the path to take,
nothing registered; the default release previews with the image built for it. Stacks never brought up."""

from __future__ import annotations

import json

from infra.scratch_stack import Stack

REFUSAL = (
    "caracal-kafka:kafkaVersion = '4.4.0': not allowed; allowed: 3.9.1 while metadataQuorum is zookeeper: "
    "ZooKeeper was removed in Kafka 4.0: migrate to KRaft first (metadataMigration), then set kafkaVersion"
)


def test_kafka_4_on_a_zookeeper_stack_fails_preview_with_the_path_to_take(tmp_path):
    stack = Stack.create("dev", "e2e-kafka4-on-zookeeper", tmp_path / "stack", kafkaVersion="4.4.0")
    run = stack.preview(check=False)
    assert run.returncode != 0
    assert run.output.count(REFUSAL) == 1, run.output
    assert "Traceback" not in run.output, run.output
    assert not json.loads(stack.export())["deployment"].get("resources")


def test_the_default_release_previews_with_its_own_image(tmp_path):
    stack = Stack.create("dev", "e2e-kafka4-default", tmp_path / "stack", kafkaVersion="3.9.1")
    run = stack.preview("--json")
    steps = json.loads(run.stdout)["steps"]
    images = [step["newState"]["inputs"]["name"] for step in steps if step["urn"].endswith("::caracal-kafka-image")]
    assert images == ["caracal/kafka:3.9.1-jmx1.0.1"], images
