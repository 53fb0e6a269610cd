"""The ZooKeeper kind of metadata quorum (the default): the ensemble (zookeeper.py), and what each broker takes
from it — `zookeeper.connect` over TLS with one shared client identity, the AclAuthorizer, and the admin's SCRAM
credential written to ZooKeeper by ConfigCommand from a file before every broker start."""

from __future__ import annotations

import pulumi
import pulumi_docker as docker

from components.platform import kafka_config as files
from components.platform.certificate_authority import Authorities
from components.platform.metadata_quorum import AdminScram, BrokerSide, QuorumArgs
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import ContainerFile
from components.platform.zookeeper import ZooKeeper, ZooKeeperArgs
from components.providers.docker_network import DockerNetwork
from components.rules import layout
from components.rules.quorum_status import ZOOKEEPER


class ZooKeeperQuorum:
    """The ensemble as the brokers' metadata quorum."""

    kind = ZOOKEEPER
    ensemble: ZooKeeper
    containers: list[docker.Container]

    def __init__(
        self,
        name: str,
        args: QuorumArgs,
        nodes: int,
        resources: tuple[int, int, int],
        network: DockerNetwork,
        authorities: Authorities,
        opts: pulumi.ResourceOptions,
    ) -> None:
        """`resources`: each node's memory limit and heap in MiB, and its CPU limit in millicores."""
        memory_mb, heap_mb, cpu_millicores = resources
        self.nodes = nodes
        self.authorities = authorities
        self.args = args
        self.ensemble = ZooKeeper(
            name,
            ZooKeeperArgs(
                prefix=args.prefix,
                nodes=nodes,
                image=args.image,
                memory_mb=memory_mb,
                heap_mb=heap_mb,
                cpu_millicores=cpu_millicores,
                protect_data=args.protect_data,
                certificate_validity_days=args.certificate_validity_days,
                certificate_rotation=args.certificate_rotation,
                roll=args.roll,
                metrics_password=args.metrics_password,
            ),
            network,
            authorities,
            opts=opts,
        )
        self.containers = self.ensemble.containers
        self.client: ServerCertificate | None = None

    def _client_certificate(self, cluster: pulumi.Resource, name: str) -> ServerCertificate:
        """The one identity every broker reaches ZooKeeper with (the znodes' ACLs name it): made once, a child of
        the cluster."""
        if self.client is None:
            self.client = ServerCertificate(
                f"{name}-zookeeper-client",
                ServerCertificateArgs(
                    layout.ZOOKEEPER_CLIENT_NAME,
                    [layout.ZOOKEEPER_CLIENT_NAME],
                    [],
                    self.args.certificate_validity_days,
                    self.args.certificate_rotation,
                ),
                self.authorities.signing,
                opts=pulumi.ResourceOptions(parent=cluster),
            )
        return self.client

    def broker_side(self, cluster: pulumi.Resource, name: str, broker: int, admin: AdminScram) -> BrokerSide:
        client = self._client_certificate(cluster, name)
        seed = pulumi.Output.secret(
            admin.password.apply(lambda password: files.admin_scram_file(password, admin.iterations, admin.mechanisms))
        )
        return BrokerSide(
            properties=files.zookeeper_quorum_properties(broker, self.nodes),
            prepare=files.zookeeper_admin_seed(self.nodes),
            files=[
                ContainerFile(layout.ZK_TLS_FILE, files.zookeeper_client_tls()),
                ContainerFile(layout.ZOOKEEPER_CLIENT_KEYSTORE, client.keystore_pem),
                ContainerFile(layout.ADMIN_SCRAM_FILE, seed),
            ],
        )

    def after_broker(
        self,
        cluster: pulumi.Resource,
        name: str,
        broker: int,
        container: docker.Container,
        revision: pulumi.Output[str],
    ) -> list[pulumi.Resource]:
        return []  # the credential was seeded before the broker started

    def registrations(
        self, cluster: pulumi.Resource, name: str, brokers: int, through: str
    ) -> dict[int, pulumi.Resource]:
        # A broker's znode is ephemeral: it goes when the broker stops.
        return {}

    def certificate_expiry(self) -> dict[str, pulumi.Output[str]]:
        expiry = {f"zookeeper-{i}": cert.expires_at for i, cert in enumerate(self.ensemble.certificates)}
        if self.client is not None:
            expiry["kafka-zookeeper-client"] = self.client.expires_at
        return expiry
