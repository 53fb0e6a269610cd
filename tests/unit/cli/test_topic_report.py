"""What an operator reads for list-topics and describe-topic."""

from __future__ import annotations

import pytest

from caracal_cli.topic_report import format_topic_description, format_topic_list, replication_factor_text
from components.clients.topic_description import ConfigSetting, PartitionState, TopicDescription

RULE = "=" * 60

METERING = TopicDescription(
    name="caracal.metering.events",
    partitions=(
        PartitionState(id=0, leader=1, replicas=(1, 2, 3), isr=(1, 2, 3)),
        PartitionState(id=1, leader=2, replicas=(2, 3, 1), isr=(2, 1)),
        PartitionState(id=2, leader=None, replicas=(3, 1, 2), isr=()),
    ),
    configs=(
        ConfigSetting("cleanup.policy", "delete", "DEFAULT_CONFIG"),
        ConfigSetting("compression.type", "snappy", "DYNAMIC_TOPIC_CONFIG"),
        ConfigSetting("leader.replication.throttled.replicas", "", "DEFAULT_CONFIG"),
        ConfigSetting("min.insync.replicas", "2", "DYNAMIC_TOPIC_CONFIG"),
        ConfigSetting("retention.ms", "2592000000", "DYNAMIC_TOPIC_CONFIG"),
        ConfigSetting("sasl.secret", None, "STATIC_BROKER_CONFIG", sensitive=True),
        ConfigSetting("segment.ms", None, "DEFAULT_CONFIG"),
    ),
)
HEALTHY = TopicDescription(
    name="caracal.dlq",
    partitions=(PartitionState(id=0, leader=1, replicas=(1,), isr=(1,)),),
    configs=(ConfigSetting("cleanup.policy", "delete", "DEFAULT_CONFIG"),),
)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        pytest.param(
            ["caracal.agent.lifecycle", "caracal.dlq"],
            f"{RULE}\nKafka Topics (2 total)\n{RULE}\n\n  caracal.agent.lifecycle\n  caracal.dlq\n",
            id="two topics",
        ),
        pytest.param([], f"{RULE}\nKafka Topics (0 total)\n{RULE}\n\n  (no topics)\n", id="no topics"),
    ],
)
def test_topic_list_is_a_titled_indented_list(names: list[str], expected: str) -> None:
    assert format_topic_list(names) == expected


def test_description_shows_partitions_marks_lagging_ones_and_lists_only_overrides() -> None:
    assert format_topic_description(METERING) == "\n".join(
        [
            RULE,
            "Topic: caracal.metering.events",
            RULE,
            "",
            "Partitions: 3",
            "Replication factor: 3",
            "Under-replicated partitions: 2 of 3",
            "",
            "Partition Details:",
            "",
            "  Partition 0:",
            "    Leader: 1",
            "    Replicas: [1, 2, 3]",
            "    In-Sync Replicas: [1, 2, 3]",
            "",
            "  Partition 1:  UNDER-REPLICATED (2 of 3 replicas in sync)",
            "    Leader: 2",
            "    Replicas: [2, 3, 1]",
            "    In-Sync Replicas: [2, 1]",
            "",
            "  Partition 2:  OFFLINE (no leader)  UNDER-REPLICATED (0 of 3 replicas in sync)",
            "    Leader: none",
            "    Replicas: [3, 1, 2]",
            "    In-Sync Replicas: []",
            "",
            "Configuration (topic overrides):",
            "",
            "  compression.type:    snappy",
            "  min.insync.replicas: 2",
            "  retention.ms:        2592000000",
            "",
        ]
    )


def test_all_configs_lists_every_setting_with_its_source_and_marks_empty_unset_and_secret_values() -> None:
    text = format_topic_description(METERING, all_configs=True)

    assert text.endswith(
        "\n".join(
            [
                "Configuration:",
                "",
                "  cleanup.policy:                        delete  [DEFAULT_CONFIG]",
                "  compression.type:                      snappy  [DYNAMIC_TOPIC_CONFIG]",
                '  leader.replication.throttled.replicas: ""  [DEFAULT_CONFIG]',
                "  min.insync.replicas:                   2  [DYNAMIC_TOPIC_CONFIG]",
                "  retention.ms:                          2592000000  [DYNAMIC_TOPIC_CONFIG]",
                "  sasl.secret:                           (sensitive)  [STATIC_BROKER_CONFIG]",
                "  segment.ms:                            (unset)  [DEFAULT_CONFIG]",
                "",
            ]
        )
    )


def test_healthy_topic_without_overrides_says_so() -> None:
    text = format_topic_description(HEALTHY)

    assert "Under-replicated" not in text
    assert "UNDER-REPLICATED" not in text
    assert text.endswith("Configuration (topic overrides):\n\n  (none: every setting is inherited from the broker)\n")


@pytest.mark.parametrize(
    ("replica_counts", "expected"),
    [
        pytest.param([3, 3], "3", id="uniform"),
        pytest.param([2, 3, 3], "2-3 (differs between partitions)", id="mid-reassignment"),
        pytest.param([], "0", id="no partitions"),
    ],
)
def test_replication_factor_reports_differences_between_partitions(replica_counts: list[int], expected: str) -> None:
    partitions = tuple(
        PartitionState(id=index, leader=1, replicas=tuple(range(count)), isr=tuple(range(count)))
        for index, count in enumerate(replica_counts)
    )
    assert replication_factor_text(partitions) == expected
