"""Kafka's own command-line tools (kafka-configs, kafka-metadata-quorum, kafka-storage, kafka-reassign-partitions,
kafka-log-dirs), for what librdkafka cannot do. One runner, two places to run a tool:

- `InBroker`: in a broker container of the stack (`docker exec`). A connecting tool logs in as admin with the client
  config file that lives there, over the in-network listener: no credential leaves the container.
- `InToolContainer`: in a throw-away container of a Kafka image, for a cluster the program does not run. It joins
  the host's network (it reaches the bootstrap servers exactly as this host does), starts with a read-only root
  file system, no capabilities, no new privileges and a pids and memory limit, and is removed when the tool exits.

A tool's own input document (a reassignment plan) travels on stdin too and the tool reads it from /dev/stdin; with a
client config the config comes first, up to a marker line the shell reads one byte at a time.

A client config given to `run` travels on stdin only and is written to a tmpfs inside the container that only the
tool's user can read (the throw-away container's own tmpfs; /dev/shm in a broker, removed after the tool): never on
a command line, in an environment variable, in container metadata or on a disk. The tool's main class is chosen
for the Kafka version of the image it runs in, read from the image's jars (components/rules/kafka_tools.py).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shlex
import subprocess
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from components.clients.client_properties import client_properties
from components.rules import layout
from components.rules.kafka_tools import (
    KafkaVersion,
    Tool,
    broker_prefix,
    java_command,
    masked,
    split_log,
    standing_in,
    version_from_libs,
)

TIMEOUT_S = 120
# The tool gives up a little before the runner does, so a hung tool ends inside the container too.
TOOL_TIMEOUT_S = TIMEOUT_S - 10
TOOL_DIR = "/run/caracal"
# The tool's user, and owner of the tmpfs it reads its config from (the image's kafka user; any uid would do).
TOOL_UID = "1000"
# Label of a throw-away tool container: the pid of the process that ran it.
OWNER_LABEL = "caracal.tool-owner"
BROKER_BOOTSTRAP = f"{layout.broker_host(0)}:{layout.CLIENT_PORT}"
# Where a tool reads the document given to `run` (its stdin, past the client config).
DOCUMENT = "/dev/stdin"
# Ends the client config on stdin: a properties comment, so the config stays valid whatever follows.
CONFIG_END = "#caracal-config-end"
# The shell's `read` takes stdin a byte at a time, so the document after the marker is left for the tool.
_READ_CONFIG = f'while IFS= read -r line && [ "$line" != "{CONFIG_END}" ]; do printf "%s\\n" "$line"; done > '
# Hardening of a throw-away container, and the resources a tool with a 128 MiB heap needs.
SANDBOX = (
    "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
    "--tmpfs", "/tmp:rw,noexec,nosuid,size=16m", "--pids-limit", "256", "--memory", "512m",
)  # fmt: skip


@dataclass(frozen=True)
class InBroker:
    """A broker container of the stack; by default a connecting tool logs in with the admin's file there."""

    container: str
    bootstrap_servers: str = BROKER_BOOTSTRAP
    command_config: str = layout.ADMIN_CLIENT_FILE

    def __str__(self) -> str:
        return f"broker container {self.container}"


@dataclass(frozen=True)
class InToolContainer:
    """A throw-away container of `image` (a local image with Java and Kafka's jars) on `network`."""

    image: str
    network: str = "host"

    def __str__(self) -> str:
        return f"a container of {self.image}"


Place = InBroker | InToolContainer


