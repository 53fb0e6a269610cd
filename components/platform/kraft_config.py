"""The files of a KRaft stack's nodes, generated as text: a controller's server.properties, a broker's quorum
lines, the storage format step every node runs before its first start, and the controllers' client config for
Kafka's tools.

Security as on a ZooKeeper stack, nothing weaker: the CONTROLLER listener is mutual TLS with client auth required
(SCRAM does not work between controllers), each node's principal is its certificate's CN, StandardAuthorizer runs
on every node with deny by default, and the brokers' and controllers' principals are the super users."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping, Sequence

from components.clients.client_properties import format_properties
from components.platform.kafka_config import QuorumProperties, node_tls
from components.rules.layout import (
    CONTROLLER_PORT,
    FORMAT_ARGS,
    KAFKA_LIBS,
    KEYSTORE,
    LOG4J,
    SECRETS_DIR,
    SERVER_PROPERTIES,
    TRUSTSTORE,
    broker_host,
    controller_host,
    controller_id,
    quorum_voters,
)
from components.rules.names import ADMIN_USER

STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
CONTROLLER_LISTENER = "CONTROLLER"
DATA_DIR = "/var/lib/kafka/data"
# A stable namespace for the stacks' cluster ids.
_CLUSTER_NAMESPACE = uuid.UUID("5e0c6f2a-6c1b-4f43-9d0e-6b3f3c1a4b7d")


def cluster_id(prefix: str) -> str:
    """The stack's KRaft cluster id (Kafka's 22-character base64 UUID), derived from its container prefix: the
    same on every node and every run, without a resource to keep it; the stack's name is unique on its host.
    Never one starting with "-", which `kafka-storage format` reads as an option (Kafka's own Uuid.randomUuid
    draws again for the same reason): such a name is derived again with a suffix. Ids of stacks that could start
    are the same as they always were."""
    name, attempt = prefix, 0
    while (found := base64.urlsafe_b64encode(uuid.uuid5(_CLUSTER_NAMESPACE, name).bytes).decode().rstrip("="))[
        0
    ] == "-":
        attempt += 1
        name = f"{prefix}#{attempt}"
    return found


def controller_principals(controllers: int) -> tuple[str, ...]:
    return tuple(controller_host(i) for i in range(controllers))


def broker_quorum_properties(broker: int, controllers: int) -> QuorumProperties:
    """A broker of a KRaft stack: its node id is its broker id; it reaches the controllers over mutual TLS with
    its own certificate."""
    return QuorumProperties(
        identity={
            "process.roles": "broker",
            "node.id": broker,
            "controller.quorum.voters": quorum_voters(controllers),
            "controller.listener.names": CONTROLLER_LISTENER,
        },
        authorizer=STANDARD_AUTHORIZER,
        tail={},
        listener_protocols=f"{CONTROLLER_LISTENER}:SSL",
        super_users=controller_principals(controllers),
    )


def controller_properties(
    index: int,
    controllers: int,
    brokers: int,
    super_users: Sequence[str],
    migration: Mapping[str, object] | None = None,
) -> str:
    """server.properties of controller `index`. No secret: keys live in separate files. `migration`: the lines
    of a controller in ZooKeeper migration mode (components/platform/migration_config.py)."""
    principals = [f"User:{user}" for user in super_users]
    principals += [f"User:{broker_host(i)}" for i in range(brokers)]
    principals += [f"User:{name}" for name in controller_principals(controllers)]
    values: dict[str, object] = {
        "process.roles": "controller",
        "node.id": controller_id(index),
        "controller.quorum.voters": quorum_voters(controllers),
        "controller.listener.names": CONTROLLER_LISTENER,
        "listeners": f"{CONTROLLER_LISTENER}://0.0.0.0:{CONTROLLER_PORT}",
        "listener.security.protocol.map": f"{CONTROLLER_LISTENER}:SSL",
        "listener.name.controller.ssl.client.auth": "required",
        "log.dirs": DATA_DIR,
        **node_tls(),
        "authorizer.class.name": STANDARD_AUTHORIZER,
        "allow.everyone.if.no.acl.found": "false",
        "super.users": ";".join(principals),
        **(migration or {}),
    }
    return format_properties(values)


def controller_client_properties() -> str:
    """--command-config of Kafka's tools run in a controller: mutual TLS with the controller's own certificate."""
    return format_properties(
        {
            "security.protocol": "SSL",
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": KEYSTORE,
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": TRUSTSTORE,
        }
    )


def internal_client_properties() -> str:
    """--command-config of Kafka's tools run in a broker as the broker itself (its certificate, a super user) over
    the mutual-TLS INTERNAL listener: what repairs the admin credential when no admin login works."""
    return controller_client_properties()


def _format_arguments(prefix: str, log_option: str, cluster: str | None) -> list[str]:
    return [
        "-Xmx128m", log_option, "-cp", KAFKA_LIBS, "kafka.tools.StorageTool", "format",
        "--config", SERVER_PROPERTIES, "--cluster-id", cluster or cluster_id(prefix), "--ignore-formatted",
    ]  # fmt: skip


def broker_format(prefix: str, log_option: str = LOG4J, cluster: str | None = None) -> str:
    """The shell line that formats a broker's storage on its first start (a no-op afterwards): no secret.
    `log_option`: the JVM option naming the release's log configuration; `cluster`: the id of a cluster that
    runs already (a migrated one keeps ZooKeeper's), else the stack's own."""
    return "java " + " ".join(f"'{argument}'" for argument in _format_arguments(prefix, log_option, cluster)) + "\n"


def controller_format_arguments(
    prefix: str,
    password: str,
    iterations: int,
    mechanisms: Sequence[str],
    log_option: str = LOG4J,
    cluster: str | None = None,
    migrating: bool = False,
) -> str:
    """The java argument file of a controller's format step, one argument a line. It seeds the admin's SCRAM
    credential into the bootstrap metadata (KIP-900 --add-scram), so it exists before any client listener opens.
    The java launcher reads it (`java @file`): the password is on no command line, in no environment variable and
    in no container metadata, only in this file of the read-only config volume. `migrating`: the controllers of
    a ZooKeeper migration start empty; Kafka copies the credential with the rest of ZooKeeper's metadata."""
    scram = [
        f"--add-scram\n{mechanism}=[name={ADMIN_USER},iterations={iterations},password={password}]"
        for mechanism in mechanisms
    ]
    return "\n".join([*_format_arguments(prefix, log_option, cluster), *([] if migrating else scram)]) + "\n"


def admin_scram_path(mechanism: str) -> str:
    """Where a broker holds the admin's credential of one SCRAM mechanism (its config volume, a secret)."""
    return f"{SECRETS_DIR}/admin-{mechanism.lower()}.properties"


def controller_format() -> str:
    return f"java @{FORMAT_ARGS}\n"
