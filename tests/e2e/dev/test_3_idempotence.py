"""Right after `up`, nothing is left to change: no perpetual diff from broker defaults, types or formatting."""


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
