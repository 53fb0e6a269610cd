"""A user's produce and fetch byte-rate quotas: what may be declared, what a change sets or removes, and how
Kafka's ConfigCommand reports them. Pure functions, no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from components.rules.values import Failure, as_int

RATES = ("producer_byte_rate", "consumer_byte_rate")
MIN_RATE = 1024
_DESCRIBED = re.compile(r"(producer_byte_rate|consumer_byte_rate)=([0-9.]+)")


def quota_entity(user: str) -> tuple[str, ...]:
    """ConfigCommand's arguments that name a user's quotas."""
    return ("--entity-type", "users", "--entity-name", user)


def check_quota(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    inputs = dict(news)
    failures = []
    for key in RATES:
        value = news.get(key)
        rate = as_int(value) if value is not None else None
        if value is not None and (rate is None or rate < MIN_RATE):
            failures.append(
                Failure(key, f"{value!r} is not allowed; allowed: bytes per second, at least {MIN_RATE}, or null")
            )
        inputs[key] = rate
    return inputs, failures


def quota_changes(olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[dict[str, int], list[str]]:
    """(rates to set, rates to remove) to go from `olds` to `news`."""
    to_set = {key: news[key] for key in RATES if news.get(key) is not None and news.get(key) != olds.get(key)}
    to_delete = [key for key in RATES if news.get(key) is None and olds.get(key) is not None]
    return to_set, to_delete


def diff_quota(olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[bool, list[str]]:
    """(changes, replaces): another user is another quota; rates, the broker asked and the login change in place."""
    replaces = ["user"] if olds.get("user") != news.get("user") else []
    changed = any(as_int(olds.get(key)) != as_int(news.get(key)) for key in RATES)
    # Another broker or login to run the tool with: kept, so a later change or delete still logs in.
    # Compared with empty as absent: quotas recorded before external clusters carry neither connection nor image.
    moved = any((olds.get(key) or None) != (news.get(key) or None) for key in ("container", "connection", "image"))
    return bool(replaces) or changed or moved, replaces


def parse_described(text: str) -> dict[str, int]:
    """Rates from ConfigCommand's --describe output ("... are producer_byte_rate=1048576.0, ...")."""
    return {key: int(float(value)) for key, value in _DESCRIBED.findall(text)}
