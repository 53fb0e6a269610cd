"""A bad stack setting, through the real engine: `pulumi preview` fails before any resource is registered, with each
cause once as a Pulumi error and no Python traceback. A stack never brought up: no Docker needed."""

from __future__ import annotations

import json

from infra.scratch_stack import Stack

CAUSE = "caracal-kafka:replicationFactor = 2: not allowed; allowed: at most brokers (1)"


def test_a_bad_setting_fails_preview_with_each_cause_once_and_no_traceback(tmp_path):
    # dev has one broker: every topic of the catalog inherits the replication factor, one cause for all of them.
    stack = Stack.create("dev", "e2e-bad-settings", tmp_path / "stack", replicationFactor=2, brokres=3)
    run = stack.preview(check=False)
    assert run.returncode != 0
    assert run.output.count(CAUSE) == 1, run.output
    assert run.output.count("caracal-kafka:brokres: unknown key") == 1, run.output
    assert "caracal-kafka:catalog: topics[" not in run.output, run.output
    for traceback in ("Traceback", "Program failed with an unhandled exception", "infra/settings.py", 'File "'):
        assert traceback not in run.output, run.output
    # Nothing was registered: the stack's state holds no resource.
    assert not json.loads(stack.export())["deployment"].get("resources")
