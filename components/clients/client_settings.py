"""What a client needs to connect as one user, in the one shape the `clientConfigs` stack output has per user:
`kafka` (confluent-kafka settings), `registry` (registry client settings) and `properties` (Java
client.properties). Written by the program, read back by the operator CLI: both through this module."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from components.clients.client_properties import client_properties, parse_properties, to_librdkafka
from components.clients.pem import normalise_pem

STACK_OUTPUT = "clientConfigs"


DEFAULT_MECHANISM = "SCRAM-SHA-512"
# librdkafka's word for "look for the system's CA bundle in the usual places": a wheel's bundled OpenSSL knows no
# default path of its own.
SYSTEM_TRUST = "probe"


def kafka_settings(
    bootstrap_servers: str,
    username: str,
    password: str,
    ca_pem: str,
    *,
    mechanism: str = DEFAULT_MECHANISM,
    certificate_pem: str = "",
    key_pem: str = "",
) -> dict[str, str]:
    """confluent-kafka (librdkafka) settings; the CA is inline, so no file has to be written first (an empty
    `ca_pem` trusts the system's CAs); a client certificate and key when the brokers ask for one."""
    settings = {
        "bootstrap.servers": bootstrap_servers,
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms": mechanism,
        "sasl.username": username,
        "sasl.password": password,
    }
    settings.update({"ssl.ca.pem": ca_pem} if ca_pem else {"ssl.ca.location": SYSTEM_TRUST})
    if certificate_pem and key_pem:
        settings.update({"ssl.certificate.pem": certificate_pem, "ssl.key.pem": key_pem})
    return settings


def registry_settings(url: str, ca_pem: str, username: str, password: str) -> dict[str, str]:
    """Where the registry is, the CA its HTTPS certificate is signed by (none: the system's CAs), and the user's
    login there (none when `username` is empty), as confluent-kafka's SchemaRegistryClient takes them."""
    settings = {"url": url}
    if ca_pem:
        settings["ssl.ca.pem"] = ca_pem
    if username:
        settings["basic.auth.user.info"] = f"{username}:{password}"
    return settings


def client_config(
    bootstrap_servers: str,
    registry_url: str,
    username: str,
    password: str,
    ca_pem: str,
    *,
    mechanism: str = DEFAULT_MECHANISM,
    registry_ca_pem: str | None = None,
    registry_login: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Everything one user needs: one entry of the `clientConfigs` stack output. The registry trusts `ca_pem` and
    takes the user's Kafka login unless told otherwise (an external registry has CAs and logins of its own;
    `registry_login=("", "")` means none)."""
    registry_ca = ca_pem if registry_ca_pem is None else registry_ca_pem
    registry_user, registry_password = registry_login or (username, password)
    settings: dict[str, Any] = {
        "kafka": kafka_settings(bootstrap_servers, username, password, ca_pem, mechanism=mechanism),
        "registry": registry_settings(registry_url, registry_ca, registry_user, registry_password),
        "properties": client_properties(
            username,
            password,
            bootstrap_servers=bootstrap_servers,
            ca_pem=ca_pem,
            registry_url=registry_url,
            mechanism=mechanism,
            registry_ca_pem=registry_ca,
            registry_login=(registry_user, registry_password),
        ),
    }
    if not registry_url:
        del settings["registry"]
    return settings


@dataclass(frozen=True)
class Connection:
    """Client settings for Kafka and the schema registry."""

    kafka: dict[str, str]
    """confluent-kafka configuration: bootstrap.servers, security.protocol, sasl.*, ssl.*."""
    registry: dict[str, str] = field(default_factory=dict)
    """Schema registry settings: url, and ssl.ca.pem or ssl.ca.location, basic.auth.user.info when needed."""


def connection_from_client_configs(document: Any, user: str) -> Connection:
    """A Connection from the `clientConfigs` stack output (already decoded from JSON) for `user`.

    Raises ValueError for a missing user, TypeError for a document of the wrong shape.
    """
    if not isinstance(document, dict):
        raise TypeError(f"stack output {STACK_OUTPUT} is not an object of users")
    if user not in document:
        raise ValueError(f"stack output {STACK_OUTPUT} has no user {user!r}; it has: {', '.join(sorted(document))}")
    entry = document[user]
    if not isinstance(entry, dict) or not isinstance(entry.get("kafka"), dict):
        raise TypeError(f"stack output {STACK_OUTPUT}.{user} has no 'kafka' object")
    registry = entry.get("registry") or {}
    if not isinstance(registry, dict):
        raise TypeError(f"stack output {STACK_OUTPUT}.{user}.registry is not an object")
    return Connection(
        kafka={key: str(value) for key, value in entry["kafka"].items()},
        registry={key: str(value) for key, value in registry.items()},
    )


def connection_from_properties(text: str) -> Connection:
    """A Connection from client.properties text; ValueError naming the key for a value that makes no sense.

    The registry is read from the keys Confluent's Java serializers use (schema.registry.url,
    basic.auth.user.info); it trusts the Kafka truststore unless schema.registry.ssl.truststore.* says otherwise.
    """
    props = parse_properties(text)
    kafka = to_librdkafka(props)
    registry: dict[str, str] = {}
    if "schema.registry.url" in props:
        registry["url"] = props["schema.registry.url"].strip()
        if "basic.auth.user.info" in props:
            registry["basic.auth.user.info"] = props["basic.auth.user.info"]
        registry.update(_registry_trust(props, kafka))
    return Connection(kafka=kafka, registry=registry)


def _registry_trust(props: dict[str, str], kafka: dict[str, str]) -> dict[str, str]:
    prefix = "schema.registry."
    own = {key.removeprefix(prefix): value for key, value in props.items() if key.startswith(prefix + "ssl.")}
    if not own:
        return {key: kafka[key] for key in ("ssl.ca.pem", "ssl.ca.location") if key in kafka}
    if "ssl.truststore.certificates" in own:
        try:
            return {"ssl.ca.pem": normalise_pem(own["ssl.truststore.certificates"])}
        except ValueError as error:
            raise ValueError(f"{prefix}ssl.truststore.certificates: {error}") from None
    if "ssl.truststore.location" in own:
        return {"ssl.ca.location": own["ssl.truststore.location"].strip()}
    return {}


def with_overrides(
    connection: Connection,
    bootstrap_servers: str | None = None,
    registry_url: str | None = None,
) -> Connection:
    """The connection with the servers named on the command line in place of those configured."""
    if bootstrap_servers:
        connection = replace(connection, kafka={**connection.kafka, "bootstrap.servers": bootstrap_servers})
    if registry_url:
        connection = replace(connection, registry={**connection.registry, "url": registry_url})
    return connection
