"""Asks a running stack's metadata quorum how it is: each ZooKeeper node's mode, from inside its own container
(components/clients/zookeeper_probe.py), and the active controller from the cluster's metadata."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from confluent_kafka.admin import AdminClient

from components.clients import cluster_health, zookeeper_probe
from components.rules.layout import zookeeper_host
from components.rules.quorum_status import QuorumStatus, zookeeper_status


def probe(prefix: str, zookeeper_nodes: int, controllers: int, admin: AdminClient | None) -> QuorumStatus:
    """The quorum of the stack whose containers are named `prefix`-...; `controllers` counts KRaft controllers
    (0 for a ZooKeeper stack). The active controller is None when `admin` is None or the cluster does not answer."""
    names = [zookeeper_host(index) for index in range(zookeeper_nodes)]
    # Each probe is a `docker exec` of a second or so: all nodes at once.
    with ThreadPoolExecutor(max_workers=max(len(names), 1)) as pool:
        modes = list(pool.map(lambda name: zookeeper_probe.mode(f"{prefix}-{name}"), names))
    return zookeeper_status(dict(zip(names, modes, strict=True)), _active_controller(admin))


def _active_controller(admin: AdminClient | None) -> int | None:
    try:
        return cluster_health.controller(admin) if admin is not None else None
    except Exception:
        # An unreachable cluster has no controller to report; the status says so.
        return None
