"""The roll plan the program reads at start: an `up` never guesses what runs, a preview may."""

from __future__ import annotations

import pulumi
import pytest

import infra.roll_plan
from components.clients.running_platform import DockerUnavailable
from components.rules.roll import RollPlan
from components.rules.stack_settings import SettingsError
from tests.unit.harness import settings_for


def _dry_run(monkeypatch, preview: bool) -> None:
    monkeypatch.setattr(pulumi.runtime, "is_dry_run", lambda: preview)


def _docker_down(*_args):
    raise DockerUnavailable("docker ps: Cannot connect to the Docker daemon")


def test_an_up_without_docker_stops_naming_the_stack(monkeypatch):
    _dry_run(monkeypatch, preview=False)
    monkeypatch.setattr(infra.roll_plan, "roll_plan", _docker_down)
    with pytest.raises(RuntimeError, match=r"cannot tell whether stack prod runs .*`up` needs Docker"):
        infra.roll_plan.read_roll_plan(settings_for("prod"))


def test_a_preview_without_docker_warns_and_plans_a_fresh_platform_of_the_stack_sizes(monkeypatch):
    warnings = []
    _dry_run(monkeypatch, preview=True)
    monkeypatch.setattr(infra.roll_plan, "roll_plan", _docker_down)
    monkeypatch.setattr(pulumi.log, "warn", warnings.append)
    plan = infra.roll_plan.read_roll_plan(settings_for("prod"))
    assert plan == RollPlan.fresh(3, 3)
    assert len(warnings) == 1 and "Docker did not answer" in warnings[0]


def test_the_plan_is_asked_for_the_stack_prefix_bootstrap_and_sizes(monkeypatch):
    asked = []
    running = RollPlan(True, (2, 0, 1), (1, 2, 0))
    _dry_run(monkeypatch, preview=False)
    monkeypatch.setattr(infra.roll_plan, "roll_plan", lambda *args: asked.append(args) or running)
    settings = settings_for("prod")
    assert infra.roll_plan.read_roll_plan(settings) is running
    prefix, bootstrap, brokers, nodes = asked[0]
    assert (prefix, brokers, nodes) == (settings.prefix, 3, 3)
    assert bootstrap.count(",") == 2 and str(settings.bootstrap_port) in bootstrap


@pytest.mark.parametrize("allow, refused", [(False, True), (True, False)])
def test_removing_brokers_that_hold_replicas_is_refused_unless_allowed(monkeypatch, allow, refused):
    running = RollPlan(True, (0, 1, 2), (0, 1, 2), retiring={3: 7})
    _dry_run(monkeypatch, preview=True)
    monkeypatch.setattr(infra.roll_plan, "roll_plan", lambda *_args: running)
    settings = settings_for("prod", allowBrokerRemoval=allow)
    if refused:
        with pytest.raises(SettingsError, match=r"brokers = 3: not allowed now: .*kafka-3 \(7 replicas\)"):
            infra.roll_plan.read_roll_plan(settings)
    else:
        assert infra.roll_plan.read_roll_plan(settings) is running


@pytest.mark.parametrize(
    "overrides, running_quorum, refused",
    [
        ({"metadataQuorum": "kraft", "controllers": 3, "zookeeperNodes": 1}, (3, 0), "metadataQuorum = kraft"),
        ({}, (0, 3), "metadataQuorum = zookeeper"),
        ({"metadataQuorum": "kraft", "controllers": 5, "zookeeperNodes": 1}, (0, 3), "controllers = 5"),
    ],
)
def test_a_running_stack_may_not_switch_its_quorum_or_its_controller_count(
    monkeypatch, overrides, running_quorum, refused
):
    running = RollPlan(True, (0, 1, 2), (0, 1, 2), running_quorum=running_quorum)
    _dry_run(monkeypatch, preview=True)
    monkeypatch.setattr(infra.roll_plan, "roll_plan", lambda *_args: running)
    monkeypatch.setattr(infra.roll_plan, "with_controllers", lambda plan, *_args: plan)
    with pytest.raises(SettingsError, match=rf"caracal-kafka:{refused}: not allowed now"):
        infra.roll_plan.read_roll_plan(settings_for("prod", **overrides))


def test_a_running_kraft_stack_restarts_its_controllers_in_the_quorums_order(monkeypatch):
    asked = []
    running = RollPlan(True, (0, 1, 2), (), running_quorum=(0, 3))
    _dry_run(monkeypatch, preview=False)
    monkeypatch.setattr(infra.roll_plan, "roll_plan", lambda *args: asked.append(args) or running)
    monkeypatch.setattr(
        infra.roll_plan, "with_controllers", lambda plan, prefix, count: RollPlan(True, plan.brokers, (), {}, (2, 0, 1))
    )
    plan = infra.roll_plan.read_roll_plan(settings_for("prod", metadataQuorum="kraft", controllers=3, zookeeperNodes=1))
    assert plan.controllers == (2, 0, 1)
    # A KRaft stack runs no ZooKeeper: the plan is asked for none.
    assert asked[0][3] == 0
