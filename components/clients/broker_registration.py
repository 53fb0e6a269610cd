"""A removed broker's registration with the cluster's metadata.

ZooKeeper mode needs nothing: a broker registers as an ephemeral znode, gone when the broker stops. On KRaft a
stopped broker stays registered (fenced) until it is unregistered (UnregisterBroker, KIP-631), and keeps
appearing in the metadata. The KRaft quorum gives each broker but the first a registration resource its
container depends on (components/providers/broker_registration.py): removed with the broker, it goes once the
container is gone (the partition balance drained the broker first) and calls `unregister` here."""

from __future__ import annotations

from components.clients import kafka_tools
from components.clients.docker_cli import DockerUnavailable, docker
from components.rules.broker_registration import Outcome, outcome
from components.rules.kafka_tools import CLUSTER


def unregister(container: str, broker: int) -> Outcome:
    """Unregister `broker` through a broker of the stack that stays (`container`), as the admin whose login
    lives there; a broker already unregistered is left so (Outcome.NOT_REGISTERED). UnregistrationError when
    Kafka refused."""
    place = kafka_tools.InBroker(container)
    done = kafka_tools.run(
        CLUSTER,
        [
            "unregister",
            "--bootstrap-server",
            place.bootstrap_servers,
            "--config",
            place.command_config,
            "--id",
            str(broker),
        ],
        place,
        check=False,
    )
    return outcome(broker, done.exit_code, f"{done.stdout}\n{done.stderr}")


def runs(container: str) -> bool:
    """Whether `container` exists and runs (False when Docker does not know it)."""
    try:
        return docker("container", "inspect", "--format", "{{.State.Running}}", container).strip() == "true"
    except DockerUnavailable:
        return False
