"""The prod stack replicates every partition on three brokers and refuses writes it cannot make durable."""

from __future__ import annotations

import contextlib
import json
import subprocess
import time

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import ConfigResource

from tests.e2e import clients

TOPIC = "caracal.policy.decisions"


def docker(*args: str) -> None:
    subprocess.run(["docker", *args], check=True, capture_output=True)


def healthy(name: str, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = subprocess.run(
            ["docker", "inspect", "-f", "{{.State.Health.Status}}", name], capture_output=True, text=True
        ).stdout.strip()
        if status == "healthy":
            return
        time.sleep(2)
    raise AssertionError(f"{name} did not become healthy")


def isr_sizes(outputs, topic: str = TOPIC) -> list[int]:
    metadata = clients.admin(outputs).list_topics(topic=topic, timeout=30)
    return [len(partition.isrs) for partition in metadata.topics[topic].partitions.values()]


def wait_for_isr(outputs, size: int, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if all(found == size for found in isr_sizes(outputs)):
                return
        except Exception:
            pass
        time.sleep(2)
    raise AssertionError(f"in-sync replicas of {TOPIC} did not become {size}: {isr_sizes(outputs)}")


@pytest.fixture
def restore(prod, outputs):
    """Whatever a test stops is started again, and the cluster is fully in sync before the next test."""
    yield
    for name in prod.containers():
        docker("start", name)
    for name in prod.containers():
        healthy(name)
    wait_for_isr(outputs, 3)


def test_prod_runs_three_zookeeper_nodes_three_brokers_and_replicates_every_partition_three_times(prod, outputs):
    names = prod.containers()
    assert sum("zookeeper" in name for name in names) == 3
    assert sum("kafka" in name for name in names) == 3
    admin = clients.admin(outputs)
    metadata = admin.list_topics(timeout=30)
    assert len(metadata.brokers) == 3
    resources = [ConfigResource(ConfigResource.Type.TOPIC, name) for name in outputs["topics"]]
    for resource, future in admin.describe_configs(resources).items():
        assert future.result()["min.insync.replicas"].value == "2"
        assert future.result()["retention.ms"].value == str(30 * 86_400_000)
        partitions = metadata.topics[resource.name].partitions.values()
        assert all(len(partition.replicas) == 3 for partition in partitions)


def test_prod_preview_right_after_up_expects_no_changes(prod):
    assert prod.preview("--expect-no-changes").returncode == 0


def produce_batch(outputs, tag: str, count: int, **overrides) -> tuple[list[bytes], list]:
    producer = clients.producer(outputs, **overrides)
    values = [f"{tag}-{index}".encode() for index in range(count)]
    reports = clients.deliver(producer, TOPIC, values)
    acknowledged = [value for value, error in zip(values, reports, strict=True) if error is None]
    return acknowledged, [error for error in reports if error is not None]


def read_everything(outputs, tag: str) -> set[bytes]:
    consumer = clients.consumer(outputs, user="admin", group=clients.unique("verify"))
    try:
        records = clients.read_all(consumer, TOPIC)
    finally:
        consumer.close()
    return {message.value() for message in records if message.value().startswith(tag.encode())}


def test_with_one_broker_stopped_acks_all_writes_go_on_and_none_is_lost(prod, outputs, restore):
    docker("stop", f"caracal-{prod.name}-kafka-2")
    wait_for_isr(outputs, 2)
    acknowledged, errors = produce_batch(outputs, "one-down", 300)
    assert errors == []
    assert len(acknowledged) == 300
    assert set(acknowledged) <= read_everything(outputs, "one-down")

    # `health` names what the stopped broker left short, then clears once it is back and in sync again.
    found = health_report(prod, expected_status=UNHEALTHY)
    assert found["brokers"] == {"registered": [0, 1], "expected": [0, 1, 2]}
    short = {(entry["topic"], entry["partition"]): entry for entry in found["partitions"]["under_replicated"]}
    assert {(TOPIC, partition) for partition in range(len(isr_sizes(outputs)))} <= set(short)
    assert all(2 in entry["replicas"] and 2 not in entry["isr"] for entry in short.values())
    assert f"{TOPIC}/0 is under-replicated" in " ".join(problem["message"] for problem in found["problems"])
    print(clients.health(prod).stdout)
    docker("start", f"caracal-{prod.name}-kafka-2")
    healthy(f"caracal-{prod.name}-kafka-2")
    assert becomes_healthy(prod)["partitions"]["under_replicated"] == []


def test_with_two_brokers_stopped_acks_all_writes_fail_with_not_enough_replicas(prod, outputs, restore):
    docker("stop", f"caracal-{prod.name}-kafka-1")
    docker("stop", f"caracal-{prod.name}-kafka-2")
    wait_for_isr(outputs, 1)
    acknowledged, errors = produce_batch(outputs, "two-down", 20, retries=0, **{"message.timeout.ms": 20000})
    assert acknowledged == []
    assert {error.code() for error in errors} <= {
        KafkaError.NOT_ENOUGH_REPLICAS,
        KafkaError.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
    }
    assert len(errors) == 20
    found = health_report(prod, expected_status=UNHEALTHY)
    below = found["partitions"]["under_min_isr"]
    assert below and all(entry["min_insync_replicas"] == 2 and len(entry["isr"]) == 1 for entry in below)
    assert (TOPIC, 0) in {(entry["topic"], entry["partition"]) for entry in below}


def test_with_one_zookeeper_node_stopped_the_cluster_keeps_serving(prod, outputs, restore):
    docker("stop", f"caracal-{prod.name}-zookeeper-2")
    # Stopping the ZooKeeper leader makes the other two elect a new one, and a broker whose session was on the
    # stopped node moves to another: records may wait for that, but none may fail or be lost.
    acknowledged, errors = produce_batch(outputs, "zk-down", 50, **{"message.timeout.ms": ZOOKEEPER_FAILOVER_S * 1000})
    assert errors == [] and len(acknowledged) == 50
    assert set(acknowledged) <= read_everything(outputs, "zk-down")
    assert registered_brokers_become(outputs, 3) == 3
    quorum = health_report(prod, expected_status=UNHEALTHY)["quorum"]
    assert quorum["problems"] == ["zookeeper-2 does not serve"]
    assert {node["name"]: node["role"] for node in quorum["nodes"]}["zookeeper-2"] is None


ZOOKEEPER_FAILOVER_S = 120
UNHEALTHY = 3


def health_report(prod, expected_status: int) -> dict:
    done = clients.health(prod, "--json")
    assert done.returncode == expected_status, done.stdout + done.stderr
    return json.loads(done.stdout)


def becomes_healthy(prod, timeout_s: float = 300) -> dict:
    """The health report once it is healthy (every replica back in sync); the last problems when time is up.
    Lag is not what this waits for: the package's other tests leave groups behind on purpose."""
    deadline = time.monotonic() + timeout_s
    while True:
        done = clients.health(prod, "--json", "--lag-threshold", str(10**12))
        if done.returncode == 0 or time.monotonic() > deadline:
            assert done.returncode == 0, done.stdout + done.stderr
            return json.loads(done.stdout)
        time.sleep(3)


def registered_brokers_become(outputs, expected: int, timeout_s: float = ZOOKEEPER_FAILOVER_S) -> int:
    """Brokers in the metadata once they are `expected`, or the last count seen when the time is up.

    Asked again on librdkafka's transient errors and partial responses while ZooKeeper re-elects and a broker's
    session moves to another node; a broker that stays unregistered fails the test with the count it left.
    """
    deadline = time.monotonic() + timeout_s
    seen = -1
    while True:
        with contextlib.suppress(KafkaException):
            seen = len(clients.admin(outputs).list_topics(timeout=30).brokers)
        if seen == expected or time.monotonic() >= deadline:
            return seen
        time.sleep(2)


def test_after_a_registry_restart_every_subject_is_still_there(prod, outputs):
    registry = clients.registry(outputs)
    before = {subject: registry.get_latest_version(subject).schema_id for subject in registry.get_subjects()}
    assert len(before) == 4
    name = f"caracal-{prod.name}-schema-registry"
    docker("restart", name)
    healthy(name)
    registry = clients.registry(outputs)
    after = {subject: registry.get_latest_version(subject).schema_id for subject in registry.get_subjects()}
    assert after == before
