"""caracal-kafka: inspect the Caracal Kafka platform's topics and schema registry subjects.

python -m caracal_cli list-topics --stack dev
python -m caracal_cli describe-topic caracal.metering.events --config-file client.properties
python -m caracal_cli --stack prod health --json

This module only wires the command line to the client layer (components.clients) and turns every failure it
reports into a CliError: one line on stderr and the exit status.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from caracal_cli.arguments import PROGRAM, parse_arguments
from caracal_cli.connection import resolve_connection
from caracal_cli.errors import CliError
from caracal_cli.health_command import run_health_command
from caracal_cli.reassignment_report import run_reassignments
from caracal_cli.subject_report import format_subject_description, format_subject_list
from caracal_cli.topic_report import format_topic_description, format_topic_list
from components.clients.admin_session import AdminSession, SessionError
from components.clients.client_settings import Connection
from components.clients.registry import RegistryClient, RegistryError
from components.clients.subject_description import (
    SubjectNotFound,
    describe_subject,
    explain_registry_error,
    list_subjects,
)
from components.clients.topic_description import TopicNotFound, describe_topic, list_topics

# What to do about a setting nobody gave, in the terms of this command line.
NO_KAFKA_SERVERS = "no Kafka servers: give --config-file, --stack or --bootstrap-servers"
NO_REGISTRY_URL = "no schema registry URL: use --stack, --registry-url, or schema.registry.url in the config file"


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0 on success, 1 on failure, 2 for a usage error and 3 when `health`
    finds the cluster unhealthy."""
    arguments = parse_arguments(argv)
    status = 0
    try:
        if arguments.command == "reassignments":
            # Kafka's tool logs in by itself (in a broker, or with --config-file): no client settings to resolve.
            sys.stdout.write(run_reassignments(arguments))
            return 0
        connection = resolve_connection(
            config_file=arguments.config_file,
            stack=arguments.stack,
            user=arguments.user,
            bootstrap_servers=arguments.bootstrap_servers,
            registry_url=arguments.registry_url,
            pulumi_cwd=arguments.pulumi_cwd,
        )
        if arguments.command == "health":
            output, status = run_health_command(arguments, connection, _connect(connection, arguments.timeout))
        elif arguments.command in ("list-topics", "describe-topic"):
            output = _run_topic_command(arguments, connection)
        else:
            output = _run_subject_command(arguments, connection)
    except CliError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    sys.stdout.write(output)
    return status


def _run_topic_command(arguments: argparse.Namespace, connection: Connection) -> str:
    session = _connect(connection, arguments.timeout)
    try:
        return _topic_report(arguments, session)
    except TopicNotFound as error:
        raise CliError(str(error)) from None
    except SessionError as error:
        raise CliError(str(error), exit_code=2 if error.usage else 1) from None


def _connect(connection: Connection, timeout: float) -> AdminSession:
    """An admin session a broker has answered; CliError (status 2 for missing settings) otherwise."""
    # Checked here rather than left to AdminSession, so the message can name this command line's options.
    if not connection.kafka.get("bootstrap.servers"):
        raise CliError(NO_KAFKA_SERVERS, exit_code=2)
    try:
        session = AdminSession(connection.kafka, timeout)
        session.ensure_connected()
    except SessionError as error:
        raise CliError(str(error), exit_code=2 if error.usage else 1) from None
    return session


def _topic_report(arguments: argparse.Namespace, session: AdminSession) -> str:
    with session.explaining():
        if arguments.command == "list-topics":
            names = list_topics(session.client, arguments.filter, arguments.all, arguments.timeout)
            return format_topic_list(names)
        topic = describe_topic(session.client, arguments.topic, arguments.timeout)
        return format_topic_description(topic, arguments.all_configs)


def _run_subject_command(arguments: argparse.Namespace, connection: Connection) -> str:
    registry = open_registry(connection.registry, arguments.timeout)
    try:
        if arguments.command == "list-subjects":
            return format_subject_list(list_subjects(registry))
        return format_subject_description(describe_subject(registry, arguments.subject))
    except SubjectNotFound as error:
        raise CliError(str(error)) from None
    except RegistryError as error:
        raise CliError(explain_registry_error(error, connection.registry["url"])) from None


def open_registry(settings: Mapping[str, str], timeout: float) -> RegistryClient:
    """The registry client for `settings`; CliError when there is no URL or the settings cannot be used."""
    if not settings.get("url"):
        raise CliError(NO_REGISTRY_URL)
    try:
        return RegistryClient.from_settings(settings, timeout)
    except ValueError as error:
        raise CliError(f"invalid schema registry settings: {error}") from None


if __name__ == "__main__":
    sys.exit(main())
