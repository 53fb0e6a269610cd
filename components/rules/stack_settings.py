"""A stack's settings and their limits. Every config key is declared once, as a field of `Settings` carrying its
key, default and what is allowed; `Pulumi.yaml` declares the same keys (a unit test keeps the two equal).

Pure: `infra/settings.py` hands in the stack's raw config and the catalog it read.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from components.rules import ca_rotation as rotation
from components.rules import kafka_release, kafka_upgrade, migration_phase, prometheus_config
from components.rules import platform_target as target
from components.rules import quorum_settings as quorum
from components.rules.catalog import Catalog

PROJECT = "caracal-kafka"
IMAGE_OF_VERSION = "caracal/kafka:<kafkaVersion>-jmx<agent version>"
CONFIG_PREFIX = f"{PROJECT}:"


class SettingsError(ValueError):
    """Every invalid setting, one per line, each naming the key, the value and what is allowed."""

    def __init__(self, problems: list[str]) -> None:
        # One cause, one line: a problem found twice (by two checks, or for two parts) is reported once.
        self.problems = list(dict.fromkeys(problems))
        super().__init__("invalid stack configuration:\n  " + "\n  ".join(self.problems))


@dataclass(frozen=True)
class ConfigKey:
    key: str
    """The key in the stack's config, without the project prefix."""
    default: Any
    """The value when the stack does not set it (also Pulumi.yaml's default)."""
    allowed: str
    """What is allowed, as an error message says it."""
    valid: Callable[[Any], bool]
    """True for an allowed value (already converted to the field's type)."""
    secret: bool = False
    """Must be set with `pulumi config set --secret`; its value is never repeated in a message."""


def _key(key: str, default: Any, allowed: str, valid: Callable[[Any], bool]) -> Any:
    return field(metadata={"config": ConfigKey(key, default, allowed, valid)})


def _optional(key: str, allowed: str, valid: Callable[[str], bool], secret: bool = False) -> Any:
    """A text setting that may stay empty; set, it must be allowed. A secret one never shows in a repr."""
    spec = ConfigKey(key, "", allowed, lambda value: value == "" or valid(value), secret)
    return field(repr=not secret, metadata={"config": spec})


def _between(key: str, default: int, low: int, high: int) -> Any:
    return _key(key, default, f"an integer from {low} to {high}", lambda value: low <= value <= high)


def _port(key: str, default: int) -> Any:
    return _between(key, default, 1024, 65535)


def is_webhook_url(text: str) -> bool:
    return (
        text.startswith(("http://", "https://")) and len(text) > len("https://") and not any(c.isspace() for c in text)
    )


def _text(key: str, default: str) -> Any:
    return _key(key, default, "a non-empty string", lambda value: bool(value.strip()))


