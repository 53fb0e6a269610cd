"""A KRaft broker's registration in the cluster's metadata, as a resource its container depends on: the engine
deletes a dependency after what depends on it, so when the stack removes the broker (drained first by the
partition balance) this resource goes once the broker's container is gone, and unregisters the broker through
broker 0, whose container depends on every registration and so outlives them all.

Creating it does nothing (a broker registers itself when it starts). An `up` killed after the container went
leaves the registration in the state: the next `up` deletes it, which unregisters then; a broker already
unregistered is no error. When broker 0 does not run (a stack destroyed while stopped) there is no cluster to
tell, and its metadata goes with the controllers: nothing is done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi.dynamic import CreateResult, DiffResult, UpdateResult

from components.clients import broker_registration
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules.names import BROKER_REGISTRATION


@dataclass(frozen=True)
class BrokerRegistrationArgs(ResourceArgs):
    broker: int
    """The broker's id."""
    through: str
    """The container of the broker the unregistration goes through (broker 0, which the stack keeps)."""


class BrokerRegistrationProvider(PlatformProvider):
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Never a replacement: replacing deletes, and deleting unregisters a broker that runs.
        return DiffResult(changes=any(olds.get(key) != news.get(key) for key in ("broker", "through")))

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"kafka-{props['broker']}", dict(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(dict(news))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        through = str(props["through"])
        if broker_registration.runs(through):
            broker_registration.unregister(through, int(props["broker"]))


class BrokerRegistration(PlatformResource, kind=BROKER_REGISTRATION):
    """Broker `broker` registered with the KRaft quorum; deleted after its container, it unregisters it."""

    provider_class = BrokerRegistrationProvider
