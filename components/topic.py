"""A Kafka topic as a Pulumi resource (dynamic provider): created, grown and reconfigured in place, never
silently deleted or recreated while it holds data."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pulumi
from confluent_kafka import KafkaError
from confluent_kafka.admin import AlterConfigOpType, ConfigEntry, ConfigResource, NewPartitions, NewTopic
from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from components import kafka_admin, topic_state
from components.platform_resource import PlatformResource
from components.provider_values import Failure, check_result
from components.topic_rules import change_refusals, check_topic, diff_topic, with_counts

SECRET_OUTPUTS = ("connection",)
# Set by `make down`: destroying a whole stack is the operator's explicit decision to drop its data.
ALLOW_DATA_LOSS_ENV = "CARACAL_ALLOW_DATA_LOSS"


class TopicProvider(ResourceProvider):
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
        props = with_counts(props)
        admin = kafka_admin.admin_client(props["connection"])
        existing = topic_state.describe_one(admin, props["name"])
        if existing is not None:
            if not props.get("adopt"):
                raise kafka_admin.AdminError(
                    f"topic {props['name']} already exists and is not managed by this stack: it is left "
                    "untouched; to manage it from now on, declare it with `adopt: true`"
                )
            _adopt(admin, props, existing)
        else:
            topic = NewTopic(
                props["name"],
                num_partitions=props["partitions"],
                replication_factor=props["replication_factor"],
                config=dict(props["config"]),
            )
            futures = admin.create_topics([topic], request_timeout=kafka_admin.REQUEST_TIMEOUT_S)
            try:
                kafka_admin.wait(futures[props["name"]], f"create topic {props['name']}")
            finally:
                topic_state.invalidate()
        topic_state.await_topic(admin, props["name"], props["partitions"])
        return CreateResult(props["name"], _outputs(props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        admin = kafka_admin.admin_client(props["connection"])
        actual = topic_state.snapshot(admin).get(id_)
        if actual is None:
            return ReadResult(None, {})
        managed = props.get("config") or {}
        outputs = {
            **props,
            "name": id_,
            "partitions": actual.partitions,
            "replication_factor": actual.replication_factor,
            # Only keys the program sets are compared; broker defaults and other overrides are not drift.
            "config": {key: actual.config[key] for key in managed if key in actual.config},
        }
        inputs = {key: outputs[key] for key in ("name", "partitions", "replication_factor", "config", "connection")}
        inputs["allow_data_loss"] = bool(props.get("allow_data_loss", False))
        return ReadResult(id_, outputs, inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        olds, news = with_counts(olds), with_counts(news)
        result = diff_topic(olds, news)
        if result.refusals:
            raise ValueError("; ".join(result.refusals))
        admin = kafka_admin.admin_client(news["connection"])
        name = news["name"]
        try:
            if news["partitions"] > olds["partitions"]:
                futures = admin.create_partitions([NewPartitions(name, news["partitions"])])
                kafka_admin.wait(futures[name], f"add partitions to {name}")
            if result.config_set or result.config_deleted:
                _alter_config(admin, name, result.config_set, result.config_deleted)
        finally:
            topic_state.invalidate()
        topic_state.await_topic(admin, name, news["partitions"])
        return UpdateResult(_outputs(news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        admin = kafka_admin.admin_client(props["connection"])
        if not _data_loss_allowed(id_, props):
            reason = topic_state.holds_data(admin, id_)
            if reason:
                raise ValueError(
                    f"topic {id_} is not deleted: it {reason}. To delete it and its data, first set "
                    f"allow_data_loss: true on it and run `pulumi up`, then remove it; or destroy with "
                    f"{ALLOW_DATA_LOSS_ENV}=true"
                )
        futures = admin.delete_topics([id_], request_timeout=kafka_admin.REQUEST_TIMEOUT_S)
        kafka_admin.wait(futures[id_], f"delete topic {id_}", tolerate=[KafkaError.UNKNOWN_TOPIC_OR_PART])
        topic_state.invalidate()
        topic_state.await_gone(admin, id_)


def _adopt(admin: Any, props: dict[str, Any], existing: topic_state.ActualTopic) -> None:
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
            futures = admin.create_partitions([NewPartitions(props["name"], props["partitions"])])
            kafka_admin.wait(futures[props["name"]], f"add partitions to {props['name']}")
        if result.config_set:
            _alter_config(admin, props["name"], result.config_set, [])
    finally:
        topic_state.invalidate()


def _data_loss_allowed(name: str, props: Mapping[str, Any]) -> bool:
    """Deleting a topic with data needs its own flag, this run's approval, or the operator's explicit word."""
    explicit = os.environ.get(ALLOW_DATA_LOSS_ENV, "").lower() in ("1", "true", "yes")
    return bool(props.get("allow_data_loss")) or topic_state.deletion_approved(name) or explicit


def _outputs(props: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("name", "partitions", "replication_factor", "config", "allow_data_loss", "adopt", "connection")
    return {key: props.get(key) for key in keys}


def _alter_config(admin: Any, name: str, config_set: dict[str, str], config_deleted: list[str]) -> None:
    entries = [
        ConfigEntry(key, value, incremental_operation=AlterConfigOpType.SET) for key, value in config_set.items()
    ]
    entries += [ConfigEntry(key, None, incremental_operation=AlterConfigOpType.DELETE) for key in config_deleted]
    resource = ConfigResource(ConfigResource.Type.TOPIC, name, incremental_configs=entries)
    futures = admin.incremental_alter_configs([resource])
    kafka_admin.wait_all(futures, f"alter config of topic {name}")


def _replacement_refusals(olds: dict[str, Any], news: dict[str, Any]) -> list[Failure]:
    """Replacing deletes the old topic: allowed when it is empty and no group depends on it, or by flag."""
    name = olds["name"]
    if news.get("allow_data_loss") or olds.get("allow_data_loss"):
        topic_state.approve_deletion(name)
        return []
    if not kafka_admin.is_known(olds.get("connection")):
        return [
            Failure("name", f"topic {name} cannot be checked for data before replacing it; set allow_data_loss: true")
        ]
    reason = topic_state.holds_data(kafka_admin.admin_client(olds["connection"]), name)
    if reason:
        return [
            Failure(
                "name",
                f"topic {name} would be replaced (deleted and created as {news.get('name')}), but it {reason}; "
                "keep its name, or set allow_data_loss: true on it to accept losing the data",
            )
        ]
    topic_state.approve_deletion(name)
    return []


class Topic(PlatformResource, module="caracal", name="Topic"):
    """One Kafka topic managed by this stack."""

    name: pulumi.Output[str]
    partitions: pulumi.Output[int]
    replication_factor: pulumi.Output[int]
    config: pulumi.Output[dict]

    provider_class = TopicProvider
    secret_outputs = SECRET_OUTPUTS
