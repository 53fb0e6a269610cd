"""The verdict of `caracal-kafka health`: each rule as a row, from the facts to the problems it names."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from components.rules.consumer_lag import GroupLag, TopicLag
from components.rules.health_verdict import (
    CertificateFacts,
    HealthFacts,
    PartitionFacts,
    RegistryFacts,
    Thresholds,
    problems,
)
from components.rules.quorum_status import ZOOKEEPER, status

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
HEALTHY = HealthFacts(
    registered_brokers=(0, 1, 2),
    expected_brokers=(0, 1, 2),
    controller=1,
    quorum=status(ZOOKEEPER, {"zookeeper-0": "follower", "zookeeper-1": "leader", "zookeeper-2": "follower"}, 1),
    partitions=(PartitionFacts("t", 0, 0, (0, 1, 2), (0, 1, 2)), PartitionFacts("t", 1, 1, (1, 2, 0), (1, 2, 0))),
    min_insync={},
    groups=(GroupLag("g", "STABLE", (TopicLag("g", "t", 1000, 2),)), GroupLag("never", "EMPTY")),
    registry=RegistryFacts("https://localhost:8081/health", "UP"),
    certificates=(CertificateFacts("CA", "caracal-ca", NOW + timedelta(days=3650)),),
)
SHORT = PartitionFacts("t", 0, 0, (0, 1, 2), (0, 1))
ALONE = PartitionFacts("t", 0, 0, (0, 1, 2), (0,))
OFFLINE = PartitionFacts("t", 1, None, (1, 2, 0), (1,))


def expiring(days: float) -> tuple[CertificateFacts, ...]:
    return (CertificateFacts("broker 0 localhost:9093", "kafka-0", NOW + timedelta(days=days)),)


@pytest.mark.parametrize(
    ("change", "thresholds", "expected"),
    [
        ({}, Thresholds(), []),
        # A broker the stack declares is not registered; a config file declares none.
        ({"registered_brokers": (0, 2)}, Thresholds(), [("brokers", "brokers [1] are not registered (2 of 3)")]),
        ({"registered_brokers": (0, 2), "expected_brokers": None}, Thresholds(), []),
        ({"controller": None, "quorum": None}, Thresholds(), [("controller", "no broker is the active controller")]),
        # The quorum's missing controller is said once, as the controller's problem.
        (
            {"controller": None, "quorum": status(ZOOKEEPER, {"zookeeper-0": "standalone"}, None)},
            Thresholds(),
            [("controller", "no broker is the active controller")],
        ),
        (
            {"quorum": status(ZOOKEEPER, {"zookeeper-0": None, "zookeeper-1": "leader", "zookeeper-2": "follower"}, 1)},
            Thresholds(),
            [("quorum", "zookeeper-0 does not serve")],
        ),
        (
            {"partitions": (SHORT,)},
            Thresholds(),
            [("under_replicated", "t/0 is under-replicated: ISR [0,1] of replicas [0,1,2]")],
        ),
        # Under min ISR only where the topic's minimum is known (it is read for short topics only).
        (
            {"partitions": (ALONE,), "min_insync": {"t": 2}},
            Thresholds(),
            [
                ("under_replicated", "t/0 is under-replicated: ISR [0] of replicas [0,1,2]"),
                ("under_min_isr", "t/0 is under min.insync.replicas=2: ISR [0]"),
            ],
        ),
        (
            {"partitions": (OFFLINE,)},
            Thresholds(),
            [
                ("offline", "t/1 is offline (no leader), replicas [1,2,0]"),
                ("under_replicated", "t/1 is under-replicated: ISR [1] of replicas [1,2,0]"),
            ],
        ),
        # Lag: above the threshold, not at it; a group without commits has no lag to judge.
        ({}, Thresholds(lag=1000), []),
        ({}, Thresholds(lag=999), [("lag", "group g lags 1000 records on t (threshold 999)")]),
        (
            {"registry": RegistryFacts("u", "DOWN", "HTTP 503, failing checks: PersistenceSimple")},
            Thresholds(),
            [("registry", "schema registry DOWN: HTTP 503, failing checks: PersistenceSimple")],
        ),
        (
            {"registry": RegistryFacts("u", "UNREACHABLE", "refused")},
            Thresholds(),
            [("registry", "schema registry UNREACHABLE: refused")],
        ),
        # A user the proxy does not let read /health, or no registry at all: not checked, not unhealthy.
        ({"registry": RegistryFacts("u", "NOT_ALLOWED", "HTTP 403")}, Thresholds(), []),
        ({"registry": RegistryFacts(None, "NOT_CONFIGURED")}, Thresholds(), []),
        ({"certificates": expiring(21.5)}, Thresholds(), []),
        (
            {"certificates": expiring(20.5)},
            Thresholds(),
            [("certificate", "broker 0 localhost:9093 (kafka-0) expires in 20.5 days, on 2026-12-27 (window 21 days)")],
        ),
        ({"certificates": expiring(20.5)}, Thresholds(expiry_days=7), []),
        (
            {"certificates": expiring(-1)},
            Thresholds(),
            [("certificate", "broker 0 localhost:9093 (kafka-0) expired on 2026-12-05")],
        ),
        (
            {"certificates": (CertificateFacts("registry localhost:8081", "", None, "certificate not accepted: x"),)},
            Thresholds(),
            [("certificate", "registry localhost:8081: certificate not accepted: x")],
        ),
    ],
)
def test_the_verdict_names_each_problem(change, thresholds, expected):
    found = problems(replace(HEALTHY, **change), thresholds, NOW)
    assert [(problem.check, problem.message) for problem in found] == expected
