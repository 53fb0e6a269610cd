"""How the program scales with the number of topics and ACL bindings, beside what Kafka itself allows and a peer.

One bench stack (the dev topology on ports of its own, 127.0.0.1 only) is brought up once; then, for each N:
  - `pulumi up` adding N topics (1 partition each) and N ACL bindings, as `make up` runs it (refresh first),
  - a no-op `pulumi preview --refresh` (every topic and binding read back and diffed),
  - an `up` that changes one topic's config,
  - the removal of all N topics and bindings (an `up` with them gone from the catalog, data loss allowed as
    `make down` allows it), what `destroy` does to them,
  - the peak memory of the engine and of the dynamic-provider host during those runs,
  - the floors on the same cluster: one CreateTopics (every topic led), DescribeConfigs and CreateAcls request
    for all N, and an empty Pulumi program's `preview` and `up` on the same backend,
  - Jikkou 0.34 applying and diffing the same topics and bindings (bench/jikkou.py),
and, at N = 100 only, the seed's way: one kafka-topics.sh process per topic. Then the stack is destroyed.
Figures are printed, not judged: the machine may be shared, so compare ratios within one run.

    python -m bench.topics [N ...]        (make bench / scripts/bench.sh; default 100 1000 2000)
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench import floors, jikkou
from bench.empty_program import empty_program_seconds
from bench.processes import Measured, run
from infra.scratch_stack import ROOT, Stack

# Ports of the bench stack: clear of the dev (19093/18081), prod and test stacks.
BOOTSTRAP_PORT = 52093
REGISTRY_PORT = 52081
PRINCIPAL = "User:bench"
SEED_WAY_AT = 100
SEED_WAY = "seed's way"
JIKKOU_PRINCIPAL = "User:jikkou-bench"


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
    floors: dict[str, float] = field(default_factory=dict)
    empty: dict[str, float] = field(default_factory=dict)
    peer: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def seconds(self, what: str) -> float:
        return self.runs[what].seconds

    def peak(self, kind: str) -> float:
        return max((measured.peak_mb.get(kind, 0.0) for measured in self.runs.values()), default=0.0)


def pulumi(stack: Stack, *args: str, env: dict[str, str] | None = None) -> Measured:
    command = ["pulumi", *args, "--non-interactive", "--stack", stack.name]
    measured = run(command, stack.workdir, {**stack.env, **(env or {})})
    if measured.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({measured.returncode}):\n{measured.output[-6000:]}")
    return measured


def progress(row: Row, what: str) -> None:
    measured = row.runs[what]
    memory = ", ".join(f"{kind} {megabytes:.0f} MB" for kind, megabytes in sorted(measured.peak_mb.items()))
    print(f"N={row.count} {what}: {measured.seconds:.1f} s ({memory})", flush=True)


def measure(stack: Stack, catalog: Path, count: int) -> Row:
    row = Row(count)
    up = ("up", "--yes", "--skip-preview", "--refresh")
    write_catalog(catalog, count)
    row.runs["up"] = pulumi(stack, *up)
    progress(row, "up")
    row.runs["preview"] = pulumi(stack, "preview", "--refresh", "--expect-no-changes")
    progress(row, "preview")
    write_catalog(catalog, count, retention="8d")
    row.runs["change one"] = pulumi(stack, *up)
    progress(row, "change one")
    write_catalog(catalog, 0)
    row.runs["remove"] = pulumi(stack, *up, env={"CARACAL_ALLOW_DATA_LOSS": "true"})
    progress(row, "remove")
    outputs = stack.outputs()
    admin = outputs["clientConfigs"]["admin"]
    row.floors = floors.kafka_floors(admin["kafka"], count)
    row.empty = empty_program_seconds(stack)
    names = [f"bench.topic-{index:05d}" for index in range(count)]
    document = jikkou.resources(names, JIKKOU_PRINCIPAL)
    try:
        for mode in ("apply", "diff"):
            try:
                result = jikkou.run(mode, admin["properties"], document)
            except RuntimeError as failed:
                # The peer failing is a finding to print, not a reason to lose the figures measured so far.
                lines = str(failed).splitlines()
                row.notes.append(f"Jikkou {mode} failed: {(lines[1] if len(lines) > 1 else lines[0])[:300]}")
                result = None
            if result:
                row.peer[mode] = result["seconds"]
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


def main(counts: list[int]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="caracal-bench-"))
    catalog = folder / "catalog.yaml"
    write_catalog(catalog, 0)
    ports = {"bootstrapPort": BOOTSTRAP_PORT, "registryPort": REGISTRY_PORT}
    stack = Stack.create("dev", "bench", folder / "project", catalog=str(catalog), **ports)
    stack.purge()
    rows: list[Row] = []
    try:
        started = stack.up()
        print(f"cluster up (no topics): {started.seconds:.1f} s", flush=True)
        for count in counts:
            row = measure(stack, catalog, count)
            rows.append(row)
            print(describe(row), flush=True)
    finally:
        stack.destroy()
    print()
    print(table(rows))


def describe(row: Row) -> str:
    runs = ", ".join(f"{what} {measured.seconds:.1f} s" for what, measured in row.runs.items())
    floor = ", ".join(f"{what} {seconds:.2f} s" for what, seconds in row.floors.items())
    empty = ", ".join(f"empty {what} {seconds:.1f} s" for what, seconds in row.empty.items())
    peer = ", ".join(f"Jikkou {what} {seconds:.1f} s" for what, seconds in row.peer.items())
    memory = f"engine {row.peak('engine'):.0f} MB, provider host {row.peak('provider host'):.0f} MB"
    return f"N={row.count}: {runs}; {memory}; floors: {floor}; {empty}; {peer}; {'; '.join(row.notes)}"


def _seconds(value: float | None) -> str:
    return f"{value:.1f} s" if value is not None else "failed"


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.2f}"


def table(rows: list[Row]) -> str:
    lines = [
        "| N topics + N ACLs | up | per topic | preview --refresh | up, one change | remove all | "
        "engine peak | provider host peak | both |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.count} | {row.seconds('up'):.1f} s | {1000 * row.seconds('up') / row.count:.0f} ms | "
            f"{row.seconds('preview'):.1f} s | {row.seconds('change one'):.1f} s | {row.seconds('remove'):.1f} s | "
            f"{row.peak('engine'):.0f} MB | {row.peak('provider host'):.0f} MB | "
            f"{row.peak('engine') + row.peak('provider host'):.0f} MB |"
        )
    lines += [
        "",
        "| N | CreateTopics + CreateAcls | DescribeConfigs | empty program up / preview | Jikkou apply / diff | "
        "seed's way |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        create = row.floors["create topics"] + row.floors["create ACLs"]
        seed = row.floors.get(SEED_WAY)
        lines.append(
            f"| {row.count} | {row.floors['create topics']:.2f} + {row.floors['create ACLs']:.2f} = {create:.2f} s | "
            f"{row.floors['describe configs']:.2f} s | {row.empty['up']:.1f} / {row.empty['preview']:.1f} s | "
            + f"{_seconds(row.peer.get('apply'))} / {_seconds(row.peer.get('diff'))} | "
            + (f"{seed:.1f} s |" if seed else "- |")
        )
    lines += [
        "",
        "| N | up / Jikkou apply | preview / Jikkou diff | up / (Kafka floor + empty up) | "
        "preview / (describe floor + empty preview) | per-topic up vs previous N | up / seed's way |",
        "|---|---|---|---|---|---|---|",
    ]
    previous: Row | None = None
    for row in rows:
        floor_up = row.floors["create topics"] + row.floors["create ACLs"] + row.empty["up"]
        floor_preview = row.floors["describe configs"] + row.empty["preview"]
        per_topic = row.seconds("up") / row.count
        trend = _ratio(per_topic, previous.seconds("up") / previous.count) if previous else "-"
        lines.append(
            f"| {row.count} | {_ratio(row.seconds('up'), row.peer.get('apply'))} | "
            f"{_ratio(row.seconds('preview'), row.peer.get('diff'))} | {_ratio(row.seconds('up'), floor_up)} | "
            f"{_ratio(row.seconds('preview'), floor_preview)} | {trend} | "
            f"{_ratio(row.seconds('up'), row.floors.get(SEED_WAY))} |"
        )
        previous = row
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 2000])
