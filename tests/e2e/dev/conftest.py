import pytest

from tests.e2e.conftest import bring_up, tear_down

# Ports apart from a dev stack the user may run (19093/18081).
DEV_PORTS = {"bootstrapPort": 39093, "registryPort": 38081}


@pytest.fixture(scope="package")
def dev(tmp_path_factory):
    """The dev stack, brought up from empty once for every test of this package, destroyed afterwards."""
    stack = bring_up("dev", "e2e-dev", tmp_path_factory, **DEV_PORTS)
    yield stack
    tear_down(stack)


@pytest.fixture(scope="package")
def outputs(dev):
    return dev.outputs()
