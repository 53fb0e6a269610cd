"""An `up` killed halfway leaves things created but unrecorded; the next `up` adopts them and converges, with
nothing orphaned, and `destroy` then removes everything."""

from __future__ import annotations

import json
import subprocess
import time

from infra.scratch_stack import Stack
from tests.e2e.conftest import end_leftovers, interrupt_up, record, tear_down


def recorded_ids(stack: Stack) -> set[str]:
    state = json.loads(stack.export())
    return {resource.get("id", "") for resource in state["deployment"]["resources"]}


def container_id(name: str) -> str:
    inspected = subprocess.run(["docker", "inspect", "-f", "{{.Id}}", name], capture_output=True, text=True, check=True)
    return inspected.stdout.strip()


def test_an_up_killed_halfway_converges_on_the_next_up_with_nothing_orphaned(tmp_path_factory):
    stack = Stack.create("dev", "e2e-int", tmp_path_factory.mktemp("e2e-int"), bootstrapPort=59093, registryPort=58081)
    stack.purge()
    # Killed while the broker container is being created and started: Docker has it, the state does not yet.
    broker = f"caracal-{stack.name}-kafka-0"
    leftovers = interrupt_up(stack, lambda: broker in stack.containers())
    # The kill came in that window: the state records ZooKeeper's container (made before the broker's) and not the
    # broker's, which Docker has.
    at_the_kill = recorded_ids(stack)
    assert container_id(f"caracal-{stack.name}-zookeeper-0") in at_the_kill
    assert container_id(broker) not in at_the_kill

    started = time.monotonic()
    assert stack.recover() == 0
    stack.up()
    record("up after an interrupted up (recover + up)", time.monotonic() - started)
    assert stack.preview("--expect-no-changes").returncode == 0

    # Every container, volume and network of the stack is one the state knows.
    ids = recorded_ids(stack)
    names = stack.containers()
    assert len(names) == 4, names  # ZooKeeper, Kafka, the registry and its proxy
    for name in names:
        assert container_id(name) in ids, f"{name} is not in the state"
    objects = stack.docker_objects()
    assert objects["volumes"] and set(objects["volumes"]) <= ids
    assert objects["networks"] and set(objects["networks"]) <= ids
    tear_down(stack)
    end_leftovers(leftovers)