@dataclass(frozen=True)
class ClientConfig:
    """A tool's login: where it connects and its client properties, which are secret (stdin only)."""

    bootstrap_servers: str
    properties: str = field(repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """Values masked in any error (the password, the client key)."""


@dataclass(frozen=True)
class ToolResult:
    """What a tool printed: `stdout` its own output, `stderr` its errors and log records (the images log to the
    console)."""

    exit_code: int
    stdout: str
    stderr: str


class ToolError(RuntimeError):
    """A tool that could not run or exited with an error: which tool, where, and what it said (secrets masked)."""


def admin_client(connection: Mapping[str, str]) -> ClientConfig:
    """The admin connection of an external cluster as a tool's login: mechanism, trust and client certificate."""
    certificate, key = connection.get("certificate_pem") or "", connection.get("key_pem") or ""
    properties = client_properties(
        connection["username"],
        connection["password"],
        ca_pem=connection.get("ca_pem") or None,
        mechanism=connection.get("mechanism") or "SCRAM-SHA-512",
        keystore=(certificate, key) if certificate and key else None,
    )
    key_lines = [line for line in key.splitlines() if line.strip() and not line.startswith("-----")]
    return ClientConfig(connection["bootstrap_servers"], properties, (connection["password"], *key_lines))


def invocation(
    tool: Tool,
    version: KafkaVersion,
    args: Sequence[str],
    place: Place,
    client: ClientConfig | None = None,
    document: str | None = None,
) -> tuple[list[str], str | None]:
    """The docker command that runs `tool`, and what it reads on stdin (None: nothing): the client config, then
    `document`, which the tool reads from DOCUMENT."""
    # With a document behind it, the config is read up to its marker only; alone, all of stdin is the config.
    reader = _READ_CONFIG if document is not None else "cat > "
    if isinstance(place, InBroker):
        command, config = _in_broker(tool, version, args, place, client, reader)
    else:
        command, config = _in_tool_container(tool, version, args, place, client, reader)
    if document is None:
        return command, config
    if config is None:
        return [*command[:2], "--interactive", *command[2:]], document
    return command, f"{config.rstrip()}\n{CONFIG_END}\n{document}"


def _bounded(java: list[str]) -> list[str]:
    return ["timeout", str(TOOL_TIMEOUT_S), *java]


def _in_broker(
    tool: Tool, version: KafkaVersion, args: Sequence[str], place: InBroker, client: ClientConfig | None, reader: str
) -> tuple[list[str], str | None]:
    if client is None:
        java = java_command(
            tool, version, args, bootstrap_servers=place.bootstrap_servers, command_config=place.command_config
        )
        return ["docker", "exec", place.container, *_bounded(java)], None
    # /dev/shm is a tmpfs in every container; the file goes when the tool ends, whatever its exit status.
    config = f"/dev/shm/caracal-tool-{uuid.uuid4().hex[:12]}.properties"
    java = java_command(tool, version, args, bootstrap_servers=client.bootstrap_servers, command_config=config)
    script = f"umask 077 && {reader}{config} && {shlex.join(_bounded(java))}; status=$?; rm -f {config}; exit $status"
    return ["docker", "exec", "--interactive", place.container, "/bin/sh", "-c", script], client.properties


def _in_tool_container(
    tool: Tool,
    version: KafkaVersion,
    args: Sequence[str],
    place: InToolContainer,
    client: ClientConfig | None,
    reader: str,
) -> tuple[list[str], str | None]:
    command = _throw_away(place.network)
    if client is None:
        java = _bounded(java_command(tool, version, args))
        return [*command, "--entrypoint", java[0], place.image, *java[1:]], None
    config = f"{TOOL_DIR}/client.properties"
    java = _bounded(
        java_command(tool, version, args, bootstrap_servers=client.bootstrap_servers, command_config=config)
    )
    return [
        *command, "--interactive",
        "--tmpfs", f"{TOOL_DIR}:rw,noexec,nosuid,size=1m,uid={TOOL_UID},gid={TOOL_UID},mode=0700",
        "--entrypoint", "/bin/sh", place.image, "-c", f"umask 077 && {reader}{config} && exec {shlex.join(java)}",
    ], client.properties  # fmt: skip


def run(
    tool: Tool,
    args: Sequence[str],
    place: Place,
    client: ClientConfig | None = None,
    *,
    check: bool = True,
    document: str | None = None,
) -> ToolResult:
    """Run `tool` with `args` in `place`; with `check`, a non-zero exit raises ToolError. `document`: what the
    tool reads from DOCUMENT (not secret)."""
    place = serving(place)
    version = kafka_version(place)
    try:
        command, stdin = invocation(tool, version, args, place, client, document)
    except ValueError as error:  # a Kafka older than the table knows, or a connecting tool without a login
        raise ToolError(f"{error} (in {place})") from None
    described = f"{tool.name} ({tool.main_class(version)}) in {place}"
    done = _docker(command, stdin, described)
    output, log = split_log(done.stdout)
    result = ToolResult(done.returncode, output, log + done.stderr)
    if check and result.exit_code != 0:
        said = masked((result.stderr or result.stdout).strip(), client.secrets if client else ())[-800:]
        raise ToolError(f"{described} exited with status {result.exit_code}: {said}")
    return result


def serving(place: Place) -> Place:
    """`place`, or when it is a broker of the stack that does not run, another of its brokers that does, reached
    on its own host (rules/kafka_tools.py standing_in): a roll or an interrupted `up` must not leave the tools that
    read and change the cluster (quotas, defaults, the metadata version) without a place to run."""
    if not isinstance(place, InBroker):
        return place
    state = _docker(
        ["docker", "container", "inspect", "--format", "{{.State.Running}}", place.container], None, str(place)
    )
    if state.returncode == 0 and state.stdout.strip() == "true":
        return place
    prefix = broker_prefix(place.container)
    if prefix is None:
        return place
    listed = _docker(
        ["docker", "ps", "--filter", f"name=^{prefix}-", "--filter", "status=running", "--format", "{{.Names}}"],
        None,
        "the running containers",
    )
    other = standing_in(place.container, listed.stdout.split()) if listed.returncode == 0 else None
    if other is None:
        return place
    port = place.bootstrap_servers.rpartition(":")[2]
    return dataclasses.replace(place, container=other, bootstrap_servers=f"{other.removeprefix(f'{prefix}-')}:{port}")


def kafka_version(place: Place) -> KafkaVersion:
    """The Kafka version of the image the tool runs from (of the broker container, or the given image)."""
    if isinstance(place, InBroker):
        image = _inspect(["docker", "container", "inspect", "--format", "{{.Image}}", place.container], str(place))
    else:
        image = _inspect(["docker", "image", "inspect", "--format", "{{.Id}}", place.image], f"image {place.image}")
    return _version_of_image(image)


@functools.lru_cache(maxsize=16)
def _version_of_image(image_id: str) -> KafkaVersion:
    """Read once per image and process: its class path's jar names, from a container with no network."""
    listing = _docker(
        [*_throw_away("none"), "--entrypoint", "/bin/ls", image_id, layout.KAFKA_LIBS.removesuffix("/*")],
        None,
        f"listing Kafka's jars in image {image_id}",
    )
    if listing.returncode != 0:
        raise ToolError(f"cannot list Kafka's jars in image {image_id}: {listing.stderr.strip()[-300:]}")
    try:
        return version_from_libs(listing.stdout.split())
    except ValueError as error:
        raise ToolError(f"image {image_id}: {error}") from None


def _inspect(command: list[str], what: str) -> str:
    done = _docker(command, None, f"docker inspect of {what}")
    if done.returncode != 0:
        raise ToolError(f"{what} is not there to run a Kafka tool in: {done.stderr.strip()[-300:]}")
    return done.stdout.strip()


def _throw_away(network: str) -> list[str]:
    """`docker run` of a sandboxed container removed on exit; named, so that one whose docker client was killed on
    a timeout (which leaves the container running) can be removed too, and labelled with the process that ran it
    (`docker ps --filter label=caracal.tool-owner=PID`), so that several programs on one host tell theirs apart."""
    return [
        "docker", "run", "--rm", "--name", f"caracal-tool-{uuid.uuid4().hex[:12]}", "--pull", "never",
        "--label", f"{OWNER_LABEL}={os.getpid()}",
        "--network", network, "--user", f"{TOOL_UID}:{TOOL_UID}", *SANDBOX,
    ]  # fmt: skip


def _docker(command: list[str], stdin: str | None, what: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=TIMEOUT_S)
    except FileNotFoundError:
        raise ToolError("Kafka's tools run with the docker command on this host: it is not on PATH") from None
    except subprocess.TimeoutExpired:
        if command[:2] == ["docker", "run"]:
            name = command[command.index("--name") + 1]
            subprocess.run(["docker", "rm", "--force", name], capture_output=True, timeout=30, check=False)
        raise ToolError(f"{what} did not finish within {TIMEOUT_S} s") from None
