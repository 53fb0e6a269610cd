"""What a running KRaft cluster reports about its release and metadata version, read with Kafka's own tools
(components/clients/kafka_tools.py): the finalized metadata.version (`kafka-features describe`) and the release of
each node's image; and the step that raises the metadata version."""

from __future__ import annotations

from collections.abc import Sequence

from components.clients import kafka_tools
from components.clients.kafka_tools import ClientConfig, InBroker, Place
from components.rules import kafka_features
from components.rules.kafka_release import Release
from components.rules.kafka_tools import FEATURES
from components.rules.kafka_upgrade import RunningCluster


def finalized_metadata_version(place: Place, client: ClientConfig | None = None) -> str:
    result = kafka_tools.run(FEATURES, ["describe"], place, client)
    try:
        return kafka_features.finalized_metadata_version(result.stdout)
    except ValueError as error:
        raise kafka_tools.ToolError(f"{error} (in {place})") from None


def raise_metadata_version(place: Place, level: int, client: ClientConfig | None = None) -> None:
    """Raise the cluster's metadata.version to feature `level` (Kafka refuses a level a node does not support)."""
    kafka_tools.run(FEATURES, kafka_features.raise_metadata_args(level), place, client)


def running_cluster(nodes: Sequence[str], place: Place, client: ClientConfig | None = None) -> RunningCluster:
    """The release of each node container's image (what it runs now, mid-roll too) and the finalized metadata
    version, asked through `place`."""
    releases = {node: Release(kafka_tools.kafka_version(InBroker(node))) for node in nodes}
    return RunningCluster(releases, finalized_metadata_version(place, client))
