"""A resource that exists once a service really serves: the cluster answers an authenticated admin request
with every broker, or the registry answers over HTTPS. Everything that talks to a service depends on it, so
topics, users, ACLs and subjects are created in the same run as the cluster, never before it serves."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, UpdateResult

from components.clients.registry import RegistryClient, RegistryError
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules.names import READINESS

TIMEOUT_S = 300.0
SECRET_OUTPUTS = ("connection", "registry")


@dataclass(frozen=True)
class KafkaReadinessArgs(ResourceArgs):
    service: str
    """What is awaited, for messages."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""
    brokers: int
    """How many brokers the metadata must show."""
    triggers: Sequence[pulumi.Input[str]]
    """Container ids: a new one (a restart) makes the resource wait again."""


@dataclass(frozen=True)
class RegistryReadinessArgs(ResourceArgs):
    service: str
    """What is awaited, for messages."""
    registry: pulumi.Input[Mapping[str, str]]
    """Where the registry is and the program's login there: url, ca_pem, username, password (secret)."""
    triggers: Sequence[pulumi.Input[str]]
    """Container ids: a new one (a restart) makes the resource wait again."""


def _kafka_serves(connection: Mapping[str, str], brokers: int) -> str | None:
    """None when every broker is in the metadata; what is missing otherwise."""
    try:
        metadata = SESSION.admins.get(connection).list_topics(timeout=10)
    except Exception as error:
        return str(error)
    if len(metadata.brokers) < brokers:
        return f"{len(metadata.brokers)} of {brokers} brokers registered"
    return None


def _registry_serves(connection: Mapping[str, str]) -> str | None:
    try:
        RegistryClient.from_connection(connection).subjects()
    except RegistryError as error:
        return str(error)
    return None


def await_ready(props: Mapping[str, Any]) -> None:
    timeout = props.get("timeout_s") or TIMEOUT_S
    deadline = time.monotonic() + timeout
    while True:
        problem = None
        if props.get("connection"):
            problem = _kafka_serves(props["connection"], props.get("brokers") or 1)
        if problem is None and props.get("registry"):
            problem = _registry_serves(props["registry"])
        if problem is None:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{props.get('service')} did not serve within {timeout:.0f} s: {problem}")
        time.sleep(2)


class ReadinessProvider(PlatformProvider):
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [key for key in set(olds) | set(news) if key != "__provider" and olds.get(key) != news.get(key)]
        return DiffResult(changes=bool(changed))

    def create(self, props: dict[str, Any]) -> CreateResult:
        await_ready(props)
        return CreateResult(str(props.get("service")), dict(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        await_ready(news)
        return UpdateResult(dict(news))


class Readiness(PlatformResource, kind=READINESS):
    """Completes when the service answers; `triggers` (e.g. container ids) make it wait again after a restart."""

    provider_class = ReadinessProvider
    secret_outputs = SECRET_OUTPUTS
