"""Client settings: read from a client.properties file or the clientConfigs stack output, overridden by hand, and
written by the program in a shape the readers take back unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from components.clients.client_settings import (
    Connection,
    client_config,
    connection_from_client_configs,
    connection_from_properties,
    with_overrides,
)

PEM = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"
SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule"
PROPERTIES = f"""\
bootstrap.servers=localhost:19093
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config={SCRAM} required username="admin" password="pw";
ssl.truststore.type=PEM
ssl.truststore.certificates=-----BEGIN CERTIFICATE----- QUJD -----END CERTIFICATE-----
"""
KAFKA = {
    "bootstrap.servers": "localhost:19093",
    "security.protocol": "SASL_SSL",
    "sasl.mechanisms": "SCRAM-SHA-512",
    "sasl.username": "admin",
    "sasl.password": "pw",
    "ssl.ca.pem": PEM,
}
STACK_OUTPUT = {
    "admin": {
        "kafka": KAFKA,
        "registry": {"url": "https://localhost:18081/apis/ccompat/v7", "ssl.ca.pem": PEM},
        "properties": PROPERTIES,
    },
    "producer": {"kafka": {**KAFKA, "sasl.username": "producer"}, "registry": {}, "properties": ""},
}


@pytest.mark.parametrize(
    ("extra", "registry"),
    [
        pytest.param("", {}, id="no registry"),
        pytest.param(
            "schema.registry.url=https://reg:8081\nbasic.auth.user.info=admin:pw\n",
            {"url": "https://reg:8081", "basic.auth.user.info": "admin:pw", "ssl.ca.pem": PEM},
            id="registry trusts the Kafka CA",
        ),
        pytest.param(
            "schema.registry.url=https://reg:8081\nschema.registry.ssl.truststore.location=/etc/reg-ca.pem\n",
            {"url": "https://reg:8081", "ssl.ca.location": "/etc/reg-ca.pem"},
            id="registry with its own CA file",
        ),
        pytest.param(
            "schema.registry.url=https://reg:8081\n"
            "schema.registry.ssl.truststore.certificates=-----BEGIN CERTIFICATE----- REVG -----END CERTIFICATE-----\n",
            {"url": "https://reg:8081", "ssl.ca.pem": "-----BEGIN CERTIFICATE-----\nREVG\n-----END CERTIFICATE-----\n"},
            id="registry with its own inline CA",
        ),
    ],
)
def test_properties_file_gives_kafka_and_registry_settings(extra: str, registry: dict[str, str]) -> None:
    assert connection_from_properties(PROPERTIES + extra) == Connection(kafka=KAFKA, registry=registry)


def test_stack_output_gives_the_chosen_users_settings() -> None:
    assert connection_from_client_configs(STACK_OUTPUT, "admin") == Connection(
        kafka=KAFKA, registry=STACK_OUTPUT["admin"]["registry"]
    )
    assert connection_from_client_configs(STACK_OUTPUT, "producer").kafka["sasl.username"] == "producer"


@pytest.mark.parametrize(
    ("document", "user", "message"),
    [
        pytest.param(STACK_OUTPUT, "root", "has no user 'root'; it has: admin, producer", id="unknown user"),
        pytest.param(["admin"], "admin", "is not an object of users", id="not an object"),
        pytest.param({"admin": {"registry": {}}}, "admin", "clientConfigs.admin has no 'kafka' object", id="no kafka"),
        pytest.param(
            {"admin": {"kafka": {}, "registry": "x"}}, "admin", "registry is not an object", id="bad registry"
        ),
    ],
)
def test_unusable_stack_output_says_what_is_missing(document: Any, user: str, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        connection_from_client_configs(document, user)


@pytest.mark.parametrize(
    ("servers", "url", "expected_servers", "expected_url"),
    [
        pytest.param(None, None, "localhost:19093", "https://reg", id="nothing overridden"),
        pytest.param("127.0.0.1:9093", None, "127.0.0.1:9093", "https://reg", id="servers"),
        pytest.param(None, "http://other", "localhost:19093", "http://other", id="registry"),
    ],
)
def test_command_line_servers_override_the_settings(
    servers: str | None, url: str | None, expected_servers: str, expected_url: str
) -> None:
    connection = Connection(kafka={"bootstrap.servers": "localhost:19093"}, registry={"url": "https://reg"})

    overridden = with_overrides(connection, servers, url)

    assert overridden.kafka["bootstrap.servers"] == expected_servers
    assert overridden.registry["url"] == expected_url


def test_what_the_program_writes_for_a_user_reads_back_as_the_same_connection() -> None:
    entry = client_config("localhost:19093", "https://reg:8081", "admin", "pw", PEM)

    registry = {"url": "https://reg:8081", "ssl.ca.pem": PEM, "basic.auth.user.info": "admin:pw"}
    assert connection_from_client_configs({"admin": entry}, "admin") == Connection(kafka=KAFKA, registry=registry)
    # The Java properties carry the same Kafka and registry settings as the confluent-kafka ones.
    assert connection_from_properties(entry["properties"]) == Connection(kafka=KAFKA, registry=registry)
