"""The runner of Kafka's tools against a recording docker: where a tool runs, which class it runs for the image's
Kafka version, how a login reaches it (stdin only), and what a failure says."""

from __future__ import annotations

import subprocess

import pytest

from components.clients import kafka_tools
from components.clients.client_properties import parse_properties
from components.clients.kafka_tools import ClientConfig, InBroker, InToolContainer, ToolError, ToolResult
from components.rules.kafka_tools import CONFIGS, LOG_DIRS, STORAGE
from tests.unit.harness import FAKE_KEY, FAKE_PEM

CONNECTION = {
    "bootstrap_servers": "b-1.example.com:9096",
    "username": "caracal-admin",
    "password": "the-admin-password",
    "ca_pem": FAKE_PEM,
    "mechanism": "SCRAM-SHA-256",
}
_real_docker = kafka_tools._docker
LIBS = {
    "caracal/kafka:3.9.1": "kafka_2.13-3.9.1.jar\nkafka-clients-3.9.1.jar\n",
    "kafka:4.4": "kafka-clients-4.4.0.jar",
}


DONE = ToolResult(0, "done\n", "")


class Docker:
    """Answers inspect and the jar listing like docker would; records every other command and its stdin."""

    def __init__(self, tool: ToolResult = DONE) -> None:
        self.tool = tool
        self.ran: list[tuple[list[str], str | None]] = []
        self.listings = 0
        self.stopped: set[str] = set()
        """Broker containers that do not run."""

    def __call__(self, command: list[str], stdin: str | None, what: str) -> subprocess.CompletedProcess[str]:
        if "{{.State.Running}}" in command:
            running = command[-1] not in self.stopped
            return subprocess.CompletedProcess(command, 0 if running else 1, "true\n" if running else "", "")
        if command[1] == "ps":
            names = ("caracal-dev-kafka-0", "caracal-dev-kafka-1", "caracal-dev-kafka-2")
            return subprocess.CompletedProcess(command, 0, "\n".join(n for n in names if n not in self.stopped), "")
        if command[1] in ("container", "image"):
            target = command[-1]
            image = "caracal/kafka:3.9.1" if target.startswith("caracal-") else target
            return subprocess.CompletedProcess(command, 0, f"sha256:{image}\n", "")
        if "/bin/ls" in command:
            self.listings += 1
            return subprocess.CompletedProcess(command, 0, LIBS[command[-2].removeprefix("sha256:")], "")
        self.ran.append((command, stdin))
        return subprocess.CompletedProcess(command, self.tool.exit_code, self.tool.stdout, self.tool.stderr)


@pytest.fixture
def docker(monkeypatch) -> Docker:
    fake = Docker()
    monkeypatch.setattr(kafka_tools, "_docker", fake)
    kafka_tools._version_of_image.cache_clear()
    return fake


def test_in_a_broker_the_tool_logs_in_with_the_admins_file_there_and_reads_nothing(docker):
    result = kafka_tools.run(CONFIGS, ["--entity-type", "brokers", "--describe"], InBroker("caracal-dev-kafka-0"))
    assert result == ToolResult(0, "done\n", "")
    ((command, stdin),) = docker.ran
    assert stdin is None
    assert command[:3] == ["docker", "exec", "caracal-dev-kafka-0"]
    assert command[3:5] == ["timeout", "110"]
    assert "kafka.admin.ConfigCommand" in command
    assert command[command.index("--bootstrap-server") + 1] == "kafka-0:9092"
    assert command[command.index("--command-config") + 1] == "/etc/kafka/secrets/admin-client.properties"
    assert command[-3:] == ["--entity-type", "brokers", "--describe"]


def test_with_its_broker_not_running_the_tool_runs_in_the_stacks_next_running_broker_on_its_own_host(docker):
    # Broker 0 is being replaced in a roll, or an interrupted `up` left it out: the cluster still answers.
    docker.stopped = {"caracal-dev-kafka-0"}
    kafka_tools.run(CONFIGS, ["--describe"], InBroker("caracal-dev-kafka-0"))
    ((command, _),) = docker.ran
    assert command[:3] == ["docker", "exec", "caracal-dev-kafka-1"]
    assert command[command.index("--bootstrap-server") + 1] == "kafka-1:9092"


def test_with_no_broker_of_the_stack_running_the_tool_is_tried_where_it_was_asked_for(docker):
    docker.stopped = {"caracal-dev-kafka-0", "caracal-dev-kafka-1", "caracal-dev-kafka-2"}
    kafka_tools.run(CONFIGS, ["--describe"], InBroker("caracal-dev-kafka-0"))
    ((command, _),) = docker.ran
    assert command[:3] == ["docker", "exec", "caracal-dev-kafka-0"]


