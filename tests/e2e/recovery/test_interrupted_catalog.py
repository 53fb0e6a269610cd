"""An `up` killed while it adds a thousand topics and ACL bindings to the catalog: the next `up` (after the
recovery `make up` runs first) finds every topic the killed run made as the stack's own, makes the rest, and
leaves nothing foreign or orphaned."""

from __future__ import annotations

import json
import time
from pathlib import Path

from bench.topics import PRINCIPAL, write_catalog
from components.rules.names import TOPIC_SET, dynamic_token
from infra.scratch_stack import Stack
from tests.e2e import clients
from tests.e2e.conftest import end_leftovers, interrupt_up, record, tear_down

COUNT = 1000


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def bench_topics(admin) -> set[str]:
    return {name for name in admin.list_topics(timeout=30).topics if name.startswith("bench.topic-")}


def recorded_topic_sets(stack: Stack) -> list[str]:
    """The topic sets as the state records them (inputs and outputs), one JSON text each."""
    state = json.loads(stack.export())
    return [
        json.dumps([resource.get("inputs"), resource.get("outputs")])
        for resource in state["deployment"]["resources"]
        if resource["type"] == dynamic_token(TOPIC_SET)
    ]


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
    # Killed once Kafka has the first of the new topics: the state still records the catalog without them.
    leftovers = interrupt_up(stack, lambda: bool(bench_topics(admin)))
    # The dynamic-provider host outlives the engine, and would go on applying (and undoing) the killed change:
    # it stops by itself once the engine is gone, before the next run starts.
    hosts = [pid for pid, command in leftovers.items() if "pulumi.dynamic" in command]
    assert hosts
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and not zombie(pid) for pid in hosts) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() and not zombie(pid) for pid in hosts), "the provider host went on"
    # The kill came in that window: some of the new topics made, not all, and none of them in the state.
    made_before_the_kill = len(bench_topics(admin))
    assert 0 < made_before_the_kill < COUNT, made_before_the_kill
    recorded = recorded_topic_sets(stack)
    assert recorded and not any("bench.topic-" in text for text in recorded), "the state records new topics"

    started = time.monotonic()
    assert stack.recover() == 0
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
    end_leftovers(leftovers)
