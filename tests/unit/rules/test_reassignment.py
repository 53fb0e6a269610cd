"""What the reassignment and log-dirs tools read and print, as Kafka 3.9's tools write it."""

from __future__ import annotations

import json

from components.rules.partition_assignment import Move, PartitionReplicas
from components.rules.reassignment import (
    applied,
    moves_document,
    parse_listing,
    parse_sizes,
    placement_refusal,
    preview_lines,
    progress,
    throttle_bytes,
    with_ongoing,
)

LISTING = """Current partition reassignments:
caracal.dlq-0: replicas: 0,1,2. adding: 2. removing: 0.
my-topic-with-dashes-11: replicas: 3,1.
"""


def test_the_listing_is_read_with_what_is_added_and_removed():
    assert parse_listing(LISTING) == [
        PartitionReplicas("caracal.dlq", 0, (0, 1, 2), (2,), (0,)),
        PartitionReplicas("my-topic-with-dashes", 11, (3, 1)),
    ]
    assert parse_listing("No partition reassignments found.\n") == []


def test_partitions_being_moved_replace_what_the_metadata_says_of_them():
    listed = parse_listing(LISTING)
    merged = with_ongoing({("caracal.dlq", 0): (0, 1, 2), ("caracal.dlq", 1): (1, 2)}, listed)
    assert merged == [listed[0], PartitionReplicas("caracal.dlq", 1, (1, 2))]
    assert merged[0].settled == (1, 2)


def test_the_plan_document_is_what_the_tool_reads():
    moves = [Move("b", 1, (0,), (1, 0), 5), Move("a", 0, (0, 1), (1, 2), None)]
    assert json.loads(moves_document(moves)) == {
        "version": 1,
        "partitions": [
            {"topic": "a", "partition": 0, "replicas": [1, 2]},
            {"topic": "b", "partition": 1, "replicas": [1, 0]},
        ],
    }


def test_sizes_are_the_largest_replica_and_future_replicas_do_not_count():
    printed = "\n".join(
        [
            "Querying brokers for log directories information",
            "Received log directory information from brokers 0,1",
            json.dumps(
                {
                    "version": 1,
                    "brokers": [
                        {"broker": 0, "logDirs": [{"logDir": "/d", "error": None, "partitions": [
                            {"partition": "t-x-0", "size": 100, "offsetLag": 0, "isFuture": False},
                            {"partition": "t-x-1", "size": 9999, "offsetLag": 0, "isFuture": True},
                        ]}]},
                        {"broker": 1, "logDirs": [{"logDir": "/d", "error": None, "partitions": [
                            {"partition": "t-x-0", "size": 120, "offsetLag": 0, "isFuture": False},
                        ]}]},
                    ],
                }
            ),
        ]
    )  # fmt: skip
    assert parse_sizes(printed) == {("t-x", 0): 120}
    assert parse_sizes("Querying brokers\n") == {}


def test_a_cluster_that_places_replicas_itself_is_told_apart_from_other_errors():
    refused = placement_refusal("org.apache.kafka.common.errors.PolicyViolationException: not allowed")
    assert refused is not None and "Confluent Cloud" in refused and "PolicyViolation" in refused
    assert placement_refusal("ClusterAuthorizationException: Cluster authorization failed.") is not None
    assert placement_refusal("TimeoutException: Timed out waiting for a node assignment") is None


def test_progress_and_throttle():
    assert progress(parse_listing(LISTING)) == [
        "caracal.dlq-0: replicas [0,1,2], adding [2], removing [0]",
        "my-topic-with-dashes-11: replicas [3,1]",
    ]
    assert throttle_bytes(10) == 10 * 1024 * 1024


def test_a_preview_names_each_move_and_the_bytes_to_copy():
    moves = [Move("t", 0, (0, 1), (0, 1, 2), 2048), Move("t", 1, (1, 2), (1, 2, 0), 1024)]
    assert preview_lines("replication factor", moves, 10) == [
        "replication factor: 2 partition(s) move, 3072 bytes to copy at up to 10 MiB/s per broker "
        "(reassignThrottleMBps)",
        "  t-0: replicas [0,1] -> [0,1,2] (2048 bytes to copy)",
        "  t-1: replicas [1,2] -> [1,2,0] (1024 bytes to copy)",
    ]
    many = [Move("t", p, (0,), (1,), None) for p in range(45)]
    lines = preview_lines("balance", many, 5)
    assert "an unknown number of bytes" in lines[0] and lines[-1] == "  ... and 5 more" and len(lines) == 42
    assert preview_lines("balance", [], 5) == []
    assert applied([PartitionReplicas("t", 0, (0, 1))], [Move("t", 0, (0, 1), (2, 1), 0)])[0].replicas == (2, 1)
