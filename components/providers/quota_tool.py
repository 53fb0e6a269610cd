"""Kafka's ConfigCommand run against a cluster the program does not run: client quotas need Kafka's Admin API,
which librdkafka lacks, and there is no broker container of ours to `docker exec` into.

The tool runs in a throw-away container of the local Kafka image on the host's network (so it reaches the
bootstrap servers exactly as this host does). The admin's client config reaches it on stdin and is written to a
tmpfs only the tool's user can read: no credential is on a command line, in an environment variable, in container
metadata or on any disk, and the container is removed when the tool exits.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence

from components.clients.client_properties import client_properties
from components.rules import layout

TOOL_DIR = "/run/caracal"
COMMAND_CONFIG = f"{TOOL_DIR}/admin.properties"
# The tool's user, and owner of the tmpfs it reads its config from (the image's kafka user; any uid would do).
TOOL_UID = "1000"


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


def config_command(image: str, connection: Mapping[str, str], user: str, action: Sequence[str]) -> list[str]:
    """`docker run` of ConfigCommand on `user`'s quotas; its stdin must be admin_command_config(connection)."""
    tool = " ".join(
        [
            "exec java -Xmx128m", layout.LOG4J, "-cp", shlex.quote(layout.KAFKA_LIBS), "kafka.admin.ConfigCommand",
            "--bootstrap-server", shlex.quote(connection["bootstrap_servers"]),
            "--command-config", COMMAND_CONFIG,
            "--entity-type", "users", "--entity-name", shlex.quote(user), *map(shlex.quote, action),
        ]
    )  # fmt: skip
    return [
        "docker", "run", "--rm", "--interactive", "--pull", "never", "--network", "host",
        "--user", f"{TOOL_UID}:{TOOL_UID}",
        "--tmpfs", f"{TOOL_DIR}:rw,noexec,nosuid,size=1m,uid={TOOL_UID},gid={TOOL_UID},mode=0700",
        "--entrypoint", "/bin/sh", image,
        "-c", f"umask 077 && cat > {COMMAND_CONFIG} && {tool}",
    ]  # fmt: skip
