"""The ZooKeeper ensemble Kafka keeps its metadata (and the SCRAM credentials) in: TLS for clients and peers."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.platform import kafka_config as files
from components.platform.certificate_authority import CertificateAuthority
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import ContainerFile, ServiceSpec, service_container
from components.rules import layout
from components.rules.names import token

# The image has bash; the probe speaks TLS with the node's own certificate, as Kafka does.
HEALTH = (
    "echo srvr | openssl s_client -quiet -connect 127.0.0.1:{port} -CAfile {ca} -cert {key} -key {key}"
    " 2>/dev/null | grep -q Mode"
)


@dataclass(frozen=True)
class ZooKeeperArgs:
    prefix: str
    """Prefix of the Docker objects' names."""
    nodes: int
    """Ensemble size (odd)."""
    image: pulumi.Input[str]
    """Image with Java and Kafka's jars (ZooKeeper ships with them)."""
    memory_mb: int
    """Container memory limit per node."""
    heap_mb: int
    """JVM heap per node."""
    protect_data: bool
    """Protect the data volumes from deletion."""
    certificate_validity_days: int
    """Validity of each node's certificate."""


class ZooKeeper(pulumi.ComponentResource):
    """N ZooKeeper nodes on the platform network, each with a data volume and its own certificate."""

    containers: list[docker.Container]
    certificates: list[ServerCertificate]

    def __init__(
        self,
        name: str,
        args: ZooKeeperArgs,
        network: docker.Network,
        authority: CertificateAuthority,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(token("ZooKeeper"), name, None, opts)
        self.certificates = []
        self.containers = [self._create_node(name, index, args, network, authority) for index in range(args.nodes)]
        self.register_outputs({})

    def _create_node(
        self, name: str, index: int, args: ZooKeeperArgs, network: docker.Network, authority: CertificateAuthority
    ) -> docker.Container:
        host = layout.zookeeper_host(index)
        child = pulumi.ResourceOptions(parent=self)
        certificate = ServerCertificate(
            f"{name}-{index}-tls",
            # Quorum peers verify each other's host name by reverse DNS, which Docker answers with the
            # container's name in the network's domain.
            ServerCertificateArgs(
                host,
                [host, f"{args.prefix}-{host}", f"{args.prefix}-{host}.{args.prefix}"],
                [],
                args.certificate_validity_days,
            ),
            authority,
            opts=child,
        )
        self.certificates.append(certificate)
        volume = docker.Volume(
            f"{name}-{index}-data",
            name=f"{args.prefix}-{host}-data",
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect_data, delete_before_replace=True),
        )
        spec = ServiceSpec(
            container_name=f"{args.prefix}-{host}",
            hostname=host,
            image=args.image,
            command=["/bin/sh", layout.START_SCRIPT],
            files=[
                ContainerFile(layout.START_SCRIPT, files.zookeeper_start_script(index, args.heap_mb), executable=True),
                ContainerFile(layout.ZOO_CFG, files.zookeeper_config(args.nodes)),
                ContainerFile(layout.KEYSTORE, certificate.keystore_pem),
                ContainerFile(layout.TRUSTSTORE, authority.certificate_pem),
            ],
            health_command=HEALTH.format(port=layout.ZK_SECURE_PORT, ca=layout.TRUSTSTORE, key=layout.KEYSTORE),
            memory_mb=args.memory_mb,
            data_volume=volume.name,
            data_path="/var/lib/zookeeper",
        )
        return service_container(f"{name}-{index}", spec, network, child)
