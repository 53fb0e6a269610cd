"""Live traffic around a change of a real stack: what an application producing and consuming all along would see.

    with Traffic(stack.name, outputs) as traffic:
        stack.up()
    report = traffic.report

A producer (acks=all, idempotent, as the catalog's `producer` user) sends one small record every ~20 ms with a
sequence number in its value, and lets librdkafka retry as it does for any application; a consumer (the `consumer`
user in the one group its ACLs allow) reads the same topic; a sampler asks Docker twice a second which brokers and
ZooKeeper nodes are not running and healthy. Afterwards the consumer is drained until every acknowledged record was
read (or a timeout), and the report says what was sent, acknowledged, failed, lost, read twice, the longest wait for
an acknowledgement, how many nodes were down at once and which containers were replaced.

The counting is done by the pure functions below, unit-tested without Docker.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from confluent_kafka import KafkaError, KafkaException

from tests.e2e import clients

# A catalog topic with no schema: the records here are plain bytes, as dead letters may be.
TOPIC = "caracal.dlq"
# The one group the catalog lets the `consumer` user read in.
GROUP = "caracal-consumer-group"
# Long enough that librdkafka rides out a broker restart by retrying; a record that fails despite this is an outage.
MESSAGE_TIMEOUT_MS = 120_000
FIRST_ERRORS = 5


# --- pure counting ------------------------------------------------------------------------------------------------


def record_value(run: str, sequence: int) -> bytes:
    return f"{run}:{sequence}".encode()


def sequence_of(value: bytes | None, run: str) -> int | None:
    """The sequence number of a record of this run, None for anything else the topic holds."""
    if not value:
        return None
    tag, _, number = value.decode(errors="replace").partition(":")
    return int(number) if tag == run and number.isdigit() else None


def first_distinct(items: Iterable[str], count: int = FIRST_ERRORS) -> list[str]:
    """The first `count` different errors: a stall fails thousands of sends with the same one."""
    return list(dict.fromkeys(items))[:count]


def longest_gap(times: Iterable[float], start: float, end: float) -> float:
    """Longest time in [start, end] without an acknowledgement: the window's edges count, so a window with no
    acknowledgement at all is one gap as long as the window."""
    inside = sorted(t for t in times if start <= t <= end)
    edges = [start, *inside, end]
    return max(later - earlier for earlier, later in pairwise(edges))


def lost_and_duplicates(acknowledged: Iterable[int], consumed: Sequence[int]) -> tuple[int, int]:
    """(acknowledged records never read, reads beyond the first of a record)."""
    counts = Counter(consumed)
    lost = sum(1 for sequence in set(acknowledged) if sequence not in counts)
    return lost, sum(count - 1 for count in counts.values())


INSPECT_FORMAT = "{{.Name}} {{.Id}} {{.State.Running}} {{if .State.Health}}{{.State.Health.Status}}{{end}}"


def parse_inspect(output: str) -> dict[str, tuple[str, bool]]:
    """`docker inspect -f INSPECT_FORMAT` lines -> {name: (container id, running and healthy)}. A container with
    no health check counts as healthy when running."""
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        name, container_id, running = parts[0].lstrip("/"), parts[1], parts[2] == "true"
        health = parts[3] if len(parts) > 3 else "healthy"
        found[name] = (container_id, running and health == "healthy")
    return found


def not_ready(names: Iterable[str], states: dict[str, tuple[str, bool]]) -> set[str]:
    """Which of `names` are missing, stopped or not healthy."""
    return {name for name in names if not states.get(name, ("", False))[1]}


def replaced(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Names whose container is not the one there before (a new id, or gone)."""
    return sorted(name for name, container_id in before.items() if after.get(name) != container_id)


def node_names(stack: str, all_names: Iterable[str], kind: str) -> list[str]:
    pattern = re.compile(rf"^caracal-{re.escape(stack)}-{kind}-\d+$")
    return sorted(name for name in all_names if pattern.match(name))


# --- the report ---------------------------------------------------------------------------------------------------


