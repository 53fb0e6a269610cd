"""The Kafka brokers: SASL_SSL (SCRAM-SHA-512) for every client, mutual TLS between brokers and to the metadata
quorum, ACLs enforced with deny by default, published on 127.0.0.1 only.

On a running cluster a change that replaces brokers rolls: gate -> broker -> back in sync -> next gate, one broker
at a time, in the plan's order (components/providers/roll.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.platform import kafka_config as files
from components.platform.certificate_authority import Authorities
from components.platform.metadata_quorum import AdminScram, MetadataQuorum
from components.platform.metrics_agent_files import agent_files
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import (
    LOOPBACK,
    ContainerFile,
    ServiceSpec,
    service_container,
    spec_revision,
)
from components.providers.docker_network import DockerNetwork
from components.providers.roll import BrokerGate, BrokerGateArgs, BrokerInSync, BrokerInSyncArgs
from components.rules import layout
from components.rules.broker_registration import THROUGH
from components.rules.names import ADMIN_USER, token
from components.rules.process_limits import broker_pids_limit
from components.rules.roll import RollPlan

# Ready means: the TLS listener answers with a certificate the CA vouches for.
HEALTH = (
    "echo | openssl s_client -connect 127.0.0.1:{port} -CAfile {ca} -verify_return_error 2>/dev/null"
    " | grep -q 'Verify return code: 0'"
)


def bootstrap_servers(port: int, brokers: int) -> str:
    """Where host clients reach the brokers: broker i on 127.0.0.1 port + i."""
    return ",".join(f"localhost:{port + index}" for index in range(brokers))


@dataclass(frozen=True)
class KafkaClusterArgs:
    prefix: str
    """Prefix of the Docker objects' names."""
    brokers: int
    """Broker count."""
    zookeeper_nodes: int
    """ZooKeeper ensemble size (0 on a KRaft stack)."""
    image: pulumi.Input[str]
    """Image with Java and Kafka's jars."""
    bootstrap_port: int
    """127.0.0.1 port of broker 0; broker i gets bootstrap_port + i."""
    replication_factor: int
    """Default replication factor."""
    min_insync_replicas: int
    """Default min.insync.replicas (set at run time as a cluster default, not in the brokers' files)."""
    memory_mb: int
    """Container memory limit per broker."""
    heap_mb: int
    """JVM heap per broker."""
    cpu_millicores: int
    """Container CPU limit per broker, in thousandths of a CPU."""
    scram_iterations: int
    """SCRAM iterations of the admin credential."""
    protect_data: bool
    """Protect the data volumes from deletion."""
    certificate_validity_days: int
    """Validity of each broker's certificate."""
    certificate_rotation: int
    """Raising it re-issues the brokers' keys and certificates (a roll)."""
    redundant: bool
    """A broker can go down while every partition keeps taking acks=all writes: the roll waits for that."""
    roll: RollPlan
    """Whether the cluster runs, and the order brokers restart in."""
    sasl_mechanisms: tuple[str, ...] = ("SCRAM-SHA-512",)
    """SASL mechanisms the brokers offer; the admin gets a credential for each."""
    metrics_password: pulumi.Output[str] | None = None
    """The scrape credential's password: each broker runs the JMX exporter agent; None: no agent."""
    log_option: str = layout.LOG4J
    """The JVM option naming the Kafka release's log configuration in the image."""


