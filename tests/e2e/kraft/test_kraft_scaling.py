"""A broker a KRaft stack removes is unregistered: a fourth broker joins the package's stack and leaves again
(allowBrokerRemoval, drained first by the partition balance); afterwards the cluster lists brokers 0-2 only, the
controllers count no fenced broker, and Kafka no longer knows broker 3. Last in the package: it changes the
stack's broker count, and the `up` after a removal restarts every node to drop the removed broker's principal."""

from __future__ import annotations

import subprocess
import sys
import time

from components.clients import broker_registration
from components.rules.broker_registration import Outcome
from tests.e2e import clients, prometheus_api
from tests.e2e.conftest import record

FENCED = "kafka_controller_kafkacontroller_fencedbrokercount"
ACTIVE = "kafka_controller_kafkacontroller_activebrokercount"


def listed_brokers(outputs) -> set[int]:
    return set(clients.admin(outputs).list_topics(timeout=30).brokers)


def controller_counts(outputs) -> set[tuple[int, int]]:
    """(active, fenced) brokers as each controller counts them, in Prometheus's latest scrape."""
    fenced = {
        item["metric"]["instance"]: int(float(item["value"][1])) for item in prometheus_api.query(outputs, FENCED)
    }
    active = {
        item["metric"]["instance"]: int(float(item["value"][1])) for item in prometheus_api.query(outputs, ACTIVE)
    }
    return {(active[instance], fenced[instance]) for instance in fenced}


def test_a_removed_broker_is_drained_stopped_and_unregistered(prod, outputs):
    started = time.monotonic()
    prod.set_config("brokers", "4")
    grown = prod.up()
    assert listed_brokers(outputs) == {0, 1, 2, 3}
    prod.set_config("brokers", "3")
    prod.set_config("allowBrokerRemoval", "true")
    shrunk = prod.up()
    record("kraft: brokers 3 -> 4 (up)", grown.seconds)
    record("kraft: brokers 4 -> 3, drained and unregistered (up)", shrunk.seconds)
    assert f"caracal-{prod.name}-kafka-3" not in prod.containers()
    assert listed_brokers(outputs) == {0, 1, 2}
    # Without the unregistration the controllers would count broker 3 fenced for as long as the cluster lives.
    waited = prometheus_api.wait_until(
        lambda: controller_counts(outputs) == {(3, 0)}, 90, "every controller counting 3 active brokers, none fenced"
    )
    print(
        f"[kraft] controllers count (active, fenced) {controller_counts(outputs)} after {waited:.0f} s", file=sys.stderr
    )
    # Kafka no longer knows broker 3, and unregistering it again is no error.
    assert broker_registration.unregister(f"caracal-{prod.name}-kafka-0", 3) is Outcome.NOT_REGISTERED
    # The stack protects its data: the retired broker's volume stays until the operator removes it.
    volume = f"caracal-{prod.name}-kafka-3-data"
    subprocess.run(["docker", "volume", "rm", volume], capture_output=True, check=True)
    record("kraft: broker added and removed (test)", time.monotonic() - started)
