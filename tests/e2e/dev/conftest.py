import pytest

from tests.e2e.conftest import package_stack
from tests.e2e.dev.catalog_copy import Catalog

# Ports apart from a dev stack the user may run (19093/18081).
dev = package_stack("dev", "e2e-dev", bootstrapPort=39093, registryPort=38081)


@pytest.fixture(scope="package")
def outputs(dev):
    return dev.outputs()


@pytest.fixture(scope="package")
def catalog(dev, tmp_path_factory):
    """One catalog copy for the day-2 tests: each file goes on from the state the one before left."""
    return Catalog(dev, tmp_path_factory.mktemp("catalog"))
