"""The live-traffic recorder's counting, on made-up timelines: no Docker, no Kafka."""

import pytest

from tests.e2e.traffic import (
    INSPECT_FORMAT,
    TrafficReport,
    first_distinct,
    longest_gap,
    lost_and_duplicates,
    node_names,
    not_ready,
    parse_inspect,
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


def test_docker_inspect_lines_say_which_nodes_are_running_and_healthy():
    assert "{{.State.Health.Status}}" in INSPECT_FORMAT
    states = parse_inspect(
        "/caracal-s-kafka-0 aaa true healthy\n"
        "/caracal-s-kafka-1 bbb true starting\n"
        "/caracal-s-kafka-2 ccc false unhealthy\n"
        "/caracal-s-schema-registry-proxy ddd true\n"
    )
    assert states["caracal-s-kafka-0"] == ("aaa", True)
    assert states["caracal-s-schema-registry-proxy"] == ("ddd", True)  # no health check: running is enough
    brokers = ["caracal-s-kafka-0", "caracal-s-kafka-1", "caracal-s-kafka-2", "caracal-s-kafka-3"]
    # kafka-3 is missing: removed to be replaced, it counts as down.
    assert not_ready(brokers, states) == {"caracal-s-kafka-1", "caracal-s-kafka-2", "caracal-s-kafka-3"}


def test_a_container_is_replaced_when_its_name_has_a_new_id_or_is_gone():
    before = {"k0": "a", "k1": "b", "z0": "c"}
    assert replaced(before, {"k0": "a", "k1": "b", "z0": "c"}) == []
    assert replaced(before, {"k0": "x", "k1": "b", "z0": "c", "new": "d"}) == ["k0"]
    assert replaced(before, {"k1": "b"}) == ["k0", "z0"]


def test_node_names_pick_one_kind_of_one_stack():
    names = ["caracal-e2e-roll-kafka-0", "caracal-e2e-roll-kafka-10", "caracal-e2e-roll-zookeeper-0"]
    names += ["caracal-e2e-roll-kafka-image", "caracal-e2e-roll2-kafka-0"]
    assert node_names("e2e-roll", names, "kafka") == ["caracal-e2e-roll-kafka-0", "caracal-e2e-roll-kafka-10"]
    assert node_names("e2e-roll", names, "zookeeper") == ["caracal-e2e-roll-zookeeper-0"]


def report(**changes) -> TrafficReport:
    values = {
        "sent": 100,
        "acknowledged": 100,
        "failed": 0,
        "first_errors": [],
        "lost": 0,
        "duplicates": 0,
        "longest_ack_gap_s": 0.2,
        "max_brokers_down": 1,
        "max_zookeeper_down": 0,
        "containers_before": {"k0": "a"},
        "containers_after": {"k0": "a"},
        "window_s": 30.0,
    }
    return TrafficReport(**{**values, **changes})


def test_an_outage_is_a_failed_send_a_lost_record_or_more_than_one_node_of_a_kind_down():
    assert report().outage() == []
    assert report(recorder_errors=["_consume: boom"]).outage() == ["recorder failed: _consume: boom"]
    problems = report(failed=3, first_errors=["timed out"], lost=2, max_brokers_down=3, max_zookeeper_down=2)
    assert problems.outage() == [
        "3 sends failed, first: ['timed out']",
        "2 acknowledged records never read",
        "3 brokers down at once",
        "2 ZooKeeper nodes down at once",
    ]
    assert report(containers_after={"k0": "b"}).replaced == ["k0"]
    assert "replaced 1/1" in report(containers_after={"k0": "b"}).summary()
