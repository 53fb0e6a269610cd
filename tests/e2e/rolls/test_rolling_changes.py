"""Changes of a live production cluster are not outages: with an application producing (acks=all) and consuming
all along, no send fails, no acknowledged record is lost, and never more than one broker or one ZooKeeper node is
down at once. Settings Kafka can change at run time replace no container at all. The tests go in order, each on
the state the one before left: retention, heap, certificate renewal, CA rotation, image, then a preview."""

from __future__ import annotations

import sys

from infra.scratch_stack import Stack
from tests.e2e.conftest import record
from tests.e2e.rolls import changes
from tests.e2e.rolls.changes import CA, CERTIFICATES, DAY_MS, HEAP, IMAGE, RETENTION, Change
from tests.e2e.traffic import TrafficReport


def roll_step(stack: Stack, step: str, settings: dict[str, str], replace_nothing: bool = False) -> TrafficReport:
    """One `up` of `settings` with traffic, its figures recorded; no outage, and no container replaced when the
    change is one Kafka makes at run time."""
    applied = changes.apply(stack, settings)
    report = applied.report
    record(f"{step}: up with traffic", applied.up_seconds)
    record(f"{step}: longest ack gap", report.longest_ack_gap_s)
    print(f"[roll] {step}: {report.summary()}", file=sys.stderr)
    problems = report.outage()
    if replace_nothing and report.replaced:
        problems.append(f"{len(report.replaced)} containers replaced")
    assert problems == [], f"{step}: {'; '.join(problems)}\n{report.summary()}"
    return report


def roll(stack: Stack, change: Change) -> None:
    for settings in change.steps:
        roll_step(stack, change.name, settings)


def test_a_retention_change_is_made_in_place_and_replaces_no_container(stack):
    outputs = stack.outputs()
    assert set(changes.retention_ms(outputs).values()) == {str(30 * DAY_MS)}
    roll_step(stack, RETENTION.name, RETENTION.steps[0], replace_nothing=True)
    assert set(changes.retention_ms(outputs).values()) == {str(31 * DAY_MS)}


def test_b_a_heap_change_restarts_one_broker_at_a_time(stack):
    roll(stack, HEAP)
    heaps = changes.broker_heaps(stack)
    assert heaps and all(flags == ["-Xmx640m"] for flags in heaps.values()), heaps


def test_c_certificate_renewal_reissues_every_served_certificate_one_broker_at_a_time(stack):
    before = {port: changes.served_serial(port) for port in changes.tls_ports(stack)}
    roll(stack, CERTIFICATES)
    after = {port: changes.served_serial(port) for port in changes.tls_ports(stack)}
    assert [port for port in before if before[port] == after[port]] == [], (before, after)


def test_d_ca_rotation_keeps_clients_connected_and_ends_on_the_new_ca_alone(stack):
    old_ca = stack.outputs()["caCertificate"]
    for index, settings in enumerate(CA.steps):
        roll_step(stack, f"{CA.name}, step {index + 1} {settings['caRotation']}", settings)
        outputs = stack.outputs()
        # Between steps an application that (re)reads the outputs connects, to Kafka and to the registry.
        assert changes.client_works(outputs) == [], settings
        if settings["caRotation"] != "none":
            assert changes.certificates_in(outputs["caBundle"]) == 2, f"step {index + 1}: {settings}"
    new_ca = stack.outputs()["caCertificate"]
    assert changes.certificates_in(new_ca) == 1 and new_ca != old_ca
    for port in changes.tls_ports(stack):
        assert changes.chains_to(port, new_ca), port
        assert not changes.chains_to(port, old_ca), port


def test_e_another_build_of_the_kafka_image_rolls_the_brokers_one_at_a_time(stack, built_images):
    built_images.append(changes.build_rebuilt_image())
    roll(stack, IMAGE)
    assert changes.broker_images(stack) == {changes.image_id(changes.REBUILT_IMAGE)}


def test_f_after_all_of_it_a_preview_shows_no_change(stack):
    assert stack.preview("--expect-no-changes").returncode == 0
