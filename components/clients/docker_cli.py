"""The Docker CLI of this host, for what the program reads or makes there itself (what runs, the platform's
network, the containers' config volumes): its output, or DockerUnavailable saying why there is none."""

from __future__ import annotations

import subprocess

TIMEOUT_S = 20


class DockerUnavailable(RuntimeError):
    """The Docker daemon did not answer, or refused the command."""


def docker(*args: str, timeout: float = TIMEOUT_S, stdin: bytes | None = None) -> str:
    """`stdin`: what the command reads (a tar archive for `docker cp -`), so that no content is on its command line."""
    return docker_bytes(*args, timeout=timeout, stdin=stdin).decode(errors="replace")


def docker_bytes(*args: str, timeout: float = TIMEOUT_S, stdin: bytes | None = None) -> bytes:
    """As `docker`, with the output as the bytes the command wrote (an archive a container streams)."""
    try:
        done = subprocess.run(["docker", *args], input=stdin, capture_output=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DockerUnavailable(f"docker {args[0]}: {error}") from None
    if done.returncode != 0:
        raise DockerUnavailable(f"docker {args[0]}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout
