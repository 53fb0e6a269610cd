"""The stack's settings: every config key read once, validated, and frozen before any resource is registered."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stacks.catalog import CatalogError, load_catalog
from stacks.model import Catalog

PROJECT = "caracal-kafka"
ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """Every invalid setting, one per line, each naming the key, the value and what is allowed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid stack configuration:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class _Key:
    kind: str
    default: Any
    allowed: str
    valid: Callable[[Any], bool]


def _int(low: int, high: int) -> _Key:
    return _Key("int", None, f"an integer from {low} to {high}", lambda value: low <= value <= high)


def _with_default(key: _Key, default: Any) -> _Key:
    return _Key(key.kind, default, key.allowed, key.valid)


_PORT = _int(1024, 65535)
_TEXT = _Key("str", None, "a non-empty string", lambda value: bool(value.strip()))
_BOOL = _Key("bool", False, "true or false", lambda value: True)

# The one table of config keys. Pulumi.yaml declares the same keys (a unit test keeps the two equal).
KEYS: dict[str, _Key] = {
    "zookeeperNodes": _Key("int", 1, "an odd integer from 1 to 7", lambda value: 1 <= value <= 7 and value % 2),
    "brokers": _with_default(_int(1, 9), 1),
    "replicationFactor": _with_default(_int(1, 9), 1),
    "minInsyncReplicas": _with_default(_int(1, 9), 1),
    "retentionDays": _with_default(_int(1, 3650), 7),
    "protectData": _BOOL,
    "kafkaImage": _with_default(_TEXT, "caracal/kafka:3.9.1"),
    "registryImage": _with_default(_TEXT, "caracal/schema-registry:apicurio-3.0.9"),
    "bootstrapPort": _with_default(_PORT, 19093),
    "registryPort": _with_default(_PORT, 18081),
    "zookeeperMemoryMb": _with_default(_int(128, 65536), 512),
    "zookeeperHeapMb": _with_default(_int(64, 65536), 256),
    "brokerMemoryMb": _with_default(_int(256, 65536), 1536),
    "brokerHeapMb": _with_default(_int(128, 65536), 768),
    "registryMemoryMb": _with_default(_int(256, 65536), 1024),
    "registryHeapMb": _with_default(_int(128, 65536), 512),
    "scramIterations": _with_default(_int(4096, 16384), 8192),
    "caValidityDays": _with_default(_int(1, 36500), 3650),
    "certificateValidityDays": _with_default(_int(1, 3650), 365),
    "catalog": _with_default(_TEXT, "stacks/catalog.yaml"),
    "schemasDir": _with_default(_TEXT, "schemas"),
}


@dataclass(frozen=True)
class Settings:
    stack: str
    """Stack name; every Docker object is named caracal-<stack>-…"""
    zookeeper_nodes: int
    """ZooKeeper ensemble size (odd)."""
    brokers: int
    """Kafka broker count."""
    replication_factor: int
    """Default replicas per partition, also for internal topics."""
    min_insync_replicas: int
    """Replicas that must acknowledge an acks=all write."""
    retention_days: int
    """Default topic retention."""
    protect_data: bool
    """Protect topics and subjects from deletion (Pulumi `protect`)."""
    kafka_image: str
    """Image that runs ZooKeeper and Kafka."""
    registry_image: str
    """Image that runs the schema registry."""
    bootstrap_port: int
    """Port on 127.0.0.1 of broker 0; broker i listens on bootstrap_port + i."""
    registry_port: int
    """Port on 127.0.0.1 of the registry's HTTPS endpoint."""
    zookeeper_memory_mb: int
    """Container memory limit of each ZooKeeper node."""
    zookeeper_heap_mb: int
    """JVM heap of each ZooKeeper node."""
    broker_memory_mb: int
    """Container memory limit of each broker."""
    broker_heap_mb: int
    """JVM heap of each broker."""
    registry_memory_mb: int
    """Container memory limit of the registry."""
    registry_heap_mb: int
    """JVM heap of the registry."""
    scram_iterations: int
    """SCRAM-SHA-512 iteration count for every user."""
    ca_validity_days: int
    """Validity of the certificate authority."""
    certificate_validity_days: int
    """Validity of broker and registry certificates."""
    catalog: Catalog
    """The catalog, validated."""

    @property
    def prefix(self) -> str:
        """Prefix of every Docker object of this stack."""
        return f"caracal-{self.stack}"

    @property
    def retention_ms(self) -> str:
        return str(self.retention_days * 86_400_000)


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


