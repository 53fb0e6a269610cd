"""What `docker inspect` of every platform container must show: the container runtime rules of the CIS Docker
Benchmark (section 5) the platform keeps. Pure: hand in one container's inspect document, get every rule it
breaks, each naming the container and the rule, so that no later change loosens a setting unnoticed."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

LOOPBACK = "127.0.0.1"
NO_NEW_PRIVILEGES = ("no-new-privileges", "no-new-privileges:true", "no-new-privileges=true")
# Host namespaces a container must not share. Not the cgroup namespace: on a cgroup v1 host Docker shares it with
# every container (the daemon's default there), and CIS section 5 has no rule on it.
HOST_NAMESPACES = ("NetworkMode", "PidMode", "IpcMode", "UTSMode", "UsernsMode")
ROOT_USERS = ("", "root", "0")


def _capability(name: str) -> str:
    """Docker accepts CAP_CHOWN and CHOWN alike."""
    return name.upper().removeprefix("CAP_")


def violations(inspect: Mapping[str, Any], allowed_capabilities: Collection[str] = ()) -> list[str]:
    """Every rule `inspect` (one element of `docker inspect`'s list) breaks, as "<container>: <rule>: <found>"."""
    name = str(inspect.get("Name", "?")).lstrip("/")
    host: Mapping[str, Any] = inspect.get("HostConfig") or {}
    config: Mapping[str, Any] = inspect.get("Config") or {}
    found: list[str] = []

    def rule(ok: bool, what: str, detail: object) -> None:
        if not ok:
            found.append(f"{name}: {what}: {detail}")

    dropped = [_capability(cap) for cap in host.get("CapDrop") or []]
    rule(dropped == ["ALL"], "capabilities dropped: ALL", f"CapDrop={host.get('CapDrop')}")
    allowed = {_capability(cap) for cap in allowed_capabilities}
    added = sorted({_capability(cap) for cap in host.get("CapAdd") or []} - allowed)
    rule(not added, f"capabilities added: only {sorted(allowed) or 'none'}", f"CapAdd={host.get('CapAdd')}")
    options = [str(option) for option in host.get("SecurityOpt") or []]
    rule(any(option in NO_NEW_PRIVILEGES for option in options), "no-new-privileges", f"SecurityOpt={options}")
    unconfined = [option for option in options if option.endswith("=unconfined") or option.endswith(":unconfined")]
    rule(not unconfined, "default seccomp and AppArmor profiles", f"SecurityOpt={options}")
    rule(
        host.get("ReadonlyRootfs") is True, "read-only root filesystem", f"ReadonlyRootfs={host.get('ReadonlyRootfs')}"
    )
    pids = host.get("PidsLimit")
    rule(isinstance(pids, int) and pids > 0, "pids limit", f"PidsLimit={pids}")
    memory = host.get("Memory")
    rule(isinstance(memory, int) and memory > 0, "memory limit", f"Memory={memory}")
    cpu = [host.get(key) or 0 for key in ("NanoCpus", "CpuQuota", "CpuShares")]
    rule(any(value > 0 for value in cpu), "CPU limit or share", f"NanoCpus, CpuQuota, CpuShares={cpu}")
    for port, bindings in sorted((host.get("PortBindings") or {}).items()):
        for binding in bindings or []:
            ip = binding.get("HostIp")
            rule(ip == LOOPBACK, f"port published on {LOOPBACK} only", f"{port} on {ip or '0.0.0.0'}")
    rule(not host.get("PublishAllPorts"), f"port published on {LOOPBACK} only", "PublishAllPorts=true")
    user = str(config.get("User") or "").split(":", 1)[0]
    rule(user not in ROOT_USERS, "non-root user", f"User={config.get('User')!r}")
    rule(not host.get("Privileged"), "not privileged", "Privileged=true")
    for namespace in HOST_NAMESPACES:
        rule(host.get(namespace) != "host", f"no host namespace ({namespace})", f"{namespace}=host")
    rule(not host.get("Devices"), "no host devices", f"Devices={host.get('Devices')}")
    # A named volume given as a bind ("name:/path:rw", pulumi-docker's `volumes`) is no host path.
    binds = [mount.get("Source") for mount in inspect.get("Mounts") or [] if mount.get("Type") == "bind"]
    binds += [bind for bind in host.get("Binds") or [] if bind.startswith("/")]
    rule(not binds, "no host path mounted", f"{binds}")
    return found
