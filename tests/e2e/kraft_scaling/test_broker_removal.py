"""A broker a KRaft stack removes is drained, stopped and unregistered: brokers 2 -> 1 with allowBrokerRemoval.
Afterwards the cluster lists broker 0 only, and Kafka no longer knows broker 1: a stopped KRaft broker stays
registered (fenced) for as long as the cluster lives unless it is unregistered, so unregistering it once more
finds nothing, which is no error."""

from __future__ import annotations

from components.clients import broker_registration
from components.rules.broker_registration import Outcome
from tests.e2e import clients
from tests.e2e.conftest import record


def placed(outputs) -> tuple[set[int], set[int]]:
    """The brokers the cluster lists, and those holding a replica of any topic."""
    metadata = clients.admin(outputs).list_topics(timeout=30)
    holding = {
        broker
        for described in metadata.topics.values()
        for partition in described.partitions.values()
        for broker in partition.replicas
    }
    return set(metadata.brokers), holding


def test_a_removed_broker_is_drained_stopped_and_unregistered(stack, outputs):
    # The partition balance spread the replicas over both brokers when the stack came up.
    assert placed(outputs) == ({0, 1}, {0, 1})
    stack.set_config("brokers", "1")
    stack.set_config("allowBrokerRemoval", "true")
    run = stack.up()
    record("kraft: brokers 2 -> 1, drained and unregistered (up)", run.seconds)
    assert f"caracal-{stack.name}-kafka-1" not in stack.containers()
    assert placed(outputs) == ({0}, {0})
    # Kafka no longer knows broker 1 (without the unregistration this would unregister it now).
    assert broker_registration.unregister(f"caracal-{stack.name}-kafka-0", 1) is Outcome.NOT_REGISTERED
