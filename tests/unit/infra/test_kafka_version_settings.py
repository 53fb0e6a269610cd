"""kafkaVersion and kafkaImage: the release the nodes are configured for, and the image they run (kafkaImage when
set, else the image built for kafkaVersion); Pulumi.yaml lists the allowed releases."""

from __future__ import annotations

import pytest
import yaml

from components.rules import kafka_release
from components.rules.stack_settings import Settings, SettingsError, config_values
from infra.settings import ROOT
from tests.unit.harness import settings_for


def test_a_stack_without_either_key_runs_the_default_release_from_its_image():
    settings = settings_for("dev")
    assert (settings.kafka_version, settings.kafka_image) == ("3.9.1", "caracal/kafka:3.9.1-jmx1.0.1")
    assert settings.kafka_metadata_version == ""


def test_a_set_kafka_image_wins_over_the_image_of_the_release():
    settings = settings_for("dev", kafkaImage="registry.local/kafka:3.9.1-patched")
    assert (settings.kafka_version, settings.kafka_image) == ("3.9.1", "registry.local/kafka:3.9.1-patched")


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_kafka_image_is_the_image_of_the_release(blank):
    values, problems = config_values({"caracal-kafka:kafkaImage": blank})
    assert problems == []
    assert values["kafka_image"] == "caracal/kafka:3.9.1-jmx1.0.1"


def test_a_4x_release_resolves_its_own_image_and_is_refused_on_a_zookeeper_stack():
    values, problems = config_values({"caracal-kafka:kafkaVersion": "4.4.0"})
    assert values["kafka_image"] == "caracal/kafka:4.4.0-jmx1.0.1"
    assert problems == [
        "caracal-kafka:kafkaVersion = '4.4.0': not allowed; allowed: 3.9.1 while metadataQuorum is zookeeper: "
        "ZooKeeper was removed in Kafka 4.0: migrate to KRaft first (metadataMigration), then set kafkaVersion"
    ]
    with pytest.raises(SettingsError, match=r"ZooKeeper was removed in Kafka 4\.0"):
        settings_for("dev", kafkaVersion="4.4.0")


def test_an_external_stack_may_name_a_4x_release_for_its_tools():
    values, problems = config_values(
        {
            "caracal-kafka:platform": "external",
            "caracal-kafka:kafkaVersion": "4.4.0",
            "caracal-kafka:externalBootstrapServers": "kafka.example:9093",
            "caracal-kafka:externalUsername": "admin",
        }
    )
    assert not [problem for problem in problems if "kafkaVersion" in problem]
    assert values["kafka_image"] == "caracal/kafka:4.4.0-jmx1.0.1"


def test_pulumi_yaml_lists_every_allowed_release_in_the_description():
    description = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]["kafkaVersion"]["description"]
    for release in kafka_release.RELEASES:
        assert release in description
    assert "4.0" not in description.replace("4.4.0", "")
    assert Settings.__dataclass_fields__["kafka_version"].metadata["config"].default == kafka_release.DEFAULT
