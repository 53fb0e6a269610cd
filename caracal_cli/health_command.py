"""`caracal-kafka health`: gather the cluster's facts through the client layer, let the rules judge them, print
the report. Exit status 0 when healthy, UNHEALTHY (3) with the reasons when not."""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from datetime import UTC, datetime

from caracal_cli.connection import stack_output
from caracal_cli.errors import CliError
from caracal_cli.health_report import health_json, health_text
from components.clients.admin_session import AdminSession, SessionError
from components.clients.client_settings import Connection
from components.clients.health_facts import gather
from components.rules.expected_platform import ExpectedPlatform, expected_platform
from components.rules.health_verdict import Thresholds, problems

UNHEALTHY = 3
# The stack output that names the stack's nodes (one server certificate each) and their certificates' expiry.
EXPIRY_OUTPUT = "certificateExpiresAt"


def run_health_command(arguments: argparse.Namespace, connection: Connection, session: AdminSession) -> tuple[str, int]:
    """The report and the exit status, from a session a broker has answered."""
    started = time.monotonic()
    notes: list[str] = []
    expected = _expected(arguments, notes)
    read_outputs = round(time.monotonic() - started, 3)
    try:
        with session.explaining():
            facts, timings = gather(session.client, connection.kafka, connection.registry, expected, arguments.timeout)
    except SessionError as error:
        raise CliError(str(error)) from None
    facts = replace(facts, notes=(*notes, *facts.notes))
    thresholds = Thresholds(lag=arguments.lag_threshold, expiry_days=arguments.expiry_days)
    now = datetime.now(UTC)
    found = problems(facts, thresholds, now)
    seconds = {"stack outputs": read_outputs, **timings.seconds, "total": round(time.monotonic() - started, 3)}
    report = health_json if arguments.json else health_text
    return report(facts, found, thresholds, now, seconds), UNHEALTHY if found else 0


def _expected(arguments: argparse.Namespace, notes: list[str]) -> ExpectedPlatform | None:
    """What the stack declares, when --stack names one that runs its own platform."""
    if arguments.stack is None:
        notes.append("expected brokers and the stack's certificates not known: only --stack gives them")
        return None
    try:
        return expected_platform(arguments.stack, stack_output(arguments.stack, EXPIRY_OUTPUT, arguments.pulumi_cwd))
    except CliError as error:
        # An external stack has no nodes of its own to expect.
        notes.append(f"expected brokers not known: {error}")
    except (ValueError, TypeError, AttributeError) as error:
        notes.append(f"stack output {EXPIRY_OUTPUT} not usable: {error}")
    return None
