"""Kafka's finalized features as `kafka-features describe` prints them, and the arguments that raise the metadata
version. Read this way because librdkafka (confluent-kafka 2.16) has no DescribeFeatures call.

`describe` prints one line per feature, each field `Name: value`; 3.9 separates the fields with tabs, 4.4 pads
them with blanks, e.g. (Kafka 4.4.0, padding shortened, one line)
    Feature: metadata.version   SupportedMinVersion: 3.3-IV3   SupportedMaxVersion: 4.4-IV2
    FinalizedVersionLevel: 3.9-IV0   Epoch: 7
"""

from __future__ import annotations

import re
from dataclasses import dataclass

METADATA_VERSION = "metadata.version"
_FIELD = re.compile(r"([A-Za-z]+):\s+(\S+)")


@dataclass(frozen=True)
class Feature:
    name: str
    supported_max: str
    finalized: str
    """As printed: a metadata version name for metadata.version, a number for the others ("0": not finalized)."""


def parse_describe(stdout: str) -> dict[str, Feature]:
    """Every feature line of `kafka-features describe`, by feature name; other lines are ignored."""
    features = {}
    for line in stdout.splitlines():
        fields = dict(_FIELD.findall(line))
        if "Feature" in fields:
            name = fields["Feature"]
            features[name] = Feature(
                name, fields.get("SupportedMaxVersion", ""), fields.get("FinalizedVersionLevel", "")
            )
    return features


def finalized_metadata_version(stdout: str) -> str:
    """The cluster's finalized metadata.version ("3.9-IV0"); ValueError when `describe` shows none."""
    feature = parse_describe(stdout).get(METADATA_VERSION)
    if feature is None or not feature.finalized or feature.finalized == "0":
        raise ValueError(f"kafka-features describe shows no finalized {METADATA_VERSION}: {stdout.strip()[:300]!r}")
    return feature.finalized


def raise_metadata_args(level: int) -> list[str]:
    """`kafka-features` arguments that raise metadata.version alone to `level`. Not --release-version: that also
    upgrades kraft.version, which turns a static controller quorum dynamic (KAFKA-18979)."""
    return ["upgrade", "--feature", f"{METADATA_VERSION}={level}"]
