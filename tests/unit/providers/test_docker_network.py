"""The platform's network on a fake Docker CLI: made once, taken over from pulumi-docker in place, read in one look,
removed once its containers have left it."""

from __future__ import annotations

import json

import dill
import pytest

from components.clients.docker_cli import DockerUnavailable
from components.compat.pulumi_docker_network import FORMER_TYPE
from components.providers import docker_network
from components.providers.docker_network import DockerNetworkArgs, DockerNetworkProvider

NAME = "caracal-dev"


class FakeDocker:
    """Networks by name; `attached` counts the removals refused while endpoints are still attached."""

    def __init__(self) -> None:
        self.networks: dict[str, dict] = {}
        self.attached = 0
        self.commands: list[tuple[str, ...]] = []

    def __call__(self, *args: str, timeout: float = 20) -> str:
        self.commands.append(args)
        match args:
            case ("network", "inspect", name):
                found = self.networks.get(name) or next(
                    (net for net in self.networks.values() if net["Id"] == name), None
                )
                if found is None:
                    raise DockerUnavailable(f"docker network: Error response from daemon: network {name} not found")
                return json.dumps([found])
            case ("network", "create", "--driver", driver, name):
                self.networks[name] = {"Name": name, "Id": f"id-{name}", "Driver": driver}
                return f"id-{name}\n"
            case ("network", "rm", name):
                if self.attached:
                    self.attached -= 1
                    raise DockerUnavailable(
                        f"docker network: error while removing network: {name} has active endpoints"
                    )
                del self.networks[name]
                return name
        raise AssertionError(f"unexpected docker {args}")


@pytest.fixture
def host(monkeypatch):
    fake = FakeDocker()
    monkeypatch.setattr(docker_network, "docker", fake)
    monkeypatch.setattr(docker_network, "REMOVE_POLL_S", 0)
    return fake


def props(name=NAME, driver="bridge"):
    return DockerNetworkArgs(name=name, driver=driver).to_props()


def test_create_makes_the_network_and_records_its_id(host):
    result = DockerNetworkProvider().create(props())
    assert result.id == NAME
    assert result.outs == {"name": NAME, "driver": "bridge", "network_id": f"id-{NAME}"}
    assert host.commands[1] == ("network", "create", "--driver", "bridge", NAME)


def test_a_network_left_by_an_interrupted_run_is_taken_as_it_is(host):
    host.networks[NAME] = {"Name": NAME, "Id": "left", "Driver": "bridge"}
    assert DockerNetworkProvider().create(props()).outs["network_id"] == "left"
    assert all(command[1] != "create" for command in host.commands)


def test_a_network_of_that_name_with_another_driver_is_refused_naming_both(host):
    host.networks[NAME] = {"Name": NAME, "Id": "x", "Driver": "overlay"}
    with pytest.raises(ValueError, match="exists with driver overlay, not bridge: remove it first"):
        DockerNetworkProvider().create(props())


def test_a_network_recorded_by_pulumi_docker_is_taken_over_by_an_update_not_replaced(host):
    host.networks[NAME] = {"Name": NAME, "Id": "docker-id", "Driver": "bridge"}
    former_outputs = {"name": NAME, "driver": "bridge", "ipamDriver": "default", "internal": False}
    diff = DockerNetworkProvider().diff("docker-id", former_outputs, props())
    assert (diff.changes, diff.replaces) == (True, [])
    taken = DockerNetworkProvider().update("docker-id", former_outputs, props())
    assert taken.outs["network_id"] == "docker-id"
    assert DockerNetworkProvider().diff("docker-id", taken.outs, props()).changes is False
    assert FORMER_TYPE == "docker:index/network:Network"


def test_another_name_or_driver_replaces_the_network_deleting_it_first(host):
    recorded = {**props(), "network_id": "i"}
    diff = DockerNetworkProvider().diff(NAME, recorded, props(name="caracal-other"))
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, ["name"], True)


def test_a_refresh_reads_the_network_in_one_look_and_a_removed_one_is_gone(host):
    host.networks[NAME] = {"Name": NAME, "Id": "i", "Driver": "bridge"}
    read = DockerNetworkProvider().read(NAME, {**props(), "network_id": "i"})
    assert (read.id, read.outs["network_id"], read.inputs) == (NAME, "i", props())
    assert host.commands == [("network", "inspect", NAME)]
    del host.networks[NAME]
    assert DockerNetworkProvider().read(NAME, props()).id is None


def test_delete_waits_for_the_endpoints_of_removed_containers_to_leave(host):
    host.networks[NAME] = {"Name": NAME, "Id": "i", "Driver": "bridge"}
    host.attached = 2
    DockerNetworkProvider().delete(NAME, props())
    assert NAME not in host.networks
    assert [command[1] for command in host.commands].count("rm") == 3
    host.commands.clear()
    DockerNetworkProvider().delete(NAME, props())  # already gone: nothing to do
    assert host.commands == [("network", "inspect", NAME)]


def test_a_daemon_that_does_not_answer_is_an_error_not_a_missing_network(monkeypatch):
    def down(*args, timeout=20):
        raise DockerUnavailable("docker network: Cannot connect to the Docker daemon")

    monkeypatch.setattr(docker_network, "docker", down)
    with pytest.raises(DockerUnavailable, match="Cannot connect"):
        DockerNetworkProvider().read(NAME, props())


@pytest.mark.parametrize(
    ("news", "prop", "allowed"),
    [({"name": " "}, "name", "a non-empty network name"), ({"name": NAME, "driver": "host"}, "driver", "bridge")],
)
def test_check_names_the_property_and_what_is_allowed(news, prop, allowed):
    failures = DockerNetworkProvider().check({}, news).failures
    assert [(failure.property, allowed in failure.reason) for failure in failures] == [(prop, True)]


def test_the_provider_pickles_for_the_engine():
    assert type(dill.loads(dill.dumps(DockerNetworkProvider()))) is DockerNetworkProvider
