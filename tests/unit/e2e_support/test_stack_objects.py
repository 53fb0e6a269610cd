"""A throw-away stack's Docker objects are its own by their whole name, not by its prefix alone: purging the
`bench` stack must leave a `bench-roll` stack running beside it untouched."""

from __future__ import annotations

import pytest

from infra.scratch_stack import Stack


@pytest.mark.parametrize(
    ("name", "owned"),
    [
        ("caracal-bench", True),  # the network
        ("caracal-bench-kafka-0", True),
        ("caracal-bench-kafka-12-data", True),
        ("caracal-bench-controller-2-config", True),
        ("caracal-bench-zookeeper-0", True),
        ("caracal-bench-schema-registry-proxy-config", True),
        ("caracal-bench-prometheus-data", True),
        ("caracal-bench-alertmanager", True),
        ("caracal-bench-consumer-lag", True),
        ("caracal-bench-roll", False),  # another stack's network
        ("caracal-bench-roll-kafka-0", False),
        ("caracal-bench-roll-prometheus-data", False),
        ("caracal-bench-floor-kafka-0", False),
        ("caracal-benchmark-kafka-0", False),
    ],
)
def test_an_object_is_the_stack_s_by_its_whole_name(name, owned):
    stack = Stack("bench", None, {}, {})
    assert stack.owns(name) is owned
