"""What a client needs to connect as one user: librdkafka/confluent-kafka settings, registry settings and a
Java client.properties text. Pure functions; the platform wraps their results as secrets."""

from __future__ import annotations

from typing import Any


def kafka_settings(bootstrap_servers: str, username: str, password: str, ca_pem: str) -> dict[str, str]:
    """confluent-kafka (librdkafka) settings; the CA is inline, so no file has to be written first."""
    return {
        "bootstrap.servers": bootstrap_servers,
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms": "SCRAM-SHA-512",
        "sasl.username": username,
        "sasl.password": password,
        "ssl.ca.pem": ca_pem,
    }


def registry_settings(url: str, ca_pem: str) -> dict[str, str]:
    """Where the registry is and the CA its HTTPS certificate is signed by."""
    return {"url": url, "ssl.ca.pem": ca_pem}


def client_properties(bootstrap_servers: str, username: str, password: str, ca_pem: str) -> str:
    """client.properties for Java clients and Kafka's CLI tools: SASL_SSL, SCRAM-SHA-512, inline PEM trust."""
    body = "".join(line.strip() for line in ca_pem.strip().splitlines()[1:-1])
    wrapped = [body[start : start + 64] for start in range(0, len(body), 64)]
    certificate = " \\\n  ".join(["-----BEGIN CERTIFICATE-----", *wrapped, "-----END CERTIFICATE-----"])
    return (
        f"bootstrap.servers={bootstrap_servers}\n"
        "security.protocol=SASL_SSL\n"
        "sasl.mechanism=SCRAM-SHA-512\n"
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
        f'username="{username}" password="{password}";\n'
        "ssl.truststore.type=PEM\n"
        f"ssl.truststore.certificates={certificate}\n"
    )


def client_config(
    bootstrap_servers: str, registry_url: str, username: str, password: str, ca_pem: str
) -> dict[str, Any]:
    """Everything one user needs, in the shape of the `clientConfigs` stack output."""
    return {
        "kafka": kafka_settings(bootstrap_servers, username, password, ca_pem),
        "registry": registry_settings(registry_url, ca_pem),
        "properties": client_properties(bootstrap_servers, username, password, ca_pem),
    }