def test_a_throw_away_container_is_sandboxed_on_the_hosts_network_and_gets_the_login_on_stdin_only(docker):
    kafka_tools.run(
        CONFIGS, ["--describe"], InToolContainer("caracal/kafka:3.9.1"), kafka_tools.admin_client(CONNECTION)
    )
    ((command, stdin),) = docker.ran
    assert command[:3] == ["docker", "run", "--rm"]
    for flag, value in [("--network", "host"), ("--pull", "never"), ("--cap-drop", "ALL"), ("--user", "1000:1000")]:
        assert command[command.index(flag) + 1] == value
    assert {"--read-only", "--interactive", "--pids-limit", "--memory"} <= set(command)
    assert command[command.index("--security-opt") + 1] == "no-new-privileges"
    tmpfs = [command[i + 1] for i, part in enumerate(command) if part == "--tmpfs"]
    assert any(mount.startswith("/run/caracal:") and "mode=0700" in mount for mount in tmpfs)
    assert not any("the-admin-password" in part for part in command)
    script = command[-1]
    assert script.startswith("umask 077 && cat > /run/caracal/client.properties && exec timeout 110 java")
    assert "--bootstrap-server b-1.example.com:9096 --command-config /run/caracal/client.properties" in script
    props = parse_properties(stdin)
    assert props["sasl.mechanism"] == "SCRAM-SHA-256"
    assert 'password="the-admin-password"' in props["sasl.jaas.config"]


def test_a_login_given_in_a_broker_goes_to_its_tmpfs_and_is_removed_after_the_tool(docker):
    login = ClientConfig("kafka-0:9092", "sasl.jaas.config=secret\n", ("secret",))
    kafka_tools.run(LOG_DIRS, ["--describe"], InBroker("caracal-dev-kafka-0"), login)
    ((command, stdin),) = docker.ran
    assert command[:4] == ["docker", "exec", "--interactive", "caracal-dev-kafka-0"]
    assert stdin == "sasl.jaas.config=secret\n"
    script = command[-1]
    config = script.split("cat > ")[1].split(" ")[0]
    assert config.startswith("/dev/shm/caracal-tool-")
    assert script.startswith(f"umask 077 && cat > {config} && timeout 110 java")
    assert script.endswith(f"; status=$?; rm -f {config}; exit $status")


def test_the_class_is_chosen_for_the_kafka_of_the_image_read_once_per_image(docker):
    kafka_tools.run(CONFIGS, ["--describe"], InToolContainer("kafka:4.4"), kafka_tools.admin_client(CONNECTION))
    kafka_tools.run(CONFIGS, ["--describe"], InToolContainer("kafka:4.4"), kafka_tools.admin_client(CONNECTION))
    assert all("org.apache.kafka.tools.ConfigCommand" in command[-1] for command, _ in docker.ran)
    assert "-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml" in docker.ran[0][0][-1]
    assert docker.listings == 1


def test_a_tool_that_connects_nowhere_runs_without_a_shell_or_stdin(docker):
    kafka_tools.run(STORAGE, ["random-uuid"], InToolContainer("caracal/kafka:3.9.1"))
    ((command, stdin),) = docker.ran
    assert stdin is None and "--interactive" not in command
    entry = command.index("--entrypoint")
    assert command[entry + 1 : entry + 3] == ["timeout", "caracal/kafka:3.9.1"]
    assert command[-2:] == ["kafka.tools.StorageTool", "random-uuid"]


def test_a_connecting_tool_in_a_throw_away_container_needs_a_login(docker):
    with pytest.raises(ToolError, match=r"kafka-configs connects to the cluster: .* \(in a container of caracal/ka"):
        kafka_tools.run(CONFIGS, ["--describe"], InToolContainer("caracal/kafka:3.9.1"))


def test_a_failure_names_the_tool_its_class_and_place_and_shows_stderr_with_secrets_masked(monkeypatch):
    said = "SaslAuthenticationException: wrong password the-admin-password for caracal-admin"
    monkeypatch.setattr(kafka_tools, "_docker", Docker(ToolResult(1, "", said)))
    kafka_tools._version_of_image.cache_clear()
    with pytest.raises(ToolError) as error:
        kafka_tools.run(
            CONFIGS, ["--describe"], InToolContainer("caracal/kafka:3.9.1"), kafka_tools.admin_client(CONNECTION)
        )
    assert str(error.value) == (
        "kafka-configs (kafka.admin.ConfigCommand) in a container of caracal/kafka:3.9.1 exited with status 1: "
        "SaslAuthenticationException: wrong password ****** for caracal-admin"
    )


