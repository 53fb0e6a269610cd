"""A ZooKeeper stack of the prod topology (3 ZooKeeper nodes, 3 brokers, RF 3, min ISR 2, data protected,
metrics) that the package takes the whole way once, under traffic: migrated to KRaft step by step (test_1), then
rolled onto the newest Kafka release with its metadata version raised after (test_2). The KRaft tests (test_3,
test_4: the prod and dev tests of a quorum-touching kind, the controllers' own) then run on what it became, a KRaft
stack on Kafka 4 with three dedicated controllers, under the name `prod` so that the imported tests run unchanged.
A new KRaft stack started on Kafka 4 directly is tests/e2e/kraft_scaling's."""

import pytest

from tests.e2e.conftest import package_stack

# Ports apart from the other e2e stacks (they may run side by side) and a user's stacks.
stack = package_stack("prod", "e2e-migrate", bootstrapPort=43093, registryPort=43081, prometheusPort=43090)

# The steps the later tests stand on, as each test of the path ends (test name -> passed).
PATH: dict[str, bool] = {}


def pytest_runtest_makereport(item, call):
    if call.when == "call" and item.module.__name__.rsplit(".", 1)[-1] in (
        "test_1_zookeeper_to_kraft",
        "test_2_kafka4_upgrade",
    ):
        PATH[item.name] = call.excinfo is None


def _stood_on(steps: int) -> None:
    failed = [name for name, passed in PATH.items() if not passed]
    if failed or len(PATH) < steps:
        pytest.skip(f"the path did not get this far: {failed or 'its earlier tests did not run'}")


@pytest.fixture
def migrated(stack):
    """The stack once the migration (test_1) is done."""
    _stood_on(1)
    return stack


@pytest.fixture(scope="package")
def prod(stack):
    """The stack once the path is done: without it, the KRaft tests would only repeat its failure."""
    _stood_on(2)
    return stack


@pytest.fixture(scope="package")
def outputs(prod):
    return prod.outputs()
