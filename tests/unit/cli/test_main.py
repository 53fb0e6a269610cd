"""The whole command: output on stdout, and every failure as one line on stderr with a non-zero status.

Connection failures are provoked on a closed port of 127.0.0.1, so no server and no network is needed.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from confluent_kafka import KafkaError, KafkaException

import caracal_cli.__main__ as cli
from components.clients.admin_session import AdminSession, SessionError
from components.clients.registry import RegistryError

REPOSITORY = Path(cli.__file__).resolve().parents[1]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _assert_one_line_error(err: str, message: str) -> None:
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"caracal-kafka: error: {message}"), err


@pytest.mark.parametrize("command", [["list-topics"], ["describe-topic", "caracal.dlq"]])
def test_unreachable_kafka_is_one_line_naming_the_refused_connection(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    servers = f"127.0.0.1:{_closed_port()}"

    status, out, err = _run([*command, "--bootstrap-servers", servers, "--timeout", "1"], capsys)

    assert (status, out) == (1, "")
    _assert_one_line_error(err, f"cannot connect to Kafka at {servers}: ")
    assert "Connection refused" in err


def test_unreadable_config_file_fails_before_connecting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(["list-topics", "--config-file", str(tmp_path / "absent.properties")], capsys)

    assert status == 1
    _assert_one_line_error(err, f"cannot read config file {tmp_path / 'absent.properties'}")


def test_certificate_librdkafka_cannot_load_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "client.properties"
    config.write_text(
        "bootstrap.servers=127.0.0.1:1\nsecurity.protocol=SSL\nssl.truststore.type=PEM\n"
        "ssl.truststore.certificates=-----BEGIN CERTIFICATE----- QUJD -----END CERTIFICATE-----\n"
    )

    status, _, err = _run(["--config-file", str(config), "list-topics"], capsys)

    assert status == 1
    _assert_one_line_error(err, "invalid Kafka client configuration: ")


def test_no_connection_settings_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(["list-topics"], capsys)

    assert status == 2
    _assert_one_line_error(err, "no Kafka servers")


def test_subjects_without_a_registry_url_say_how_to_give_one(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(["list-subjects"], capsys)

    assert status == 1
    _assert_one_line_error(err, "no schema registry URL")


def test_unreachable_registry_is_one_line_naming_its_url(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"

    status, _, err = _run(["list-subjects", "--registry-url", url], capsys)

    assert status == 1
    _assert_one_line_error(err, f"cannot reach the schema registry at {url}: ")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        pytest.param("ftp://reg", "invalid schema registry settings: url: 'ftp://reg' is not an http", id="not http"),
        pytest.param("http://reg:port", "invalid schema registry settings: url: 'http://reg:port'", id="bad port"),
    ],
)
def test_unusable_registry_settings_are_reported(url: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(["describe-subject", "x-value", "--registry-url", url], capsys)

    assert status == 1
    _assert_one_line_error(err, message)


def test_a_registry_ca_that_cannot_be_loaded_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "client.properties"
    config.write_text(
        "schema.registry.url=https://reg:8081\n"
        "schema.registry.ssl.truststore.certificates=-----BEGIN CERTIFICATE----- QUJD -----END CERTIFICATE-----\n"
    )

    status, _, err = _run(["list-subjects", "--config-file", str(config)], capsys)

    assert status == 1
    _assert_one_line_error(err, "invalid schema registry settings: ssl.ca.pem: no usable CA certificate")


def test_config_file_without_servers_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "client.properties"
    config.write_text("schema.registry.url=http://reg:8081\n")

    status, _, err = _run(["describe-topic", "caracal.dlq", "--config-file", str(config)], capsys)

    assert status == 2
    _assert_one_line_error(err, "no Kafka servers: give --config-file, --stack or --bootstrap-servers")


class _FakeSession:
    """Stands in for AdminSession, answering from fixed data."""

    topic_error: KafkaError | None = None

    def __init__(self, config: dict[str, str], timeout: float) -> None:
        self.client = self

    def ensure_connected(self) -> None:
        pass

    def list_topics(self, timeout: float) -> Any:
        return SimpleNamespace(topics={"caracal.dlq": None, "_schemas": None, "caracal.agent.lifecycle": None})

    def describe_topics(self, topics: Any, request_timeout: float) -> dict[str, Future[Any]]:
        future: Future[Any] = Future()
        future.set_exception(KafkaException(self.topic_error))
        return {name: future for name in topics.topic_names}

    def describe_configs(self, resources: list[Any], request_timeout: float) -> dict[Any, Future[Any]]:
        return {resource: Future() for resource in resources}

    def explain(self, error: KafkaException) -> SessionError:
        return SessionError(f"explained: {error.args[0].str()}")

    explaining = AdminSession.explaining


def test_list_topics_prints_the_report_and_succeeds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "AdminSession", _FakeSession)

    status, out, err = _run(["list-topics", "--bootstrap-servers", "k:1"], capsys)

    assert (status, err) == (0, "")
    assert out.endswith("Kafka Topics (2 total)\n" + "=" * 60 + "\n\n  caracal.agent.lifecycle\n  caracal.dlq\n")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param(KafkaError.UNKNOWN_TOPIC_OR_PART, "topic 'missing' does not exist", id="missing topic"),
        pytest.param(KafkaError.TOPIC_AUTHORIZATION_FAILED, "explained: denied", id="other failure explained"),
    ],
)
def test_describe_topic_failures_exit_1_with_one_line(
    code: int, message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "AdminSession", _FakeSession)
    monkeypatch.setattr(_FakeSession, "topic_error", KafkaError(code, "denied"))

    status, out, err = _run(["describe-topic", "missing", "--bootstrap-servers", "k:1"], capsys)

    assert (status, out) == (1, "")
    _assert_one_line_error(err, message)


def test_the_package_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "caracal_cli", "--help"], cwd=REPOSITORY, capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr
    assert "list-topics" in done.stdout and "describe-subject" in done.stdout


class _FakeRegistry:
    """Stands in for RegistryClient: two subjects, or every request refused."""

    refused = False

    def subjects(self) -> list[str]:
        if self.refused:
            raise RegistryError(401, "Unauthorized", 40101)
        return ["b-value", "a-value"]

    def latest(self, subject: str) -> dict[str, Any] | None:
        return None


@pytest.mark.parametrize(
    ("argv", "refused", "status", "out", "message"),
    [
        pytest.param(["list-subjects"], False, 0, "  a-value\n  b-value\n", "", id="listed"),
        pytest.param(["list-subjects"], True, 1, "", "the schema registry refused the request: Unauthorized",
                     id="refused"),
        pytest.param(["describe-subject", "nope-value"], False, 1, "", "subject 'nope-value' does not exist",
                     id="missing subject"),
    ],
)  # fmt: skip
def test_subject_commands_report_or_fail_with_one_line(
    argv: list[str],
    refused: bool,
    status: int,
    out: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(_FakeRegistry, "refused", refused)
    monkeypatch.setattr(cli.RegistryClient, "from_settings", lambda settings, timeout: _FakeRegistry())

    result = _run([*argv, "--registry-url", "http://reg:8081"], capsys)

    assert result[0] == status
    assert result[1].endswith(out)
    if message:
        _assert_one_line_error(result[2], message)
    else:
        assert result[2] == ""
