"""The admin session: quiet librdkafka, a quick failure for a rejected login, patience for a broker starting up, and
Kafka failures explained in one line using the cause librdkafka reported in the background."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from confluent_kafka import KafkaError, KafkaException

import components.clients.admin_session as admin_session
from components.clients.admin_session import AdminSession, SessionError, explain_kafka_error, retrying_cannot_help

TRANSPORT = KafkaError(KafkaError._TRANSPORT, "Failed to get metadata: Local: Broker transport failure")
BAD_LOGIN = KafkaError(KafkaError._AUTHENTICATION, "SASL authentication error: invalid credentials")
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


class FakeAdminClient:
    """Fails the first `failures` metadata requests; reports `background` errors when polled."""

    failures = 0
    background: ClassVar[list[KafkaError]] = []
    instances: ClassVar[list[FakeAdminClient]] = []

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.probes: list[float] = []
        FakeAdminClient.instances.append(self)

    def list_topics(self, timeout: float) -> None:
        self.probes.append(timeout)
        if len(self.probes) <= self.failures:
            raise KafkaException(TRANSPORT)

    def poll(self, timeout: float) -> int:
        for error in self.background:
            self.config["error_cb"](error)
        return len(self.background)


@pytest.fixture
def fake_client(monkeypatch: pytest.MonkeyPatch) -> type[FakeAdminClient]:
    monkeypatch.setattr(admin_session, "AdminClient", FakeAdminClient)
    monkeypatch.setattr(FakeAdminClient, "instances", [])
    return FakeAdminClient


def test_librdkafka_errors_are_collected_and_its_log_silenced(fake_client: type[FakeAdminClient]) -> None:
    AdminSession({"bootstrap.servers": "k:1"}, timeout=5)

    config = fake_client.instances[0].config
    assert config["bootstrap.servers"] == "k:1"
    assert callable(config["error_cb"])
    assert config["logger"].propagate is False


def test_rejected_login_fails_after_one_probe(
    fake_client: type[FakeAdminClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeAdminClient, "failures", 100)
    monkeypatch.setattr(FakeAdminClient, "background", [BAD_LOGIN])
    session = AdminSession({"bootstrap.servers": "k:1"}, timeout=15)

    with pytest.raises(SessionError, match=r"^authentication failed at k:1: SASL authentication error"):
        session.ensure_connected()
    assert len(fake_client.instances[0].probes) == 1


def test_broker_that_answers_on_a_later_probe_is_waited_for(
    fake_client: type[FakeAdminClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeAdminClient, "failures", 2)
    monkeypatch.setattr(FakeAdminClient, "background", [])
    session = AdminSession({"bootstrap.servers": "k:1"}, timeout=15)

    session.ensure_connected()

    assert fake_client.instances[0].probes == [1.0, 1.0, 1.0]


def test_kafka_failures_in_an_explaining_block_become_session_errors(fake_client: type[FakeAdminClient]) -> None:
    session = AdminSession({"bootstrap.servers": "k:1"}, timeout=15)

    explained = r"^cannot connect to Kafka at k:1: Failed to get metadata"
    with pytest.raises(SessionError, match=explained) as raised, session.explaining():
        raise KafkaException(TRANSPORT)
    assert raised.value.usage is False
    with pytest.raises(LookupError), session.explaining():
        raise LookupError("passes through")


def test_configuration_librdkafka_refuses_is_reported() -> None:
    with pytest.raises(SessionError, match=r"^invalid Kafka client configuration: .*no\.such\.property") as raised:
        AdminSession({"bootstrap.servers": "k:1", "no.such.property": "x"}, timeout=1)
    assert raised.value.usage is False


@pytest.mark.parametrize("config", [{}, {"bootstrap.servers": ""}, {"security.protocol": "SSL"}])
def test_settings_without_servers_are_a_usage_error(config: dict[str, str]) -> None:
    with pytest.raises(SessionError, match=r"^no Kafka servers") as raised:
        AdminSession(config, timeout=1)
    assert raised.value.usage is True


@pytest.mark.parametrize(
    ("background", "expected"),
    [
        pytest.param([], False, id="nothing reported"),
        pytest.param([TRANSPORT, KafkaError(KafkaError._ALL_BROKERS_DOWN, "down")], False, id="brokers down"),
        pytest.param([TRANSPORT, BAD_LOGIN], True, id="rejected login"),
        pytest.param([KafkaError(KafkaError._SSL, "certificate verify failed")], True, id="rejected certificate"),
    ],
)
def test_only_rejected_logins_and_certificates_stop_the_retries(background: list[KafkaError], expected: bool) -> None:
    assert retrying_cannot_help(background) is expected


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
