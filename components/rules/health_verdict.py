"""Whether a cluster is healthy, and why not: the verdict of `caracal-kafka health` from the facts the client
layer gathered (components/clients/health_facts.py). Pure, so every rule is a row of a table test."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from components.rules.consumer_lag import GroupLag
from components.rules.quorum_status import QuorumStatus

# Strimzi's TooLargeConsumerGroupLag fires above 1,000 records; the same default keeps the two in step.
DEFAULT_LAG_THRESHOLD = 1000
# A certificate the platform renews is renewed well before this; one within it missed its renewal.
DEFAULT_EXPIRY_DAYS = 21
# The registry's answers, as the health endpoint gives them or as the check ended.
REGISTRY_UP = "UP"
REGISTRY_DOWN = "DOWN"
REGISTRY_UNREACHABLE = "UNREACHABLE"
REGISTRY_NOT_ALLOWED = "NOT_ALLOWED"
REGISTRY_NOT_CONFIGURED = "NOT_CONFIGURED"


@dataclass(frozen=True)
class PartitionFacts:
    topic: str
    partition: int
    leader: int | None
    replicas: tuple[int, ...]
    isr: tuple[int, ...]

    @property
    def offline(self) -> bool:
        return self.leader is None

    @property
    def under_replicated(self) -> bool:
        return len(self.isr) < len(self.replicas)


@dataclass(frozen=True)
class CertificateFacts:
    where: str
    """Who presents or holds it: `kafka localhost:9093`, `registry localhost:8081`, `CA`, `stack kafka-0`."""
    subject: str
    expires_at: datetime | None
    """None when the certificate could not be read; `error` says why."""
    error: str | None = None


@dataclass(frozen=True)
class RegistryFacts:
    url: str | None
    status: str
    detail: str = ""


@dataclass(frozen=True)
class Thresholds:
    lag: int = DEFAULT_LAG_THRESHOLD
    """A group is unhealthy when its lag on a topic is above this many records."""
    expiry_days: float = DEFAULT_EXPIRY_DAYS
    """A certificate is unhealthy when it expires within this many days."""


@dataclass(frozen=True)
class HealthFacts:
    registered_brokers: tuple[int, ...]
    expected_brokers: tuple[int, ...] | None
    """The brokers the stack declares; None when only a config file says where the cluster is."""
    controller: int | None
    quorum: QuorumStatus | None
    """None when the quorum could not be probed (no access to the stack's containers)."""
    partitions: tuple[PartitionFacts, ...]
    min_insync: Mapping[str, int]
    """min.insync.replicas of the topics that have a partition short of replicas (the others cannot be under it)."""
    groups: tuple[GroupLag, ...]
    registry: RegistryFacts
    certificates: tuple[CertificateFacts, ...]
    notes: tuple[str, ...] = field(default=())
    """What could not be checked, and why: said, not counted as unhealthy."""
    migration: str | None = None
    """Where a ZooKeeper-to-KRaft migration stands and which step comes next; None outside a migration."""


@dataclass(frozen=True)
class Problem:
    check: str
    """brokers, controller, quorum, offline, under_replicated, under_min_isr, lag, registry or certificate."""
    message: str


def under_min_isr(facts: HealthFacts) -> list[tuple[PartitionFacts, int]]:
    """Partitions with fewer in-sync replicas than their topic's min.insync.replicas, each with that minimum."""
    return [
        (state, facts.min_insync[state.topic])
        for state in facts.partitions
        if state.topic in facts.min_insync and len(state.isr) < facts.min_insync[state.topic]
    ]


def problems(facts: HealthFacts, thresholds: Thresholds, now: datetime) -> list[Problem]:
    """Everything that makes the cluster unhealthy, in the order an operator acts on it; empty when healthy."""
    found = _broker_problems(facts)
    found += [
        Problem("offline", f"{_name(p)} is offline (no leader), replicas {_ids(p.replicas)}")
        for p in facts.partitions
        if p.offline
    ]
    found += [
        Problem("under_replicated", f"{_name(p)} is under-replicated: ISR {_ids(p.isr)} of replicas {_ids(p.replicas)}")
        for p in facts.partitions
        if p.under_replicated
    ]
    found += [
        Problem("under_min_isr", f"{_name(p)} is under min.insync.replicas={minimum}: ISR {_ids(p.isr)}")
        for p, minimum in under_min_isr(facts)
    ]
    found += [
        Problem("lag", f"group {topic.group} lags {topic.lag} records on {topic.topic} (threshold {thresholds.lag})")
        for group in facts.groups
        for topic in group.topics
        if topic.lag > thresholds.lag
    ]
    if facts.registry.status in (REGISTRY_DOWN, REGISTRY_UNREACHABLE):
        found.append(Problem("registry", f"schema registry {facts.registry.status}: {facts.registry.detail}"))
    found += _certificate_problems(facts.certificates, thresholds.expiry_days, now)
    return found


def _broker_problems(facts: HealthFacts) -> list[Problem]:
    found = []
    if facts.expected_brokers is not None:
        missing = sorted(set(facts.expected_brokers) - set(facts.registered_brokers))
        if missing:
            found.append(
                Problem(
                    "brokers",
                    f"brokers {_ids(missing)} are not registered"
                    f" ({len(facts.registered_brokers)} of {len(facts.expected_brokers)})",
                )
            )
    if facts.controller is None:
        found.append(Problem("controller", "no broker is the active controller"))
    if facts.quorum is not None:
        # The quorum probe reports a missing controller too; said once above.
        found += [Problem("quorum", text) for text in facts.quorum.problems if "active controller" not in text]
    return found


def _certificate_problems(certificates: tuple[CertificateFacts, ...], days: float, now: datetime) -> list[Problem]:
    found = []
    for certificate in certificates:
        if certificate.expires_at is None:
            found.append(Problem("certificate", f"{certificate.where}: {certificate.error or 'unreadable'}"))
            continue
        left = days_left(certificate.expires_at, now)
        if left < 0:
            found.append(
                Problem(
                    "certificate",
                    f"{certificate.where} ({certificate.subject}) expired on {certificate.expires_at:%Y-%m-%d}",
                )
            )
        elif left < days:
            found.append(
                Problem(
                    "certificate",
                    f"{certificate.where} ({certificate.subject}) expires in"
                    f" {left:.1f} days, on {certificate.expires_at:%Y-%m-%d} (window {days:g} days)",
                )
            )
    return found


def days_left(expires_at: datetime, now: datetime) -> float:
    return (expires_at - now).total_seconds() / 86_400


def _name(state: PartitionFacts) -> str:
    return f"{state.topic}/{state.partition}"


def _ids(ids: tuple[int, ...] | list[int]) -> str:
    return "[" + ",".join(str(i) for i in ids) + "]"
