"""A SCRAM-SHA-512 user as a Pulumi resource (dynamic provider): created, its password rotated, deleted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import scram_credentials
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules.names import SCRAM_USER
from components.rules.scram_user import KEYS, check_user, diff_user

SECRET_OUTPUTS = ("password", "connection")


@dataclass(frozen=True)
class ScramUserArgs(ResourceArgs):
    username: str
    """SCRAM user name (Kafka principal User:<name>)."""
    password: pulumi.Input[str]
    """The password (secret)."""
    iterations: int
    """SCRAM-SHA-512 iterations."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""


def _upsert(args: ScramUserArgs) -> None:
    admin = SESSION.admins.get(args.connection)
    scram_credentials.set_credential(admin, args.username, args.password, args.iterations)


class ScramUserProvider(PlatformProvider):
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_user(news)
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes, replaces = diff_user(olds, news)
        return DiffResult(changes=changes, replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = ScramUserArgs.from_props(props)
        _upsert(args)
        return CreateResult(args.username, args.to_props())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        iterations = scram_credentials.iterations_of(SESSION.admins.get(props["connection"]), id_)
        if iterations is None:
            return ReadResult(None, {})
        outputs = {**props, "username": id_, "iterations": iterations}
        return ReadResult(id_, outputs, {key: outputs[key] for key in KEYS})

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        args = ScramUserArgs.from_props(news)
        if olds.get("password") != args.password or olds.get("iterations") != args.iterations:
            _upsert(args)
        return UpdateResult(args.to_props())

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        scram_credentials.delete_credential(SESSION.admins.get(props["connection"]), id_)


class ScramUser(PlatformResource, kind=SCRAM_USER):
    """One SCRAM-SHA-512 user; its password is a secret in inputs, outputs and state."""

    username: pulumi.Output[str]

    provider_class = ScramUserProvider
    secret_outputs = SECRET_OUTPUTS
