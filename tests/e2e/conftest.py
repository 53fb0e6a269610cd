import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from infra.pulumi_cli import PULUMI
from infra.scratch_stack import Stack

# The suite runs its packages side by side (scripts/e2e.sh: pytest-xdist, one package per worker at a time), so
# each worker appends its timings to one file the controller prints at the end.
TIMINGS_FILE = Path(os.environ.setdefault("CARACAL_E2E_TIMINGS", f"/tmp/caracal-e2e-timings-{os.getpid()}.tsv"))


def record(what: str, seconds: float) -> None:
    """Phase timings, printed at the end of the run."""
    with TIMINGS_FILE.open("a") as timings:
        timings.write(f"{what}\t{seconds:.1f}\n")
    print(f"\n[timing] {what}: {seconds:.1f} s", file=sys.stderr)


# The order packages start in. Two run side by side (scripts/e2e.sh): the two longest (migration, the whole path
# to Kafka 4 and the KRaft tests after it; rolls) from the start, the others one after another beside whichever ends
# first. A worker is sent its next package while it runs the last test of the one before (xdist runs a test once it
# holds the next), so a package of one long test (kraft_scaling) pins the package after it: a short one follows it.
# A package not named here comes after these.
LONGEST_FIRST = (
    "migration",
    "rolls",
    "prod",
    "dev",
    "external",
    "kraft_scaling",
    "engine",
    "recovery",
    "kafka4",
)


def _package_rank(item) -> int:
    package = item.path.relative_to(Path(__file__).parent).parts[0]
    return LONGEST_FIRST.index(package) if package in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(items):
    # Stable: within a package the tests keep their order.
    items.sort(key=_package_rank)


def pytest_xdist_make_scheduler(config, log):
    """Side by side, a package's tests stay together and in order on one worker: they share its stack."""
    from xdist.scheduler import LoadScopeScheduling

    # Units in collection order (longest first), not by their number of tests.
    config.option.loadscopereorder = False

    class PackageScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            package = path.rpartition("/")[0]
            # tests/e2e/PACKAGE/test_x.py -> tests/e2e/PACKAGE; a module directly in tests/e2e is its own unit.
            return package if package.count("/") >= 2 else path

    return PackageScheduling(config, log)


def pytest_terminal_summary(terminalreporter):
    if os.environ.get("PYTEST_XDIST_WORKER") or not TIMINGS_FILE.exists():
        return
    terminalreporter.write_sep("-", "phase timings")
    for line in TIMINGS_FILE.read_text().splitlines():
        what, _, seconds = line.rpartition("\t")
        terminalreporter.write_line(f"{what:55s} {float(seconds):8.1f} s")
    TIMINGS_FILE.unlink()


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], list(children.get(root, []))
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue += children.get(pid, [])
    return found


def _command(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def interrupt_up(stack: Stack, started: Callable[[], bool], timeout_s: float = 300) -> dict[int, str]:
    """Run `pulumi up` on `stack` and kill it (see kill_up) as soon as `started()` says it is where the test wants
    it interrupted; the plugins it left running are returned."""
    process = subprocess.Popen(
        [*PULUMI, "up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack.name],
        cwd=stack.workdir,
        env=stack.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout_s
    while not started():
        assert process.poll() is None and time.monotonic() < deadline, "up ended before it could be interrupted"
        time.sleep(0.1)
    return kill_up(process)


def kill_up(process) -> dict[int, str]:
    """SIGKILL a running `pulumi up` as an interrupted job ends: the engine's process group. The plugins it
    started run in process groups of their own and outlive it; they are returned (pid -> command line)."""
    plugins = {pid: _command(pid) for pid in _descendants(process.pid)}
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return {pid: command for pid, command in plugins.items() if _command(pid) == command}


def end_leftovers(plugins: dict[int, str]) -> None:
    """End the plugins a killed engine left running (only those, by pid, while they are still the same)."""
    for pid, command in plugins.items():
        if command and _command(pid) == command:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def bring_up(base: str, name: str, tmp_path_factory, **overrides) -> Stack:
    workdir = tmp_path_factory.mktemp(name)
    stack = Stack.create(base, name, workdir, **overrides)
    stack.purge()
    try:
        run = stack.up()
    except BaseException:
        # The package's tests will not run and its teardown never comes: leave nothing of the stack behind.
        if not os.environ.get("CARACAL_E2E_KEEP"):
            stack.purge()
        raise
    record(f"pulumi up {name} from empty", run.seconds)
    return stack


def tear_down(stack: Stack) -> None:
    if os.environ.get("CARACAL_E2E_KEEP"):
        return
    try:
        run = stack.destroy()
        record(f"pulumi destroy {stack.name}", run.seconds)
    finally:
        # Whatever a failed destroy left would hold the machine's memory and CPU for the rest of the run.
        left = stack.docker_objects()
        stack.purge()
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
