"""Names kept from before a resource's naming changed, so that no resource is replaced by a rename.

Keeps working: the certificate authority of stacks made before CA rotations. Their CA is the resource
`<platform>-ca` with the common name `Caracal Kafka CA`; with rotations each trusted generation is a CA of its own,
and generation 0 keeps that name and common name, where `<platform>-ca-<generation>` would replace it (a new CA,
every certificate signed again, every client's trust store out of date). The one other renamed resource, the
network's type, is taken over through an alias (pulumi_docker_network.py).

Since: bd84cc4, 2026-12-01 (CA rotation with dual trust).

Lets it go: no stack trusts generation 0 any more (each has completed one CA rotation: its CA generation is 1 or
more and `caRotation` is back to `none`); then every CA may be named by its generation.
"""

from __future__ import annotations


def authority_name(platform: str, generation: int) -> str:
    """The resource name of the CA of `generation`."""
    return f"{platform}-ca" if generation == 0 else f"{platform}-ca-{generation}"


def authority_common_name(generation: int) -> str:
    """The common name of the CA of `generation`."""
    return "Caracal Kafka CA" if generation == 0 else f"Caracal Kafka CA {generation}"
