"""The live-traffic recorder's counting, on made-up timelines: no Docker, no Kafka."""

import pytest

from tests.e2e.downtime import Sample
from tests.e2e.traffic_report import (
    TrafficReport,
    down_during,
    first_distinct,
    longest_gap,
    longest_gap_span,
    lost_and_duplicates,
    record_value,
    replaced,
    sequence_of,
)


def test_a_record_value_gives_back_its_sequence_only_for_its_own_run():
    assert sequence_of(record_value("run1", 42), "run1") == 42
    assert sequence_of(record_value("run1", 42), "run2") is None
    assert sequence_of(b"a dead letter from elsewhere", "run1") is None
    assert sequence_of(b"run1:", "run1") is None
    assert sequence_of(None, "run1") is None


@pytest.mark.parametrize(
    ("times", "start", "end", "gap"),
    [
        ([1.0, 1.5, 2.0], 1.0, 2.0, 0.5),
        ([1.0, 1.2, 4.2, 4.3], 1.0, 4.5, 3.0),  # a stall in the middle
        ([], 10.0, 70.0, 60.0),  # nothing acknowledged in the window at all
        ([1.1], 1.0, 9.0, 7.9),  # the stall runs to the end of the window
        ([0.5, 3.0, 9.5], 1.0, 9.0, 6.0),  # acknowledgements outside the window do not shorten a gap inside it
        ([2.0, 1.0, 1.5], 1.0, 2.0, 0.5),  # reports arrive in any order
    ],
)
def test_the_longest_gap_between_acknowledgements_counts_the_window_edges(times, start, end, gap):
    assert longest_gap(times, start, end) == pytest.approx(gap)


def test_the_longest_gap_says_where_it_was_and_which_nodes_were_down_then():
    assert longest_gap_span([1.0, 1.2, 4.2, 4.3], 1.0, 4.5) == (1.2, 4.2)
    samples = [down(0.0), down(1.0, "k2"), down(2.0, "k1"), down(5.0, "z0"), down(9.0, "k0")]
    # The sample before the gap counts (a node down as it began), and those inside it; not those after.
    assert down_during(samples, (1.5, 5.5)) == ["k1", "k2", "z0"]
    assert down_during(samples, (9.5, 10.0)) == ["k0"]
    assert down_during([], (0.0, 1.0)) == []
    gap = report(longest_ack_gap_s=3.0, longest_ack_gap_from_s=1.5, window_start=100.0)
    gap.samples = [down(100.0), down(101.0, "k1"), down(102.0), down(105.0, "k2")]
    assert gap.down_in_longest_gap == ["k1"]
    assert "longest ack gap 3.0 s (from 1.5 s, nodes down then: ['k1'])" in gap.summary()


def test_lost_records_are_acknowledged_ones_never_read_and_duplicates_are_extra_reads():
    assert lost_and_duplicates([0, 1, 2, 3], [0, 1, 2, 3]) == (0, 0)
    assert lost_and_duplicates([0, 1, 2, 3], [0, 2]) == (2, 0)
    assert lost_and_duplicates([0, 1, 2], [0, 1, 1, 2, 2, 2]) == (0, 3)
    # A record read but whose acknowledgement never came (its send failed after all) is neither.
    assert lost_and_duplicates([0], [0, 7]) == (0, 0)


def test_the_first_errors_are_the_first_different_ones():
    assert first_distinct(["timed out"] * 1000 + ["unknown partition", "timed out", "refused"], 2) == [
        "timed out",
        "unknown partition",
    ]


def test_a_container_is_replaced_when_its_name_has_a_new_id_or_is_gone():
    before = {"k0": "a", "k1": "b", "z0": "c"}
    assert replaced(before, {"k0": "a", "k1": "b", "z0": "c"}) == []
    assert replaced(before, {"k0": "x", "k1": "b", "z0": "c", "new": "d"}) == ["k0"]
    assert replaced(before, {"k1": "b"}) == ["k0", "z0"]


def report(**changes) -> TrafficReport:
    values = {
        "sent": 100,
        "acknowledged": 100,
        "failed": 0,
        "first_errors": [],
        "lost": 0,
        "duplicates": 0,
        "longest_ack_gap_s": 0.2,
        "nodes": {"kafka": ["k0", "k1", "k2"], "zookeeper": ["z0"]},
        "containers_before": {"k0": "a"},
        "containers_after": {"k0": "a"},
        "window_s": 30.0,
    }
    return TrafficReport(**{**values, **changes})


def down(at: float, *names: str) -> Sample:
    everything = frozenset({"k0", "k1", "k2", "z0"})
    return Sample(at, everything, frozenset(names))


def test_an_outage_is_a_failed_send_a_lost_record_a_long_wait_or_more_than_one_node_of_a_kind_down():
    assert report().outage() == []
    assert report(samples=[down(0.0, "k0"), down(0.5, "k1", "z0")]).outage() == []
    assert report(recorder_errors=["_consume: boom"]).outage() == ["recorder failed: _consume: boom"]
    problems = report(
        failed=3,
        first_errors=["timed out"],
        lost=2,
        longest_ack_gap_s=12.25,
        samples=[down(0.0, "k0", "k1", "k2"), down(0.5, "z0")],
    )
    assert problems.outage() == [
        "3 sends failed, first: ['timed out']",
        "2 acknowledged records never read",
        "no acknowledgement for 12.2 s (allowed: under 10.0 s)",
        "3 brokers down at once",
    ]


@pytest.mark.parametrize(("gap", "stalled"), [(0.2, False), (6.1, False), (9.9, False), (10.0, True), (103.0, True)])
def test_an_acknowledgement_gap_of_ten_seconds_is_an_outage(gap, stalled):
    problems = report(longest_ack_gap_s=gap).outage()
    assert bool(problems) is stalled, problems
    assert report(longest_ack_gap_s=gap).outage(max_gap_s=200) == []
    assert report(containers_after={"k0": "b"}).replaced == ["k0"]
    assert "replaced 1/1" in report(containers_after={"k0": "b"}).summary()


def test_a_node_of_a_kind_the_change_restarts_that_kept_its_container_is_named():
    kept = report(containers_before={"k0": "a", "k1": "b", "k2": "c", "z0": "d"},
                  containers_after={"k0": "x", "k1": "b", "k2": "y", "z0": "d"})  # fmt: skip
    assert kept.not_restarted(("kafka",)) == ["not restarted: ['k1']"]
    assert kept.not_restarted(("kafka", "zookeeper")) == ["not restarted: ['k1', 'z0']"]
    assert kept.not_restarted(()) == []
