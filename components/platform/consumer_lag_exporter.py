"""The consumer-lag exporter of a stack with metrics: images/monitoring/consumer_lag_exporter.py run by Debian's
python3 in the monitoring image, as its own SCRAM user with DESCRIBE on the catalog's topics and groups only
(components/rules/consumer_lag_access.py), serving `kafka_consumergroup_lag` over HTTPS with the scrape credential
on the stack's network (never published)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_docker as docker

from components.platform.certificate_authority import Authorities
from components.platform.connections import Connections, user_resource
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import ContainerFile, ServiceSpec, service_container, tls_health
from components.providers.acl_set import AclSet, AclSetArgs
from components.providers.docker_network import DockerNetwork
from components.rules import metrics_agent
from components.rules.catalog import Catalog
from components.rules.consumer_lag_access import lag_acls
from components.rules.names import CONSUMER_LAG_ACL_SET_ID, CONSUMER_LAG_USER
from components.rules.process_limits import go_service_pids_limit
from components.rules.scrape_targets import LAG_EXPORTER_HOST, LAG_EXPORTER_PORT

SCRIPT = Path(__file__).resolve().parents[2] / "images" / "monitoring" / "consumer_lag_exporter.py"
CONFIG_DIR = "/etc/consumer-lag"
SCRIPT_FILE = f"{CONFIG_DIR}/consumer_lag_exporter.py"
CONFIG_FILE = f"{CONFIG_DIR}/config.json"
CA_FILE = f"{CONFIG_DIR}/ca.pem"
SERVER_PEM = f"{CONFIG_DIR}/server.pem"
MEMORY_MB = 128
CPU_MILLICORES = 200


@dataclass(frozen=True)
class ConsumerLagExporterArgs:
    prefix: str
    image: pulumi.Input[str]
    bootstrap_servers: str
    """The brokers' SASL_SSL listener on the stack's network."""
    catalog: Catalog
    scram_iterations: int
    certificate_validity_days: int
    certificate_rotation: int


def exporter_config(bootstrap_servers: str, kafka_password: str, scrape_password: str) -> str:
    salt = metrics_agent.salt_of(scrape_password)
    kafka = {
        "bootstrap.servers": bootstrap_servers,
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms": "SCRAM-SHA-512",
        "sasl.username": CONSUMER_LAG_USER,
        "sasl.password": kafka_password,
        "ssl.ca.location": CA_FILE,
    }
    return json.dumps(
        {
            "kafka": kafka,
            "port": LAG_EXPORTER_PORT,
            "certificate": SERVER_PEM,
            "username": metrics_agent.SCRAPE_USER,
            "salt": salt,
            "password_hash": metrics_agent.password_hash(scrape_password, salt),
        },
        indent=2,
    )


def consumer_lag_exporter(
    name: str,
    args: ConsumerLagExporterArgs,
    network: DockerNetwork,
    authorities: Authorities,
    connections: Connections,
    kafka_password: pulumi.Output[str],
    scrape_password: pulumi.Output[str],
    opts: pulumi.ResourceOptions,
) -> tuple[docker.Container, ServerCertificate]:
    """The exporter's user and bindings (before it starts), its certificate and its container."""
    user = user_resource(name, CONSUMER_LAG_USER, kafka_password, args.scram_iterations, connections, opts)
    acls = AclSet(
        f"{name}-acls",
        AclSetArgs.of(
            lag_acls(args.catalog.acls, [topic.name for topic in args.catalog.topics]),
            connections.kafka,
            set_id=CONSUMER_LAG_ACL_SET_ID,
        ),
        opts=opts,
    )
    certificate = ServerCertificate(
        f"{name}-tls",
        ServerCertificateArgs(
            LAG_EXPORTER_HOST, [LAG_EXPORTER_HOST], [], args.certificate_validity_days, args.certificate_rotation
        ),
        authorities.signing,
        opts=opts,
    )
    config = pulumi.Output.all(kafka_password, scrape_password).apply(
        lambda secrets: exporter_config(args.bootstrap_servers, secrets[0], secrets[1])
    )
    spec = ServiceSpec(
        container_name=f"{args.prefix}-{LAG_EXPORTER_HOST}",
        hostname=LAG_EXPORTER_HOST,
        image=args.image,
        command=["/usr/bin/python3", "-u", SCRIPT_FILE, CONFIG_FILE],
        files=[
            ContainerFile(SCRIPT_FILE, SCRIPT.read_text()),
            ContainerFile(CONFIG_FILE, pulumi.Output.secret(config)),
            ContainerFile(CA_FILE, authorities.bundle_pem),
            ContainerFile(SERVER_PEM, certificate.keystore_pem),
        ],
        health_command=tls_health(LAG_EXPORTER_PORT, CA_FILE),
        memory_mb=MEMORY_MB,
        cpu_millicores=CPU_MILLICORES,
        # librdkafka runs a few threads per broker and client, and the exporter keeps two clients at a time.
        pids_limit=go_service_pids_limit(),
        config_dir=CONFIG_DIR,
        user="prometheus",
        start_period_s=30,
        tmp_exec=False,
    )
    container = service_container(
        name, spec, network, pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[user, acls]))
    )
    return container, certificate
