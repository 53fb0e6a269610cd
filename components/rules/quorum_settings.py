"""Which metadata quorum a stack runs and how many nodes it has: the settings each kind allows, and the changes a
running stack may not take. Pure: components/rules/stack_settings.py hands in the values, infra/roll_plan.py
what runs.

- `metadataQuorum`: zookeeper (the default) or kraft. Switching a stack that runs is not a setting change: the
  data of one kind does not exist in the other. That path belongs to a migration (key `metadataMigration`, see
  MIGRATION_FIELD), which alone may run controllers beside a ZooKeeper ensemble.
- `controllers`: KRaft controllers, an odd count (a majority must serve). The quorum is static
  (`controller.quorum.voters`): Kafka 3.9 cannot turn a static quorum dynamic later, and the ZooKeeper migration is
  proven with a static one. Its voters are fixed when the nodes are formatted, so the count of a running stack
  does not change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from components.rules.quorum_status import KINDS, KRAFT, ZOOKEEPER

KINDS_ALLOWED = " or ".join(KINDS)
MAX_CONTROLLERS = 7
# The ZooKeeper-only settings: a KRaft stack runs no ensemble.
ZOOKEEPER_FIELDS = ("zookeeper_nodes", "zookeeper_memory_mb", "zookeeper_heap_mb", "zookeeper_cpu_millicores")
# The migration's own setting (components/rules/migration_phase.py): while it is set, a ZooKeeper stack may run
# controllers.
MIGRATION_FIELD = "metadata_migration"


def is_controller_count(count: int) -> bool:
    return 0 <= count <= MAX_CONTROLLERS


def migrating(values: Mapping[str, Any]) -> bool:
    """A ZooKeeper-to-KRaft migration is under way (its setting is set)."""
    return bool(values.get(MIGRATION_FIELD))


def quorum_problems(
    values: Mapping[str, Any], defaults: Mapping[str, Any], problem: Callable[[str, str], str]
) -> list[str]:
    """Settings that contradict the chosen kind of quorum. `problem(field, allowed)` words one problem."""
    controllers = values["controllers"]
    if values["metadata_quorum"] == KRAFT:
        found = [
            problem(name, f"only with metadataQuorum = {ZOOKEEPER} (a {KRAFT} stack runs no ZooKeeper)")
            for name in ZOOKEEPER_FIELDS
            if values[name] != defaults[name]
        ]
        if controllers % 2 == 0:
            found.append(
                problem(
                    "controllers",
                    f"an odd count from 1 to {MAX_CONTROLLERS} with metadataQuorum = {KRAFT} (a majority of the "
                    "controllers must serve: 1 for a dev stack, 3 for production)",
                )
            )
        return found
    if controllers and not migrating(values):
        return [
            problem(
                "controllers",
                f"0 with metadataQuorum = {ZOOKEEPER} (controllers are KRaft's nodes), or an odd count while "
                "metadataMigration is set",
            )
        ]
    return []


def change_refusal(kind: str, controllers: int, running_zookeeper: int, running_controllers: int) -> str | None:
    """Why a stack whose quorum runs `running_zookeeper` ZooKeeper nodes and `running_controllers` controllers
    may not become `kind` with `controllers` controllers now; None when it may."""
    if kind == KRAFT and running_zookeeper:
        return (
            f"metadataQuorum = {KRAFT}: not allowed now: the stack runs a ZooKeeper ensemble ({running_zookeeper} "
            f"node(s)) that holds its metadata; switching kinds is a migration, not a setting change. Allowed: "
            f"{ZOOKEEPER}"
        )
    if kind == ZOOKEEPER and running_controllers:
        return (
            f"metadataQuorum = {ZOOKEEPER}: not allowed now: the stack runs {running_controllers} KRaft "
            f"controller(s) that hold its metadata; a KRaft cluster cannot go back to ZooKeeper. Allowed: {KRAFT}"
        )
    if kind == KRAFT and running_controllers and running_controllers != controllers:
        return (
            f"controllers = {controllers}: not allowed now: the stack runs {running_controllers} controllers in a "
            "static quorum (controller.quorum.voters, fixed when they were formatted; Kafka 3.9 cannot make it "
            f"dynamic). Allowed: {running_controllers}"
        )
    return None
