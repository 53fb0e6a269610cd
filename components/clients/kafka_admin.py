"""The admin connection the program uses: AdminClients made from the stack's admin connection and shared per
connection, so a plan over hundreds of topics opens one connection, not hundreds; and the waiting on admin futures
that turns a failure into an error naming what was asked."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from typing import Any

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient

from components.clients.client_settings import kafka_settings

REQUEST_TIMEOUT_S = 30.0
# The admin connection as dynamic resources carry it (a secret input): where the cluster is and the admin's login.
# `ca_pem` may be empty (the system's CAs); an external cluster's connection may add `mechanism` and a client
# certificate (`certificate_pem`, `key_pem`).
CONNECTION_KEYS = ("bootstrap_servers", "username", "password", "ca_pem")
LOGIN_KEYS = ("bootstrap_servers", "username", "password")


class AdminError(RuntimeError):
    """A Kafka admin call that failed; the message names what was asked."""


# What a call to an unreachable or refusing cluster raises: a caller that can go on without the cluster catches these.
CLUSTER_ERRORS = (AdminError, KafkaException)


def is_known(connection: Any) -> bool:
    """False during a preview of a cluster that does not exist yet (its address or password is still unknown)."""
    return (
        isinstance(connection, Mapping)
        and all(isinstance(connection.get(key), str) and connection.get(key) for key in LOGIN_KEYS)
        and isinstance(connection.get("ca_pem"), str)
    )


def admin_settings(connection: Mapping[str, str]) -> dict[str, Any]:
    """librdkafka settings of the admin connection: the same a client of the platform gets, with a timeout."""
    settings: dict[str, Any] = kafka_settings(
        connection["bootstrap_servers"],
        connection["username"],
        connection["password"],
        connection["ca_pem"],
        mechanism=connection.get("mechanism") or "SCRAM-SHA-512",
        certificate_pem=connection.get("certificate_pem") or "",
        key_pem=connection.get("key_pem") or "",
    )
    # A broker closing an idle admin connection (or restarting in a roll) is routine, not worth a log line in `up`.
    return {**settings, "socket.timeout.ms": int(REQUEST_TIMEOUT_S * 1000), "log.connection.close": False}


class AdminClients:
    """AdminClients per admin connection, made on first use and kept as long as this object lives."""

    def __init__(self) -> None:
        self._clients: dict[tuple[str, ...], list[AdminClient]] = {}
        self._lock = threading.Lock()

    def get(self, connection: Mapping[str, str]) -> AdminClient:
        """The one client every request of this connection goes through, unless it asks for a pool."""
        return self.pool(connection, 1)[0]

    def pool(self, connection: Mapping[str, str], size: int) -> list[AdminClient]:
        """`size` clients of this connection, the first the one `get` gives; each keeps connections of its own to
        the brokers, so requests a broker takes one at a time per connection can run side by side."""
        key = tuple(sorted((name, str(value)) for name, value in connection.items()))
        with self._lock:
            clients = self._clients.setdefault(key, [])
            while len(clients) < size:
                clients.append(AdminClient(admin_settings(connection)))
            return clients[:size]


def wait(future: Future, what: str, tolerate: Iterable[int] = ()) -> Any:
    """The result of one admin future; None for a tolerated error code, AdminError naming `what` otherwise."""
    try:
        return future.result(timeout=REQUEST_TIMEOUT_S)
    except KafkaException as exception:
        error = exception.args[0] if exception.args else None
        if isinstance(error, KafkaError) and error.code() in set(tolerate):
            return None
        raise AdminError(f"{what}: {error.str() if isinstance(error, KafkaError) else exception}") from None
    except TimeoutError:
        raise AdminError(f"{what}: no answer from the cluster within {REQUEST_TIMEOUT_S:.0f} s") from None


def wait_all(futures: Mapping[Any, Future], what: str, tolerate: Iterable[int] = ()) -> dict[Any, Any]:
    return {key: wait(future, f"{what} {key}", tolerate) for key, future in futures.items()}
