"""A stack removed with `pulumi stack rm` and created again under the same name (`pulumi stack init`) runs with its
own encryption salt, not the one kept under .state/stacks/ for the removed stack; a stack that lives on keeps its
salt. The real Pulumi CLI on a local file backend in a folder of its own; no Docker, no program run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from infra.pulumi_cli import PULUMI

ROOT = Path(__file__).resolve().parents[3]
STACK = "recreated"
KEY = "caracal-kafka:externalPassword"


class Project:
    def __init__(self, folder: Path) -> None:
        self.folder = folder / "project"
        self.folder.mkdir()
        shutil.copy(ROOT / "Pulumi.yaml", self.folder / "Pulumi.yaml")
        (folder / "backend").mkdir()
        # The config `make up` runs the stack with (scripts/stack.sh): .state/stacks/Pulumi.STACK.yaml.
        self.kept = folder / "state" / "stacks" / f"Pulumi.{STACK}.yaml"
        self.env = {
            **os.environ,
            "PULUMI_BACKEND_URL": f"file://{folder / 'backend'}",
            "PULUMI_CONFIG_PASSPHRASE": "recreated-stack",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
        }
        self.env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)

    def pulumi(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*PULUMI, *args, "--non-interactive"],
            cwd=self.folder,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def create(self, password: str) -> None:
        """As an operator makes a stack in the project folder: init, then a secret (on stdin)."""
        assert self.pulumi("stack", "init", STACK, "--secrets-provider", "passphrase").returncode == 0
        done = self.pulumi("config", "set", "--secret", "--stack", STACK, KEY, stdin=password)
        assert done.returncode == 0, done.stderr

    def run_config(self) -> str:
        """What scripts/stack.sh does for a stack that exists, then the secret read back through that config."""
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "stack_config.py"),
                str(self.tracked),
                str(self.kept),
                str(self.kept),
            ],
            check=True,
            capture_output=True,
        )
        done = self.pulumi("config", "get", "--stack", STACK, "--config-file", str(self.kept), KEY)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout.strip()

    @property
    def tracked(self) -> Path:
        return self.folder / f"Pulumi.{STACK}.yaml"

    def salt(self, path: Path) -> str:
        return yaml.safe_load(path.read_text())["encryptionsalt"]


def test_a_stack_created_again_under_the_same_name_decrypts_its_secrets(tmp_path):
    project = Project(tmp_path)
    project.create("first")
    assert project.run_config() == "first"
    removed_salt = project.salt(project.kept)

    assert project.pulumi("stack", "rm", STACK, "--yes").returncode == 0
    project.create("second")
    assert project.salt(project.tracked) != removed_salt
    # Before: "validating stack config: cipher: message authentication failed" on every command.
    assert project.run_config() == "second"
    assert project.salt(project.kept) == project.salt(project.tracked)


def test_a_stack_keeps_its_salt_when_the_tracked_file_holds_none(tmp_path):
    project = Project(tmp_path)
    project.create("kept")
    assert project.run_config() == "kept"
    salt = project.salt(project.kept)
    # The tracked file as git has it (no salt): the config .state/ keeps still decrypts the stack's secrets.
    document = yaml.safe_load(project.tracked.read_text())
    del document["encryptionsalt"]
    project.tracked.write_text(yaml.safe_dump(document))
    assert project.run_config() == "kept"
    assert project.salt(project.kept) == salt
