import pytest

from tests.e2e.conftest import package_stack

# Ports apart from a dev stack the user may run (19093/18081).
dev = package_stack("dev", "e2e-dev", bootstrapPort=39093, registryPort=38081)


@pytest.fixture(scope="package")
def outputs(dev):
    return dev.outputs()
