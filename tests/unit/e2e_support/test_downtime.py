"""The judgment of which nodes were down when, on made-up samples: no Docker, no Kafka.

A timeline is drawn one string per node, one character per sample half a second apart: `.` running and healthy,
`x` listed but not healthy (stopped, starting), `-` not listed at all (removed to be replaced, or never there)."""

import pytest

from tests.e2e.downtime import (
    INSPECT_FORMAT,
    Sample,
    SyncSample,
    down_spans,
    node_names,
    not_ready,
    out_of_sync,
    parse_inspect,
    roll_problems,
    sample,
    sync_problems,
    unseen,
)

NODES = {"kafka": ["k0", "k1", "k2"], "zookeeper": ["z0", "z1", "z2"]}
EXPECTED = {"kafka": 3, "zookeeper": 3}
STEADY = "." * 12


def timeline(every_s: float = 0.5, **drawn: str) -> list[Sample]:
    """Samples from one drawn string per node; nodes not drawn (or drawn shorter) are up the rest of the time."""
    length = max(len(row) for row in [STEADY, *drawn.values()])
    rows = {name: drawn.get(name, "").ljust(length, ".") for names in NODES.values() for name in names}
    return [
        Sample(
            index * every_s,
            frozenset(name for name, row in rows.items() if row[index] != "-"),
            frozenset(name for name, row in rows.items() if row[index] != "."),
        )
        for index in range(length)
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
    # kafka-3 is missing: removed to be replaced, it counts as down, and as not seen.
    assert not_ready(brokers, states) == {"caracal-s-kafka-1", "caracal-s-kafka-2", "caracal-s-kafka-3"}
    taken = sample(7.0, brokers, states)
    assert taken.seen == {"caracal-s-kafka-0", "caracal-s-kafka-1", "caracal-s-kafka-2"}
    assert taken.down == {"caracal-s-kafka-1", "caracal-s-kafka-2", "caracal-s-kafka-3"}


def test_node_names_pick_one_kind_of_one_stack():
    names = ["caracal-e2e-roll-kafka-0", "caracal-e2e-roll-kafka-10", "caracal-e2e-roll-zookeeper-0"]
    names += ["caracal-e2e-roll-kafka-image", "caracal-e2e-roll2-kafka-0"]
    assert node_names("e2e-roll", names, "kafka") == ["caracal-e2e-roll-kafka-0", "caracal-e2e-roll-kafka-10"]
    assert node_names("e2e-roll", names, "zookeeper") == ["caracal-e2e-roll-zookeeper-0"]


def test_a_sampler_that_found_or_saw_every_node_is_trusted():
    assert unseen(timeline(), EXPECTED, NODES) == []
    # A node listed in only one sample was seen.
    assert unseen(timeline(k1="-----.------"), EXPECTED, NODES) == []


@pytest.mark.parametrize(
    ("samples", "nodes", "problem"),
    [
        # The name pattern matched nothing: every other judgment would pass on no node at all.
        (timeline(), {"kafka": [], "zookeeper": NODES["zookeeper"]}, "expected 3 kafka nodes, the sampler found 0"),
        (timeline(), {"kafka": ["k0", "k1"], "zookeeper": NODES["zookeeper"]}, "expected 3 kafka nodes"),
        (timeline(k2="-" * 12), NODES, "never seen by the sampler: ['k2']"),
        ([], NODES, "no sample taken"),
    ],
)
def test_a_sampler_that_missed_a_node_is_not_trusted(samples, nodes, problem):
    problems = unseen(samples, EXPECTED, nodes)
    assert any(problem in found for found in problems), problems


def test_down_spans_run_from_the_first_sample_down_to_the_first_back():
    samples = timeline(k0="..xx--x.....", k1="..........xx")
    assert down_spans(samples, "k0") == [(1.0, 3.5)]
    assert down_spans(samples, "k1") == [(5.0, 5.5)]  # still down at the last sample
    assert down_spans(samples, "k2") == []


# A good roll: each broker down once, the next only after the one before is back.
GOOD = {"k0": ".xx-x.......", "k1": "......x-x...", "k2": "..........xx"}


def test_a_roll_that_took_each_replaced_node_down_once_one_at_a_time_passes():
    assert roll_problems(timeline(**GOOD), NODES, ["k0", "k1", "k2"]) == []
    # ZooKeeper rolls at the same time as the brokers: one of each kind down at once is allowed.
    both = timeline(**GOOD, z0=".xx.........", z2="....xx......")
    assert roll_problems(both, NODES, ["k0", "k1", "k2", "z0", "z2"]) == []
    # A change Kafka makes at run time: nothing replaced, nothing down.
    assert roll_problems(timeline(), NODES, []) == []


@pytest.mark.parametrize(
    ("drawn", "replaced", "problem"),
    [
        # k1 went down before k0 was back.
        ({**GOOD, "k1": "...xx-x....."}, ["k0", "k1", "k2"], "2 kafka nodes down at once"),
        # The whole ensemble at once.
        ({"z0": "..xx..", "z1": "..x...", "z2": "..xx.."}, ["z0", "z1", "z2"], "3 zookeeper nodes down at once"),
        # Replaced, yet never seen down: the sampler missed the restart, or saw nothing at all.
        ({**GOOD, "k2": STEADY}, ["k0", "k1", "k2"], "k2 was replaced but seen down 0 times, not once"),
        # Down twice in one roll: restarted again, or crashed after its restart.
        ({**GOOD, "k0": ".xx..xx....."}, ["k0", "k1", "k2"], "k0 was replaced but seen down 2 times, not once"),
        # Down without being replaced: a change made at run time that took a node down all the same.
        ({"k1": "...xx......."}, [], "k1 was not replaced but seen down 1 times"),
    ],
)
def test_a_roll_that_took_nodes_down_otherwise_fails(drawn, replaced, problem):
    problems = roll_problems(timeline(**drawn), NODES, replaced)
    assert problem in problems, problems


def test_samples_too_far_apart_to_see_every_restart_fail_the_roll():
    problems = roll_problems(timeline(every_s=11.0, **GOOD), NODES, ["k0", "k1", "k2"])
    assert problems == ["the sampler looked only every 11.0 s at worst (two restarts may overlap unseen)"]


def test_out_of_sync_brokers_are_replicas_missing_from_the_in_sync_set():
    assert out_of_sync([((0, 1, 2), (0, 1, 2)), ((1, 2, 0), (1, 2, 0))]) == frozenset()
    assert out_of_sync([((0, 1, 2), (0, 2)), ((1, 2, 0), (2, 0))]) == {1}
    assert out_of_sync([((0, 1, 2), (0,)), ((1,), (1,))]) == {1, 2}


def test_one_broker_out_of_sync_at_a_time_passes_two_fail():
    one_at_a_time = [SyncSample(10.0 + index, frozenset(ids)) for index, ids in enumerate([(), (0,), (), (1,), ()])]
    assert sync_problems(one_at_a_time) == []
    # Broker 1 went down while broker 0 was still catching up.
    overlapping = [SyncSample(10.0 + index, frozenset(ids)) for index, ids in enumerate([(), (0,), (0, 1), (1,)])]
    assert sync_problems(overlapping) == [
        "1 samples saw two or more brokers out of sync at once, the first brokers [0, 1] 2.0 s into the sampling"
    ]
    assert sync_problems([]) == ["no sample of the in-sync replicas taken"]
