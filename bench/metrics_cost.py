"""What metrics cost: produce throughput (1 KiB records, acks=all, RF 3, over SASL_SSL, Kafka's ProducerPerformance
run in broker 0) on one prod bench stack, and the CPU each container spends meanwhile (its cgroup's CPU time).

Two comparisons, so that the cost is split into its parts:
  - scraped against paused, run by run (ABBA) on the same JVMs: `metrics: true` as it runs (Prometheus scraping
    every agent, evaluating the rules, the lag exporter), and the same with Prometheus, Alertmanager and the lag
    exporter frozen (`docker pause`, the agents sitting in the JVMs unscraped): what scraping costs;
  - with against without: rolls alternating `metrics: false` and `metrics: true` (no agent at all, then the
    agents scraped), runs after each roll: what metrics cost as they run, on JVMs of the same age.
Each visit (a roll) writes to a topic of its own, the earlier ones deleted, and its timed runs start once the
brokers' JIT compilers are done (runs thrown away until then). Each side is also given as CPU per record per part
of the stack and per kind of the brokers' threads (request handling, replica fetchers, JIT, collector, the agent's
HTTP threads): the load fills the machine's cores, so throughput follows the CPU a record costs, and the threads
say where it goes. Flat out, though, a record's CPU moves with the batching the machine's contention allows, so the
same runs are also made at a steady rate both sides sustain (`--rate`): their CPU per record, compared at the same
load, is the finer measure of what metrics cost. After each visit, each JVM node's memory is split
(bench/jvm_memory.py). The idle stack's CPU is measured scraped, paused and without. This machine is noisy: each
side's runs and their spread are printed. Beside it the floor: the same image and topology (ZooKeeper, 3 brokers,
RF 3, acks=all) over PLAINTEXT without authentication, a throw-away cluster of plain containers (never a stack).

    .venv/bin/python -m bench.metrics_cost [--rounds 4] [--rolls 4] [--records 200000] [--idle 60] [--scrape-seconds 30]
        [--rate 6000]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka.admin import AdminClient, NewTopic

from bench import jvm_memory, jvm_threads
from bench.container_cpu import cpu_seconds
from components.rules.prometheus_config import SCRAPE_INTERVAL_S
from infra.scratch_stack import Stack

TOPIC = "bench.throughput"
IMAGE = "caracal/kafka:3.9.1-jmx1.0.1"
# Scoped like the scratch stacks, so that two checkouts' benches never share a container name.
FLOOR = f"caracal-{os.environ.get('CARACAL_E2E_SCOPE', '')}bench-floor"
BROKERS = 3
PERF = "java -Xmx256m -cp '/opt/kafka/libs/*' org.apache.kafka.tools.ProducerPerformance"
RESULT = re.compile(r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\)")


def docker(*args: str, check: bool = True) -> str:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check).stdout


def produce(
    container: str, bootstrap: str, records: int, topic: str = TOPIC, client_config: str = "", rate: int = -1
) -> tuple[float, float]:
    """records/s and MB/s of one ProducerPerformance run of 1 KiB records, acks=all; flat out, or held to `rate`
    records/s."""
    config = f" --producer.config {client_config}" if client_config else ""
    command = (
        f"{PERF} --topic {topic} --num-records {records} --record-size 1024 --throughput {rate}"
        f" --producer-props acks=all bootstrap.servers={bootstrap} linger.ms=5{config}"
    )
    found = RESULT.findall(docker("exec", container, "sh", "-c", command))
    if not found:
        raise RuntimeError(f"ProducerPerformance printed no result in {container}")
    _, per_second, megabytes = found[-1]
    return float(per_second), float(megabytes)


def memory_mib(containers: list[str]) -> dict[str, float]:
    """Each container's memory use now (docker stats), in MiB."""
    lines = docker("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}", *containers).splitlines()
    units = {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}
    found = {}
    for line in lines:
        name, usage = line.split(" ", 1)
        value, unit = re.match(r"([\d.]+)(\w+)", usage).groups()
        found[name] = float(value) * units[unit]
    return found


