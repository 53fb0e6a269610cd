"""The contents of a Docker volume as a gzipped tar archive, streamed out of a sandboxed throw-away container that
mounts the volume read-only and has no network."""

from __future__ import annotations

from components.clients.docker_cli import docker_bytes
from components.clients.kafka_tools import SANDBOX, TOOL_UID

MOUNT = "/archived"
TIMEOUT_S = 300


def archive(volume: str, image: str) -> bytes:
    """`volume`'s files as `tar -czf -` in `image` (which has tar and gzip) writes them, run as the platform's
    user (it owns what the services wrote); DockerUnavailable when the volume or the image is missing."""
    return docker_bytes(
        "run", "--rm", "--pull", "never", "--network", "none", "--user", f"{TOOL_UID}:{TOOL_UID}", *SANDBOX,
        "--volume", f"{volume}:{MOUNT}:ro", "--entrypoint", "tar", image, "-C", MOUNT, "-czf", "-", ".",
        timeout=TIMEOUT_S,
    )  # fmt: skip
