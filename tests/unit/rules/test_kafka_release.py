"""The release model: what differs between Kafka 3.9.1 and 4.4.0 for the nodes the program configures, and the
log4j2 file of 4.x nodes (the one the image carries)."""

from __future__ import annotations

import pytest
import yaml

from components.rules import kafka_release
from components.rules.kafka_logging import LOGGERS, PATTERN, log4j2_yaml
from components.rules.kafka_release import metadata_level, metadata_name, parse
from components.rules.kafka_tools import CONFIGS, STORAGE, logging_option, version_from_libs
from components.rules.metrics_agent import AGENT_VERSION
from infra.settings import ROOT


@pytest.mark.parametrize(
    ("version", "zookeeper", "java", "log_file", "log_format", "image", "metadata"),
    [
        (
            "3.9.1",
            True,
            11,
            "/opt/kafka/config/log4j.properties",
            "log4j.properties",
            "caracal/kafka:3.9.1-jmx1.0.1",
            "3.9-IV0",
        ),
        ("4.4.0", False, 17, "/opt/kafka/config/log4j2.yaml", "log4j2.yaml", "caracal/kafka:4.4.0-jmx1.0.1", "4.4-IV2"),
    ],
)
def test_each_release_says_how_its_nodes_run(version, zookeeper, java, log_file, log_format, image, metadata):
    release = parse(version)
    assert str(release) == version
    assert release.has_zookeeper is zookeeper
    assert release.java == java
    assert (release.log_config.path, release.log_config.format) == (log_file, log_format)
    assert release.log_config.path in release.log_config.jvm_option
    # The tools the runner starts log with the same file as the nodes of that release.
    assert release.log_config.jvm_option == logging_option(release.version)
    assert release.image == image
    assert release.newest_metadata_version == metadata


def test_the_release_tools_use_their_own_main_classes():
    assert parse("3.9.1").main_class(CONFIGS) == "kafka.admin.ConfigCommand"
    assert parse("4.4.0").main_class(CONFIGS) == "org.apache.kafka.tools.ConfigCommand"
    assert parse("4.4.0").main_class(STORAGE) == "kafka.tools.StorageTool"


@pytest.mark.parametrize("text", ["4.0.0", "3.9.2", "4.4", "latest", "", " 4.4.0x"])
def test_a_release_the_program_does_not_configure_is_refused_naming_the_allowed_ones(text):
    with pytest.raises(ValueError, match=r"allowed: 3\.9\.1 \(the default, ZooKeeper or KRaft\) or 4\.4\.0"):
        parse(text)


@pytest.mark.parametrize(
    ("release", "metadata_version", "reads"),
    [
        ("3.9.1", "3.9-IV0", True),
        ("3.9.1", "4.0-IV0", False),
        ("4.4.0", "3.9-IV0", True),
        ("4.4.0", "4.4-IV2", True),
    ],
)
def test_a_release_reads_metadata_up_to_its_newest_version(release, metadata_version, reads):
    assert parse(release).reads(metadata_version) is reads


def test_metadata_versions_and_their_levels_go_both_ways():
    assert metadata_level("3.9-IV0") == 21
    assert metadata_level("4.4-IV2") == 33
    assert metadata_name(33) == "4.4-IV2"
    assert metadata_name(7) == "level 7"
    levels = list(kafka_release.METADATA_LEVELS.values())
    assert levels == sorted(levels) and len(set(levels)) == len(levels)
    with pytest.raises(ValueError, match=r"'4\.4' is not known; allowed: 3\.9-IV0, 4\.0-IV0"):
        metadata_level("4.4")


def test_every_release_has_an_image_in_the_build_script():
    versions = dict(
        line.split("=", 1) for line in (ROOT / "scripts" / "versions.env").read_text().splitlines() if "=" in line
    )
    assert set(kafka_release.RELEASES) == {versions["KAFKA_VERSION"], versions["KAFKA4_VERSION"]}
    assert versions["KAFKA_VERSION"] == kafka_release.DEFAULT
    assert versions["JMX_EXPORTER_VERSION"] == AGENT_VERSION
    # The 4.x image's jars are of the release it is built for: the tools read that version from them.
    assert version_from_libs([f"kafka-clients-{versions['KAFKA4_VERSION']}.jar"]) == parse("4.4.0").version


def test_the_4x_image_carries_the_rendered_log4j2_file():
    assert (ROOT / "images" / "kafka4" / "log4j2.yaml").read_text() == log4j2_yaml()


def test_the_log4j2_file_prints_every_record_to_the_console_in_the_3x_layout():
    configuration = yaml.safe_load(log4j2_yaml())["Configuration"]
    assert configuration["Appenders"]["Console"]["PatternLayout"]["pattern"] == PATTERN
    assert configuration["Appenders"]["Console"]["target"] == "SYSTEM_OUT"
    assert configuration["Loggers"]["Root"] == {"level": "INFO", "AppenderRef": [{"ref": "STDOUT"}]}
    loggers = {item["name"]: item["level"] for item in configuration["Loggers"]["Logger"]}
    assert loggers == dict(LOGGERS)
    # The same pattern as the 3.x image's log4j.properties, so kafka_tools.split_log reads both.
    assert PATTERN in (ROOT / "images" / "kafka" / "log4j.properties").read_text()
    assert yaml.safe_load(log4j2_yaml("DEBUG"))["Configuration"]["Loggers"]["Root"]["level"] == "DEBUG"


def test_a_node_runs_with_the_log_configuration_of_its_release():
    assert parse("3.9.1").server_command(512, "kafka.Kafka", "/etc/kafka/server.properties") == (
        "exec java -Xms512m -Xmx512m -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties "
        "-cp '/opt/kafka/libs/*' kafka.Kafka /etc/kafka/server.properties"
    )
    assert parse("4.4.0").server_command(512, "kafka.Kafka", "/etc/kafka/server.properties") == (
        "exec java -Xms512m -Xmx512m -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml "
        "-cp '/opt/kafka/libs/*' kafka.Kafka /etc/kafka/server.properties"
    )


def test_a_release_line_without_known_metadata_versions_is_named():
    with pytest.raises(ValueError, match=r"Kafka 4\.5\.0: its metadata versions are not known"):
        kafka_release.Release((4, 5, 0)).reads("4.4-IV2")
