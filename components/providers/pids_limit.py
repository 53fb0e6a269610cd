"""A container's pids limit (dynamic provider, through the Docker CLI): pulumi-docker 5.1.0 has no field for it,
so it is set with `docker update --pids-limit` as soon as the container runs, and again whenever the container is
made anew. Docker keeps it in the container's host config: restarts of the container or the daemon keep it, and a
refresh reads it back, so a limit changed by hand shows as a change and the next `up` sets it again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients.docker_cli import DockerUnavailable, docker
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules.names import PIDS_LIMIT
from components.rules.values import Failure, is_unknown


@dataclass(frozen=True)
class PidsLimitArgs(ResourceArgs):
    container: str
    """The container's name."""
    container_id: pulumi.Input[str]
    """The container it applies to: a new one (a replacement) gets the limit again."""
    limit: int
    """Most processes and threads the container may run at once."""


def _current(container: str) -> tuple[str, int] | None:
    """The container's id and pids limit (0 when it has none), or None when there is no such container."""
    try:
        found = docker(
            "inspect", "--type", "container", "--format", "{{.Id}} {{json .HostConfig.PidsLimit}}", container
        )
    except DockerUnavailable as error:
        if "no such" in str(error).lower():
            return None
        raise
    container_id, limit = found.split()
    return container_id, int(limit) if limit.lstrip("-").isdigit() else 0


def _apply(args: PidsLimitArgs) -> dict[str, Any]:
    docker("update", "--pids-limit", str(args.limit), args.container)
    return args.to_props()


class PidsLimitProvider(PlatformProvider):
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        limit = news.get("limit")
        failures = []
        if not is_unknown(limit) and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            failures.append(Failure("limit", f"{limit!r} is not allowed; allowed: a positive integer"))
        return check_result(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Docker changes the limit of a running container in place: nothing is ever replaced.
        changed = [key for key in ("container", "container_id", "limit") if olds.get(key) != news.get(key)]
        return DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = PidsLimitArgs.from_props(props)
        return CreateResult(f"{args.container}-pids-limit", _apply(args))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        current = _current(props["container"])
        if current is None:
            return ReadResult(None, {})
        container_id, limit = current
        found = {**props, "container_id": container_id, "limit": limit}
        return ReadResult(id_, found, found)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(_apply(PidsLimitArgs.from_props(news)))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """The limit goes with its container."""


class PidsLimit(PlatformResource, kind=PIDS_LIMIT):
    """The pids limit of one container, set once it runs."""

    provider_class = PidsLimitProvider
