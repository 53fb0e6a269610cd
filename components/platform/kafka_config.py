"""The files ZooKeeper and the brokers run with, generated as text: no config is baked into an image, so any image
with a JVM and Kafka's jars in /opt/kafka/libs runs them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from components.clients.client_properties import client_properties, format_properties
from components.clients.jaas_config import SCRAM_LOGIN_MODULE
from components.rules import metrics_agent, tls_policy
from components.rules.layout import (
    ADMIN_SCRAM_FILE,
    CLIENT_PORT,
    CONFIG_DIR,
    EXTERNAL_PORT,
    INTERNAL_PORT,
    KAFKA_LIBS,
    KEYSTORE,
    LOG4J,
    SERVER_PROPERTIES,
    TRUSTSTORE,
    ZK_ELECTION_PORT,
    ZK_QUORUM_PORT,
    ZK_SECURE_PORT,
    ZK_TLS_FILE,
    ZOO_CFG,
    ZOOKEEPER_CLIENT_KEYSTORE,
    broker_host,
    zookeeper_connect,
    zookeeper_host,
)
from components.rules.names import ADMIN_USER


def _tls_store_settings(prefix: str) -> dict[str, object]:
    """ZooKeeper's own spelling of PEM key and trust stores and of the TLS policy (client and quorum sides)."""
    return {
        f"{prefix}.keyStore.location": KEYSTORE,
        f"{prefix}.keyStore.type": "PEM",
        f"{prefix}.trustStore.location": TRUSTSTORE,
        f"{prefix}.trustStore.type": "PEM",
        f"{prefix}.enabledProtocols": tls_policy.java_protocols(),
        f"{prefix}.ciphersuites": tls_policy.java_cipher_suites(),
    }


def _zookeeper_client_tls_policy() -> dict[str, object]:
    """Kafka's spelling of the TLS policy towards ZooKeeper (the broker and its tools are ZooKeeper's clients)."""
    return {
        "zookeeper.ssl.enabled.protocols": tls_policy.java_protocols(),
        "zookeeper.ssl.cipher.suites": tls_policy.java_cipher_suites(),
    }


def zookeeper_config(nodes: int) -> str:
    """zoo.cfg: clients and quorum peers talk TLS only, each side proving its identity with a CA-signed cert."""
    values: dict[str, object] = {
        "dataDir": "/var/lib/zookeeper",
        "secureClientPort": ZK_SECURE_PORT,
        "serverCnxnFactory": "org.apache.zookeeper.server.NettyServerCnxnFactory",
        "tickTime": 2000,
        "initLimit": 10,
        "syncLimit": 5,
        "admin.enableServer": "false",
        "4lw.commands.whitelist": "ruok,srvr",
        "ssl.clientAuth": "need",
        **_tls_store_settings("ssl"),
    }
    if nodes > 1:
        values.update(
            {
                "sslQuorum": "true",
                "quorumListenOnAllIPs": "true",
                **_tls_store_settings("ssl.quorum"),
            }
        )
        for index in range(nodes):
            values[f"server.{index + 1}"] = f"{zookeeper_host(index)}:{ZK_QUORUM_PORT}:{ZK_ELECTION_PORT}"
    return format_properties(values)


def zookeeper_client_tls() -> str:
    """How Kafka (and its admin tools) reach ZooKeeper: TLS with the node's own certificate."""
    return format_properties(
        {
            "zookeeper.ssl.client.enable": "true",
            "zookeeper.clientCnxnSocket": "org.apache.zookeeper.ClientCnxnSocketNetty",
            "zookeeper.ssl.keystore.location": ZOOKEEPER_CLIENT_KEYSTORE,
            "zookeeper.ssl.keystore.type": "PEM",
            "zookeeper.ssl.truststore.location": TRUSTSTORE,
            "zookeeper.ssl.truststore.type": "PEM",
            **_zookeeper_client_tls_policy(),
        }
    )


@dataclass(frozen=True)
class BrokerSettings:
    index: int
    """Broker id; also its host name kafka-<index>."""
    brokers: int
    """Size of the cluster (the brokers are super users of each other)."""
    zookeeper_nodes: int
    """Size of the ZooKeeper ensemble (0 on a KRaft stack)."""
    external_port: int
    """Port on 127.0.0.1 that host clients reach this broker on."""
    replication_factor: int
    """Default replication factor, also of the internal topics."""
    sasl_mechanisms: tuple[str, ...] = ("SCRAM-SHA-512",)
    """SASL mechanisms the client listeners offer (SCRAM ones: credentials live in the metadata quorum)."""


