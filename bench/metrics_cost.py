"""What metrics cost: produce throughput (1 KiB records, acks=all, RF 3, over SASL_SSL, Kafka's ProducerPerformance
run in broker 0) on one prod bench stack with `metrics: true` (the agents scraped every 15 s) and with `metrics:
false`, the two alternated and repeated (this machine is noisy: each side's runs and their spread are printed), and
the memory each node uses on each side. Beside it the floor: the same image and topology (ZooKeeper, 3 brokers,
RF 3, acks=all) over PLAINTEXT without authentication, a throw-away cluster of plain containers (never a stack).

    .venv/bin/python -m bench.metrics_cost [--rounds 2] [--records 200000]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from confluent_kafka.admin import AdminClient, NewTopic

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


def produce(container: str, bootstrap: str, records: int, client_config: str = "") -> tuple[float, float]:
    """records/s and MB/s of one ProducerPerformance run of 1 KiB records, acks=all."""
    config = f" --producer.config {client_config}" if client_config else ""
    command = (
        f"{PERF} --topic {TOPIC} --num-records {records} --record-size 1024 --throughput -1"
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


def stack_topic(outputs: dict) -> None:
    admin = AdminClient(outputs["clientConfigs"]["admin"]["kafka"])
    futures = admin.create_topics([NewTopic(TOPIC, 3, 3, config={"min.insync.replicas": "2"})])
    for future in futures.values():
        try:
            future.result()
        except Exception as error:  # already there from an earlier round
            if "TOPIC_ALREADY_EXISTS" not in str(error):
                raise


def stack_runs(stack: Stack, records: int, rounds: int) -> tuple[dict[bool, list[tuple[float, float]]], dict]:
    """Alternated runs, metrics on then off, `rounds` times; the memory of each node on each side."""
    runs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    memory: dict[bool, dict[str, float]] = {}
    broker = f"caracal-{stack.name}-kafka-0"
    bootstrap = ",".join(f"kafka-{index}:9092" for index in range(BROKERS))
    for _ in range(rounds):
        for metrics in (True, False):
            stack.set_config("metrics", str(metrics).lower())
            stack.up()
            stack_topic(stack.outputs())
            time.sleep(30)  # a few scrapes before measuring
            runs[metrics].append(produce(broker, bootstrap, records, "/etc/kafka/secrets/admin-client.properties"))
            memory[metrics] = memory_mib(stack.containers())
            load = os.getloadavg()[0]
            print(f"metrics={metrics}: {runs[metrics][-1][0]:.0f} records/s (load average {load:.1f})", flush=True)
    return runs, memory


def floor_runs(records: int, rounds: int) -> list[tuple[float, float]]:
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
        return [produce(f"{FLOOR}-kafka-0", bootstrap, records) for _ in range(rounds)]
    finally:
        for name in [f"{FLOOR}-zookeeper", *(f"{FLOOR}-kafka-{index}" for index in range(BROKERS))]:
            docker("rm", "-f", name, check=False)
        docker("network", "rm", FLOOR, check=False)


def spread(runs: list[tuple[float, float]]) -> str:
    rates = [rate for rate, _ in runs]
    megabytes = statistics.median(mb for _, mb in runs)
    return (
        f"median {statistics.median(rates):,.0f} records/s ({megabytes:.1f} MB/s), "
        f"min {min(rates):,.0f}, max {max(rates):,.0f}, runs {', '.join(f'{rate:,.0f}' for rate in rates)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--records", type=int, default=200_000)
    options = parser.parse_args()
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
    stack.purge()
    try:
        runs, memory = stack_runs(stack, options.records, options.rounds)
    finally:
        stack.destroy()
    floor = floor_runs(options.records, options.rounds)
    with_agents, without = statistics.median(r for r, _ in runs[True]), statistics.median(r for r, _ in runs[False])
    print(f"\nwith metrics    : {spread(runs[True])}")
    print(f"without metrics : {spread(runs[False])}")
    print(f"cost of metrics : {100 * (without - with_agents) / without:.1f}% of the throughput (target: under 3%)")
    print(f"PLAINTEXT floor : {spread(floor)}")
    print(f"secured share   : {100 * without / statistics.median(r for r, _ in floor):.0f}% of the floor")
    print("\nmemory per container (MiB), with metrics -> without:")
    for name in sorted(memory[True]):
        after = memory[False].get(name)
        print(
            f"  {name:48s} {memory[True][name]:7.0f} -> {after:7.0f}"
            if after
            else f"  {name:48s} {memory[True][name]:7.0f}"
        )


if __name__ == "__main__":
    main()
