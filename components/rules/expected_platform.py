"""What a stack says its platform should be, read back from its outputs: the brokers, ZooKeeper nodes and KRaft
controllers it runs (the nodes `certificateExpiresAt` names, one certificate each) and when each certificate
expires. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from components.rules.layout import BROKER_HOST_PREFIX

_ZOOKEEPER_NODE = re.compile(r"^zookeeper-(\d+)$")
_CONTROLLER = re.compile(r"^controller-(\d+)$")
_BROKER = re.compile(rf"^{BROKER_HOST_PREFIX}(\d+)$")
# Python reads at most microseconds; Go's RFC 3339 times may carry nanoseconds.
_FRACTION = re.compile(r"(\.\d{6})\d+")


@dataclass(frozen=True)
class ExpectedPlatform:
    prefix: str
    """Prefix of the stack's Docker objects, caracal-STACK."""
    brokers: tuple[int, ...]
    zookeeper_nodes: int
    controllers: int
    """KRaft controllers (0 on a ZooKeeper stack)."""
    certificate_expiry: Mapping[str, datetime]
    """Each server certificate the stack made, by the name the output gives it, and when it expires."""


def expected_platform(stack: str, certificate_expires_at: Mapping[str, str]) -> ExpectedPlatform:
    """The platform of `stack` from its `certificateExpiresAt` output; ValueError naming an unreadable time."""
    brokers = sorted(int(found[1]) for name in certificate_expires_at if (found := _BROKER.match(name)))
    zookeeper = [name for name in certificate_expires_at if _ZOOKEEPER_NODE.match(name)]
    controllers = [name for name in certificate_expires_at if _CONTROLLER.match(name)]
    expiry = {name: parse_time(name, text) for name, text in certificate_expires_at.items()}
    return ExpectedPlatform(f"caracal-{stack}", tuple(brokers), len(zookeeper), len(controllers), expiry)


def parse_time(name: str, text: str) -> datetime:
    """An RFC 3339 time as a UTC datetime; ValueError naming `name` and the text otherwise."""
    try:
        parsed = datetime.fromisoformat(_FRACTION.sub(r"\1", str(text).strip()).replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"certificateExpiresAt.{name}: {text!r} is not an RFC 3339 time") from None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
