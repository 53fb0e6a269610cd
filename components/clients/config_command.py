"""Kafka's own ConfigCommand, for what librdkafka cannot do: client quotas and the cluster-wide broker defaults.

Two ways to run it as admin, and one way to run either:
- in a broker container of the stack (`docker exec`), with the admin's client config file that lives there: no
  credential leaves the container and none appears on a command line;
- for a cluster the program does not run, in a throw-away container of the local Kafka image on the host's
  network (it reaches the bootstrap servers exactly as this host does). The admin's client config reaches it on
  stdin and is written to a tmpfs only the tool's user can read: no credential is on a command line, in an
  environment variable, in container metadata or on any disk, and the container is removed when the tool exits.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Mapping, Sequence

from components.clients.client_properties import client_properties
from components.rules import layout

TIMEOUT_S = 120
TOOL_DIR = "/run/caracal"
COMMAND_CONFIG = f"{TOOL_DIR}/admin.properties"
# The tool's user, and owner of the tmpfs it reads its config from (the image's kafka user; any uid would do).
TOOL_UID = "1000"

# What a command is about.
BROKER_DEFAULTS = ("--entity-type", "brokers", "--entity-default")

Invocation = tuple[list[str], str | None]
"""The command line, and what it reads on stdin (None: nothing)."""


def user(name: str) -> tuple[str, ...]:
    return ("--entity-type", "users", "--entity-name", name)


def _tool(bootstrap_servers: str, command_config: str) -> list[str]:
    return [
        "java", "-Xmx128m", layout.LOG4J, "-cp", layout.KAFKA_LIBS, "kafka.admin.ConfigCommand",
        "--bootstrap-server", bootstrap_servers, "--command-config", command_config,
    ]  # fmt: skip


def in_broker(container: str, entity: Sequence[str], action: Sequence[str]) -> Invocation:
    """ConfigCommand in the stack's broker container, over the in-network SASL_SSL listener."""
    bootstrap = f"{layout.broker_host(0)}:{layout.CLIENT_PORT}"
    return ["docker", "exec", container, *_tool(bootstrap, layout.ADMIN_CLIENT_FILE), *entity, *action], None


def admin_command_config(connection: Mapping[str, str]) -> str:
    """ConfigCommand's --command-config for the admin connection: mechanism, trust and client certificate."""
    certificate, key = connection.get("certificate_pem") or "", connection.get("key_pem") or ""
    return client_properties(
        connection["username"],
        connection["password"],
        ca_pem=connection.get("ca_pem") or None,
        mechanism=connection.get("mechanism") or "SCRAM-SHA-512",
        keystore=(certificate, key) if certificate and key else None,
    )


def in_tool_container(
    image: str, connection: Mapping[str, str], entity: Sequence[str], action: Sequence[str]
) -> Invocation:
    """`docker run` of ConfigCommand from `image`, the admin's client config on stdin."""
    tool = " ".join(
        ["exec", *map(shlex.quote, _tool(connection["bootstrap_servers"], COMMAND_CONFIG))]
        + [shlex.quote(part) for part in (*entity, *action)]
    )
    command = [
        "docker", "run", "--rm", "--interactive", "--pull", "never", "--network", "host",
        "--user", f"{TOOL_UID}:{TOOL_UID}",
        "--tmpfs", f"{TOOL_DIR}:rw,noexec,nosuid,size=1m,uid={TOOL_UID},gid={TOOL_UID},mode=0700",
        "--entrypoint", "/bin/sh", image,
        "-c", f"umask 077 && cat > {COMMAND_CONFIG} && {tool}",
    ]  # fmt: skip
    return command, admin_command_config(connection)


def run(invocation: Invocation) -> str:
    """Run it; its output, or RuntimeError naming where it ran and what it said."""
    args, stdin = invocation
    try:
        done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=TIMEOUT_S)
    except FileNotFoundError:
        raise RuntimeError("ConfigCommand needs the docker command on this host: it is not on PATH") from None
    if done.returncode != 0:
        where = f"a container of {args[args.index('--entrypoint') + 2]}" if stdin is not None else args[2]
        raise RuntimeError(f"ConfigCommand in {where} failed: {(done.stderr or done.stdout).strip()[-500:]}")
    return done.stdout
