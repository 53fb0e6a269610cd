"""How the program scales with the number of topics and ACL bindings, beside what Kafka itself allows and a peer.

One bench stack (the dev topology on ports of its own, 127.0.0.1 only) is brought up once; then, for each N:
  - `pulumi up` adding N topics (1 partition each) and N ACL bindings, as `make up` runs it (refresh first),
  - a no-op `pulumi preview --refresh` (every topic and binding read back and diffed; the median of three),
  - an `up` that changes one topic's config,
  - the removal of all N topics and bindings (an `up` with them gone from the catalog, data loss allowed as
    `make down` allows it), what `destroy` does to them,
  - the peak memory of the engine and of the dynamic-provider host during those runs,
  - the floors on the same cluster: one CreateAcls (until applied), CreateTopics (until listed) and DescribeConfigs
    request for all N (where the cluster takes one), the topics with the program's config, and an empty Pulumi
    program's `preview` and `up` on the same backend,
  - Jikkou 0.34 applying and diffing the same topics and bindings (bench/jikkou.py; the diff the median of three),
    timed as its API call alone and as its whole process,
and, at N = 100 only, the seed's way: one kafka-topics.sh process per topic. The same up, preview, change and
removal are also timed on a second stack in `platform: external` mode managing the same catalog on that cluster:
what the program costs as a catalog manager of an existing cluster, as Jikkou is, without the first stack's own
platform (containers, certificates, passwords) to refresh. Then both stacks are destroyed.
Each timed run starts on a settled cluster (brokers and controllers idle, no deleted topic's log left to remove):
a broker goes on making or deleting 10,000 logs for up to a minute after it answered, and a run timed then would
pay for the one before. Figures are printed, not judged: the machine may be shared, so compare ratios within one
run.

    python -m bench.topics [N ...]        (make bench / scripts/bench.sh; default 100 1000 2000)

CARACAL_BENCH_QUORUM=kraft (`make bench-kraft`) runs the same on a KRaft bench cluster (one dedicated controller),
to set beside the ZooKeeper figures of a run on the same machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import yaml

from bench import floors, jikkou
from bench.container_cpu import settle
from bench.empty_program import empty_program_seconds
from bench.processes import Measured, run
from infra.pulumi_cli import PULUMI
from infra.scratch_stack import ROOT, Stack

# Ports of the bench stack: clear of the dev (19093/18081), prod and test stacks.
BOOTSTRAP_PORT = 52093
REGISTRY_PORT = 52081
EXTERNAL_STACK = "xbench"
PRINCIPAL = "User:bench"
SEED_WAY_AT = 100
SEED_WAY = "seed's way"
# The no-op preview and Jikkou's diff take seconds while Kafka's answer varies run to run (it is slower right after
# an `up` made a thousand topics): each is the median of this many runs.
REPEATS = 3
JIKKOU_PRINCIPAL = "User:jikkou-bench"
# Where a broker of the bench stack keeps its logs (components/platform/kafka_config.py, kraft_config.py).
LOG_DIR = "/var/lib/kafka/data"

Item = TypeVar("Item")


def write_catalog(path: Path, count: int, retention: str = "7d") -> None:
    """N topics and one READ binding per topic for the bench user; `retention` of the first topic is the knob
    the one-change `up` turns."""
    topics = [{"name": f"bench.topic-{index:05d}", "partitions": 1} for index in range(count)]
    if topics:
        topics[0]["config"] = {"retention.ms": retention}
    acls = [
        {
            "principal": PRINCIPAL,
            "resource_type": "TOPIC",
            "resource_name": topic["name"],
            "pattern_type": "LITERAL",
            "operations": ["READ"],
        }
        for topic in topics
    ]
    document = {
        "defaults": {"compression.type": "snappy"},
        "topics": topics,
        "users": [{"name": PRINCIPAL.removeprefix("User:")}],
        "acls": acls,
    }
    path.write_text(yaml.safe_dump(document))


@dataclass
class Row:
    count: int
    runs: dict[str, Measured] = field(default_factory=dict)
    external: dict[str, Measured] = field(default_factory=dict)
    """The same runs on the external-mode stack."""
    floors: dict[str, float] = field(default_factory=dict)
    empty: dict[str, float] = field(default_factory=dict)
    peer: dict[str, float] = field(default_factory=dict)
    """Jikkou's API call alone, per mode."""
    peer_process: dict[str, float] = field(default_factory=dict)
    """Jikkou's whole process (JVM start and loading the resources included), per mode."""
    notes: list[str] = field(default_factory=list)

    def stacks(self) -> list[tuple[str, dict[str, Measured]]]:
        """Each stack's runs, by the name the tables give it."""
        return [("docker", self.runs), ("external", self.external)]


