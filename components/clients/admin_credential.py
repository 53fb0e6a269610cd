"""Writes the admin's SCRAM credential on a running KRaft cluster (AlterUserScramCredentials, KIP-554) as a
broker itself: Kafka's kafka-configs runs in the broker's container, logs in with the broker's certificate (a
super user) over the mutual-TLS INTERNAL listener and reads the credential from the broker's config volume. It
needs no working admin login, so it repairs a lost or changed credential, and it carries a rotated password."""

from __future__ import annotations

from components.clients import kafka_tools
from components.rules.kafka_tools import CONFIGS
from components.rules.layout import ADMIN_SCRAM_FILE, INTERNAL_CLIENT_FILE, INTERNAL_PORT
from components.rules.names import ADMIN_USER


def seed(container: str, host: str) -> None:
    """Set the admin credential the file in broker `container` (host name `host`) holds."""
    broker = kafka_tools.InBroker(container, f"{host}:{INTERNAL_PORT}", INTERNAL_CLIENT_FILE)
    args = ["--alter", "--entity-type", "users", "--entity-name", ADMIN_USER, "--add-config-file", ADMIN_SCRAM_FILE]
    kafka_tools.run(CONFIGS, args, broker)
