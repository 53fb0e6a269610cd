"""Where the CLI connects: a client.properties file, a Pulumi stack's outputs, and command-line overrides."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from caracal_cli.connection import (
    Connection,
    connection_from_properties,
    connection_from_stack_output,
    pulumi_command,
    resolve_connection,
    with_overrides,
)
from caracal_cli.errors import CliError

PEM = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"
SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule"
PROPERTIES = f"""\
bootstrap.servers=localhost:19093
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config={SCRAM} required username="admin" password="pw";
ssl.truststore.type=PEM
ssl.truststore.certificates=-----BEGIN CERTIFICATE----- QUJD -----END CERTIFICATE-----
"""
KAFKA = {
    "bootstrap.servers": "localhost:19093",
    "security.protocol": "SASL_SSL",
    "sasl.mechanisms": "SCRAM-SHA-512",
    "sasl.username": "admin",
    "sasl.password": "pw",
    "ssl.ca.pem": PEM,
}
STACK_OUTPUT = {
    "admin": {
        "kafka": KAFKA,
        "registry": {"url": "https://localhost:18081/apis/ccompat/v7", "ssl.ca.pem": PEM},
        "properties": PROPERTIES,
    },
    "producer": {"kafka": {**KAFKA, "sasl.username": "producer"}, "registry": {}, "properties": ""},
}


@pytest.mark.parametrize(
    ("extra", "registry"),
    [
        pytest.param("", {}, id="no registry"),
        pytest.param(
            "schema.registry.url=https://reg:8081\nbasic.auth.user.info=admin:pw\n",
            {"url": "https://reg:8081", "basic.auth.user.info": "admin:pw", "ssl.ca.pem": PEM},
            id="registry trusts the Kafka CA",
        ),
        pytest.param(
            "schema.registry.url=https://reg:8081\nschema.registry.ssl.truststore.location=/etc/reg-ca.pem\n",
            {"url": "https://reg:8081", "ssl.ca.location": "/etc/reg-ca.pem"},
            id="registry with its own CA file",
        ),
        pytest.param(
            "schema.registry.url=https://reg:8081\n"
            "schema.registry.ssl.truststore.certificates=-----BEGIN CERTIFICATE----- REVG -----END CERTIFICATE-----\n",
            {"url": "https://reg:8081", "ssl.ca.pem": "-----BEGIN CERTIFICATE-----\nREVG\n-----END CERTIFICATE-----\n"},
            id="registry with its own inline CA",
        ),
    ],
)
def test_properties_file_gives_kafka_and_registry_settings(extra: str, registry: dict[str, str]) -> None:
    assert connection_from_properties(PROPERTIES + extra) == Connection(kafka=KAFKA, registry=registry)


def test_stack_output_gives_the_chosen_users_settings() -> None:
    assert connection_from_stack_output(STACK_OUTPUT, "admin") == Connection(
        kafka=KAFKA, registry=STACK_OUTPUT["admin"]["registry"]
    )
    assert connection_from_stack_output(STACK_OUTPUT, "producer").kafka["sasl.username"] == "producer"


@pytest.mark.parametrize(
    ("document", "user", "message"),
    [
        pytest.param(STACK_OUTPUT, "root", "has no user 'root'; it has: admin, producer", id="unknown user"),
        pytest.param(["admin"], "admin", "is not an object of users", id="not an object"),
        pytest.param({"admin": {"registry": {}}}, "admin", "clientConfigs.admin has no 'kafka' object", id="no kafka"),
        pytest.param(
            {"admin": {"kafka": {}, "registry": "x"}}, "admin", "registry is not an object", id="bad registry"
        ),
    ],
)
def test_unusable_stack_output_says_what_is_missing(document: Any, user: str, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        connection_from_stack_output(document, user)


@pytest.mark.parametrize(
    ("servers", "url", "expected_servers", "expected_url"),
    [
        pytest.param(None, None, "localhost:19093", "https://reg", id="nothing overridden"),
        pytest.param("127.0.0.1:9093", None, "127.0.0.1:9093", "https://reg", id="servers"),
        pytest.param(None, "http://other", "localhost:19093", "http://other", id="registry"),
    ],
)
def test_command_line_servers_override_the_settings(
    servers: str | None, url: str | None, expected_servers: str, expected_url: str
) -> None:
    connection = Connection(kafka={"bootstrap.servers": "localhost:19093"}, registry={"url": "https://reg"})

    overridden = with_overrides(connection, servers, url)

    assert overridden.kafka["bootstrap.servers"] == expected_servers
    assert overridden.registry["url"] == expected_url


def test_pulumi_is_asked_for_the_client_configs_with_secrets_as_json() -> None:
    assert pulumi_command("dev") == [
        "pulumi", "stack", "output", "clientConfigs", "--show-secrets", "--json", "--stack", "dev",
    ]  # fmt: skip
    assert pulumi_command("dev", Path("infra"))[-2:] == ["--cwd", "infra"]


def test_config_file_is_read_and_translated(tmp_path: Path) -> None:
    path = tmp_path / "client.properties"
    path.write_text(PROPERTIES, encoding="utf-8")

    assert resolve_connection(config_file=path).kafka == KAFKA


def test_nothing_given_is_an_empty_connection_for_each_command_to_judge() -> None:
    assert resolve_connection() == Connection(kafka={})


def test_bootstrap_servers_alone_connect_in_plaintext() -> None:
    assert resolve_connection(bootstrap_servers="127.0.0.1:9092") == Connection(
        kafka={"bootstrap.servers": "127.0.0.1:9092"}
    )


@pytest.mark.parametrize(
    ("kwargs", "message", "exit_code"),
    [
        pytest.param({"config_file": Path("a"), "stack": "dev"}, "either --config-file or --stack", 2, id="both"),
        pytest.param(
            {"config_file": Path("/nonexistent/client.properties")}, "cannot read config file", 1, id="missing file"
        ),
    ],
)
def test_unusable_command_lines_fail_with_one_clear_message(
    kwargs: dict[str, Any], message: str, exit_code: int
) -> None:
    with pytest.raises(CliError, match=message) as raised:
        resolve_connection(**kwargs)
    assert raised.value.exit_code == exit_code


def test_malformed_config_file_is_named_with_the_faulty_key(tmp_path: Path) -> None:
    path = tmp_path / "client.properties"
    path.write_text("bootstrap.servers=k:1\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n")

    with pytest.raises(CliError, match=f"^{path}: sasl.jaas.config: missing"):
        resolve_connection(config_file=path)


def _fake_pulumi(directory: Path, stdout: str, exit_code: int = 0, stderr: str = "") -> Path:
    """A `pulumi` executable that records its arguments and answers as told."""
    script = directory / "pulumi"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > "{directory}/arguments"\n'
        f"cat <<'EOF'\n{stdout}\nEOF\n"
        f"echo '{stderr}' >&2\n"
        f"exit {exit_code}\n"
    )
    script.chmod(0o755)
    return script


def test_stack_settings_come_from_pulumi_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_pulumi(tmp_path, json.dumps(STACK_OUTPUT))
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")

    connection = resolve_connection(stack="dev", user="producer", pulumi_cwd=Path("infra"))

    assert connection.kafka["sasl.username"] == "producer"
    assert (tmp_path / "arguments").read_text().split() == pulumi_command("dev", Path("infra"))[1:]


@pytest.mark.parametrize(
    ("stdout", "exit_code", "stderr", "message"),
    [
        pytest.param(
            "",
            255,
            "error: no stack named 'dev' found",
            "failed for stack dev: error: no stack named",
            id="pulumi fails",
        ),
        pytest.param("not json", 0, "", "stack output for stack dev is not JSON", id="not JSON"),
        pytest.param(
            json.dumps({"producer": {"kafka": {}}}), 0, "", "stack dev: .*has no user 'admin'", id="user missing"
        ),
    ],
)
def test_stack_problems_are_reported_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stdout: str, exit_code: int, stderr: str, message: str
) -> None:
    _fake_pulumi(tmp_path, stdout, exit_code, stderr)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")

    with pytest.raises(CliError, match=message):
        resolve_connection(stack="dev")


def test_missing_pulumi_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(CliError, match="pulumi is not on PATH"):
        resolve_connection(stack="dev")