def peak(runs: dict[str, Measured], kind: str) -> float:
    return max((measured.peak_mb.get(kind, 0.0) for measured in runs.values()), default=0.0)


def _middle(items: list[Item], seconds: Callable[[Item], float]) -> Item:
    """The item of median time (the upper one of an even count)."""
    return sorted(items, key=seconds)[len(items) // 2]


def median(runs: list[Measured]) -> Measured:
    """The run of median time, with the peak memory of all of them and every time in its `samples`."""
    middle = _middle(runs, lambda measured: measured.seconds)
    kinds = {kind for measured in runs for kind in measured.peak_mb}
    peaks = {kind: max(measured.peak_mb.get(kind, 0.0) for measured in runs) for kind in kinds}
    return Measured(middle.seconds, middle.returncode, middle.output, peaks, [m.seconds for m in runs])


def pulumi(stack: Stack, *args: str, env: dict[str, str] | None = None) -> Measured:
    command = [*PULUMI, *args, "--non-interactive", "--stack", stack.name]
    measured = run(command, stack.workdir, {**stack.env, **(env or {})})
    if measured.returncode != 0:
        # The outputs' diff of thousands of topics fills the tail: the diagnostics above it say what failed.
        output = stack.workdir / f"failed-{args[0]}.log"
        output.write_text(measured.output)
        diagnostics = measured.output.partition("Diagnostics:")[2].partition("\nOutputs:")[0]
        raise AssertionError(
            f"{' '.join(command)} failed ({measured.returncode}), whole output in {output}:{diagnostics[-6000:]}"
        )
    return measured


def progress(count: int, stack: Stack, what: str, measured: Measured) -> None:
    memory = ", ".join(f"{kind} {megabytes:.0f} MB" for kind, megabytes in sorted(measured.peak_mb.items()))
    samples = f", median of {_samples(measured.samples)}" if len(measured.samples) > 1 else ""
    print(f"N={count} {stack.name} {what}: {measured.seconds:.1f} s ({memory}{samples})", flush=True)


def _samples(seconds: list[float]) -> str:
    return " / ".join(f"{value:.1f}" for value in seconds) + " s"


def _deletions_pending(broker: str) -> int:
    """Logs of deleted topics the broker has still to remove (it renames them `*-delete` and removes them a minute
    later, file.delete.delay.ms)."""
    command = f'set -- {LOG_DIR}/*-delete; if [ -e "$1" ]; then echo $#; else echo 0; fi'
    done = subprocess.run(["docker", "exec", broker, "sh", "-c", command], capture_output=True, text=True)
    return int(done.stdout.strip() or 0) if done.returncode == 0 else 0


def quiet(cluster: Stack) -> Callable[[], float]:
    """A wait until the cluster's brokers and controllers are idle and no deleted topic's log is left to remove:
    each timed run starts on a cluster done with the run before (making or deleting 10,000 logs goes on for up to
    a minute after the answer, and the deletions start a minute after it), as an operator's next `up` would."""
    nodes = [name for name in cluster.containers() if re.search(r"-(kafka|controller)-\d+$", name)]
    brokers = [name for name in nodes if re.search(r"-kafka-\d+$", name)]
    return lambda: settle(nodes, lambda: not any(_deletions_pending(broker) for broker in brokers))


def catalog_runs(stack: Stack, catalog: Path, count: int, settled: Callable[[], float]) -> dict[str, Measured]:
    """`up` adding N topics and bindings, a no-op `preview --refresh`, an `up` changing one topic, and the
    removal of all of them, on `stack`, each on a settled cluster."""
    runs: dict[str, Measured] = {}
    # Each run reads the real state first, as `make up` and `make preview` do on such a stack.
    up = ("up", "--yes", "--skip-preview", *stack.refresh_options)
    for what, retention, args, env in (
        ("up", "7d", up, None),
        ("preview", "7d", ("preview", *stack.refresh_options, "--expect-no-changes"), None),
        ("change one", "8d", up, None),
        ("remove", None, up, {"CARACAL_ALLOW_DATA_LOSS": "true"}),
    ):
        write_catalog(catalog, count if retention else 0, retention=retention or "7d")
        repeats = REPEATS if what == "preview" else 1
        runs[what] = median([_settled(settled, partial(pulumi, stack, *args, env=env)) for _ in range(repeats)])
        progress(count, stack, what, runs[what])
    return runs


def _settled(settled: Callable[[], float], run: Callable[[], Item]) -> Item:
    settled()
    return run()


def measure(stack: Stack, catalog: Path, external: Stack, external_catalog: Path, count: int) -> Row:
    row = Row(count)
    settled = quiet(stack)
    row.runs = catalog_runs(stack, catalog, count, settled)
    row.external = catalog_runs(external, external_catalog, count, settled)
    outputs = stack.outputs()
    admin = outputs["clientConfigs"]["admin"]
    row.floors, floor_notes = floors.kafka_floors(admin["kafka"], count, settled=settled)
    row.notes += floor_notes
    row.empty = empty_program_seconds(stack)
    # Printed now: a peer failing after this loses none of them.
    measured = ", ".join(f"{what} {seconds:.2f} s" for what, seconds in row.floors.items())
    empty = ", ".join(f"{what} {seconds:.1f} s" for what, seconds in row.empty.items())
    print(f"N={count} floors: {measured}; empty program: {empty}", flush=True)
    names = [f"bench.topic-{index:05d}" for index in range(count)]
    document = jikkou.resources(names, JIKKOU_PRINCIPAL, floors.TOPIC_CONFIG)
    try:
        for mode in ("apply", "diff"):
            try:
                repeats = REPEATS if mode == "diff" else 1
                run_once = partial(jikkou.run, mode, admin["properties"], document)
                result = _median_result([_settled(settled, run_once) for _ in range(repeats)])
            except RuntimeError as failed:
                # The peer failing is a finding to print, not a reason to lose the figures measured so far.
                lines = str(failed).splitlines()
                row.notes.append(f"Jikkou {mode} failed: {(lines[1] if len(lines) > 1 else lines[0])[:300]}")
                result = None
            if result:
                row.peer[mode] = result["seconds"]
                row.peer_process[mode] = result["process_seconds"]
                if len(result["samples"]) > 1:
                    row.notes.append(f"Jikkou {mode}: median of {_samples(result['samples'])}")
                if result["failed"] or (mode == "diff" and result["changes"]):
                    row.notes.append(f"Jikkou {mode}: {result['failed']} failed, {result['changes']} changes")
            if mode == "apply":
                # The diff is timed on the complete set even where the apply left some of it undone.
                floors.ensure_present(admin["kafka"], names, JIKKOU_PRINCIPAL)
    except jikkou.Unavailable as missing:
        row.notes.append(str(missing))
    finally:
        floors.delete_everything_named(admin["kafka"], names, JIKKOU_PRINCIPAL)
    if count == SEED_WAY_AT:
        libs = next((Path.home() / ".cache" / "caracal-kafka" / "kafka").glob("*/libs"), None)
        if libs is None:
            row.notes.append("seed's way: no Kafka jars in ~/.cache/caracal-kafka/kafka")
        else:
            bootstrap = f"127.0.0.1:{BOOTSTRAP_PORT}"
            row.floors[SEED_WAY] = floors.seed_way_seconds(admin["properties"], bootstrap, libs, count)
            floors.delete_topics(admin["kafka"], count)
    return row


def _median_result(results: list[dict]) -> dict:
    """Jikkou's run of median API time, every API time in its "samples"."""
    middle = _middle(results, lambda result: result["seconds"])
    return {**middle, "samples": [result["seconds"] for result in results]}


def main(counts: list[int]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="caracal-bench-"))
    catalog = folder / "catalog.yaml"
    write_catalog(catalog, 0)
    ports = {"bootstrapPort": BOOTSTRAP_PORT, "registryPort": REGISTRY_PORT}
    external_catalog = folder / "external-catalog.yaml"
    write_catalog(external_catalog, 0)
    quorum = {"metadataQuorum": "kraft", "controllers": 1} if os.environ.get("CARACAL_BENCH_QUORUM") == "kraft" else {}
    stack = Stack.create("dev", "bench", folder / "project", catalog=str(catalog), **ports, **quorum)
    stack.purge()
    external: Stack | None = None
    rows: list[Row] = []
    try:
        started = stack.up()
        print(f"cluster up (no topics): {started.seconds:.1f} s", flush=True)
        external = external_stack(stack, folder / "external-project", external_catalog)
        for count in counts:
            row = measure(stack, catalog, external, external_catalog, count)
            rows.append(row)
            print(describe(row), flush=True)
    finally:
        try:
            if external is not None:
                external.destroy()
        finally:
            stack.destroy()
    print()
    print(table(rows))


