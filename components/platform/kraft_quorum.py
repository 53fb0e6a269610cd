"""The KRaft kind of metadata quorum: dedicated controllers (kraft_controllers.py) in a static quorum, and what
each broker takes from it — its node id, the voters, the CONTROLLER listener over mutual TLS with its own
certificate, StandardAuthorizer, and its storage formatted with the stack's cluster id before its first start.

The admin's SCRAM credential: the controllers' format step writes it into the bootstrap metadata
(`kafka-storage format --add-scram`), so it exists before any client listener opens; after every broker (re)start
the broker writes it again through its own mutual-TLS listener (components/providers/admin_credential.py), which
repairs it and carries a rotated password, as a ZooKeeper stack's broker start does."""

from __future__ import annotations

import pulumi
import pulumi_docker as docker

from components.platform import kafka_config as files
from components.platform import kraft_config as kraft
from components.platform.certificate_authority import Authorities
from components.platform.kraft_controllers import ControllersArgs, KraftControllers
from components.platform.metadata_quorum import AdminScram, BrokerSide
from components.platform.service_container import ContainerFile
from components.providers.admin_credential import AdminCredential, AdminCredentialArgs
from components.providers.broker_registration import BrokerRegistration, BrokerRegistrationArgs
from components.providers.docker_network import DockerNetwork
from components.rules import layout
from components.rules.broker_registration import registered_brokers
from components.rules.quorum_status import KRAFT


class KraftQuorum:
    """Dedicated controllers as the brokers' metadata quorum."""

    kind = KRAFT
    controllers: KraftControllers
    containers: list[docker.Container]

    def __init__(
        self,
        name: str,
        args: ControllersArgs,
        admin: AdminScram,
        connection: pulumi.Output[dict],
        network: DockerNetwork,
        authorities: Authorities,
        opts: pulumi.ResourceOptions,
    ) -> None:
        """`connection`: the admin connection the platform's providers use (secret)."""
        self.args = args
        self.connection = connection
        self.mechanisms = admin.mechanisms
        self.controllers = KraftControllers(name, args, admin, network, authorities, opts=opts)
        self.containers = self.controllers.containers

    def broker_side(self, cluster: pulumi.Resource, name: str, broker: int, admin: AdminScram) -> BrokerSide:
        credentials = [
            ContainerFile(
                kraft.admin_scram_path(mechanism),
                pulumi.Output.secret(
                    admin.password.apply(
                        lambda password, mechanism=mechanism: files.admin_scram_file(
                            password, admin.iterations, [mechanism]
                        )
                    )
                ),
            )
            for mechanism in admin.mechanisms
        ]
        return BrokerSide(
            properties=kraft.broker_quorum_properties(broker, self.args.controllers),
            prepare=kraft.broker_format(self.args.quorum.prefix, self.args.quorum.log_option, self.args.cluster_id),
            files=[*credentials, ContainerFile(layout.INTERNAL_CLIENT_FILE, kraft.internal_client_properties())],
        )

    def after_broker(
        self,
        cluster: pulumi.Resource,
        name: str,
        broker: int,
        container: docker.Container,
        revision: pulumi.Output[str],
    ) -> list[pulumi.Resource]:
        credential = AdminCredential(
            f"{name}-{broker}-admin-credential",
            AdminCredentialArgs(
                node=layout.broker_host(broker),
                container=container.name,
                files=[kraft.admin_scram_path(mechanism) for mechanism in self.mechanisms],
                revision=revision,
                triggers=[container.id],
                connection=self.connection,
            ),
            opts=pulumi.ResourceOptions(parent=cluster, depends_on=[container]),
        )
        return [credential]

    def registrations(
        self, cluster: pulumi.Resource, name: str, brokers: int, through: str
    ) -> dict[int, pulumi.Resource]:
        # A stopped KRaft broker stays registered (fenced) until it is unregistered: its registration resource
        # does that once its container is gone (components/providers/broker_registration.py).
        return {
            broker: BrokerRegistration(
                f"{name}-{broker}-registration",
                BrokerRegistrationArgs(broker=broker, through=through),
                opts=pulumi.ResourceOptions(parent=cluster),
            )
            for broker in registered_brokers(brokers)
        }

    def certificate_expiry(self) -> dict[str, pulumi.Output[str]]:
        return {f"controller-{i}": cert.expires_at for i, cert in enumerate(self.controllers.certificates)}
