"""What a topic declaration may say and what a change to it means: pure functions, no I/O.

`check_topic` validates and normalises declared inputs; `diff_topic` compares the stored outputs (what Kafka had)
with the new inputs and says what changes, what forces replacement, and what is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from components.rules.catalog import TopicSpec
from components.rules.names import MAX_PARTITIONS, MAX_REPLICATION_FACTOR, TOPIC_NAME_ALLOWED, is_topic_name
from components.rules.topic_config import ConfigValueError, normalise_topic_config
from components.rules.values import Failure, as_int, is_unknown

# Set by `make down`: destroying a whole stack is the operator's explicit decision to drop its data.
ALLOW_DATA_LOSS_ENV = "CARACAL_ALLOW_DATA_LOSS"


@dataclass(frozen=True)
class TopicDiff:
    changes: bool
    """An update or a replacement is needed."""
    replaces: list[str] = field(default_factory=list)
    """Properties whose change needs the topic deleted and created again."""
    refusals: list[str] = field(default_factory=list)
    """Changes the program will not make; preview fails with these messages."""
    config_set: dict[str, str] = field(default_factory=dict)
    """Config keys to set in place."""
    config_deleted: list[str] = field(default_factory=list)
    """Overrides the program had set and no longer declares: they return to the broker's default."""


def _count(news: Mapping[str, Any], key: str, low: int, high: int, failures: list[Failure]) -> Any:
    value = news.get(key)
    if is_unknown(value):
        return value
    number = as_int(value)
    if number is None or not low <= number <= high:
        failures.append(Failure(key, f"{value!r} is not allowed; allowed: an integer from {low} to {high}"))
        return value
    return number


def check_topic(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    """Validate and normalise a topic's inputs. Unknown values (preview before apply) pass through untouched."""
    failures: list[Failure] = []
    inputs = dict(news)
    name = news.get("name")
    if not is_unknown(name) and not is_topic_name(name):
        failures.append(Failure("name", f"{name!r} is not allowed; allowed: {TOPIC_NAME_ALLOWED}"))
    inputs["partitions"] = _count(news, "partitions", 1, MAX_PARTITIONS, failures)
    inputs["replication_factor"] = _count(news, "replication_factor", 1, MAX_REPLICATION_FACTOR, failures)
    config = news.get("config") or {}
    if is_unknown(config):
        inputs["config"] = config
    elif not isinstance(config, dict):
        failures.append(Failure("config", "allowed: a mapping of topic config keys to values"))
    else:
        normalised = {}
        for key, value in config.items():
            if is_unknown(value):
                normalised[key] = value
                continue
            try:
                normalised[key] = normalise_topic_config(key, value)
            except ConfigValueError as error:
                failures.append(Failure(f"config.{key}", str(error)))
        inputs["config"] = normalised
    if not isinstance(news.get("allow_data_loss", False), bool):
        failures.append(Failure("allow_data_loss", "allowed: true or false"))
    inputs["allow_data_loss"] = bool(news.get("allow_data_loss", False))
    return inputs, failures


def change_refusals(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[Failure]:
    """Changes to an existing topic that the program will not make; `check` returns them, so preview fails."""
    name = olds.get("name")
    if not olds or name != news.get("name"):
        return []
    failures = []
    old_partitions, new_partitions = olds.get("partitions"), news.get("partitions")
    if isinstance(old_partitions, int) and isinstance(new_partitions, int) and new_partitions < old_partitions:
        failures.append(
            Failure(
                "partitions",
                f"topic {name}: partitions cannot go from {old_partitions} down to {new_partitions}: Kafka cannot "
                "remove partitions, and deleting the topic to recreate it would lose its data; declare "
                f"partitions >= {old_partitions}",
            )
        )
    # Another replication factor is no refusal: the topic set moves replicas by a throttled reassignment.
    return failures


def diff_topic(olds: Mapping[str, Any], news: Mapping[str, Any]) -> TopicDiff:
    """Compare the stored state of a topic with its checked new inputs."""
    name = olds.get("name")
    replaces = ["name"] if news.get("name") != name else []
    refusals = [failure.reason for failure in change_refusals(olds, news)]
    old_partitions, new_partitions = olds.get("partitions"), news.get("partitions")
    old_rf, new_rf = olds.get("replication_factor"), news.get("replication_factor")
    old_config: dict[str, str] = olds.get("config") or {}
    new_config: dict[str, str] = news.get("config") or {}
    if is_unknown(new_config):
        return TopicDiff(changes=True, replaces=replaces, refusals=refusals)
    config_set = {key: value for key, value in new_config.items() if old_config.get(key) != value}
    config_deleted = sorted(set(old_config) - set(new_config))
    changes = bool(
        replaces
        or config_set
        or config_deleted
        or old_partitions != new_partitions
        or old_rf != new_rf
        or bool(olds.get("allow_data_loss")) != bool(news.get("allow_data_loss"))
        or olds.get("connection") != news.get("connection")
    )
    return TopicDiff(changes, replaces, refusals, config_set, config_deleted)


def data_loss_explicitly_allowed(environ: Mapping[str, str]) -> bool:
    """The operator's explicit word, for this run, that deleting topics with data is intended."""
    return environ.get(ALLOW_DATA_LOSS_ENV, "").lower() in ("1", "true", "yes")


def not_deleted_reason(name: str, holds: str) -> str:
    """Why a topic that `holds` data (records, a group's offsets) is not deleted, and how to allow it."""
    return (
        f"topic {name} is not deleted: it {holds}. To delete it and its data, first set allow_data_loss: true on "
        f"it and run `pulumi up`, then remove it; or destroy with {ALLOW_DATA_LOSS_ENV}=true"
    )


def effective_config(topic: TopicSpec, retention_ms: str, min_insync_replicas: int, replication_factor: int) -> dict:
    """The stack's retention and min.insync.replicas (never above the topic's replicas), overridden by what the
    catalog says for the topic."""
    return {
        "retention.ms": retention_ms,
        "min.insync.replicas": str(min(min_insync_replicas, replication_factor)),
        **topic.config,
    }
