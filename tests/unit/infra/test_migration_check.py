"""The migration step of an `up`, checked against what runs before any resource is registered: a skipped step
is refused as a bad setting is, the way back from hybrid stops the controllers first, and a stack that runs no
broker has nothing to migrate."""

from __future__ import annotations

import pytest

from components.clients import migration_facts
from components.rules.migration_phase import MigrationRun, Observed
from components.rules.roll import RollPlan
from components.rules.stack_settings import SettingsError
from infra.migration_check import check_migration_step
from tests.unit.harness import settings_for

RUNNING = RollPlan(True, (0, 1, 2), (0, 1, 2), {}, (0, 1, 2), running_quorum=(3, 3))


@pytest.fixture
def cluster(monkeypatch):
    """The running cluster as the facts client would read it: set `standing` to where it stands."""
    state = {"standing": Observed("", "")}
    monkeypatch.setattr(migration_facts, "observe", lambda *_: state["standing"])
    monkeypatch.setattr(migration_facts, "cluster_id", lambda *_: "Q1fYq3yWTaGq2s2M7h1NhA")
    return state


def test_a_skipped_step_is_refused_before_any_resource(cluster):
    cluster["standing"] = Observed("controllers", "controllers")
    with pytest.raises(SettingsError) as refused:
        check_migration_step(settings_for("prod", controllers=3, metadataMigration="dual-write"), RUNNING)
    [problem] = refused.value.problems
    assert problem.startswith("caracal-kafka:metadataMigration = 'dual-write': not allowed now:")
    assert "run the step 'hybrid' first" in problem


def test_the_next_step_runs_with_the_running_cluster_id(cluster):
    cluster["standing"] = Observed("controllers", "controllers")
    run = check_migration_step(settings_for("prod", controllers=3, metadataMigration="hybrid"), RUNNING)
    assert run == MigrationRun("Q1fYq3yWTaGq2s2M7h1NhA", 0)


def test_the_way_back_from_hybrid_stops_the_running_controllers_first(cluster):
    cluster["standing"] = Observed("hybrid", "hybrid")
    assert check_migration_step(settings_for("prod"), RUNNING) == MigrationRun(None, 3)


def test_a_stack_that_runs_no_broker_has_nothing_to_migrate(cluster):
    with pytest.raises(SettingsError) as refused:
        check_migration_step(settings_for("prod", controllers=3, metadataMigration="controllers"), RollPlan.fresh(3, 3))
    assert "runs no broker to migrate" in refused.value.problems[0]


def test_a_zookeeper_stack_without_controllers_is_not_looked_at(cluster, monkeypatch):
    monkeypatch.setattr(migration_facts, "observe", lambda *_: pytest.fail("read what runs"))
    plan = RollPlan(True, (0, 1, 2), (0, 1, 2), {}, (), running_quorum=(3, 0))
    assert check_migration_step(settings_for("prod"), plan) == MigrationRun()