@dataclass
class TrafficReport:
    sent: int
    acknowledged: int
    failed: int
    first_errors: list[str]
    """The first few different delivery errors."""
    lost: int
    duplicates: int
    longest_ack_gap_s: float
    max_brokers_down: int
    max_zookeeper_down: int
    containers_before: dict[str, str]
    containers_after: dict[str, str]
    window_s: float
    consumer_errors: list[str] = field(default_factory=list)
    recorder_errors: list[str] = field(default_factory=list)
    """A thread of the recorder that died: its figures cannot be trusted."""

    @property
    def replaced(self) -> list[str]:
        return replaced(self.containers_before, self.containers_after)

    def outage(self, max_down: int = 1) -> list[str]:
        """What an application would have noticed, or what took more than one node of a kind down at once."""
        problems = [f"recorder failed: {error}" for error in self.recorder_errors]
        if self.failed:
            problems.append(f"{self.failed} sends failed, first: {self.first_errors}")
        if self.lost:
            problems.append(f"{self.lost} acknowledged records never read")
        if self.max_brokers_down > max_down:
            problems.append(f"{self.max_brokers_down} brokers down at once")
        if self.max_zookeeper_down > max_down:
            problems.append(f"{self.max_zookeeper_down} ZooKeeper nodes down at once")
        return problems

    def summary(self) -> str:
        return (
            f"sent {self.sent}, acknowledged {self.acknowledged}, failed {self.failed}, lost {self.lost}, "
            f"duplicates {self.duplicates}, longest ack gap {self.longest_ack_gap_s:.1f} s, "
            f"max brokers down {self.max_brokers_down}, max ZooKeeper down {self.max_zookeeper_down}, "
            f"replaced {len(self.replaced)}/{len(self.containers_before)} {self.replaced}, "
            f"window {self.window_s:.1f} s" + (f", first errors {self.first_errors}" if self.first_errors else "")
        )


# --- the threads --------------------------------------------------------------------------------------------------


def stack_containers(stack: str) -> dict[str, str]:
    """{name: container id} of every container of the stack."""
    listed = subprocess.run(
        ["docker", "ps", "-a", "--no-trunc", "--filter", f"name=^caracal-{stack}-", "--format", "{{.Names}} {{.ID}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {name: container_id for name, container_id in (line.split() for line in listed.splitlines() if line)}


def inspect(names: Sequence[str]) -> dict[str, tuple[str, bool]]:
    # Exits 1 when a container is missing (replaced right now) but still prints the others.
    done = subprocess.run(["docker", "inspect", "-f", INSPECT_FORMAT, *names], capture_output=True, text=True)
    return parse_inspect(done.stdout)


class Traffic:
    def __init__(
        self,
        stack: str,
        outputs: dict[str, Any],
        topic: str = TOPIC,
        interval_s: float = 0.02,
        sample_every_s: float = 0.5,
        drain_timeout_s: float = 120,
    ) -> None:
        self.stack = stack
        self.outputs = outputs
        self.topic = topic
        self.interval_s = interval_s
        self.sample_every_s = sample_every_s
        self.drain_timeout_s = drain_timeout_s
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
        self._brokers_down = 0
        self._zookeeper_down = 0
        self._threads: list[threading.Thread] = []
        self._recorder_errors: list[str] = []

    def __enter__(self) -> Traffic:
        self._before = stack_containers(self.stack)
        self._brokers = node_names(self.stack, self._before, "kafka")
        self._zookeeper = node_names(self.stack, self._before, "zookeeper")
        for flag in (self._producing, self._sampling, self._consuming):
            flag.set()
        for target in (self._produce, self._consume, self._sample):
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
        self._drain()
        self._consuming.clear()
        self._threads[1].join(30)
        acknowledged = [sequence for sequence, _ in self._acks]
        lost, duplicates = lost_and_duplicates(acknowledged, self._consumed)
        self.report = TrafficReport(
            sent=self._sent,
            acknowledged=len(acknowledged),
            failed=len(self._errors),
            first_errors=first_distinct(self._errors),
            lost=lost,
            duplicates=duplicates,
            longest_ack_gap_s=longest_gap((at for _, at in self._acks), self._start, end),
            max_brokers_down=self._brokers_down,
            max_zookeeper_down=self._zookeeper_down,
            containers_before=self._before,
            containers_after=stack_containers(self.stack),
            window_s=end - self._start,
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
        names = [*self._brokers, *self._zookeeper]
        while self._sampling.is_set():
            states = inspect(names)
            self._brokers_down = max(self._brokers_down, len(not_ready(self._brokers, states)))
            self._zookeeper_down = max(self._zookeeper_down, len(not_ready(self._zookeeper, states)))
            time.sleep(self.sample_every_s)
