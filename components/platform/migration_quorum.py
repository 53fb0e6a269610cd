"""The metadata quorum during a ZooKeeper-to-KRaft migration (components/rules/migration_phase.py): the ZooKeeper
ensemble keeps running, and KRaft controllers in migration mode (kraft_controllers.py) run beside it with the
running cluster's own id. What the brokers take depends on the step:

- `controllers`: exactly what they take from ZooKeeper (zookeeper_quorum.py), so no broker restarts. Their start
  script still seeds the admin's credential into ZooKeeper, harmless while ZooKeeper is the only source of the
  metadata: Kafka copies it later.
- `hybrid`: migration mode (migration_config.py); nothing writes ZooKeeper at their start any more: the admin's
  credential is written through the Admin API after every broker start, which the KRaft controller serves.
- `dual-write`: what a broker of a KRaft stack takes (kraft_quorum.py), with the cluster's own id: the `finalize`
  step then restarts only the controllers."""

from __future__ import annotations

from dataclasses import replace

import pulumi
import pulumi_docker as docker

from components.platform import kafka_config as files
from components.platform.certificate_authority import Authorities
from components.platform.kraft_controllers import ControllersArgs, KraftControllers
from components.platform.kraft_quorum import KraftQuorum
from components.platform.metadata_quorum import AdminScram, BrokerSide
from components.platform.migration_config import hybrid_broker_properties
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import ContainerFile
from components.platform.zookeeper_quorum import ZooKeeperQuorum
from components.providers.docker_network import DockerNetwork
from components.rules import layout
from components.rules import migration_phase as phase
from components.rules.quorum_status import ZOOKEEPER


class MigrationQuorum:
    """ZooKeeper and the controllers that take its metadata over, at one step of the migration."""

    kind = ZOOKEEPER
    containers: list[docker.Container]

    def __init__(
        self,
        name: str,
        step: str,
        zookeeper: ZooKeeperQuorum,
        args: ControllersArgs,
        admin: AdminScram,
        connection: pulumi.Output[dict],
        network: DockerNetwork,
        authorities: Authorities,
        opts: pulumi.ResourceOptions,
    ) -> None:
        self.step = step
        self.zookeeper = zookeeper
        identity = ServerCertificate(
            f"{name}-zookeeper-client",
            # The brokers' ZooKeeper identity (same subject, own key): the znodes' ACLs name it.
            ServerCertificateArgs(
                layout.ZOOKEEPER_CLIENT_NAME,
                [layout.ZOOKEEPER_CLIENT_NAME],
                [],
                args.quorum.certificate_validity_days,
                args.quorum.certificate_rotation,
            ),
            authorities.signing,
            opts=opts,
        )
        migrating = replace(
            args,
            migrating_from=zookeeper.nodes,
            migration_files=(
                ContainerFile(layout.ZK_TLS_FILE, files.zookeeper_client_tls()),
                ContainerFile(layout.ZOOKEEPER_CLIENT_KEYSTORE, identity.keystore_pem),
            ),
        )
        self.kraft = KraftQuorum(name, migrating, admin, connection, network, authorities, opts)
        self.controllers: KraftControllers = self.kraft.controllers
        self.containers = [*zookeeper.containers, *self.kraft.containers]
        self.identity = identity

    def broker_side(self, cluster: pulumi.Resource, name: str, broker: int, admin: AdminScram) -> BrokerSide:
        if self.step == phase.DUAL_WRITE:
            return self.kraft.broker_side(cluster, name, broker, admin)
        side = self.zookeeper.broker_side(cluster, name, broker, admin)
        if self.step == phase.CONTROLLERS:
            return side
        credentials = self.kraft.broker_side(cluster, name, broker, admin).files
        keep = [item for item in side.files if item.path != layout.ADMIN_SCRAM_FILE]
        return BrokerSide(
            properties=hybrid_broker_properties(broker, self.zookeeper.nodes, self.kraft.args.controllers),
            prepare="",
            files=[*keep, *credentials],
        )

    def after_broker(
        self,
        cluster: pulumi.Resource,
        name: str,
        broker: int,
        container: docker.Container,
        revision: pulumi.Output[str],
    ) -> list[pulumi.Resource]:
        if self.step == phase.CONTROLLERS:
            return []
        return self.kraft.after_broker(cluster, name, broker, container, revision)

    def registrations(
        self, cluster: pulumi.Resource, name: str, brokers: int, through: str
    ) -> dict[int, pulumi.Resource]:
        # None before finalize: a way back is still open, and going back would delete a registration, which
        # unregisters a broker that runs. A broker is not removed during a migration; finalize runs the KRaft kind.
        return {}

    def certificate_expiry(self) -> dict[str, pulumi.Output[str]]:
        return {
            **self.zookeeper.certificate_expiry(),
            **self.kraft.certificate_expiry(),
            "controller-zookeeper-client": self.identity.expires_at,
        }
