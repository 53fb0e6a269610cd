"""The bench's split of a JVM's CPU by kind of thread, from /proc as Linux writes it."""

from collections import Counter

import pytest

from bench import jvm_threads


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("data-plane-kafk\n", "data-plane-kafk"),
        ("C2 CompilerThre", "CN CompilerThre"),
        ("ReplicaFetcherT", "ReplicaFetcherT"),
        ("kafka-request-handler-12", "kafka-request-handler-N"),
        ("GC Thread#0", "GC Thread#N"),
    ],
)
def test_kind_folds_the_numbers_of_a_pool(name, expected):
    assert jvm_threads.kind(name) == expected


def test_seconds_reads_user_and_system_time_after_a_name_with_spaces_and_parentheses():
    ticks = jvm_threads._TICKS
    # pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    stat = f"4242 (VM (x) Thread) S 1 1 1 0 -1 4194368 10 0 0 0 {3 * ticks} {ticks} 0 0 20 0 1 0 100 0 0"
    assert jvm_threads.seconds(stat) == pytest.approx(4.0)


def test_cores_by_kind_is_the_difference_per_second_busiest_first_idle_left_out():
    before = Counter({"requests": 10.0, "fetchers": 4.0, "idle": 1.0})
    after = Counter({"requests": 30.0, "fetchers": 4.5, "idle": 1.0, "new": 2.0})
    assert list(jvm_threads.cores_by_kind(before, after, 10.0).items()) == [
        ("requests", 2.0),
        ("new", 0.2),
        ("fetchers", 0.05),
    ]