def visit_topic(outputs: dict, visit: int) -> str:
    """A topic of its own for each visit, the earlier visits' deleted: every visit starts on empty logs, so the data
    the bench has written so far (gigabytes in the page cache and on disk) does not weigh on the later visits."""
    admin = AdminClient(outputs["clientConfigs"]["admin"]["kafka"])
    earlier = [name for name in admin.list_topics(timeout=30).topics if name.startswith(f"{TOPIC}.")]
    for future in (admin.delete_topics(earlier) if earlier else {}).values():
        future.result()
    topic = f"{TOPIC}.{visit}"
    for future in admin.create_topics([NewTopic(topic, 3, 3, config={"min.insync.replicas": "2"})]).values():
        future.result()
    return topic


# Frozen on the "paused" side: nothing scrapes, evaluates or reads lag.
MONITORING = ("prometheus", "alertmanager", "consumer-lag")
# Containers summed per part of the stack in the CPU figures.
PARTS = {
    "brokers": re.compile(r"-kafka-\d+$"),
    "quorum": re.compile(r"-(zookeeper|controller)-\d+$"),
    "monitoring": re.compile(r"-(prometheus|alertmanager|consumer-lag)$"),
    "registry": re.compile(r"-schema-registry(-proxy)?$"),
}


# The JVM nodes whose memory is split by bench/jvm_memory.py (the agent runs in these).
JVM_NODES = {"brokers": PARTS["brokers"], "quorum": PARTS["quorum"]}


# The brokers' threads shown in the figures per record (jvm_threads' kinds): Kafka's network and request handler
# threads, its replica fetchers, the JIT compilers, the VM thread (the serial collector runs there), the agent's
# HTTP threads (a scrape runs in them, reading the MBeans).
COMPILER = "CN CompilerThre"
THREAD_KINDS = {
    "data-plane-kafk": "requests",
    "ReplicaFetcherT": "fetchers",
    COMPILER: "JIT",
    "VM Thread": "collector",
    "prometheus-http": "agent",
}
# Paced runs: the producer held to a steady rate for this long (one scrape of each node at the default interval),
# so that both sides are compared at the same load.
PACED_SECONDS = 30
# A paced run whose producer fell this far short of the rate was not held to it (the stack could not keep up).
PACE_KEPT = 0.97
CLIENT_CONFIG = "/etc/kafka/secrets/admin-client.properties"
# A visit's runs start once the brokers' JIT compilers are this quiet over a run (cores, the brokers summed).
COMPILER_QUIET_CORES = 0.03
WARM_RUNS = 10


@dataclass
class Run:
    rate: float
    megabytes: float
    cores: dict[str, float] = field(default_factory=dict)
    """CPU used per part of the stack during the run, in cores (CPU seconds per second)."""
    threads: dict[str, float] = field(default_factory=dict)
    """CPU used by each kind of thread of the brokers' JVMs during the run (the producer's JVM not in it), cores."""
    records: int = 0
    seconds: float = 0.0
    """The run's length, from before the producer started to after it ended."""


def cores_by_part(before: dict[str, float], after: dict[str, float], seconds: float) -> dict[str, float]:
    cores = {part: 0.0 for part in PARTS}
    for name, used in after.items():
        part = next((part for part, pattern in PARTS.items() if pattern.search(name)), None)
        if part and name in before:
            cores[part] += (used - before[name]) / seconds
    return cores


@contextlib.contextmanager
def paused(containers: list[str]) -> Iterator[None]:
    docker("pause", *containers)
    try:
        yield
    finally:
        docker("unpause", *containers)