def external_stack(cluster: Stack, workdir: Path, catalog: Path) -> Stack:
    """A `platform: external` stack managing `catalog` on `cluster`'s Kafka with its admin, the password set as
    a secret. Its catalog declares no subject, so it needs no registry."""
    outputs = cluster.outputs()
    admin = outputs["clientConfigs"]["admin"]["kafka"]
    stack = Stack.create(
        "dev",
        EXTERNAL_STACK,
        workdir,
        platform="external",
        externalBootstrapServers=outputs["bootstrapServers"],
        externalSaslMechanism="SCRAM-SHA-512",
        externalUsername=admin["sasl.username"],
        externalCaPem=outputs["caCertificate"],
        catalog=str(catalog),
    )
    stack.set_secret("externalPassword", admin["sasl.password"])
    stack.up()
    return stack


def describe(row: Row) -> str:
    runs = ", ".join(f"{what} {measured.seconds:.1f} s" for what, measured in row.runs.items())
    runs += "; external: " + ", ".join(f"{what} {measured.seconds:.1f} s" for what, measured in row.external.items())
    floor = ", ".join(f"{what} {seconds:.2f} s" for what, seconds in row.floors.items())
    empty = ", ".join(f"empty {what} {seconds:.1f} s" for what, seconds in row.empty.items())
    peer = ", ".join(
        f"Jikkou {what} {seconds:.1f} s (whole process {row.peer_process[what]:.1f} s)"
        for what, seconds in row.peer.items()
    )
    memory = f"engine {peak(row.runs, 'engine'):.0f} MB, provider host {peak(row.runs, 'provider host'):.0f} MB"
    return f"N={row.count}: {runs}; {memory}; floors: {floor}; {empty}; {peer}; {'; '.join(row.notes)}"


