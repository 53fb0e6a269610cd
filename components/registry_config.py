"""The files the registry runs with. Apicurio (Quarkus) reads config/application.properties from its working
directory, so every setting, the Kafka password included, comes from an uploaded file: nothing secret is in the
container's environment or command line."""

from __future__ import annotations

APP_DIR = "/opt/apicurio"
APPLICATION_PROPERTIES = f"{APP_DIR}/config/application.properties"
TLS_DIR = "/etc/schema-registry"
KEY_FILE = f"{TLS_DIR}/key.pem"
CERT_FILE = f"{TLS_DIR}/cert.pem"
CA_FILE = f"{TLS_DIR}/ca.pem"
HTTPS_PORT = 8443
STORAGE_TOPIC = "kafkasql-journal"
GROUP_PREFIX = "apicurio-registry-"
HEALTH = f"curl -fsS --cacert {CA_FILE} https://localhost:{HTTPS_PORT}/health/ready >/dev/null"


def command(heap_mb: int) -> str:
    return f"cd {APP_DIR} && exec java -Xms{heap_mb}m -Xmx{heap_mb}m -jar quarkus-run.jar"


def application_properties(bootstrap_servers: str, username: str, password: str, replication_factor: int) -> str:
    jaas = (
        f'org.apache.kafka.common.security.scram.ScramLoginModule required username="{username}" password="{password}";'
    )
    values = {
        "apicurio.storage.kind": "kafkasql",
        "apicurio.kafkasql.bootstrap.servers": bootstrap_servers,
        "apicurio.kafkasql.topic": STORAGE_TOPIC,
        "quarkus.http.ssl-port": HTTPS_PORT,
        "quarkus.http.insecure-requests": "disabled",
        "quarkus.http.ssl.certificate.files": CERT_FILE,
        "quarkus.http.ssl.certificate.key-files": KEY_FILE,
        "kafka.security.protocol": "SASL_SSL",
        "kafka.sasl.mechanism": "SCRAM-SHA-512",
        "kafka.sasl.jaas.config": jaas,
        "kafka.ssl.truststore.type": "PEM",
        "kafka.ssl.truststore.location": CA_FILE,
        "kafka.replication.factor": replication_factor,
    }
    return "".join(f"{key}={value}\n" for key, value in values.items())