def produced(brokers: list[str], records: int, topic: str, client_config: str = "", rate: int = -1) -> Run:
    """One ProducerPerformance run in the first broker's container, with the CPU each kind of the brokers' threads
    spent meanwhile (`cores` left empty)."""
    bootstrap = ",".join(f"kafka-{index}:9092" for index in range(BROKERS))
    before, started = {broker: jvm_threads.cpu_by_kind(broker) for broker in brokers}, time.monotonic()
    achieved, megabytes = produce(brokers[0], bootstrap, records, topic, client_config, rate)
    seconds = time.monotonic() - started
    threads: Counter[str] = Counter()
    for broker in brokers:
        threads.update(jvm_threads.cores_by_kind(before[broker], jvm_threads.cpu_by_kind(broker), seconds))
    return Run(achieved, megabytes, threads=dict(threads), records=records, seconds=seconds)


def widened(run: Run, seconds: float) -> Run:
    """`run` with its threads' cores over `seconds`, the window its containers' CPU is read over (the threads' is
    the producer's own, a few reads shorter), so that every figure of the run divides the same time."""
    run.threads = {kind: cores * run.seconds / seconds for kind, cores in run.threads.items()}
    run.seconds = seconds
    return run


def measured(stack: Stack, records: int, topic: str) -> Run:
    containers = stack.containers()
    before, started = cpu_seconds(containers), time.monotonic()
    run = produced(stack_brokers(stack), records, topic, CLIENT_CONFIG)
    run = widened(run, time.monotonic() - started)
    run.cores = cores_by_part(before, cpu_seconds(containers), run.seconds)
    return run


def paced(stack: Stack, rate: int, topic: str) -> Run:
    """A run held to `rate` records/s: flat out, a record's CPU moves with the batching the machine's contention
    allows (the request threads' CPU per record spread 49-98 µs between runs of one side), held to a rate both
    sides sustain it is compared at the same load. Its brokers' cores are their JVMs' threads alone (the
    producer's JVM, in broker 0's container, left out); the other parts are their containers."""
    others = [name for name in stack.containers() if not PARTS["brokers"].search(name)]
    before, started = cpu_seconds(others), time.monotonic()
    run = produced(stack_brokers(stack), rate * PACED_SECONDS, topic, CLIENT_CONFIG, rate)
    run = widened(run, time.monotonic() - started)
    run.cores = cores_by_part(before, cpu_seconds(others), run.seconds)
    run.cores["brokers"] = sum(run.threads.values())
    return run


def stack_brokers(stack: Stack) -> list[str]:
    return [f"caracal-{stack.name}-kafka-{index}" for index in range(BROKERS)]


def idle_cores(stack: Stack, seconds: float) -> dict[str, float]:
    containers = stack.containers()
    before = cpu_seconds(containers)
    time.sleep(seconds)
    return cores_by_part(before, cpu_seconds(containers), seconds)


def jvm_readings(stack: Stack) -> dict[str, jvm_memory.JvmMemory]:
    """Each JVM node's memory split (forces a full collection in each: between timed runs only); none without
    the JDK's jcmd on the host (the images carry only a JRE)."""
    if not shutil.which("jcmd"):
        return {}
    nodes = [name for name in stack.containers() if any(pattern.search(name) for pattern in JVM_NODES.values())]
    return {name: jvm_memory.read(name) for name in nodes}


def warmed(run: Callable[[], Run]) -> int:
    """`run` (of half the records) repeated and thrown away until the brokers' JIT compilers are done (at most
    WARM_RUNS): a JVM compiles for minutes after it starts, taking CPU from its clients, and an agent's code is
    compiled among Kafka's. Returns the runs it took."""
    for count in range(1, WARM_RUNS + 1):
        if run().threads.get(COMPILER, 0.0) < COMPILER_QUIET_CORES:
            return count
    return WARM_RUNS


