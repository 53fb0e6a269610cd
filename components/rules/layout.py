"""Where things are in the platform's network and containers: host names, ports and file paths. One definition
shared by the files the platform writes (components/platform) and the tools that run inside its containers
(Kafka's tools run in a broker: components/clients/kafka_tools.py)."""

from __future__ import annotations

KAFKA_LIBS = "/opt/kafka/libs/*"
LOG4J = "-Dlog4j.configuration=file:/opt/kafka/config/log4j.properties"
SECRETS_DIR = "/etc/kafka/secrets"
KEYSTORE = f"{SECRETS_DIR}/keystore.pem"
# Every broker reaches ZooKeeper with one shared identity (CN=kafka): the znodes Kafka creates carry an ACL for
# that identity, so any broker may change what another created, and nothing else may.
ZOOKEEPER_CLIENT_KEYSTORE = f"{SECRETS_DIR}/zookeeper-client.pem"
ZOOKEEPER_CLIENT_NAME = "kafka"
TRUSTSTORE = f"{SECRETS_DIR}/ca.pem"
ADMIN_SCRAM_FILE = f"{SECRETS_DIR}/admin-scram.properties"
ADMIN_CLIENT_FILE = f"{SECRETS_DIR}/admin-client.properties"
ZK_TLS_FILE = "/etc/kafka/zookeeper-tls.properties"
SERVER_PROPERTIES = "/etc/kafka/server.properties"
# Each service's files lie in one directory: the container's config volume, mounted read-only.
CONFIG_DIR = "/etc/kafka"
ZOO_CFG = "/etc/kafka/zoo.cfg"
START_SCRIPT = "/etc/kafka/start.sh"

# The order a broker's files are listed in: its restart gate digests the list, so a file keeps its place
# whichever part of the platform supplies it (a new file goes at the end).
BROKER_FILE_ORDER = (
    START_SCRIPT,
    SERVER_PROPERTIES,
    ZK_TLS_FILE,
    KEYSTORE,
    ZOOKEEPER_CLIENT_KEYSTORE,
    TRUSTSTORE,
    ADMIN_SCRAM_FILE,
    ADMIN_CLIENT_FILE,
)

# KRaft: the format tool's arguments (the admin's SCRAM credential among them) and the controllers' own client
# config for Kafka's tools (their certificate: no secret).
FORMAT_ARGS = f"{SECRETS_DIR}/format.args"
CONTROLLER_CLIENT_FILE = "/etc/kafka/controller-client.properties"
INTERNAL_CLIENT_FILE = "/etc/kafka/internal-client.properties"

ZK_SECURE_PORT = 2182
ZK_QUORUM_PORT = 2888
ZK_ELECTION_PORT = 3888
INTERNAL_PORT = 9091  # broker to broker: mutual TLS
CLIENT_PORT = 9092  # clients inside the platform's network (the registry): SASL_SSL
EXTERNAL_PORT = 9093  # clients on the host, through 127.0.0.1: SASL_SSL
CONTROLLER_PORT = 9094  # KRaft: brokers and controllers to the controllers: mutual TLS
# KRaft node ids share one space with broker ids: controllers take 3000 + index, far above any broker id (at most
# 9 brokers), so adding brokers never collides with a controller, and an id says which kind of node it is.
CONTROLLER_ID_BASE = 3000


ZOOKEEPER_HOST_PREFIX = "zookeeper-"
CONTROLLER_HOST_PREFIX = "controller-"


def zookeeper_host(index: int) -> str:
    return f"{ZOOKEEPER_HOST_PREFIX}{index}"


BROKER_HOST_PREFIX = "kafka-"


def broker_host(index: int) -> str:
    return f"{BROKER_HOST_PREFIX}{index}"


def controller_host(index: int) -> str:
    return f"{CONTROLLER_HOST_PREFIX}{index}"


def controller_id(index: int) -> int:
    return CONTROLLER_ID_BASE + index


def quorum_voters(controllers: int) -> str:
    """controller.quorum.voters of a static quorum: id@host:port of every controller."""
    return ",".join(f"{controller_id(i)}@{controller_host(i)}:{CONTROLLER_PORT}" for i in range(controllers))


def zookeeper_connect(nodes: int) -> str:
    return ",".join(f"{zookeeper_host(i)}:{ZK_SECURE_PORT}" for i in range(nodes))