@dataclass(frozen=True)
class Settings:
    stack: str
    """Stack name; every Docker object is named caracal-<stack>-…"""
    catalog: Catalog
    """The catalog, validated."""
    metadata_quorum: str = _key("metadataQuorum", quorum.ZOOKEEPER, quorum.KINDS_ALLOWED, lambda v: v in quorum.KINDS)
    """Where the cluster keeps its metadata: a ZooKeeper ensemble or KRaft controllers."""
    controllers: int = _key(
        "controllers", 0, f"an integer from 0 to {quorum.MAX_CONTROLLERS}", quorum.is_controller_count
    )
    """KRaft controllers (odd); 0 on a ZooKeeper stack."""
    metadata_migration: str = _key(
        migration_phase.KEY,
        migration_phase.NONE,
        migration_phase.ALLOWED,
        lambda value: value in migration_phase.ORDER,
    )
    """The step of a ZooKeeper-to-KRaft migration this `up` takes the running cluster to (with controllers set);
    empty: no migration."""
    zookeeper_nodes: int = _key(
        "zookeeperNodes", 1, "an odd integer from 1 to 7", lambda value: 1 <= value <= 7 and value % 2 == 1
    )
    """ZooKeeper ensemble size (odd)."""
    brokers: int = _between("brokers", 1, 1, 9)
    """Kafka broker count."""
    replication_factor: int = _between("replicationFactor", 1, 1, 9)
    """Default replicas per partition, also for internal topics."""
    min_insync_replicas: int = _between("minInsyncReplicas", 1, 1, 9)
    """Replicas that must acknowledge an acks=all write."""
    retention_days: int = _between("retentionDays", 7, 1, 3650)
    """Default topic retention."""
    protect_data: bool = _key("protectData", False, "true or false", lambda value: True)
    """Protect topics and subjects from deletion (Pulumi `protect`)."""
    platform: str = _key("platform", target.DOCKER, "docker or external", lambda value: value in target.PLATFORMS)
    """docker: the stack runs its own cluster and registry; external: it manages an existing one's catalog."""
    sasl_mechanisms: str = _key(
        "saslMechanisms",
        "SCRAM-SHA-512",
        "SCRAM-SHA-512, optionally with SCRAM-SHA-256 (comma-separated)",
        target.is_broker_mechanisms,
    )
    """docker: the SASL mechanisms the brokers offer (the admin gets a credential for each)."""
    external_bootstrap_servers: str = _optional(
        "externalBootstrapServers", target.BOOTSTRAP_ALLOWED, target.is_bootstrap_servers
    )
    """external: the cluster's bootstrap servers."""
    external_sasl_mechanism: str = _key(
        "externalSaslMechanism",
        "SCRAM-SHA-512",
        ", ".join(target.ADMIN_MECHANISMS),
        lambda value: value in target.ADMIN_MECHANISMS,
    )
    """external: the SASL mechanism the admin identity logs in with."""
    external_username: str = _optional("externalUsername", "a user name without blanks", lambda v: " " not in v)
    """external: the admin identity (a user with rights on topics, ACLs, users and quotas)."""
    external_password: str = _optional("externalPassword", "a password", bool, secret=True)
    """external: the admin identity's password (secret)."""
    external_ca_pem: str = _optional("externalCaPem", target.CERTIFICATES_ALLOWED, target.is_certificates_pem)
    """external: the CA the brokers' certificates are signed by; empty trusts the system's CAs."""
    external_client_certificate_pem: str = _optional(
        "externalClientCertificatePem", "a PEM client certificate (chain)", target.is_certificates_pem
    )
    """external: a client certificate the brokers require (mutual TLS beside SASL), or empty."""
    external_client_key_pem: str = _optional(
        "externalClientKeyPem", target.PRIVATE_KEY_ALLOWED, target.is_private_key_pem, secret=True
    )
    """external: the client certificate's key (secret)."""
    external_registry_url: str = _optional("externalRegistryUrl", target.URL_ALLOWED, target.is_registry_url)
    """external: the schema registry's Confluent-compatible API."""
    external_registry_username: str = _optional(
        "externalRegistryUsername", "a user name (or API key) without blanks", lambda v: " " not in v
    )
    """external: the registry login (HTTP basic auth)."""
    external_registry_password: str = _optional("externalRegistryPassword", "a password", bool, secret=True)
    """external: the registry login's password (secret)."""
    external_registry_ca_pem: str = _optional(
        "externalRegistryCaPem", target.CERTIFICATES_ALLOWED, target.is_certificates_pem
    )
    """external: the CA of the registry's HTTPS certificate; empty trusts the system's CAs."""
    kafka_version: str = _key(
        kafka_upgrade.VERSION_KEY, kafka_release.DEFAULT, kafka_release.ALLOWED, lambda v: v in kafka_release.RELEASES
    )
    """The Kafka release the program configures the nodes for (their files, logging and tools)."""
    kafka_metadata_version: str = _optional(
        kafka_upgrade.METADATA_KEY,
        f"empty, or one of {', '.join(kafka_release.METADATA_LEVELS)}",
        lambda value: value in kafka_release.METADATA_LEVELS,
    )
    """KRaft: the metadata.version to raise the cluster to, in an `up` after the roll to kafkaVersion; empty keeps
    the cluster's."""
    kafka_image: str = _optional(
        "kafkaImage", f"empty (the image of kafkaVersion, {IMAGE_OF_VERSION}) or an image name", lambda v: " " not in v
    )
    """Image that runs ZooKeeper and Kafka: the stack's kafkaImage, else the image of kafkaVersion."""
    registry_image: str = _text("registryImage", "caracal/schema-registry:apicurio-3.0.9")
    """Image that runs the schema registry."""
    registry_proxy_image: str = _text("registryProxyImage", "caracal/registry-proxy:bookworm-haproxy")
    """Image that runs the registry's authenticating HTTPS proxy (HAProxy)."""
    monitoring_image: str = _text("monitoringImage", "caracal/monitoring:bookworm-prometheus")
    """Image that runs Prometheus and Alertmanager (with metrics: true)."""
    bootstrap_port: int = _port("bootstrapPort", 19093)
    """Port on 127.0.0.1 of broker 0; broker i listens on bootstrap_port + i."""
    registry_port: int = _port("registryPort", 18081)
    """Port on 127.0.0.1 of the registry's HTTPS endpoint."""
    zookeeper_memory_mb: int = _between("zookeeperMemoryMb", 512, 128, 65536)
    """Container memory limit of each ZooKeeper node."""
    zookeeper_heap_mb: int = _between("zookeeperHeapMb", 256, 64, 65536)
    """JVM heap of each ZooKeeper node."""
    controller_memory_mb: int = _between("controllerMemoryMb", 768, 256, 65536)
    """Container memory limit of each KRaft controller."""
    controller_heap_mb: int = _between("controllerHeapMb", 384, 128, 65536)
    """JVM heap of each KRaft controller."""
    controller_cpu_millicores: int = _between("controllerCpuMillicores", 1000, 100, 64000)
    """CPU limit of each KRaft controller, in thousandths of a CPU."""
    broker_memory_mb: int = _between("brokerMemoryMb", 1536, 256, 65536)
    """Container memory limit of each broker."""
    broker_heap_mb: int = _between("brokerHeapMb", 768, 128, 65536)
    """JVM heap of each broker."""
    registry_memory_mb: int = _between("registryMemoryMb", 1024, 256, 65536)
    """Container memory limit of the registry."""
    registry_heap_mb: int = _between("registryHeapMb", 512, 128, 65536)
    """JVM heap of the registry."""
    zookeeper_cpu_millicores: int = _between("zookeeperCpuMillicores", 1000, 100, 64000)
    """CPU limit of each ZooKeeper node, in thousandths of a CPU."""
    broker_cpu_millicores: int = _between("brokerCpuMillicores", 1500, 100, 64000)
    """CPU limit of each broker, in thousandths of a CPU."""
    registry_cpu_millicores: int = _between("registryCpuMillicores", 1500, 100, 64000)
    """CPU limit of the registry, in thousandths of a CPU."""
    registry_proxy_cpu_millicores: int = _between("registryProxyCpuMillicores", 500, 100, 64000)
    """CPU limit of the registry's proxy, in thousandths of a CPU."""
    scram_iterations: int = _between("scramIterations", 8192, 4096, 16384)
    """SCRAM-SHA-512 iteration count for every user."""
    ca_validity_days: int = _between("caValidityDays", 3650, 1, 36500)
    """Validity of the certificate authority."""
    certificate_validity_days: int = _between("certificateValidityDays", 365, 1, 3650)
    """Validity of broker and registry certificates."""
    certificate_rotation: int = _between("certificateRotation", 0, 0, 1_000_000)
    """Raise it to re-issue every server certificate and key now (each service rolls); renewal before expiry is
    automatic."""
    ca_generation: int = _between("caGeneration", 0, 0, 1000)
    """The certificate authority generation; a new one is brought in by a rotation (caRotation)."""
    ca_rotation: str = _key("caRotation", rotation.NONE, rotation.PHASES_ALLOWED, lambda v: v in rotation.PHASES)
    """Step of a CA rotation to caGeneration: trust (both trusted, the old signs), sign (both trusted, the new
    signs), none (the new alone)."""
    allow_min_insync_equal_replicas: bool = _key(
        "allowMinInsyncEqualReplicas", False, "true or false", lambda value: True
    )
    """Accept min.insync.replicas equal to the replication factor: acks=all writes stop whenever one broker is down
    (also during every rolling restart)."""
    allow_broker_removal: bool = _key("allowBrokerRemoval", False, "true or false", lambda value: True)
    """Consent to remove brokers the stack no longer declares: their replicas are moved to the brokers that stay
    first, and each is stopped only once it holds none."""
    metrics: bool = _key("metrics", False, "true or false", lambda value: True)
    """docker: Prometheus metrics from every node (JMX exporter agents), Prometheus with the alert rules,
    Alertmanager and the consumer-lag exporter."""
    prometheus_port: int = _port("prometheusPort", 19090)
    """Port on 127.0.0.1 of Prometheus's HTTPS endpoint (with metrics: true)."""
    metrics_scrape_seconds: int = _between(
        "metricsScrapeSeconds", prometheus_config.SCRAPE_INTERVAL_S, *prometheus_config.SCRAPE_INTERVAL_ALLOWED
    )
    """How often Prometheus scrapes every node and evaluates the alert rules, in seconds. At most 120, so that the
    rules' 5-minute rates always hold more than one sample."""
    metrics_retention_days: int = _between("metricsRetentionDays", 15, 1, 3650)
    """How long Prometheus keeps samples."""
    prometheus_memory_mb: int = _between("prometheusMemoryMb", 512, 192, 65536)
    """Container memory limit of Prometheus."""
    alert_webhook_url: str = _optional("alertWebhookUrl", "an http:// or https:// URL", is_webhook_url, secret=True)
    """Where Alertmanager posts firing and resolved alerts (its webhook format); empty: alerts are only shown in
    Prometheus. Secret, as such URLs often carry a token."""
    consumer_lag_alert_records: int = _between("consumerLagAlertRecords", 1000, 1, 1_000_000_000)
    """A consumer group's lag on a topic (records) at or above which the lag alert fires."""
    reassign_throttle_mbps: int = _between("reassignThrottleMBps", 10, 1, 10000)
    """Replication throttle of partition reassignments (replication factor changes, brokers added or removed),
    in MiB/s per broker: the copying leaves the rest of the bandwidth and CPU to clients."""
    catalog_file: str = _text("catalog", "stacks/catalog.yaml")
    """The catalog file, relative to the project root."""
    schemas_dir: str = _text("schemasDir", "schemas")
    """The folder the catalog's .avsc files are relative to."""

    @property
    def prefix(self) -> str:
        """Prefix of every Docker object of this stack."""
        return f"caracal-{self.stack}"

    @property
    def kraft(self) -> bool:
        """The metadata quorum is KRaft controllers (no ZooKeeper)."""
        return self.metadata_quorum == quorum.KRAFT

    @property
    def finalized(self) -> bool:
        """The stack runs as a KRaft stack: born so, or migrated up to finalize."""
        return self.kraft or self.metadata_migration == migration_phase.FINALIZE

    @property
    def migrating(self) -> bool:
        """Controllers run beside the ZooKeeper ensemble: a migration step before finalize."""
        return not self.finalized and bool(self.metadata_migration)

    @property
    def ensemble(self) -> int:
        """ZooKeeper nodes the stack runs: none on a KRaft stack (nor once a migration is finalized)."""
        return 0 if self.finalized else self.zookeeper_nodes

    @property
    def retention_ms(self) -> str:
        return str(self.retention_days * 86_400_000)

    @property
    def trust(self) -> rotation.Trust:
        """The CA generations trusted and the one signing, at this step of a rotation."""
        return rotation.trust(self.ca_generation, self.ca_rotation)

    @property
    def redundant(self) -> bool:
        """True when a broker can restart while every partition keeps taking acks=all writes."""
        return self.brokers > 1 and self.replication_factor > self.min_insync_replicas

    @property
    def registry_url(self) -> str:
        """Where clients on this host reach the registry's Confluent-compatible API."""
        if self.external:
            return self.external_registry_url
        return f"https://localhost:{self.registry_port}/apis/ccompat/v7"

    @property
    def external(self) -> bool:
        """The stack manages the catalog of a cluster it does not run."""
        return self.platform == target.EXTERNAL

    @property
    def broker_mechanisms(self) -> tuple[str, ...]:
        """docker: the SASL mechanisms the brokers offer, SCRAM-SHA-512 first."""
        chosen = target.mechanism_list(self.sasl_mechanisms)
        return tuple(mechanism for mechanism in target.BROKER_MECHANISMS if mechanism in chosen)