@dataclass(frozen=True)
class QuorumProperties:
    """What a broker's server.properties says about its metadata quorum, by where it stands in the file."""

    identity: Mapping[str, object]
    """The first lines: the node's id and how it reaches the quorum."""
    authorizer: str
    """The authorizer class (ACLs live in the quorum: each kind has its own)."""
    tail: Mapping[str, object]
    """The last lines: how the broker talks to the quorum (TLS)."""
    listener_protocols: str = ""
    """Listeners beyond the broker's own in listener.security.protocol.map (the controllers' one)."""
    super_users: tuple[str, ...] = ()
    """Principals beyond the brokers' and the platform's users that hold every right (the controllers)."""


def zookeeper_quorum_properties(broker_id: int, zookeeper_nodes: int) -> QuorumProperties:
    """A broker of a ZooKeeper stack: its id, the ensemble over TLS with the shared client identity, AclAuthorizer."""
    return QuorumProperties(
        identity={"broker.id": broker_id, "zookeeper.connect": zookeeper_connect(zookeeper_nodes)},
        authorizer="kafka.security.authorizer.AclAuthorizer",
        tail={
            "zookeeper.ssl.client.enable": "true",
            "zookeeper.clientCnxnSocket": "org.apache.zookeeper.ClientCnxnSocketNetty",
            "zookeeper.set.acl": "true",
            "zookeeper.ssl.keystore.location": ZOOKEEPER_CLIENT_KEYSTORE,
            "zookeeper.ssl.keystore.type": "PEM",
            "zookeeper.ssl.truststore.location": TRUSTSTORE,
            "zookeeper.ssl.truststore.type": "PEM",
            **_zookeeper_client_tls_policy(),
        },
    )


def server_properties(
    broker: BrokerSettings, super_users: Sequence[str], quorum: QuorumProperties | None = None
) -> str:
    """server.properties of one broker. It holds no secret: keys live in separate files. `quorum`: what the
    metadata quorum adds (default: the broker's ZooKeeper ensemble).

    It holds only what needs a restart to change. Retention and min.insync.replicas are cluster-wide defaults
    Kafka changes at run time (components/providers/cluster_defaults.py); every broker reads them from the quorum
    when it starts, so they are not repeated here, where a change would restart the broker for nothing."""
    quorum = quorum or zookeeper_quorum_properties(broker.index, broker.zookeeper_nodes)
    host = broker_host(broker.index)
    scram_login = f"{SCRAM_LOGIN_MODULE} required;"
    principals = [f"User:{user}" for user in super_users] + [f"User:{broker_host(i)}" for i in range(broker.brokers)]
    principals += [f"User:{user}" for user in quorum.super_users]
    protocols = "INTERNAL:SSL,CLIENT:SASL_SSL,EXTERNAL:SASL_SSL"
    values: dict[str, object] = {
        **quorum.identity,
        "log.dirs": "/var/lib/kafka/data",
        "listeners": f"INTERNAL://0.0.0.0:{INTERNAL_PORT},CLIENT://0.0.0.0:{CLIENT_PORT},"
        f"EXTERNAL://0.0.0.0:{EXTERNAL_PORT}",
        "advertised.listeners": f"INTERNAL://{host}:{INTERNAL_PORT},CLIENT://{host}:{CLIENT_PORT},"
        f"EXTERNAL://localhost:{broker.external_port}",
        "listener.security.protocol.map": ",".join(filter(None, (protocols, quorum.listener_protocols))),
        "inter.broker.listener.name": "INTERNAL",
        "listener.name.internal.ssl.client.auth": "required",
        "sasl.enabled.mechanisms": ",".join(broker.sasl_mechanisms),
        **{
            f"listener.name.{listener}.{mechanism.lower()}.sasl.jaas.config": scram_login
            for mechanism in broker.sasl_mechanisms
            for listener in ("client", "external")
        },
        **node_tls(),
        "authorizer.class.name": quorum.authorizer,
        "allow.everyone.if.no.acl.found": "false",
        "super.users": ";".join(principals),
        "auto.create.topics.enable": "false",
        "default.replication.factor": broker.replication_factor,
        "offsets.topic.replication.factor": broker.replication_factor,
        "transaction.state.log.replication.factor": broker.replication_factor,
        # Applies when Kafka creates its transaction log: one replica may be down, as for every topic.
        "transaction.state.log.min.isr": max(1, broker.replication_factor - 1),
        "unclean.leader.election.enable": "false",
        "group.initial.rebalance.delay.ms": 0,
        **quorum.tail,
    }
    return format_properties(values)


