"""How a Kafka node logs, per release: Kafka 3.x reads a log4j 1 properties file through reload4j, Kafka 4.x a
log4j2 YAML file (KIP-653). Both print every record to the console (docker logs) in the same layout,
"[2026-12-06 11:15:34,570] INFO message (logger)", which components/rules/kafka_tools.py splits from a tool's own
output.

`log4j2_yaml()` is the file the 4.x image carries as /opt/kafka/config/log4j2.yaml (images/kafka4/log4j2.yaml is
this text; a unit test keeps them equal), and what a 4.x broker or controller is given.
"""

from __future__ import annotations

# The console layout of both generations: log4j 1's and log4j2's %d print "yyyy-MM-dd HH:mm:ss,SSS".
PATTERN = "[%d] %p %m (%c)%n"

# Loggers quieter or louder than the root's INFO, as in Kafka's own config/log4j2.yaml. Authorizer decisions:
# denials at INFO; set kafka.authorizer.logger to DEBUG to see allowed operations too.
LOGGERS: tuple[tuple[str, str], ...] = (
    ("kafka", "INFO"),
    ("org.apache.kafka", "INFO"),
    ("kafka.request.logger", "WARN"),
    ("kafka.network.RequestChannel$", "WARN"),
    ("kafka.controller", "INFO"),
    ("org.apache.kafka.controller", "INFO"),
    ("kafka.log.LogCleaner", "INFO"),
    ("state.change.logger", "INFO"),
    ("kafka.authorizer.logger", "INFO"),
    ("org.apache.kafka.metadata.authorizer", "INFO"),
)


def log4j2_yaml(root_level: str = "INFO") -> str:
    """The log4j2 configuration of a 4.x node or tool: every record to the console."""
    loggers = "".join(
        f'      - name: "{name}"\n        level: {level}\n        additivity: true\n' for name, level in LOGGERS
    )
    return (
        "# Logging of Kafka 4.x nodes and tools in caracal/kafka: everything to the console (docker logs).\n"
        "# Rendered by components/rules/kafka_logging.py; pass -Dlog4j2.configurationFile=<this file>.\n"
        "Configuration:\n"
        "  name: caracal-kafka\n"
        "  Appenders:\n"
        "    Console:\n"
        "      name: STDOUT\n"
        "      target: SYSTEM_OUT\n"
        "      PatternLayout:\n"
        f'        pattern: "{PATTERN}"\n'
        "  Loggers:\n"
        "    Root:\n"
        f"      level: {root_level}\n"
        "      AppenderRef:\n"
        "        - ref: STDOUT\n"
        "    Logger:\n"
        f"{loggers}"
    )
