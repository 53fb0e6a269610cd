"""A throw-away stack of this project, driven through the real Pulumi CLI: the real engine and plugins, a local
file backend in a folder of its own, the stack's config copied from Pulumi.<stack>.yaml with its ports moved so it
never collides with a stack the user runs. The end-to-end tests and the benchmarks run against it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml

from components.rules.platform_target import DOCKER
from components.rules.refresh_options import refresh_options
from components.rules.stack_settings import CONFIG_PREFIX
from infra.pulumi_cli import PULUMI

# The first word of every node's name (caracal-STACK-<node>, its volumes caracal-STACK-<node>-config and -data).
NODE_KINDS = "kafka|zookeeper|controller|schema-registry|prometheus|alertmanager|consumer-lag"


def owned_by(stack: str, name: str) -> bool:
    """Whether a Docker object of this name is the stack's: its network `caracal-STACK`, or a node's container or
    volume `caracal-STACK-<node>...`. A name that merely starts with the prefix may be another stack's
    (`caracal-bench-roll-kafka-0` is not the `bench` stack's)."""
    return re.fullmatch(rf"caracal-{re.escape(stack)}(-({NODE_KINDS})\b.*)?", name) is not None


ROOT = Path(__file__).resolve().parents[1]
# The folders a stack's project folder links to: the program, what it reads, and the providers its state names.
PROGRAM = ("infra", "components", "stacks", "schemas")


def release_program(ref: str, folder: Path) -> Path:
    """The program as the commit `ref` had it, read from the repository's history into `folder`, with this
    checkout's virtualenv: a stack made by an earlier release (to prove a takeover, or an upgrade under traffic)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "Pulumi.yaml", *PROGRAM], cwd=ROOT, capture_output=True, check=True
    ).stdout
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder


def _scoped(name: str, config: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Two checkouts may run their throw-away stacks on one machine at once: CARACAL_E2E_SCOPE prefixes the stack
    name (and so its Docker objects), CARACAL_E2E_PORT_OFFSET moves every published port. Unset, nothing moves."""
    scope = os.environ.get("CARACAL_E2E_SCOPE", "")
    offset = int(os.environ.get("CARACAL_E2E_PORT_OFFSET", "0"))
    moved = {key: int(value) + offset if key.endswith("Port") and offset else value for key, value in config.items()}
    return f"{scope}{name}", moved


@dataclass
class Run:
    command: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class Stack:
    name: str
    """Stack name (also the prefix of its Docker objects)."""
    workdir: Path
    """A project folder of its own: Pulumi.yaml, the stack file, links to the program."""
    config: dict[str, Any]
    """The stack's config values."""
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, base: str, name: str, workdir: Path, **overrides: Any) -> Stack:
        document = yaml.safe_load((ROOT / f"Pulumi.{base}.yaml").read_text())
        config = dict(document["config"])
        config.update({f"{CONFIG_PREFIX}{key}": value for key, value in overrides.items()})
        name, config = _scoped(name, config)
        workdir.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "Pulumi.yaml", workdir / "Pulumi.yaml")
        for link in (*PROGRAM, ".venv"):
            target = workdir / link
            if not target.exists():
                target.symlink_to(ROOT / link)
        (workdir / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump({"config": config}))
        (workdir / "backend").mkdir(exist_ok=True)
        env = {
            **os.environ,
            "PULUMI_BACKEND_URL": f"file://{workdir / 'backend'}",
            "PULUMI_CONFIG_PASSPHRASE": "end-to-end",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        }
        env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)
        stack = cls(name, workdir, config, env)
        stack.pulumi("stack", "init", name, "--secrets-provider", "passphrase", check=False)
        return stack

    def use_program(self, source: Path) -> None:
        """Run this stack with the program of `source` (this checkout, or a release_program folder) and the
        providers its state names: first on the path of the engine's program and of the dynamic-provider host alike,
        ahead of the checkout the virtualenv's editable install points at. The stack's config stays as it is."""
        for name in PROGRAM:
            link = self.workdir / name
            link.unlink()
            link.symlink_to(source / name)
        shutil.copy(source / "Pulumi.yaml", self.workdir / "Pulumi.yaml")
        self.env["PYTHONPATH"] = str(source)
        # An earlier release refuses keys it did not know yet (metrics, prometheusPort, ...): it runs with the keys
        # it knows; switching back brings the others back (`config` keeps them all).
        known = yaml.safe_load((source / "Pulumi.yaml").read_text()).get("config", {})
        self._write_config(
            {key: value for key, value in self.config.items() if key.removeprefix(CONFIG_PREFIX) in known}
        )

    def recover(self, *args: str) -> int:
        """scripts/recover.py on this stack, as `make up` runs it first (a state of an earlier layout rewritten, a
        killed update recorded); its exit code."""
        command = [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "scripts" / "recover.py"), self.name, *args]
        return subprocess.run(command, cwd=self.workdir, env=self.env).returncode

    def setting(self, key: str) -> Any:
        return self.config[f"{CONFIG_PREFIX}{key}"]

    def pulumi(self, *args: str, check: bool = True, timeout: float = 1800) -> Run:
        command = [*PULUMI, *args, "--non-interactive"]
        if args[:2] != ("stack", "init"):
            command += ["--stack", self.name]
        started = time.monotonic()
        done = subprocess.run(command, cwd=self.workdir, env=self.env, capture_output=True, text=True, timeout=timeout)
        run = Run(command, done.returncode, done.stdout, done.stderr, time.monotonic() - started)
        if check and run.returncode != 0:
            raise AssertionError(f"{' '.join(command)} failed ({run.returncode}):\n{run.output[-6000:]}")
        return run

    @property
    def refresh_options(self) -> tuple[str, ...]:
        """How `up` and `preview` read the real state first on this stack, as `make up` and `make preview` do."""
        return refresh_options(self.config.get(f"{CONFIG_PREFIX}platform", DOCKER))

    def up(self, *args: str, check: bool = True) -> Run:
        """`pulumi up` as the README says to run it: reading the real state first, so drift is put back."""
        return self.pulumi("up", "--yes", "--skip-preview", *self.refresh_options, *args, check=check)

    def preview(self, *args: str, check: bool = True) -> Run:
        return self.pulumi("preview", "--diff", *self.refresh_options, *args, check=check)

    def destroy(self) -> Run:
        # Kafka-side resources are removed through the cluster: start whatever a test left stopped.
        subprocess.run([str(ROOT / "scripts" / "wake.sh"), self.name], check=True, env=self.env)
        self.pulumi("state", "unprotect", "--all", "--yes")
        self.env["CARACAL_ALLOW_DATA_LOSS"] = "true"
        try:
            return self.pulumi("destroy", "--yes")
        finally:
            del self.env["CARACAL_ALLOW_DATA_LOSS"]

    def outputs(self, secrets: bool = True) -> dict[str, Any]:
        args = ["stack", "output", "--json"] + (["--show-secrets"] if secrets else [])
        return json.loads(self.pulumi(*args).stdout)

    def export(self) -> str:
        return self.pulumi("stack", "export").stdout

    def set_config(self, key: str, value: str) -> None:
        self.config[f"{CONFIG_PREFIX}{key}"] = value
        self._write_config(self.config)

    def _write_config(self, config: dict[str, Any]) -> None:
        path = self.workdir / f"Pulumi.{self.name}.yaml"
        path.write_text(yaml.safe_dump({**yaml.safe_load(path.read_text()), "config": config}))

    def set_secret(self, key: str, value: str) -> None:
        """`pulumi config set --secret`, the value on stdin (never on a command line), as an operator sets it."""
        subprocess.run(
            [*PULUMI, "config", "set", "--secret", "--stack", self.name, f"{CONFIG_PREFIX}{key}", "--non-interactive"],
            input=value,
            cwd=self.workdir,
            env=self.env,
            text=True,
            capture_output=True,
            check=True,
        )
        # set_config rewrites the stack file from `config`: keep the encrypted value in it.
        document = yaml.safe_load((self.workdir / f"Pulumi.{self.name}.yaml").read_text())
        self.config.update(document["config"])

    def containers(self) -> list[str]:
        """Names of this stack's containers, running or not."""
        listed = subprocess.run(
            ["docker", "ps", "-a", "--filter", f"name=^caracal-{self.name}-", "--format", "{{.Names}}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return sorted(name for name in listed.stdout.split() if self.owns(name))

    def owns(self, name: str) -> bool:
        return owned_by(self.name, name)

    def purge(self) -> None:
        """Remove what an earlier, interrupted test run of this throw-away stack left in Docker."""
        left = self.docker_objects()
        for kind, command in (
            ("containers", ["rm", "-f"]),
            ("volumes", ["volume", "rm", "-f"]),
            ("networks", ["network", "rm"]),
        ):
            if left[kind]:
                subprocess.run(["docker", *command, *left[kind]], capture_output=True, check=True)

    def docker_objects(self) -> dict[str, list[str]]:
        """Every container, volume and network of this stack."""
        found = {}
        for kind, args in (
            ("containers", ["ps", "-a"]),
            ("volumes", ["volume", "ls"]),
            ("networks", ["network", "ls"]),
        ):
            listed = subprocess.run(
                [
                    "docker",
                    *args,
                    "--filter",
                    f"name=caracal-{self.name}",
                    "--format",
                    "{{.Names}}" if kind == "containers" else "{{.Name}}",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            found[kind] = sorted(name for name in listed.stdout.split() if self.owns(name))
        return found
