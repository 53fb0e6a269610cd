"""The platform's network as pulumi-docker recorded it.

Keeps working: stacks whose network is a `docker:index/network:Network` of pulumi-docker. The platform's network
is now its own resource (components/providers/docker_network.py); it keeps that resource's name through an alias
of the former type, finds the same Docker network, and records it as its own by one update: nothing is
recreated, no container leaves the network.

Since: 12a33d6, 2026-12-04 (the network read through the Docker CLI).

Lets it go: every stack has run one `up` with a release of 2026-12-04 or later: the update records the network
under the new type (`pulumi stack export | grep -c docker:index/network:Network` finds nothing). Without the
alias, an older stack's next `up` would create a second network of the same name (refused by Docker) and delete
the former one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

# The type pulumi-docker records a network under.
FORMER_TYPE = "docker:index/network:Network"
# Marks what today's provider recorded (pulumi-docker's outputs have no such key).
RECORDED_BY = "network_id"


def former_type_alias() -> pulumi.ResourceOptions:
    """The option that lets today's network resource take the place of the one pulumi-docker recorded."""
    return pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=FORMER_TYPE)])


def recorded_by_pulumi_docker(olds: Mapping[str, Any]) -> bool:
    """Whether the recorded network is pulumi-docker's: an update takes it over (finds it and records its id)."""
    return RECORDED_BY not in olds
