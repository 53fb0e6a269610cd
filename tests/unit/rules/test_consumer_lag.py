"""Consumer lag from committed and end offsets."""

from __future__ import annotations

import pytest

from components.rules.consumer_lag import GroupLag, TopicLag, partition_lag, topic_lags


@pytest.mark.parametrize(
    ("committed", "end", "lag"),
    [(0, 1000, 1000), (1000, 1000, 0), (-1001, 50, None), (-1, 50, None), (10, -1, None), (12, 10, 0)],
)
def test_partition_lag(committed, end, lag):
    assert partition_lag(committed, end) == lag


def test_topic_lags_sum_partitions_and_leave_out_those_without_a_commit():
    committed = {("b", 0): 5, ("b", 1): 0, ("a", 0): 7, ("a", 1): -1001, ("c", 0): 3}
    ends = {("b", 0): 505, ("b", 1): 500, ("a", 0): 7, ("a", 1): 40}
    assert topic_lags("g", committed, ends) == (
        TopicLag("g", "a", 0, 1),
        TopicLag("g", "b", 1000, 2),
        # A committed partition without an end offset (its topic deleted) is counted apart, not as lag 0.
        TopicLag("g", "c", 0, 1, unknown=1),
    )


def test_a_group_that_never_committed_has_no_topics_and_lag_0_in_sum():
    assert topic_lags("g", {}, {}) == ()
    assert GroupLag("g", "EMPTY").lag == 0
