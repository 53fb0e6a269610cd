"""What a topic declaration may say and what a change to it means: pure functions, no I/O.

`check_topic` validates and normalises declared inputs; `diff_topic` compares the stored outputs (what Kafka had)
with the new inputs and says what changes, what forces replacement, and what is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from components.provider_values import Failure, as_int, is_unknown
from components.topic_config import ConfigValueError, normalise_topic_config

TOPIC_NAME = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")
MAX_PARTITIONS = 10_000


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


def _count(news: dict[str, Any], key: str, low: int, high: int, failures: list[Failure]) -> Any:
    value = news.get(key)
    if is_unknown(value):
        return value
    number = as_int(value)
    if number is None or not low <= number <= high:
        failures.append(Failure(key, f"{value!r} is not allowed; allowed: an integer from {low} to {high}"))
        return value
    return number


def check_topic(news: dict[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    """Validate and normalise a topic's inputs. Unknown values (preview before apply) pass through untouched."""
    failures: list[Failure] = []
    inputs = dict(news)
    name = news.get("name")
    if not is_unknown(name) and (not isinstance(name, str) or not TOPIC_NAME.match(name) or name in (".", "..")):
        failures.append(Failure("name", f"{name!r} is not allowed; allowed: 1-249 characters of a-z A-Z 0-9 . _ -"))
    inputs["partitions"] = _count(news, "partitions", 1, MAX_PARTITIONS, failures)
    inputs["replication_factor"] = _count(news, "replication_factor", 1, 32, failures)
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


def with_counts(props: dict[str, Any]) -> dict[str, Any]:
    """`props` with partitions and replication factor as ints (they cross the engine as doubles)."""
    counts = {key: as_int(props.get(key)) for key in ("partitions", "replication_factor")}
    return {**props, **{key: value for key, value in counts.items() if value is not None}}


def change_refusals(olds: dict[str, Any], news: dict[str, Any]) -> list[Failure]:
    """Changes to an existing topic that the program will not make; `check` returns them, so preview fails."""
    olds, news = with_counts(olds), with_counts(news)
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
    old_rf, new_rf = olds.get("replication_factor"), news.get("replication_factor")
    if isinstance(old_rf, int) and isinstance(new_rf, int) and old_rf != new_rf:
        failures.append(
            Failure(
                "replication_factor",
                f"topic {name}: replication factor {old_rf} -> {new_rf} is refused: it needs a partition reassignment, "
                "which this program does not run; reassign with kafka-reassign-partitions, then `pulumi refresh`, or "
                f"declare replication_factor {old_rf}",
            )
        )
    return failures


def diff_topic(olds: dict[str, Any], news: dict[str, Any]) -> TopicDiff:
    """Compare the stored state of a topic with its checked new inputs."""
    olds, news = with_counts(olds), with_counts(news)
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
