"""When a stack may change its Kafka release and raise its metadata version, and what is refused with the way
forward: the settings alone, then what a running KRaft cluster reports."""

from __future__ import annotations

import pytest

from components.rules.kafka_release import parse
from components.rules.kafka_upgrade import RunningCluster, metadata_raise, running_refusals, settings_refusals

OLD, NEW = parse("3.9.1"), parse("4.4.0")


def messages(refusals):
    return [refusal.message("caracal-kafka:") for refusal in refusals]


@pytest.mark.parametrize(
    ("version", "metadata_version", "quorum", "expected"),
    [
        ("3.9.1", "", "zookeeper", []),
        ("3.9.1", "", "kraft", []),
        ("4.4.0", "", "kraft", []),
        ("4.4.0", "4.4-IV2", "kraft", []),
        ("4.4.0", "3.9-IV0", "kraft", []),
        ("3.9.1", "3.9-IV0", "kraft", []),
        (
            "4.4.0",
            "",
            "zookeeper",
            [
                "caracal-kafka:kafkaVersion = '4.4.0': not allowed; allowed: 3.9.1 while metadataQuorum is zookeeper: "
                "ZooKeeper was removed in Kafka 4.0: migrate to KRaft first (metadataMigration), then set kafkaVersion"
            ],
        ),
        (
            "3.9.1",
            "4.4-IV2",
            "kraft",
            [
                "caracal-kafka:kafkaMetadataVersion = '4.4-IV2': not allowed; allowed: empty (keep the cluster's), "
                "or a metadata version Kafka 3.9.1 runs: 3.9-IV0"
            ],
        ),
        (
            "3.9.1",
            "3.9-IV0",
            "zookeeper",
            [
                "caracal-kafka:kafkaMetadataVersion = '3.9-IV0': not allowed; allowed: empty while metadataQuorum is "
                "zookeeper: a ZooKeeper cluster has no metadata.version; it comes with KRaft"
            ],
        ),
    ],
)
def test_settings_alone(version, metadata_version, quorum, expected):
    assert messages(settings_refusals(version, metadata_version, quorum)) == expected


def cluster(finalized, *releases):
    return RunningCluster({f"caracal-dev-kafka-{i}": release for i, release in enumerate(releases)}, finalized)


@pytest.mark.parametrize(
    ("version", "metadata_version", "running", "refused", "raise_to"),
    [
        # 1. The roll: a 3.9 KRaft cluster goes to 4.4.0, the metadata version stays.
        ("4.4.0", "", cluster("3.9-IV0", OLD, OLD), [], None),
        # Going back before the metadata version was raised is a roll too.
        ("3.9.1", "", cluster("3.9-IV0", NEW, NEW), [], None),
        ("3.9.1", "", cluster("3.9-IV0", NEW, OLD), [], None),
        # 2. Raising in the same up as the roll: refused until every node runs 4.4.0.
        ("4.4.0", "4.4-IV2", cluster("3.9-IV0", OLD, OLD), ["kafkaMetadataVersion", "until every node"], None),
        ("4.4.0", "4.4-IV2", cluster("3.9-IV0", NEW, OLD), ["caracal-dev-kafka-1 still run an older one"], None),
        # 3. Raising after the roll: allowed, to level 33.
        ("4.4.0", "4.4-IV2", cluster("3.9-IV0", NEW, NEW), [], 33),
        ("4.4.0", "4.2-IV1", cluster("3.9-IV0", NEW, NEW), [], 29),
        # Already there: nothing to do; the key may stay set.
        ("4.4.0", "4.4-IV2", cluster("4.4-IV2", NEW, NEW), [], None),
        # Dropping the key keeps the cluster's metadata version.
        ("4.4.0", "", cluster("4.4-IV2", NEW, NEW), [], None),
        # Lowering is refused.
        ("4.4.0", "4.0-IV3", cluster("4.4-IV2", NEW, NEW), ["allowed: 4.4-IV2 or newer, or empty"], None),
        # A downgrade after the raise is refused with the reason.
        (
            "3.9.1",
            "",
            cluster("4.4-IV2", NEW, NEW),
            [
                "caracal-kafka:kafkaVersion = '3.9.1': not allowed; allowed: 4.4.0: the cluster's metadata.version "
                "was raised to 4.4-IV2, which Kafka 3.9.1 cannot read, and Kafka never lowers a metadata version: "
                "this cluster cannot go back below Kafka 4.4"
            ],
            None,
        ),
        ("3.9.1", "", cluster("4.0-IV0", NEW, NEW), ["cannot go back below Kafka 4.0"], None),
    ],
)
def test_against_the_running_cluster(version, metadata_version, running, refused, raise_to):
    found = "\n".join(messages(running_refusals(version, metadata_version, running)))
    if not refused:
        assert found == ""
    for part in refused:
        assert part in found
    assert metadata_raise(metadata_version, running) == raise_to
