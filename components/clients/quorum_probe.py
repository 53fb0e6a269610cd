"""The one probe of a stack's metadata quorum, for either kind: the roll orders restarts by it, the `health`
command reports it, a migration watches it. Each node is asked from inside the platform's network with the
platform's own certificates: neither ZooKeeper nor the controllers are published outside it."""

from __future__ import annotations

from confluent_kafka.admin import AdminClient

from components.clients import cluster_health, zookeeper_probe
from components.rules.layout import zookeeper_host
from components.rules.quorum_status import ZOOKEEPER, QuorumStatus, status


def _controller_broker(admin: AdminClient | None) -> int | None:
    try:
        return cluster_health.controller(admin) if admin else None
    except Exception:  # the cluster does not answer: there is no controller to name
        return None


def probe(prefix: str, zookeeper_nodes: int, controllers: int, admin: AdminClient | None) -> QuorumStatus:
    """How the quorum of the stack whose containers are named `prefix`-… serves now. `admin` (optional) names
    the controller broker of a ZooKeeper stack."""
    roles = {
        zookeeper_host(index): zookeeper_probe.mode(f"{prefix}-{zookeeper_host(index)}")
        for index in range(zookeeper_nodes)
    }
    return status(ZOOKEEPER, roles, _controller_broker(admin))