def load_settings(raw: Mapping[str, Any], stack: str, root: Path = ROOT) -> Settings:
    """Validate the stack's raw config (keys `caracal-kafka:<key>`) and return the frozen settings."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    prefix = f"{PROJECT}:"
    for full_key in sorted(raw):
        if full_key.startswith(prefix) and full_key[len(prefix) :] not in KEYS:
            problems.append(f"{full_key}: unknown key; allowed: {', '.join(sorted(KEYS))}")
    for key, spec in KEYS.items():
        full_key = prefix + key
        if full_key not in raw:
            values[key] = spec.default
            continue
        try:
            value = _convert(spec.kind, raw[full_key])
            if not spec.valid(value):
                raise ValueError
            values[key] = value
        except ValueError:
            problems.append(f"{full_key} = {raw[full_key]!r}: not allowed; allowed: {spec.allowed}")
            values[key] = spec.default
    problems += _cross_checks(values, prefix)
    catalog = None
    try:
        catalog = load_catalog(root / values["catalog"], root / values["schemasDir"])
    except CatalogError as error:
        problems += [f"{prefix}catalog ({values['catalog']}): {problem}" for problem in error.problems]
    if catalog is not None:
        problems += _catalog_checks(catalog, values, prefix)
    if problems or catalog is None:
        raise SettingsError(problems)
    return Settings(
        stack=stack,
        zookeeper_nodes=values["zookeeperNodes"],
        brokers=values["brokers"],
        replication_factor=values["replicationFactor"],
        min_insync_replicas=values["minInsyncReplicas"],
        retention_days=values["retentionDays"],
        protect_data=values["protectData"],
        kafka_image=values["kafkaImage"],
        registry_image=values["registryImage"],
        bootstrap_port=values["bootstrapPort"],
        registry_port=values["registryPort"],
        zookeeper_memory_mb=values["zookeeperMemoryMb"],
        zookeeper_heap_mb=values["zookeeperHeapMb"],
        broker_memory_mb=values["brokerMemoryMb"],
        broker_heap_mb=values["brokerHeapMb"],
        registry_memory_mb=values["registryMemoryMb"],
        registry_heap_mb=values["registryHeapMb"],
        scram_iterations=values["scramIterations"],
        ca_validity_days=values["caValidityDays"],
        certificate_validity_days=values["certificateValidityDays"],
        catalog=catalog,
    )


def _cross_checks(values: dict[str, Any], prefix: str) -> list[str]:
    problems = []

    def require(ok: bool, key: str, allowed: str) -> None:
        if not ok:
            problems.append(f"{prefix}{key} = {values[key]!r}: not allowed; allowed: {allowed}")

    require(
        values["replicationFactor"] <= values["brokers"], "replicationFactor", f"at most brokers ({values['brokers']})"
    )
    require(
        values["minInsyncReplicas"] <= values["replicationFactor"],
        "minInsyncReplicas",
        f"at most replicationFactor ({values['replicationFactor']})",
    )
    for part in ("zookeeper", "broker", "registry"):
        require(
            values[f"{part}HeapMb"] < values[f"{part}MemoryMb"],
            f"{part}HeapMb",
            f"less than {part}MemoryMb ({values[f'{part}MemoryMb']})",
        )
    broker_ports = range(values["bootstrapPort"], values["bootstrapPort"] + values["brokers"])
    require(
        values["registryPort"] not in broker_ports,
        "registryPort",
        f"a port outside the brokers' {broker_ports.start}-{broker_ports.stop - 1}",
    )
    require(broker_ports.stop - 1 <= 65535, "bootstrapPort", f"at most {65536 - values['brokers']}")
    require(
        values["certificateValidityDays"] <= values["caValidityDays"],
        "certificateValidityDays",
        f"at most caValidityDays ({values['caValidityDays']})",
    )
    return problems


def _catalog_checks(catalog: Catalog, values: dict[str, Any], prefix: str) -> list[str]:
    """What the catalog asks that this stack's cluster cannot give."""
    problems = []
    for topic in catalog.topics:
        replication = topic.replication_factor or values["replicationFactor"]
        where = f"{prefix}catalog: topics[{topic.name}]"
        if replication > values["brokers"]:
            problems.append(
                f"{where}.replication_factor = {replication}: not allowed; "
                f"allowed: at most brokers ({values['brokers']})"
            )
        min_isr = int(topic.config.get("min.insync.replicas", min(values["minInsyncReplicas"], replication)))
        if min_isr > replication:
            problems.append(
                f"{where}.config.min.insync.replicas = {min_isr}: not allowed; "
                f"allowed: at most the topic's replication factor ({replication})"
            )
    return problems


def raw_config() -> dict[str, Any]:
    """The stack's config as the Pulumi engine hands it to the program (values as strings)."""
    from pulumi.runtime.config import CONFIG, get_config_env

    return {**get_config_env(), **CONFIG.get()}
