"""A SCRAM-SHA-512 user as a Pulumi resource (dynamic provider): created, its password rotated, deleted."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pulumi
from confluent_kafka.admin import (
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialDeletion,
    UserScramCredentialUpsertion,
)
from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from components import kafka_admin
from components.platform_resource import PlatformResource
from components.provider_values import Failure, as_int, check_result, is_unknown

USER_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$")
SECRET_OUTPUTS = (
    "password",
    "connection",
)
_KEYS = ("username", "password", "iterations", "connection")


def check_user(news: dict[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    failures = []
    name = news.get("username")
    if not is_unknown(name) and (not isinstance(name, str) or not USER_NAME.match(name)):
        failures.append(Failure("username", f"{name!r} is not allowed; allowed: 1-64 characters of a-z A-Z 0-9 . _ -"))
    iterations = as_int(news.get("iterations"))
    if iterations is None or not 4096 <= iterations <= 16384:
        failures.append(
            Failure("iterations", f"{news.get('iterations')!r} is not allowed; allowed: an integer from 4096 to 16384")
        )
    inputs = {**news, "iterations": iterations}
    password = news.get("password")
    if not is_unknown(password) and (not isinstance(password, str) or len(password) < 16):
        failures.append(Failure("password", "allowed: a string of at least 16 characters"))
    return inputs, failures


def diff_user(olds: dict[str, Any], news: dict[str, Any]) -> tuple[bool, list[str]]:
    """(changes, replaces): a new name is a new user; a new password or iteration count is set in place."""
    replaces = ["username"] if olds.get("username") != news.get("username") else []
    changes = bool(replaces) or any(olds.get(key) != news.get(key) for key in _KEYS)
    return changes, replaces


def _upsert(props: Mapping[str, Any]) -> None:
    admin = kafka_admin.admin_client(props["connection"])
    info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, as_int(props["iterations"]) or 0)
    upsertion = UserScramCredentialUpsertion(props["username"], info, props["password"].encode())
    futures = admin.alter_user_scram_credentials([upsertion])
    kafka_admin.wait_all(futures, "set SCRAM credential of user")


class ScramUserProvider(ResourceProvider):
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_user(news)
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes, replaces = diff_user(olds, news)
        return DiffResult(changes=changes, replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        _upsert(props)
        return CreateResult(props["username"], {key: props[key] for key in _KEYS})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        admin = kafka_admin.admin_client(props["connection"])
        described = kafka_admin.wait_all(
            admin.describe_user_scram_credentials([id_]), "describe SCRAM user", tolerate=[91]
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
        return ReadResult(id_, outputs, {key: outputs[key] for key in _KEYS})

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        if olds.get("password") != news.get("password") or olds.get("iterations") != news.get("iterations"):
            _upsert(news)
        return UpdateResult({key: news[key] for key in _KEYS})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        admin = kafka_admin.admin_client(props["connection"])
        deletion = UserScramCredentialDeletion(id_, ScramMechanism.SCRAM_SHA_512)
        # 91 = RESOURCE_NOT_FOUND: already gone is deleted.
        kafka_admin.wait_all(admin.alter_user_scram_credentials([deletion]), "delete SCRAM user", tolerate=[91])


class ScramUser(PlatformResource, module="caracal", name="ScramUser"):
    """One SCRAM-SHA-512 user; its password is a secret in inputs, outputs and state."""

    username: pulumi.Output[str]

    provider_class = ScramUserProvider
    secret_outputs = SECRET_OUTPUTS
