"""Every topic of a catalog as one Pulumi resource (dynamic provider): the engine records one resource instead of
one per topic, and an `up` is a handful of batched admin requests whatever the number of topics. Each topic keeps
its own rules: created, grown and reconfigured in place, adopted only when asked, never deleted while it holds
data unless allowed. Rules decide (components/rules/topic_set.py); this file acts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, NewTopic
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import kafka_admin, kafka_batches, topic_snapshot
from components.providers import host
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules.names import TOPIC_SET
from components.rules.topic import data_loss_explicitly_allowed
from components.rules.topic_set import (
    check_topic_set,
    diff_topic_set,
    foreign_topic_reason,
    plan_topic_set,
    refreshed_topics,
    removal_error,
    removal_guards,
    removal_refusals,
    removed_topics,
    renames,
    set_refusals,
)
from components.rules.values import Failure

SECRET_OUTPUTS = ("connection",)
# There is one set per stack: its id needs to say nothing else.
TOPIC_SET_ID = "catalog-topics"


@dataclass(frozen=True)
class TopicSetArgs(ResourceArgs):
    topics: Mapping[str, Mapping[str, Any]]
    """Topic name -> its partitions, replication_factor, config, allow_data_loss and adopt."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""
    protect_data: bool = False
    """The stack protects its topics: one leaves the set only after `allow_data_loss: true` on it."""


