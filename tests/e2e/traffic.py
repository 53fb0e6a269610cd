"""Live traffic around a change of a real stack: what an application producing and consuming all along would see.

    with Traffic(stack.name, outputs) as traffic:
        stack.up()
    report = traffic.report

A producer (acks=all, idempotent, as the catalog's `producer` user) sends one small record every ~20 ms with a
sequence number in its value, and lets librdkafka retry as it does for any application; a consumer (the `consumer`
user in the one group its ACLs allow) reads the same topic; a sampler asks Docker twice a second which brokers and
ZooKeeper nodes are not running and healthy, another asks the cluster which brokers are out of sync. Afterwards the
consumer is drained until every acknowledged record was read (or a timeout), and the report says what was sent,
acknowledged, failed, lost, read twice, the longest wait for an acknowledgement, which nodes were down when, and
which containers were replaced.

The counting and the judgment are pure (tests.e2e.traffic_report, tests.e2e.downtime), unit-tested without Docker.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from confluent_kafka import KafkaError, KafkaException

from infra.scratch_stack import owned_by
from tests.e2e import clients
from tests.e2e.downtime import KINDS, Sample, SyncSample, inspect, node_names, out_of_sync, sample
from tests.e2e.traffic_report import (
    TrafficReport,
    first_distinct,
    longest_gap_span,
    lost_and_duplicates,
    record_value,
    sequence_of,
)

# A catalog topic with no schema: the records here are plain bytes, as dead letters may be.
TOPIC = "caracal.dlq"
# The one group the catalog lets the `consumer` user read in.
GROUP = "caracal-consumer-group"
# Long enough that librdkafka rides out a broker restart by retrying; a record that fails despite this is an outage.
MESSAGE_TIMEOUT_MS = 120_000


# --- the threads --------------------------------------------------------------------------------------------------


def stack_containers(stack: str) -> dict[str, str]:
    """{name: container id} of every container of the stack."""
    listed = subprocess.run(
        ["docker", "ps", "-a", "--no-trunc", "--filter", f"name=^caracal-{stack}-", "--format", "{{.Names}} {{.ID}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = (line.split() for line in listed.splitlines() if line)
    return {name: container_id for name, container_id in found if owned_by(stack, name)}


class Traffic:
    def __init__(
        self,
        stack: str,
        outputs: dict[str, Any],
        topic: str = TOPIC,
        interval_s: float = 0.02,
        sample_every_s: float = 0.5,
        drain_timeout_s: float = 120,
        expected_nodes: dict[str, int] | None = None,
    ) -> None:
        self.stack = stack
        self.outputs = outputs
        self.topic = topic
        self.interval_s = interval_s
        self.sample_every_s = sample_every_s
        self.drain_timeout_s = drain_timeout_s
        self.expected_nodes = expected_nodes or {}
        self.run = uuid.uuid4().hex[:12]
        self.report: TrafficReport | None = None
        self._producing = threading.Event()
        self._sampling = threading.Event()
        self._consuming = threading.Event()
        self._sent = 0
        self._acks: list[tuple[int, float]] = []
        self._errors: list[str] = []
        self._consumed: list[int] = []
        self._consumer_errors: list[str] = []
        self._samples: list[Sample] = []
        self._sync_samples: list[SyncSample] = []
        self._threads: list[threading.Thread] = []
        self._recorder_errors: list[str] = []

    def __enter__(self) -> Traffic:
        self._before = stack_containers(self.stack)
        self._nodes = {kind: node_names(self.stack, self._before, kind) for kind in KINDS}
        for flag in (self._producing, self._sampling, self._consuming):
            flag.set()
        for target in (self._produce, self._consume, self._sample, self._sample_sync):
            thread = threading.Thread(target=self._guarded, args=(target,), daemon=True)
            thread.start()
            self._threads.append(thread)
        self._start = time.monotonic()
        self._wait_until_flowing()
        self._start = time.monotonic()
        return self

    def __exit__(self, *exc_info: object) -> None:
        end = time.monotonic()
        self._producing.clear()
        self._threads[0].join(MESSAGE_TIMEOUT_MS / 1000 + 30)
        self._sampling.clear()
        self._threads[2].join(10)
        self._threads[3].join(40)
        self._drain()
        self._consuming.clear()
        self._threads[1].join(30)
        acknowledged = [sequence for sequence, _ in self._acks]
        lost, duplicates = lost_and_duplicates(acknowledged, self._consumed)
        gap_from, gap_to = longest_gap_span((at for _, at in self._acks), self._start, end)
        self.report = TrafficReport(
            sent=self._sent,
            acknowledged=len(acknowledged),
            failed=len(self._errors),
            first_errors=first_distinct(self._errors),
            lost=lost,
            duplicates=duplicates,
            longest_ack_gap_s=gap_to - gap_from,
            longest_ack_gap_from_s=gap_from - self._start,
            window_start=self._start,
            containers_before=self._before,
            containers_after=stack_containers(self.stack),
            window_s=end - self._start,
            nodes=self._nodes,
            expected_nodes=self.expected_nodes,
            samples=self._samples,
            sync_samples=self._sync_samples,
            consumer_errors=first_distinct(self._consumer_errors),
            recorder_errors=self._recorder_errors,
        )

    def _wait_until_flowing(self, timeout_s: float = 90) -> None:
        """The window starts once records go both ways, so a slow start is not counted as an outage."""
        deadline = time.monotonic() + timeout_s
        while not (self._acks and self._consumed):
            if time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise AssertionError(f"traffic did not start: {self.report.summary() if self.report else ''}")
            time.sleep(0.1)

    def _drain(self) -> None:
        """Wait until every acknowledged record was read, or the timeout."""
        deadline = time.monotonic() + self.drain_timeout_s
        while time.monotonic() < deadline:
            if not lost_and_duplicates((sequence for sequence, _ in self._acks), self._consumed)[0]:
                return
            time.sleep(0.5)

    def _guarded(self, target: Callable[[], None]) -> None:
        try:
            target()
        except Exception as error:
            self._recorder_errors.append(f"{target.__name__}: {error!r}")

    def _produce(self) -> None:
        producer = clients.producer(
            self.outputs,
            **{"enable.idempotence": True, "message.timeout.ms": MESSAGE_TIMEOUT_MS, "linger.ms": 0},
        )

        def delivered(error: KafkaError | None, sequence: int) -> None:
            if error is None:
                self._acks.append((sequence, time.monotonic()))
            else:
                self._errors.append(str(error))

        sequence = 0
        next_send = time.monotonic()
        while self._producing.is_set():
            if time.monotonic() >= next_send:
                try:
                    producer.produce(
                        self.topic,
                        value=record_value(self.run, sequence),
                        on_delivery=lambda error, _message, sequence=sequence: delivered(error, sequence),
                    )
                    self._sent += 1
                    sequence += 1
                except BufferError:
                    pass  # the local queue is full while brokers are away: try again next tick
                except KafkaException as error:
                    # Refused at once (the topic is unknown while no broker answers): a send the application lost.
                    self._sent += 1
                    sequence += 1
                    self._errors.append(str(error))
                # A steady rate: after a stall the stream goes on at its pace instead of catching up in a burst.
                next_send = max(next_send + self.interval_s, time.monotonic())
            # poll() returns as soon as it served a delivery report, so the pace is kept by next_send.
            producer.poll(max(0.0, next_send - time.monotonic()))
        producer.flush(MESSAGE_TIMEOUT_MS / 1000 + 10)

    def _consume(self) -> None:
        consumer = clients.consumer(self.outputs, group=GROUP, **{"enable.auto.commit": True})
        consumer.subscribe([self.topic])
        try:
            while self._consuming.is_set():
                message = consumer.poll(0.5)
                if message is None:
                    continue
                if message.error():
                    if message.error().code() != KafkaError._PARTITION_EOF:
                        self._consumer_errors.append(str(message.error()))
                    continue
                sequence = sequence_of(message.value(), self.run)
                if sequence is not None:
                    self._consumed.append(sequence)
        finally:
            consumer.close()

    def _sample(self) -> None:
        names = [name for kind in KINDS for name in self._nodes[kind]]
        while self._sampling.is_set():
            started = time.monotonic()
            self._samples.append(sample(started, names, inspect(names)))
            # A slow `docker inspect` (a loaded machine) eats into the pause: the samples stay as close as they can.
            time.sleep(max(0.0, started + self.sample_every_s - time.monotonic()))

    def _sample_sync(self) -> None:
        """The in-sync replicas of every partition, as the cluster's metadata says (the roll waits on the same)."""
        admin = clients.admin(self.outputs)
        while self._sampling.is_set():
            try:
                metadata = admin.list_topics(timeout=10)
                partitions = [
                    (partition.replicas, partition.isrs)
                    for topic in metadata.topics.values()
                    for partition in topic.partitions.values()
                ]
                self._sync_samples.append(SyncSample(time.monotonic(), out_of_sync(partitions)))
            except KafkaException:
                pass  # asked again: a broker going away mid-request is part of a roll
            time.sleep(self.sample_every_s)
