"""The inspect check fails on every loosened setting, naming the container and the rule."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from components.rules.container_hardening import violations


def hardened() -> dict[str, Any]:
    """`docker inspect` of a broker as the platform makes it (the fields the rules read)."""
    return {
        "Name": "/caracal-dev-kafka-0",
        "Config": {"User": "kafka"},
        "Mounts": [
            {"Type": "volume", "Name": "caracal-dev-kafka-0-data", "Destination": "/var/lib/kafka", "RW": True},
            {"Type": "volume", "Name": "caracal-dev-kafka-0-config", "Destination": "/etc/kafka", "RW": False},
        ],
        "HostConfig": {
            "CapDrop": ["ALL"],
            "CapAdd": None,
            "SecurityOpt": ["no-new-privileges:true"],
            "ReadonlyRootfs": True,
            "PidsLimit": 320,
            "Memory": 1610612736,
            "NanoCpus": 1500000000,
            "CpuShares": 0,
            "CpuQuota": 0,
            "PortBindings": {"9093/tcp": [{"HostIp": "127.0.0.1", "HostPort": "39093"}]},
            "PublishAllPorts": False,
            "Privileged": False,
            "NetworkMode": "caracal-dev",
            "PidMode": "",
            "IpcMode": "private",
            "UTSMode": "",
            "UsernsMode": "",
            "CgroupnsMode": "host",
            "Devices": [],
            "Binds": ["caracal-dev-kafka-0-data:/var/lib/kafka:rw"],
            "Tmpfs": {"/tmp": "rw,exec,nosuid,nodev,size=64m"},
        },
    }


def test_the_platforms_settings_pass():
    assert violations(hardened()) == []


def tampered(path: str, value: Any) -> dict[str, Any]:
    inspect = copy.deepcopy(hardened())
    *parents, key = path.split(".")
    target = inspect
    for parent in parents:
        target = target[parent]
    target[key] = value
    return inspect


@pytest.mark.parametrize(
    ("path", "value", "rule"),
    [
        ("HostConfig.CapDrop", None, "capabilities dropped: ALL"),
        ("HostConfig.CapDrop", ["NET_RAW"], "capabilities dropped: ALL"),
        ("HostConfig.CapAdd", ["NET_BIND_SERVICE"], "capabilities added: only none"),
        ("HostConfig.CapAdd", ["CAP_SYS_ADMIN"], "capabilities added: only none"),
        ("HostConfig.SecurityOpt", [], "no-new-privileges"),
        ("HostConfig.SecurityOpt", ["no-new-privileges:false"], "no-new-privileges"),
        ("HostConfig.SecurityOpt", ["no-new-privileges", "seccomp=unconfined"], "default seccomp and AppArmor"),
        ("HostConfig.SecurityOpt", ["no-new-privileges", "apparmor:unconfined"], "default seccomp and AppArmor"),
        ("HostConfig.ReadonlyRootfs", False, "read-only root filesystem"),
        ("HostConfig.PidsLimit", None, "pids limit"),
        ("HostConfig.PidsLimit", 0, "pids limit"),
        ("HostConfig.PidsLimit", -1, "pids limit"),
        ("HostConfig.Memory", 0, "memory limit"),
        ("HostConfig.NanoCpus", 0, "CPU limit or share"),
        ("HostConfig.PortBindings", {"9093/tcp": [{"HostIp": "", "HostPort": "39093"}]}, "127.0.0.1 only"),
        ("HostConfig.PortBindings", {"9093/tcp": [{"HostIp": "0.0.0.0", "HostPort": "1"}]}, "127.0.0.1 only"),
        ("HostConfig.PublishAllPorts", True, "127.0.0.1 only"),
        ("Config.User", "", "non-root user"),
        ("Config.User", "root", "non-root user"),
        ("Config.User", "0:0", "non-root user"),
        ("HostConfig.Privileged", True, "not privileged"),
        ("HostConfig.NetworkMode", "host", "no host namespace (NetworkMode)"),
        ("HostConfig.PidMode", "host", "no host namespace (PidMode)"),
        ("HostConfig.IpcMode", "host", "no host namespace (IpcMode)"),
        ("HostConfig.UTSMode", "host", "no host namespace (UTSMode)"),
        ("HostConfig.Devices", [{"PathOnHost": "/dev/kmsg"}], "no host devices"),
        ("HostConfig.Binds", ["/var/run/docker.sock:/var/run/docker.sock"], "no host path mounted"),
        ("Mounts", [{"Type": "bind", "Source": "/etc", "Destination": "/host-etc"}], "no host path mounted"),
    ],
)
def test_a_loosened_setting_fails_naming_the_container_and_the_rule(path, value, rule):
    found = violations(tampered(path, value))
    assert len(found) == 1, found
    assert found[0].startswith("caracal-dev-kafka-0: ") and rule in found[0]


def test_a_capability_the_container_is_allowed_passes_and_any_other_fails():
    inspect = tampered("HostConfig.CapAdd", ["CAP_NET_BIND_SERVICE"])
    assert violations(inspect, allowed_capabilities=["NET_BIND_SERVICE"]) == []
    assert violations(tampered("HostConfig.CapAdd", ["CHOWN"]), allowed_capabilities=["NET_BIND_SERVICE"])


def test_a_container_made_with_dockers_defaults_breaks_every_rule_at_once():
    defaults = {"Name": "/caracal-dev-loose", "Config": {"User": ""}, "HostConfig": {"PortBindings": {}}}
    rules = [line.split(": ")[1] for line in violations(defaults)]
    assert rules == [
        "capabilities dropped",
        "no-new-privileges",
        "read-only root filesystem",
        "pids limit",
        "memory limit",
        "CPU limit or share",
        "non-root user",
    ]
