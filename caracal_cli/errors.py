"""Failures as one line the operator can act on, instead of a traceback."""

from __future__ import annotations

from collections.abc import Sequence

from confluent_kafka import KafkaError


class CliError(Exception):
    """A failure to report on one line of stderr, ending the command with `exit_code`."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


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


def _one_line(text: str) -> str:
    return " ".join(text.split())
