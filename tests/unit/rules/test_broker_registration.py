"""Which brokers a KRaft stack unregisters when it removes them, and what kafka-cluster's answer means."""

from __future__ import annotations

import pytest

from components.rules.broker_registration import (
    Outcome,
    UnregistrationError,
    outcome,
    registered_brokers,
)

# What kafka-cluster 3.9 prints (ClusterTool: the ExecutionException's message on stderr, exit status 1).
NOT_REGISTERED = (
    "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.BrokerIdNotRegisteredException: "
    "Broker ID 3 is not currently registered"
)


@pytest.mark.parametrize(
    "brokers, registered",
    [(1, ()), (2, (1,)), (3, (1, 2)), (4, (1, 2, 3))],
)
def test_every_broker_but_the_one_unregistrations_go_through_has_a_registration(brokers, registered):
    assert registered_brokers(brokers) == registered


@pytest.mark.parametrize(
    "exit_code, output, expected",
    [
        (0, "Broker 3 is no longer registered.\n", Outcome.UNREGISTERED),
        (1, NOT_REGISTERED, Outcome.NOT_REGISTERED),
        (1, "Error: The given broker ID was not registered.", Outcome.NOT_REGISTERED),
        # A broker that never registered (its container never started) is as good as unregistered.
        (1, "BrokerIdNotRegisteredException", Outcome.NOT_REGISTERED),
    ],
)
def test_an_unregistration_done_now_or_earlier_is_no_error(exit_code, output, expected):
    assert outcome(3, exit_code, output) is expected


@pytest.mark.parametrize(
    "exit_code, output, reason",
    [
        (1, "org.apache.kafka.common.errors.TimeoutException: Timed out waiting", "exit status 1): org.apache"),
        (1, "", "no output"),
        (124, "", "exit status 124"),
        (1, "ClusterAuthorizationException: Cluster authorization failed.", "ClusterAuthorizationException"),
        (0, "The target cluster does not support the broker unregistration API.", "does not support"),
    ],
)
def test_a_refused_or_failed_unregistration_is_an_error_naming_the_broker(exit_code, output, reason):
    with pytest.raises(UnregistrationError, match="kafka-3") as raised:
        outcome(3, exit_code, output)
    assert reason in str(raised.value)
