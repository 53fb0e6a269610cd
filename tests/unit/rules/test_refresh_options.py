import pytest

from components.rules.platform_target import DOCKER, EXTERNAL
from components.rules.refresh_options import refresh_options


@pytest.mark.parametrize(
    ("platform", "options"),
    [
        (DOCKER, ("--refresh",)),
        (EXTERNAL, ("--refresh", "--run-program")),
    ],
)
def test_every_platform_refreshes_first_and_an_external_one_through_its_program(platform, options):
    assert refresh_options(platform) == options
