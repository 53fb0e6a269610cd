"""Kafka's tools for a cluster the program does not run: a throw-away container of the local Kafka image, on the
host's network, sandboxed, with the admin's login on stdin only; the main class is the one of the image's Kafka."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
import time

import pytest

from components.clients import kafka_tools
from components.rules.kafka_tools import CONFIGS, LOG_DIRS

MIB = 1024 * 1024
# Only the tool containers this process runs: other stacks on the host may run theirs at the same time.
OWN_TOOLS = f"label={kafka_tools.OWNER_LABEL}={os.getpid()}"


def docker(*args: str) -> str:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=True).stdout


def admin_login(cluster_outputs) -> tuple[kafka_tools.ClientConfig, str]:
    admin = cluster_outputs["clientConfigs"]["admin"]["kafka"]
    connection = {
        "bootstrap_servers": cluster_outputs["bootstrapServers"],
        "username": admin["sasl.username"],
        "password": admin["sasl.password"],
        "ca_pem": cluster_outputs["caCertificate"],
    }
    return kafka_tools.admin_client(connection), admin["sasl.password"]


def kafka_image(cluster) -> str:
    return docker("container", "inspect", "--format", "{{.Config.Image}}", f"caracal-{cluster.name}-kafka-0").strip()


def test_a_tool_for_an_external_cluster_runs_sandboxed_and_its_login_is_in_no_container_metadata(
    cluster, cluster_outputs
):
    login, password = admin_login(cluster_outputs)
    seen: dict[str, dict] = {}
    stop = threading.Event()

    def watch() -> None:  # every tool container while it runs, as `docker inspect` shows it to anyone
        while not stop.is_set():
            for container in docker("ps", "--quiet", "--filter", OWN_TOOLS).split():
                with contextlib.suppress(subprocess.CalledProcessError):  # gone between ps and inspect
                    seen.setdefault(container, json.loads(docker("container", "inspect", container))[0])
            time.sleep(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        result = kafka_tools.run(LOG_DIRS, ["--describe"], kafka_tools.InToolContainer(kafka_image(cluster)), login)
    finally:
        stop.set()
        watcher.join()

    described = json.loads(result.stdout.strip().splitlines()[-1])
    assert [broker["broker"] for broker in described["brokers"]] == [0, 1]
    tools = [found for found in seen.values() if found["HostConfig"]["NetworkMode"] == "host"]
    assert tools, "the tool's container was never seen running"
    for found in tools:
        assert password not in json.dumps(found)
        host = found["HostConfig"]
        assert host["ReadonlyRootfs"] is True and host["CapDrop"] == ["ALL"]
        assert host["SecurityOpt"] == ["no-new-privileges"]
        assert host["PidsLimit"] == 256 and host["Memory"] == 512 * MIB
        assert found["Config"]["User"] == "1000:1000"
    deadline = time.monotonic() + 10
    while docker("ps", "--all", "--quiet", "--filter", OWN_TOOLS) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert docker("ps", "--all", "--quiet", "--filter", OWN_TOOLS) == "", "a tool container was left"


def test_a_failing_tool_names_itself_and_shows_what_it_said_without_the_password(cluster, cluster_outputs):
    login, password = admin_login(cluster_outputs)
    with pytest.raises(kafka_tools.ToolError) as error:
        kafka_tools.run(
            CONFIGS, ["--entity-type", "users", "--describe", "--no-such-option"],
            kafka_tools.InToolContainer(kafka_image(cluster)), login,
        )  # fmt: skip
    message = str(error.value)
    assert message.startswith(f"kafka-configs (kafka.admin.ConfigCommand) in a container of {kafka_image(cluster)}")
    assert "no-such-option" in message and password not in message
