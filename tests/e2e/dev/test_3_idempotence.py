"""Right after `up`, nothing is left to change: no perpetual diff from broker defaults, types or formatting."""

from __future__ import annotations

import json

from components.rules.names import ACL_SET, TOPIC_SET, dynamic_token
from components.rules.packed_members import unpack


def test_preview_right_after_up_expects_no_changes(dev):
    run = dev.preview("--expect-no-changes")
    assert run.returncode == 0


def test_a_second_up_changes_nothing(dev):
    run = dev.up()
    assert "unchanged" in run.stdout
    for verb in ("created", "updated", "deleted", "replaced"):
        assert f" {verb}" not in run.stdout.split("Resources:")[-1]


def test_refresh_then_preview_still_expects_no_changes(dev):
    dev.pulumi("refresh", "--yes")
    assert dev.preview("--expect-no-changes").returncode == 0


SETS = {dynamic_token(TOPIC_SET): "topics", dynamic_token(ACL_SET): "bindings"}


def _sets(state: dict) -> list[dict]:
    return [resource for resource in state["deployment"]["resources"] if resource["type"] in SETS]


def test_a_stack_whose_sets_were_recorded_before_their_members_were_packed_changes_nothing(dev, tmp_path):
    state = json.loads(dev.export())
    sets = _sets(state)
    assert len(sets) == 4  # the catalog's topics and bindings, and the registry's
    for resource in sets:
        # As the earlier release recorded them: every topic and binding a nested value of the engine's own.
        field = SETS[resource["type"]]
        for side in ("inputs", "outputs"):
            resource[side][field] = unpack(field, resource[side][field])
            assert isinstance(resource[side][field], dict) and resource[side][field]
    former = tmp_path / "former-state.json"
    former.write_text(json.dumps(state))
    dev.pulumi("stack", "import", "--file", str(former))

    assert dev.preview("--expect-no-changes").returncode == 0
    run = dev.up()
    for verb in ("created", "updated", "deleted", "replaced"):
        assert f" {verb}" not in run.stdout.split("Resources:")[-1]
    # The refresh of that `up` read the sets back: recorded packed from then on.
    for resource in _sets(json.loads(dev.export())):
        assert isinstance(resource["outputs"][SETS[resource["type"]]], str)
