"""The schema registry: Apicurio Registry serving the Confluent REST API over HTTPS on 127.0.0.1, storing every
schema in a Kafka topic (so schemas survive restarts) that it reaches over SASL_SSL as its own user."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.platform import registry_config as files
from components.platform.certificate_authority import CertificateAuthority
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import LOOPBACK, ContainerFile, ServiceSpec, service_container
from components.rules.catalog import AclSpec
from components.rules.names import REGISTRY_USER, token

HOST = "schema-registry"


@dataclass(frozen=True)
class SchemaRegistryArgs:
    prefix: str
    """Prefix of the Docker objects' names."""
    image: pulumi.Input[str]
    """Image with the registry."""
    port: int
    """Port on 127.0.0.1 of the HTTPS endpoint."""
    bootstrap_servers: str
    """The brokers' in-network SASL_SSL listeners."""
    memory_mb: int
    """Container memory limit."""
    heap_mb: int
    """JVM heap."""
    certificate_validity_days: int
    """Validity of the HTTPS certificate."""


def registry_acls() -> list[AclSpec]:
    """Exactly what the registry needs: its storage topics and its own consumer groups, nothing else."""
    principal = f"User:{REGISTRY_USER}"
    topics = [
        AclSpec(principal, "TOPIC", topic, "LITERAL", operation)
        for topic in files.STORAGE_TOPICS
        for operation in ("READ", "WRITE", "DESCRIBE")
    ]
    return [*topics, AclSpec(principal, "GROUP", files.GROUP_PREFIX, "PREFIXED", "READ")]


class SchemaRegistry(pulumi.ComponentResource):
    container: docker.Container
    certificate: ServerCertificate

    def __init__(
        self,
        name: str,
        args: SchemaRegistryArgs,
        network: docker.Network,
        authority: CertificateAuthority,
        password: pulumi.Output[str],
        prerequisites: list[pulumi.Resource],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(token("SchemaRegistry"), name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.certificate = ServerCertificate(
            f"{name}-tls",
            ServerCertificateArgs(HOST, [HOST, "localhost"], [LOOPBACK], args.certificate_validity_days),
            authority,
            opts=child,
        )
        properties = pulumi.Output.secret(
            password.apply(lambda secret: files.application_properties(args.bootstrap_servers, REGISTRY_USER, secret))
        )
        spec = ServiceSpec(
            container_name=f"{args.prefix}-{HOST}",
            hostname=HOST,
            image=args.image,
            command=["/bin/sh", "-c", files.command(args.heap_mb)],
            files=[
                ContainerFile(files.APPLICATION_PROPERTIES, properties),
                ContainerFile(files.KEY_FILE, self.certificate.private_key_pem),
                ContainerFile(files.CERT_FILE, self.certificate.certificate_pem),
                ContainerFile(files.CA_FILE, authority.certificate_pem),
            ],
            health_command=files.HEALTH,
            memory_mb=args.memory_mb,
            ports={files.HTTPS_PORT: args.port},
            user="apicurio",
            start_period_s=120,
        )
        # The registry's user and ACLs must exist before it first connects to Kafka.
        self.container = service_container(
            name, spec, network, pulumi.ResourceOptions(parent=self, depends_on=prerequisites)
        )
        self.register_outputs({})
