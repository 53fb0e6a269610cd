"""How the dynamic providers reach a cluster and its registry: the one thing the platform the program runs and
an external one both hand to the catalog.

A module of its own so that an external stack's program never loads the Docker and TLS SDKs the platform the
program runs is built with."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.providers.scram_user import ScramUser, ScramUserArgs


@dataclass(frozen=True)
class Connections:
    """How the dynamic providers reach the cluster (as admin) and the registry; secret where they hold one."""

    kafka: pulumi.Output[dict]
    registry: pulumi.Output[dict]


def user_resource(
    prefix: str,
    username: str,
    password: pulumi.Input[str],
    iterations: int,
    connections: Connections,
    opts: pulumi.ResourceOptions,
) -> ScramUser:
    """One SCRAM user with the password the platform generated for it."""
    return ScramUser(
        f"{prefix}-user-{username}",
        ScramUserArgs(username=username, password=password, iterations=iterations, connection=connections.kafka),
        opts=opts,
    )