# The one table of config keys: field name -> its key, default and limits, read from Settings itself.
CONFIG_KEYS: dict[str, ConfigKey] = {item.name: item.metadata["config"] for item in fields(Settings) if item.metadata}
_TYPES = {item.name: item.type for item in fields(Settings)}


def _convert(kind: str, raw: Any) -> Any:
    text = str(raw).strip()
    if kind == "int":
        if isinstance(raw, bool) or not text.lstrip("-").isdigit():
            raise ValueError
        return int(text)
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError
        return text.lower() == "true"
    return text


def config_values(raw: Mapping[str, Any], secret_keys: Collection[str] = ()) -> tuple[dict[str, Any], list[str]]:
    """Each setting's value by field name (the default where the stack sets none or an invalid one), and every
    problem: unknown keys, values not allowed, secrets set in plaintext, and settings that contradict each other.
    `secret_keys`: the full keys the stack holds as secrets."""
    problems: list[str] = []
    known = {spec.key for spec in CONFIG_KEYS.values()}
    for full_key in sorted(raw):
        if full_key.startswith(CONFIG_PREFIX) and full_key.removeprefix(CONFIG_PREFIX) not in known:
            problems.append(f"{full_key}: unknown key; allowed: {', '.join(sorted(known))}")
    values: dict[str, Any] = {}
    for name, spec in CONFIG_KEYS.items():
        full_key = CONFIG_PREFIX + spec.key
        values[name] = spec.default
        if full_key not in raw:
            continue
        # The engine hands in Pulumi.yaml's defaults too: an empty secret is one the stack does not set.
        if spec.secret and full_key not in secret_keys and str(raw[full_key]) != spec.default:
            # Refused rather than used: a plaintext password would sit in the stack file and in the state.
            problems.append(
                f"{full_key}: set in plaintext; allowed: a secret, set with `pulumi config set --secret {spec.key}`"
            )
            continue
        try:
            # A secret is taken as given: blanks at either end may belong to a password.
            value = str(raw[full_key]) if spec.secret else _convert(_TYPES[name], raw[full_key])
        except ValueError:
            value = None
        if value is None or not spec.valid(value):
            shown = "[secret]" if spec.secret else repr(raw[full_key])
            problems.append(f"{full_key} = {shown}: not allowed; allowed: {spec.allowed}")
        else:
            values[name] = value
    # kafkaImage wins when set; unset, it is the image built for kafkaVersion (so every reader of kafka_image sees
    # the image the nodes run).
    values["kafka_image"] = values["kafka_image"] or kafka_release.parse(values["kafka_version"]).image
    # A key whose value was refused above is not reported again as missing or contradicting another.
    refused = {problem.split(" ", 1)[0].rstrip(":") for problem in problems}
    return values, problems + [item for item in _cross_checks(values) if item.split(" ", 1)[0] not in refused]


