"""Least privilege, read the way an auditor reads it: `docker inspect` of every container of the stack against the
CIS runtime rules, and the kernel's view inside the containers: no capability, no new privileges, nothing
writable but the data volume and /tmp, and a pids limit that holds."""

from __future__ import annotations

import json

import pytest

from tests.e2e import least_privilege as lp

ROLES = ("zookeeper-0", "kafka-0", "schema-registry", "schema-registry-proxy")


@pytest.fixture(scope="module")
def containers(dev):
    names = dev.containers()
    assert sorted(name.removeprefix(f"caracal-{dev.name}-") for name in names) == sorted(ROLES)
    return {name.removeprefix(f"caracal-{dev.name}-"): name for name in names}


def test_every_container_keeps_every_rule(containers):
    assert lp.broken_rules(list(containers.values())) == []


def test_no_process_has_a_capability_or_can_gain_one(containers):
    for role, name in containers.items():
        view = lp.kernel_view(name)
        assert view["CapEff"] == view["CapPrm"] == view["CapBnd"] == "0000000000000000", (role, view)
        assert view["NoNewPrivs"] == "1", (role, view)


@pytest.mark.parametrize(
    ("role", "config", "read_only", "writable"),
    [
        ("kafka-0", "/etc/kafka/server.properties", ["/etc/kafka", "/opt/kafka/libs", "/"], ["/tmp", "/var/lib/kafka"]),
        ("zookeeper-0", "/etc/kafka/zoo.cfg", ["/etc/kafka/secrets", "/etc", "/"], ["/tmp", "/var/lib/zookeeper"]),
        (
            "schema-registry",
            "/opt/apicurio/config/application.properties",
            ["/opt/apicurio/config", "/opt/apicurio"],
            ["/tmp"],
        ),
        ("schema-registry-proxy", "/etc/haproxy/haproxy.cfg", ["/etc/haproxy", "/etc/haproxy/secrets", "/"], ["/tmp"]),
    ],
)
def test_only_the_data_volume_and_tmp_are_writable(containers, role, config, read_only, writable):
    # The service's files are root's and read-only to it; nothing new can be made beside them or in the root.
    changed = lp.run_in(containers[role], f"echo x >> {config}")
    assert changed.returncode != 0 and "Permission denied" in changed.stderr, (role, config, changed.stderr)
    for path in read_only:
        done = lp.run_in(containers[role], f"echo x > {path.rstrip('/')}/.probe")
        assert done.returncode != 0 and "Read-only file system" in done.stderr, (role, path, done.stderr)
    for path in writable:
        done = lp.run_in(containers[role], f"f={path}/.probe-$$ && echo x > $f && rm $f")
        assert done.returncode == 0, (role, path, done.stderr)


def test_the_pids_limit_holds_and_leaves_the_services_room(containers):
    limits = {
        role: document["HostConfig"]["PidsLimit"]
        for role, document in zip(containers, lp.inspect(list(containers.values())), strict=True)
    }
    running = {role: lp.threads(name) for role, name in containers.items()}
    print(f"\n[figures] threads running / pids limit: {json.dumps({r: (running[r], limits[r]) for r in running})}")
    for role in containers:
        assert running[role] * 2 <= limits[role], (role, running[role], limits[role])
    # More processes than the proxy may run: forks beyond its limit fail, and it serves on afterwards.
    proxy = containers["schema-registry-proxy"]
    burst = lp.run_in(
        proxy, f"i=0; while [ $i -lt {limits['schema-registry-proxy'] + 20} ]; do sleep 2 & i=$((i+1)); done; wait"
    )
    assert "fork" in burst.stderr.lower() or "resource temporarily unavailable" in burst.stderr.lower(), burst.stderr
    assert lp.run_in(proxy, "true").returncode == 0
