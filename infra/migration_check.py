"""The ZooKeeper-to-KRaft migration step of this run, checked against what runs before any resource is
registered: a skipped step, or a way back that no longer exists, is refused as a bad setting is; preview says
where the cluster stands and what this `up` restarts."""

from __future__ import annotations

import pulumi

from components.clients import migration_facts
from components.rules import migration_phase
from components.rules.migration_phase import MigrationRun
from components.rules.platform_target import DOCKER
from components.rules.roll import RollPlan
from components.rules.stack_settings import CONFIG_PREFIX, Settings, SettingsError


def check_migration_step(settings: Settings, roll: RollPlan) -> str | None:
    """The id of the running cluster the controllers serve (a migrated cluster keeps ZooKeeper's id); None when
    nothing runs or the stack runs no controllers. Raises SettingsError for a step the running cluster may not
    take now."""
    if settings.platform != DOCKER:
        return None
    step = settings.metadata_migration
    if not roll.running:
        if step and not settings.kraft:
            raise SettingsError(
                [
                    f"{CONFIG_PREFIX}{migration_phase.KEY} = {step!r}: not allowed now: stack {settings.stack} runs "
                    "no broker to migrate (or Docker did not answer); allowed: empty (a new stack starts with "
                    "metadataQuorum = kraft)"
                ]
            )
        return MigrationRun()
    _, controllers = roll.running_quorum
    stop = 0
    if step or (not settings.kraft and controllers):
        observed = migration_facts.observe(
            settings.prefix, settings.brokers, settings.zookeeper_nodes, max(settings.controllers, controllers)
        )
        wanted = migration_phase.FINALIZE if settings.kraft else step
        refusal = migration_phase.step_refusal(observed, wanted) if observed else None
        if refusal:
            raise SettingsError([CONFIG_PREFIX + refusal])
        if observed:
            pulumi.log.info(migration_phase.preview_line(observed, wanted))
            stop = controllers if migration_phase.rolls_back_controllers(observed, wanted) else 0
    if not (settings.kraft or step):
        return MigrationRun(stop_controllers=stop)
    return MigrationRun(migration_facts.cluster_id(settings.prefix, settings.brokers), stop)
