"""The smallest KRaft stack a broker can be removed from: one controller and two brokers, the development topology
otherwise (replication factor 1, no metrics), started on the newest Kafka release directly, as a new KRaft stack
may. Its own package: growing the shared prod-topology KRaft stack by a broker first would restart each of its six
nodes (every node lists the brokers among its super users), ten minutes of the CI budget for what this stack
proves in a few."""

import pytest

from components.rules import kafka_release
from tests.e2e.conftest import package_stack

# Ports apart from the other e2e stacks (they may run side by side) and a user's stacks.
stack = package_stack(
    "dev",
    "e2e-kraft-scaling",
    bootstrapPort=54093,
    registryPort=54081,
    metadataQuorum="kraft",
    controllers=1,
    brokers=2,
    kafkaVersion=kafka_release.RELEASES[-1],
)


@pytest.fixture(scope="package")
def outputs(stack):
    return stack.outputs()
