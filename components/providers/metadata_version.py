"""The cluster's metadata.version (dynamic provider, through `kafka-features` in a broker): raised to the level the
stack asks for (kafkaMetadataVersion) once the nodes it depends on are in sync, so in an `up` of its own after
the roll to the new release. Raising is idempotent (nothing happens when the cluster is there already); a refresh
reads the finalized level back. Kafka does not lower a metadata version: deleting the resource (dropping the key)
leaves the cluster's as it is, and a lower level is refused before anything runs (components/rules/
kafka_upgrade.py refuses it at preview too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import kafka_features
from components.clients.kafka_tools import InBroker
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules.kafka_release import metadata_level, metadata_name

# The resource's kind (type token pulumi-python:dynamic/caracal:MetadataVersion).
METADATA_VERSION = "MetadataVersion"


@dataclass(frozen=True)
class MetadataVersionArgs(ResourceArgs):
    container: pulumi.Input[str]
    """A broker container to run kafka-features in (it logs in with the admin's file there)."""
    level: int
    """The feature level of the metadata version to raise to (33 = 4.4-IV2)."""


def _finalized(container: str) -> int:
    return metadata_level(kafka_features.finalized_metadata_version(InBroker(container)))


def _apply(props: dict[str, Any]) -> dict[str, Any]:
    args = MetadataVersionArgs.from_props(props)
    finalized = _finalized(str(args.container))
    if args.level < finalized:
        raise RuntimeError(
            f"metadata.version is {metadata_name(finalized)}; Kafka does not lower it to {metadata_name(args.level)}"
        )
    if args.level > finalized:
        kafka_features.raise_metadata_version(InBroker(str(args.container)), args.level)
    return args.to_props()


class MetadataVersionProvider(PlatformProvider):
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # The broker it is asked through may change (a replaced container) without anything to do.
        return DiffResult(changes=olds.get("level") != news.get("level"), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("metadata-version", _apply(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(_apply(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = {**props, "level": _finalized(str(props["container"]))}
        return ReadResult(id_, found, found)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Kafka keeps the metadata version: there is nothing to undo."""


class MetadataVersion(PlatformResource, kind=METADATA_VERSION):
    """The finalized metadata.version of a KRaft cluster, raised after the nodes it depends on."""

    provider_class = MetadataVersionProvider
