"""The roll plan read from what runs: nothing running means every node starts at once; otherwise stopped or
unhealthy brokers first, the controller last, ZooKeeper's leader last."""

from __future__ import annotations

import pytest

from components.clients import running_platform
from components.rules.roll import RollPlan


@pytest.fixture
def host(monkeypatch):
    """A Docker host whose `docker ps` lists `state["ps"]`; ZooKeeper modes and the controller as given."""
    state = {"ps": "", "modes": {}, "controller": None}
    monkeypatch.setattr(running_platform, "_docker", lambda *args: state["ps"])
    monkeypatch.setattr(running_platform.zookeeper_probe, "mode", lambda name: state["modes"].get(name))
    monkeypatch.setattr(running_platform, "controller", lambda prefix, servers, up: state["controller"])
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


def test_docker_not_answering_is_an_error_not_a_guess(monkeypatch):
    def failing(*args):
        raise running_platform.DockerUnavailable("docker ps: Cannot connect to the Docker daemon")

    monkeypatch.setattr(running_platform, "_docker", failing)
    with pytest.raises(running_platform.DockerUnavailable):
        running_platform.roll_plan("caracal-prod", "localhost:1", 3, 3)
