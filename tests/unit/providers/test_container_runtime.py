"""What pulumi-docker cannot give a container, on a fake Docker CLI: its config volume, filled through a container
that never starts with the archive on stdin, and its pids limit, set again on a new container and read back."""

from __future__ import annotations

import io
import tarfile

import pytest

from components.clients.docker_cli import DockerUnavailable
from components.providers import config_volume, pids_limit
from components.providers.config_volume import ConfigVolumeArgs, ConfigVolumeProvider
from components.providers.pids_limit import PidsLimitArgs, PidsLimitProvider

SECRET = "password-that-must-stay-off-command-lines"


class FakeDocker:
    def __init__(self) -> None:
        self.commands: list[tuple[str, ...]] = []
        self.stdin: list[bytes] = []
        self.volumes: set[str] = set()
        self.pids: dict[str, int] = {}
        self.left_fillers: list[str] = []

    def __call__(self, *args: str, timeout: float = 20, stdin: bytes | None = None) -> str:
        self.commands.append(args)
        if stdin is not None:
            self.stdin.append(stdin)
        match args:
            case ("volume", "create", *_, name):
                self.volumes.add(name)
            case ("volume", "inspect", name):
                if name not in self.volumes:
                    raise DockerUnavailable(f"docker volume: Error: No such volume: {name}")
                return "[{}]"
            case ("container", "ls", "--all", "--quiet", "--filter", _):
                return "".join(f"{filler}\n" for filler in self.left_fillers)
            case ("volume", "rm", name):
                self.volumes.remove(name)
            case ("update", "--pids-limit", limit, name):
                self.pids[name] = int(limit)
            case ("inspect", "--type", "container", "--format", _, name):
                if name not in self.pids:
                    raise DockerUnavailable(f"docker inspect: Error: No such container: {name}")
                return f"id-{name} {self.pids[name]}\n"
        return ""


@pytest.fixture
def host(monkeypatch):
    fake = FakeDocker()
    monkeypatch.setattr(config_volume, "docker", fake)
    monkeypatch.setattr(pids_limit, "docker", fake)
    return fake


def volume_props(content: str = SECRET, image: str = "sha256:kafka") -> dict:
    files = [
        {"path": "/etc/kafka/secrets/admin-client.properties", "content": content, "executable": False},
        {"path": "/etc/kafka/start.sh", "content": "#!/bin/sh\n", "executable": True},
    ]
    return ConfigVolumeArgs(
        name="caracal-dev-kafka-0-config", directory="/etc/kafka", image=image, files=files
    ).to_props()


def test_the_volume_is_filled_through_a_container_that_never_starts_and_the_files_arrive_on_stdin(host):
    created = ConfigVolumeProvider().create(volume_props())
    assert created.id == "caracal-dev-kafka-0-config"
    verbs = [command[:2] for command in host.commands]
    assert verbs == [("volume", "create"), ("container", "ls"), ("container", "create"), ("cp", "-"), ("rm", "--force")]
    assert not any("start" in command or "run" in command for command in host.commands)
    assert all(SECRET not in " ".join(command) for command in host.commands)
    with tarfile.open(fileobj=io.BytesIO(host.stdin[0])) as tar:
        assert tar.extractfile("secrets/admin-client.properties").read().decode() == SECRET
    filler = host.commands[2]
    assert "--network" in filler and "none" in filler and "ALL" in filler


def test_a_filler_left_by_a_killed_up_is_removed_before_the_volume_is_filled_again(host):
    host.left_fillers = ["3f2a9c"]
    ConfigVolumeProvider().create(volume_props())
    removals = [command for command in host.commands if command[:2] == ("rm", "--force")]
    assert removals[0] == ("rm", "--force", "3f2a9c") and len(removals) == 2


def test_new_content_replaces_the_volume_after_its_container_and_a_new_image_changes_nothing_in_it():
    provider = ConfigVolumeProvider()
    changed = provider.diff("v", volume_props(), volume_props(content="other"))
    assert changed.replaces == ["files"] and changed.delete_before_replace
    image_only = provider.diff("v", volume_props(), volume_props(image="sha256:new"))
    assert image_only.changes and image_only.replaces == []
    assert not provider.diff("v", volume_props(), volume_props()).changes


def test_a_file_outside_the_config_directory_is_refused_at_preview():
    props = volume_props()
    props["files"].append({"path": "/etc/passwd", "content": "x", "executable": False})
    failures = ConfigVolumeProvider().check({}, props).failures
    assert failures and "/etc/passwd" in failures[0].reason


def test_a_volume_removed_by_hand_is_made_again_and_removal_succeeds_when_it_is_gone(host):
    provider = ConfigVolumeProvider()
    assert provider.read("caracal-dev-kafka-0-config", volume_props()).id is None
    provider.create(volume_props())
    assert provider.read("caracal-dev-kafka-0-config", volume_props()).id == "caracal-dev-kafka-0-config"
    provider.delete("caracal-dev-kafka-0-config", volume_props())
    provider.delete("caracal-dev-kafka-0-config", volume_props())
    assert host.volumes == set()


def limit_props(container_id: str = "id-caracal-dev-kafka-0", limit: int = 320) -> dict:
    return PidsLimitArgs(container="caracal-dev-kafka-0", container_id=container_id, limit=limit).to_props()


def test_the_limit_is_set_on_the_container_and_again_on_a_new_one_in_place(host):
    provider = PidsLimitProvider()
    provider.create(limit_props())
    assert host.pids == {"caracal-dev-kafka-0": 320}
    replaced = provider.diff("p", limit_props(), limit_props(container_id="id-new"))
    assert replaced.changes and replaced.replaces == []
    provider.update("p", limit_props(), limit_props(container_id="id-new", limit=384))
    assert host.pids == {"caracal-dev-kafka-0": 384}


def test_a_limit_changed_by_hand_shows_at_refresh_and_the_next_up_sets_it_again(host):
    provider = PidsLimitProvider()
    provider.create(limit_props())
    host.pids["caracal-dev-kafka-0"] = 0
    read = provider.read("p", limit_props())
    assert read.outs["limit"] == 0
    assert provider.diff("p", read.outs, limit_props()).changes


def test_a_limit_that_is_not_positive_is_refused_at_preview():
    failures = PidsLimitProvider().check({}, limit_props(limit=0)).failures
    assert failures and failures[0].property == "limit"