def _problem(name: str, values: Mapping[str, Any], allowed: str) -> str:
    shown = "[secret]" if CONFIG_KEYS[name].secret and values[name] else repr(values[name])
    return f"{CONFIG_PREFIX}{CONFIG_KEYS[name].key} = {shown}: not allowed; allowed: {allowed}"


def _cross_checks(values: Mapping[str, Any]) -> list[str]:
    problems = []

    def require(ok: bool, name: str, allowed: str) -> None:
        if not ok:
            problems.append(_problem(name, values, allowed))

    # On an external stack replicationFactor is that of the catalog topics that set none, and the cluster's brokers
    # are not the stack's: the preview judges it against the brokers the cluster lists.
    require(
        values["replication_factor"] <= values["brokers"] or values["platform"] == target.EXTERNAL,
        "replication_factor",
        f"at most brokers ({values['brokers']})",
    )
    require(
        values["min_insync_replicas"] <= values["replication_factor"],
        "min_insync_replicas",
        f"at most replicationFactor ({values['replication_factor']})",
    )
    for part in ("zookeeper", "controller", "broker", "registry"):
        heap, memory = f"{part}_heap_mb", f"{part}_memory_mb"
        require(values[heap] < values[memory], heap, f"less than {part}MemoryMb ({values[memory]})")
    broker_ports = range(values["bootstrap_port"], values["bootstrap_port"] + values["brokers"])
    require(
        values["registry_port"] not in broker_ports,
        "registry_port",
        f"a port outside the brokers' {broker_ports.start}-{broker_ports.stop - 1}",
    )
    require(
        values["prometheus_port"] not in (*broker_ports, values["registry_port"]),
        "prometheus_port",
        f"a port outside the brokers' {broker_ports.start}-{broker_ports.stop - 1} and registryPort",
    )
    require(
        not (values["metrics"] and values["platform"] == target.EXTERNAL),
        "metrics",
        "false with platform = external: the stack runs none of that cluster's nodes to attach exporters to",
    )
    require(broker_ports.stop - 1 <= 65535, "bootstrap_port", f"at most {65536 - values['brokers']}")
    require(
        values["certificate_validity_days"] <= values["ca_validity_days"],
        "certificate_validity_days",
        f"at most caValidityDays ({values['ca_validity_days']})",
    )
    require(
        values["ca_rotation"] == rotation.NONE or values["ca_generation"] >= 1,
        "ca_rotation",
        "none while caGeneration is 0 (a rotation brings in generation 1 or later)",
    )
    require(
        values["replication_factor"] == 1
        or values["min_insync_replicas"] < values["replication_factor"]
        or values["allow_min_insync_equal_replicas"],
        "min_insync_replicas",
        f"less than replicationFactor ({values['replication_factor']}): with both equal, acks=all writes stop "
        "whenever one broker is down, also during every rolling restart; set allowMinInsyncEqualReplicas: true "
        "to accept that",
    )
    if values["platform"] == target.DOCKER:
        refusals = kafka_upgrade.settings_refusals(
            values["kafka_version"], values["kafka_metadata_version"], values["metadata_quorum"]
        )
        problems += [refusal.message(CONFIG_PREFIX) for refusal in refusals]
    defaults = {name: spec.default for name, spec in CONFIG_KEYS.items()}
    problems += target.platform_problems(values, defaults, lambda name, allowed: _problem(name, values, allowed))
    problems += quorum.quorum_problems(values, defaults, lambda name, allowed: _problem(name, values, allowed))
    problems += [
        _problem(name, values, allowed) for name, allowed in migration_phase.settings_problems(values, quorum.KRAFT)
    ]
    return problems
