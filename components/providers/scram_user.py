"""A SCRAM-SHA-512 user as a Pulumi resource (dynamic provider): created, its password rotated, deleted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from confluent_kafka.admin import (
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialDeletion,
    UserScramCredentialUpsertion,
)
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import kafka_admin
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules.names import SCRAM_USER
from components.rules.scram_user import KEYS, check_user, diff_user

SECRET_OUTPUTS = ("password", "connection")
# RESOURCE_NOT_FOUND: a user without a credential; already gone is deleted.
_NOT_FOUND = 91


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
    info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, args.iterations)
    upsertion = UserScramCredentialUpsertion(args.username, info, args.password.encode())
    futures = admin.alter_user_scram_credentials([upsertion])
    try:
        kafka_admin.wait_all(futures, "set SCRAM credential of user")
    except kafka_admin.AdminError as error:
        # Managed clusters (MSK, Confluent Cloud, Aiven) make users elsewhere and refuse this call: say what to do.
        raise kafka_admin.AdminError(
            f"{error}. If this cluster's users are made elsewhere (a cloud console, Secrets Manager, a Kubernetes "
            "operator), mark the user `existing: true` in the catalog"
        ) from None


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
        admin = SESSION.admins.get(props["connection"])
        described = kafka_admin.wait_all(
            admin.describe_user_scram_credentials([id_]), "describe SCRAM user", tolerate=[_NOT_FOUND]
        )
        description = described.get(id_)
        infos = [
            info
            for info in (description.scram_credential_infos if description else [])
            if info.mechanism == ScramMechanism.SCRAM_SHA_512
        ]
        if not infos:
            return ReadResult(None, {})
        outputs = {**props, "username": id_, "iterations": infos[0].iterations}
        return ReadResult(id_, outputs, {key: outputs[key] for key in KEYS})

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        args = ScramUserArgs.from_props(news)
        if olds.get("password") != args.password or olds.get("iterations") != args.iterations:
            _upsert(args)
        return UpdateResult(args.to_props())

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        admin = SESSION.admins.get(props["connection"])
        deletion = UserScramCredentialDeletion(id_, ScramMechanism.SCRAM_SHA_512)
        kafka_admin.wait_all(admin.alter_user_scram_credentials([deletion]), "delete SCRAM user", tolerate=[_NOT_FOUND])


class ScramUser(PlatformResource, kind=SCRAM_USER):
    """One SCRAM-SHA-512 user; its password is a secret in inputs, outputs and state."""

    username: pulumi.Output[str]

    provider_class = ScramUserProvider
    secret_outputs = SECRET_OUTPUTS
