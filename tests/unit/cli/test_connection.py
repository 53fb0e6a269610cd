"""Where the CLI connects: a client.properties file, a Pulumi stack's outputs, and command-line overrides."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from caracal_cli.connection import pulumi_command, resolve_connection
from caracal_cli.errors import CliError
from components.clients.client_settings import Connection
from tests.unit.clients.test_client_settings import KAFKA, PROPERTIES, STACK_OUTPUT


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