def node_tls() -> dict[str, object]:
    """A node's own key and trust stores and TLS policy; its certificate's CN is its principal on mutual TLS."""
    return {
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": KEYSTORE,
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": TRUSTSTORE,
        "ssl.endpoint.identification.algorithm": "https",
        "ssl.enabled.protocols": tls_policy.java_protocols(),
        "ssl.cipher.suites": tls_policy.java_cipher_suites(),
        # A node's certificate CN (kafka-<i>, controller-<i>) is its principal on a mutual-TLS listener.
        "ssl.principal.mapping.rules": "RULE:^CN=([^,]+)(,.*)?$/$1/,DEFAULT",
    }


def admin_scram_file(password: str, iterations: int, mechanisms: Sequence[str] = ("SCRAM-SHA-512",)) -> str:
    """ConfigCommand's --add-config-file input that seeds the admin's SCRAM credentials into ZooKeeper: one per
    mechanism the brokers offer, so the admin can log in with any of them."""
    return "".join(f"{mechanism}=iterations={iterations},password={password}\n" for mechanism in mechanisms)


def admin_client_properties(password: str) -> str:
    """--command-config of Kafka's tools run inside a broker container (client quotas need the Admin API)."""
    return client_properties(ADMIN_USER, password, ca_file=TRUSTSTORE)


def java(heap_mb: int, main: str, *args: str, metrics: bool = False, log_option: str = LOG4J) -> str:
    """The node's JVM; with `metrics`, the JMX exporter agent in it, whose files the script's earlier lines made.
    `log_option`: the JVM option naming the release's log configuration (log4j 1 on 3.x, log4j2 on 4.x)."""
    agent = f" {metrics_agent.java_flag()}" if metrics else ""
    return f"exec java -Xms{heap_mb}m -Xmx{heap_mb}m{agent} {log_option} -cp '{KAFKA_LIBS}' {main} {' '.join(args)}"


def _agent_lines(metrics: bool) -> str:
    return metrics_agent.prepare_script(CONFIG_DIR, KEYSTORE) if metrics else ""


def zookeeper_admin_seed(zookeeper_nodes: int) -> str:
    """The shell line that writes the admin credential to ZooKeeper before the broker starts (every start).

    The broker's own listeners need no password (brokers authenticate each other with certificates), but every
    client does: seeded before the broker starts, the first `up` needs no manual step and a restarted broker
    re-seeds the current password. ConfigCommand reads it from a file: a password never appears on a command
    line, in an environment variable or in container metadata."""
    return (
        f"java -Xmx128m {LOG4J} -cp '{KAFKA_LIBS}' kafka.admin.ConfigCommand"
        f" --zookeeper {zookeeper_connect(zookeeper_nodes)} --zk-tls-config-file {ZK_TLS_FILE}"
        f" --alter --entity-type users --entity-name {ADMIN_USER} --add-config-file {ADMIN_SCRAM_FILE}\n"
    )


def start_script(
    before: str,
    heap_mb: int,
    main: str = "kafka.Kafka",
    config: str = SERVER_PROPERTIES,
    metrics: bool = False,
    log_option: str = LOG4J,
) -> str:
    """Runs `before` (shell lines that prepare the node: seed a credential, format storage), then the node; with
    `metrics`, the JMX exporter agent's keystore and config are made just before the node starts."""
    return (
        "#!/bin/sh\nset -eu\n"
        + before
        + _agent_lines(metrics)
        + java(heap_mb, main, config, metrics=metrics, log_option=log_option)
        + "\n"
    )


def zookeeper_start_script(index: int, heap_mb: int, metrics: bool = False) -> str:
    """Writes the node's id into its data dir (ZooKeeper reads it from there), then runs the node."""
    myid = f"echo {index + 1} > /var/lib/zookeeper/myid\n"
    return start_script(myid, heap_mb, "org.apache.zookeeper.server.quorum.QuorumPeerMain", ZOO_CFG, metrics=metrics)
