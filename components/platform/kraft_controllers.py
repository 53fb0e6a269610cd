"""The KRaft controllers: dedicated nodes (process.roles=controller) that hold the cluster's metadata, ACLs and
SCRAM credentials, in a static quorum over mutual TLS on the platform network only.

On a running quorum a change that replaces controllers rolls: controllers not serving first, then followers, the
active controller last; each only while a majority serves without it (its gate asks the quorum itself)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.platform import kafka_config as files
from components.platform import kraft_config as kraft
from components.platform.certificate_authority import Authorities
from components.platform.metadata_quorum import AdminScram, QuorumArgs
from components.platform.metrics_agent_files import agent_files
from components.platform.migration_config import controller_migration_properties
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import ContainerFile, ServiceSpec, service_container, spec_revision
from components.providers.docker_network import DockerNetwork
from components.providers.roll import ControllerGate, ControllerGateArgs
from components.rules import layout
from components.rules.names import ADMIN_USER, token
from components.rules.process_limits import controller_pids_limit

# Ready means: the controller listener answers mutual TLS with a certificate the CA vouches for.
HEALTH = (
    "echo | openssl s_client -connect 127.0.0.1:{port} -CAfile {ca} -cert {key} -key {key} -verify_return_error"
    " 2>/dev/null | grep -q 'Verify return code: 0'"
)


@dataclass(frozen=True)
class ControllersArgs:
    quorum: QuorumArgs
    """Prefix, image, protection, certificates and roll, as for every quorum."""
    controllers: int
    """Controller count (odd)."""
    brokers: int
    """Broker count (the brokers are super users)."""
    memory_mb: int
    """Container memory limit per controller."""
    heap_mb: int
    """JVM heap per controller."""
    cpu_millicores: int
    """Container CPU limit per controller, in thousandths of a CPU."""
    cluster_id: str | None = None
    """The id of the cluster the controllers serve when it runs already (a migrated cluster keeps ZooKeeper's);
    None: the stack's own (kraft_config.cluster_id)."""
    migrating_from: int = 0
    """ZooKeeper nodes the controllers migrate the metadata from (migration mode); 0: a KRaft quorum."""
    migration_files: tuple[ContainerFile, ...] = ()
    """What migration mode reads beyond a controller's own files (the ZooKeeper client identity)."""


class KraftControllers(pulumi.ComponentResource):
    """N controllers, each with a data volume (the metadata log) and its own certificate (CN controller-<i>)."""

    containers: list[docker.Container]
    certificates: list[ServerCertificate]

    def __init__(
        self,
        name: str,
        args: ControllersArgs,
        admin: AdminScram,
        network: DockerNetwork,
        authorities: Authorities,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(token("KraftControllers"), name, None, opts)
        certificates: dict[int, ServerCertificate] = {}
        containers: dict[int, docker.Container] = {}
        roll = args.quorum.roll
        previous: docker.Container | None = None
        for index in roll.controllers:
            certificates[index], spec = self._node_spec(name, index, args, admin, authorities)
            # Controllers that do not run yet (the first step of a migration) start side by side: a quorum serves
            # only once a majority runs.
            after = [previous] if roll.running and roll.running_quorum[1] and previous else []
            gate = ControllerGate(
                f"{name}-{index}-restart",
                ControllerGateArgs(
                    node=layout.controller_host(index),
                    index=index,
                    revision=spec_revision(spec),
                    prefix=args.quorum.prefix,
                    controllers=args.controllers,
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
        self, name: str, index: int, args: ControllersArgs, admin: AdminScram, authorities: Authorities
    ) -> tuple[ServerCertificate, ServiceSpec]:
        host = layout.controller_host(index)
        prefix = args.quorum.prefix
        certificate = ServerCertificate(
            f"{name}-{index}-tls",
            ServerCertificateArgs(
                host,
                [host, f"{prefix}-{host}"],
                [],
                args.quorum.certificate_validity_days,
                args.quorum.certificate_rotation,
            ),
            authorities.signing,
            opts=pulumi.ResourceOptions(parent=self),
        )
        volume = docker.Volume(
            f"{name}-{index}-data",
            name=f"{prefix}-{host}-data",
            # Until a migration is finalized ZooKeeper holds every change too, and Kafka's rollback removes the
            # controllers' data: it is protected from then on.
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=args.quorum.protect_data and not args.migrating_from,
                delete_before_replace=True,
            ),
        )
        format_arguments = pulumi.Output.secret(
            admin.password.apply(
                lambda password: kraft.controller_format_arguments(
                    prefix,
                    password,
                    admin.iterations,
                    admin.mechanisms,
                    args.quorum.log_option,
                    cluster=args.cluster_id,
                    migrating=bool(args.migrating_from),
                )
            )
        )
        migration = controller_migration_properties(args.migrating_from) if args.migrating_from else None
        properties = kraft.controller_properties(index, args.controllers, args.brokers, [ADMIN_USER], migration)
        return certificate, ServiceSpec(
            container_name=f"{prefix}-{host}",
            hostname=host,
            image=args.quorum.image,
            command=["/bin/sh", layout.START_SCRIPT],
            files=[
                ContainerFile(
                    layout.START_SCRIPT,
                    files.start_script(
                        kraft.controller_format(),
                        args.heap_mb,
                        metrics=args.quorum.metrics_password is not None,
                        log_option=args.quorum.log_option,
                    ),
                    executable=True,
                ),
                ContainerFile(layout.SERVER_PROPERTIES, properties),
                ContainerFile(layout.CONTROLLER_CLIENT_FILE, kraft.controller_client_properties()),
                ContainerFile(layout.KEYSTORE, certificate.keystore_pem),
                ContainerFile(layout.TRUSTSTORE, authorities.bundle_pem),
                ContainerFile(layout.FORMAT_ARGS, format_arguments),
                *agent_files("controller", args.quorum.metrics_password),
                *args.migration_files,
            ],
            health_command=HEALTH.format(port=layout.CONTROLLER_PORT, ca=layout.TRUSTSTORE, key=layout.KEYSTORE),
            memory_mb=args.memory_mb,
            cpu_millicores=args.cpu_millicores,
            pids_limit=controller_pids_limit(args.controllers + args.brokers, args.cpu_millicores),
            config_dir=layout.CONFIG_DIR,
            data_volume=volume.name,
            data_path="/var/lib/kafka",
        )
