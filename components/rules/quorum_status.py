"""The state of a stack's metadata quorum, whatever its kind: which nodes serve and in what role, which broker is
the active controller, and what is wrong. Pure: the probe (components/clients/quorum_probe.py) hands in what the
nodes report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ZOOKEEPER = "zookeeper"
KRAFT = "kraft"
# ZooKeeper's own words for a node that serves (`srvr`'s Mode line).
_ZOOKEEPER_SERVING = ("leader", "follower", "standalone", "observer")


@dataclass(frozen=True)
class QuorumNode:
    name: str
    """The node as the stack names it, e.g. zookeeper-1 or controller-3001."""
    role: str | None
    """leader, follower, standalone or observer; None when the node does not serve."""


@dataclass(frozen=True)
class QuorumStatus:
    kind: str
    """zookeeper or kraft."""
    nodes: tuple[QuorumNode, ...]
    active_controller: int | None
    """The node id of the active controller; None while there is none."""
    problems: tuple[str, ...] = ()
    """What is wrong, one sentence each; empty when the quorum is healthy."""

    @property
    def healthy(self) -> bool:
        return not self.problems


def zookeeper_status(roles: Mapping[str, str | None], active_controller: int | None) -> QuorumStatus:
    """The status of a ZooKeeper ensemble from each node's reported mode (None: the node does not serve).

    A majority of the ensemble must serve and exactly one node lead (one standalone node for an ensemble of one);
    every node that does not serve is named, since the ensemble is then one failure closer to losing its quorum."""
    nodes = tuple(QuorumNode(name, role if role in _ZOOKEEPER_SERVING else None) for name, role in roles.items())
    serving = [node for node in nodes if node.role is not None]
    leaders = [node.name for node in nodes if node.role in ("leader", "standalone")]
    problems = [f"{node.name} does not serve" for node in nodes if node.role is None]
    if nodes and len(serving) * 2 <= len(nodes):
        problems.append(f"ZooKeeper has no quorum: {len(serving)} of {len(nodes)} nodes serve")
    elif nodes and len(leaders) != 1:
        problems.append(f"ZooKeeper should have one leader, has {len(leaders)}: {', '.join(leaders) or 'none'}")
    if active_controller is None:
        problems.append("no broker is the active controller")
    return QuorumStatus(ZOOKEEPER, nodes, active_controller, tuple(problems))
