"""Where the CLI connects and as whom: from a client.properties file, or from a Pulumi stack's outputs.

Reading the file and running pulumi happen here; translating either into a Connection is the client layer's
(components.clients.client_settings), the same code the program writes those settings with.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from caracal_cli.errors import CliError
from components.clients.client_settings import (
    STACK_OUTPUT,
    Connection,
    connection_from_client_configs,
    connection_from_properties,
    with_overrides,
)

DEFAULT_USER = "admin"
# `pulumi stack output` may have to reach a remote state backend.
_PULUMI_TIMEOUT_SECONDS = 120


def resolve_connection(
    config_file: Path | None = None,
    stack: str | None = None,
    user: str = DEFAULT_USER,
    bootstrap_servers: str | None = None,
    registry_url: str | None = None,
    pulumi_cwd: Path | None = None,
) -> Connection:
    """The Connection the command line asks for; CliError saying what is wrong.

    Settings a command needs but nobody gave (no Kafka servers, no registry URL) are reported by that command.
    """
    if config_file is not None and stack is not None:
        raise CliError("give either --config-file or --stack, not both", exit_code=2)
    try:
        if config_file is not None:
            connection = connection_from_properties(_read(config_file))
        elif stack is not None:
            connection = connection_from_client_configs(_stack_output(stack, pulumi_cwd), user)
        else:
            connection = Connection(kafka={})
    except (ValueError, TypeError) as error:
        source = str(config_file) if config_file is not None else f"stack {stack}"
        raise CliError(f"{source}: {error}") from None
    return with_overrides(connection, bootstrap_servers, registry_url)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise CliError(f"cannot read config file {path}: {error.strerror or error}") from None


def pulumi_command(stack: str, cwd: Path | None = None, output: str = STACK_OUTPUT) -> list[str]:
    """The pulumi invocation that prints one output of the stack (its client settings unless told), secrets
    included, as JSON."""
    command = ["pulumi", "stack", "output", output, "--show-secrets", "--json", "--stack", stack]
    return command + (["--cwd", str(cwd)] if cwd is not None else [])


def _stack_output(stack: str, cwd: Path | None, output: str = STACK_OUTPUT) -> Any:
    try:
        done = subprocess.run(
            pulumi_command(stack, cwd, output),
            capture_output=True,
            text=True,
            timeout=_PULUMI_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise CliError("pulumi is not on PATH; install it, or use --config-file") from None
    except subprocess.TimeoutExpired:
        raise CliError(
            f"pulumi stack output took over {_PULUMI_TIMEOUT_SECONDS} s; is the state backend reachable?"
        ) from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else done.returncode
        raise CliError(f"pulumi stack output {output} failed for stack {stack}: {reason}")
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise CliError(f"pulumi stack output for stack {stack} is not JSON") from None


def stack_output(stack: str, output: str, cwd: Path | None = None) -> Any:
    """One output of the stack, decoded from JSON; CliError when pulumi fails or the stack has no such output."""
    return _stack_output(stack, cwd, output)
