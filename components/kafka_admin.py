"""The admin connection the dynamic providers use: one AdminClient per provider process and connection, reused by
every resource, so a plan over hundreds of topics opens one connection, not hundreds."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from typing import Any

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient

from components.client_config import kafka_settings

REQUEST_TIMEOUT_S = 30.0
_CONNECTION_KEYS = ("bootstrap_servers", "username", "password", "ca_pem")

_clients: dict[tuple[str, ...], AdminClient] = {}
_lock = threading.Lock()


class AdminError(RuntimeError):
    """A Kafka admin call that failed; the message names what was asked."""


def is_known(connection: Any) -> bool:
    """False during a preview of a cluster that does not exist yet (its address or password is still unknown)."""
    return isinstance(connection, Mapping) and all(
        isinstance(connection.get(key), str) and connection.get(key) for key in _CONNECTION_KEYS
    )


def client_config(connection: Mapping[str, str]) -> dict[str, Any]:
    """librdkafka settings of the admin connection: the same a client of the platform gets, with a timeout."""
    settings: dict[str, Any] = kafka_settings(
        connection["bootstrap_servers"], connection["username"], connection["password"], connection["ca_pem"]
    )
    return {**settings, "socket.timeout.ms": int(REQUEST_TIMEOUT_S * 1000)}


def admin_client(connection: Mapping[str, str]) -> AdminClient:
    key = tuple(str(connection[name]) for name in _CONNECTION_KEYS)
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = AdminClient(client_config(connection))
            _clients[key] = client
        return client


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
