"""A user's produce and fetch byte-rate quotas as a Pulumi resource (dynamic provider).

Kafka's Admin API for client quotas is not in librdkafka, so the provider runs Kafka's own ConfigCommand as admin
(components/clients/config_command.py): inside a broker container of the stack, or on a cluster the program does
not run, in a throw-away container of the local Kafka image.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import config_command as tool
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules.names import USER_QUOTA
from components.rules.quota import RATES, check_quota, diff_quota, parse_described, quota_changes


@dataclass(frozen=True)
class UserQuotaArgs(ResourceArgs):
    user: str
    """The user the quotas apply to."""
    container: pulumi.Input[str] = ""
    """A broker container to run Kafka's ConfigCommand in (the stack's own cluster)."""
    producer_byte_rate: int | None = None
    """Produce quota in bytes/s per broker, None for unlimited."""
    consumer_byte_rate: int | None = None
    """Fetch quota in bytes/s per broker, None for unlimited."""
    connection: pulumi.Input[Mapping[str, str]] | None = None
    """An external cluster: the admin connection (secret) ConfigCommand logs in with, from a container of `image`."""
    image: str = ""
    """An external cluster: the local image with Java and Kafka's jars that runs ConfigCommand."""


def config_command(props: Mapping[str, Any], *action: str) -> tool.Invocation:
    """ConfigCommand on the user's quotas: in the broker container, or for an external cluster in a container of
    its own with the admin's client config on stdin."""
    entity = tool.user(str(props["user"]))
    if props.get("connection"):
        return tool.in_tool_container(str(props["image"]), props["connection"], entity, action)
    return tool.in_broker(str(props["container"]), entity, action)


def _apply(olds: Mapping[str, Any], news: Mapping[str, Any]) -> None:
    to_set, to_delete = quota_changes(olds, news)
    if to_set:
        tool.run(config_command(news, "--alter", "--add-config", ",".join(f"{k}={v}" for k, v in to_set.items())))
    if to_delete:
        tool.run(config_command(news, "--alter", "--delete-config", ",".join(to_delete)))


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
        actual = parse_described(tool.run(config_command(props, "--describe")))
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
