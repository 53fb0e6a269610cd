"""What Kafka itself allows on the benchmark's cluster: one batched request for all N topics or ACL bindings
(CreateTopics waiting until every topic is led, DescribeConfigs, CreateAcls, and the deletes), and the seed's way
of making topics, one `kafka-topics.sh` process per topic."""

from __future__ import annotations

import concurrent.futures
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from confluent_kafka import KafkaError, KafkaException
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

from components.clients.acl_snapshot import matching
from components.clients.collector_pause import collector_paused
from components.clients.kafka_batches import await_acl, await_listed

TIMEOUT_S = 600.0
# Requests that set a bench up or clean it (not timed): small enough for any cluster (a KRaft controller refuses a
# CreateTopics of 10,000 topics whole).
SETUP_PER_REQUEST = 1000
PREFIX = "floor.topic-"
DESCRIBE_PAUSED = "describe configs, collector paused"
# The config each bench topic carries as the program makes it: the bench catalog's default (bench/topics.py) and
# the dev stack's topic defaults. The floors and Jikkou write the same, so a broker keeps the same per-topic overrides.
TOPIC_CONFIG = {"compression.type": "snappy", "min.insync.replicas": "1", "retention.ms": "604800000"}


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


def _in_parts(items: Sequence, send: Callable[[Sequence], dict]) -> None:
    """A setup or cleanup write (not timed) in requests of SETUP_PER_REQUEST, each answered before the next."""
    for start in range(0, len(items), SETUP_PER_REQUEST):
        _done(send(items[start : start + SETUP_PER_REQUEST]))


def _done(futures: dict) -> None:
    for future in futures.values():
        future.result(timeout=TIMEOUT_S)


def _refused_as_too_large(error: KafkaException) -> bool:
    return error.args[0].code() == KafkaError.POLICY_VIOLATION


def _fewest_requests(
    items: Sequence, send: Callable[[Sequence], dict], undo: Callable[[], None]
) -> tuple[float, int, int]:
    """Seconds to write `items` in as few requests as the cluster takes, how many requests that was, and their size.

    One request where the cluster accepts it (ZooKeeper mode does, at any size). A KRaft controller refuses, whole,
    a request that would write too many metadata records at once (POLICY_VIOLATION, "excessively large batch
    operation"; one CreateTopics of 10,000 topics is). Then the items go in 2, 4, ... requests of equal size, all in
    flight at once; the refused try is undone and not timed."""
    requests = 1
    while True:
        size = -(-len(items) // requests)
        started = time.monotonic()
        futures = [send(items[at : at + size]) for at in range(0, len(items), size)]
        try:
            for sent in futures:
                _done(sent)
            return time.monotonic() - started, len(futures), size
        except KafkaException as error:
            if not _refused_as_too_large(error) or size == 1:
                raise
            concurrent.futures.wait([future for sent in futures for future in sent.values()])
            undo()
            requests *= 2


def _until_applied(admin: AdminClient, last: AclBindingFilter, present: bool) -> float:
    """Seconds until the broker lists the last binding written (or no longer does), as the program's ACL writes are
    timed: a KRaft controller answers once it has written them, a broker applies them after it (in order)."""
    started = time.monotonic()
    await_acl(admin, last, present)
    return time.monotonic() - started


def kafka_floors(
    settings: dict, count: int, replication: int = 1, settled: Callable[[], float] = lambda: 0.0
) -> tuple[dict[str, float], list[str]]:
    """Seconds of the fewest batched requests each (one, where the cluster takes it), for `count` topics and as
    many ACL bindings; and a note for each write that took more than one request. `settled` waits for a quiet
    cluster where the program's runs start on one: before the writes, the reads and the deletes (the topics
    follow the bindings at once, as they do in an `up`)."""
    admin = AdminClient(settings)
    admin.list_topics(timeout=30)  # connected first: the floor is the request, not the login
    names = _names(count)
    bindings = _bindings(names)
    filters = [matching(binding) for binding in bindings]
    topics = [NewTopic(name, num_partitions=1, replication_factor=replication, config=TOPIC_CONFIG) for name in names]

    def remove_made_topics() -> None:
        listed = admin.list_topics(timeout=30).topics
        made = [name for name in names if name in listed]
        if made:
            _done(admin.delete_topics(made, operation_timeout=TIMEOUT_S))

    def remove_made_bindings() -> None:
        _done(admin.delete_acls(filters))

    floors: dict[str, float] = {}
    notes: list[str] = []

    def write(what: str, items: Sequence, send: Callable[[Sequence], dict], undo: Callable[[], None]) -> None:
        floors[what], requests, size = _fewest_requests(items, send, undo)
        if requests > 1:
            notes.append(f"floor {what}: {requests} requests of {size} at once")

    settled()
    # In the program's order: the bindings, then the topics (components/platform/catalog.py).
    write("create ACLs", bindings, admin.create_acls, remove_made_bindings)
    floors["create ACLs"] += _until_applied(admin, filters[-1], present=True)
    write(
        "create topics", topics, lambda part: admin.create_topics(part, operation_timeout=TIMEOUT_S), remove_made_topics
    )
    # Timed as the program's create is: until the metadata shows every topic (a KRaft controller answers once it
    # has written them, before the brokers know them; in ZooKeeper mode the answer comes when they are led).
    started = time.monotonic()
    await_listed(admin, [(name, 1) for name in names])
    floors["create topics"] += time.monotonic() - started
    resources = [ConfigResource(ConfigResource.Type.TOPIC, name) for name in names]
    settled()
    started = time.monotonic()
    admin.list_topics(timeout=30)
    _done(admin.describe_configs(resources))
    floors["describe configs"] = time.monotonic() - started
    # The same read as the program makes it: most of the client's time is its objects, one per config key of each
    # topic, and the cyclic collector walking them (components/clients/collector_pause.py).
    started = time.monotonic()
    with collector_paused():
        admin.list_topics(timeout=30)
        _done(admin.describe_configs(resources))
    floors[DESCRIBE_PAUSED] = time.monotonic() - started
    settled()
    write("delete ACLs", filters, admin.delete_acls, lambda: None)
    floors["delete ACLs"] += _until_applied(admin, filters[-1], present=False)
    write("delete topics", names, lambda part: admin.delete_topics(part, operation_timeout=TIMEOUT_S), lambda: None)
    started = time.monotonic()
    await_listed(admin, [(name, 0) for name in names])
    floors["delete topics"] += time.monotonic() - started
    return floors, notes


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
    listed = admin.list_topics(timeout=30).topics
    existing = [name for name in names if name in listed]
    _in_parts(existing, lambda part: admin.delete_topics(part, operation_timeout=TIMEOUT_S))
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
        NewTopic(name, num_partitions=1, replication_factor=1, config=TOPIC_CONFIG)
        for name in names
        if name not in listed
    ]
    _in_parts(missing, lambda part: admin.create_topics(part, operation_timeout=TIMEOUT_S))
    bindings = [
        AclBinding(
            ResourceType.TOPIC, name, ResourcePatternType.LITERAL, principal, "*", AclOperation.READ,
            AclPermissionType.ALLOW,
        )
        for name in names
    ]  # fmt: skip
    _done(admin.create_acls(bindings))
