import pulumi
import pytest

from tests.unit.harness import RecordingMocks, RecordingMonitor


@pytest.fixture
def monitor():
    """Pulumi runtime on mocks for one test; the runtime settings are restored afterwards."""
    saved = pulumi.runtime.settings.SETTINGS
    mocks = RecordingMocks()
    recording = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="caracal-kafka", stack="dev", preview=False, monitor=recording)
    yield recording
    pulumi.runtime.settings.configure(saved)


@pytest.fixture(autouse=True)
def no_docker_daemon(monkeypatch, tmp_path_factory):
    """Unit tests run where no Docker daemon runs (CI starts one only for the end-to-end tests): point the client
    at a socket that does not exist, so a test that reaches Docker fails here as it would there."""
    socket = tmp_path_factory.getbasetemp() / "no-docker.sock"
    monkeypatch.setenv("DOCKER_HOST", f"unix://{socket}")


@pytest.fixture(autouse=True)
def own_cache(monkeypatch, tmp_path_factory):
    """What the program caches (a large catalog's parse) goes to the test session's folder, not the user's."""
    monkeypatch.setenv("CARACAL_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
