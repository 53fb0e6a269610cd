"""A Kafka topic as a Pulumi resource (dynamic provider): created, grown and reconfigured in place, never
silently deleted or recreated while it holds data. Rules decide (components/rules/topic.py); this file acts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
from confluent_kafka.admin import AdminClient, NewTopic
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import kafka_admin, kafka_batches, topic_snapshot
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules.names import TOPIC
from components.rules.topic import (
    change_refusals,
    check_topic,
    data_loss_explicitly_allowed,
    diff_topic,
    not_deleted_reason,
)
from components.rules.values import Failure

SECRET_OUTPUTS = ("connection",)


@dataclass(frozen=True)
class TopicArgs(ResourceArgs):
    name: str
    """Kafka topic name."""
    partitions: int
    """Partition count; grows in place, never shrinks."""
    replication_factor: int
    """Replicas per partition; a change is refused (it needs a reassignment)."""
    config: Mapping[str, str]
    """Topic config overrides, in any unit; normalised to Kafka's string form by check."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""
    allow_data_loss: bool = False
    """Lets a replacement or deletion of a topic that still holds data go ahead."""
    adopt: bool = field(default=False)
    """Take over a topic that already exists instead of refusing to touch it."""


class TopicProvider(PlatformProvider):
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_topic(news)
        if olds and not failures:
            failures += change_refusals(olds, inputs)
            if olds.get("name") != inputs.get("name"):
                failures += _replacement_refusals(olds, inputs)
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Pure: refusals were made in check; refresh also diffs, and must never fail for a refusal.
        result = diff_topic(olds, news)
        return DiffResult(changes=result.changes, replaces=result.replaces, delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = TopicArgs.from_props(props)
        admin = SESSION.admins.get(args.connection)
        topic = NewTopic(
            args.name,
            num_partitions=args.partitions,
            replication_factor=args.replication_factor,
            config=dict(args.config),
        )
        # Kafka answers "already exists" without touching the topic: no read before the create is needed.
        try:
            created = SESSION.batches.create_topic(admin, topic)
        finally:
            SESSION.topics.invalidate()
        if not created:
            existing = topic_snapshot.describe_one(admin, args.name)
            if not args.adopt or existing is None:
                raise kafka_admin.AdminError(
                    f"topic {args.name} already exists and is not managed by this stack: it is left "
                    "untouched; to manage it from now on, declare it with `adopt: true`"
                )
            _adopt(admin, props, existing)
        SESSION.batches.await_topic(admin, args.name, args.partitions)
        return CreateResult(args.name, args.to_props())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        args = TopicArgs.from_props(props)
        actual = SESSION.topics.get(SESSION.admins.get(args.connection)).get(id_)
        if actual is None:
            return ReadResult(None, {})
        outputs = {
            **props,
            "name": id_,
            "partitions": actual.partitions,
            "replication_factor": actual.replication_factor,
            # Only keys the program sets are compared; broker defaults and other overrides are not drift.
            "config": {key: actual.config[key] for key in args.config if key in actual.config},
        }
        inputs = {key: outputs[key] for key in ("name", "partitions", "replication_factor", "config", "connection")}
        inputs.update(allow_data_loss=args.allow_data_loss, adopt=args.adopt)
        return ReadResult(id_, outputs, inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        result = diff_topic(olds, news)
        if result.refusals:
            raise ValueError("; ".join(result.refusals))
        args = TopicArgs.from_props(news)
        admin = SESSION.admins.get(args.connection)
        try:
            if args.partitions > olds["partitions"]:
                _add_partitions(admin, args.name, args.partitions)
            if result.config_set or result.config_deleted:
                _alter_config(admin, args.name, result.config_set, result.config_deleted)
        finally:
            SESSION.topics.invalidate()
        SESSION.batches.await_topic(admin, args.name, args.partitions)
        return UpdateResult(args.to_props())

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        args = TopicArgs.from_props(props)
        admin = SESSION.admins.get(args.connection)
        if not _data_loss_allowed(id_, args):
            reason = topic_snapshot.holds_data(admin, id_)
            if reason:
                raise ValueError(not_deleted_reason(id_, reason))
        try:
            SESSION.batches.delete_topic(admin, id_)
        finally:
            SESSION.topics.invalidate()


def _adopt(admin: AdminClient, props: dict[str, Any], existing: topic_snapshot.ActualTopic) -> None:
    """Take over an existing topic: bring it to the declared state where that loses nothing, refuse otherwise."""
    actual = {
        "name": props["name"],
        "partitions": existing.partitions,
        "replication_factor": existing.replication_factor,
        "config": {key: existing.config[key] for key in props["config"] if key in existing.config},
    }
    refusals = change_refusals(actual, props)
    if refusals:
        raise ValueError("; ".join(failure.reason for failure in refusals))
    result = diff_topic(actual, props)
    try:
        if props["partitions"] > existing.partitions:
            _add_partitions(admin, props["name"], props["partitions"])
        if result.config_set:
            _alter_config(admin, props["name"], result.config_set, [])
    finally:
        SESSION.topics.invalidate()


def _add_partitions(admin: AdminClient, name: str, partitions: int) -> None:
    kafka_batches.raise_failures(kafka_batches.add_partitions(admin, {name: partitions}).values())


def _data_loss_allowed(name: str, args: TopicArgs) -> bool:
    """Deleting a topic with data needs its own flag, this operation's approval, or the operator's explicit word."""
    return args.allow_data_loss or SESSION.deletions.approved(name) or data_loss_explicitly_allowed(os.environ)


def _alter_config(admin: AdminClient, name: str, config_set: dict[str, str], config_deleted: list[str]) -> None:
    changes = {name: (config_set, config_deleted)}
    kafka_batches.raise_failures(kafka_batches.alter_topic_configs(admin, changes).values())


def _replacement_refusals(olds: dict[str, Any], news: dict[str, Any]) -> list[Failure]:
    """Replacing deletes the old topic: allowed when it is empty and no group depends on it, or by flag."""
    name = olds["name"]
    if news.get("allow_data_loss") or olds.get("allow_data_loss"):
        SESSION.deletions.approve(name)
        return []
    if not kafka_admin.is_known(olds.get("connection")):
        return [
            Failure("name", f"topic {name} cannot be checked for data before replacing it; set allow_data_loss: true")
        ]
    reason = topic_snapshot.holds_data(SESSION.admins.get(olds["connection"]), name)
    if reason:
        return [
            Failure(
                "name",
                f"topic {name} would be replaced (deleted and created as {news.get('name')}), but it {reason}; "
                "keep its name, or set allow_data_loss: true on it to accept losing the data",
            )
        ]
    SESSION.deletions.approve(name)
    return []


class Topic(PlatformResource, kind=TOPIC):
    """One Kafka topic managed by this stack."""

    name: pulumi.Output[str]
    partitions: pulumi.Output[int]
    replication_factor: pulumi.Output[int]
    config: pulumi.Output[dict]

    provider_class = TopicProvider
    secret_outputs = SECRET_OUTPUTS
