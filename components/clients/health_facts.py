"""Everything `caracal-kafka health` judges, read from a running cluster: brokers and controller from the
metadata, the quorum from the stack's containers, partitions and their in-sync replicas, consumer lag, the
registry's health endpoint and the certificates the servers present. Each part that cannot be read becomes a
note, not a failure: a user with fewer rights still gets the rest."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from components.clients import certificate_expiry, cluster_health, group_offsets, migration_facts, quorum_probe
from components.clients.client_settings import SYSTEM_TRUST
from components.clients.docker_cli import DockerUnavailable
from components.clients.kafka_admin import CLUSTER_ERRORS
from components.clients.registry_health import registry_health
from components.clients.running_platform import running_containers
from components.rules import migration_phase
from components.rules.consumer_lag import GroupLag
from components.rules.expected_platform import ExpectedPlatform
from components.rules.health_verdict import (
    REGISTRY_NOT_ALLOWED,
    REGISTRY_NOT_CONFIGURED,
    REGISTRY_UNREACHABLE,
    CertificateFacts,
    HealthFacts,
    PartitionFacts,
    RegistryFacts,
)
from components.rules.quorum_status import QuorumStatus


@dataclass
class Timings:
    """Seconds each part took, for the report and for the bench."""

    seconds: dict[str, float] = field(default_factory=dict)

    def since(self, part: str, started: float) -> None:
        self.seconds[part] = round(time.monotonic() - started, 3)


def gather(
    admin: AdminClient,
    kafka: Mapping[str, str],
    registry: Mapping[str, str],
    expected: ExpectedPlatform | None,
    timeout: float,
) -> tuple[HealthFacts, Timings]:
    """The facts of the cluster `admin` reaches (raises KafkaException when its metadata cannot be read)."""
    timings, notes = Timings(), []
    started = time.monotonic()
    metadata = admin.list_topics(timeout=timeout)
    controller = (
        metadata.controller_id if isinstance(metadata.controller_id, int) and metadata.controller_id >= 0 else None
    )
    partitions = tuple(
        PartitionFacts(topic, p.id, p.leader if p.leader >= 0 else None, tuple(p.replicas), tuple(p.isrs))
        for topic, described in sorted(metadata.topics.items())
        for p in sorted(described.partitions.values(), key=lambda p: p.id)
    )
    short = {state.topic for state in partitions if state.under_replicated}
    min_insync: dict[str, int] = {}
    try:
        min_insync = cluster_health.min_insync(admin, short)
    except CLUSTER_ERRORS as error:
        notes.append(f"min.insync.replicas not read (needs DescribeConfigs on the topics): {error}")
    timings.since("metadata", started)

    started = time.monotonic()
    quorum = _quorum(expected, admin, notes)
    migration = _migration(expected) if quorum is not None else None
    timings.since("quorum", started)

    started = time.monotonic()
    groups: tuple[GroupLag, ...] = ()
    try:
        groups, lag_notes = group_offsets.group_lags(admin, timeout)
        notes += lag_notes
    except KafkaException as error:
        notes.append(f"consumer groups not listed: {error}")
    except TimeoutError:
        notes.append(f"consumer groups not listed: no answer within {timeout:g} s")
    timings.since("lag", started)

    started = time.monotonic()
    registry_facts = registry_health(registry, timeout)
    if registry_facts.status in (REGISTRY_NOT_ALLOWED, REGISTRY_NOT_CONFIGURED):
        notes.append(f"registry health not read: {registry_facts.detail}")
    timings.since("registry", started)

    started = time.monotonic()
    addresses = {broker.id: (broker.host, broker.port) for broker in metadata.brokers.values()}
    certificates = _certificates(kafka, registry, registry_facts, addresses, expected, timeout)
    timings.since("certificates", started)

    facts = HealthFacts(
        registered_brokers=tuple(sorted(metadata.brokers)),
        expected_brokers=expected.brokers if expected else None,
        controller=controller,
        quorum=quorum,
        partitions=partitions,
        min_insync=min_insync,
        groups=groups,
        registry=registry_facts,
        certificates=certificates,
        notes=tuple(notes),
        migration=migration,
    )
    return facts, timings


def _quorum(expected: ExpectedPlatform | None, admin: AdminClient, notes: list[str]) -> QuorumStatus | None:
    if expected is None:
        notes.append("quorum not probed: it needs the stack's containers (use --stack on the stack's Docker host)")
        return None
    try:
        running = running_containers(expected.prefix)
    except DockerUnavailable as error:
        notes.append(f"quorum not probed: Docker does not answer: {error}")
        return None
    if not running:
        notes.append(f"quorum not probed: no container {expected.prefix}-* runs on this Docker host")
        return None
    return quorum_probe.probe(expected.prefix, expected.zookeeper_nodes, expected.controllers, admin)


def _migration(expected: ExpectedPlatform | None) -> str | None:
    """The migration's phase while the stack runs ZooKeeper and controllers side by side (an operator waiting in
    dual-write sees it here)."""
    if expected is None or not (expected.zookeeper_nodes and expected.controllers):
        return None
    try:
        observed = migration_facts.observe(
            expected.prefix, len(expected.brokers), expected.zookeeper_nodes, expected.controllers
        )
    except DockerUnavailable:
        return None
    return migration_phase.status_line(observed) if observed else None


def _certificates(
    kafka: Mapping[str, str],
    registry: Mapping[str, str],
    registry_facts: RegistryFacts,
    brokers: Mapping[int, tuple[str, int]],
    expected: ExpectedPlatform | None,
    timeout: float,
) -> tuple[CertificateFacts, ...]:
    found: list[CertificateFacts | None] = []
    ca_pem = kafka.get("ssl.ca.pem") or _read_ca(kafka.get("ssl.ca.location"))
    if ca_pem:
        found += certificate_expiry.trusted(ca_pem)
    if kafka.get("security.protocol", "").upper().endswith("SSL"):
        found += [
            certificate_expiry.presented(f"broker {broker} {host}:{port}", host, port, ca_pem, timeout)
            for broker, (host, port) in sorted(brokers.items())
        ]
    url = urllib.parse.urlsplit(registry.get("url", ""))
    if url.scheme == "https" and url.hostname and registry_facts.status != REGISTRY_UNREACHABLE:
        where = f"registry {url.hostname}:{url.port or 443}"
        found.append(
            certificate_expiry.presented(
                where,
                url.hostname,
                url.port or 443,
                registry.get("ssl.ca.pem") or _read_ca(registry.get("ssl.ca.location")),
                timeout,
            )
        )
    if expected is not None:
        found += [
            CertificateFacts(f"stack output {name}", "", at) for name, at in sorted(expected.certificate_expiry.items())
        ]
    return tuple(certificate for certificate in found if certificate is not None)


def _read_ca(location: str | None) -> str | None:
    """The CA file a config file names (ssl.ca.location); None for the system's CAs or an unreadable file."""
    if not location or location == SYSTEM_TRUST:
        return None
    try:
        return Path(location).read_text(encoding="utf-8")
    except OSError:
        return None
