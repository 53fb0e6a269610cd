"""An AdminClient that keeps librdkafka's background errors to explain a failed request, rather than log them."""

from __future__ import annotations

import logging
import time
from collections import deque

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient

from caracal_cli.errors import CliError, explain_kafka_error, retrying_cannot_help

# librdkafka otherwise logs every failed connection attempt to stderr, burying the one line that matters.
_SILENT = logging.getLogger("caracal_cli.librdkafka")
_SILENT.addHandler(logging.NullHandler())
_SILENT.propagate = False
# Enough to find the cause of a failure; a dead broker is retried (and reported) about every second.
_KEPT_ERRORS = 64
# How long each connection probe may take: short, so that a rejected login is noticed within a second or so.
_PROBE_SECONDS = 1.0


class AdminSession:
    """One AdminClient for the whole command, and what librdkafka reported while it ran."""

    def __init__(self, config: dict[str, str], timeout: float) -> None:
        if not config.get("bootstrap.servers"):
            raise CliError("no Kafka servers: give --config-file, --stack or --bootstrap-servers", exit_code=2)
        self.servers = config["bootstrap.servers"]
        self.timeout = timeout
        self._background: deque[KafkaError] = deque(maxlen=_KEPT_ERRORS)
        try:
            self.client = AdminClient({**config, "error_cb": self._background.append, "logger": _SILENT})
        except KafkaException as error:
            raise CliError(f"invalid Kafka client configuration: {_reason(error)}") from None

    def ensure_connected(self) -> None:
        """Return once a broker answers; CliError at once for a rejected login or certificate, else at the timeout.

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

    def explain(self, error: KafkaException) -> CliError:
        """The failure as a CliError, its cause taken from the background errors where they tell more."""
        if not error.args or not isinstance(error.args[0], KafkaError):
            return CliError(f"Kafka error: {error}")
        self.client.poll(0)  # delivers the background errors queued so far to error_cb
        return CliError(explain_kafka_error(error.args[0], list(self._background), self.servers, self.timeout))


def _reason(error: KafkaException) -> str:
    first = error.args[0] if error.args else error
    return first.str() if isinstance(first, KafkaError) else str(first)
