import pytest

from tests.e2e.conftest import package_stack
from tests.e2e.rolls import changes

# Ports apart from a prod stack the user may run (29093-29095/28081) and from the other test stacks.
e2e_roll = package_stack("prod", "e2e-roll", bootstrapPort=45093, registryPort=45081, prometheusPort=45090)


@pytest.fixture(scope="package")
def built_images():
    """Image tags the tests build. Set up before the stack, so removed only after it is destroyed: until then its
    containers may run them."""
    tags: list[str] = []
    yield tags
    for tag in tags:
        changes.remove_image(tag)


@pytest.fixture(scope="package")
def stack(built_images, e2e_roll):
    return e2e_roll
