"""Every topic of a catalog as one set: what the set may declare, and the plan that brings Kafka from what it
holds to what is declared. Pure functions, no I/O; each topic keeps the rules of components/rules/topic.py.

A topic set is recorded as one resource, so the engine writes its state once per `up` instead of twice per topic.
The planner compares the declared topics with what Kafka actually holds (not only with what was recorded), the
way an operator's reconcile loop does, and returns batched operations or the reasons it refuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from components.rules.names import INTERNAL_TOPIC_PREFIX, TOPIC_NAME_ALLOWED, is_internal_topic, is_topic_name
from components.rules.topic import ALLOW_DATA_LOSS_ENV, change_refusals, check_topic, diff_topic, not_deleted_reason
from components.rules.values import Failure, is_unknown

# What a topic of the set declares; its name is the key it is declared under.
SPEC_KEYS = ("partitions", "replication_factor", "config", "allow_data_loss", "adopt")
# Marks a member that an update killed midway declared (scripts/recover.py records it so).
PENDING = "pending"
# Declared only by a renamed topic: its former name, whose removal is then the rename's (see removal_guards).
RENAMED_FROM = "renamed_from"


class ActualTopicLike(Protocol):
    """A topic as Kafka holds it (components/clients/topic_snapshot.ActualTopic)."""

    partitions: int
    replication_factor: int
    config: Mapping[str, str]


@dataclass(frozen=True)
class NewTopic:
    """A topic to create, as declared."""

    name: str
    partitions: int
    replication_factor: int
    config: Mapping[str, str]


@dataclass(frozen=True)
class ConfigChange:
    """A topic's config change in place."""

    set: Mapping[str, str]
    """Keys to set, with their values."""
    deleted: tuple[str, ...] = ()
    """Overrides to delete: they return to the broker's default."""


@dataclass(frozen=True)
class ClusterTopics:
    """What the planner needs to know of the cluster, read before planning."""

    topics: Mapping[str, ActualTopicLike]
    """Every topic Kafka holds, by name."""
    holding: Mapping[str, str] = field(default_factory=dict)
    """Of the topics named by `data_checks`, those deleting would lose data of, with what they hold."""
    brokers: int | None = None
    """How many brokers may hold replicas (None: not known, Kafka judges)."""


@dataclass(frozen=True)
class TopicSetPlan:
    create: list[NewTopic] = field(default_factory=list)
    """Topics to create, with their declared spec."""
    adopt: list[str] = field(default_factory=list)
    """Existing topics taken over (their growth and config are in `grow` and `alter`)."""
    grow: dict[str, int] = field(default_factory=dict)
    """Topics whose partition count rises, with the new count."""
    replicate: dict[str, int] = field(default_factory=dict)
    """Topics whose replication factor changes, with the new one (their replicas move by a reassignment)."""
    alter: dict[str, ConfigChange] = field(default_factory=dict)
    """Topics whose config changes in place."""
    delete: list[str] = field(default_factory=list)
    """Recorded topics no longer declared that Kafka still holds."""
    refusals: list[Failure] = field(default_factory=list)
    """Why the plan cannot be applied; nothing is changed while there is one."""


def _about(name: str, prop: str, reason: str) -> Failure:
    """A topic's failure, named so that one line among a thousand topics says which topic and which field."""
    prefix = f"topic {name}: "
    return Failure(
        f"topics.{name}.{prop}" if prop else f"topics.{name}", reason if reason.startswith(prefix) else prefix + reason
    )


