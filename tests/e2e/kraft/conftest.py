"""A KRaft stack of the prod topology (3 dedicated controllers, 3 brokers, RF 3, min ISR 2): the package's tests,
and the prod and dev tests imported into it, run against it. Named `prod` so that those tests run unchanged."""

import pytest

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
)


@pytest.fixture(scope="package")
def outputs(prod):
    return prod.outputs()
