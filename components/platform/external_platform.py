"""A cluster and schema registry the program does not run (Strimzi, MSK, Confluent Cloud, Aiven, on premises):
no container, certificate, volume or network; only how to reach them as the stack's admin identity, the
passwords of the catalog's users, and the resources that say when both answer."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.clients.client_settings import client_config
from components.platform.connections import Connections
from components.platform.scram_credentials import ScramCredentials, ScramCredentialsArgs
from components.providers.readiness import KafkaReadinessArgs, Readiness, RegistryReadinessArgs
from components.rules.names import ADMIN_USER, token
from components.rules.platform_target import USER_MECHANISM
from components.rules.stack_settings import Settings

# A cluster that exists already answers within seconds or not at all (a wrong address or login): give up sooner
# than on a cluster that is still starting.
READY_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class ExternalKafkaReadinessArgs(KafkaReadinessArgs):
    timeout_s: float = READY_TIMEOUT_S
    """How long to wait for the cluster to answer."""


@dataclass(frozen=True)
class ExternalRegistryReadinessArgs(RegistryReadinessArgs):
    timeout_s: float = READY_TIMEOUT_S
    """How long to wait for the registry to answer."""


class ExternalPlatform(pulumi.ComponentResource):
    """The same interface the catalog is built on as the platform the program runs: connections, passwords of
    the users it manages, readiness; plus the client settings of those users for the external endpoints."""

    credentials: ScramCredentials
    connections: Connections
    kafka_ready: Readiness
    registry_ready: Readiness | None
    bootstrap_servers: str
    kafka_image: str

    def __init__(self, name: str, settings: Settings, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(token("ExternalPlatform"), name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.settings = settings
        self.bootstrap_servers = settings.external_bootstrap_servers
        self.kafka_image = settings.kafka_image
        # Users the catalog says exist already keep the password they have: none is generated for them.
        rotations = {user.name: user.rotation for user in settings.catalog.users if not user.existing}
        self.credentials = ScramCredentials(f"{name}-scram", ScramCredentialsArgs(rotations), opts=child)
        self.connections = self._connections(settings)
        self.kafka_ready = Readiness(
            f"{name}-kafka-ready",
            ExternalKafkaReadinessArgs(
                service="kafka",
                connection=self.connections.kafka,
                brokers=settings.brokers,
                triggers=[settings.external_bootstrap_servers],
            ),
            opts=child,
        )
        self.registry_ready = None
        if settings.external_registry_url:
            self.registry_ready = Readiness(
                f"{name}-registry-ready",
                ExternalRegistryReadinessArgs(
                    service="schema-registry",
                    registry=self.connections.registry,
                    triggers=[settings.external_registry_url],
                ),
                opts=child,
            )
        self.register_outputs({})

    @staticmethod
    def _connections(settings: Settings) -> Connections:
        kafka = {
            "bootstrap_servers": settings.external_bootstrap_servers,
            "username": settings.external_username,
            "password": settings.external_password,
            "ca_pem": settings.external_ca_pem,
            "mechanism": settings.external_sasl_mechanism,
        }
        if settings.external_client_certificate_pem:
            kafka.update(
                certificate_pem=settings.external_client_certificate_pem, key_pem=settings.external_client_key_pem
            )
        registry = {
            "url": settings.external_registry_url,
            "ca_pem": settings.external_registry_ca_pem,
            "username": settings.external_registry_username,
            "password": settings.external_registry_password,
        }
        # Secrets from the first moment: the values come from the stack's encrypted config.
        return Connections(kafka=pulumi.Output.secret(kafka), registry=pulumi.Output.secret(registry))

    def quota_runner(self) -> dict[str, pulumi.Input]:
        """How a UserQuota reaches this cluster: Kafka's tool in a container of the local image, as admin."""
        return {"connection": self.connections.kafka, "image": self.kafka_image}

    def client_configs(self) -> pulumi.Output[dict]:
        """Per user the stack manages, and for its admin identity: settings for the external endpoints (secret).
        The catalog's users log in with SCRAM-SHA-512 and have no registry login of theirs: an external registry
        grants its own."""
        settings = self.settings
        users = list(self.credentials.passwords)
        passwords = [self.credentials.passwords[user] for user in users]

        def build(values: list[str]) -> dict:
            common = {
                "bootstrap_servers": settings.external_bootstrap_servers,
                "registry_url": settings.external_registry_url,
                "ca_pem": settings.external_ca_pem,
            }
            configs = {
                user: client_config(
                    username=user,
                    password=password,
                    mechanism=USER_MECHANISM,
                    registry_ca_pem=settings.external_registry_ca_pem,
                    registry_login=("", ""),
                    **common,
                )
                for user, password in zip(users, values, strict=True)
            }
            configs[ADMIN_USER] = client_config(
                username=settings.external_username,
                password=settings.external_password,
                mechanism=settings.external_sasl_mechanism,
                registry_ca_pem=settings.external_registry_ca_pem,
                registry_login=(settings.external_registry_username, settings.external_registry_password),
                **common,
            )
            return configs

        return pulumi.Output.secret(pulumi.Output.all(*passwords).apply(build))
