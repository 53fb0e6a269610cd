"""Topic lists and descriptions as the text an operator reads; pure functions of plain data."""

from __future__ import annotations

from caracal_cli.banner import banner
from components.clients.topic_description import ConfigSetting, PartitionState, TopicDescription
from components.rules.names import replication_factor


def format_topic_list(names: list[str]) -> str:
    """A titled list of topic names, one per indented line, in the order given."""
    lines = banner(f"Kafka Topics ({len(names)} total)")
    lines += [f"  {name}" for name in names] or ["  (no topics)"]
    return "\n".join(lines) + "\n"


def format_topic_description(topic: TopicDescription, all_configs: bool = False) -> str:
    """Partitions with their replicas, then the topic's overrides (every setting and its source with all_configs)."""
    lagging = [partition for partition in topic.partitions if partition.under_replicated]
    lines = banner(f"Topic: {topic.name}")
    lines += [
        f"Partitions: {len(topic.partitions)}",
        f"Replication factor: {replication_factor_text(topic.partitions)}",
    ]
    if lagging:
        lines.append(f"Under-replicated partitions: {len(lagging)} of {len(topic.partitions)}")
    lines += ["", "Partition Details:", ""]
    for partition in topic.partitions:
        lines += [*_partition_lines(partition), ""]
    lines += ["Configuration:" if all_configs else "Configuration (topic overrides):", ""]
    lines += _config_lines(topic.configs, all_configs)
    return "\n".join(lines) + "\n"


def replication_factor_text(partitions: tuple[PartitionState, ...]) -> str:
    """The topic's replication factor, with the largest replica count when partitions differ (mid-reassignment)."""
    counts = [len(partition.replicas) for partition in partitions]
    factor = replication_factor(counts)
    return str(factor) if factor == max(counts, default=0) else f"{factor}-{max(counts)} (differs between partitions)"


def _partition_lines(partition: PartitionState) -> list[str]:
    title = f"  Partition {partition.id}:"
    if partition.leader is None:
        title += "  OFFLINE (no leader)"
    if partition.under_replicated:
        title += f"  UNDER-REPLICATED ({len(partition.isr)} of {len(partition.replicas)} replicas in sync)"
    leader = "none" if partition.leader is None else str(partition.leader)
    return [
        title,
        f"    Leader: {leader}",
        f"    Replicas: {_ids(partition.replicas)}",
        f"    In-Sync Replicas: {_ids(partition.isr)}",
    ]


def _ids(brokers: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(broker) for broker in brokers) + "]"


def _config_lines(configs: tuple[ConfigSetting, ...], all_configs: bool) -> list[str]:
    shown = [setting for setting in configs if all_configs or setting.is_override]
    if not shown:
        return ["  (none: every setting is inherited from the broker)"]
    width = max(len(setting.name) for setting in shown) + 1
    lines = []
    for setting in shown:
        value = _shown_value(setting)
        line = f"  {setting.name + ':':<{width}} {value}"
        lines.append(f"{line}  [{setting.source}]" if all_configs else line)
    return lines


def _shown_value(setting: ConfigSetting) -> str:
    if setting.sensitive:
        return "(sensitive)"
    if setting.value is None:
        return "(unset)"
    return setting.value or '""'