def show(side: str, run: Run) -> None:
    cores = ", ".join(f"{part} {value:.2f}" for part, value in run.cores.items())
    threads = ", ".join(f"{label} {per_record(run, kind):.1f}" for kind, label in THREAD_KINDS.items())
    print(
        f"{side:8s}: {run.rate:,.0f} records/s; cores: {cores}; µs per record {sum(cpu_per_record(run).values()):.1f},"
        f" broker threads: {threads}"
        f" (load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )


def switch(stack: Stack, metrics: bool, records: int, visit: int) -> str:
    """Roll the stack onto `metrics` (every JVM node restarts, with or without its agent), on a topic of the
    visit's own, then warm it up. Returns the topic."""
    stack.set_config("metrics", "true" if metrics else "false")
    stack.up()
    topic = visit_topic(stack.outputs(), visit)
    time.sleep(30)  # a few scrapes first, on the metrics side
    count = warmed(lambda: measured(stack, records // 2, topic))
    print(f"visit {visit} ({'with' if metrics else 'without'}): warmed in {count} runs", flush=True)
    return topic


def stack_runs(
    stack: Stack, records: int, rounds: int, rolls: int, idle_s: float, rate: int
) -> tuple[dict[str, list[Run]], dict[str, list[Run]], dict, dict, dict]:
    """With metrics: idle CPU scraped and paused, then `rounds` ABBA pairs of scraped and paused runs on the same
    JVMs, flat out, then as many paced at `rate` (none at 0). Then `rolls` rolls alternating `metrics: false` and
    `true` (without, with, without, ...), `rounds` runs flat out and as many paced after each: "with" and
    "without" are measured on JVMs of the same age, at times spread over the whole bench. The memory of each
    container with and without metrics, and each JVM node's memory split after each visit."""
    runs: dict[str, list[Run]] = {"scraped": [], "paused": [], "with": [], "without": []}
    steady: dict[str, list[Run]] = {side: [] for side in runs}
    kinds = (False, True) if rate else (False,)

    def timed(side: str, held: bool) -> None:
        """One run of `side`, flat out or (`held`) at `rate`, kept with its kind and shown."""
        results = steady if held else runs
        results[side].append(paced(stack, rate, topic) if held else measured(stack, records, topic))
        show(f"{side} @" if held else side, results[side][-1])

    topic = switch(stack, True, records, 0)
    monitoring = [f"caracal-{stack.name}-{name}" for name in MONITORING]
    idle = {"scraped": idle_cores(stack, idle_s)}
    with paused(monitoring):
        idle["paused"] = idle_cores(stack, idle_s)
    for held in kinds:
        for index in range(rounds):
            for side in ("scraped", "paused") if index % 2 == 0 else ("paused", "scraped"):
                with paused(monitoring) if side == "paused" else contextlib.nullcontext():
                    timed(side, held)
    memory = {True: memory_mib(stack.containers())}
    jvms: dict[str, list[dict[str, jvm_memory.JvmMemory]]] = {"with": [], "without": []}
    for index in range(rolls):
        metrics = index % 2 == 1
        topic = switch(stack, metrics, records, index + 1)
        side = "with" if metrics else "without"
        if not metrics and "without" not in idle:
            idle["without"] = idle_cores(stack, idle_s)
            memory[False] = memory_mib(stack.containers())
        for held in kinds:
            for _ in range(rounds):
                timed(side, held)
        # After the visit's runs, so that its full collections never fall into a timed run; both sides alike.
        jvms[side].append(jvm_readings(stack))
    return runs, steady, memory, idle, jvms


def floor_runs(records: int, rounds: int) -> list[Run]:
    """The same image and topology over PLAINTEXT, no authentication, on a throw-away network."""
    docker("network", "create", FLOOR)
    limits = ["--memory", "1536m", "--cpus", "1.5"]
    try:
        docker(
            "run", "-d", "--name", f"{FLOOR}-zookeeper", "--network", FLOOR, "--network-alias", "zookeeper",
            "--memory", "512m", IMAGE, "sh", "-c",
            "printf 'dataDir=/tmp/zk\\nclientPort=2181\\n' > /tmp/zoo.cfg && exec java -Xmx256m -cp"
            " '/opt/kafka/libs/*' org.apache.zookeeper.server.quorum.QuorumPeerMain /tmp/zoo.cfg",
        )  # fmt: skip
        for index in range(BROKERS):
            properties = (
                f"broker.id={index}\\nlisteners=PLAINTEXT://:9092\\n"
                f"advertised.listeners=PLAINTEXT://kafka-{index}:9092\\nzookeeper.connect=zookeeper:2181\\n"
                "log.dirs=/tmp/kafka\\ndefault.replication.factor=3\\nmin.insync.replicas=2\\n"
                "offsets.topic.replication.factor=3\\n"
            )
            docker(
                "run", "-d", "--name", f"{FLOOR}-kafka-{index}", "--network", FLOOR, "--network-alias",
                f"kafka-{index}", *limits, IMAGE, "sh", "-c",
                f"printf '{properties}' > /tmp/server.properties && exec java -Xms768m -Xmx768m -cp"
                " '/opt/kafka/libs/*' kafka.Kafka /tmp/server.properties",
            )  # fmt: skip
        bootstrap = ",".join(f"kafka-{index}:9092" for index in range(BROKERS))
        create = (
            f"java -Xmx128m -cp '/opt/kafka/libs/*' org.apache.kafka.tools.TopicCommand --bootstrap-server {bootstrap}"
            f" --create --if-not-exists --topic {TOPIC} --partitions 3 --replication-factor 3"
        )
        deadline = time.monotonic() + 300
        while subprocess.run(["docker", "exec", f"{FLOOR}-kafka-0", "sh", "-c", create]).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("the floor cluster did not come up")
            time.sleep(5)
        brokers = [f"{FLOOR}-kafka-{index}" for index in range(BROKERS)]
        print(f"floor: warmed in {warmed(lambda: produced(brokers, records // 2, TOPIC))} runs", flush=True)
        runs = []
        for _ in range(rounds):
            before, started = sum(cpu_seconds(brokers).values()), time.monotonic()
            run = widened(produced(brokers, records, TOPIC), time.monotonic() - started)
            run.cores = {"brokers": (sum(cpu_seconds(brokers).values()) - before) / run.seconds}
            runs.append(run)
        return runs
    finally:
        for name in [f"{FLOOR}-zookeeper", *(f"{FLOOR}-kafka-{index}" for index in range(BROKERS))]:
            docker("rm", "-f", name, check=False)
        docker("network", "rm", FLOOR, check=False)


def spread(rates: list[float], megabytes: list[float]) -> str:
    return (
        f"median {statistics.median(rates):,.0f} records/s ({statistics.median(megabytes):.1f} MB/s), "
        f"min {min(rates):,.0f}, max {max(rates):,.0f}, runs {', '.join(f'{rate:,.0f}' for rate in rates)}"
    )


def median_rate(runs: list[Run]) -> float:
    return statistics.median(run.rate for run in runs)


def cost(side: str, base: str, runs: dict[str, list[Run]]) -> str:
    with_it, without = median_rate(runs[side]), median_rate(runs[base])
    return f"{100 * (without - with_it) / without:+.1f}% of the throughput"


def median_cpu(runs: list[Run]) -> float:
    """The median of the runs' CPU per record, all parts summed, µs."""
    return statistics.median(sum(cpu_per_record(run).values()) for run in runs)


def paired(runs: dict[str, list[Run]], per_visit: int, by_cpu: bool = False) -> str:
    """The cost per pair of neighbouring visits (the k-th without, the k-th with), each visit its median: a drift
    of the machine over the bench moves both of a pair alike. As throughput lost, or (`by_cpu`) as CPU per record
    added."""
    visits = {side: [runs[side][i : i + per_visit] for i in range(0, len(runs[side]), per_visit)] for side in runs}
    costs = [
        100 * (median_cpu(with_it) - median_cpu(without)) / median_cpu(without)
        if by_cpu
        else 100 * (median_rate(without) - median_rate(with_it)) / median_rate(without)
        for without, with_it in zip(visits["without"], visits["with"], strict=False)
    ]
    return ", ".join(f"{value:+.1f}%" for value in costs) or "none"


def cpu_per_record(run: Run) -> dict[str, float]:
    """Microseconds of CPU per record, per part of the stack (its CPU over the run's records): on a machine whose
    cores the load fills, throughput follows the CPU a record costs, and this is less disturbed by what else the
    machine did during the run."""
    return {part: 1e6 * value * run.seconds / run.records for part, value in run.cores.items()}


def per_record(run: Run, kind: str) -> float:
    """Microseconds of CPU per record of one kind of the brokers' threads."""
    return 1e6 * run.threads.get(kind, 0.0) * run.seconds / run.records


def thread_cost(side: str, base: str, runs: dict[str, list[Run]]) -> str:
    """Per kind of broker thread, its median µs per record: where a broker's extra CPU per record goes."""
    return ", ".join(
        f"{label} "
        + " -> ".join(f"{statistics.median(per_record(run, kind) for run in runs[name]):.1f}" for name in (base, side))
        for kind, label in THREAD_KINDS.items()
    )


def floor_cost(floor: list[Run], secured: list[Run]) -> str:
    """The brokers' containers' CPU per record (the producer's JVM in the first of them), and of it each kind of
    broker thread, on the floor and on the secured stack: what TLS and authentication cost, and where."""
    sides = {"floor": floor, "secured": secured}
    total = " -> ".join(
        f"{statistics.median(cpu_per_record(run)['brokers'] for run in runs):.0f}" for runs in sides.values()
    )
    return f"brokers' containers {total}; " + thread_cost("secured", "floor", sides)


def cpu_cost(side: str, base: str, runs: dict[str, list[Run]]) -> str:
    per_part = {
        name: {part: statistics.median(cpu_per_record(run)[part] for run in runs[name]) for part in PARTS}
        for name in (side, base)
    }
    with_it, without = sum(per_part[side].values()), sum(per_part[base].values())
    parts = ", ".join(f"{part} {per_part[base][part]:.0f} -> {per_part[side][part]:.0f}" for part in PARTS)
    return f"{parts}; total {without:.0f} -> {with_it:.0f} ({100 * (with_it - without) / without:+.1f}%)"


def jvm_table(jvms: dict[str, list[dict[str, jvm_memory.JvmMemory]]]) -> list[str]:
    """Per kind of JVM node, each figure's median over its nodes and visits, without -> with."""
    lines = []
    for kind, pattern in JVM_NODES.items():
        readings = {
            side: [reading for visit in visits for node, reading in visit.items() if pattern.search(node)]
            for side, visits in jvms.items()
        }
        if not readings["with"] or not readings["without"]:
            continue
        figures = ", ".join(
            f"{name.replace('_', ' ')} "
            + " -> ".join(
                f"{statistics.median(getattr(reading, name) for reading in readings[side]):.1f}"
                for side in ("without", "with")
            )
            for name in jvm_memory.names()
        )
        lines.append(f"  {kind:8s} {figures}")
    return lines


def cores(table: dict[str, float]) -> str:
    return ", ".join(f"{part} {value:.3f}" for part, value in table.items()) + f"; total {sum(table.values()):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--rolls", type=int, default=4, help="rolls alternating metrics off and on after the first")
    parser.add_argument("--idle", type=float, default=60.0, help="seconds of each idle CPU measurement")
    parser.add_argument("--rate", type=int, default=6_000, help="records/s of the paced runs (0: none)")
    parser.add_argument(
        "--scrape-seconds", type=int, default=SCRAPE_INTERVAL_S, help="the stack's metricsScrapeSeconds"
    )
    options = parser.parse_args()
    if options.rolls < 2:
        parser.error("--rolls: at least 2 (a visit without metrics, then one with)")
    workdir = Path(tempfile.mkdtemp(prefix="bench-metrics-"))
    stack = Stack.create(
        "prod",
        "bench-metrics",
        workdir,
        bootstrapPort=39093,
        registryPort=38081,
        prometheusPort=39090,
        # A throw-away stack: `metrics: false` removes Prometheus with its data, which prod protects.
        protectData="false",
    )
    stack.set_config("metricsScrapeSeconds", str(options.scrape_seconds))
    stack.purge()
    print(f"metricsScrapeSeconds: {options.scrape_seconds}", flush=True)
    try:
        runs, steady, memory, idle, jvms = stack_runs(
            stack, options.records, options.rounds, options.rolls, options.idle, options.rate
        )
    finally:
        stack.destroy()
    floor = floor_runs(options.records, options.rounds)
    print()
    for side in runs:
        rates = [run.rate for run in runs[side]]
        print(f"{side:8s}: {spread(rates, [run.megabytes for run in runs[side]])}")
        print(
            "          cores (median per part): "
            + cores({part: statistics.median(run.cores.get(part, 0.0) for run in runs[side]) for part in PARTS})
        )
    print(f"scraping (paused -> scraped, alternated on the same JVMs): {cost('scraped', 'paused', runs)}")
    print(f"metrics as they run (without -> with, rolls alternated; target under 3%): {cost('with', 'without', runs)}")
    print(f"  each pair of neighbouring visits (without -> with): {paired(runs, options.rounds)}")
    print(f"CPU per record, µs (median per part), without -> with: {cpu_cost('with', 'without', runs)}")
    print(f"CPU per record, µs (median per part), paused -> scraped: {cpu_cost('scraped', 'paused', runs)}")
    print(f"broker threads, µs per record (median), without -> with: {thread_cost('with', 'without', runs)}")
    print(f"broker threads, µs per record (median), paused -> scraped: {thread_cost('scraped', 'paused', runs)}")
    if options.rate:
        short = sum(run.rate < PACE_KEPT * options.rate for side in steady for run in steady[side])
        print(
            f"\nat a steady {options.rate:,} records/s ({PACED_SECONDS} s runs; {short} fell short of the rate),"
            " CPU per record, µs (median per part; the brokers' JVMs without the producer's, the other parts'"
            " containers):"
        )
        print(f"  without -> with: {cpu_cost('with', 'without', steady)}")
        print(f"  each pair of neighbouring visits (without -> with): {paired(steady, options.rounds, by_cpu=True)}")
        print(f"  paused -> scraped: {cpu_cost('scraped', 'paused', steady)}")
        print(f"  broker threads, without -> with: {thread_cost('with', 'without', steady)}")
        print(f"  broker threads, paused -> scraped: {thread_cost('scraped', 'paused', steady)}")
        print()
    print(f"PLAINTEXT floor : {spread([run.rate for run in floor], [run.megabytes for run in floor])}")
    share = median_rate(runs["without"]) / median_rate(floor)
    print(f"secured share   : {100 * share:.0f}% of the floor (without metrics)")
    print(f"  where it goes, µs per record (median), floor -> secured: {floor_cost(floor, runs['without'])}")
    print("\nidle stack, cores per part:")
    for side, table in idle.items():
        print(f"  {side:8s} {cores(table)}")
    print("\nJVM nodes' memory (MiB; agent's objects KiB; threads; median of nodes and visits), without -> with:")
    print("\n".join(jvm_table(jvms)) or "  none read (the JDK's jcmd is not on this host)")
    print("\nmemory of the other containers (MiB, docker stats), with metrics -> without:")
    jvm_nodes = {name for visit in jvms["with"] for name in visit}
    for name in sorted(set(memory[True]) - jvm_nodes):
        after = memory[False].get(name)
        print(
            f"  {name:48s} {memory[True][name]:7.0f} -> {after:7.0f}"
            if after
            else f"  {name:48s} {memory[True][name]:7.0f}"
        )


if __name__ == "__main__":
    main()
