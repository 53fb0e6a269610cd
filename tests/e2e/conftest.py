import os
import sys

import pytest

from infra.scratch_stack import Stack

TIMINGS: list[tuple[str, float]] = []


def record(what: str, seconds: float) -> None:
    """Phase timings, printed at the end of the run."""
    TIMINGS.append((what, seconds))
    print(f"\n[timing] {what}: {seconds:.1f} s", file=sys.stderr)


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.write_sep("-", "phase timings")
        for what, seconds in TIMINGS:
            terminalreporter.write_line(f"{what:55s} {seconds:8.1f} s")


def bring_up(base: str, name: str, tmp_path_factory, **overrides) -> Stack:
    workdir = tmp_path_factory.mktemp(name)
    stack = Stack.create(base, name, workdir, **overrides)
    stack.purge()
    run = stack.up()
    record(f"pulumi up {name} from empty", run.seconds)
    return stack


def tear_down(stack: Stack) -> None:
    if os.environ.get("CARACAL_E2E_KEEP"):
        return
    run = stack.destroy()
    record(f"pulumi destroy {stack.name}", run.seconds)
    left = stack.docker_objects()
    assert left == {"containers": [], "volumes": [], "networks": []}, left


def package_stack(base: str, name: str, **ports):
    """A package-scoped fixture: the `base` stack's config on `ports`, up from empty for the package's tests,
    destroyed (and checked gone) afterwards."""

    @pytest.fixture(scope="package")
    def stack(tmp_path_factory):
        brought_up = bring_up(base, name, tmp_path_factory, **ports)
        yield brought_up
        tear_down(brought_up)

    return stack
