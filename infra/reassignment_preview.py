"""What an `up` will move, read when the program starts, while the cluster can be reached: the partitions a
replication factor change moves (catalog topics, and on a stack's own cluster the registry's storage topics) and,
when brokers come or go, the partitions the balance moves. Shown as the preview's messages; a change the cluster
cannot take (too few brokers left for a topic's replicas, a cluster that places replicas itself) is refused as a
bad setting is, before anything changes. A preview asks Kafka's tools what is moving and how large each partition
is; an `up` shows the same from the metadata alone (no sizes), since its providers read those again as they move.
A preview that cannot reach the cluster (a pull request's runner) says so and shows no moves: the `up` plans
again from what it reads."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
from confluent_kafka.admin import AdminClient

from components.clients import kafka_tools, reassignments, running_platform
from components.clients.kafka_admin import CLUSTER_ERRORS, admin_settings
from components.rules.layout import broker_host
from components.rules.names import replication_factor
from components.rules.partition_assignment import plan_assignment
from components.rules.reassignment import applied, preview_lines, with_ongoing
from components.rules.stack_settings import CONFIG_PREFIX, Settings, SettingsError


def declared_replication(settings: Settings, storage_topics: tuple[str, ...] = ()) -> dict[str, int]:
    """Topic -> the replication factor the stack declares for it."""
    declared = {
        topic.name: topic.replication_factor or settings.replication_factor for topic in settings.catalog.topics
    }
    return declared | dict.fromkeys(storage_topics, settings.replication_factor)


def preview_reassignments(
    settings: Settings,
    admin: AdminClient | None,
    access: reassignments.ToolAccess,
    storage_topics: tuple[str, ...] = (),
) -> None:
    if admin is None:
        return
    try:
        _preview(settings, admin, access, storage_topics)
    except (*CLUSTER_ERRORS, kafka_tools.ToolError) as error:
        if isinstance(error, reassignments.ReassignmentError) and "does not allow" in str(error):
            raise SettingsError([f"{CONFIG_PREFIX}replicationFactor: not allowed on this cluster: {error}"]) from None
        pulumi.log.warn(f"the moves of this change cannot be shown: the cluster did not answer ({error})")


def _preview(
    settings: Settings, admin: AdminClient, access: reassignments.ToolAccess, storage_topics: tuple[str, ...]
) -> None:
    replicas = reassignments.metadata_replicas(admin)
    counts: dict[str, list[int]] = {}
    for (topic, _), found in replicas.items():
        counts.setdefault(topic, []).append(len(found))
    declared = declared_replication(settings, storage_topics)
    changes = {
        topic: rf for topic, rf in declared.items() if topic in counts and replication_factor(counts[topic]) != rf
    }
    registered = sorted(admin.list_topics(timeout=30).brokers)
    brokers = registered if settings.external else list(range(settings.brokers))
    regrouped = not settings.external and set(registered) != set(brokers)
    if not changes and not regrouped:
        return
    if pulumi.runtime.is_dry_run():
        # A preview reads what is being moved and how large each partition is: Kafka's tools, a JVM each.
        current = reassignments.assignments(admin, access)
        sizes = reassignments.sizes(access, sorted({state.topic for state in current}))
    else:
        # An `up` shows and checks the same from the metadata alone; its providers read the rest as they move.
        current, sizes = with_ongoing(replicas, []), {}
    rf_plan = plan_assignment([s for s in current if s.topic in changes], brokers, changes, sizes)
    refusals = list(rf_plan.refusals)
    lines = preview_lines("replication factor change", rf_plan.moves, settings.reassign_throttle_mbps)
    if regrouped:
        balance = plan_assignment(applied(current, rf_plan.moves), brokers, {}, sizes)
        refusals += balance.refusals
        lines += preview_lines(_regrouping(registered, brokers), balance.moves, settings.reassign_throttle_mbps)
    if refusals:
        # An external cluster's brokers are not the stack's: the replication factors asked of it are the cause.
        key = "catalog" if settings.external else f"brokers = {settings.brokers}"
        raise SettingsError([f"{CONFIG_PREFIX}{key}: not allowed: {'; '.join(refusals)}"])
    for line in lines:
        pulumi.log.info(line)


def _regrouping(registered: list[int], brokers: list[int]) -> str:
    added = sorted(set(brokers) - set(registered))
    removed = sorted(set(registered) - set(brokers))
    parts = [
        f"brokers {added} join and get their share" if added else "",
        f"brokers {removed} are drained" if removed else "",
    ]
    return "partition balance (" + "; ".join(part for part in parts if part) + ")"


def show_docker_moves(settings: Settings, running: bool, storage_topics: tuple[str, ...]) -> None:
    """The moves of a stack's own cluster, when it runs (the admin logs in with the login a broker holds)."""
    if not running:
        return
    port = settings.bootstrap_port
    admin = running_platform.admin(settings.prefix, f"localhost:{port}", [0])
    access = reassignments.ToolAccess(kafka_tools.InBroker(f"{settings.prefix}-{broker_host(0)}"))
    preview_reassignments(settings, admin, access, storage_topics)


def show_external_moves(settings: Settings) -> None:
    admin, access = external_admin(settings)
    preview_reassignments(settings, admin, access)


def external_admin(settings: Settings) -> tuple[AdminClient, reassignments.ToolAccess]:
    connection: Mapping[str, str] = {
        "bootstrap_servers": settings.external_bootstrap_servers,
        "username": settings.external_username,
        "password": settings.external_password,
        "ca_pem": settings.external_ca_pem,
        "mechanism": settings.external_sasl_mechanism,
        **(
            {"certificate_pem": settings.external_client_certificate_pem, "key_pem": settings.external_client_key_pem}
            if settings.external_client_certificate_pem
            else {}
        ),
    }
    access = reassignments.ToolAccess(
        kafka_tools.InToolContainer(settings.kafka_image), kafka_tools.admin_client(connection)
    )
    return AdminClient(admin_settings(connection)), access
