"""What the program needs to know about a Kafka release it configures nodes for: whether it still has ZooKeeper,
how it logs, the Java it needs, its image, its tools' main classes and its metadata versions.

Metadata versions (`metadata.version`, what `kafka-features --release-version` and `describe` name) with their
feature levels, read from MetadataVersion of kafka-server-common 4.4.0 (`latestProduction()` and
`fromVersionString("4.x", false)`): a release writes and reads metadata up to its newest production version.

| release | newest metadata version | level |
|---------|-------------------------|-------|
| 3.9     | 3.9-IV0                 | 21    |
| 4.0     | 4.0-IV3                 | 25    |
| 4.1     | 4.1-IV1                 | 27    |
| 4.2     | 4.2-IV1                 | 29    |
| 4.3     | 4.3-IV0                 | 30    |
| 4.4     | 4.4-IV2                 | 33    |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.rules import layout
from components.rules.kafka_tools import LOG4J2, KafkaVersion, Tool, format_version
from components.rules.metrics_agent import AGENT_VERSION

# Kafka 4.0 removed ZooKeeper mode (KIP-833), moved the server to Java 17 (KIP-750) and to log4j2 (KIP-653).
KRAFT_ONLY_SINCE: KafkaVersion = (4, 0, 0)

# Every metadata version from 3.9 on, oldest first, with its feature level.
METADATA_LEVELS: dict[str, int] = {
    "3.9-IV0": 21,
    "4.0-IV0": 22, "4.0-IV1": 23, "4.0-IV2": 24, "4.0-IV3": 25,
    "4.1-IV0": 26, "4.1-IV1": 27,
    "4.2-IV0": 28, "4.2-IV1": 29,
    "4.3-IV0": 30,
    "4.4-IV0": 31, "4.4-IV1": 32, "4.4-IV2": 33,
}  # fmt: skip
# The newest production metadata version of each release line (major, minor).
NEWEST_METADATA: dict[tuple[int, int], str] = {
    (3, 9): "3.9-IV0", (4, 0): "4.0-IV3", (4, 1): "4.1-IV1", (4, 2): "4.2-IV1", (4, 3): "4.3-IV0", (4, 4): "4.4-IV2",
}  # fmt: skip

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class LogConfig:
    """Where a node's log configuration lies in the image, its format, and the JVM option that points at it."""

    path: str
    format: str
    """"log4j.properties" (log4j 1 through reload4j) or "log4j2.yaml"."""
    jvm_option: str


LOG4J_PROPERTIES = LogConfig("/opt/kafka/config/log4j.properties", "log4j.properties", layout.LOG4J)
LOG4J2_YAML = LogConfig("/opt/kafka/config/log4j2.yaml", "log4j2.yaml", LOG4J2)


@dataclass(frozen=True)
class Release:
    """One Kafka release the program configures nodes for."""

    version: KafkaVersion

    def __str__(self) -> str:
        return format_version(self.version)

    @property
    def line(self) -> tuple[int, int]:
        return self.version[0], self.version[1]

    @property
    def has_zookeeper(self) -> bool:
        """Runs in ZooKeeper mode (and can migrate to KRaft): 3.x only."""
        return self.version < KRAFT_ONLY_SINCE

    @property
    def java(self) -> int:
        """The oldest Java its server runs on (the images run Java 17 for every release)."""
        return 17 if self.version >= KRAFT_ONLY_SINCE else 11

    @property
    def log_config(self) -> LogConfig:
        return LOG4J_PROPERTIES if self.version < KRAFT_ONLY_SINCE else LOG4J2_YAML

    @property
    def image(self) -> str:
        """The image scripts/images.sh builds for it (its tag names the metrics agent it carries too)."""
        return f"caracal/kafka:{self}-jmx{AGENT_VERSION}"

    @property
    def newest_metadata_version(self) -> str:
        if self.line not in NEWEST_METADATA:
            known = ", ".join(f"{major}.{minor}" for major, minor in NEWEST_METADATA)
            raise ValueError(f"Kafka {self}: its metadata versions are not known; known release lines: {known}")
        return NEWEST_METADATA[self.line]

    @property
    def newest_metadata_level(self) -> int:
        return METADATA_LEVELS[self.newest_metadata_version]

    def reads(self, metadata_version: str) -> bool:
        """True when this release can run a cluster whose finalized metadata.version is `metadata_version`."""
        return metadata_level(metadata_version) <= self.newest_metadata_level

    def main_class(self, tool: Tool) -> str:
        return tool.main_class(self.version)

    def server_command(self, heap_mb: int, main: str, *args: str) -> str:
        """The shell line that runs a node's JVM (`main` is kafka.Kafka for brokers and controllers alike) with
        this release's log configuration from the image."""
        java = f"exec java -Xms{heap_mb}m -Xmx{heap_mb}m {self.log_config.jvm_option} -cp '{layout.KAFKA_LIBS}'"
        return " ".join((java, main, *args))


DEFAULT = "3.9.1"
# The releases the program configures for, each with an image from scripts/images.sh (KAFKA_VERSION and
# KAFKA4_VERSION in scripts/versions.env).
RELEASES: tuple[str, ...] = (DEFAULT, "4.4.0")
ALLOWED = f"{DEFAULT} (the default, ZooKeeper or KRaft) or {RELEASES[-1]} (KRaft only)"


def parse(text: str) -> Release:
    """The release named `text` ("4.4.0"); ValueError when it is not one the program configures for."""
    match = _VERSION.match(text.strip())
    if not match or text.strip() not in RELEASES:
        raise ValueError(f"Kafka {text!r} is not a release this program configures; allowed: {ALLOWED}")
    major, minor, patch = (int(part) for part in match.groups())
    return Release((major, minor, patch))


def metadata_level(name: str) -> int:
    """The feature level of a metadata version name ("4.4-IV2" → 33); ValueError for a name not in the table."""
    try:
        return METADATA_LEVELS[name]
    except KeyError:
        raise ValueError(f"metadata version {name!r} is not known; allowed: {', '.join(METADATA_LEVELS)}") from None


def metadata_name(level: int) -> str:
    """The metadata version of a feature level (33 → "4.4-IV2"); levels below 3.9's are shown as numbers."""
    names = {value: name for name, value in METADATA_LEVELS.items()}
    return names.get(level, f"level {level}")
