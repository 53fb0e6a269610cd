"""The quorum's status as the one probe reports it: who serves in which role, who leads, what is wrong."""

from __future__ import annotations

import pytest

from components.rules.quorum_status import QuorumNode, kraft_roles, leader_id, status

# `kafka-metadata-quorum describe --replication` of Kafka 3.9 as the leader prints it.
REPLICATION = """\
NodeId  DirectoryId             LogEndOffset  Lag  LastFetchTimestamp  LastCaughtUpTimestamp  Status
3001    pS8bdaGQRl-I4RAS0JUhbw  1200          0    1000000             1000000                Leader
3000    Mzx5NZF9RHaB3V5CmeqvHA  1200          0    999000              999000                 Follower
3002    fU0_Dd0kTu-R6ZkNtq0uFQ  1100          100  960000              960000                 Follower
0       LvzRjb-DR5WjrzNQnvwFvA  1200          0    999500              999500                 Observer
"""


def test_the_leader_and_caught_up_followers_serve_a_lagging_one_does_not():
    roles = kraft_roles(REPLICATION, 3, healthy=[0, 1, 2], now_ms=1_000_000)
    assert roles == {0: "follower", 1: "leader", 2: None}
    assert leader_id(REPLICATION) == 3001


def test_a_controller_whose_container_is_not_healthy_does_not_serve():
    assert kraft_roles(REPLICATION, 3, healthy=[1], now_ms=1_000_000) == {0: None, 1: "leader", 2: None}


def test_no_answer_means_no_controller_serves():
    assert kraft_roles("", 3, healthy=[0, 1, 2], now_ms=0) == {0: None, 1: None, 2: None}
    assert leader_id("") is None


@pytest.mark.parametrize(
    "roles, problems",
    [
        ({"controller-0": "follower", "controller-1": "leader", "controller-2": "follower"}, ()),
        ({"controller-0": "leader"}, ()),
        (
            {"controller-0": None, "controller-1": "leader", "controller-2": "follower"},
            ("controller-0 does not serve",),
        ),
        (
            {"controller-0": None, "controller-1": None, "controller-2": "follower"},
            (
                "controller-0 does not serve",
                "controller-1 does not serve",
                "only 1 of 3 kraft node(s) serve; a majority of 2 must",
            ),
        ),
        (
            {"controller-0": "follower", "controller-1": "follower", "controller-2": "follower"},
            ("0 kraft leaders (none); one must lead",),
        ),
    ],
)
def test_a_quorum_is_healthy_with_every_node_serving_and_one_leader(roles, problems):
    found = status("kraft", roles, 3001)
    assert found.problems == problems
    assert found.healthy is (not problems)
    assert found.nodes[0] == QuorumNode("controller-0", roles["controller-0"])
