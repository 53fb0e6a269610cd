"""The running platform: network, certificate authority, SCRAM passwords, the metadata quorum, the brokers and the
schema registry, plus the resources that say when the cluster and the registry really serve."""

from __future__ import annotations

import pulumi
import pulumi_docker as docker

from components.compat.renamed_resources import authority_common_name, authority_name
from components.platform import registry_config as registry_files
from components.platform.certificate_authority import Authorities, CertificateAuthority, CertificateAuthorityArgs
from components.platform.connections import Connections, user_resource
from components.platform.kafka_cluster import KafkaCluster, KafkaClusterArgs, bootstrap_servers
from components.platform.metadata_quorum import AdminScram, MetadataQuorum, QuorumArgs
from components.platform.migration_steps import after_brokers, controllers_away
from components.platform.monitoring import MetricsCredentials, Monitoring, stack_monitoring
from components.platform.quorum_choice import choose_quorum
from components.platform.schema_registry import SchemaRegistry, SchemaRegistryArgs, registry_acls
from components.platform.scram_credentials import ScramCredentials, ScramCredentialsArgs
from components.providers.acl_set import AclSet, AclSetArgs
from components.providers.ca_trust import CaTrust, CaTrustArgs
from components.providers.cluster_defaults import ClusterDefaults, ClusterDefaultsArgs
from components.providers.docker_network import DockerNetwork, DockerNetworkArgs
from components.providers.readiness import KafkaReadinessArgs, Readiness, RegistryReadinessArgs
from components.providers.topic_set import TopicSet, TopicSetArgs
from components.rules import kafka_release
from components.rules.migration_phase import MigrationRun
from components.rules.names import ADMIN_USER, REGISTRY_ACL_SET_ID, REGISTRY_TOPIC_SET_ID, REGISTRY_USER, token
from components.rules.registry_access import grants
from components.rules.roll import RollPlan, cluster_defaults
from components.rules.stack_settings import Settings

NO_REDUNDANCY = (
    "stack {stack} has no redundancy ({brokers} broker(s), replicationFactor {rf}, minInsyncReplicas {isr}): a "
    "change that restarts a broker (image, heap, memory, certificates, static settings) interrupts clients until it "
    "is back; retention and min.insync.replicas change in place"
)


