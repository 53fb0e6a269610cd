"""`caracal-kafka reassignments`: the partition reassignments in progress on a cluster (what an `up` is moving,
or what a killed one left moving), and `--cancel` to stop them all (their partitions return to their former
replicas and the throttles go).

Kafka's own kafka-reassign-partitions runs through the platform's tool runner: in the stack's first broker for
`--stack NAME` of a stack this host runs (as admin, with the login that lives there), otherwise in a throw-away
container of the Kafka image with the --config-file login on stdin."""

from __future__ import annotations

import argparse
from pathlib import Path

from caracal_cli.errors import CliError
from components.clients import kafka_tools, reassignments
from components.clients.docker_cli import DockerUnavailable, docker
from components.rules import kafka_release
from components.rules.layout import broker_host
from components.rules.reassignment import progress

# The image scripts/images.sh builds for the default release.
DEFAULT_IMAGE = kafka_release.parse(kafka_release.DEFAULT).image


def add_command(commands: argparse._SubParsersAction, connection: argparse.ArgumentParser) -> None:
    command = commands.add_parser(
        "reassignments", parents=[connection], help="partition reassignments in progress (--cancel stops them)"
    )
    command.add_argument("--cancel", action="store_true", help="cancel every reassignment in progress")
    command.add_argument(
        "--image", default=DEFAULT_IMAGE, metavar="IMAGE", help="Kafka image the tool runs from with --config-file"
    )


def _access(arguments: argparse.Namespace) -> reassignments.ToolAccess:
    if arguments.stack:
        container = f"caracal-{arguments.stack}-{broker_host(0)}"
        try:
            docker("container", "inspect", container)
            return reassignments.ToolAccess(kafka_tools.InBroker(container))
        except DockerUnavailable:
            pass
    if not arguments.config_file:
        raise CliError("give --stack NAME of a stack this host runs, or --config-file with the admin's login", 2)
    properties = Path(arguments.config_file).read_text()
    servers = arguments.bootstrap_servers or _property(properties, "bootstrap.servers")
    if not servers:
        raise CliError("no Kafka servers: give --bootstrap-servers or bootstrap.servers in the config file", 2)
    return reassignments.ToolAccess(
        kafka_tools.InToolContainer(arguments.image), kafka_tools.ClientConfig(servers, properties)
    )


def _property(properties: str, key: str) -> str:
    for line in properties.splitlines():
        name, _, value = line.partition("=")
        if name.strip() == key:
            return value.strip()
    return ""


def run_reassignments(arguments: argparse.Namespace) -> str:
    access = _access(arguments)
    try:
        if arguments.cancel:
            cancelled = reassignments.cancel(access)
            return "".join(f"cancelled {line}\n" for line in cancelled) or "No reassignment in progress.\n"
        lines = progress(reassignments.listing(access))
    except (reassignments.ReassignmentError, kafka_tools.ToolError) as error:
        raise CliError(str(error)) from None
    if not lines:
        return "No reassignment in progress.\n"
    return f"{len(lines)} partition(s) being reassigned:\n" + "".join(f"  {line}\n" for line in lines)
