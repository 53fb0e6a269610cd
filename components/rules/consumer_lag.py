"""Consumer lag from committed and end offsets: how many records each group has yet to read, per topic. Pure:
components/clients/group_offsets.py reads the offsets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

# A partition as the Admin API names it.
Partition = tuple[str, int]


@dataclass(frozen=True)
class TopicLag:
    group: str
    topic: str
    lag: int
    """Records produced and not yet committed by the group, summed over the partitions it committed on."""
    partitions: int
    """Partitions of the topic the group has committed an offset on."""
    unknown: int = 0
    """Committed partitions whose end offset the cluster did not give (a topic deleted, a leader missing)."""


@dataclass(frozen=True)
class GroupLag:
    group: str
    state: str
    """Kafka's state of the group: STABLE, EMPTY (no member; offsets kept), PREPARING_REBALANCE, DEAD ..."""
    topics: tuple[TopicLag, ...] = ()
    """Empty for a group that has never committed: its lag is unknown, not 0, and shows as no topics."""
    error: str | None = None
    """Why the group's offsets could not be read (e.g. no Describe right on the group)."""

    @property
    def lag(self) -> int:
        return sum(topic.lag for topic in self.topics)


def partition_lag(committed: int, end: int) -> int | None:
    """Records between the committed offset and the end; None when nothing is committed (a negative offset is
    Kafka's "no offset"). Never negative: an end offset read before the commit can trail it."""
    if committed < 0 or end < 0:
        return None
    return max(end - committed, 0)


def topic_lags(group: str, committed: Mapping[Partition, int], ends: Mapping[Partition, int]) -> tuple[TopicLag, ...]:
    """The group's lag per topic, topics in name order; partitions without a commit are left out."""
    lags: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (topic, partition), offset in committed.items():
        if offset < 0:
            continue
        totals = lags[topic]
        totals[1] += 1
        lag = partition_lag(offset, ends.get((topic, partition), -1))
        if lag is None:
            totals[2] += 1
        else:
            totals[0] += lag
    return tuple(TopicLag(group, topic, *lags[topic]) for topic in sorted(lags))
