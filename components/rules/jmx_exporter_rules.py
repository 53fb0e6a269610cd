"""The JMX exporter's rules: which MBeans of a Kafka broker, a KRaft controller and a ZooKeeper node become which
Prometheus series. Written from the MBean names Kafka 3.9 and ZooKeeper 3.8 register, so that they give the names
dashboards and runbooks use (`kafka_server_replicamanager_underreplicatedpartitions`,
`kafka_controller_kafkacontroller_activecontrollercount`, ...): `kafka_<domain>_<type>_<name>`, lower case,
`_total` on counters. The agent adds the JVM's own series (memory pools, GC, threads) by itself.

A pattern matches `domain<key=value, ...><attribute path>attribute` in the MBean's own key order; the first rule
that matches wins, so the specific rules come before the generic ones."""

from __future__ import annotations

from typing import Any

Rule = dict[str, Any]


def _rule(kind: str, pattern: str, name: str, labels: dict[str, str]) -> Rule:
    # cache: the agent remembers which rule an attribute matched (or that none did) instead of matching every
    # pattern on every scrape; only a rule that reads the attribute's value (raft's current-state) must not.
    return {"pattern": pattern, "name": name, "type": kind, **({"labels": labels} if labels else {}), "cache": True}


def _gauge(pattern: str, name: str, **labels: str) -> Rule:
    return _rule("GAUGE", pattern, name, labels)


def _counter(pattern: str, name: str, **labels: str) -> Rule:
    return _rule("COUNTER", pattern, name, labels)


# The requests worth their latency series; Kafka registers 7 phases x 9 statistics for each of its ~65 request
# types, most of which an operator never reads (and which made a scrape take seconds).
REQUESTS = (
    "Produce",
    "FetchConsumer",
    "FetchFollower",
    "Metadata",
    "ListOffsets",
    "OffsetCommit",
    "OffsetFetch",
    "JoinGroup",
    "Heartbeat",
)

# Only these MBeans are read at all (ObjectName patterns): the agent visits each attribute of each bean it reads.
KAFKA_BEANS = [
    "kafka.server:type=ReplicaManager,*",
    "kafka.server:type=BrokerTopicMetrics,*",
    "kafka.server:type=KafkaRequestHandlerPool,*",
    "kafka.server:type=ReplicaFetcherManager,*",
    "kafka.server:type=DelayedOperationPurgatory,*",
    "kafka.server:type=KafkaServer,*",
    "kafka.server:type=SessionExpireListener,*",
    "kafka.server:type=ZooKeeperClientMetrics,*",
    "kafka.server:type=socket-server-metrics,*",
    "kafka.server:type=raft-metrics",
    "kafka.server:type=raft-channel-metrics",
    "kafka.server:type=broker-metadata-metrics",
    "kafka.controller:*",
    "kafka.log:type=LogManager,*",
    "kafka.log:type=Log,*",
    "kafka.log:type=LogFlushStats,*",
    "kafka.network:type=SocketServer,*",
    "kafka.network:type=RequestChannel,*",
    *(f"kafka.network:type=RequestMetrics,request={request},*" for request in REQUESTS),
]
ZOOKEEPER_BEANS = ["org.apache.ZooKeeperService:*"]


# Per topic and partition: size, offsets and segments of each log (the alert on disk growth reads these).
_PARTITIONS = [
    _gauge(
        r"kafka.log<type=Log, name=(Size|NumLogSegments|LogStartOffset|LogEndOffset), topic=(.+), partition=(.+)>"
        r"<>Value",
        "kafka_log_log_$1",
        topic="$2",
        partition="$3",
    ),
]

# Requests: rates by request type and version, and the time each phase takes (count, mean and percentiles).
_REQUESTS = [
    _counter(
        r"kafka.network<type=RequestMetrics, name=RequestsPerSec, request=(\w+), version=(\d+)><>Count",
        "kafka_network_requestmetrics_requests_total",
        request="$1",
        version="$2",
    ),
    _gauge(
        r"kafka.network<type=RequestMetrics, name=(\w+)TimeMs, request=(\w+)><>(50|99)thPercentile",
        "kafka_network_requestmetrics_$1timems",
        request="$2",
        quantile="0.$3",
    ),
    _gauge(
        r"kafka.network<type=RequestMetrics, name=(\w+)TimeMs, request=(\w+)><>(Count|Mean|Max)",
        "kafka_network_requestmetrics_$1timems_$3",
        request="$2",
    ),
    _counter(
        r"kafka.server<type=BrokerTopicMetrics, name=(\w+)PerSec, topic=(.+)><>Count",
        "kafka_server_brokertopicmetrics_$1_total",
        topic="$2",
    ),
    _gauge(
        r"kafka.server<type=socket-server-metrics, listener=(.+), networkProcessor=(.+)><>connection-count",
        "kafka_server_socketservermetrics_connection_count",
        listener="$1",
        networkprocessor="$2",
    ),
]

