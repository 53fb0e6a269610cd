"""The alert rules Prometheus evaluates, and the series of the certificates' expiry they read.

Each alert has a `for:` (how long the condition must hold before it fires), a severity, a summary and what an
operator does about it. The Kafka ones follow Kafka's own "normal values" (docs/ops.html, monitoring) and the rules
operators know from Strimzi; the metric names are those of components/rules/jmx_exporter_rules.py and, for consumer
lag, the lag exporter's `kafka_consumergroup_lag`.

Certificates: Kafka exposes no certificate's expiry. The program knows every certificate it issued and its
not-after (the TLS provider's `validity_end_time`), and renews each 30 days before it expires on the next `up`; it
writes each not-after as a constant series `caracal_certificate_expiry_timestamp_seconds{certificate=...}`
(a recording rule), so an expiry within 21 days means a renewal was missed (no `up` ran)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import yaml

CERTIFICATE_SERIES = "caracal_certificate_expiry_timestamp_seconds"
RENEWAL_MISSED_DAYS = 21


@dataclass(frozen=True)
class Alert:
    name: str
    expr: str
    wait: str
    """The rule's `for:`."""
    severity: str
    summary: str
    action: str
    """What the operator does about it."""

    def rule(self) -> dict:
        return {
            "alert": self.name,
            "expr": self.expr,
            "for": self.wait,
            "labels": {"severity": self.severity},
            "annotations": {"summary": self.summary, "action": self.action},
        }


def alerts(lag_records: int) -> tuple[Alert, ...]:
    return (
        Alert(
            "KafkaUnderReplicatedPartitions",
            "sum by (instance) (kafka_server_replicamanager_underreplicatedpartitions) > 0",
            "2m",
            "warning",
            "{{ $labels.instance }} leads {{ $value }} partition(s) with a replica out of sync",
            "Find the broker that is down or slow (NodeDown, `caracal-kafka health`); outlasting a restart, check its "
            "disk, memory and logs.",
        ),
        Alert(
            "KafkaOfflinePartitions",
            "sum(kafka_controller_kafkacontroller_offlinepartitionscount) > 0",
            "1m",
            "critical",
            "{{ $value }} partition(s) have no leader: their topics take no reads or writes",
            "Bring back the brokers holding their replicas; never enable unclean leader election without deciding "
            "to lose data.",
        ),
        Alert(
            "KafkaActiveControllerCountNotOne",
            "sum(kafka_controller_kafkacontroller_activecontrollercount) != 1",
            "1m",
            "critical",
            "{{ $value }} active controllers in the cluster (exactly 1 expected)",
            "0: the quorum (ZooKeeper or the KRaft controllers) has lost its majority; more than 1: a split brain. "
            "Check the quorum nodes and their network.",
        ),
        Alert(
            "KafkaUnderMinIsrPartitions",
            "sum by (instance) (kafka_server_replicamanager_underminisrpartitioncount) > 0",
            "1m",
            "critical",
            "{{ $labels.instance }} leads {{ $value }} partition(s) below min.insync.replicas: acks=all writes fail",
            "Bring the missing replicas' brokers back now; producers with acks=all are failing.",
        ),
        Alert(
            "KafkaOfflineLogDirectories",
            "kafka_log_logmanager_offlinelogdirectorycount > 0",
            "1m",
            "critical",
            "{{ $labels.instance }} has {{ $value }} log directory(ies) offline (disk failure or full)",
            "Free or replace the broker's data volume, then restart the broker.",
        ),
        Alert(
            "KafkaIsrShrinks",
            "sum by (instance) (rate(kafka_server_replicamanager_isrshrinks_total[5m])) > 0",
            "15m",
            "warning",
            "{{ $labels.instance }} keeps dropping replicas out of sync (outside a roll)",
            "Look for a slow or flapping broker: GC pauses, disk latency, network between the brokers.",
        ),
        Alert(
            "NodeDown",
            "up == 0",
            "1m",
            "critical",
            "{{ $labels.job }} node {{ $labels.instance }} does not answer its metrics scrape",
            "Check the container (`docker ps -a`, its logs, its health); a broker down also raises "
            "KafkaUnderReplicatedPartitions.",
        ),
        Alert(
            "CertificateRenewalMissed",
            f"{CERTIFICATE_SERIES} - time() < {RENEWAL_MISSED_DAYS} * 86400",
            "10m",
            "warning",
            "certificate {{ $labels.certificate }} expires in less than 21 days: its renewal was missed",
            "Run `pulumi up` (or `make up`) on the stack: it renews every certificate 30 days before expiry.",
        ),
        Alert(
            "ConsumerGroupLag",
            f"sum by (consumergroup, topic) (kafka_consumergroup_lag) >= {lag_records}",
            "1m",
            "warning",
            "group {{ $labels.consumergroup }} is {{ $value }} records behind on {{ $labels.topic }}",
            "Check that the group's consumers run and keep up (`caracal-kafka health`); scale them or find what "
            "blocks them.",
        ),
    )


def epoch_seconds(rfc3339: str) -> int:
    return int(datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp())


def rules_file(lag_records: int, certificate_expiry: Mapping[str, str]) -> str:
    """The rules file: the certificates' expiry series (name -> RFC 3339 not-after), then the alerts."""
    expiry = [
        {"record": CERTIFICATE_SERIES, "expr": f"vector({epoch_seconds(end)})", "labels": {"certificate": name}}
        for name, end in sorted(certificate_expiry.items())
    ]
    groups = [
        {"name": "certificates", "rules": expiry},
        {"name": "caracal-kafka", "rules": [alert.rule() for alert in alerts(lag_records)]},
    ]
    return yaml.safe_dump({"groups": groups}, sort_keys=False, width=200)
