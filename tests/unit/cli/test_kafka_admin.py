"""The admin session: quiet librdkafka, a quick failure for a rejected login, patience for a broker starting up."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from confluent_kafka import KafkaError, KafkaException

import caracal_cli.kafka_admin as kafka_admin
from caracal_cli.errors import CliError, retrying_cannot_help
from caracal_cli.kafka_admin import AdminSession

TRANSPORT = KafkaError(KafkaError._TRANSPORT, "Failed to get metadata: Local: Broker transport failure")
BAD_LOGIN = KafkaError(KafkaError._AUTHENTICATION, "SASL authentication error: invalid credentials")


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
    monkeypatch.setattr(kafka_admin, "AdminClient", FakeAdminClient)
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

    with pytest.raises(CliError, match=r"^authentication failed at k:1: SASL authentication error"):
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


def test_configuration_librdkafka_refuses_is_reported() -> None:
    with pytest.raises(CliError, match=r"^invalid Kafka client configuration: .*no\.such\.property"):
        AdminSession({"bootstrap.servers": "k:1", "no.such.property": "x"}, timeout=1)


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
