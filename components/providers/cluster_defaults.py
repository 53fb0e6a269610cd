"""The cluster-wide broker defaults the stack sets that Kafka changes at run time (retention, min.insync.replicas):
set in place with IncrementalAlterConfigs on the cluster-default resource, so changing one restarts nothing.
A refresh reads them back, so a default changed out of band shows as drift and the next `up` puts it back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import cluster_health
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules import roll
from components.rules.names import CLUSTER_DEFAULTS
from components.rules.values import is_unknown

SECRET_OUTPUTS = ("connection",)


@dataclass(frozen=True)
class ClusterDefaultsArgs(ResourceArgs):
    values: Mapping[str, str]
    """Config key -> value, as Kafka spells them."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""
    container: pulumi.Input[str]
    """A broker container to run Kafka's ConfigCommand in."""


def _apply(olds: Mapping[str, Any], news: Mapping[str, Any]) -> None:
    admin = SESSION.admins.get(news["connection"])
    actual = cluster_health.cluster_defaults(admin, roll.DYNAMIC_CLUSTER_KEYS)
    desired = dict(news["values"])
    # A key the stack stops setting goes back to the brokers' own value.
    dropped = [key for key in (olds.get("values") or {}) if key not in desired and key in actual]
    cluster_health.set_cluster_defaults(
        str(news["container"]), roll.defaults_to_change(desired, actual), remove=dropped
    )


class ClusterDefaultsProvider(PlatformProvider):
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = is_unknown(news.get("values")) or olds.get("values") != news.get("values")
        return DiffResult(changes=changed or any(olds.get(key) != news.get(key) for key in ("connection", "container")))

    def create(self, props: dict[str, Any]) -> CreateResult:
        _apply({}, props)
        return CreateResult("cluster-defaults", dict(props))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        _apply(olds, news)
        return UpdateResult(dict(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        admin = SESSION.admins.get(props["connection"])
        actual = cluster_health.cluster_defaults(admin, roll.DYNAMIC_CLUSTER_KEYS)
        values = {key: actual.get(key, "") for key in props.get("values") or {}}
        return ReadResult(id_, {**props, "values": values})

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        # The cluster goes away with the stack; the defaults go with it. A stack that keeps its cluster but no
        # longer manages them leaves them as they are (the brokers' files no longer carry them).
        return None


class ClusterDefaults(PlatformResource, kind=CLUSTER_DEFAULTS):
    """The stack's dynamic cluster-wide defaults, applied to the running brokers without a restart."""

    provider_class = ClusterDefaultsProvider
    secret_outputs = SECRET_OUTPUTS
