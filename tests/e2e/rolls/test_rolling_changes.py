"""Changes of a live production cluster are not outages: with an application producing (acks=all) and consuming
all along, no send fails, no acknowledged record is lost, no acknowledgement waits 5 s, and a change that restarts
nodes takes each down exactly once, never two of a kind at once, each broker back in sync before the next goes.
Settings Kafka can change at run time take no node down and replace no container at all. The tests go in order, each on
the state the one before left: retention, heap with another image build, CA rotation, then a preview. Each change
apart, the certificate renewal among them, is measured by `make bench-rolls`."""

from __future__ import annotations

import sys

from infra.scratch_stack import Stack
from tests.e2e.conftest import record
from tests.e2e.rolls import changes
from tests.e2e.rolls.changes import CA, DAY_MS, HEAP, IMAGE, RETENTION
from tests.e2e.traffic import TrafficReport


def roll_step(stack: Stack, step: str, settings: dict[str, str], restarts: tuple[str, ...] = ()) -> TrafficReport:
    """One `up` of `settings` with traffic, its figures recorded: no outage (no failed send, no lost record, no
    wait of 5 s for an acknowledgement), the nodes of each kind in `restarts` ("kafka", "zookeeper") each replaced
    and taken down exactly once, one at a time, each broker back in sync before the next went, and no other node
    down at all (with `restarts` empty: a change Kafka makes at run time, no container replaced)."""
    applied = changes.apply(stack, settings)
    report = applied.report
    record(f"{step}: up with traffic", applied.up_seconds)
    record(f"{step}: longest ack gap", report.longest_ack_gap_s)
    problems = report.outage() + report.roll()
    if not restarts and report.replaced:
        problems.append(f"{len(report.replaced)} containers replaced")
    problems += report.not_restarted(restarts)
    print(f"[roll] {step}: {report.summary()}; problems: {problems}", file=sys.stderr)
    assert problems == [], f"{step}: {'; '.join(problems)}\n{report.summary()}"
    return report


def test_a_retention_change_is_made_in_place_and_replaces_no_container(stack):
    outputs = stack.outputs()
    assert set(changes.retention_ms(outputs).values()) == {str(30 * DAY_MS)}
    roll_step(stack, RETENTION.name, RETENTION.steps[0])
    assert set(changes.retention_ms(outputs).values()) == {str(31 * DAY_MS)}


def test_b_a_heap_change_and_another_build_of_the_image_restart_each_node_once_one_at_a_time(stack, built_images):
    built_images.append(changes.build_rebuilt_image())
    # One `up` of both: each broker is replaced once for the two. ZooKeeper runs from the Kafka image too (its jars
    # ship with Kafka): its nodes roll as well.
    roll_step(stack, f"{HEAP.name}, {IMAGE.name}", {**HEAP.steps[0], **IMAGE.steps[0]}, ("kafka", "zookeeper"))
    heaps = changes.broker_heaps(stack)
    assert len(heaps) == changes.expected_nodes(stack)["kafka"], heaps
    assert all(flags == ["-Xmx640m"] for flags in heaps.values()), heaps
    assert changes.broker_images(stack) == {changes.image_id(changes.REBUILT_IMAGE)}


def test_c_ca_rotation_reissues_every_served_certificate_keeps_clients_connected_and_ends_on_the_new_ca(stack):
    # A certificate renewal (certificateRotation) rolls the same way: the CA's sign step reissues every served
    # certificate as the renewal does (the key's trigger: tests/unit/platform/test_topology.py; figures:
    # `make bench-rolls`).
    old_ca = stack.outputs()["caCertificate"]
    served_before = {port: changes.served_serial(port) for port in changes.tls_ports(stack)}
    zookeeper_before = changes.zookeeper_serials(stack)
    for index, settings in enumerate(CA.steps):
        step = f"{CA.name}, step {index + 1} {settings['caRotation']}"
        roll_step(stack, step, settings, restarts=("kafka", "zookeeper"))
        outputs = stack.outputs()
        # Between steps an application that (re)reads the outputs connects, to Kafka and to the registry.
        assert changes.client_works(outputs) == [], settings
        if settings["caRotation"] != "none":
            assert changes.certificates_in(outputs["caBundle"]) == 2, f"step {index + 1}: {settings}"
    new_ca = stack.outputs()["caCertificate"]
    assert changes.certificates_in(new_ca) == 1 and new_ca != old_ca
    for port in changes.tls_ports(stack):
        assert changes.served_serial(port) != served_before[port], port
        assert changes.chains_to(port, new_ca), port
        assert not changes.chains_to(port, old_ca), port
    zookeeper_after = changes.zookeeper_serials(stack)
    assert [name for name in zookeeper_before if zookeeper_before[name] == zookeeper_after[name]] == []
    for name in changes.zookeeper_nodes(stack):
        served = changes.zookeeper_served_certificate(name)
        assert changes.issued_by(served, new_ca) and not changes.issued_by(served, old_ca), name


def test_d_after_all_of_it_a_preview_shows_no_change(stack):
    assert stack.preview("--expect-no-changes").returncode == 0