def check_topic_set(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    """Validate and normalise every declared topic with the one-topic rules; unknown values pass through."""
    inputs = dict(news)
    topics = news.get("topics", {})
    if is_unknown(topics):
        return inputs, []
    if not isinstance(topics, Mapping):
        return inputs, [Failure("topics", "allowed: a mapping of topic names to their partitions, config, ...")]
    failures: list[Failure] = []
    checked: dict[str, Any] = {}
    for name, spec in topics.items():
        if is_unknown(spec):
            checked[name] = spec
            continue
        if not isinstance(spec, Mapping):
            failures.append(_about(name, "", f"allowed: a mapping of {', '.join(SPEC_KEYS)}"))
            continue
        unknown_keys = sorted(set(spec) - {*SPEC_KEYS, RENAMED_FROM})
        if unknown_keys:
            allowed = ", ".join((*SPEC_KEYS, RENAMED_FROM))
            failures.append(_about(name, unknown_keys[0], f"unknown keys {unknown_keys}; allowed: {allowed}"))
        former = spec.get(RENAMED_FROM)
        if former is not None and not is_unknown(former) and not is_topic_name(former):
            failures.append(_about(name, RENAMED_FROM, f"{former!r} is not allowed; allowed: {TOPIC_NAME_ALLOWED}"))
        if isinstance(name, str) and is_internal_topic(name):
            # The cluster's reads leave these out, so the set could never see the topic it made.
            failures.append(
                _about(
                    name, "name", f"names starting with {INTERNAL_TOPIC_PREFIX!r} are Kafka's and its tools' own topics"
                )
            )
        topic, topic_failures = check_topic({"name": name, **spec})
        failures += [_about(name, failure.property, failure.reason) for failure in topic_failures]
        adopt = spec.get("adopt", False)
        if not isinstance(adopt, bool) and not is_unknown(adopt):
            failures.append(_about(name, "adopt", "allowed: true or false"))
        checked[name] = {key: topic[key] for key in SPEC_KEYS if key != "adopt"} | {"adopt": adopt is True}
        if former is not None:
            checked[name][RENAMED_FROM] = former
    inputs["topics"] = checked
    return inputs, failures


def _known_topics(props: Mapping[str, Any]) -> Mapping[str, Any]:
    topics = props.get("topics") or {}
    return {} if is_unknown(topics) or not isinstance(topics, Mapping) else topics


def set_refusals(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[Failure]:
    """Changes to recorded topics that the program will not make (fewer partitions, another replication factor)."""
    recorded, declared = _known_topics(olds), _known_topics(news)
    failures = []
    for name in recorded.keys() & declared.keys():
        old, new = recorded[name], declared[name]
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            refusals = change_refusals({"name": name, **old}, {"name": name, **new})
            failures += [_about(name, failure.property, failure.reason) for failure in refusals]
    return sorted(failures, key=lambda failure: failure.property)


def diff_topic_set(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether the set changes: a topic added, removed or declared otherwise, or another connection."""
    return olds.get("topics") != news.get("topics") or olds.get("connection") != news.get("connection")


def removed_topics(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Recorded topics the new inputs no longer declare (none while the new set is not known yet)."""
    if is_unknown(news.get("topics")):
        return []
    return sorted(_known_topics(olds).keys() - _known_topics(news).keys())


def renames(declared: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Former name -> the declared topic that took it over (a topic declared under its own former name is no
    rename)."""
    found = {}
    for name, spec in declared.items():
        former = spec.get(RENAMED_FROM) if isinstance(spec, Mapping) else None
        if isinstance(former, str) and former != name:
            found[former] = name
    return found


@dataclass(frozen=True)
class RemovalGuard:
    checked: list[str] = field(default_factory=list)
    """Removed topics deleted only if they hold no data."""
    refusals: list[Failure] = field(default_factory=list)
    """Removals refused whatever the topics hold: the stack protects its topics."""


def removal_guards(
    recorded: Mapping[str, Mapping[str, Any]],
    declared: Mapping[str, Mapping[str, Any]],
    removed: Iterable[str],
    explicit: bool,
    protected: bool = False,
) -> RemovalGuard:
    """How each removed topic may go. Its data may be lost when its recorded `allow_data_loss` says so, when the
    topic renamed from it declares `allow_data_loss`, or by the operator's explicit word for this run; otherwise
    it goes only if it holds no data, and not at all from a stack that protects its topics (protectData), where
    losing a topic takes that explicit `allow_data_loss` first, as unprotecting a resource would."""
    if explicit:
        return RemovalGuard()
    successors = renames(declared)
    guard = RemovalGuard()
    for name in removed:
        successor = successors.get(name)
        if recorded.get(name, {}).get("allow_data_loss") or (successor and declared[successor].get("allow_data_loss")):
            continue
        if not protected:
            guard.checked.append(name)
            continue
        flag_on = successor or name
        guard.refusals.append(
            Failure(
                f"topics.{name}",
                f"topic {name} {_removal(name, successor)}, but this stack protects its topics (protectData): set "
                f"allow_data_loss: true on {flag_on} and run `pulumi up` first to accept losing it and its data",
            )
        )
    return guard


def _removal(name: str, successor: str | None) -> str:
    return f"would be replaced (deleted and created as {successor})" if successor else "would be deleted"


def removal_refusals(holding: Mapping[str, str], successors: Mapping[str, str] | None = None) -> list[Failure]:
    """One failure per guarded topic that holds data (`holding`: name -> what it holds); a renamed topic's says
    that the rename would delete it."""
    failures = []
    for name, holds in sorted(holding.items()):
        successor = (successors or {}).get(name)
        reason = (
            f"topic {name} would be replaced (deleted and created as {successor}), but it {holds}; keep its name, "
            f"or set allow_data_loss: true on {successor} to accept losing the data"
            if successor
            else not_deleted_reason(name, holds)
        )
        failures.append(Failure(f"topics.{name}", reason))
    return failures


def removal_error(holding: Mapping[str, str]) -> str:
    """One message for every topic a deletion would lose data of (`holding`: name -> what it holds)."""
    if len(holding) == 1:
        ((name, holds),) = holding.items()
        return not_deleted_reason(name, holds)
    what = "; ".join(f"{name} {holds}" for name, holds in sorted(holding.items()))
    return (
        f"{len(holding)} topics are not deleted, they hold data: {what}. To delete them and their data, first set "
        "allow_data_loss: true on each and run `pulumi up`, then remove them; or destroy with "
        f"{ALLOW_DATA_LOSS_ENV}=true"
    )


def foreign_topic_reason(name: str) -> str:
    return (
        f"topic {name} already exists and is not managed by this stack: it is left untouched; to manage it from now "
        "on, declare it with `adopt: true`"
    )


def _as_declared(name: str, actual: ActualTopicLike, keys: Iterable[str]) -> dict[str, Any]:
    """What Kafka holds, in the shape of a declaration, with only the config keys the program sets or had set."""
    return {
        "name": name,
        "partitions": actual.partitions,
        "replication_factor": actual.replication_factor,
        "config": {key: actual.config[key] for key in keys if key in actual.config},
    }


def deleted_topics(
    recorded: Mapping[str, Any], declared: Mapping[str, Any], actual: Mapping[str, ActualTopicLike]
) -> list[str]:
    """Recorded topics no longer declared that Kafka still holds: what applying the set deletes."""
    return [name for name in sorted(recorded) if name not in declared and name in actual]


def data_checks(
    recorded: Mapping[str, Mapping[str, Any]],
    declared: Mapping[str, Mapping[str, Any]],
    actual: Mapping[str, ActualTopicLike],
    explicit: bool,
) -> list[str]:
    """The topics whose data the cluster must be asked about before planning: those the plan would delete that
    may go only when they hold no data."""
    return removal_guards(recorded, declared, deleted_topics(recorded, declared, actual), explicit).checked


def plan_topic_set(
    recorded: Mapping[str, Mapping[str, Any]],
    declared: Mapping[str, Mapping[str, Any]],
    cluster: ClusterTopics,
    explicit: bool = False,
    protected: bool = False,
) -> TopicSetPlan:
    """The operations that bring Kafka's topics from what the `cluster` holds to `declared`, given what the stack
    `recorded`, or the reasons it refuses: changes Kafka cannot make, foreign topics, and deletions that would lose
    data (`cluster.holding`, read for `data_checks`) without the topic's or the operator's (`explicit`) word, or
    at all from a stack that protects its topics (`protected`)."""
    plan = TopicSetPlan()
    actual = cluster.topics
    for name, spec in sorted(declared.items()):
        existing = actual.get(name)
        if existing is None:
            # New, or recorded but deleted out of band: either way it is declared, so it is made.
            config = dict(spec.get("config") or {})
            plan.create.append(NewTopic(name, spec["partitions"], spec["replication_factor"], config))
            continue
        managed = name in recorded
        if not managed and not spec.get("adopt"):
            plan.refusals.append(Failure(f"topics.{name}", foreign_topic_reason(name)))
            continue
        # An adopted topic keeps overrides the program never set; a managed one loses those it no longer declares.
        keys = set(spec.get("config") or {}) | (set(recorded[name].get("config") or {}) if managed else set())
        current = _as_declared(name, existing, keys)
        wanted = {"name": name, **spec}
        refusals = change_refusals(current, wanted)
        if refusals:
            plan.refusals.extend(_about(name, failure.property, failure.reason) for failure in refusals)
            continue
        if not managed:
            plan.adopt.append(name)
        if spec["partitions"] > existing.partitions:
            plan.grow[name] = spec["partitions"]
        if spec["replication_factor"] != existing.replication_factor:
            if cluster.brokers is not None and spec["replication_factor"] > cluster.brokers:
                plan.refusals.append(
                    _about(name, "replication_factor", _too_few(spec["replication_factor"], cluster.brokers))
                )
                continue
            plan.replicate[name] = spec["replication_factor"]
        changes = diff_topic(current, wanted)
        if changes.config_set or changes.config_deleted:
            plan.alter[name] = ConfigChange(changes.config_set, tuple(changes.config_deleted))
    plan.delete.extend(deleted_topics(recorded, declared, actual))
    guard = removal_guards(recorded, declared, plan.delete, explicit, protected)
    plan.refusals.extend(guard.refusals)
    holding = {name: cluster.holding[name] for name in guard.checked if name in cluster.holding}
    if holding:
        plan.refusals.append(Failure("topics", removal_error(holding)))
    return plan


def _too_few(replication: int, brokers: int) -> str:
    return f"replication factor {replication} is not allowed: the cluster has {brokers} broker(s) to hold replicas"


def refreshed_topics(
    recorded: Mapping[str, Mapping[str, Any]], actual: Mapping[str, ActualTopicLike]
) -> dict[str, dict[str, Any]]:
    """The recorded topics as Kafka holds them: missing ones dropped, and of config only the keys the program
    set (broker defaults and overrides made by others are not drift)."""
    refreshed = {}
    for name, spec in recorded.items():
        existing = actual.get(name)
        if existing is None and spec.get(PENDING):
            # Declared by an update that was killed: Kafka may still be making it. Kept, so the next apply makes
            # it or finds it made, as the set's own.
            refreshed[name] = dict(spec)
        elif existing is not None:
            shown = _as_declared(name, existing, spec.get("config") or {})
            del shown["name"]
            refreshed[name] = {**{key: value for key, value in spec.items() if key != PENDING}, **shown}
    return refreshed
