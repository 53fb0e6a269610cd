"""A KRaft stack of the prod topology (3 dedicated controllers, 3 brokers, RF 3, min ISR 2) on the newest Kafka
release, as a new KRaft stack may start: the package's tests, and the prod and dev tests imported into it, run
against it. Named `prod` so that those tests run unchanged. (KRaft on 3.9.1 is where the migration from ZooKeeper
ends: tests/e2e/kafka4 rolls a 3.9.1 KRaft node onto 4.x.)"""

import pytest

from components.rules import kafka_release
from tests.e2e.conftest import package_stack

# Ports apart from the other e2e stacks (they may run side by side) and a user's stacks.
prod = package_stack(
    "prod",
    "e2e-kraft",
    bootstrapPort=47093,
    registryPort=47081,
    prometheusPort=47090,
    metadataQuorum="kraft",
    controllers=3,
    zookeeperNodes=1,
    kafkaVersion=kafka_release.RELEASES[-1],
)


@pytest.fixture(scope="package")
def outputs(prod):
    return prod.outputs()
