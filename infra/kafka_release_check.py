"""The release of a running KRaft stack against what the stack asks for: read from the cluster when the program
starts, so that a downgrade Kafka cannot take, a lowered metadata version, or a metadata version raised before the
roll to the new release finished is refused at preview, nothing changed (components/rules/kafka_upgrade.py).

A ZooKeeper stack has no metadata version to read: the settings alone decide for it (components/rules/
stack_settings.py refuses 4.x there)."""

from __future__ import annotations

import re

import pulumi

from components.clients import kafka_features, kafka_tools
from components.clients.kafka_tools import InBroker, InToolContainer, ToolError
from components.clients.running_platform import DockerUnavailable, running_containers
from components.platform.platform import Platform
from components.providers.metadata_version import MetadataVersion, MetadataVersionArgs
from components.rules import kafka_release
from components.rules.kafka_release import metadata_level
from components.rules.kafka_tools import format_version
from components.rules.kafka_upgrade import RunningCluster, running_refusals
from components.rules.layout import BROKER_HOST_PREFIX
from components.rules.quorum_status import ZOOKEEPER
from components.rules.stack_settings import CONFIG_PREFIX, Settings, SettingsError

# The node containers of a KRaft stack: brokers caracal-<stack>-kafka-<n>, controllers caracal-<stack>-controller-<n>.
NODE_ROLES = (BROKER_HOST_PREFIX, "controller-")


def node_containers(prefix: str, names: list[str]) -> tuple[list[str], list[str]]:
    """(every node container, the broker containers) among `names`, in name order."""
    nodes = sorted(
        name for name in names for role in NODE_ROLES if re.fullmatch(rf"{re.escape(prefix)}-{role}\d+", name)
    )
    return nodes, [name for name in nodes if name.startswith(f"{prefix}-{BROKER_HOST_PREFIX}")]


def read_running_release(settings: Settings) -> RunningCluster | None:
    """What the running cluster reports (each node's release, the finalized metadata version), after refusing what
    it cannot take; None for a ZooKeeper stack or one that does not run."""
    if settings.metadata_quorum == ZOOKEEPER:
        return None
    try:
        nodes, brokers = node_containers(settings.prefix, list(running_containers(settings.prefix)))
    except DockerUnavailable as error:
        if not pulumi.runtime.is_dry_run():
            what = f"cannot tell which Kafka stack {settings.stack} runs ({error}); `up` needs Docker"
            raise RuntimeError(what) from None
        pulumi.log.warn(f"Docker did not answer ({error}): this preview does not check the running Kafka release")
        return None
    if not brokers:
        return None
    try:
        # Asked in a broker with the admin's file there; the tool runs with that broker's own image.
        running = kafka_features.running_cluster(nodes, InBroker(brokers[0]))
    except ToolError as error:
        raise RuntimeError(f"cannot read the metadata version of stack {settings.stack}: {error}") from None
    refusals = running_refusals(settings.kafka_version, settings.kafka_metadata_version, running)
    if refusals:
        raise SettingsError([refusal.message(CONFIG_PREFIX) for refusal in refusals])
    return running


def check_image_release(settings: Settings) -> None:
    """A kafkaImage the stack names must hold the release kafkaVersion configures for (the same major.minor): the
    nodes' files, logging and tools follow kafkaVersion, the jars come from the image."""
    release = kafka_release.parse(settings.kafka_version)
    if settings.kafka_image == release.image:
        return
    try:
        found = kafka_tools.kafka_version(InToolContainer(settings.kafka_image, network="none"))
    except ToolError as error:  # not built or pulled yet: the image resource says so on `up`
        pulumi.log.warn(f"cannot tell the Kafka release of kafkaImage {settings.kafka_image}: {error}")
        return
    if found[:2] != release.line:
        raise SettingsError(
            [
                f"{CONFIG_PREFIX}kafkaImage = {settings.kafka_image!r}: not allowed; allowed: an image of Kafka "
                f"{release.line[0]}.{release.line[1]}.x (kafkaVersion = {release}); it holds Kafka "
                f"{format_version(found)}: set kafkaVersion to that release, or name an image of {release}"
            ]
        )


def metadata_version_step(settings: Settings, platform: Platform) -> MetadataVersion | None:
    """The metadata version the stack asks for, raised after every broker is in sync again (after this `up`'s
    roll, if any); declared as long as the key is set, so dropping it later changes nothing in the cluster."""
    if not settings.kafka_metadata_version or settings.metadata_quorum == ZOOKEEPER:
        return None
    return MetadataVersion(
        "caracal-metadata-version",
        MetadataVersionArgs(
            container=platform.cluster.containers[0].name, level=metadata_level(settings.kafka_metadata_version)
        ),
        pulumi.ResourceOptions(depends_on=[*platform.cluster.in_sync]),
    )
