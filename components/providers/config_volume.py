"""A container's config volume (dynamic provider, through the Docker CLI): a Docker volume holding the files the
service runs with, filled before the container starts and mounted read-only into it.

Why: the services run on a read-only root filesystem, and Docker's archive upload (pulumi-docker's `uploads`
writes at "/") is refused on such a container. The volume is filled instead through a container that is created
and never started (`docker create`, then `docker cp -` with the archive on stdin, then `docker rm`): no content
is on a command line, in an environment variable or in container metadata; in the state the files are secret.

New content replaces the volume, before its container is replaced (delete before replace): the engine first
removes the container that mounts it, which its restart gate has allowed, then makes the volume and the container
anew, so the running service never sees its files change under it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients.docker_cli import DockerUnavailable, docker
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules.config_archive import archive, relative_path
from components.rules.names import CONFIG_VOLUME
from components.rules.values import Failure, is_unknown

# Where the filling container sees the volume.
FILL_PATH = "/config"
# Changing any of these makes a new volume; the image only serves to create the filling container.
IDENTITY = ("name", "directory", "files")


@dataclass(frozen=True)
class ConfigVolumeArgs(ResourceArgs):
    name: str
    """The volume's name on the Docker host."""
    directory: str
    """Where the service's container mounts it: every file lies under it."""
    image: pulumi.Input[str]
    """An image on this host to create the (never started) filling container from."""
    files: pulumi.Input[list[dict[str, Any]]]
    """{"path": absolute path in the service's container, "content": text, "executable": bool} each (secret)."""


def _volume_exists(name: str) -> bool:
    try:
        json.loads(docker("volume", "inspect", name))
    except DockerUnavailable as error:
        if "no such volume" in str(error).lower():
            return False
        raise
    return True


def _fill(args: ConfigVolumeArgs) -> None:
    payload = archive(args.directory, args.files)
    docker("volume", "create", "--label", "caracal.config-volume=true", args.name)
    # A filler left by an `up` killed between its create and its removal goes first: nothing else would remove it.
    left = docker("container", "ls", "--all", "--quiet", "--filter", f"name=^{args.name}-fill-").split()
    if left:
        docker("rm", "--force", *left)
    filler = f"{args.name}-fill-{secrets.token_hex(4)}"
    docker(
        "container", "create", "--name", filler, "--network", "none", "--cap-drop", "ALL",
        "--mount", f"type=volume,source={args.name},target={FILL_PATH}", str(args.image), "/bin/true",
    )  # fmt: skip
    try:
        docker("cp", "-", f"{filler}:{FILL_PATH}", stdin=payload, timeout=60)
    finally:
        docker("rm", "--force", filler)


class ConfigVolumeProvider(PlatformProvider):
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = []
        directory, files = news.get("directory"), news.get("files")
        if not is_unknown(directory) and not is_unknown(files):
            for item in files or []:
                if isinstance(item, dict) and not is_unknown(item.get("path")):
                    try:
                        relative_path(directory, item["path"])
                    except ValueError as error:
                        failures.append(Failure("files", str(error)))
        return check_result(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces = [key for key in IDENTITY if olds.get(key) != news.get(key)]
        changes = bool(replaces) or olds.get("image") != news.get("image")
        return DiffResult(changes=changes, replaces=replaces, delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = ConfigVolumeArgs.from_props(props)
        _fill(args)
        return CreateResult(args.name, args.to_props())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        if not _volume_exists(props.get("name") or id_):
            # Gone: the next `up` makes and fills it again.
            return ReadResult(None, {})
        return ReadResult(id_, props, props)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Only the image changed: the files are as they were.
        return UpdateResult(news)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        name = props.get("name") or id_
        if _volume_exists(name):
            docker("volume", "rm", name)


class ConfigVolume(PlatformResource, kind=CONFIG_VOLUME):
    """The volume a service container reads its files from; mount it by `name`."""

    name: pulumi.Output[str]

    provider_class = ConfigVolumeProvider
    secret_outputs = ("files",)
