"""Kafka's own command-line tools as the platform runs them: which main class each tool has in which Kafka
version, how the version is read from an image's jars, the java command line, and how a tool's output is masked.

The main classes, checked in the jars on Maven Central (kafka_2.13 and kafka-tools of 3.9.1, 4.0.0 to 4.4.0):

| tool                      | main class                                                 | since |
|---------------------------|------------------------------------------------------------|-------|
| kafka-configs             | kafka.admin.ConfigCommand                                  | 3.9   |
|                           | org.apache.kafka.tools.ConfigCommand                       | 4.4   |
| kafka-metadata-quorum     | org.apache.kafka.tools.MetadataQuorumCommand               | 3.9   |
| kafka-storage             | kafka.tools.StorageTool                                    | 3.9   |
| kafka-reassign-partitions | org.apache.kafka.tools.reassign.ReassignPartitionsCommand  | 3.9   |
| kafka-log-dirs            | org.apache.kafka.tools.LogDirsCommand                      | 3.9   |
| kafka-features            | org.apache.kafka.tools.FeatureCommand                      | 3.9   |
| kafka-cluster             | org.apache.kafka.tools.ClusterTool                         | 3.9   |

kafka-cluster takes its subcommand first and its login as `--config`, so it gets its connection arguments from
its caller rather than from `java_command`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from components.rules import layout

KafkaVersion = tuple[int, int, int]

# The oldest Kafka the table was checked against; an older image is refused rather than guessed at.
OLDEST = (3, 9, 0)
# Kafka 4.0 logs through log4j2 (KIP-653): its images carry a log4j2 file where 3.x images carry log4j.properties.
LOG4J2_SINCE = (4, 0, 0)
LOG4J2 = "-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml"
TOOL_HEAP = "-Xmx128m"
# kafka-clients-<version>.jar is on every Kafka class path, broker or tools alone.
_CLIENTS_JAR = re.compile(r"^kafka-clients-(\d+)\.(\d+)\.(\d+)\.jar$")


@dataclass(frozen=True)
class Tool:
    """One of Kafka's tools: its script name (what an operator knows it by) and its main class per version."""

    name: str
    classes: tuple[tuple[KafkaVersion, str], ...]
    """(since version, main class), oldest first."""
    connects: bool = True
    """Takes --bootstrap-server and --command-config (the storage tool works on local files only)."""

    def main_class(self, version: KafkaVersion) -> str:
        if version < OLDEST:
            raise ValueError(
                f"{self.name}: Kafka {format_version(version)} is not supported; allowed: "
                f"{format_version(OLDEST)} or newer"
            )
        return [main for since, main in self.classes if since <= version][-1]


CONFIGS = Tool(
    "kafka-configs", ((OLDEST, "kafka.admin.ConfigCommand"), ((4, 4, 0), "org.apache.kafka.tools.ConfigCommand"))
)
METADATA_QUORUM = Tool("kafka-metadata-quorum", ((OLDEST, "org.apache.kafka.tools.MetadataQuorumCommand"),))
STORAGE = Tool("kafka-storage", ((OLDEST, "kafka.tools.StorageTool"),), connects=False)
REASSIGN_PARTITIONS = Tool(
    "kafka-reassign-partitions", ((OLDEST, "org.apache.kafka.tools.reassign.ReassignPartitionsCommand"),)
)
LOG_DIRS = Tool("kafka-log-dirs", ((OLDEST, "org.apache.kafka.tools.LogDirsCommand"),))
FEATURES = Tool("kafka-features", ((OLDEST, "org.apache.kafka.tools.FeatureCommand"),))
CLUSTER = Tool("kafka-cluster", ((OLDEST, "org.apache.kafka.tools.ClusterTool"),), connects=False)
# zookeeper-shell with Kafka's TLS client settings (3.x only: 4.x has no ZooKeeper); it reads Kafka's migration record.
ZOOKEEPER_SHELL = Tool(
    "zookeeper-shell", ((OLDEST, "org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka"),), connects=False
)
TOOLS = (CONFIGS, METADATA_QUORUM, STORAGE, REASSIGN_PARTITIONS, LOG_DIRS, FEATURES, CLUSTER, ZOOKEEPER_SHELL)