class TopicSetProvider(PlatformProvider):
    packed_members = ("topics",)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_topic_set(news)
        if olds and not failures:
            failures += set_refusals(olds, inputs)
            failures += _removal_refusals(olds, inputs)
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Pure: refusals were made in check; refresh also diffs, and must never fail for a refusal.
        return DiffResult(changes=diff_topic_set(olds, news), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(TOPIC_SET_ID, _apply({}, props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        args = TopicSetArgs.from_props(props)
        actual = SESSION.topics.get(SESSION.admins.get(args.connection))
        # The set always exists; topics deleted out of band leave it, so the next `up` creates them again.
        topics = refreshed_topics(args.topics, actual)
        # Every input the program gives, so a preview after a refresh shows only what really changes.
        inputs = {"topics": topics, "connection": args.connection, "protect_data": args.protect_data}
        return ReadResult(id_, {**props, "topics": topics}, inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(_apply(olds.get("topics") or {}, news))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        args = TopicSetArgs.from_props(props)
        admin = SESSION.admins.get(args.connection)
        names = sorted(args.topics)
        _refuse_data_loss(admin, args.topics, names, {})
        try:
            kafka_batches.raise_failures(kafka_batches.delete_topics(_writers(args.connection), names))
        finally:
            SESSION.topics.invalidate()
        kafka_batches.await_listed(admin, [(name, 0) for name in names])


def _apply(recorded: Mapping[str, Mapping[str, Any]], props: dict[str, Any]) -> dict[str, Any]:
    """Bring Kafka to the declared topics in a few requests per kind of change; refuse before changing anything.

    On failure the engine keeps the state recorded before this call, so the topics this call created are deleted
    again (they are new and empty): otherwise the next `up` would find them unrecorded and refuse them as foreign.
    """
    args = TopicSetArgs.from_props(props)
    admin = SESSION.admins.get(args.connection)
    plan = plan_topic_set(recorded, args.topics, SESSION.topics.get(admin))
    if plan.refusals:
        raise ValueError("; ".join(plan.refusals))
    # Checked again here, not only at preview: data may have arrived since, and an `up` need not preview.
    _refuse_data_loss(admin, recorded, plan.delete, args.topics)
    created: list[str] = []
    writers = _writers(args.connection)
    try:
        _create(writers, plan.create, created, recorded)
        kafka_batches.raise_failures(kafka_batches.add_partitions(admin, plan.grow).values())
        kafka_batches.raise_failures(kafka_batches.alter_topic_configs(admin, plan.alter).values())
        kafka_batches.raise_failures(kafka_batches.delete_topics(writers, plan.delete))
        shown = {name: spec["partitions"] for name, spec in plan.create.items()} | plan.grow
        kafka_batches.await_listed(admin, [*shown.items(), *((name, 0) for name in plan.delete)])
    except Exception as error:
        if created:
            raise _rolled_back(writers, created, error) from error
        raise
    finally:
        SESSION.topics.invalidate()
    return args.to_props()


def _writers(connection: Mapping[str, Any]) -> list[AdminClient]:
    """The clients a batch of topic creates or deletes is spread over."""
    return SESSION.admins.pool(connection, kafka_batches.PARALLEL_REQUESTS)


def _create(
    admins: list[AdminClient],
    specs: Mapping[str, Mapping[str, Any]],
    created: list[str],
    recorded: Mapping[str, Any],
) -> None:
    """CreateTopics requests for every new topic; `created` learns each one made, even when others fail. A
    recorded topic found made already is the set's own (a killed run's request that Kafka finished meanwhile)."""
    topics = [
        NewTopic(name, spec["partitions"], spec["replication_factor"], config=dict(spec["config"]))
        for name, spec in specs.items()
    ]
    results = kafka_batches.create_topics(admins, topics)
    created += [topic.topic for topic, result in zip(topics, results, strict=True) if result is True]
    # Made by someone else between the read and the create: not this stack's, so left untouched.
    foreign = [
        topic.topic
        for topic, result in zip(topics, results, strict=True)
        if result is False and topic.topic not in recorded
    ]
    if foreign:
        raise kafka_admin.AdminError("; ".join(foreign_topic_reason(name) for name in foreign))
    kafka_batches.raise_failures(results)


def _rolled_back(admins: list[AdminClient], created: list[str], error: Exception) -> Exception:
    """Delete the topics this call created, and say so beside the error that made the call fail. Not when the
    engine is gone (the `up` was killed): its next run records what this one declared and may already have made
    those topics its own."""
    if not host.engine_alive(host.ENGINE):
        return error
    undone = kafka_batches.delete_topics(admins, created)
    left = [name for name, result in zip(created, undone, strict=True) if isinstance(result, kafka_admin.AdminError)]
    if left:
        return kafka_admin.AdminError(
            f"{error}; the {len(created)} topics this run created were to be deleted again, but these were not: "
            f"{', '.join(left)}; delete them before the next `up`, or declare them with `adopt: true`"
        )
    return kafka_admin.AdminError(f"{error}; the {len(created)} topics this run created were deleted again")


def _refuse_data_loss(
    admin: AdminClient,
    recorded: Mapping[str, Mapping[str, Any]],
    names: list[str],
    declared: Mapping[str, Mapping[str, Any]],
) -> None:
    guarded = removal_guards(recorded, declared, names, data_loss_explicitly_allowed(os.environ)).checked
    holding = topic_snapshot.holding_data(admin, guarded)
    if holding:
        raise ValueError(removal_error(holding))


def _removal_refusals(olds: dict[str, Any], news: dict[str, Any]) -> list[Failure]:
    """At preview: removals a protecting stack refuses, and topics removed from the set that hold data and may not
    lose it, while the cluster can be asked."""
    removed = removed_topics(olds, news)
    if not removed:
        return []
    declared = news["topics"]
    explicit = data_loss_explicitly_allowed(os.environ)
    guard = removal_guards(olds["topics"], declared, removed, explicit, bool(news.get("protect_data")))
    connection = olds.get("connection")
    if not guard.checked or not kafka_admin.is_known(connection):
        return guard.refusals
    try:
        holding = topic_snapshot.holding_data(SESSION.admins.get(connection), guard.checked)
    except (kafka_admin.AdminError, KafkaException):
        # A preview that cannot reach the cluster (a pull request's runner) is not refused: the apply asks again
        # before it deletes anything.
        return guard.refusals
    return guard.refusals + removal_refusals(holding, renames(declared))


class TopicSet(PlatformResource, kind=TOPIC_SET):
    """Every topic of the catalog, managed by this stack as one resource."""

    topics: pulumi.Output[str]
    """Every topic as recorded, packed (components/rules/packed_members.py)."""

    provider_class = TopicSetProvider
    secret_outputs = SECRET_OUTPUTS
