"""The ZooKeeper ensemble Kafka keeps its metadata (and the SCRAM credentials) in: TLS for clients and peers.

On a running ensemble a change that replaces nodes rolls: nodes not serving first, then followers, the leader last;
each node only while a quorum serves without it, the next only once it serves again (its health check is "serving
in the quorum")."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.platform import kafka_config as files
from components.platform.certificate_authority import Authorities
from components.platform.metrics_agent_files import agent_files
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import ContainerFile, ServiceSpec, service_container, spec_revision
from components.providers.docker_network import DockerNetwork
from components.providers.roll import ZooKeeperGate, ZooKeeperGateArgs
from components.rules import layout
from components.rules.names import token
from components.rules.process_limits import zookeeper_pids_limit
from components.rules.roll import RollPlan

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
    cpu_millicores: int
    """Container CPU limit per node, in thousandths of a CPU."""
    protect_data: bool
    """Protect the data volumes from deletion."""
    certificate_validity_days: int
    """Validity of each node's certificate."""
    certificate_rotation: int
    """Raising it re-issues the nodes' keys and certificates (a roll)."""
    roll: RollPlan
    """Whether the ensemble runs, and the order its nodes restart in."""
    metrics_password: pulumi.Output[str] | None = None
    """The scrape credential's password: each node runs the JMX exporter agent; None: no agent."""


class ZooKeeper(pulumi.ComponentResource):
    """N ZooKeeper nodes on the platform network, each with a data volume and its own certificate."""

    containers: list[docker.Container]
    certificates: list[ServerCertificate]

    def __init__(
        self,
        name: str,
        args: ZooKeeperArgs,
        network: DockerNetwork,
        authorities: Authorities,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(token("ZooKeeper"), name, None, opts)
        certificates: dict[int, ServerCertificate] = {}
        containers: dict[int, docker.Container] = {}
        names = [f"{args.prefix}-{layout.zookeeper_host(index)}" for index in range(args.nodes)]
        previous: docker.Container | None = None
        for index in args.roll.zookeeper:
            certificates[index], spec = self._node_spec(name, index, args, authorities)
            after = [previous] if args.roll.running and previous else []
            gate = ZooKeeperGate(
                f"{name}-{index}-restart",
                ZooKeeperGateArgs(
                    node=layout.zookeeper_host(index), index=index, revision=spec_revision(spec), containers=names
                ),
                opts=pulumi.ResourceOptions(parent=self, depends_on=after),
            )
            containers[index] = previous = service_container(
                f"{name}-{index}", spec, network, pulumi.ResourceOptions(parent=self, depends_on=[gate])
            )
        self.certificates = [certificates[index] for index in sorted(certificates)]
        self.containers = [containers[index] for index in sorted(containers)]
        self.register_outputs({})

    def _node_spec(
        self, name: str, index: int, args: ZooKeeperArgs, authorities: Authorities
    ) -> tuple[ServerCertificate, ServiceSpec]:
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
                args.certificate_rotation,
            ),
            authorities.signing,
            opts=child,
        )
        volume = docker.Volume(
            f"{name}-{index}-data",
            name=f"{args.prefix}-{host}-data",
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect_data, delete_before_replace=True),
        )
        return certificate, ServiceSpec(
            container_name=f"{args.prefix}-{host}",
            hostname=host,
            image=args.image,
            command=["/bin/sh", layout.START_SCRIPT],
            files=[
                ContainerFile(
                    layout.START_SCRIPT,
                    files.zookeeper_start_script(index, args.heap_mb, args.metrics_password is not None),
                    executable=True,
                ),
                ContainerFile(layout.ZOO_CFG, files.zookeeper_config(args.nodes)),
                ContainerFile(layout.KEYSTORE, certificate.keystore_pem),
                ContainerFile(layout.TRUSTSTORE, authorities.bundle_pem),
                *agent_files("zookeeper", args.metrics_password),
            ],
            health_command=HEALTH.format(port=layout.ZK_SECURE_PORT, ca=layout.TRUSTSTORE, key=layout.KEYSTORE),
            memory_mb=args.memory_mb,
            cpu_millicores=args.cpu_millicores,
            pids_limit=zookeeper_pids_limit(args.nodes, args.cpu_millicores),
            config_dir=layout.CONFIG_DIR,
            data_volume=volume.name,
            data_path="/var/lib/zookeeper",
        )
