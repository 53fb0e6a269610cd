"""One long-running service container of the platform, configured the same way for ZooKeeper, Kafka, the registry
and its proxy: explicit command, its files in a config volume, a health check the deployment waits for, restart
policy, a data volume, ports published on 127.0.0.1 only; and least privilege: a non-root user, every capability
dropped, no-new-privileges, a read-only root filesystem (writable: the data volume and a tmpfs at /tmp), memory,
CPU and pids limits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_docker as docker

from components.providers.config_volume import ConfigVolume, ConfigVolumeArgs
from components.providers.docker_network import DockerNetwork
from components.providers.pids_limit import PidsLimit, PidsLimitArgs
from components.rules.roll import revision

LOOPBACK = "127.0.0.1"
# Where every service writes besides its data volume: JVM hsperfdata, the native compression libraries the
# brokers unpack and load (so a JVM's /tmp allows exec), Quarkus's and Vert.x's work files, HAProxy's generated
# user list. Gone with the container; its pages count against the memory limit.
TMP = "/tmp"
TMP_SIZE = "64m"
# Changes with what `service_container` makes of a spec beyond its fields, so that it reaches running containers
# through their restart gates.
RUNTIME_PROFILE = "least-privilege-1"


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
    cpu_millicores: int
    """CPU limit, in thousandths of a CPU."""
    pids_limit: int
    """Most processes and threads at once (components/rules/process_limits.py)."""
    config_dir: str
    """The directory every file lies in: the config volume, mounted read-only."""
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
    tmp_exec: bool = True
    """Programs may run from /tmp (a JVM loads native libraries it unpacks there)."""


HEALTH_INTERVAL_S = 10
"""Seconds between two health checks of a container."""


def tls_health(port: int, ca_file: str) -> str:
    """A health check that passes once the service's port answers TLS with a certificate the CA vouches for."""
    return (
        f"echo | openssl s_client -connect 127.0.0.1:{port} -CAfile {ca_file} -verify_return_error 2>/dev/null"
        " | grep -q 'Verify return code: 0'"
    )


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
        "cpu": spec.cpu_millicores,
        "config_dir": spec.config_dir,
        "tmp_exec": spec.tmp_exec,
        "profile": RUNTIME_PROFILE,
    }
    contents = pulumi.Output.all(spec.image, spec.data_volume, *(item.content for item in spec.files))
    return pulumi.Output.secret(contents.apply(lambda parts: revision(fixed, parts)))


def _decimals(thousandths: int, digits: int) -> str:
    """thousandths / 1000 with `digits` decimals, rounded half up (Go's big.Rat FloatString)."""
    scale = 10**digits
    rounded = (thousandths * scale + 500) // 1000
    return f"{rounded // scale}.{rounded % scale:0{digits}d}"


def cpus(millicores: int) -> str:
    """Docker's --cpus value written exactly as pulumi-docker reads it back from the container (its
    nanoInt64ToDecimalString: "1.0", "1.5", "0.25"), so that a refresh never sees a change."""
    text = _decimals(millicores, 9)
    return _decimals(millicores, 1) if text.count("0") == 9 else text.rstrip("0")


def tmpfs_options(spec: ServiceSpec) -> str:
    return f"rw,{'exec' if spec.tmp_exec else 'noexec'},nosuid,nodev,size={TMP_SIZE}"


def service_container(
    name: str,
    spec: ServiceSpec,
    network: DockerNetwork,
    opts: pulumi.ResourceOptions,
) -> docker.Container:
    """Create the container; `pulumi up` returns only once its health check passes, and the pids limit is set
    right after."""
    # The config volume is replaced only after the gates the container waits for (its `depends_on`).
    config = ConfigVolume(
        f"{name}-config",
        ConfigVolumeArgs(
            name=f"{spec.container_name}-config",
            directory=spec.config_dir,
            image=spec.image,
            files=pulumi.Output.secret(
                pulumi.Output.all(*(item.content for item in spec.files)).apply(
                    lambda contents: [
                        {"path": item.path, "content": content, "executable": item.executable}
                        for item, content in zip(spec.files, contents, strict=True)
                    ]
                )
            ),
        ),
        opts=opts,
    )
    volumes = (
        [docker.ContainerVolumeArgs(volume_name=spec.data_volume, container_path=spec.data_path)]
        if spec.data_volume
        else []
    )
    container = docker.Container(
        name,
        name=spec.container_name,
        hostname=spec.hostname,
        image=spec.image,
        command=list(spec.command),
        user=spec.user,
        mounts=[docker.ContainerMountArgs(target=spec.config_dir, type="volume", source=config.name, read_only=True)],
        read_only=True,
        tmpfs={TMP: tmpfs_options(spec)},
        # No service needs a capability: each binds ports above 1024 as its own non-root user and changes no
        # file ownership, process or network setting. no-new-privileges: no setuid binary gives more.
        capabilities=docker.ContainerCapabilitiesArgs(drops=["ALL"]),
        security_opts=["no-new-privileges:true"],
        networks_advanced=[docker.ContainerNetworksAdvancedArgs(name=network.name, aliases=[spec.hostname])],
        ports=[
            docker.ContainerPortArgs(internal=internal, external=external, ip=LOOPBACK)
            for internal, external in spec.ports.items()
        ],
        volumes=volumes,
        memory=spec.memory_mb,
        # No swap: a JVM that swaps is slower than one that fails fast and restarts.
        memory_swap=spec.memory_mb,
        cpus=cpus(spec.cpu_millicores),
        restart="always",
        healthcheck=docker.ContainerHealthcheckArgs(
            tests=["CMD-SHELL", spec.health_command],
            # Every check is a process started in the container (about 70 ms of CPU with its TLS handshake): at 3 s
            # the eleven checks of a prod stack took a quarter of a core while it idled; at 10 s a roll waits 5 s
            # longer per node on average to see it healthy.
            interval=go_duration(HEALTH_INTERVAL_S),
            timeout=go_duration(10),
            retries=12,
            start_period=go_duration(spec.start_period_s),
        ),
        log_opts={"max-size": "20m", "max-file": "3"},
        wait=True,
        wait_timeout=spec.start_period_s + 180,
        destroy_grace_seconds=30,
        # The container's name is fixed, so a replacement must remove the old one before creating the new one.
        # A container made with an earlier interval keeps it, also when replaced: Docker cannot change a running
        # container's check, so a changed interval would show as a change on every refresh until a roll replaced
        # every container. New stacks get HEALTH_INTERVAL_S.
        opts=pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(delete_before_replace=True, ignore_changes=["healthcheck.interval"])
        ),
    )
    PidsLimit(
        f"{name}-pids",
        PidsLimitArgs(container=spec.container_name, container_id=container.id, limit=spec.pids_limit),
        opts=pulumi.ResourceOptions(parent=opts.parent, depends_on=[container]),
    )
    return container
