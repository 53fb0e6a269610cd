"""The report of `caracal-kafka health`: text an operator reads, or JSON for scripts (schema version
JSON_SCHEMA, documented with the command). Pure functions of the facts and the verdict."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from caracal_cli.banner import banner
from components.rules.health_verdict import (
    CertificateFacts,
    HealthFacts,
    PartitionFacts,
    Problem,
    Thresholds,
    days_left,
    under_min_isr,
)

# Raised only when a field changes meaning or goes away; new fields may appear within a version.
JSON_SCHEMA = 1


def health_json(
    facts: HealthFacts, problems: list[Problem], thresholds: Thresholds, now: datetime, seconds: dict[str, float]
) -> str:
    document: dict[str, Any] = {
        "schema": JSON_SCHEMA,
        "healthy": not problems,
        "problems": [{"check": problem.check, "message": problem.message} for problem in problems],
        "notes": list(facts.notes),
        "thresholds": {"lag_records": thresholds.lag, "expiry_days": thresholds.expiry_days},
        "brokers": {
            "registered": list(facts.registered_brokers),
            "expected": None if facts.expected_brokers is None else list(facts.expected_brokers),
        },
        "controller": facts.controller,
        "quorum": None
        if facts.quorum is None
        else {
            "kind": facts.quorum.kind,
            "healthy": facts.quorum.healthy,
            "active_controller": facts.quorum.active_controller,
            "nodes": [{"name": node.name, "role": node.role} for node in facts.quorum.nodes],
            "problems": list(facts.quorum.problems),
        },
        "migration": facts.migration,
        "partitions": {
            "total": len(facts.partitions),
            "offline": [_partition(p) for p in facts.partitions if p.offline],
            "under_replicated": [_partition(p) for p in facts.partitions if p.under_replicated],
            "under_min_isr": [{**_partition(p), "min_insync_replicas": m} for p, m in under_min_isr(facts)],
        },
        "consumer_groups": [
            {
                "group": group.group,
                "state": group.state,
                "lag": None if group.error or not group.topics else group.lag,
                "error": group.error,
                "topics": [
                    {"topic": t.topic, "lag": t.lag, "partitions": t.partitions, "unknown_partitions": t.unknown}
                    for t in group.topics
                ],
            }
            for group in facts.groups
        ],
        "registry": {"url": facts.registry.url, "status": facts.registry.status, "detail": facts.registry.detail},
        "certificates": [_certificate(c, now) for c in facts.certificates],
        "seconds": seconds,
    }
    return json.dumps(document, indent=2) + "\n"


def health_text(
    facts: HealthFacts, problems: list[Problem], thresholds: Thresholds, now: datetime, seconds: dict[str, float]
) -> str:
    verdict = "HEALTHY" if not problems else f"UNHEALTHY ({len(problems)} problem{'s' * (len(problems) != 1)})"
    lines = banner(f"Cluster health: {verdict}")
    lines += [f"  - {problem.message}" for problem in problems] + ([""] if problems else [])
    lines += [f"Brokers:      {_brokers(facts)}", f"Controller:   {_broker(facts.controller)}"]
    lines.append(f"Quorum:       {_quorum(facts)}")
    if facts.migration:
        lines.append(f"Migration:    {facts.migration}")
    under = under_min_isr(facts)
    offline = [p for p in facts.partitions if p.offline]
    short = [p for p in facts.partitions if p.under_replicated]
    lines.append(
        f"Partitions:   {len(facts.partitions)} total; {len(offline)} offline, {len(short)} under-replicated,"
        f" {len(under)} under min ISR"
    )
    lines += ["", f"Consumer lag (unhealthy above {thresholds.lag} records per group and topic):"]
    lines += _lag_lines(facts)
    registry = facts.registry
    lines += ["", f"Registry:     {registry.status}" + "".join(f" {x}" for x in (registry.url, registry.detail) if x)]
    lines += ["", f"Certificates (unhealthy within {thresholds.expiry_days:g} days):"]
    lines += [_certificate_line(c, now) for c in facts.certificates] or ["  (none seen)"]
    if facts.notes:
        lines += ["", "Not checked:", *(f"  - {note}" for note in facts.notes)]
    parts = ", ".join(f"{part} {value:.2f}" for part, value in seconds.items() if part != "total")
    lines += ["", f"Checked in {seconds.get('total', 0):.2f} s ({parts})"]
    return "\n".join(lines) + "\n"


def _partition(state: PartitionFacts) -> dict[str, Any]:
    return {
        "topic": state.topic,
        "partition": state.partition,
        "leader": state.leader,
        "replicas": list(state.replicas),
        "isr": list(state.isr),
    }


def _certificate(certificate: CertificateFacts, now: datetime) -> dict[str, Any]:
    at = certificate.expires_at
    return {
        "where": certificate.where,
        "subject": certificate.subject,
        "expires_at": at.isoformat() if at else None,
        "days_left": round(days_left(at, now), 2) if at else None,
        "error": certificate.error,
    }


def _brokers(facts: HealthFacts) -> str:
    registered = f"{len(facts.registered_brokers)} registered {list(facts.registered_brokers)}"
    if facts.expected_brokers is None:
        return registered + " (the stack's brokers are not known from a config file)"
    return f"{registered} of {len(facts.expected_brokers)} expected {list(facts.expected_brokers)}"


def _broker(broker: int | None) -> str:
    return "none" if broker is None else f"broker {broker}"


def _quorum(facts: HealthFacts) -> str:
    if facts.quorum is None:
        return "not probed"
    nodes = ", ".join(f"{node.name} {node.role or 'not serving'}" for node in facts.quorum.nodes)
    return f"{facts.quorum.kind}: {nodes}" if nodes else facts.quorum.kind


def _lag_lines(facts: HealthFacts) -> list[str]:
    if not facts.groups:
        return ["  (no consumer groups visible)"]
    lines = []
    for group in facts.groups:
        if group.error:
            lines.append(f"  {group.group} [{group.state}]: {group.error}")
        elif not group.topics:
            lines.append(f"  {group.group} [{group.state}]: no committed offsets (lag unknown)")
        for topic in group.topics:
            unknown = f", {topic.unknown} without an end offset" if topic.unknown else ""
            lines.append(
                f"  {group.group} [{group.state}] {topic.topic}: lag {topic.lag}"
                f" ({topic.partitions} partitions committed{unknown})"
            )
    return lines


def _certificate_line(certificate: CertificateFacts, now: datetime) -> str:
    at = certificate.expires_at
    if at is None:
        return f"  {certificate.where}: {certificate.error}"
    named = f" ({certificate.subject})" if certificate.subject else ""
    return f"  {certificate.where}{named}: {at:%Y-%m-%d}, in {days_left(at, now):.0f} days"
