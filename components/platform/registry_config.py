"""The files the registry runs with. Apicurio (Quarkus) reads config/application.properties from its working
directory, so every setting, the Kafka password included, comes from an uploaded file: nothing secret is in the
container's environment or command line."""

from __future__ import annotations

from components.clients.client_properties import format_properties
from components.clients.jaas_config import jaas_config
from components.rules import tls_policy

APP_DIR = "/opt/apicurio"
# Every file of the registry lies here: its config volume, mounted read-only.
CONFIG_DIR = f"{APP_DIR}/config"
APPLICATION_PROPERTIES = f"{CONFIG_DIR}/application.properties"
TLS_DIR = f"{CONFIG_DIR}/tls"
KEY_FILE = f"{TLS_DIR}/key.pem"
CERT_FILE = f"{TLS_DIR}/cert.pem"
CA_FILE = f"{TLS_DIR}/ca.pem"
HTTPS_PORT = 8443
# The registry keeps every schema in these topics; the platform creates them (never deleted by retention) and
# grants the registry's user exactly these and its own consumer groups.
STORAGE_TOPIC = "kafkasql-journal"
SNAPSHOTS_TOPIC = "kafkasql-snapshots"
EVENTS_TOPIC = "registry-events"
STORAGE_TOPICS = (STORAGE_TOPIC, SNAPSHOTS_TOPIC, EVENTS_TOPIC)
GROUP_PREFIX = "schema-registry-"
HEALTH = (
    'printf "GET /health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n"'
    f" | openssl s_client -quiet -connect 127.0.0.1:{HTTPS_PORT} -CAfile {CA_FILE} -verify_return_error 2>/dev/null"
    ' | head -1 | grep -q " 200 "'
)


def command(heap_mb: int) -> str:
    return f"cd {APP_DIR} && exec java -Xms{heap_mb}m -Xmx{heap_mb}m -jar quarkus-run.jar"


def application_properties(bootstrap_servers: str, username: str, password: str) -> str:
    """Kafka-backed storage over SASL_SSL as the registry's own user; HTTPS only towards clients, with the
    platform's TLS policy (components/rules/tls_policy.py).

    `apicurio.kafka.common.*` reaches the registry's producer, consumer and admin clients alike.
    """
    values = {
        "apicurio.storage.kind": "kafkasql",
        "apicurio.kafkasql.bootstrap.servers": bootstrap_servers,
        "apicurio.kafkasql.topic": STORAGE_TOPIC,
        "apicurio.kafkasql.snapshots.topic": SNAPSHOTS_TOPIC,
        "apicurio.events.kafka.topic": EVENTS_TOPIC,
        "apicurio.kafkasql.topic.auto-create": "false",
        "apicurio.kafkasql.consumer.group-prefix": GROUP_PREFIX,
        "apicurio.kafka.common.security.protocol": "SASL_SSL",
        "apicurio.kafka.common.sasl.mechanism": "SCRAM-SHA-512",
        "apicurio.kafka.common.sasl.jaas.config": jaas_config(username, password),
        "apicurio.kafka.common.ssl.truststore.type": "PEM",
        "apicurio.kafka.common.ssl.truststore.location": CA_FILE,
        "quarkus.http.insecure-requests": "disabled",
        "quarkus.http.ssl-port": HTTPS_PORT,
        "quarkus.http.ssl.certificate.files": CERT_FILE,
        "quarkus.http.ssl.certificate.key-files": KEY_FILE,
        "quarkus.http.ssl.protocols": tls_policy.java_protocols(),
        "quarkus.http.ssl.cipher-suites": tls_policy.java_cipher_suites(),
    }
    return format_properties(values)