def format_version(version: KafkaVersion) -> str:
    return ".".join(map(str, version))


def version_from_libs(names: Iterable[str]) -> KafkaVersion:
    """The Kafka version of a class path, from the names of its jars (ValueError when it holds no Kafka)."""
    found = {tuple(int(part) for part in match.groups()) for name in names if (match := _CLIENTS_JAR.match(name))}
    if len(found) != 1:
        what = "no kafka-clients jar" if not found else f"kafka-clients of {len(found)} versions"
        raise ValueError(f"{layout.KAFKA_LIBS} holds {what}: cannot tell the Kafka version")
    (major, minor, patch) = found.pop()
    return major, minor, patch


def logging_option(version: KafkaVersion) -> str:
    return LOG4J2 if version >= LOG4J2_SINCE else layout.LOG4J


def java_command(
    tool: Tool,
    version: KafkaVersion,
    args: Sequence[str],
    *,
    bootstrap_servers: str | None = None,
    command_config: str | None = None,
) -> list[str]:
    """The tool's java command line; a connecting tool gets the bootstrap servers and its client config file."""
    connection: list[str] = []
    if tool.connects:
        if not bootstrap_servers or not command_config:
            raise ValueError(f"{tool.name} connects to the cluster: it needs bootstrap servers and a client config")
        connection = ["--bootstrap-server", bootstrap_servers, "--command-config", command_config]
    return [
        "java", TOOL_HEAP, logging_option(version), "-cp", layout.KAFKA_LIBS, tool.main_class(version),
        *connection, *args,
    ]  # fmt: skip


# A log record as the images' log4j configuration prints it to the console: "[2026-12-06 11:15:34,570] INFO ...".
_LOG_RECORD = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) ")

# The lines a record's exception adds: "java.io.IOException: ...", "\tat ...", "Caused by: ...".
_THROWABLE = re.compile(r"^(Caused by: |[\w$]+(\.[\w$]+)+(Exception|Error|Throwable)\b)")


def split_log(stdout: str) -> tuple[str, str]:
    """(the tool's own output, its log records): the images log to the console, so a tool's log records come on
    stdout between what it prints. A record's continuation lines (a stack trace) stay with it."""
    output: list[str] = []
    log: list[str] = []
    in_record = False
    for line in stdout.splitlines(keepends=True):
        continued = in_record and (line[:1] in (" ", "\t") or bool(_THROWABLE.match(line)))
        in_record = bool(_LOG_RECORD.match(line)) or continued
        (log if in_record else output).append(line)
    return "".join(output), "".join(log)


MASK = "******"
# A password or secret written as a property or JAAS option: the value up to the next blank, quote, comma or `;`.
_SECRET_SETTING = re.compile(r"""(?i)((?:password|secret|keystore\.key)["']?\s*[=:]\s*["']?)[^\s"',;]+""")


def masked(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every known secret value and every password-like setting replaced by a mask."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _SECRET_SETTING.sub(lambda match: match.group(1) + MASK, text)


_BROKER_CONTAINER = re.compile(rf"^(?P<prefix>.+)-{layout.BROKER_HOST_PREFIX}(?P<index>\d+)$")


def broker_prefix(container: str) -> str | None:
    """The stack's container prefix of broker container `container` (`caracal-prod` of `caracal-prod-kafka-1`)."""
    found = _BROKER_CONTAINER.fullmatch(container)
    return found["prefix"] if found else None


def standing_in(container: str, running: Iterable[str]) -> str | None:
    """A running broker container of the same stack to run a tool in when broker `container` does not run (it is
    being replaced in a roll, or an interrupted `up` left it out): the lowest-numbered one; None when `container` is
    no broker of a stack or none of its brokers runs. The tool works on the cluster, not on that broker."""
    wanted = _BROKER_CONTAINER.fullmatch(container)
    if not wanted:
        return None
    others = [
        (int(found["index"]), name)
        for name in running
        if (found := _BROKER_CONTAINER.fullmatch(name)) and found["prefix"] == wanted["prefix"] and name != container
    ]
    return min(others)[1] if others else None
