"""`kafka-features describe` as 3.9 (tabs) and 4.4 (padded) print it, and the arguments that raise metadata.version
alone."""

from __future__ import annotations

import pytest

from components.rules.kafka_features import finalized_metadata_version, parse_describe, raise_metadata_args

KAFKA_44 = (
    "Feature: eligible.leader.replicas.version          SupportedMinVersion: 0                "
    "SupportedMaxVersion: 1                FinalizedVersionLevel: 0                Epoch: 145\n"
    "Feature: metadata.version                          SupportedMinVersion: 3.3-IV3          "
    "SupportedMaxVersion: 4.4-IV2          FinalizedVersionLevel: 3.9-IV0          Epoch: 145\n"
)
KAFKA_39 = (
    "Feature: kraft.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\tFinalizedVersionLevel: 1\tEpoch: 9\n"
    "Feature: metadata.version\tSupportedMinVersion: 3.0-IV1\tSupportedMaxVersion: 3.9-IV0\t"
    "FinalizedVersionLevel: 3.9-IV0\tEpoch: 9\n"
)


@pytest.mark.parametrize(("stdout", "supported_max"), [(KAFKA_44, "4.4-IV2"), (KAFKA_39, "3.9-IV0")])
def test_both_layouts_give_each_feature_and_the_finalized_metadata_version(stdout, supported_max):
    features = parse_describe("a log line\n" + stdout)
    assert features["metadata.version"].supported_max == supported_max
    assert finalized_metadata_version(stdout) == "3.9-IV0"


def test_a_describe_without_a_finalized_metadata_version_is_an_error():
    with pytest.raises(ValueError, match=r"no finalized metadata\.version"):
        finalized_metadata_version(KAFKA_44.splitlines()[0])


def test_the_raise_names_metadata_version_alone_by_level():
    assert raise_metadata_args(33) == ["upgrade", "--feature", "metadata.version=33"]
