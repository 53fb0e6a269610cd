import pytest

from tests.e2e.conftest import bring_up, tear_down

# Ports apart from a prod stack the user may run (29093-29095/28081).
PROD_PORTS = {"bootstrapPort": 49093, "registryPort": 48081}


@pytest.fixture(scope="package")
def prod(tmp_path_factory):
    """The prod stack (3 ZooKeeper nodes, 3 brokers), up from empty for this package, destroyed afterwards."""
    stack = bring_up("prod", "e2e-prod", tmp_path_factory, **PROD_PORTS)
    yield stack
    tear_down(stack)


@pytest.fixture(scope="package")
def outputs(prod):
    return prod.outputs()
