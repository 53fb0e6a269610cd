"""Where the CLI connects and as whom: from a client.properties file, or from a Pulumi stack's outputs.

Both sources end up as a Connection; the pure `connection_from_*` functions do the translating, and only
`resolve_connection` reads files and runs pulumi.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from caracal_cli.client_properties import parse_properties, to_librdkafka
from caracal_cli.errors import CliError
from caracal_cli.pem import normalise_pem

DEFAULT_USER = "admin"
STACK_OUTPUT = "clientConfigs"
# `pulumi stack output` may have to reach a remote state backend.
_PULUMI_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Connection:
    """Client settings for Kafka and the schema registry."""

    kafka: dict[str, str]
    """confluent-kafka configuration: bootstrap.servers, security.protocol, sasl.*, ssl.*."""
    registry: dict[str, str] = field(default_factory=dict)
    """Schema registry settings: url, and ssl.ca.pem or ssl.ca.location, basic.auth.user.info when needed."""


def connection_from_properties(text: str) -> Connection:
    """A Connection from client.properties text; ValueError naming the key for a value that makes no sense.

    The registry is read from the keys Confluent's Java serializers use (schema.registry.url,
    basic.auth.user.info); it trusts the Kafka truststore unless schema.registry.ssl.truststore.* says otherwise.
    """
    props = parse_properties(text)
    kafka = to_librdkafka(props)
    registry: dict[str, str] = {}
    if "schema.registry.url" in props:
        registry["url"] = props["schema.registry.url"].strip()
        if "basic.auth.user.info" in props:
            registry["basic.auth.user.info"] = props["basic.auth.user.info"]
        registry.update(_registry_trust(props, kafka))
    return Connection(kafka=kafka, registry=registry)


def _registry_trust(props: dict[str, str], kafka: dict[str, str]) -> dict[str, str]:
    prefix = "schema.registry."
    own = {key.removeprefix(prefix): value for key, value in props.items() if key.startswith(prefix + "ssl.")}
    if not own:
        return {key: kafka[key] for key in ("ssl.ca.pem", "ssl.ca.location") if key in kafka}
    if "ssl.truststore.certificates" in own:
        try:
            return {"ssl.ca.pem": normalise_pem(own["ssl.truststore.certificates"])}
        except ValueError as error:
            raise ValueError(f"{prefix}ssl.truststore.certificates: {error}") from None
    if "ssl.truststore.location" in own:
        return {"ssl.ca.location": own["ssl.truststore.location"].strip()}
    return {}


def connection_from_stack_output(document: Any, user: str) -> Connection:
    """A Connection from the `clientConfigs` stack output (already decoded from JSON) for `user`.

    Raises ValueError for a missing user, TypeError for a document of the wrong shape.
    """
    if not isinstance(document, dict):
        raise TypeError(f"stack output {STACK_OUTPUT} is not an object of users")
    if user not in document:
        raise ValueError(f"stack output {STACK_OUTPUT} has no user {user!r}; it has: {', '.join(sorted(document))}")
    entry = document[user]
    if not isinstance(entry, dict) or not isinstance(entry.get("kafka"), dict):
        raise TypeError(f"stack output {STACK_OUTPUT}.{user} has no 'kafka' object")
    registry = entry.get("registry") or {}
    if not isinstance(registry, dict):
        raise TypeError(f"stack output {STACK_OUTPUT}.{user}.registry is not an object")
    return Connection(
        kafka={key: str(value) for key, value in entry["kafka"].items()},
        registry={key: str(value) for key, value in registry.items()},
    )


def with_overrides(
    connection: Connection,
    bootstrap_servers: str | None = None,
    registry_url: str | None = None,
) -> Connection:
    """The connection with the servers named on the command line in place of those configured."""
    if bootstrap_servers:
        connection = replace(connection, kafka={**connection.kafka, "bootstrap.servers": bootstrap_servers})
    if registry_url:
        connection = replace(connection, registry={**connection.registry, "url": registry_url})
    return connection


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
            connection = connection_from_stack_output(_stack_output(stack, pulumi_cwd), user)
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


def pulumi_command(stack: str, cwd: Path | None = None) -> list[str]:
    """The pulumi invocation that prints the stack's client settings, secrets included, as JSON."""
    command = ["pulumi", "stack", "output", STACK_OUTPUT, "--show-secrets", "--json", "--stack", stack]
    return command + (["--cwd", str(cwd)] if cwd is not None else [])


def _stack_output(stack: str, cwd: Path | None) -> Any:
    try:
        done = subprocess.run(
            pulumi_command(stack, cwd),
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
        raise CliError(f"pulumi stack output failed for stack {stack}: {lines[-1] if lines else done.returncode}")
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise CliError(f"pulumi stack output for stack {stack} is not JSON") from None
