"""An `up` killed while it adds a thousand topics and ACL bindings to the catalog: the next `up` (after the
recovery `make up` runs first) finds every topic the killed run made as the stack's own, makes the rest, and
leaves nothing foreign or orphaned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bench.topics import PRINCIPAL, write_catalog
from infra.scratch_stack import ROOT, Stack
from tests.e2e import clients
from tests.e2e.conftest import record, tear_down

COUNT = 1000


def bench_topics(admin) -> set[str]:
    return {name for name in admin.list_topics(timeout=30).topics if name.startswith("bench.topic-")}


def test_an_up_killed_while_adding_a_thousand_topics_converges_on_the_next_up(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-bulk")
    catalog = folder / "catalog.yaml"
    write_catalog(catalog, 0)
    stack = Stack.create(
        "dev", "e2e-bulk", folder / "project", catalog=str(catalog), bootstrapPort=59193, registryPort=58181
    )
    stack.purge()
    stack.up()
    outputs = stack.outputs()
    admin = clients.admin(outputs)

    write_catalog(catalog, COUNT)
    process = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack.name],
        cwd=stack.workdir,
        env=stack.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Kill it once Kafka has the first of the new topics: the state still records the catalog without them.
    deadline = time.monotonic() + 300
    while not bench_topics(admin):
        assert process.poll() is None and time.monotonic() < deadline, "up ended before it could be interrupted"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    made_before_the_kill = len(bench_topics(admin))

    started = time.monotonic()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "recover.py"), stack.name], cwd=stack.workdir, env=stack.env, check=True
    )
    run = stack.up(check=False)
    record(f"up after an up killed with {made_before_the_kill} of {COUNT} topics made", time.monotonic() - started)
    assert run.returncode == 0, "\n".join(line for line in run.output.splitlines() if "error" in line.lower())[-3000:]
    assert len(bench_topics(admin)) == COUNT
    bindings = clients.acl_bindings(admin, PRINCIPAL)
    assert len(bindings) == COUNT
    assert stack.preview("--expect-no-changes").returncode == 0

    # Removing them from the catalog removes every one the stack made (empty: no data lost), the killed run's too.
    write_catalog(catalog, 0)
    stack.up()
    assert bench_topics(admin) == set()
    assert clients.acl_bindings(admin, PRINCIPAL) == []
    tear_down(stack)
