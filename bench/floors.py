"""What Kafka itself allows on the benchmark's cluster: one batched request for all N topics or ACL bindings
(CreateTopics waiting until every topic is led, DescribeConfigs, CreateAcls, and the deletes), and the seed's way
of making topics, one `kafka-topics.sh` process per topic."""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ConfigResource,
    NewTopic,
    ResourcePatternType,
    ResourceType,
)

TIMEOUT_S = 600.0
PREFIX = "floor.topic-"


def _names(count: int) -> list[str]:
    return [f"{PREFIX}{index:05d}" for index in range(count)]


def _bindings(names: list[str]) -> list[AclBinding]:
    return [
        AclBinding(
            ResourceType.TOPIC,
            name,
            ResourcePatternType.LITERAL,
            "User:floor",
            "*",
            AclOperation.READ,
            AclPermissionType.ALLOW,
        )
        for name in names
    ]


def _exact(found: AclBinding) -> AclBindingFilter:
    return AclBindingFilter(
        found.restype,
        found.name,
        found.resource_pattern_type,
        found.principal,
        found.host,
        found.operation,
        found.permission_type,
    )


def _done(futures: dict) -> None:
    for future in futures.values():
        future.result(timeout=TIMEOUT_S)


def _timed(request) -> float:
    started = time.monotonic()
    _done(request())
    return time.monotonic() - started


def kafka_floors(settings: dict, count: int, replication: int = 1) -> dict[str, float]:
    """Seconds of one batched request each, for `count` topics and as many ACL bindings."""
    admin = AdminClient(settings)
    admin.list_topics(timeout=30)  # connected first: the floor is the request, not the login
    names = _names(count)
    bindings = _bindings(names)
    topics = [NewTopic(name, num_partitions=1, replication_factor=replication) for name in names]
    floors = {
        "create topics": _timed(lambda: admin.create_topics(topics, operation_timeout=TIMEOUT_S)),
        "create ACLs": _timed(lambda: admin.create_acls(bindings)),
    }
    started = time.monotonic()
    admin.list_topics(timeout=30)
    _done(admin.describe_configs([ConfigResource(ConfigResource.Type.TOPIC, name) for name in names]))
    floors["describe configs"] = time.monotonic() - started
    filters = [_exact(binding) for binding in bindings]
    floors["delete ACLs"] = _timed(lambda: admin.delete_acls(filters))
    floors["delete topics"] = _timed(lambda: admin.delete_topics(names, operation_timeout=TIMEOUT_S))
    return floors


def seed_way_seconds(properties: str, bootstrap: str, kafka_libs: Path, count: int, java: str = "java") -> float:
    """`count` topics made as the seed made them: one kafka-topics.sh (a JVM running TopicCommand) per topic."""
    with tempfile.TemporaryDirectory(prefix="caracal-seed-") as folder:
        config = Path(folder) / "admin.properties"
        config.write_text(properties)
        config.chmod(0o600)
        started = time.monotonic()
        for name in _names(count):
            subprocess.run(
                [
                    java,
                    "-cp",
                    f"{kafka_libs}/*",
                    "org.apache.kafka.tools.TopicCommand",
                    "--bootstrap-server",
                    bootstrap,
                    "--command-config",
                    str(config),
                    "--create",
                    "--topic",
                    name,
                    "--partitions",
                    "1",
                    "--replication-factor",
                    "1",
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        seconds = time.monotonic() - started
    return seconds


def delete_topics(settings: dict, count: int) -> None:
    """Remove what the seed's way made (not timed)."""
    admin = AdminClient(settings)
    _done(admin.delete_topics(_names(count), operation_timeout=TIMEOUT_S))


def delete_everything_named(settings: dict, names: list[str], principal: str) -> None:
    """Remove what the peer made: these topics (when they exist) and every binding of `principal`."""
    admin = AdminClient(settings)
    existing = [name for name in names if name in admin.list_topics(timeout=30).topics]
    if existing:
        _done(admin.delete_topics(existing, operation_timeout=TIMEOUT_S))
    every = AclBindingFilter(
        ResourceType.ANY, None, ResourcePatternType.ANY, principal, None, AclOperation.ANY, AclPermissionType.ANY
    )
    _done(admin.delete_acls([every]))


def ensure_present(settings: dict, names: list[str], principal: str) -> None:
    """Make every topic (with the set's config) and READ binding of the set exist, as a successful apply leaves
    them, so the diff of the set is timed on the complete set whatever the apply managed."""
    admin = AdminClient(settings)
    listed = admin.list_topics(timeout=30).topics
    missing = [
        NewTopic(name, num_partitions=1, replication_factor=1, config={"compression.type": "snappy"})
        for name in names
        if name not in listed
    ]
    if missing:
        _done(admin.create_topics(missing, operation_timeout=TIMEOUT_S))
    bindings = [
        AclBinding(
            ResourceType.TOPIC, name, ResourcePatternType.LITERAL, principal, "*", AclOperation.READ,
            AclPermissionType.ALLOW,
        )
        for name in names
    ]  # fmt: skip
    _done(admin.create_acls(bindings))
