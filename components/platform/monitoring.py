"""Prometheus and Alertmanager of a stack (metrics: true): Prometheus scrapes every node's metrics endpoint on the
stack's network over HTTPS with the scrape credential and evaluates the alert rules; Alertmanager routes the alerts
to the operator's webhook. Prometheus alone is published, on 127.0.0.1, with HTTPS and the operator's login;
Alertmanager answers on the stack's network only, with the same TLS and login."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_docker as docker
import pulumi_random as random

from components.platform.certificate_authority import Authorities
from components.platform.connections import Connections
from components.platform.consumer_lag_exporter import ConsumerLagExporterArgs, consumer_lag_exporter
from components.platform.server_certificate import ServerCertificate, ServerCertificateArgs
from components.platform.service_container import LOOPBACK, ContainerFile, ServiceSpec, service_container, tls_health
from components.providers.docker_network import DockerNetwork
from components.rules import prometheus_config as files
from components.rules.alert_rules import rules_file
from components.rules.names import token
from components.rules.process_limits import go_service_pids_limit
from components.rules.scrape_targets import NodeKind, node_kinds
from components.rules.stack_settings import Settings

PROMETHEUS_HOST = "prometheus"
DATA_PATH = "/var/lib/prometheus"
PROMETHEUS_CPU_MILLICORES = 500
ALERTMANAGER_MEMORY_MB = 96
ALERTMANAGER_CPU_MILLICORES = 200
PASSWORD_LENGTH = 32


class MetricsCredentials(pulumi.ComponentResource):
    """The exporters' scrape password, the operator's login password (user `operator`) and the consumer-lag
    exporter's Kafka password, all secrets."""

    scrape_password: pulumi.Output[str]
    login_password: pulumi.Output[str]
    lag_password: pulumi.Output[str]

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(token("MetricsCredentials"), name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # Letters and digits: the passwords travel through YAML and HTTP basic auth unescaped.
        scrape = random.RandomPassword(f"{name}-scrape", length=PASSWORD_LENGTH, special=False, opts=child)
        login = random.RandomPassword(f"{name}-login", length=PASSWORD_LENGTH, special=False, opts=child)
        # The consumer-lag exporter's SCRAM password.
        lag = random.RandomPassword(f"{name}-consumer-lag", length=PASSWORD_LENGTH, special=False, opts=child)
        self.scrape_password = pulumi.Output.secret(scrape.result)
        self.login_password = pulumi.Output.secret(login.result)
        self.lag_password = pulumi.Output.secret(lag.result)
        self.register_outputs({})


@dataclass(frozen=True)
class MonitoringArgs:
    prefix: str
    """Prefix of the Docker objects' names."""
    image: pulumi.Input[str]
    """Image with Prometheus and Alertmanager."""
    port: int
    """Port on 127.0.0.1 of Prometheus's HTTPS endpoint."""
    kinds: tuple[NodeKind, ...]
    """What to scrape."""
    scrape_seconds: int
    """How often every target is scraped and the rules evaluated."""
    retention_days: int
    """How long samples are kept."""
    memory_mb: int
    """Prometheus's container memory limit."""
    webhook_url: pulumi.Input[str]
    """Alertmanager's receiver; empty: none."""
    lag_alert_records: int
    """Consumer lag at or above which the lag alert fires."""
    certificate_expiry: Mapping[str, pulumi.Output[str]]
    """Every certificate of the stack -> its not-after (RFC 3339)."""
    certificate_validity_days: int
    """Validity of Prometheus's, Alertmanager's and the lag exporter's certificates."""
    certificate_rotation: int
    """Raising it re-issues those certificates."""
    lag_exporter: ConsumerLagExporterArgs
    """The consumer-lag exporter."""
    protect_data: bool
    """Protect the samples' volume from deletion, as the stack's other data."""


class Monitoring(pulumi.ComponentResource):
    prometheus: docker.Container
    alertmanager: docker.Container
    lag_exporter: docker.Container
    certificates: dict[str, ServerCertificate]
    url: str

    def __init__(
        self,
        name: str,
        args: MonitoringArgs,
        network: DockerNetwork,
        authorities: Authorities,
        credentials: MetricsCredentials,
        connections: Connections,
        kafka_ready: pulumi.Resource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(token("Monitoring"), name, None, opts)
        self.url = f"https://localhost:{args.port}"
        self.certificates = {
            host: ServerCertificate(
                f"{name}-{host}-tls",
                ServerCertificateArgs(
                    host, [host, "localhost"], [LOOPBACK], args.certificate_validity_days, args.certificate_rotation
                ),
                authorities.signing,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for host in (PROMETHEUS_HOST, files.ALERTMANAGER_HOST)
        }
        self.lag_exporter, self.certificates["lag-exporter"] = consumer_lag_exporter(
            f"{name}-consumer-lag",
            args.lag_exporter,
            network,
            authorities,
            connections,
            credentials.lag_password,
            credentials.scrape_password,
            # Its user and bindings are made once Kafka serves.
            pulumi.ResourceOptions(parent=self, depends_on=[kafka_ready]),
        )
        login = credentials.login_password
        web = pulumi.Output.secret(login.apply(files.web_config))
        common = [ContainerFile(files.WEB_FILE, web), ContainerFile(files.CA_FILE, authorities.bundle_pem)]
        self.alertmanager = self._alertmanager(name, args, network, common)
        expiry = pulumi.Output.all(**args.certificate_expiry, **self._own_expiry()).apply(
            lambda ends: rules_file(args.lag_alert_records, ends)
        )
        spec = ServiceSpec(
            container_name=f"{args.prefix}-{PROMETHEUS_HOST}",
            hostname=PROMETHEUS_HOST,
            image=args.image,
            command=[
                "/usr/bin/prometheus",
                f"--config.file={files.PROMETHEUS_FILE}",
                f"--web.config.file={files.WEB_FILE}",
                f"--web.listen-address=:{files.PROMETHEUS_PORT}",
                f"--web.external-url={self.url}/",
                f"--storage.tsdb.path={DATA_PATH}/metrics2",
                f"--storage.tsdb.retention.time={args.retention_days}d",
            ],
            files=[
                *common,
                ContainerFile(
                    files.PROMETHEUS_FILE, files.prometheus_config(args.kinds, interval_s=args.scrape_seconds)
                ),
                ContainerFile(files.RULES_FILE, expiry),
                ContainerFile(files.AGENT_PASSWORD_FILE, credentials.scrape_password),
                ContainerFile(files.LOGIN_PASSWORD_FILE, login),
                ContainerFile(files.SERVER_PEM, self.certificates[PROMETHEUS_HOST].keystore_pem),
            ],
            health_command=tls_health(files.PROMETHEUS_PORT, files.CA_FILE),
            memory_mb=args.memory_mb,
            cpu_millicores=PROMETHEUS_CPU_MILLICORES,
            pids_limit=go_service_pids_limit(),
            config_dir=files.CONFIG_DIR,
            data_volume=docker.Volume(
                f"{name}-prometheus-data",
                name=f"{args.prefix}-{PROMETHEUS_HOST}-data",
                opts=pulumi.ResourceOptions(parent=self, protect=args.protect_data, delete_before_replace=True),
            ).name,
            data_path=DATA_PATH,
            ports={files.PROMETHEUS_PORT: args.port},
            user="prometheus",
            start_period_s=30,
            tmp_exec=False,
        )
        # Started once Kafka serves: scrapes of brokers still starting would only take CPU from their start.
        self.prometheus = service_container(
            f"{name}-prometheus",
            spec,
            network,
            pulumi.ResourceOptions(parent=self, depends_on=[self.alertmanager, kafka_ready]),
        )
        self.register_outputs({"url": self.url})

    def _own_expiry(self) -> dict[str, pulumi.Output[str]]:
        return {host: certificate.expires_at for host, certificate in self.certificates.items()}

    def _alertmanager(
        self, name: str, args: MonitoringArgs, network: DockerNetwork, common: list[ContainerFile]
    ) -> docker.Container:
        receiver = pulumi.Output.secret(pulumi.Output.from_input(args.webhook_url).apply(files.alertmanager_config))
        spec = ServiceSpec(
            container_name=f"{args.prefix}-{files.ALERTMANAGER_HOST}",
            hostname=files.ALERTMANAGER_HOST,
            image=args.image,
            command=[
                "/usr/bin/prometheus-alertmanager",
                f"--config.file={files.ALERTMANAGER_FILE}",
                f"--web.config.file={files.WEB_FILE}",
                f"--web.listen-address=:{files.ALERTMANAGER_PORT}",
                # Silences and notification state in the tmpfs: a restart forgets them (no data volume to keep).
                "--storage.path=/tmp/alertmanager",
                # One instance: no gossip cluster port.
                "--cluster.listen-address=",
            ],
            files=[
                *common,
                ContainerFile(files.ALERTMANAGER_FILE, receiver),
                ContainerFile(files.SERVER_PEM, self.certificates[files.ALERTMANAGER_HOST].keystore_pem),
            ],
            health_command=tls_health(files.ALERTMANAGER_PORT, files.CA_FILE),
            memory_mb=ALERTMANAGER_MEMORY_MB,
            cpu_millicores=ALERTMANAGER_CPU_MILLICORES,
            pids_limit=go_service_pids_limit(),
            config_dir=files.CONFIG_DIR,
            user="prometheus",
            start_period_s=30,
            tmp_exec=False,
        )
        return service_container(f"{name}-alertmanager", spec, network, pulumi.ResourceOptions(parent=self))


def stack_monitoring(
    name: str,
    settings: Settings,
    network: DockerNetwork,
    authorities: Authorities,
    credentials: MetricsCredentials,
    certificate_expiry: Mapping[str, pulumi.Output[str]],
    connections: Connections,
    internal_bootstrap_servers: str,
    kafka_ready: pulumi.Resource,
    opts: pulumi.ResourceOptions,
) -> Monitoring:
    """The stack's Prometheus and Alertmanager, scraping every node a stack of its shape runs."""
    image = docker.RemoteImage(f"{name}-monitoring-image", name=settings.monitoring_image, keep_locally=True, opts=opts)
    return Monitoring(
        f"{name}-monitoring",
        MonitoringArgs(
            prefix=settings.prefix,
            image=image.image_id,
            port=settings.prometheus_port,
            kinds=node_kinds(settings.brokers, settings.ensemble, settings.controllers, lag_exporter=True),
            scrape_seconds=settings.metrics_scrape_seconds,
            retention_days=settings.metrics_retention_days,
            memory_mb=settings.prometheus_memory_mb,
            webhook_url=pulumi.Output.secret(settings.alert_webhook_url),
            lag_alert_records=settings.consumer_lag_alert_records,
            certificate_expiry=dict(certificate_expiry),
            certificate_validity_days=settings.certificate_validity_days,
            certificate_rotation=settings.certificate_rotation,
            lag_exporter=ConsumerLagExporterArgs(
                prefix=settings.prefix,
                image=image.image_id,
                bootstrap_servers=internal_bootstrap_servers,
                catalog=settings.catalog,
                scram_iterations=settings.scram_iterations,
                certificate_validity_days=settings.certificate_validity_days,
                certificate_rotation=settings.certificate_rotation,
            ),
            protect_data=settings.protect_data,
        ),
        network,
        authorities,
        credentials,
        connections,
        kafka_ready,
        opts=opts,
    )
