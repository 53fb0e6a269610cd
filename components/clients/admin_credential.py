"""Writes the admin's SCRAM credential on a running KRaft cluster (AlterUserScramCredentials, KIP-554) as a
broker itself: Kafka's kafka-configs runs in the broker's container, logs in with the broker's certificate (a
super user) over the mutual-TLS INTERNAL listener and reads the credential from the broker's config volume. It
needs no working admin login, so it repairs a lost or changed credential, and it carries a rotated password."""

from __future__ import annotations

from collections.abc import Mapping

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient

from components.clients import kafka_tools
from components.clients.kafka_admin import admin_settings
from components.rules.kafka_tools import CONFIGS
from components.rules.layout import INTERNAL_CLIENT_FILE, INTERNAL_PORT
from components.rules.names import ADMIN_USER


def seed(container: str, host: str, credential_file: str) -> None:
    """Set the admin credential `credential_file` in broker `container` (host name `host`) holds: one mechanism
    per file and request (Kafka refuses a request that alters one user's credentials twice)."""
    broker = kafka_tools.InBroker(container, f"{host}:{INTERNAL_PORT}", INTERNAL_CLIENT_FILE)
    args = ["--alter", "--entity-type", "users", "--entity-name", ADMIN_USER, "--add-config-file", credential_file]
    kafka_tools.run(CONFIGS, args, broker)


def login_refused(connection: Mapping[str, str]) -> bool:
    """The cluster answers and refuses the admin's login (the credential is gone or holds another password): what
    a refresh reports as drift, so that the next `up` writes it again. False when it logs in or does not answer."""
    reported: list[KafkaError] = []
    client = AdminClient({**admin_settings(connection), "error_cb": reported.append})
    try:
        client.list_topics(timeout=15)
    except KafkaException as error:
        reported.append(error.args[0])
    client.poll(1)
    return any(error.code() == KafkaError._AUTHENTICATION for error in reported)
