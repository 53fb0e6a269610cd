"""Quotas on an external cluster: Kafka's ConfigCommand in a throw-away container, the admin's login on stdin only."""

from __future__ import annotations

import pytest

from components.clients import config_command as tool
from components.clients.client_properties import parse_properties
from components.providers.user_quota import config_command
from components.rules.quota import diff_quota
from tests.unit.harness import FAKE_PEM

CONNECTION = {
    "bootstrap_servers": "b-1.example.com:9096",
    "username": "caracal-admin",
    "password": "the-admin-password",
    "ca_pem": FAKE_PEM,
    "mechanism": "SCRAM-SHA-256",
}
QUOTA = {"user": "ext-producer", "container": "", "connection": CONNECTION, "image": "caracal/kafka:3.9.1"}


def test_the_tool_runs_in_a_removed_container_on_the_hosts_network_from_the_local_image():
    command, _ = config_command(QUOTA, "--describe")
    assert command[:3] == ["docker", "run", "--rm"]
    assert command[command.index("--network") + 1] == "host"
    assert command[command.index("--pull") + 1] == "never"
    assert "caracal/kafka:3.9.1" in command
    script = command[-1]
    assert "--bootstrap-server b-1.example.com:9096" in script
    assert script.endswith("--entity-type users --entity-name ext-producer --describe")


def test_the_admins_password_is_on_stdin_only_and_lands_on_a_private_tmpfs():
    command, stdin = config_command(QUOTA, "--alter", "--add-config", "producer_byte_rate=1048576")
    assert not any("the-admin-password" in part for part in command)
    tmpfs = command[command.index("--tmpfs") + 1]
    assert tmpfs.startswith("/run/caracal:") and "mode=0700" in tmpfs
    assert "umask 077 && cat > /run/caracal/admin.properties" in command[-1]
    props = parse_properties(stdin)
    assert props["sasl.mechanism"] == "SCRAM-SHA-256"
    assert 'password="the-admin-password"' in props["sasl.jaas.config"]
    assert props["ssl.truststore.type"] == "PEM"


def test_a_quota_recorded_before_external_clusters_shows_no_change_and_a_new_login_is_an_update():
    recorded = {"user": "producer", "container": "caracal-dev-kafka-0", "producer_byte_rate": 1048576}
    today = {**recorded, "consumer_byte_rate": None, "connection": None, "image": ""}
    assert diff_quota(recorded, today) == (False, [])
    rotated = {**CONNECTION, "password": "a-new-admin-password"}
    assert diff_quota(
        {**QUOTA, "producer_byte_rate": 1048576}, {**QUOTA, "producer_byte_rate": 1048576, "connection": rotated}
    ) == (True, [])


def test_a_failing_tool_is_reported_with_the_image_it_ran_from(monkeypatch):
    class Done:
        returncode, stdout, stderr = 1, "", "Authentication failed during authentication"

    monkeypatch.setattr(tool.subprocess, "run", lambda *args, **kwargs: Done())
    with pytest.raises(
        RuntimeError, match=r"ConfigCommand in a container of caracal/kafka:3.9.1 failed: Authentication"
    ):
        tool.run(config_command(QUOTA, "--describe"))
