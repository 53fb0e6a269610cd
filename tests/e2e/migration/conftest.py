"""A ZooKeeper stack of the prod topology (3 ZooKeeper nodes, 3 brokers, RF 3, min ISR 2, data protected,
metrics) that the package migrates to KRaft, step by step, under traffic."""

from tests.e2e.conftest import package_stack

# Ports apart from the other e2e stacks (they may run side by side) and a user's stacks.
stack = package_stack("prod", "e2e-migrate", bootstrapPort=43093, registryPort=43081, prometheusPort=43090)
