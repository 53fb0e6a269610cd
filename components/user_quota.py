"""A user's produce and fetch byte-rate quotas as a Pulumi resource (dynamic provider).

Kafka's Admin API for client quotas is not in librdkafka, so the provider runs Kafka's own ConfigCommand inside a
broker container (`docker exec`), as admin with a client config file that lives in that container: no credential
leaves the container and none appears on a command line.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from components import kafka_config as files
from components.platform_resource import PlatformResource
from components.provider_values import Failure, as_int, check_result

RATES = ("producer_byte_rate", "consumer_byte_rate")
_KEYS = ("user", "container", *RATES)
_DESCRIBED = re.compile(r"(producer_byte_rate|consumer_byte_rate)=([0-9.]+)")
TIMEOUT_S = 120


def check_quota(news: dict[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    inputs = dict(news)
    failures = []
    for key in RATES:
        value = news.get(key)
        rate = as_int(value) if value is not None else None
        if value is not None and (rate is None or rate < 1024):
            failures.append(
                Failure(key, f"{value!r} is not allowed; allowed: bytes per second, at least 1024, or null")
            )
        inputs[key] = rate
    return inputs, failures


def quota_changes(olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[dict[str, int], list[str]]:
    """(rates to set, rates to remove) to go from `olds` to `news`."""
    to_set = {key: news[key] for key in RATES if news.get(key) is not None and news.get(key) != olds.get(key)}
    to_delete = [key for key in RATES if news.get(key) is None and olds.get(key) is not None]
    return to_set, to_delete


def parse_described(text: str) -> dict[str, int]:
    """Rates from ConfigCommand's --describe output ("... are producer_byte_rate=1048576.0, ...")."""
    return {key: int(float(value)) for key, value in _DESCRIBED.findall(text)}


def config_command(props: Mapping[str, Any], *action: str) -> list[str]:
    """ConfigCommand run in the broker container as admin, over the in-network SASL_SSL listener."""
    return [
        "docker", "exec", str(props["container"]),
        "java", "-Xmx128m", files.LOG4J, "-cp", files.KAFKA_LIBS, "kafka.admin.ConfigCommand",
        "--bootstrap-server", f"{files.broker_host(0)}:{files.CLIENT_PORT}",
        "--command-config", files.ADMIN_CLIENT_FILE,
        "--entity-type", "users", "--entity-name", str(props["user"]), *action,
    ]  # fmt: skip


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError(f"ConfigCommand in {command[2]} failed: {(done.stderr or done.stdout).strip()[-500:]}")
    return done.stdout


def _apply(olds: Mapping[str, Any], news: Mapping[str, Any]) -> None:
    to_set, to_delete = quota_changes(olds, news)
    if to_set:
        _run(config_command(news, "--alter", "--add-config", ",".join(f"{k}={v}" for k, v in to_set.items())))
    if to_delete:
        _run(config_command(news, "--alter", "--delete-config", ",".join(to_delete)))


class UserQuotaProvider(ResourceProvider):
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_quota(news)
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces = ["user"] if olds.get("user") != news.get("user") else []
        changed = any(as_int(olds.get(key)) != as_int(news.get(key)) for key in RATES)
        moved = olds.get("container") != news.get("container")
        return DiffResult(changes=bool(replaces) or changed or moved, replaces=replaces, delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        props, _ = check_quota(props)
        _apply({}, props)
        return CreateResult(str(props["user"]), {key: props.get(key) for key in _KEYS})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        actual = parse_described(_run(config_command(props, "--describe")))
        if not actual:
            return ReadResult(None, {})
        outputs = {**{key: props.get(key) for key in _KEYS}, **{key: actual.get(key) for key in RATES}}
        return ReadResult(id_, outputs, outputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        olds, _ = check_quota(olds)
        news, _ = check_quota(news)
        _apply(olds, news)
        return UpdateResult({key: news.get(key) for key in _KEYS})

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        props, _ = check_quota(props)
        _apply(props, {**props, **dict.fromkeys(RATES)})


class UserQuota(PlatformResource, module="caracal", name="UserQuota"):
    """Byte-rate quotas of one user, per broker."""

    provider_class = UserQuotaProvider
