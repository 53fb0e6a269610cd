import subprocess
import sys
from pathlib import Path

import yaml

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "stack_config.py"


def _run(tmp_path: Path, config: dict, salt_source: dict | None = None) -> tuple[str, dict]:
    tracked = tmp_path / "Pulumi.s.yaml"
    tracked.write_text(yaml.safe_dump({"config": config}))
    salted = tmp_path / "salted.yaml"
    if salt_source is not None:
        salted.write_text(yaml.safe_dump(salt_source))
    out = tmp_path / "state" / "Pulumi.s.yaml"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tracked), str(salted), str(out)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip(), yaml.safe_load(out.read_text())


def test_a_stack_of_its_own_platform_refreshes_in_a_phase_of_its_own(tmp_path):
    options, written = _run(tmp_path, {"caracal-kafka:brokers": 1})
    assert options == "--refresh"
    assert written == {"config": {"caracal-kafka:brokers": 1}}


def test_an_external_stack_refreshes_through_its_program_and_keeps_this_checkouts_salt(tmp_path):
    config = {"caracal-kafka:platform": "external"}
    options, written = _run(tmp_path, config, salt_source={"encryptionsalt": "v1:abc"})
    assert options == "--refresh --run-program"
    assert written == {"config": config, "encryptionsalt": "v1:abc"}


def test_a_stack_created_again_under_the_same_name_runs_with_its_own_salt_not_the_removed_ones(tmp_path):
    # `pulumi stack rm` then `pulumi stack init` in the project folder: the new salt sits beside the tracked config
    # (its secrets are encrypted with it); .state/ still holds the removed stack's.
    config = {"caracal-kafka:platform": "external", "caracal-kafka:externalPassword": {"secure": "v1:new:secret"}}
    tracked = tmp_path / "Pulumi.s.yaml"
    tracked.write_text(yaml.safe_dump({"config": config, "encryptionsalt": "v1:new"}))
    kept = tmp_path / "state" / "Pulumi.s.yaml"
    kept.parent.mkdir()
    kept.write_text(yaml.safe_dump({"config": config, "encryptionsalt": "v1:removed"}))
    subprocess.run([sys.executable, str(SCRIPT), str(tracked), str(kept), str(kept)], check=True, capture_output=True)
    assert yaml.safe_load(kept.read_text()) == {"config": config, "encryptionsalt": "v1:new"}


def test_a_stack_keeps_its_salt_from_run_to_run(tmp_path):
    tracked = tmp_path / "Pulumi.s.yaml"
    tracked.write_text(yaml.safe_dump({"config": {"caracal-kafka:brokers": 1}}))
    kept = tmp_path / "state" / "Pulumi.s.yaml"
    kept.parent.mkdir()
    kept.write_text(yaml.safe_dump({"config": {}, "encryptionsalt": "v1:kept"}))
    for _ in range(2):
        subprocess.run([sys.executable, str(SCRIPT), str(tracked), str(kept), str(kept)], check=True)
    assert yaml.safe_load(kept.read_text())["encryptionsalt"] == "v1:kept"
