"""Names and limits: what a topic, subject or user may be called, the platform's own users, and the type tokens
that identify each kind of resource (tools and tests select resources by these, never by their inputs)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Components: caracal:kafka:<Kind>.
TOKEN_PREFIX = "caracal:kafka"
# Dynamic resources: pulumi-python:dynamic/caracal:<Kind> (the dynamic-provider SDK makes the prefix).
DYNAMIC_MODULE = "caracal"
TOPIC, SUBJECT, SCRAM_USER, ACL, USER_QUOTA, READINESS = (
    "Topic",
    "Subject",
    "ScramUser",
    "Acl",
    "UserQuota",
    "Readiness",
)
# Topic and Acl: the single resources of earlier releases, known only to components/compat/single_to_sets.py.
# Topics and ACL bindings are members of sets (a catalog's, the registry's), each set one resource: an `up` is a
# few batched requests, and the engine records a handful of resources instead of one per topic and binding.
TOPIC_SET, ACL_SET = "TopicSet", "AclSet"
# A set's id says whose members it holds: the catalog's, or the registry's storage topics and bindings.
CATALOG_TOPIC_SET_ID, CATALOG_ACL_SET_ID = "catalog-topics", "catalog-acls"
REGISTRY_TOPIC_SET_ID, REGISTRY_ACL_SET_ID = "registry-topics", "registry-acls"
# The consumer-lag exporter's bindings (with metrics: true).
CONSUMER_LAG_ACL_SET_ID = "consumer-lag-acls"
# The platform's Docker network, read through the Docker CLI.
DOCKER_NETWORK = "DockerNetwork"
# What pulumi-docker cannot give a service container: its config volume (the root filesystem is read-only) and
# its pids limit.
CONFIG_VOLUME, PIDS_LIMIT = "ConfigVolume", "PidsLimit"
# The roll of a running cluster: defaults changed in place, the gate before and the check after each restart, and
# the CA trust a rotation step leaves behind.
CLUSTER_DEFAULTS, BROKER_GATE, ZOOKEEPER_GATE, BROKER_IN_SYNC, CA_TRUST = (
    "ClusterDefaults",
    "BrokerRestartGate",
    "ZooKeeperRestartGate",
    "BrokerInSync",
    "CaTrust",
)
# KRaft: the gate before each controller's restart, and the admin credential the brokers re-seed.
CONTROLLER_GATE, ADMIN_CREDENTIAL = "ControllerRestartGate", "AdminCredential"
# A ZooKeeper-to-KRaft migration: the wait until Kafka copied the metadata from ZooKeeper (step `hybrid`).
# and Kafka's rollback from `controllers` or `hybrid` (controllers stopped, its znodes removed) before brokers roll.
MIGRATION_COPIED, MIGRATION_ROLLBACK = "MigrationCopied", "MigrationRollback"
# and, in `finalize`, an archive of ZooKeeper's data made before the ensemble goes.
ZOOKEEPER_SNAPSHOT = "ZooKeeperSnapshot"
# Brokers added or removed: partitions moved so every broker of the stack holds and leads its share.
PARTITION_BALANCE = "PartitionBalance"
# KRaft: a broker's registration in the metadata, unregistered once the stack removed the broker's container.
BROKER_REGISTRATION = "BrokerRegistration"

# Users the platform itself needs; the catalog may grant them nothing more and may not redefine them.
ADMIN_USER = "admin"
REGISTRY_USER = "schema-registry"
# The consumer-lag exporter's user (with metrics: true).
CONSUMER_LAG_USER = "consumer-lag"
PLATFORM_USERS = (ADMIN_USER, REGISTRY_USER, CONSUMER_LAG_USER)

TOPIC_NAME = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")
TOPIC_NAME_ALLOWED = "1-249 characters of a-z A-Z 0-9 . _ -"
# Kafka names its own topics __consumer_offsets, __transaction_state; tools name theirs _schemas, _confluent-*.
INTERNAL_TOPIC_PREFIX = "_"
SUBJECT_NAME = re.compile(r"^[a-zA-Z0-9._-]{1,255}$")
SUBJECT_NAME_ALLOWED = "1-255 characters of a-z A-Z 0-9 . _ -"
USER_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$")
USER_NAME_ALLOWED = "1-64 characters of a-z A-Z 0-9 . _ -, starting with a letter or digit"

MAX_PARTITIONS = 10_000
MAX_REPLICATION_FACTOR = 32
# The one name a CLUSTER ACL binding's resource has.
CLUSTER_RESOURCE_NAME = "kafka-cluster"


def token(kind: str) -> str:
    """Type token of a component, e.g. caracal:kafka:Platform."""
    return f"{TOKEN_PREFIX}:{kind}"


def dynamic_token(kind: str) -> str:
    """Type token of a dynamic resource as the engine records it, e.g. pulumi-python:dynamic/caracal:Topic."""
    return f"pulumi-python:dynamic/{DYNAMIC_MODULE}:{kind}"


def is_topic_name(name: object) -> bool:
    return isinstance(name, str) and bool(TOPIC_NAME.match(name)) and name not in (".", "..")


def is_internal_topic(name: str) -> bool:
    """Kafka's and its tools' own topics: never managed by a stack, hidden from listings unless asked for."""
    return name.startswith(INTERNAL_TOPIC_PREFIX)


def replication_factor(replica_counts: Iterable[int]) -> int:
    """A topic's replication factor: the replica count of its partitions. While a reassignment is under way the
    partitions can differ; the smallest count is what every partition has, so that is the factor."""
    return min(replica_counts, default=0)
