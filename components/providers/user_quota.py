"""A user's produce and fetch byte-rate quotas as a Pulumi resource (dynamic provider).

Kafka's Admin API for client quotas is not in librdkafka, so the provider runs Kafka's own kafka-configs tool as
admin (components/clients/kafka_tools.py): inside a broker container of the stack, or on a cluster the program does
not run, in a throw-away container of the local Kafka image with the admin's login on stdin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import kafka_tools
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules.kafka_tools import CONFIGS
from components.rules.names import USER_QUOTA
from components.rules.quota import RATES, check_quota, diff_quota, parse_described, quota_changes, quota_entity


@dataclass(frozen=True)
class UserQuotaArgs(ResourceArgs):
    user: str
    """The user the quotas apply to."""
    container: pulumi.Input[str] = ""
    """A broker container to run Kafka's kafka-configs in (the stack's own cluster)."""
    producer_byte_rate: int | None = None
    """Produce quota in bytes/s per broker, None for unlimited."""
    consumer_byte_rate: int | None = None
    """Fetch quota in bytes/s per broker, None for unlimited."""
    connection: pulumi.Input[Mapping[str, str]] | None = None
    """An external cluster: the admin connection (secret) kafka-configs logs in with, from a container of `image`."""
    image: str = ""
    """An external cluster: the local image with Java and Kafka's jars that runs kafka-configs."""


def config_command(props: Mapping[str, Any], *action: str) -> str:
    """kafka-configs on the user's quotas: in the broker container, or for an external cluster in a container of
    its own with the admin's client config on stdin. What it printed."""
    entity = quota_entity(str(props["user"]))
    if props.get("connection"):
        place: kafka_tools.Place = kafka_tools.InToolContainer(str(props["image"]))
        client = kafka_tools.admin_client(props["connection"])
    else:
        place, client = kafka_tools.InBroker(str(props["container"])), None
    return kafka_tools.run(CONFIGS, [*entity, *action], place, client).stdout


def _apply(olds: Mapping[str, Any], news: Mapping[str, Any]) -> None:
    to_set, to_delete = quota_changes(olds, news)
    if to_set:
        config_command(news, "--alter", "--add-config", ",".join(f"{k}={v}" for k, v in to_set.items()))
    if to_delete:
        config_command(news, "--alter", "--delete-config", ",".join(to_delete))


class UserQuotaProvider(PlatformProvider):
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_quota(news)
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes, replaces = diff_quota(olds, news)
        return DiffResult(changes=changes, replaces=replaces, delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = UserQuotaArgs.from_props(props)
        _apply({}, args.to_props())
        return CreateResult(args.user, args.to_props())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        actual = parse_described(config_command(props, "--describe"))
        if not actual:
            return ReadResult(None, {})
        outputs = {**UserQuotaArgs.from_props(props).to_props(), **{key: actual.get(key) for key in RATES}}
        return ReadResult(id_, outputs, outputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        args = UserQuotaArgs.from_props(news)
        _apply(olds, args.to_props())
        return UpdateResult(args.to_props())

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        _apply(props, {**props, **dict.fromkeys(RATES)})


class UserQuota(PlatformResource, kind=USER_QUOTA):
    """Byte-rate quotas of one user, per broker."""

    provider_class = UserQuotaProvider
    secret_outputs = ("connection",)
