"""How a stack's metadata quorum serves, as one probe reports it for either kind (components/clients/
quorum_probe.py): which nodes serve in which role, which node leads, and what is wrong. The roll orders its
restarts from it, the `health` command shows it. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ZOOKEEPER, KRAFT = "zookeeper", "kraft"
KINDS = (ZOOKEEPER, KRAFT)
LEADER, FOLLOWER, STANDALONE, OBSERVER = "leader", "follower", "standalone", "observer"
SERVING = (LEADER, FOLLOWER, STANDALONE)


@dataclass(frozen=True)
class QuorumNode:
    name: str
    """The node's host name in the platform's network: zookeeper-<i> or controller-<i>."""
    role: str | None
    """leader, follower, standalone or observer; None when it does not serve."""


@dataclass(frozen=True)
class QuorumStatus:
    kind: str
    """zookeeper or kraft."""
    nodes: tuple[QuorumNode, ...]
    """Every node the stack declares, in index order."""
    active_controller: int | None
    """KRaft: the node id of the quorum's leader (the active controller); ZooKeeper: the controller broker's id.
    None when there is none or it is not known."""
    problems: tuple[str, ...] = ()
    """What is wrong, one line each; empty when the quorum is healthy."""

    @property
    def healthy(self) -> bool:
        return not self.problems


def quorum(nodes: int) -> int:
    """Nodes that must serve for the quorum to serve."""
    return nodes // 2 + 1


def problems(kind: str, nodes: Sequence[QuorumNode]) -> tuple[str, ...]:
    """What is wrong with a quorum whose nodes report `nodes`: nodes not serving, no leader, no majority."""
    found = [f"{node.name} does not serve" for node in nodes if node.role is None]
    serving = [node for node in nodes if node.role in SERVING]
    leaders = [node for node in nodes if node.role in (LEADER, STANDALONE)]
    if nodes and len(serving) < quorum(len(nodes)):
        found.append(
            f"only {len(serving)} of {len(nodes)} {kind} node(s) serve; a majority of {quorum(len(nodes))} must"
        )
    elif nodes and len(leaders) != 1:
        found.append(
            f"{len(leaders)} {kind} leaders ({', '.join(node.name for node in leaders) or 'none'}); one must lead"
        )
    return tuple(found)


def status(kind: str, roles: Mapping[str, str | None], active_controller: int | None) -> QuorumStatus:
    """The status of a quorum whose nodes (host name -> role, in index order) report `roles`."""
    nodes = tuple(QuorumNode(name, role) for name, role in roles.items())
    return QuorumStatus(kind, nodes, active_controller, problems(kind, nodes))


# A follower counts as serving while it has caught up with the leader within this long.
CAUGHT_UP_MS = 15_000


def kraft_roles(replication: str, controllers: int, healthy: Sequence[int], now_ms: int) -> dict[int, str | None]:
    """Each controller's role (by index) from `kafka-metadata-quorum describe --replication` as the leader reports
    it: the leader, followers that caught up within CAUGHT_UP_MS; None for a controller whose container is not
    healthy or that lags. Brokers (observers) are left out. `healthy`: the indexes whose containers pass their
    health check."""
    from components.rules.layout import CONTROLLER_ID_BASE

    lines = [line.split() for line in replication.splitlines() if line.strip()]
    header = next((line for line in lines if "NodeId" in line and "Status" in line), None)
    roles: dict[int, str | None] = dict.fromkeys(range(controllers))
    if header is None:
        return roles
    for row in lines[lines.index(header) + 1 :]:
        if len(row) != len(header) or not row[0].isdigit():
            continue
        fields = dict(zip(header, row, strict=True))
        index = int(fields["NodeId"]) - CONTROLLER_ID_BASE
        if index not in roles or index not in healthy:
            continue
        state = fields["Status"].lower()
        caught_up = fields.get("LastCaughtUpTimestamp", "0")
        if state == LEADER or (state == FOLLOWER and caught_up.isdigit() and now_ms - int(caught_up) <= CAUGHT_UP_MS):
            roles[index] = state
    return roles


def leader_id(replication: str) -> int | None:
    """The node id the replication table names Leader."""
    for line in replication.splitlines():
        row = line.split()
        if row and row[0].isdigit() and row[-1] == "Leader":
            return int(row[0])
    return None
