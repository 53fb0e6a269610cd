"""The schema registry: Apicurio Registry serving the Confluent REST API over HTTPS inside the platform's network,
storing every schema in a Kafka topic (so schemas survive restarts) that it reaches over SASL_SSL as its own user;
and in front of it, on 127.0.0.1, the proxy that authenticates and authorises every request.

Why a proxy: Apicurio 3.0 authenticates clients only through an OpenID Connect server, and its Quarkus build has no
built-in user store; HAProxy gives the HTTP basic auth over HTTPS that Confluent's and Karapace's clients send
(`basic.auth.user.info`), with per-user rights, and nothing else reaches the registry from the host."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.platform import registry_config as files
from components.platform import registry_proxy_config as proxy_files
from components.platform.certificate_authority import Authorities
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import LOOPBACK, ContainerFile, ServiceSpec, service_container
from components.providers.docker_network import DockerNetwork
from components.rules.catalog import AclSpec
from components.rules.names import REGISTRY_USER, token
from components.rules.process_limits import proxy_pids_limit, registry_pids_limit
from components.rules.registry_access import RegistryGrant

HOST = "schema-registry"
PROXY_HOST = "schema-registry-proxy"
PROXY_MEMORY_MB = 128


@dataclass(frozen=True)
class SchemaRegistryArgs:
    prefix: str
    """Prefix of the Docker objects' names."""
    image: pulumi.Input[str]
    """Image with the registry."""
    port: int
    """Port on 127.0.0.1 of the HTTPS endpoint (the proxy's)."""
    proxy_image: pulumi.Input[str]
    """Image with HAProxy."""
    bootstrap_servers: str
    """The brokers' in-network SASL_SSL listeners."""
    memory_mb: int
    """Container memory limit."""
    heap_mb: int
    """JVM heap."""
    cpu_millicores: int
    """Container CPU limit of the registry, in thousandths of a CPU."""
    proxy_cpu_millicores: int
    """Container CPU limit of the proxy, in thousandths of a CPU."""
    certificate_validity_days: int
    """Validity of the HTTPS certificate."""
    certificate_rotation: int
    """Raising it re-issues the registry's key and certificate."""


def registry_acls() -> list[AclSpec]:
    """Exactly what the registry needs: its storage topics and its own consumer groups, nothing else."""
    principal = f"User:{REGISTRY_USER}"
    topics = [
        AclSpec(principal, "TOPIC", topic, "LITERAL", operation)
        for topic in files.STORAGE_TOPICS
        for operation in ("READ", "WRITE", "DESCRIBE")
    ]
    return [*topics, AclSpec(principal, "GROUP", files.GROUP_PREFIX, "PREFIXED", "READ")]


class SchemaRegistry(pulumi.ComponentResource):
    container: docker.Container
    proxy: docker.Container
    certificate: ServerCertificate

    def __init__(
        self,
        name: str,
        args: SchemaRegistryArgs,
        network: DockerNetwork,
        authorities: Authorities,
        password: pulumi.Output[str],
        grants: Sequence[RegistryGrant],
        passwords: Mapping[str, pulumi.Output[str]],
        prerequisites: list[pulumi.Resource],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`password` is the registry's own Kafka password; `passwords` those of the users `grants` names."""
        super().__init__(token("SchemaRegistry"), name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.certificate = ServerCertificate(
            f"{name}-tls",
            ServerCertificateArgs(
                HOST, [HOST, "localhost"], [LOOPBACK], args.certificate_validity_days, args.certificate_rotation
            ),
            authorities.signing,
            opts=child,
        )
        properties = pulumi.Output.secret(
            password.apply(lambda secret: files.application_properties(args.bootstrap_servers, REGISTRY_USER, secret))
        )
        spec = ServiceSpec(
            container_name=f"{args.prefix}-{HOST}",
            hostname=HOST,
            image=args.image,
            command=["/bin/sh", "-c", files.command(args.heap_mb)],
            files=[
                ContainerFile(files.APPLICATION_PROPERTIES, properties),
                ContainerFile(files.KEY_FILE, self.certificate.private_key_pem),
                ContainerFile(files.CERT_FILE, self.certificate.certificate_pem),
                ContainerFile(files.CA_FILE, authorities.bundle_pem),
            ],
            health_command=files.HEALTH,
            memory_mb=args.memory_mb,
            cpu_millicores=args.cpu_millicores,
            pids_limit=registry_pids_limit(args.cpu_millicores),
            config_dir=files.CONFIG_DIR,
            user="apicurio",
            start_period_s=120,
        )
        # The registry's user and ACLs must exist before it first connects to Kafka.
        self.container = service_container(
            name, spec, network, pulumi.ResourceOptions(parent=self, depends_on=prerequisites)
        )
        self.proxy = self._create_proxy(name, args, network, authorities, grants, passwords)
        self.register_outputs({})

    def _create_proxy(
        self,
        name: str,
        args: SchemaRegistryArgs,
        network: DockerNetwork,
        authorities: Authorities,
        grants: Sequence[RegistryGrant],
        passwords: Mapping[str, pulumi.Output[str]],
    ) -> docker.Container:
        users = pulumi.Output.secret(
            pulumi.Output.all(**{grant.user: passwords[grant.user] for grant in grants}).apply(
                lambda known: proxy_files.users_file(grants, known)
            )
        )
        spec = ServiceSpec(
            container_name=f"{args.prefix}-{PROXY_HOST}",
            hostname=PROXY_HOST,
            image=args.proxy_image,
            command=["/bin/sh", proxy_files.START_SCRIPT],
            files=[
                ContainerFile(proxy_files.START_SCRIPT, proxy_files.start_script(), executable=True),
                ContainerFile(proxy_files.CONFIG_FILE, proxy_files.haproxy_config(grants, HOST, files.HTTPS_PORT)),
                ContainerFile(proxy_files.USERS_FILE, users),
                ContainerFile(proxy_files.SERVER_PEM, self.certificate.keystore_pem),
                ContainerFile(proxy_files.CA_FILE, authorities.bundle_pem),
            ],
            health_command=proxy_files.HEALTH,
            memory_mb=PROXY_MEMORY_MB,
            cpu_millicores=args.proxy_cpu_millicores,
            pids_limit=proxy_pids_limit(),
            config_dir=proxy_files.CONFIG_DIR,
            # HAProxy loads nothing from /tmp: only its generated user list is written there.
            tmp_exec=False,
            ports={proxy_files.HTTPS_PORT: args.port},
            user="haproxy",
            start_period_s=30,
        )
        return service_container(
            f"{name}-proxy", spec, network, pulumi.ResourceOptions(parent=self, depends_on=[self.container])
        )
