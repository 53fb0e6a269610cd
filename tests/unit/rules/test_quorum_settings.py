"""Which metadata quorum a stack runs: each kind's settings, refused at preview with the key, the value and what
is allowed; and the changes a running stack may not take."""

from __future__ import annotations

import pytest

from components.rules import quorum_settings
from components.rules.stack_settings import SettingsError
from tests.unit.harness import settings_for


def problems(stack: str = "dev", **overrides) -> list[str]:
    with pytest.raises(SettingsError) as refused:
        settings_for(stack, **overrides)
    return refused.value.problems


def test_zookeeper_is_the_default_and_runs_no_controllers():
    settings = settings_for("prod")
    assert (settings.metadata_quorum, settings.controllers, settings.ensemble, settings.kraft) == (
        "zookeeper",
        0,
        3,
        False,
    )


@pytest.mark.parametrize("controllers", [1, 3, 5])
def test_kraft_runs_an_odd_number_of_controllers_and_no_ensemble(controllers):
    settings = settings_for("dev", metadataQuorum="kraft", controllers=controllers)
    assert (settings.kraft, settings.controllers, settings.ensemble) == (True, controllers, 0)


@pytest.mark.parametrize("controllers", [0, 2, 4])
def test_kraft_with_an_even_or_zero_controller_count_is_refused(controllers):
    [problem] = problems(metadataQuorum="kraft", controllers=controllers)
    assert problem.startswith(f"caracal-kafka:controllers = {controllers}: not allowed; allowed: an odd count")


def test_an_unknown_kind_names_both_kinds():
    [problem] = problems(metadataQuorum="etcd")
    assert problem == "caracal-kafka:metadataQuorum = 'etcd': not allowed; allowed: zookeeper or kraft"


@pytest.mark.parametrize("key, value", [("zookeeperNodes", 3), ("zookeeperMemoryMb", 1024), ("zookeeperHeapMb", 128)])
def test_zookeeper_keys_on_a_kraft_stack_are_refused(key, value):
    [problem] = problems(metadataQuorum="kraft", controllers=3, **{key: value})
    assert problem == (
        f"caracal-kafka:{key} = {value}: not allowed; allowed: only with metadataQuorum = zookeeper "
        "(a kraft stack runs no ZooKeeper)"
    )


def test_controllers_on_a_zookeeper_stack_are_refused_outside_a_migration():
    [problem] = problems(controllers=3)
    assert "caracal-kafka:controllers = 3: not allowed; allowed: 0 with metadataQuorum = zookeeper" in problem
    values = {"metadata_quorum": "zookeeper", "controllers": 3, quorum_settings.MIGRATION_FIELD: "migrate"}
    assert quorum_settings.quorum_problems(values, {}, lambda *_: "refused") == []


def test_controller_heap_must_stay_below_its_memory():
    [problem] = problems(metadataQuorum="kraft", controllers=1, controllerHeapMb=800)
    assert problem == "caracal-kafka:controllerHeapMb = 800: not allowed; allowed: less than controllerMemoryMb (768)"


@pytest.mark.parametrize(
    "kind, controllers, zookeeper, running, refused",
    [
        ("zookeeper", 0, 3, 0, None),
        ("kraft", 3, 0, 3, None),
        ("kraft", 3, 0, 0, None),  # nothing runs yet
        ("kraft", 3, 3, 0, "metadataQuorum = kraft: not allowed now: the stack runs a ZooKeeper ensemble"),
        ("zookeeper", 0, 0, 3, "metadataQuorum = zookeeper: not allowed now: the stack runs 3 KRaft controller"),
        ("kraft", 5, 0, 3, "controllers = 5: not allowed now: the stack runs 3 controllers in a static quorum"),
    ],
)
def test_a_running_stack_keeps_its_kind_and_its_controller_count(kind, controllers, zookeeper, running, refused):
    found = quorum_settings.change_refusal(kind, controllers, zookeeper, running)
    assert (found is None) if refused is None else found.startswith(refused)
