"""One long-running service container of the platform, configured the same way for ZooKeeper, Kafka and the
registry: explicit command, uploaded files, a health check the deployment waits for, memory limit, restart policy,
a data volume, and ports published on 127.0.0.1 only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_docker as docker

from components.providers.docker_network import DockerNetwork
from components.rules.roll import revision

LOOPBACK = "127.0.0.1"
# Uploaded files are read by the service's own non-root user inside its own container.
FILE_MODE = "0444"
SCRIPT_MODE = "0555"


@dataclass(frozen=True)
class ContainerFile:
    path: str
    """Absolute path in the container."""
    content: pulumi.Input[str]
    """File content; a secret Output stays a secret in state."""
    executable: bool = False
    """Upload with the execute bit set."""


@dataclass(frozen=True)
class ServiceSpec:
    container_name: str
    """Docker container name, unique on the daemon."""
    hostname: str
    """Host name inside the platform's network (also the network alias)."""
    image: pulumi.Input[str]
    """Image reference or id."""
    command: Sequence[str]
    """Explicit command: nothing depends on an image's entrypoint."""
    files: Sequence[ContainerFile]
    """Config and secret files, written before the container starts."""
    health_command: str
    """Shell command that succeeds once the service serves."""
    memory_mb: int
    """Hard memory limit."""
    data_volume: pulumi.Input[str] | None = None
    """Name of the volume mounted at data_path."""
    data_path: str = ""
    """Where the data volume is mounted."""
    ports: Mapping[int, int] = field(default_factory=dict)
    """Container port -> port on 127.0.0.1."""
    user: str = "kafka"
    """User the service runs as."""
    start_period_s: int = 60
    """Grace time before failing health checks count."""


def go_duration(seconds: int) -> str:
    """A duration the way Docker reports it back ("1m30s"), so a refresh never sees "90s" as a change."""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}m{rest}s" if minutes else f"{rest}s"


def spec_revision(spec: ServiceSpec) -> pulumi.Output[str]:
    """A digest of everything the container is made from: it changes exactly when the container is replaced.
    Secret, as it digests keys and passwords."""
    fixed = {
        "name": spec.container_name,
        "hostname": spec.hostname,
        "command": list(spec.command),
        "files": [(item.path, item.executable) for item in spec.files],
        "health": spec.health_command,
        "memory": spec.memory_mb,
        "ports": sorted(spec.ports.items()),
        "user": spec.user,
        "start_period": spec.start_period_s,
    }
    contents = pulumi.Output.all(spec.image, spec.data_volume, *(item.content for item in spec.files))
    return pulumi.Output.secret(contents.apply(lambda parts: revision(fixed, parts)))


def service_container(
    name: str,
    spec: ServiceSpec,
    network: DockerNetwork,
    opts: pulumi.ResourceOptions,
) -> docker.Container:
    """Create the container; `pulumi up` returns only once its health check passes."""
    volumes = (
        [docker.ContainerVolumeArgs(volume_name=spec.data_volume, container_path=spec.data_path)]
        if spec.data_volume
        else []
    )
    return docker.Container(
        name,
        name=spec.container_name,
        hostname=spec.hostname,
        image=spec.image,
        command=list(spec.command),
        user=spec.user,
        uploads=[
            docker.ContainerUploadArgs(
                file=item.path, content=item.content, permissions=SCRIPT_MODE if item.executable else FILE_MODE
            )
            for item in spec.files
        ],
        networks_advanced=[docker.ContainerNetworksAdvancedArgs(name=network.name, aliases=[spec.hostname])],
        ports=[
            docker.ContainerPortArgs(internal=internal, external=external, ip=LOOPBACK)
            for internal, external in spec.ports.items()
        ],
        volumes=volumes,
        memory=spec.memory_mb,
        # No swap: a JVM that swaps is slower than one that fails fast and restarts.
        memory_swap=spec.memory_mb,
        restart="always",
        healthcheck=docker.ContainerHealthcheckArgs(
            tests=["CMD-SHELL", spec.health_command],
            interval=go_duration(3),
            timeout=go_duration(10),
            retries=12,
            start_period=go_duration(spec.start_period_s),
        ),
        log_opts={"max-size": "20m", "max-file": "3"},
        wait=True,
        wait_timeout=spec.start_period_s + 180,
        destroy_grace_seconds=30,
        # The container's name is fixed, so a replacement must remove the old one before creating the new one.
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(delete_before_replace=True)),
    )
