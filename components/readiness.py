"""A resource that exists once a service really serves: the cluster answers an authenticated admin request
with every broker, or the registry answers over HTTPS. Everything that talks to a service depends on it, so
topics, users, ACLs and subjects are created in the same run as the cluster, never before it serves."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CreateResult, DiffResult, ResourceProvider, UpdateResult

from components import kafka_admin
from components.platform_resource import PlatformResource
from components.provider_values import as_int
from components.registry_client import RegistryClient, RegistryError

TIMEOUT_S = 300.0
SECRET_OUTPUTS = (
    "connection",
    "registry",
)


def _kafka_serves(connection: Mapping[str, str], brokers: int) -> str | None:
    """None when every broker is in the metadata; what is missing otherwise."""
    try:
        metadata = kafka_admin.admin_client(connection).list_topics(timeout=10)
    except Exception as error:
        return str(error)
    if len(metadata.brokers) < brokers:
        return f"{len(metadata.brokers)} of {brokers} brokers registered"
    return None


def _registry_serves(connection: Mapping[str, str]) -> str | None:
    try:
        RegistryClient(connection).subjects()
    except RegistryError as error:
        return str(error)
    return None


def await_ready(props: Mapping[str, Any]) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        problem = None
        if props.get("connection"):
            problem = _kafka_serves(props["connection"], as_int(props.get("brokers")) or 1)
        if problem is None and props.get("registry"):
            problem = _registry_serves(props["registry"])
        if problem is None:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{props.get('service')} did not serve within {TIMEOUT_S:.0f} s: {problem}")
        time.sleep(2)


class ReadinessProvider(ResourceProvider):
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [key for key in set(olds) | set(news) if key != "__provider" and olds.get(key) != news.get(key)]
        return DiffResult(changes=bool(changed))

    def create(self, props: dict[str, Any]) -> CreateResult:
        await_ready(props)
        return CreateResult(str(props.get("service")), dict(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        await_ready(news)
        return UpdateResult(dict(news))


class Readiness(PlatformResource, module="caracal", name="Readiness"):
    """Completes when the service answers; `triggers` (e.g. container ids) make it wait again after a restart."""

    provider_class = ReadinessProvider
    secret_outputs = SECRET_OUTPUTS