def test_without_check_a_failure_is_returned_as_a_result(monkeypatch):
    monkeypatch.setattr(kafka_tools, "_docker", Docker(ToolResult(2, "partial", "oops")))
    kafka_tools._version_of_image.cache_clear()
    result = kafka_tools.run(CONFIGS, ["--describe"], InBroker("caracal-dev-kafka-0"), check=False)
    assert result == ToolResult(2, "partial", "oops")


def test_a_missing_container_is_named(monkeypatch):
    monkeypatch.setattr(
        kafka_tools, "_docker", lambda command, *_: subprocess.CompletedProcess(command, 1, "", "No such object")
    )
    with pytest.raises(ToolError, match="broker container caracal-x-kafka-0 is not there to run a Kafka tool in"):
        kafka_tools.run(CONFIGS, ["--describe"], InBroker("caracal-x-kafka-0"))


def test_the_admins_client_key_is_masked_too():
    login = kafka_tools.admin_client({**CONNECTION, "certificate_pem": FAKE_PEM, "key_pem": FAKE_KEY})
    assert "the-admin-password" in login.secrets and "TUlJRQ==" in login.secrets
    assert parse_properties(login.properties)["ssl.keystore.type"] == "PEM"


def test_a_tool_that_hangs_is_named_and_its_throw_away_container_removed(monkeypatch, docker):
    commands: list[list[str]] = []

    def hangs(command, **kwargs):
        commands.append(command)
        if command[:2] == ["docker", "run"]:
            raise subprocess.TimeoutExpired(command, kafka_tools.TIMEOUT_S)
        return subprocess.CompletedProcess(command, 0, "sha256:caracal/kafka:3.9.1\n", "")  # docker image inspect

    kafka_tools._version_of_image("sha256:caracal/kafka:3.9.1")  # read with the recording docker, then kept
    monkeypatch.setattr(kafka_tools, "_docker", _real_docker)
    monkeypatch.setattr(kafka_tools.subprocess, "run", hangs)
    with pytest.raises(ToolError, match=r"kafka-storage \(kafka.tools.StorageTool\) in a container of .* within 120 s"):
        kafka_tools.run(STORAGE, ["random-uuid"], InToolContainer("caracal/kafka:3.9.1"))
    name = commands[1][commands[1].index("--name") + 1]
    assert commands[-1] == ["docker", "rm", "--force", name]


def test_a_document_follows_the_login_on_stdin_and_only_the_document_reaches_the_tool(docker):
    login = ClientConfig("kafka-0:9092", "sasl.jaas.config=secret\nssl.truststore.type=PEM\n", ("secret",))
    plan = '{"version": 1, "partitions": []}'
    kafka_tools.run(LOG_DIRS, ["--file", kafka_tools.DOCUMENT], InBroker("caracal-dev-kafka-0"), login, document=plan)
    ((command, stdin),) = docker.ran
    assert stdin == f"sasl.jaas.config=secret\nssl.truststore.type=PEM\n{kafka_tools.CONFIG_END}\n{plan}"
    assert "secret" not in " ".join(command) and plan not in " ".join(command)


def test_the_shell_reads_the_login_up_to_its_marker_and_leaves_the_document_to_the_tool(tmp_path):
    # The reading part of the script, run for real: the tool's place is taken by `cat`.
    config = tmp_path / "client.properties"
    document = '{"version": 1,\n "partitions": []}\n'
    script = f"{kafka_tools._READ_CONFIG}{config} && cat"
    stdin = f"a=1\nb=two words\n{kafka_tools.CONFIG_END}\n{document}"
    done = subprocess.run(["/bin/sh", "-c", script], input=stdin, capture_output=True, text=True, check=True)
    assert config.read_text() == "a=1\nb=two words\n"
    assert done.stdout == document


def test_a_document_without_a_login_is_all_of_stdin(docker):
    kafka_tools.run(LOG_DIRS, ["--file", kafka_tools.DOCUMENT], InBroker("caracal-dev-kafka-0"), document="{}")
    ((command, stdin),) = docker.ran
    assert command[:4] == ["docker", "exec", "--interactive", "caracal-dev-kafka-0"]
    assert stdin == "{}"
