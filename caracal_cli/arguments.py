"""The command line: subcommands, and connection options accepted before or after the subcommand."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from caracal_cli.connection import DEFAULT_USER
from caracal_cli.reassignment_report import add_command as add_reassignments
from components.clients.topic_description import DEFAULT_TIMEOUT
from components.rules.health_verdict import DEFAULT_EXPIRY_DAYS, DEFAULT_LAG_THRESHOLD

PROGRAM = "caracal-kafka"
# Connection options with the value used when given neither before nor after the subcommand.
_GLOBAL_DEFAULTS: dict[str, object] = {
    "config_file": None,
    "stack": None,
    "user": DEFAULT_USER,
    "bootstrap_servers": None,
    "registry_url": None,
    "pulumi_cwd": None,
    "timeout": DEFAULT_TIMEOUT,
}


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return seconds


def _not_negative(parse: Callable[[str], float], what: str) -> Callable[[str], float]:
    """An argparse type: `parse` of the text, refused when it is not a number or is negative."""

    def checked(text: str) -> float:
        try:
            value = parse(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{text!r} is negative; give 0 or more") from None
        return value

    return checked


def _connection_options() -> argparse.ArgumentParser:
    # SUPPRESS keeps an option left out after the subcommand from overwriting the value given before it.
    options = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = options.add_argument_group("connection")
    group.add_argument("--config-file", type=Path, metavar="PATH", help="Java client.properties file to connect with")
    group.add_argument("--stack", metavar="NAME", help="read the client settings from this Pulumi stack's outputs")
    group.add_argument("--user", metavar="NAME", help=f"user whose settings --stack uses (default {DEFAULT_USER})")
    group.add_argument("--bootstrap-servers", metavar="HOST:PORT,...", help="Kafka servers, overriding the settings")
    group.add_argument("--registry-url", metavar="URL", help="schema registry URL, overriding the settings")
    group.add_argument("--pulumi-cwd", type=Path, metavar="DIR", help="directory of the Pulumi project for --stack")
    group.add_argument(
        "--timeout",
        type=_positive_seconds,
        metavar="SECONDS",
        help=f"give up on a request after this long (default {DEFAULT_TIMEOUT:g})",
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line."""
    connection = _connection_options()
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="Inspect the Caracal Kafka platform: topics and schema registry subjects.",
        parents=[connection],
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    listing = commands.add_parser("list-topics", parents=[connection], help="list topics")
    listing.add_argument("--filter", metavar="PREFIX", help="only topics whose name starts with PREFIX")
    listing.add_argument("--all", action="store_true", help="include internal topics (names starting with _)")

    describe = commands.add_parser("describe-topic", parents=[connection], help="partitions and configuration")
    describe.add_argument("topic", metavar="TOPIC")
    describe.add_argument(
        "--all-configs", action="store_true", help="show every setting and its source, not only topic overrides"
    )

    commands.add_parser("list-subjects", parents=[connection], help="list schema registry subjects")
    subject = commands.add_parser("describe-subject", parents=[connection], help="latest schema of a subject")
    subject.add_argument("subject", metavar="SUBJECT")

    health = commands.add_parser(
        "health",
        parents=[connection],
        help="brokers, controller and quorum, partitions, consumer lag, registry, certificates; exit 3 if unhealthy",
    )
    health.add_argument(
        "--lag-threshold",
        type=_not_negative(int, "a whole number of records"),
        default=DEFAULT_LAG_THRESHOLD,
        metavar="RECORDS",
        help=f"unhealthy when a group lags more records than this on a topic (default {DEFAULT_LAG_THRESHOLD})",
    )
    health.add_argument(
        "--expiry-days",
        type=_not_negative(float, "a number of days"),
        default=DEFAULT_EXPIRY_DAYS,
        metavar="DAYS",
        help=f"unhealthy when a certificate expires within this many days (default {DEFAULT_EXPIRY_DAYS})",
    )
    health.add_argument("--json", action="store_true", help="print the report as JSON (schema in the docs)")

    add_reassignments(commands, connection)
    return parser


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse `argv` (sys.argv when None); argparse exits with status 2 on a usage error."""
    arguments = build_parser().parse_args(argv)
    for name, default in _GLOBAL_DEFAULTS.items():
        if not hasattr(arguments, name):
            setattr(arguments, name, default)
    return arguments
