"""What a catalog asks of the stack's cluster that it cannot give: replicas beyond its brokers, min.insync.replicas
beyond (or equal to) a topic's replicas, users and subjects the platform cannot serve. Pure; each cause once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.rules import platform_target as target
from components.rules.catalog import Catalog
from components.rules.stack_settings import CONFIG_PREFIX


def catalog_problems(catalog: Catalog, values: Mapping[str, Any]) -> list[str]:
    """What the catalog asks that this stack's cluster cannot give, each cause once. A topic that takes both its
    replication factor and min.insync.replicas from the stack's settings is not judged here: the settings' own
    checks report that cause, once, by its key. Topics that break one rule with the same values share one line."""
    topics_by_cause: dict[str, list[str]] = {}
    for topic in catalog.topics:
        if topic.replication_factor is None and "min.insync.replicas" not in topic.config:
            continue
        for cause in _topic_causes(topic.replication_factor, topic.config.get("min.insync.replicas"), values):
            topics_by_cause.setdefault(cause, []).append(topic.name)
    problems = [
        f"{CONFIG_PREFIX}catalog: topics[{', '.join(names)}]{cause}" for cause, names in topics_by_cause.items()
    ]
    return problems + target.catalog_platform_problems(catalog, values, CONFIG_PREFIX)


def _topic_causes(own_replication: int | None, own_min_isr: str | None, values: Mapping[str, Any]) -> list[str]:
    """What is wrong with one topic's replication factor and min.insync.replicas (its own or the stack's), each
    said from the topic's field on (the caller puts the topics in front)."""
    replication = own_replication or values["replication_factor"]
    min_isr = int(own_min_isr) if own_min_isr is not None else min(values["min_insync_replicas"], replication)
    causes = []
    # An inherited replication factor beyond the brokers is the stack setting's cause, reported by its key. An
    # external cluster's brokers are not the stack's (its `brokers` means nothing there): the preview refuses a
    # replication factor beyond the brokers the cluster lists, naming the topic.
    own_cluster = values["platform"] != target.EXTERNAL
    if own_replication is not None and own_cluster and replication > values["brokers"]:
        causes.append(
            f".replication_factor = {replication}: not allowed; allowed: at most brokers ({values['brokers']})"
        )
    if min_isr > replication:
        causes.append(
            f".config.min.insync.replicas = {min_isr}: not allowed; "
            f"allowed: at most the topic's replication factor ({replication})"
        )
    elif min_isr == replication > 1 and not values["allow_min_insync_equal_replicas"]:
        causes.append(
            f".config.min.insync.replicas = {min_isr}: not allowed; allowed: less than the topic's "
            f"replication factor ({replication}): with both equal, acks=all writes stop whenever one broker "
            "is down; set allowMinInsyncEqualReplicas: true to accept that"
        )
    return causes
