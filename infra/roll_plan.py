"""The roll plan of this run: read from what runs on the Docker host when the program starts."""

from __future__ import annotations

import pulumi

from components.clients.running_platform import DockerUnavailable, roll_plan, with_controllers
from components.platform.kafka_cluster import bootstrap_servers
from components.rules import quorum_settings
from components.rules.roll import RollPlan
from components.rules.stack_settings import CONFIG_PREFIX, Settings, SettingsError


def read_roll_plan(settings: Settings) -> RollPlan:
    """What runs decides how changes apply. A preview without a Docker daemon (a pull-request check) shows the
    changes as if nothing ran; an `up` never guesses: replacing nodes of a running cluster all at once is the
    outage a roll exists to prevent."""
    try:
        plan = roll_plan(
            settings.prefix,
            bootstrap_servers(settings.bootstrap_port, settings.brokers),
            settings.brokers,
            settings.ensemble,
        )
        if settings.controllers:
            plan = with_controllers(plan, settings.prefix, settings.controllers)
    except DockerUnavailable as error:
        if not pulumi.runtime.is_dry_run():
            raise RuntimeError(
                f"cannot tell whether stack {settings.stack} runs ({error}); `up` needs Docker"
            ) from None
        pulumi.log.warn(f"Docker did not answer ({error}): this preview assumes the platform does not run yet")
        return RollPlan.fresh(settings.brokers, settings.ensemble, settings.controllers)
    switch = quorum_settings.change_refusal(settings.metadata_quorum, settings.controllers, *plan.running_quorum)
    # A migration runs controllers beside the ensemble: infra/migration_check.py decides which step may run.
    zookeeper, _ = plan.running_quorum
    migration = not settings.kraft and bool(zookeeper or settings.metadata_migration)
    if switch and not migration:
        raise SettingsError([CONFIG_PREFIX + switch])
    refusal = plan.removal_refusal(settings.allow_broker_removal)
    if refusal:
        raise SettingsError([f"{CONFIG_PREFIX}brokers = {settings.brokers}: not allowed now: {refusal}"])
    return plan
