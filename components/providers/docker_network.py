"""The platform's Docker network (dynamic provider, through the Docker CLI).

pulumi-docker reads a network by waiting a fixed 2 s before its first look (a `Delay` in the read of every network,
terraform-provider-docker's `resource_docker_network_funcs.go`), and that read was the longest of every refresh of
a docker stack: `make up` and `make preview` paid it each time, a first `up` once more after the create. This
resource reads the network with one `docker network inspect`.

A stack whose network was recorded by pulumi-docker takes it over in place (components/compat/
pulumi_docker_network.py).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients.docker_cli import DockerUnavailable, docker
from components.compat.pulumi_docker_network import RECORDED_BY, former_type_alias, recorded_by_pulumi_docker
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules.names import DOCKER_NETWORK
from components.rules.values import Failure, is_unknown

# Docker's default driver, and the only one a single-host platform uses.
DEFAULT_DRIVER = "bridge"
DRIVERS = (DEFAULT_DRIVER,)
# Containers leave a network a moment after they are removed; its removal waits for that.
REMOVE_TIMEOUT_S = 60.0
REMOVE_POLL_S = 1.0


@dataclass(frozen=True)
class DockerNetworkArgs(ResourceArgs):
    name: str
    """The network's name on the Docker host."""
    driver: str = DEFAULT_DRIVER


def _inspect(name: str) -> dict[str, Any] | None:
    """The network as Docker holds it, or None when there is no network of that name or id."""
    try:
        listed = json.loads(docker("network", "inspect", name))
    except DockerUnavailable as error:
        if "No such network" in str(error) or "not found" in str(error):
            return None
        raise
    return listed[0] if listed else None


def _declared(props: dict[str, Any]) -> dict[str, Any]:
    """What a network is declared as; one recorded without a driver has Docker's default one."""
    return {"name": props.get("name"), "driver": props.get("driver", DEFAULT_DRIVER)}


def _outputs(args: DockerNetworkArgs, network: dict[str, Any]) -> dict[str, Any]:
    return {**args.to_props(), RECORDED_BY: network["Id"]}


def _ensure(args: DockerNetworkArgs) -> dict[str, Any]:
    """The network of that name, made when missing (one left by an interrupted run is taken as it is)."""
    network = _inspect(args.name)
    if network is None:
        docker("network", "create", "--driver", args.driver, args.name)
        network = _inspect(args.name)
    if network is None:
        raise DockerUnavailable(f"docker network create: network {args.name} not found after its creation")
    if network.get("Driver") != args.driver:
        raise ValueError(
            f"network {args.name} exists with driver {network.get('Driver')}, not {args.driver}: remove it first"
        )
    return network


class DockerNetworkProvider(PlatformProvider):
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = []
        name, driver = news.get("name"), news.get("driver", DEFAULT_DRIVER)
        if not is_unknown(name) and (not isinstance(name, str) or not name.strip()):
            failures.append(Failure("name", f"{name!r} is not allowed; allowed: a non-empty network name"))
        if not is_unknown(driver) and driver not in DRIVERS:
            failures.append(Failure("driver", f"{driver!r} is not allowed; allowed: {', '.join(DRIVERS)}"))
        return check_result({**news, "driver": driver}, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        old, new = _declared(olds), _declared(news)
        replaces = [key for key in old if old[key] != new[key]]
        changes = bool(replaces) or recorded_by_pulumi_docker(olds)
        return DiffResult(changes=changes, replaces=replaces, delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = DockerNetworkArgs.from_props(props)
        return CreateResult(args.name, _outputs(args, _ensure(args)))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        network = _inspect(props.get("name") or id_)
        if network is None:
            # Gone: the next `up` makes it again.
            return ReadResult(None, {})
        args = DockerNetworkArgs(name=network["Name"], driver=network.get("Driver", DEFAULT_DRIVER))
        outputs = _outputs(args, network)
        return ReadResult(id_, outputs, args.to_props())

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        args = DockerNetworkArgs.from_props(news)
        return UpdateResult(_outputs(args, _ensure(args)))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        name = props.get("name") or id_
        deadline = time.monotonic() + REMOVE_TIMEOUT_S
        while _inspect(name) is not None:
            try:
                docker("network", "rm", name)
            except DockerUnavailable as error:
                # Endpoints of containers removed a moment ago may still be attached.
                if "active endpoints" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(REMOVE_POLL_S)


class DockerNetwork(PlatformResource, kind=DOCKER_NETWORK):
    """A Docker network of the platform; containers join it by `name`."""

    name: pulumi.Output[str]

    provider_class = DockerNetworkProvider

    def __init__(self, resource_name: str, args: DockerNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(resource_name, args, pulumi.ResourceOptions.merge(former_type_alias(), opts))
