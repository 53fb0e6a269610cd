"""The ZooKeeper-to-KRaft migration as stack settings: where a running stack stands (read from its nodes), which
step an `up` may take from there, and the settings that go with the key. Refusals name the key, the value, why
and what is allowed."""

from __future__ import annotations

import pytest

from components.rules import migration_phase as phase
from components.rules.migration_phase import Observed
from components.rules.stack_settings import SettingsError
from tests.unit.harness import settings_for

ZK, MIG, KR = phase.BROKER_ZOOKEEPER, phase.BROKER_MIGRATING, phase.BROKER_KRAFT
C_MIG, C_KR = phase.CONTROLLER_MIGRATING, phase.CONTROLLER_KRAFT


@pytest.mark.parametrize(
    "brokers, controllers, ensemble, copied, expected",
    [
        ([ZK, ZK, ZK], [], 3, False, ("", "")),
        ([ZK, ZK, ZK], [C_MIG] * 3, 3, False, ("controllers", "controllers")),
        ([MIG, ZK, ZK], [C_MIG] * 3, 3, False, ("controllers", "hybrid")),
        # Every broker in migration mode, but Kafka has not recorded the copy: hybrid is not complete.
        ([MIG, MIG, MIG], [C_MIG] * 3, 3, False, ("controllers", "hybrid")),
        ([MIG, MIG, MIG], [C_MIG] * 3, 3, True, ("hybrid", "hybrid")),
        ([KR, MIG, MIG], [C_MIG] * 3, 3, True, ("hybrid", "dual-write")),
        ([KR, KR, KR], [C_MIG] * 3, 3, True, ("dual-write", "dual-write")),
        # One controller left ZooKeeper: finalize is under way, and there is no way back from it.
        ([KR, KR, KR], [C_KR, C_MIG, C_MIG], 3, True, ("dual-write", "finalize")),
        ([KR, KR, KR], [C_KR] * 3, 3, False, ("dual-write", "finalize")),
        ([KR, KR, KR], [C_KR] * 3, 0, False, ("finalize", "finalize")),
    ],
)
def test_the_phase_is_read_from_what_each_node_runs(brokers, controllers, ensemble, copied, expected):
    observed = phase.observe(brokers, controllers, ensemble, copied)
    assert (observed.done, observed.reached) == expected


def at(done: str, reached: str | None = None) -> Observed:
    return Observed(done, done if reached is None else reached)


@pytest.mark.parametrize(
    "observed, wanted",
    [
        (at(""), ""),
        (at(""), "controllers"),
        (at("controllers"), "controllers"),
        (at("controllers"), "hybrid"),
        (at("controllers"), ""),
        (at("controllers", "hybrid"), "hybrid"),
        (at("controllers", "hybrid"), "controllers"),
        (at("hybrid"), "dual-write"),
        (at("hybrid"), ""),
        (at("dual-write"), "finalize"),
        (at("dual-write"), "hybrid"),
        (at("dual-write", "finalize"), "finalize"),
        (at("finalize"), "finalize"),
    ],
)
def test_allowed_steps(observed, wanted):
    assert phase.step_refusal(observed, wanted) is None


@pytest.mark.parametrize(
    "observed, wanted, says",
    [
        (at(""), "hybrid", "the cluster completed no step; run the step 'controllers' first"),
        (at(""), "finalize", "run the step 'controllers' first"),
        (at("controllers"), "dual-write", "the cluster completed 'controllers'; run the step 'hybrid' first"),
        (at("hybrid"), "finalize", "run the step 'dual-write' first"),
        (
            at("controllers", "hybrid"),
            "dual-write",
            "completed 'controllers' and is part way through 'hybrid'; run the step 'hybrid' first",
        ),
        (at("dual-write"), "controllers", "the way back from here is 'hybrid'"),
        (at("dual-write"), "", "the way back from here is 'hybrid'"),
        # Kafka's rollback from hybrid removes the controllers: their copy of the metadata would go stale.
        (at("hybrid"), "controllers", "the way back from here is empty (metadataMigration unset, controllers 0)"),
    ],
)
def test_a_skipped_step_is_refused_naming_the_step_to_run_first(observed, wanted, says):
    refusal = phase.step_refusal(observed, wanted)
    assert refusal.startswith(f"metadataMigration = {wanted!r}: not allowed now: ")
    assert says in refusal
    assert "Allowed: " in refusal