# KRaft: the raft log and quorum state of every controller (and broker), the controller's own metrics, and the
# ZooKeeper-to-KRaft migration state.
_KRAFT = [
    {
        "pattern": r"kafka.server<type=raft-metrics><>current-state: (\w+)",
        "cache": False,
        "name": "kafka_server_raftmetrics_current_state",
        "labels": {"state": "$1"},
        "value": 1,
        "type": "GAUGE",
    },
    _gauge(r"kafka.server<type=raft-metrics><>([a-z-]+)", "kafka_server_raftmetrics_$1"),
    _gauge(r"kafka.server<type=raft-channel-metrics><>([a-z-]+)", "kafka_server_raftchannelmetrics_$1"),
    _gauge(r"kafka.server<type=broker-metadata-metrics><>([a-z-]+)", "kafka_server_brokermetadatametrics_$1"),
    # ActiveBrokerCount, FencedBrokerCount, MetadataErrorCount, LastAppliedRecordLagMs, ZkMigrationState, ...
    _gauge(r"kafka.controller<type=(KafkaController|QuorumController), name=(\w+)><>Value", "kafka_controller_$1_$2"),
]

# Everything else by Kafka's naming scheme: rates as counters, percentages and values as gauges (ISR shrinks and
# expands, under-replicated and offline partitions, the active controller, offline log directories, idle ratios).
_GENERIC = [
    _counter(
        r"kafka.(\w+)<type=(.+), name=(.+)PerSec\w*, (.+)=(.+), (.+)=(.+)><>Count",
        "kafka_$1_$2_$3_total",
        **{"$4": "$5", "$6": "$7"},
    ),
    _counter(r"kafka.(\w+)<type=(.+), name=(.+)PerSec\w*, (.+)=(.+)><>Count", "kafka_$1_$2_$3_total", **{"$4": "$5"}),
    _counter(r"kafka.(\w+)<type=(.+), name=(.+)PerSec\w*><>Count", "kafka_$1_$2_$3_total"),
    _gauge(r"kafka.(\w+)<type=(.+), name=(.+)Percent\w*><>(?:MeanRate|Value)", "kafka_$1_$2_$3_percent"),
    _gauge(
        r"kafka.(\w+)<type=(.+), name=(.+)Percent\w*, (.+)=(.+)><>(?:MeanRate|Value)",
        "kafka_$1_$2_$3_percent",
        **{"$4": "$5"},
    ),
    _gauge(
        r"kafka.(\w+)<type=(.+), name=(.+), (.+)=(.+), (.+)=(.+)><>Value", "kafka_$1_$2_$3", **{"$4": "$5", "$6": "$7"}
    ),
    _gauge(r"kafka.(\w+)<type=(.+), name=(.+), (.+)=(.+)><>Value", "kafka_$1_$2_$3", **{"$4": "$5"}),
    _gauge(r"kafka.(\w+)<type=(.+), name=(.+)><>Value", "kafka_$1_$2_$3"),
    _counter(r"kafka.(\w+)<type=(.+), name=(.+)><>Count", "kafka_$1_$2_$3_count"),
]

KAFKA_RULES: list[Rule] = [*_PARTITIONS, *_REQUESTS, *_KRAFT, *_GENERIC]

# ZooKeeper 3.8 registers its beans under org.apache.ZooKeeperService: the server (ReplicatedServer_id<myid>), its
# replica, the replica's role (Leader, Follower), the role's connections and the data tree. Attributes that are
# not numbers are skipped by the agent.
_ZK = "org.apache.ZooKeeperService"
ZOOKEEPER_RULES: list[Rule] = [
    _gauge(rf"{_ZK}<name0=ReplicatedServer_id(\d+)><>(\w+)", "zookeeper_$2"),
    _gauge(rf"{_ZK}<name0=ReplicatedServer_id(\d+), name1=replica.(\d+)><>(\w+)", "zookeeper_$3", replicaid="$2"),
    _counter(
        rf"{_ZK}<name0=ReplicatedServer_id(\d+), name1=replica.(\d+), name2=(\w+)><>(Packets\w+)",
        "zookeeper_$4_total",
        replicaid="$2",
        membertype="$3",
    ),
    _gauge(
        rf"{_ZK}<name0=ReplicatedServer_id(\d+), name1=replica.(\d+), name2=(\w+)><>(\w+)",
        "zookeeper_$4",
        replicaid="$2",
        membertype="$3",
    ),
    _gauge(
        rf"{_ZK}<name0=ReplicatedServer_id(\d+), name1=replica.(\d+), name2=(\w+), name3=(\w+)><>(\w+)",
        "zookeeper_$4_$5",
        replicaid="$2",
        membertype="$3",
    ),
    # A one-node ensemble runs standalone.
    _gauge(rf"{_ZK}<name0=StandaloneServer_port(\d+)><>(\w+)", "zookeeper_$2"),
    _gauge(rf"{_ZK}<name0=StandaloneServer_port(\d+), name1=(InMemoryDataTree)><>(\w+)", "zookeeper_$2_$3"),
]

# Node kind -> the beans read and their rules. A kind of node is one entry here and one in
# components/rules/scrape_targets.py.
RULES: dict[str, list[Rule]] = {"kafka": KAFKA_RULES, "controller": KAFKA_RULES, "zookeeper": ZOOKEEPER_RULES}
BEANS: dict[str, list[str]] = {"kafka": KAFKA_BEANS, "controller": KAFKA_BEANS, "zookeeper": ZOOKEEPER_BEANS}
