"""A KRaft stack of the prod topology, tried live: three dedicated controllers and three brokers, nothing of the
quorum published, every container least-privileged; the active controller killed while an application produces
(acks=all, idempotent) and consumes loses no record and fails no send. The controllers' roll under traffic is the
upgrade's (test_2: every controller and broker onto Kafka 4, one at a time); that a controller setting restarts the
controllers alone is tests/unit/platform/test_kraft_topology.py's, and its figures `make bench-rolls KRAFT=1`'s."""

from __future__ import annotations

import subprocess
import sys
import time

from components.clients import quorum_probe
from tests.e2e import least_privilege as lp
from tests.e2e.conftest import record
from tests.e2e.traffic import Traffic

CONTROLLERS, BROKERS = 3, 3
NODES = {"kafka": BROKERS, "controller": CONTROLLERS}


def status(prod):
    return quorum_probe.probe(f"caracal-{prod.name}", 0, CONTROLLERS, None)


def serving(prod, timeout_s: float = 240, but: int | None = None):
    """The quorum's status once every controller serves and one leads (other than node `but`, when given)."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = status(prod)
        if found.healthy and found.active_controller not in (None, but):
            return found
        assert time.monotonic() < deadline, f"the quorum did not serve within {timeout_s:.0f} s: {found}"
        time.sleep(3)


def test_the_stack_runs_three_dedicated_controllers_none_published_all_least_privileged(prod, outputs):
    names = prod.containers()
    assert not [name for name in names if "-zookeeper-" in name], names
    controllers = sorted(name for name in names if "-controller-" in name)
    assert controllers == [f"caracal-{prod.name}-controller-{index}" for index in range(CONTROLLERS)]
    for document in lp.inspect(controllers):
        assert not document["HostConfig"]["PortBindings"], document["Name"]
    # The registry and its proxy, and (metrics are on in prod) Prometheus, Alertmanager and the lag exporter.
    assert len(names) == CONTROLLERS + BROKERS + 2 + 3, names
    assert lp.broken_rules(names) == []
    for name in names:
        view = lp.kernel_view(name)
        assert view["CapEff"] == "0000000000000000" and view["NoNewPrivs"] == "1", (name, view)
    found = serving(prod)
    assert [node.name for node in found.nodes] == [f"controller-{index}" for index in range(CONTROLLERS)]
    assert 3000 <= found.active_controller < 3000 + CONTROLLERS


def test_killing_the_active_controller_under_traffic_fails_no_send_and_loses_no_record(prod, outputs):
    before = serving(prod)
    active = f"caracal-{prod.name}-controller-{before.active_controller - 3000}"
    with Traffic(prod.name, outputs, expected_nodes=NODES) as traffic:
        time.sleep(5)
        started = time.monotonic()
        subprocess.run(["docker", "kill", active], check=True, capture_output=True)
        after = serving_without(prod, before.active_controller)
        record("kraft: new active controller elected after a kill", time.monotonic() - started)
        time.sleep(5)
        subprocess.run(["docker", "start", active], check=True, capture_output=True)
        serving(prod)
    report = traffic.report
    print(f"[kraft] controller kill: {report.summary()}", file=sys.stderr)
    assert after.active_controller != before.active_controller
    assert report.acknowledged > 0
    assert (report.failed, report.lost) == (0, 0), report.summary()
    assert report.outage() == [], report.summary()


def serving_without(prod, killed: int, timeout_s: float = 120):
    """The quorum's status once a controller other than `killed` leads (the killed one does not serve)."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = status(prod)
        if found.active_controller not in (None, killed):
            return found
        assert time.monotonic() < deadline, f"no new active controller within {timeout_s:.0f} s: {found}"
        time.sleep(2)
