"""The roll plan read from what runs: nothing running means every node starts at once; otherwise stopped or
unhealthy brokers first, the controller last, ZooKeeper's leader last."""

from __future__ import annotations

import pytest

from components.clients import running_platform
from components.rules.roll import RollPlan


@pytest.fixture
def host(monkeypatch):
    """A Docker host whose `docker ps` lists `state["ps"]`; ZooKeeper modes and the controller as given."""
    state = {"ps": "", "modes": {}, "controller": None, "replicas": {}}
    monkeypatch.setattr(running_platform, "docker", lambda *args: state["ps"])
    monkeypatch.setattr(running_platform.zookeeper_probe, "mode", lambda name: state["modes"].get(name))
    monkeypatch.setattr(running_platform, "admin", lambda prefix, servers, up: "admin")
    monkeypatch.setattr(running_platform, "controller", lambda client: state["controller"])
    monkeypatch.setattr(
        running_platform, "replicas_on", lambda client, brokers: {b: state["replicas"].get(b, 0) for b in brokers}
    )
    return state


def ps(**status: str) -> str:
    return "".join(f"caracal-prod-{name.replace('_', '-')}\t{text}\n" for name, text in status.items())


def test_nothing_running_means_a_fresh_start(host):
    assert running_platform.roll_plan("caracal-prod", "localhost:1", 3, 3) == RollPlan.fresh(3, 3)


def test_a_running_cluster_rolls_unhealthy_brokers_first_and_the_controller_and_leader_last(host):
    host["ps"] = ps(
        kafka_0="Up 5 minutes (healthy)",
        kafka_1="Up 5 seconds (health: starting)",
        kafka_2="Up 5 minutes (healthy)",
        zookeeper_0="Up 9 minutes (healthy)",
        zookeeper_1="Up 9 minutes (healthy)",
    )
    host["modes"] = {"caracal-prod-zookeeper-0": "leader", "caracal-prod-zookeeper-1": "follower"}
    host["controller"] = 0
    plan = running_platform.roll_plan("caracal-prod", "localhost:1", 3, 3)
    # zookeeper-2 is not running: it comes back first.
    assert plan == RollPlan(True, (1, 2, 0), (2, 1, 0))


def test_a_broker_the_stack_adds_starts_after_every_existing_broker_the_controller_included(host):
    host["ps"] = ps(kafka_0="Up (healthy)", kafka_1="Up (healthy)", kafka_2="Up (healthy)")
    host["controller"] = 1
    plan = running_platform.roll_plan("caracal-prod", "localhost:1", 4, 1)
    assert plan.brokers == (0, 2, 1)
    assert plan.with_sizes(4, 1).brokers == (0, 2, 1, 3)


def test_a_member_whose_container_an_interrupted_up_removed_comes_back_first(host):
    # kafka-0 was being replaced when the `up` was killed; the recovery removed its half-made container. The
    # cluster still places replicas on broker 0: it is no broker the stack adds.
    host["ps"] = ps(kafka_1="Up (healthy)", kafka_2="Up (healthy)")
    host["controller"] = 2
    host["replicas"] = {0: 12, 1: 12, 2: 12}
    plan = running_platform.roll_plan("caracal-prod", "localhost:1", 3, 1)
    assert plan.brokers == (0, 1, 2)


def test_a_new_broker_without_replicas_still_starts_last(host):
    host["ps"] = ps(kafka_0="Up (healthy)", kafka_1="Up (healthy)", kafka_2="Up (healthy)")
    host["replicas"] = {0: 12, 1: 12, 2: 12}
    plan = running_platform.roll_plan("caracal-prod", "localhost:1", 4, 1)
    assert plan.with_sizes(4, 1).brokers == (0, 1, 2, 3)


def test_docker_not_answering_is_an_error_not_a_guess(monkeypatch):
    def failing(*args):
        raise running_platform.DockerUnavailable("docker ps: Cannot connect to the Docker daemon")

    monkeypatch.setattr(running_platform, "docker", failing)
    with pytest.raises(running_platform.DockerUnavailable):
        running_platform.roll_plan("caracal-prod", "localhost:1", 3, 3)


def test_a_running_broker_the_stack_no_longer_declares_is_refused_while_it_holds_replicas(host):
    host["ps"] = ps(kafka_0="Up (healthy)", kafka_1="Up (healthy)", kafka_2="Up (healthy)")
    host["replicas"] = {2: 17}
    plan = running_platform.roll_plan("caracal-prod", "localhost:1", 2, 1)
    assert plan.retiring == {2: 17}
    refusal = plan.removal_refusal(allow=False)
    assert refusal is not None and "kafka-2 (17 replicas)" in refusal and "allowBrokerRemoval: true" in refusal
    assert plan.removal_refusal(allow=True) is None
    host["replicas"] = {2: 0}
    assert running_platform.roll_plan("caracal-prod", "localhost:1", 2, 1).removal_refusal(allow=False) is None


def test_controllers_restart_not_serving_first_then_followers_the_active_one_last(monkeypatch):
    from components.rules.quorum_status import status

    roles = {"controller-0": "leader", "controller-1": None, "controller-2": "follower"}
    monkeypatch.setattr(running_platform.quorum_probe, "probe", lambda *args: status("kraft", roles, 3000))
    plan = running_platform.with_controllers(RollPlan(True, (0, 1, 2), ()), "caracal-prod", 3)
    assert plan.controllers == (1, 2, 0)
    assert running_platform.with_controllers(RollPlan(False, (0,), ()), "caracal-dev", 1).controllers == (0,)


class IdleClient:
    """An admin client with nothing queued: librdkafka's len() is 0, so the client is falsy."""

    def __len__(self) -> int:
        return 0


@pytest.mark.parametrize("read", ["roll", "quorum"])
def test_an_idle_client_still_names_the_controller(monkeypatch, read):
    from components.clients import quorum_probe

    monkeypatch.setattr(running_platform.cluster_health, "controller", lambda client: 2)
    monkeypatch.setattr(quorum_probe.zookeeper_probe, "mode", lambda name: "standalone")
    if read == "roll":
        assert running_platform.controller(IdleClient()) == 2
    else:
        assert quorum_probe.probe("caracal-dev", 1, 0, IdleClient()).active_controller == 2
