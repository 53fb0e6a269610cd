"""A ZooKeeper ensemble's status from each node's mode: what counts as a quorum and a leader."""

from __future__ import annotations

import pytest

from components.rules.quorum_status import QuorumNode, zookeeper_status


@pytest.mark.parametrize(
    ("roles", "controller", "problems"),
    [
        ({"zookeeper-0": "standalone"}, 0, ()),
        ({"zookeeper-0": "follower", "zookeeper-1": "leader", "zookeeper-2": "follower"}, 2, ()),
        (
            {"zookeeper-0": None},
            None,
            (
                "zookeeper-0 does not serve",
                "ZooKeeper has no quorum: 0 of 1 nodes serve",
                "no broker is the active controller",
            ),
        ),
        # One node down: still a quorum, but named.
        ({"zookeeper-0": None, "zookeeper-1": "leader", "zookeeper-2": "follower"}, 0, ("zookeeper-0 does not serve",)),
        (
            {"zookeeper-0": None, "zookeeper-1": None, "zookeeper-2": "follower"},
            0,
            ("zookeeper-0 does not serve", "zookeeper-1 does not serve", "ZooKeeper has no quorum: 1 of 3 nodes serve"),
        ),
        (
            {"zookeeper-0": "follower", "zookeeper-1": "follower", "zookeeper-2": "follower"},
            0,
            ("ZooKeeper should have one leader, has 0: none",),
        ),
        # A word that is no ZooKeeper mode counts as not serving.
        ({"zookeeper-0": "confused"}, 0, ("zookeeper-0 does not serve", "ZooKeeper has no quorum: 0 of 1 nodes serve")),
    ],
)
def test_zookeeper_status(roles, controller, problems):
    status = zookeeper_status(roles, controller)
    assert status.kind == "zookeeper" and status.active_controller == controller
    assert status.problems == problems
    assert status.healthy is (not problems)


def test_nodes_keep_their_names_and_roles_in_order():
    status = zookeeper_status({"zookeeper-0": "follower", "zookeeper-1": "leader"}, 0)
    assert status.nodes == (QuorumNode("zookeeper-0", "follower"), QuorumNode("zookeeper-1", "leader"))