class KafkaCluster(pulumi.ComponentResource):
    """N brokers; they start after the metadata quorum serves, which seeds the admin credential before they open
    their client listeners."""

    containers: list[docker.Container]
    in_sync: list[BrokerInSync]
    certificates: list[ServerCertificate]
    bootstrap_servers: str
    internal_bootstrap_servers: str

    def __init__(
        self,
        name: str,
        args: KafkaClusterArgs,
        network: DockerNetwork,
        authorities: Authorities,
        admin_password: pulumi.Output[str],
        connection: pulumi.Output[dict],
        quorum: MetadataQuorum,
        opts: pulumi.ResourceOptions | None = None,
        first: Sequence[pulumi.Resource] = (),
    ) -> None:
        """`first`: what must be done before any broker restarts (a migration's rollback)."""
        super().__init__(token("KafkaCluster"), name, None, opts)
        self.bootstrap_servers = bootstrap_servers(args.bootstrap_port, args.brokers)
        self.internal_bootstrap_servers = ",".join(
            f"{layout.broker_host(i)}:{layout.CLIENT_PORT}" for i in range(args.brokers)
        )
        certificates: dict[int, ServerCertificate] = {}
        containers: dict[int, docker.Container] = {}
        in_sync: dict[int, BrokerInSync] = {}
        previous: BrokerInSync | None = None
        through = f"{args.prefix}-{layout.broker_host(THROUGH)}"
        registrations = quorum.registrations(self, name, args.brokers, through)
        for index in args.roll.brokers:
            certificates[index] = self._create_certificate(name, index, args, authorities)
            spec = self._broker_spec(name, index, args, authorities, certificates[index], admin_password, quorum)
            revision = spec_revision(spec)
            # On a running cluster, a broker's gate waits for the broker before it to be back in sync.
            after = [previous] if args.roll.running and previous else []
            gate = BrokerGate(
                f"{name}-{index}-restart",
                BrokerGateArgs(
                    node=layout.broker_host(index),
                    broker=index,
                    revision=revision,
                    redundant=args.redundant,
                    default_min_insync=args.min_insync_replicas,
                    connection=connection,
                ),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[*after, *first]),
            )
            containers[index] = service_container(
                f"{name}-{index}",
                spec,
                network,
                pulumi.ResourceOptions(
                    parent=self, depends_on=[*quorum.containers, gate, *_outlived_by(index, registrations)]
                ),
            )
            after_start = quorum.after_broker(self, name, index, containers[index], revision)
            in_sync[index] = previous = BrokerInSync(
                f"{name}-{index}-in-sync",
                BrokerInSyncArgs(
                    node=layout.broker_host(index),
                    broker=index,
                    connection=connection,
                    triggers=[containers[index].id],
                ),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[containers[index], *after_start]),
            )
        self._retire_volumes(name, args)
        # Listed by broker id, whatever the restart order.
        self.certificates = [certificates[index] for index in sorted(certificates)]
        self.containers = [containers[index] for index in sorted(containers)]
        self.in_sync = [in_sync[index] for index in sorted(in_sync)]
        self.register_outputs({"bootstrap_servers": self.bootstrap_servers})

    def _retire_volumes(self, name: str, args: KafkaClusterArgs) -> None:
        """A broker the stack no longer declares goes at the end of this `up`, once drained; on a stack that
        protects its data its volume stays in Docker: declared once more without protection and retained on
        delete, so the next `up` forgets it without removing it (`docker volume rm` removes it)."""
        if not args.protect_data:
            return
        for index in sorted(args.roll.retiring):
            docker.Volume(
                f"{name}-{index}-data",
                name=f"{args.prefix}-{layout.broker_host(index)}-data",
                opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True, delete_before_replace=True),
            )

    def _create_certificate(
        self, name: str, index: int, args: KafkaClusterArgs, authorities: Authorities
    ) -> ServerCertificate:
        host = layout.broker_host(index)
        return ServerCertificate(
            f"{name}-{index}-tls",
            ServerCertificateArgs(
                host, [host, "localhost"], [LOOPBACK], args.certificate_validity_days, args.certificate_rotation
            ),
            authorities.signing,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _broker_spec(
        self,
        name: str,
        index: int,
        args: KafkaClusterArgs,
        authorities: Authorities,
        certificate: ServerCertificate,
        admin_password: pulumi.Output[str],
        quorum: MetadataQuorum,
    ) -> ServiceSpec:
        host = layout.broker_host(index)
        settings = files.BrokerSettings(
            index=index,
            # A leaving broker stays a super user until it is gone: it must fetch its replicas' data while the
            # partition balance drains it.
            brokers=max([args.brokers, *(broker + 1 for broker in args.roll.retiring)]),
            zookeeper_nodes=args.zookeeper_nodes,
            external_port=args.bootstrap_port + index,
            replication_factor=args.replication_factor,
            sasl_mechanisms=args.sasl_mechanisms,
        )
        volume = docker.Volume(
            f"{name}-{index}-data",
            name=f"{args.prefix}-{host}-data",
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect_data, delete_before_replace=True),
        )
        side = quorum.broker_side(
            self, name, index, AdminScram(admin_password, args.scram_iterations, args.sasl_mechanisms)
        )
        own = [
            ContainerFile(
                layout.START_SCRIPT,
                files.start_script(
                    side.prepare,
                    args.heap_mb,
                    metrics=args.metrics_password is not None,
                    log_option=args.log_option,
                ),
                executable=True,
            ),
            ContainerFile(layout.SERVER_PROPERTIES, files.server_properties(settings, [ADMIN_USER], side.properties)),
            ContainerFile(layout.KEYSTORE, certificate.keystore_pem),
            ContainerFile(layout.TRUSTSTORE, authorities.bundle_pem),
            ContainerFile(
                layout.ADMIN_CLIENT_FILE, pulumi.Output.secret(admin_password.apply(files.admin_client_properties))
            ),
        ]
        return ServiceSpec(
            container_name=f"{args.prefix}-{host}",
            hostname=host,
            image=args.image,
            command=["/bin/sh", layout.START_SCRIPT],
            files=sorted([*own, *side.files, *agent_files("kafka", args.metrics_password)], key=_file_place),
            health_command=HEALTH.format(port=layout.EXTERNAL_PORT, ca=layout.TRUSTSTORE),
            memory_mb=args.memory_mb,
            cpu_millicores=args.cpu_millicores,
            pids_limit=broker_pids_limit(args.brokers, args.cpu_millicores),
            config_dir=layout.CONFIG_DIR,
            data_volume=volume.name,
            data_path="/var/lib/kafka",
            ports={layout.EXTERNAL_PORT: args.bootstrap_port + index},
            start_period_s=90,
        )


def _outlived_by(broker: int, registrations: dict[int, pulumi.Resource]) -> list[pulumi.Resource]:
    """What goes only after broker `broker`'s container: its own registration, and for the broker the removed
    brokers are unregistered through, every registration (it must still run when they go)."""
    if broker == THROUGH:
        return list(registrations.values())
    return [registrations[broker]] if broker in registrations else []


def _file_place(item: ContainerFile) -> tuple[int, str]:
    order = layout.BROKER_FILE_ORDER
    return (order.index(item.path), "") if item.path in order else (len(order), item.path)
