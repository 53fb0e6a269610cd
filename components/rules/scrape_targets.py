"""What Prometheus scrapes on a stack: one job per kind of node, each node by its host name on the stack's Docker
network. A new kind of node (KRaft controllers) is one more `NodeKind` in `node_kinds`."""

from __future__ import annotations

from dataclasses import dataclass

from components.rules import layout
from components.rules.metrics_agent import AGENT_PORT

REGISTRY_HOST = "schema-registry"
REGISTRY_HTTPS_PORT = 8443
LAG_EXPORTER_HOST = "consumer-lag"
LAG_EXPORTER_PORT = 9308


@dataclass(frozen=True)
class NodeKind:
    job: str
    """The Prometheus job (and the `job` label of every series)."""
    hosts: tuple[str, ...]
    """Host names on the stack's network."""
    port: int
    """Port of the metrics endpoint."""
    basic_auth: bool = True
    """The endpoint asks for the scrape credential (the JMX agents and the lag exporter do)."""


def node_kinds(
    brokers: int, zookeeper_nodes: int, controllers: int = 0, lag_exporter: bool = False
) -> tuple[NodeKind, ...]:
    """Every kind of node a stack of this shape runs, with its endpoints."""
    kinds = [
        NodeKind("kafka", tuple(layout.broker_host(index) for index in range(brokers)), AGENT_PORT),
        NodeKind("zookeeper", tuple(layout.zookeeper_host(index) for index in range(zookeeper_nodes)), AGENT_PORT),
        NodeKind("controller", tuple(f"controller-{index}" for index in range(controllers)), AGENT_PORT),
        # Apicurio's /metrics on its own HTTPS port, which only the stack's network reaches (the host reaches the
        # registry through its authenticating proxy alone).
        NodeKind("schema-registry", (REGISTRY_HOST,), REGISTRY_HTTPS_PORT, basic_auth=False),
        NodeKind("consumer-lag", (LAG_EXPORTER_HOST,) if lag_exporter else (), LAG_EXPORTER_PORT),
    ]
    return tuple(kind for kind in kinds if kind.hosts)
