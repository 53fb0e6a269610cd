"""What changes of a live production cluster cost an application, on a real cluster.

Brings up a bench stack (the prod topology: 3 ZooKeeper nodes, 3 brokers, on ports of its own) and applies, in
order, a retention change, a heap change, a certificate renewal, a CA rotation (three `up`s) and another build of
the Kafka image, each with an application producing (acks=all) and consuming all along. Prints one row per change:
failed sends, acknowledged records lost, most brokers down at once, the longest wait between two acknowledgements
(target: under 5 s), the `up` wall time and the containers replaced. Then destroys the stack.

With `--from REF` the stack is first made by the program of an earlier commit, and the first change measured is
the upgrade itself: the `up` of this checkout's program over that stack, under the same traffic. With `--kraft`
the stack runs on KRaft (3 dedicated controllers instead of the ZooKeeper ensemble), and the heap change is the
controllers' too, so that every kind of node rolls.

    python -m bench.rolls [--from REF] [--kraft] [retention heap certificates ca image]     (from the project folder)
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The same real-stack driver and traffic recorder the end-to-end tests use.
from components.rules import kafka_release
from infra.scratch_stack import ROOT, Stack, release_program
from tests.e2e.rolls import changes
from tests.e2e.rolls.changes import CA, CERTIFICATES, HEAP, IMAGE, RETENTION, Change

BY_NAME = {"retention": RETENTION, "heap": HEAP, "certificates": CERTIFICATES, "ca": CA, "image": IMAGE}
TARGET_GAP_S = 5.0
KRAFT = {"metadataQuorum": "kraft", "controllers": "3", "zookeeperNodes": "1"}
# On KRaft the heap change rolls the controllers after the brokers, as one `up`.
KRAFT_HEAP = Change(
    "brokerHeapMb 768 -> 640, controllerHeapMb 384 -> 320", ({**HEAP.steps[0], "controllerHeapMb": "320"},)
)


@dataclass
class Row:
    change: str
    failed: int = 0
    lost: int = 0
    brokers_down: int = 0
    quorum_down: int = 0
    longest_gap_s: float = 0.0
    up_s: float = 0.0
    replaced: int = 0
    error: str = ""

    def cells(self) -> str:
        gap = f"{self.longest_gap_s:.1f}" + ("" if self.longest_gap_s < TARGET_GAP_S else " !")
        return (
            f"{self.change:38} {self.failed:>7} {self.lost:>5} {self.brokers_down:>13} {self.quorum_down:>12}"
            f" {gap:>15} {self.up_s:>7.1f} {self.replaced:>9}  {self.error}"
        )


HEADER = (
    f"{'change':38} {'failed':>7} {'lost':>5} {'brokers down':>13} {'quorum down':>12} {'ack gap (s)':>15}"
    f" {'up (s)':>7} {'replaced':>9}"
)


def measure(stack: Stack, change: Change) -> Row:
    """Every step of the change; a change of several `up`s adds up its figures (the worst gap, all replacements)."""
    row = Row(change.name)
    before = dict(stack.config)
    for settings in change.steps:
        try:
            applied = changes.apply(stack, settings)
        except AssertionError as error:  # the `up` itself failed
            output = stack.workdir / f"failed-{len(list(stack.workdir.glob('failed-*')))}.log"
            output.write_text(str(error))
            row.error = f"up of {settings} failed ({output}): {first_error(str(error))}"
            restore(stack, before)
            return row
        report = applied.report
        row.failed += report.failed
        row.lost += report.lost
        row.brokers_down = max(row.brokers_down, report.max_brokers_down)
        row.quorum_down = max(row.quorum_down, report.max_zookeeper_down, report.max_controllers_down)
        row.longest_gap_s = max(row.longest_gap_s, report.longest_ack_gap_s)
        row.up_s += applied.up_seconds
        row.replaced += len(report.replaced)
        print(f"  {settings}: {report.summary()}", flush=True)
    return row


def first_error(output: str) -> str:
    """Pulumi's first `error:` line of a resource (the stack's own says only "update failed"), else the last line
    said."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    telling = [line for line in errors if line != "error: update failed"]
    return (telling or errors or lines[-1:] or [""])[0][:600]


def restore(stack: Stack, config: dict) -> None:
    """The config as it was before a change the program refused, so that the next change is measured alone."""
    stack.config.clear()
    stack.config.update(config)
    # Setting any key writes the whole config back to the stack file.
    stack.set_config("retentionDays", stack.setting("retentionDays"))


def main(selected: list[Change], release: str | None = None, quorum: dict[str, str] | None = None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="caracal-bench-roll-"))
    # Ports apart from a prod stack the user may run and from the end-to-end tests' stacks.
    # The image this checkout builds, named: an earlier release's default tag may not be built any more.
    image = kafka_release.parse(kafka_release.DEFAULT).image
    stack = Stack.create(
        "prod", "bench-roll", folder / "project", bootstrapPort=46093, registryPort=46081, prometheusPort=46090,
        kafkaImage=image, **(quorum or {}),
    )  # fmt: skip
    stack.purge()
    rows = []
    try:
        if release:
            stack.use_program(release_program(release, folder / "release"))
        print(f"prod cluster up{f' by {release}' if release else ''}: {stack.up().seconds:.1f} s", flush=True)
        if release:
            stack.use_program(ROOT)
            # As `make up` does first: a state of an earlier layout is rewritten.
            assert stack.recover() == 0, "scripts/recover.py failed"
            upgrade = Change(f"program {release[:12]} -> this checkout", ({},))
            print(f"{upgrade.name}:", flush=True)
            rows.append(measure(stack, upgrade))
            print(rows[-1].cells(), flush=True)
        for change in selected:
            if change is IMAGE:
                changes.build_rebuilt_image()
            print(f"{change.name}:", flush=True)
            rows.append(measure(stack, change))
            print(rows[-1].cells(), flush=True)
    finally:
        stack.destroy()
        changes.remove_image(changes.REBUILT_IMAGE)
    print()
    print(HEADER)
    for row in rows:
        print(row.cells())


if __name__ == "__main__":
    arguments = sys.argv[1:]
    release = None
    if arguments[:1] == ["--from"]:
        release, arguments = arguments[1], arguments[2:]
    kraft = "--kraft" in arguments
    arguments = [argument for argument in arguments if argument != "--kraft"]
    by_name = {**BY_NAME, "heap": KRAFT_HEAP} if kraft else BY_NAME
    # With an earlier release, the upgrade alone unless changes are named after it.
    chosen = [by_name[name] for name in arguments] or ([] if release else list(by_name.values()))
    main(chosen, release, KRAFT if kraft else None)
