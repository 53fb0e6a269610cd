"""caracal-kafka: inspect the Caracal Kafka platform's topics and schema registry subjects.

python -m caracal_cli list-topics --stack dev
python -m caracal_cli describe-topic caracal.metering.events --config-file client.properties
"""

from __future__ import annotations

import argparse
import sys

from confluent_kafka import KafkaException

from caracal_cli.arguments import PROGRAM, parse_arguments
from caracal_cli.connection import Connection, resolve_connection
from caracal_cli.errors import CliError
from caracal_cli.kafka_admin import AdminSession
from caracal_cli.registry_client import open_registry
from caracal_cli.subject_report import format_subject_description, format_subject_list
from caracal_cli.subjects import RegistryUnreachable, SubjectNotFound, describe_subject, list_subjects
from caracal_cli.topic_report import format_topic_description, format_topic_list
from caracal_cli.topics import TopicNotFound, describe_topic, list_topics


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0 on success, 1 on failure and 2 for a usage error."""
    arguments = parse_arguments(argv)
    try:
        connection = resolve_connection(
            config_file=arguments.config_file,
            stack=arguments.stack,
            user=arguments.user,
            bootstrap_servers=arguments.bootstrap_servers,
            registry_url=arguments.registry_url,
            pulumi_cwd=arguments.pulumi_cwd,
        )
        if arguments.command in ("list-topics", "describe-topic"):
            output = _run_topic_command(arguments, connection)
        else:
            output = _run_subject_command(arguments, connection)
    except CliError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    sys.stdout.write(output)
    return 0


def _run_topic_command(arguments: argparse.Namespace, connection: Connection) -> str:
    session = AdminSession(connection.kafka, arguments.timeout)
    session.ensure_connected()
    try:
        if arguments.command == "list-topics":
            names = list_topics(session.client, arguments.filter, arguments.all, arguments.timeout)
            return format_topic_list(names)
        topic = describe_topic(session.client, arguments.topic, arguments.timeout)
        return format_topic_description(topic, arguments.all_configs)
    except TopicNotFound as error:
        raise CliError(str(error)) from None
    except KafkaException as error:
        raise session.explain(error) from None


def _run_subject_command(arguments: argparse.Namespace, connection: Connection) -> str:
    with open_registry(connection.registry, arguments.timeout) as registry:
        try:
            if arguments.command == "list-subjects":
                return format_subject_list(list_subjects(registry))
            return format_subject_description(describe_subject(registry, arguments.subject))
        except SubjectNotFound as error:
            raise CliError(str(error)) from None
        except RegistryUnreachable as error:
            raise CliError(f"cannot reach the schema registry at {connection.registry['url']}: {error}") from None


if __name__ == "__main__":
    sys.exit(main())
