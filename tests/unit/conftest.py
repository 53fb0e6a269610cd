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