def _seconds(value: float | None) -> str:
    return f"{value:.1f} s" if value is not None else "failed"


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.2f}"


def table(rows: list[Row]) -> str:
    lines = [
        "| N topics + N ACLs | stack | up | per topic | preview --refresh | up, one change | remove all | "
        "engine peak | provider host peak | both |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for kind, runs in row.stacks():
            engine, host = peak(runs, "engine"), peak(runs, "provider host")
            lines.append(
                f"| {row.count} | {kind} | {runs['up'].seconds:.1f} s | {1000 * runs['up'].seconds / row.count:.0f} ms"
                f" | {runs['preview'].seconds:.1f} s | {runs['change one'].seconds:.1f} s | "
                f"{runs['remove'].seconds:.1f} s | {engine:.0f} MB | {host:.0f} MB | {engine + host:.0f} MB |"
            )
    lines += [
        "",
        "| N | CreateTopics + CreateAcls | DescribeConfigs (collector paused) | empty program up / preview | "
        "Jikkou apply / diff | Jikkou apply / diff, whole process | seed's way |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        create = row.floors["create topics"] + row.floors["create ACLs"]
        seed = row.floors.get(SEED_WAY)
        lines.append(
            f"| {row.count} | {row.floors['create topics']:.2f} + {row.floors['create ACLs']:.2f} = {create:.2f} s | "
            f"{row.floors['describe configs']:.2f} s ({row.floors[floors.DESCRIBE_PAUSED]:.2f} s) | "
            f"{row.empty['up']:.1f} / {row.empty['preview']:.1f} s | "
            + f"{_seconds(row.peer.get('apply'))} / {_seconds(row.peer.get('diff'))} | "
            + f"{_seconds(row.peer_process.get('apply'))} / {_seconds(row.peer_process.get('diff'))} | "
            + (f"{seed:.1f} s |" if seed else "- |")
        )
    lines += [
        "",
        "| N | stack | up / Jikkou apply | preview / Jikkou diff | preview / Jikkou diff, whole process | "
        "up / (Kafka floor + empty up) | preview / (describe floor + empty preview) | the same, collector paused | "
        "per-topic up vs previous N | up / seed's way |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    previous: Row | None = None
    for row in rows:
        floor_up = row.floors["create topics"] + row.floors["create ACLs"] + row.empty["up"]
        floor_preview = row.floors["describe configs"] + row.empty["preview"]
        paused_preview = row.floors[floors.DESCRIBE_PAUSED] + row.empty["preview"]
        earlier_rows = previous.stacks() if previous else row.stacks()
        for (kind, runs), (_, earlier) in zip(row.stacks(), earlier_rows, strict=True):
            up, preview = runs["up"].seconds, runs["preview"].seconds
            trend = _ratio(up / row.count, earlier["up"].seconds / previous.count) if previous else "-"
            lines.append(
                f"| {row.count} | {kind} | {_ratio(up, row.peer.get('apply'))} | "
                f"{_ratio(preview, row.peer.get('diff'))} | {_ratio(preview, row.peer_process.get('diff'))} | "
                f"{_ratio(up, floor_up)} | {_ratio(preview, floor_preview)} | {_ratio(preview, paused_preview)} | "
                f"{trend} | {_ratio(up, row.floors.get(SEED_WAY))} |"
            )
        previous = row
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 2000])
