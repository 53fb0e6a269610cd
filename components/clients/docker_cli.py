"""The Docker CLI of this host, for what the program reads or makes there itself (what runs, the platform's
network): its output, or DockerUnavailable saying why there is none."""

from __future__ import annotations

import subprocess

TIMEOUT_S = 20


class DockerUnavailable(RuntimeError):
    """The Docker daemon did not answer, or refused the command."""


def docker(*args: str, timeout: float = TIMEOUT_S) -> str:
    try:
        done = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DockerUnavailable(f"docker {args[0]}: {error}") from None
    if done.returncode != 0:
        raise DockerUnavailable(f"docker {args[0]}: {done.stderr.strip()}")
    return done.stdout
