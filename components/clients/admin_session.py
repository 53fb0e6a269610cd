"""An AdminClient that keeps librdkafka's background errors to explain a failed request, rather than log them.

Failures are SessionErrors whose message is one line an operator can act on; `usage` tells a caller that the
settings it was given are incomplete, as opposed to a cluster that refused or did not answer.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient

# librdkafka otherwise logs every failed connection attempt to stderr, burying the one line that matters.
_SILENT = logging.getLogger(f"{__name__}.librdkafka")
_SILENT.addHandler(logging.NullHandler())
_SILENT.propagate = False
# Enough to find the cause of a failure; a dead broker is retried (and reported) about every second.
_KEPT_ERRORS = 64
# How long each connection probe may take: short, so that a rejected login is noticed within a second or so.
_PROBE_SECONDS = 1.0

_AUTHENTICATION = (KafkaError._AUTHENTICATION, KafkaError.SASL_AUTHENTICATION_FAILED)
_AUTHORIZATION = (
    KafkaError.TOPIC_AUTHORIZATION_FAILED,
    KafkaError.CLUSTER_AUTHORIZATION_FAILED,
    KafkaError.GROUP_AUTHORIZATION_FAILED,
)
_UNREACHABLE = (KafkaError._TRANSPORT, KafkaError._RESOLVE, KafkaError._ALL_BROKERS_DOWN)
_TIMEOUTS = (KafkaError._TIMED_OUT, KafkaError.REQUEST_TIMED_OUT)
# librdkafka reports the real cause (bad password, untrusted certificate, refused connection) in the background,
# while the request itself only fails with a timeout or a transport error: the background errors are searched for
# the most telling cause, in this order.
_CAUSES = (_AUTHENTICATION, (KafkaError._SSL,), (KafkaError._TRANSPORT, KafkaError._RESOLVE))


class SessionError(RuntimeError):
    """A failure to report on one line; `usage` is True when the settings given are incomplete."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


class AdminSession:
    """One AdminClient for the whole command, and what librdkafka reported while it ran."""

    def __init__(self, config: dict[str, str], timeout: float) -> None:
        if not config.get("bootstrap.servers"):
            raise SessionError("no Kafka servers: bootstrap.servers is not set", usage=True)
        self.servers = config["bootstrap.servers"]
        self.timeout = timeout
        self._background: deque[KafkaError] = deque(maxlen=_KEPT_ERRORS)
        try:
            self.client = AdminClient({**config, "error_cb": self._background.append, "logger": _SILENT})
        except KafkaException as error:
            raise SessionError(f"invalid Kafka client configuration: {_reason(error)}") from None

    def ensure_connected(self) -> None:
        """Return once a broker answers; SessionError at once for a rejected login or certificate, else at the
        timeout.

        librdkafka retries a failed login until the request times out; probing in short steps and checking what
        it reported in between turns a wrong password into an immediate error instead of a long wait.
        """
        deadline = time.monotonic() + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                self.client.list_topics(timeout=max(min(_PROBE_SECONDS, remaining), 0.1))
                return
            except KafkaException as error:
                self.client.poll(0)
                if remaining <= _PROBE_SECONDS or retrying_cannot_help(self._background):
                    raise self.explain(error) from None

    @contextmanager
    def explaining(self) -> Iterator[None]:
        """Run requests on `client`: a KafkaException raised in the block becomes a SessionError explaining it."""
        try:
            yield
        except KafkaException as error:
            raise self.explain(error) from None

    def explain(self, error: KafkaException) -> SessionError:
        """The failure as a SessionError, its cause taken from the background errors where they tell more."""
        if not error.args or not isinstance(error.args[0], KafkaError):
            return SessionError(f"Kafka error: {error}")
        self.client.poll(0)  # delivers the background errors queued so far to error_cb
        return SessionError(explain_kafka_error(error.args[0], list(self._background), self.servers, self.timeout))


def retrying_cannot_help(background: Sequence[KafkaError]) -> bool:
    """True once librdkafka has reported a rejected login or certificate: waiting longer will not fix either."""
    return any(seen.code() in (*_AUTHENTICATION, KafkaError._SSL) for seen in background)


def explain_kafka_error(
    error: KafkaError,
    background: Sequence[KafkaError] = (),
    servers: str = "",
    timeout: float | None = None,
) -> str:
    """One line saying what went wrong, preferring the cause librdkafka reported in the background."""
    if error.code() in _UNREACHABLE + _TIMEOUTS:
        for codes in _CAUSES:
            cause = next((seen for seen in reversed(background) if seen.code() in codes), None)
            if cause is not None:
                error = cause
                break
    code, reason = error.code(), _one_line(error.str())
    where = f" at {servers}" if servers else ""
    if code in _AUTHENTICATION:
        return f"authentication failed{where}: {reason}"
    if code == KafkaError._SSL:
        return f"TLS handshake failed{where}: {reason}"
    if code in _AUTHORIZATION:
        return f"not authorized: {reason}"
    if code in _UNREACHABLE:
        return f"cannot connect to Kafka{where}: {reason}"
    if code in _TIMEOUTS:
        within = f" within {timeout:g} s" if timeout is not None else ""
        return f"no answer from Kafka{where}{within}: {reason}"
    return f"Kafka error {error.name()}: {reason}"


def _reason(error: KafkaException) -> str:
    first = error.args[0] if error.args else error
    return first.str() if isinstance(first, KafkaError) else str(first)


def _one_line(text: str) -> str:
    return " ".join(text.split())
