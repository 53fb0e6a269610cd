"""When a stack may change its Kafka release (`kafkaVersion`) and raise its metadata version
(`kafkaMetadataVersion`), and what is refused with which way forward. Pure: the caller hands in the settings and,
at preview of a running stack, what the cluster reports.

The path Kafka supports (https://kafka.apache.org/44/getting-started/upgrade):
1. ZooKeeper stacks stay on 3.9: Kafka 4.0 removed ZooKeeper, so a cluster migrates to KRaft on 3.9 first.
2. A KRaft stack on 3.9 sets `kafkaVersion` to a 4.x release: one `up` rolls every node to the new image, one at a
   time. The metadata version stays where it was, so going back to 3.9.1 is still a roll.
3. A later `up` sets `kafkaMetadataVersion`: the cluster's finalized metadata.version is raised to it once every
   node runs a release that reads it. From then on the release cannot go back below it: Kafka does not lower a
   metadata version (`kafka-features downgrade` of metadata.version is refused or unsafe).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from components.rules import kafka_release
from components.rules.kafka_release import Release, metadata_level
from components.rules.quorum_status import ZOOKEEPER

VERSION_KEY = "kafkaVersion"
METADATA_KEY = "kafkaMetadataVersion"


@dataclass(frozen=True)
class Refusal:
    """A refused setting: its key (without the project prefix), its value, and what is allowed and why."""

    key: str
    value: str
    allowed: str

    def message(self, prefix: str) -> str:
        return f"{prefix}{self.key} = {self.value!r}: not allowed; allowed: {self.allowed}"


def metadata_versions_allowed(release: Release) -> str:
    names = [name for name in kafka_release.METADATA_LEVELS if release.reads(name)]
    return f"empty (keep the cluster's), or a metadata version Kafka {release} runs: {', '.join(names)}"


def settings_refusals(version: str, metadata_version: str, quorum: str) -> list[Refusal]:
    """What the settings alone refuse: a release without ZooKeeper on a ZooKeeper stack, and a metadata version
    the release cannot run or a ZooKeeper stack does not have."""
    release = kafka_release.parse(version)
    refusals = []
    if quorum == ZOOKEEPER and not release.has_zookeeper:
        refusals.append(
            Refusal(
                VERSION_KEY,
                version,
                f"{kafka_release.DEFAULT} while metadataQuorum is zookeeper: ZooKeeper was removed in Kafka 4.0: "
                "migrate to KRaft first (metadataMigration), then set kafkaVersion",
            )
        )
    if metadata_version and quorum == ZOOKEEPER:
        refusals.append(
            Refusal(
                METADATA_KEY,
                metadata_version,
                "empty while metadataQuorum is zookeeper: a ZooKeeper cluster has no metadata.version; it comes "
                "with KRaft",
            )
        )
    elif metadata_version and (
        metadata_version not in kafka_release.METADATA_LEVELS or not release.reads(metadata_version)
    ):
        refusals.append(Refusal(METADATA_KEY, metadata_version, metadata_versions_allowed(release)))
    return refusals


@dataclass(frozen=True)
class RunningCluster:
    """What a running KRaft cluster reports at preview."""

    nodes: Mapping[str, Release]
    """Each running node (container name) and the release its image holds."""
    finalized_metadata_version: str
    """metadata.version as `kafka-features describe` shows it finalized ("3.9-IV0")."""


def running_refusals(version: str, metadata_version: str, running: RunningCluster) -> list[Refusal]:
    """What the running cluster refuses: a release that cannot read its metadata version (a downgrade after the
    metadata version was raised), lowering the metadata version, and raising it before every node runs a release
    that reads it (the roll to the new release comes first, in an earlier `up`)."""
    release = kafka_release.parse(version)
    finalized = running.finalized_metadata_version
    finalized_level = metadata_level(finalized)
    refusals = []
    if not release.reads(finalized):
        readers = [name for name in kafka_release.RELEASES if kafka_release.parse(name).reads(finalized)]
        refusals.append(
            Refusal(
                VERSION_KEY,
                version,
                f"{' or '.join(readers) or 'a newer release'}: the cluster's metadata.version was raised to "
                f"{finalized}, which Kafka {release} cannot read, and Kafka never lowers a metadata version: "
                f"this cluster cannot go back below Kafka {finalized.split('-')[0]}",
            )
        )
    if not metadata_version or metadata_version not in kafka_release.METADATA_LEVELS:
        return refusals
    wanted = metadata_level(metadata_version)
    if wanted < finalized_level:
        refusals.append(
            Refusal(
                METADATA_KEY,
                metadata_version,
                f"{finalized} or newer, or empty: the cluster's metadata.version is {finalized} and Kafka does not "
                "lower a metadata version",
            )
        )
    behind = sorted(name for name, node in running.nodes.items() if not node.reads(metadata_version))
    if wanted > finalized_level and behind:
        refusals.append(
            Refusal(
                METADATA_KEY,
                metadata_version,
                f"{finalized} (the cluster's) until every node runs a release that reads {metadata_version}: "
                f"{', '.join(behind)} still run an older one; roll them to kafkaVersion first (an up without "
                "kafkaMetadataVersion), then raise the metadata version in a later up",
            )
        )
    return refusals


def metadata_raise(metadata_version: str, running: RunningCluster) -> int | None:
    """The feature level to raise metadata.version to in this `up`, or None: nothing to raise (unset, already
    there) or not allowed (see running_refusals)."""
    if not metadata_version or metadata_version not in kafka_release.METADATA_LEVELS:
        return None
    wanted = metadata_level(metadata_version)
    if wanted <= metadata_level(running.finalized_metadata_version):
        return None
    if any(not node.reads(metadata_version) for node in running.nodes.values()):
        return None
    return wanted
