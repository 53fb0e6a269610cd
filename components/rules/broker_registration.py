"""Which brokers of a KRaft stack are unregistered when the stack removes them, through which broker, and what
Kafka's answer to an unregistration means.

A KRaft broker that stops stays registered (fenced) in the cluster's metadata until it is unregistered. The stack
removes brokers from the highest id down and never broker 0, so every unregistration goes through broker 0, and
every other broker has a registration the stack removes once its container is gone
(components/providers/broker_registration.py)."""

from __future__ import annotations

from enum import Enum

# The broker every unregistration goes through: a stack keeps at least one broker, and removes the highest ids.
THROUGH = 0
# What Kafka says of a broker id it does not know (BrokerIdNotRegisteredException, error code 102: the controller's
# "Broker ID n is not currently registered", or the error's default text): an earlier run unregistered it already,
# or it never registered (its container never started).
NOT_REGISTERED_MARKERS = ("BrokerIdNotRegisteredException", "not currently registered", "was not registered")
# What kafka-cluster prints, with exit status 0, when the cluster has no UnregisterBroker API (ZooKeeper mode).
UNSUPPORTED_MARKER = "does not support the broker unregistration API"


class UnregistrationError(RuntimeError):
    """An unregistration Kafka refused or could not make: the broker stays registered."""


class Outcome(Enum):
    UNREGISTERED = "unregistered"
    NOT_REGISTERED = "not registered"


def registered_brokers(brokers: int) -> tuple[int, ...]:
    """The brokers of a stack of `brokers` brokers whose registration the stack removes with them: all but the
    one the unregistrations go through."""
    return tuple(range(THROUGH + 1, brokers))


def outcome(broker: int, exit_code: int, output: str) -> Outcome:
    """What kafka-cluster's `unregister --id broker` did, from its exit status and everything it printed. An id
    Kafka does not know is not an error: the registration is gone either way."""
    if any(marker in output for marker in NOT_REGISTERED_MARKERS):
        return Outcome.NOT_REGISTERED
    if exit_code != 0:
        tail = output.strip()[-400:] or "no output"
        raise UnregistrationError(f"kafka-{broker} could not be unregistered (exit status {exit_code}): {tail}")
    if UNSUPPORTED_MARKER in output:
        raise UnregistrationError(f"kafka-{broker} could not be unregistered: the cluster {UNSUPPORTED_MARKER}")
    return Outcome.UNREGISTERED
