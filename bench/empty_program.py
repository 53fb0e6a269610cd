"""The engine's own floor: an empty Pulumi program (no resource but its stack) on the bench stack's backend,
with the same runtime and virtualenv, so its `preview` and `up` time is what any program pays."""

from __future__ import annotations

import subprocess
import time

import yaml

from infra.pulumi_cli import PULUMI
from infra.scratch_stack import ROOT, Stack

NAME = "bench-empty"


def empty_program_seconds(stack: Stack) -> dict[str, float]:
    """Seconds of a no-op `up` and a `preview` of the empty program (after one `up` that creates its stack)."""
    folder = stack.workdir.parent / "empty-program"
    folder.mkdir(exist_ok=True)
    project = {
        "name": "bench-empty",
        "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": str(ROOT / ".venv")}},
    }
    (folder / "Pulumi.yaml").write_text(yaml.safe_dump(project))
    (folder / "__main__.py").write_text("import pulumi  # noqa: F401  (nothing: the engine's floor)\n")

    def pulumi(*args: str) -> float:
        started = time.monotonic()
        subprocess.run(
            [*PULUMI, *args, "--non-interactive", "--stack", NAME],
            cwd=folder,
            env=stack.env,
            check=True,
            capture_output=True,
        )
        return time.monotonic() - started

    subprocess.run(
        [*PULUMI, "stack", "init", NAME, "--non-interactive"], cwd=folder, env=stack.env, capture_output=True
    )
    pulumi("up", "--yes", "--skip-preview")
    return {"up": pulumi("up", "--yes", "--skip-preview"), "preview": pulumi("preview")}