class Platform(pulumi.ComponentResource):
    """Everything that runs; the catalog's topics, subjects, users and ACLs are built on top of it."""

    authority: CertificateAuthority
    authorities: Authorities
    quorum: MetadataQuorum
    credentials: ScramCredentials
    cluster: KafkaCluster
    registry: SchemaRegistry
    kafka_ready: Readiness
    registry_ready: Readiness
    connections: Connections
    metrics_credentials: MetricsCredentials | None
    monitoring: Monitoring | None

    def __init__(
        self,
        name: str,
        settings: Settings,
        roll: RollPlan | None = None,
        opts: pulumi.ResourceOptions | None = None,
        migration: MigrationRun | None = None,
    ) -> None:
        """`roll` says whether the platform runs already, and in which order its nodes restart (default: nothing
        runs yet); `migration`: what the running cluster tells about a ZooKeeper-to-KRaft migration (its id, which
        KRaft controllers serve: a migrated cluster keeps ZooKeeper's)."""
        migration = migration or MigrationRun()
        super().__init__(token("Platform"), name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        if not settings.redundant:
            pulumi.log.warn(
                NO_REDUNDANCY.format(
                    stack=settings.stack,
                    brokers=settings.brokers,
                    rf=settings.replication_factor,
                    isr=settings.min_insync_replicas,
                )
            )
        roll = (roll or RollPlan.fresh(settings.brokers, settings.ensemble, settings.controllers)).with_sizes(
            settings.brokers, settings.ensemble, settings.controllers
        )
        rotations = {ADMIN_USER: 0, REGISTRY_USER: 0} | {user.name: user.rotation for user in settings.catalog.users}
        self.credentials = ScramCredentials(f"{name}-scram", ScramCredentialsArgs(rotations), opts=child)
        self.metrics_credentials = (
            MetricsCredentials(f"{name}-metrics-credentials", opts=child) if settings.metrics else None
        )
        scrape_password = self.metrics_credentials.scrape_password if self.metrics_credentials else None
        self.authorities = self._create_authorities(name, settings)
        self.authority = self.authorities.signing
        network = DockerNetwork(f"{name}-network", DockerNetworkArgs(name=settings.prefix), opts=child)
        kafka_image = docker.RemoteImage(
            f"{name}-kafka-image", name=settings.kafka_image, keep_locally=True, opts=child
        )
        self.connections = self._connections(settings)
        self.quorum = self._create_quorum(
            name, settings, roll, network, kafka_image, scrape_password, migration.cluster_id
        )
        first = controllers_away(name, settings, migration, self)
        self.cluster = self._create_cluster(name, settings, roll, network, kafka_image, scrape_password, first)
        after_brokers(name, settings, self.cluster, self.quorum.containers, self)
        self.kafka_ready = Readiness(
            f"{name}-kafka-ready",
            KafkaReadinessArgs(
                service="kafka",
                connection=self.connections.kafka,
                brokers=settings.brokers,
                triggers=[container.id for container in self.cluster.containers],
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*self.cluster.containers, *self.cluster.in_sync]),
        )
        ClusterDefaults(
            f"{name}-kafka-defaults",
            ClusterDefaultsArgs(
                values=cluster_defaults(settings.retention_ms, settings.min_insync_replicas),
                connection=self.connections.kafka,
                container=self.cluster.containers[0].name,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.kafka_ready]),
        )
        registry_user = self._create_registry_user(name, settings)
        self.registry = SchemaRegistry(
            f"{name}-registry",
            SchemaRegistryArgs(
                prefix=settings.prefix,
                image=docker.RemoteImage(
                    f"{name}-registry-image", name=settings.registry_image, keep_locally=True, opts=child
                ).image_id,
                port=settings.registry_port,
                proxy_image=docker.RemoteImage(
                    f"{name}-registry-proxy-image", name=settings.registry_proxy_image, keep_locally=True, opts=child
                ).image_id,
                bootstrap_servers=self.cluster.internal_bootstrap_servers,
                memory_mb=settings.registry_memory_mb,
                heap_mb=settings.registry_heap_mb,
                cpu_millicores=settings.registry_cpu_millicores,
                proxy_cpu_millicores=settings.registry_proxy_cpu_millicores,
                certificate_validity_days=settings.certificate_validity_days,
                certificate_rotation=settings.certificate_rotation,
            ),
            network,
            self.authorities,
            self.credentials.passwords[REGISTRY_USER],
            grants(settings.catalog.users),
            self.credentials.passwords,
            prerequisites=registry_user,
            opts=child,
        )
        self.registry_ready = Readiness(
            f"{name}-registry-ready",
            RegistryReadinessArgs(
                service="schema-registry",
                registry=self.connections.registry,
                triggers=[self.registry.container.id, self.registry.proxy.id],
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.registry.container, self.registry.proxy]),
        )
        self.monitoring = None
        if self.metrics_credentials:
            self.monitoring = stack_monitoring(
                name,
                settings,
                network,
                self.authorities,
                self.metrics_credentials,
                self.certificate_expiry(),
                self.connections,
                self.cluster.internal_bootstrap_servers,
                self.kafka_ready,
                child,
            )
        # Recorded last: a rotation step counts as done only once every node has rolled onto it.
        CaTrust(
            f"{name}-ca-trust",
            CaTrustArgs(trusted=list(settings.trust.trusted), signing=settings.trust.signing),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[*self.quorum.containers, self.kafka_ready, self.registry_ready]
            ),
        )
        self.register_outputs({})

    def certificate_expiry(self) -> dict[str, pulumi.Output[str]]:
        """When each server certificate of the stack expires, by node name."""
        return {
            **self.quorum.certificate_expiry(),
            **{f"kafka-{i}": cert.expires_at for i, cert in enumerate(self.cluster.certificates)},
            "schema-registry": self.registry.certificate.expires_at,
            **{
                host: cert.expires_at
                for host, cert in (self.monitoring.certificates if self.monitoring else {}).items()
            },
        }

    def _create_authorities(self, name: str, settings: Settings) -> Authorities:
        """One CA per trusted generation; generation 0 keeps the name stacks made before rotations had
        (components/compat/renamed_resources.py)."""
        trusted = {
            generation: CertificateAuthority(
                authority_name(name, generation),
                CertificateAuthorityArgs(authority_common_name(generation), settings.ca_validity_days),
                opts=pulumi.ResourceOptions(parent=self),
            )
            for generation in settings.trust.trusted
        }
        return Authorities(signing=trusted[settings.trust.signing], trusted=trusted)

    def _create_quorum(
        self,
        name: str,
        settings: Settings,
        roll: RollPlan,
        network: DockerNetwork,
        image: docker.RemoteImage,
        metrics_password: pulumi.Output[str] | None,
        cluster_id: str | None,
    ) -> MetadataQuorum:
        """The stack's kind of metadata quorum, chosen here once (a migration step runs both kinds)."""
        args = QuorumArgs(
            prefix=settings.prefix,
            image=image.image_id,
            protect_data=settings.protect_data,
            certificate_validity_days=settings.certificate_validity_days,
            certificate_rotation=settings.certificate_rotation,
            roll=roll,
            metrics_password=metrics_password,
            log_option=kafka_release.parse(settings.kafka_version).log_config.jvm_option,
        )
        admin = AdminScram(
            self.credentials.passwords[ADMIN_USER], settings.scram_iterations, settings.broker_mechanisms
        )
        # A leaving broker stays a super user of the controllers until it is gone: it heartbeats to them (and stays
        # unfenced) while the partition balance drains it.
        super_user_brokers = max([settings.brokers, *(broker + 1 for broker in roll.retiring)])
        return choose_quorum(
            name,
            settings,
            super_user_brokers,
            args,
            cluster_id,
            admin,
            self.connections.kafka,
            network,
            self.authorities,
            pulumi.ResourceOptions(parent=self),
        )

    def _create_cluster(
        self,
        name: str,
        settings: Settings,
        roll: RollPlan,
        network: DockerNetwork,
        image: docker.RemoteImage,
        metrics_password: pulumi.Output[str] | None,
        first: list[pulumi.Resource],
    ) -> KafkaCluster:
        """`first`: what must be done before any broker restarts."""
        return KafkaCluster(
            f"{name}-kafka",
            KafkaClusterArgs(
                prefix=settings.prefix,
                brokers=settings.brokers,
                zookeeper_nodes=settings.ensemble,
                image=image.image_id,
                bootstrap_port=settings.bootstrap_port,
                replication_factor=settings.replication_factor,
                min_insync_replicas=settings.min_insync_replicas,
                memory_mb=settings.broker_memory_mb,
                heap_mb=settings.broker_heap_mb,
                cpu_millicores=settings.broker_cpu_millicores,
                scram_iterations=settings.scram_iterations,
                protect_data=settings.protect_data,
                certificate_validity_days=settings.certificate_validity_days,
                certificate_rotation=settings.certificate_rotation,
                redundant=settings.redundant,
                roll=roll,
                sasl_mechanisms=settings.broker_mechanisms,
                metrics_password=metrics_password,
                log_option=kafka_release.parse(settings.kafka_version).log_config.jvm_option,
            ),
            network,
            self.authorities,
            self.credentials.passwords[ADMIN_USER],
            self.connections.kafka,
            self.quorum,
            opts=pulumi.ResourceOptions(parent=self),
            first=first,
        )

    def _connections(self, settings: Settings) -> Connections:
        ca = self.authorities.bundle_pem
        servers = bootstrap_servers(settings.bootstrap_port, settings.brokers)
        kafka = pulumi.Output.all(self.credentials.passwords[ADMIN_USER], ca).apply(
            lambda values: {
                "bootstrap_servers": servers,
                "username": ADMIN_USER,
                "password": values[0],
                "ca_pem": values[1],
            }
        )
        # The program's own identity on the registry is the admin: it alone may do everything there.
        registry = pulumi.Output.all(self.credentials.passwords[ADMIN_USER], ca).apply(
            lambda values: {
                "url": settings.registry_url,
                "ca_pem": values[1],
                "username": ADMIN_USER,
                "password": values[0],
            }
        )
        return Connections(kafka=pulumi.Output.secret(kafka), registry=pulumi.Output.secret(registry))

    def _create_registry_user(self, name: str, settings: Settings) -> list[pulumi.Resource]:
        """The registry's own SCRAM user, storage topics and ACL bindings, in place before the registry starts. The
        topics and the bindings are sets of their own, made by the same providers as the catalog's: the registry
        needs them before it starts, and the catalog's subjects need the registry, so they cannot be the catalog's."""
        after_ready = pulumi.ResourceOptions(parent=self, depends_on=[self.kafka_ready])
        # The journal is replayed from its start on every registry start: it must never lose a record. Its set is
        # protected like the catalog's topics, and never deletes a storage topic that holds data.
        journal = {
            "partitions": 1,
            "replication_factor": settings.replication_factor,
            "config": {
                "retention.ms": "-1",
                "retention.bytes": "-1",
                "cleanup.policy": "delete",
                "min.insync.replicas": str(settings.min_insync_replicas),
            },
            "allow_data_loss": False,
            "adopt": False,
        }
        storage = TopicSet(
            f"{name}-registry-topics",
            TopicSetArgs(
                topics=dict.fromkeys(registry_files.STORAGE_TOPICS, journal),
                connection=self.connections.kafka,
                protect_data=settings.protect_data,
                set_id=REGISTRY_TOPIC_SET_ID,
                # The stack's replicationFactor moves the storage topics as it moves the catalog's.
                tool_runner={"container": self.cluster.containers[0].name},
                brokers=settings.brokers,
                throttle_mbps=settings.reassign_throttle_mbps,
            ),
            opts=pulumi.ResourceOptions.merge(after_ready, pulumi.ResourceOptions(protect=settings.protect_data)),
        )
        password = self.credentials.passwords[REGISTRY_USER]
        user = user_resource(name, REGISTRY_USER, password, settings.scram_iterations, self.connections, after_ready)
        acls = AclSet(
            f"{name}-registry-acls",
            AclSetArgs.of(registry_acls(), self.connections.kafka, set_id=REGISTRY_ACL_SET_ID),
            opts=after_ready,
        )
        return [user, storage, acls]
