"""Admin futures as a fake cluster answers them: already settled, with a result or a Kafka error."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from confluent_kafka import KafkaError, KafkaException


def done(value: Any) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def settled(error_code: int | None = None) -> Future:
    """Succeeded, or failed with the Kafka error `error_code`."""
    if error_code is None:
        return done(None)
    future: Future = Future()
    future.set_exception(KafkaException(KafkaError(error_code, "refused")))
    return future
