"""Pids limits reasoned from each service's threads: enough for the service, a tool and its health checks."""

from __future__ import annotations

import pytest

from components.rules import process_limits as limits


@pytest.mark.parametrize(("millicores", "processors"), [(100, 1), (1000, 1), (1001, 2), (1500, 2), (64000, 64)])
def test_a_jvm_sees_its_cpu_limit_rounded_up(millicores, processors):
    assert limits.processors(millicores) == processors


def test_a_broker_counts_its_listeners_pools_fetchers_jvm_and_a_tool():
    # 3 listeners x (acceptor + 3 processors) + 8 io + 2 fetchers + cleaner + 10 background + recovery + 40 fixed
    # + 2 x 2 Netty loops; JVM 15 + 3 x 2; a tool 40.
    assert limits.broker_threads(3, 1500) == 12 + 8 + 2 + 1 + 10 + 1 + 40 + 4 + 21 + 40


@pytest.mark.parametrize(
    ("limit", "threads"),
    [
        (limits.broker_pids_limit(1, 1500), limits.broker_threads(1, 1500)),
        (limits.broker_pids_limit(9, 64000), limits.broker_threads(9, 64000)),
    ],
)
def test_every_limit_is_twice_the_estimate_rounded_up_to_64(limit, threads):
    assert limit % 64 == 0 and 2 * threads <= limit < 2 * threads + 64


def test_the_limits_of_the_default_stacks():
    assert limits.broker_pids_limit(1, 1500) == 320
    assert limits.broker_pids_limit(3, 1500) == 320
    assert limits.zookeeper_pids_limit(3, 1000) == 192
    assert limits.registry_pids_limit(1500) == 640
    # HAProxy starts a thread per processor of the host, whatever its CPU limit: sized for 64.
    assert limits.proxy_pids_limit() == 192


def test_more_brokers_and_more_processors_never_lower_a_limit():
    assert limits.broker_pids_limit(9, 1500) >= limits.broker_pids_limit(1, 1500)
    assert limits.broker_pids_limit(3, 16000) > limits.broker_pids_limit(3, 1500)
    assert limits.registry_pids_limit(64000) > limits.registry_pids_limit(1500)
