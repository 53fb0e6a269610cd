"""A replication-factor change on an external cluster: the stack's `brokers` means nothing there (the brokers are
the cluster's), so neither a catalog topic's replication_factor nor the stack's replicationFactor is held to it;
the preview judges them against the brokers the cluster lists, and refuses one it cannot hold naming the topic."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import yaml

from components.rules.stack_settings import SettingsError
from infra import reassignment_preview
from infra.settings import load_settings
from tests.unit.infra.test_external_settings import SECRET_KEYS, external_raw

CATALOG = {"topics": [{"name": "ext.orders", "partitions": 2, "replication_factor": 2}]}


def external_settings(tmp_path, document=CATALOG, **overrides: str):
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(document))
    return load_settings(external_raw(str(path), **overrides), "ext", secret_keys=SECRET_KEYS)


def test_an_external_stack_is_not_held_to_its_own_broker_count(tmp_path):
    # The dev topology's brokers: 1 would refuse both on a stack that runs its cluster.
    assert external_settings(tmp_path).catalog.topics[0].replication_factor == 2
    assert external_settings(tmp_path, {"topics": [{"name": "t", "partitions": 1}]}, replicationFactor="3")


@pytest.mark.parametrize(
    "listed, refusal",
    [
        ({0: None}, "caracal-kafka:catalog: not allowed: topic ext.orders needs 2 replicas per partition, but only 1"),
        ({0: None, 1: None}, None),
    ],
)
def test_the_preview_judges_an_external_replication_factor_by_the_brokers_the_cluster_lists(
    tmp_path, monkeypatch, listed, refusal
):
    settings = external_settings(tmp_path)
    monkeypatch.setattr(
        reassignment_preview.reassignments,
        "metadata_replicas",
        lambda admin: {("ext.orders", 0): (0,), ("ext.orders", 1): (0,)},
    )
    monkeypatch.setattr(reassignment_preview.pulumi.runtime, "is_dry_run", lambda: False)
    shown: list[str] = []
    monkeypatch.setattr(reassignment_preview.pulumi.log, "info", shown.append)
    admin = SimpleNamespace(list_topics=lambda timeout: SimpleNamespace(brokers=listed))
    if refusal is None:
        reassignment_preview.preview_reassignments(settings, admin, access=None)
        assert shown[0].startswith("replication factor change: 2 partition(s) move")
    else:
        with pytest.raises(SettingsError) as error:
            reassignment_preview.preview_reassignments(settings, admin, access=None)
        assert refusal in str(error.value)
