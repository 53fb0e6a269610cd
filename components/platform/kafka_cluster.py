"""The Kafka brokers: SASL_SSL (SCRAM-SHA-512) for every client, mutual TLS between brokers and to ZooKeeper,
ACLs enforced with deny by default, published on 127.0.0.1 only."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.platform import kafka_config as files
from components.platform.certificate_authority import CertificateAuthority
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import LOOPBACK, ContainerFile, ServiceSpec, service_container
from components.rules import layout
from components.rules.names import ADMIN_USER, token

# Ready means: the TLS listener answers with a certificate the CA vouches for.
HEALTH = (
    "echo | openssl s_client -connect 127.0.0.1:{port} -CAfile {ca} -verify_return_error 2>/dev/null"
    " | grep -q 'Verify return code: 0'"
)


@dataclass(frozen=True)
class KafkaClusterArgs:
    prefix: str
    """Prefix of the Docker objects' names."""
    brokers: int
    """Broker count."""
    zookeeper_nodes: int
    """ZooKeeper ensemble size."""
    image: pulumi.Input[str]
    """Image with Java and Kafka's jars."""
    bootstrap_port: int
    """127.0.0.1 port of broker 0; broker i gets bootstrap_port + i."""
    replication_factor: int
    """Default replication factor."""
    min_insync_replicas: int
    """Default min.insync.replicas."""
    retention_ms: str
    """Default retention."""
    memory_mb: int
    """Container memory limit per broker."""
    heap_mb: int
    """JVM heap per broker."""
    scram_iterations: int
    """SCRAM iterations of the admin credential."""
    protect_data: bool
    """Protect the data volumes from deletion."""
    certificate_validity_days: int
    """Validity of each broker's certificate."""
    sasl_mechanisms: tuple[str, ...] = ("SCRAM-SHA-512",)
    """SASL mechanisms the brokers offer; the admin gets a credential for each."""


class KafkaCluster(pulumi.ComponentResource):
    """N brokers; starts after ZooKeeper is healthy and seeds the admin credential itself."""

    containers: list[docker.Container]
    certificates: list[ServerCertificate]
    zookeeper_client: ServerCertificate
    bootstrap_servers: str
    internal_bootstrap_servers: str

    def __init__(
        self,
        name: str,
        args: KafkaClusterArgs,
        network: docker.Network,
        authority: CertificateAuthority,
        admin_password: pulumi.Output[str],
        zookeeper: list[docker.Container],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(token("KafkaCluster"), name, None, opts)
        self.bootstrap_servers = ",".join(f"localhost:{args.bootstrap_port + i}" for i in range(args.brokers))
        self.internal_bootstrap_servers = ",".join(
            f"{layout.broker_host(i)}:{layout.CLIENT_PORT}" for i in range(args.brokers)
        )
        self.zookeeper_client = ServerCertificate(
            f"{name}-zookeeper-client",
            ServerCertificateArgs(
                layout.ZOOKEEPER_CLIENT_NAME, [layout.ZOOKEEPER_CLIENT_NAME], [], args.certificate_validity_days
            ),
            authority,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.certificates = []
        self.containers = []
        for index in range(args.brokers):
            certificate = self._create_certificate(name, index, args, authority)
            self.certificates.append(certificate)
            self.containers.append(
                self._create_broker(name, index, args, network, authority, certificate, admin_password, zookeeper)
            )
        self.register_outputs({"bootstrap_servers": self.bootstrap_servers})

    def _create_certificate(
        self, name: str, index: int, args: KafkaClusterArgs, authority: CertificateAuthority
    ) -> ServerCertificate:
        host = layout.broker_host(index)
        return ServerCertificate(
            f"{name}-{index}-tls",
            ServerCertificateArgs(host, [host, "localhost"], [LOOPBACK], args.certificate_validity_days),
            authority,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_broker(
        self,
        name: str,
        index: int,
        args: KafkaClusterArgs,
        network: docker.Network,
        authority: CertificateAuthority,
        certificate: ServerCertificate,
        admin_password: pulumi.Output[str],
        zookeeper: list[docker.Container],
    ) -> docker.Container:
        host = layout.broker_host(index)
        settings = files.BrokerSettings(
            index=index,
            brokers=args.brokers,
            zookeeper_nodes=args.zookeeper_nodes,
            external_port=args.bootstrap_port + index,
            replication_factor=args.replication_factor,
            min_insync_replicas=args.min_insync_replicas,
            retention_ms=args.retention_ms,
            sasl_mechanisms=args.sasl_mechanisms,
        )
        volume = docker.Volume(
            f"{name}-{index}-data",
            name=f"{args.prefix}-{host}-data",
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect_data, delete_before_replace=True),
        )
        scram_file = pulumi.Output.secret(
            admin_password.apply(
                lambda password: files.admin_scram_file(password, args.scram_iterations, args.sasl_mechanisms)
            )
        )
        spec = ServiceSpec(
            container_name=f"{args.prefix}-{host}",
            hostname=host,
            image=args.image,
            command=["/bin/sh", layout.START_SCRIPT],
            files=[
                ContainerFile(
                    layout.START_SCRIPT, files.broker_start_script(args.zookeeper_nodes, args.heap_mb), executable=True
                ),
                ContainerFile(layout.SERVER_PROPERTIES, files.server_properties(settings, [ADMIN_USER])),
                ContainerFile(layout.ZK_TLS_FILE, files.zookeeper_client_tls()),
                ContainerFile(layout.KEYSTORE, certificate.keystore_pem),
                ContainerFile(layout.ZOOKEEPER_CLIENT_KEYSTORE, self.zookeeper_client.keystore_pem),
                ContainerFile(layout.TRUSTSTORE, authority.certificate_pem),
                ContainerFile(layout.ADMIN_SCRAM_FILE, scram_file),
                ContainerFile(
                    layout.ADMIN_CLIENT_FILE, pulumi.Output.secret(admin_password.apply(files.admin_client_properties))
                ),
            ],
            health_command=HEALTH.format(port=layout.EXTERNAL_PORT, ca=layout.TRUSTSTORE),
            memory_mb=args.memory_mb,
            data_volume=volume.name,
            data_path="/var/lib/kafka",
            ports={layout.EXTERNAL_PORT: args.bootstrap_port + index},
            start_period_s=90,
        )
        return service_container(
            f"{name}-{index}", spec, network, pulumi.ResourceOptions(parent=self, depends_on=list(zookeeper))
        )
