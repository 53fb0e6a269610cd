"""The metadata version step: raised through kafka-features only when the cluster is below the asked level, never
lowered, read back on refresh, left as it is when the key is dropped."""

from __future__ import annotations

import re

import pytest

from components.clients import kafka_features
from components.providers.metadata_version import MetadataVersionProvider
from infra.kafka_release_check import metadata_version_step
from tests.unit.harness import settings_for

CONTAINER = "caracal-dev-kafka-0"


@pytest.fixture
def cluster(monkeypatch):
    state = {"finalized": "3.9-IV0", "raised": []}

    def finalized(place, client=None):
        assert str(place) == f"broker container {CONTAINER}"
        return state["finalized"]

    monkeypatch.setattr(kafka_features, "finalized_metadata_version", finalized)
    monkeypatch.setattr(
        kafka_features, "raise_metadata_version", lambda place, level, client=None: state["raised"].append(level)
    )
    return state


def test_a_cluster_below_the_level_is_raised_once(cluster):
    provider = MetadataVersionProvider()
    created = provider.create({"container": CONTAINER, "level": 33})
    assert created.outs == {"container": CONTAINER, "level": 33}
    assert cluster["raised"] == [33]
    cluster["finalized"] = "4.4-IV2"
    provider.update("metadata-version", created.outs, {"container": CONTAINER, "level": 33})
    assert cluster["raised"] == [33]


def test_a_lower_level_is_refused_and_nothing_runs(cluster):
    cluster["finalized"] = "4.4-IV2"
    with pytest.raises(
        RuntimeError, match=re.escape("metadata.version is 4.4-IV2; Kafka does not lower it to 3.9-IV0")
    ):
        MetadataVersionProvider().create({"container": CONTAINER, "level": 21})
    assert cluster["raised"] == []


def test_a_refresh_reads_the_finalized_level_and_a_changed_broker_alone_is_no_change(cluster):
    provider = MetadataVersionProvider()
    read = provider.read("metadata-version", {"container": CONTAINER, "level": 33})
    assert read.outs["level"] == 21
    assert not provider.diff(
        "metadata-version", {"container": "a", "level": 33}, {"container": "b", "level": 33}
    ).changes
    assert provider.diff("metadata-version", {"container": "a", "level": 29}, {"container": "a", "level": 33}).changes
    assert provider.delete("metadata-version", {"container": CONTAINER, "level": 33}) is None
    assert cluster["raised"] == []


def test_a_zookeeper_stack_declares_no_metadata_version_step():
    assert metadata_version_step(settings_for("dev"), platform=None) is None
