"""Kafka failures explained in one line, using the cause librdkafka reported in the background."""

from __future__ import annotations

import pytest
from confluent_kafka import KafkaError

from caracal_cli.errors import explain_kafka_error

SERVERS = "localhost:19093"
REFUSED = KafkaError(
    KafkaError._TRANSPORT,
    "localhost:19093/bootstrap: Connect to ipv4#127.0.0.1:19093 failed: "
    "Connection refused (after 0ms in state CONNECT)",
)
ALL_DOWN = KafkaError(KafkaError._ALL_BROKERS_DOWN, "1/1 brokers are down")
BAD_PASSWORD = KafkaError(
    KafkaError._AUTHENTICATION,
    "SASL authentication error: Authentication failed during "
    "authentication due to invalid credentials with SASL mechanism "
    "SCRAM-SHA-512",
)
UNTRUSTED = KafkaError(KafkaError._SSL, "SSL handshake failed: certificate verify failed:\n  self-signed certificate")
METADATA_FAILED = KafkaError(KafkaError._TRANSPORT, "Failed to get metadata: Local: Broker transport failure")
CONTROLLER_TIMEOUT = KafkaError(KafkaError._TIMED_OUT, "Failed while waiting for controller: Local: Timed out")


@pytest.mark.parametrize(
    ("error", "background", "expected"),
    [
        pytest.param(
            METADATA_FAILED,
            [ALL_DOWN, REFUSED],
            f"cannot connect to Kafka at {SERVERS}: {REFUSED.str()}",
            id="refused connection named instead of the generic failure",
        ),
        pytest.param(
            CONTROLLER_TIMEOUT,
            [REFUSED, BAD_PASSWORD, ALL_DOWN],
            f"authentication failed at {SERVERS}: {BAD_PASSWORD.str()}",
            id="bad password wins over transport noise",
        ),
        pytest.param(
            METADATA_FAILED,
            [REFUSED, UNTRUSTED],
            f"TLS handshake failed at {SERVERS}: SSL handshake failed: certificate verify failed: self-signed "
            "certificate",
            id="untrusted certificate, on one line",
        ),
        pytest.param(
            CONTROLLER_TIMEOUT,
            [],
            f"no answer from Kafka at {SERVERS} within 15 s: {CONTROLLER_TIMEOUT.str()}",
            id="plain timeout",
        ),
        pytest.param(
            METADATA_FAILED,
            [],
            f"cannot connect to Kafka at {SERVERS}: {METADATA_FAILED.str()}",
            id="transport failure with nothing in the background",
        ),
        pytest.param(
            KafkaError(KafkaError.TOPIC_AUTHORIZATION_FAILED, "Broker: Topic authorization failed"),
            [BAD_PASSWORD],
            "not authorized: Broker: Topic authorization failed",
            id="authorization failures are not blamed on old background errors",
        ),
        pytest.param(
            KafkaError(KafkaError.POLICY_VIOLATION, "Broker: Policy violation"),
            [],
            "Kafka error POLICY_VIOLATION: Broker: Policy violation",
            id="anything else by name",
        ),
    ],
)
def test_failures_are_explained_by_their_most_telling_cause(
    error: KafkaError, background: list[KafkaError], expected: str
) -> None:
    assert explain_kafka_error(error, background, SERVERS, 15) == expected
