import pytest

from tests.e2e.conftest import package_stack

# Ports apart from a prod stack the user may run (29093-29095/28081/29090).
prod = package_stack("prod", "e2e-prod", bootstrapPort=49093, registryPort=48081, prometheusPort=49090)


@pytest.fixture(scope="package")
def outputs(prod):
    return prod.outputs()