@pytest.mark.parametrize("wanted", ["", "controllers", "hybrid", "dual-write"])
@pytest.mark.parametrize("observed", [at("dual-write", "finalize"), at("finalize")])
def test_going_back_after_finalize_is_refused_with_the_reason(observed, wanted):
    refusal = phase.step_refusal(observed, wanted)
    assert refusal.startswith(f"metadataMigration = {wanted!r}: not allowed now: the migration was finalized")
    assert "Kafka cannot go back" in refusal
    assert "Allowed: 'finalize', or metadataQuorum = kraft without metadataMigration" in refusal


@pytest.mark.parametrize(
    "observed, wanted, expected",
    [
        (at("controllers"), "", True),
        (at("hybrid"), "", True),
        (at("controllers", "hybrid"), "controllers", False),
        (at("dual-write"), "hybrid", False),
        (at("hybrid"), "hybrid", False),
    ],
)
def test_the_controllers_go_before_the_brokers_roll_back_from_controllers_or_hybrid(observed, wanted, expected):
    assert phase.rolls_back_controllers(observed, wanted) is expected


def test_preview_says_where_the_cluster_stands_and_what_the_step_restarts():
    assert phase.preview_line(at("controllers"), "hybrid") == (
        "ZooKeeper-to-KRaft migration: the cluster completed 'controllers'; this `up` runs 'hybrid': rolls the "
        "brokers one at a time into migration mode; Kafka then copies the metadata to the controllers"
    )
    assert "goes back from 'dual-write': rolls the brokers back into migration mode" in phase.preview_line(
        at("dual-write"), "hybrid"
    )
    assert phase.preview_line(at("hybrid"), "hybrid").endswith("this step makes no change")


def problems(**overrides) -> list[str]:
    with pytest.raises(SettingsError) as refused:
        settings_for("prod", **overrides)
    return refused.value.problems


@pytest.mark.parametrize("step", phase.STEPS)
def test_a_zookeeper_stack_with_controllers_takes_each_step(step):
    settings = settings_for("prod", metadataMigration=step, controllers=3)
    assert settings.metadata_migration == step
    assert settings.migrating == (step != "finalize")
    assert settings.ensemble == (0 if step == "finalize" else 3)


def test_an_unknown_step_is_refused_listing_the_steps_in_order():
    problem = problems(metadataMigration="kraft", controllers=3)[0]
    assert problem == (
        "caracal-kafka:metadataMigration = 'kraft': not allowed; allowed: empty, or one of controllers, hybrid, "
        "dual-write, finalize (in this order, one step per `up`)"
    )


@pytest.mark.parametrize("controllers", [0, 2])
def test_a_step_needs_an_odd_controller_count(controllers):
    [problem] = problems(metadataMigration="controllers", controllers=controllers)
    assert problem.startswith(f"caracal-kafka:controllers = {controllers}: not allowed; allowed: an odd count")
    assert "while metadataMigration is set" in problem


def test_controllers_without_the_key_are_refused_on_a_zookeeper_stack():
    [problem] = problems(controllers=3)
    assert problem.startswith("caracal-kafka:controllers = 3: not allowed; allowed: 0 with metadataQuorum")
    assert "or an odd count while metadataMigration is set" in problem


def test_a_kraft_stack_takes_only_finalize_or_no_key():
    settings = settings_for("dev", metadataQuorum="kraft", controllers=1, metadataMigration="finalize")
    assert (settings.finalized, settings.migrating, settings.ensemble) == (True, False, 0)
    [problem] = problems(metadataQuorum="kraft", controllers=3, zookeeperNodes=1, metadataMigration="dual-write")
    assert problem == (
        "caracal-kafka:metadataMigration = 'dual-write': not allowed; allowed: empty or 'finalize' with "
        "metadataQuorum = kraft"
    )


@pytest.mark.parametrize(
    "waiting, restarted, healthy, expected",
    [
        (set(), set(), {9000: True, 9001: True, 9002: True}, None),
        ({9001}, set(), {9000: True, 9001: False, 9002: True}, 9001),
        ({9002, 9001}, set(), {9000: True, 9001: True, 9002: True}, 9001),
        # The first is back and healthy: the next one waiting goes.
        ({9001, 9002}, {9001}, {9000: True, 9001: True, 9002: True}, 9002),
        # Another controller is not healthy (still starting, or down): nothing restarts until it is back.
        ({9002}, {9001}, {9000: True, 9001: False, 9002: True}, None),
        ({9001, 9002}, set(), {9000: False, 9001: True, 9002: True}, None),
        # Each controller is restarted once at most.
        ({9001}, {9001}, {9000: True, 9001: True, 9002: True}, None),
    ],
)
def test_the_migration_restarts_one_unregistered_controller_at_a_time(waiting, restarted, healthy, expected):
    assert phase.controller_to_restart(waiting, restarted, healthy) == expected
