"""A KRaft broker's registration resource: creating it does nothing, no change replaces it, and deleting it (after
the broker's container went) unregisters the broker through broker 0, again on the next `up` when one was killed
first, and not at all when broker 0 does not run."""

from __future__ import annotations

import pytest

from components.clients import broker_registration as client
from components.clients import kafka_tools
from components.providers.broker_registration import BrokerRegistrationProvider
from components.rules.broker_registration import Outcome, UnregistrationError

PROPS = {"broker": 3, "through": "caracal-prod-kafka-0"}


@pytest.fixture
def tool(monkeypatch):
    """kafka-cluster as a fake: what it ran, and what it answers (a ToolResult per call)."""
    calls: list[tuple[list[str], str]] = []
    answers: list[kafka_tools.ToolResult] = []

    def run(tool, args, place, client=None, *, check=True, document=None):
        calls.append((list(args), place.container))
        assert check is False
        return answers.pop(0)

    monkeypatch.setattr(client.kafka_tools, "run", run)
    monkeypatch.setattr(client, "runs", lambda container: container == "caracal-prod-kafka-0")
    return calls, answers


def test_creating_or_updating_a_registration_touches_no_broker(tool):
    calls, _ = tool
    provider = BrokerRegistrationProvider()
    assert provider.create(PROPS).outs == PROPS
    assert provider.diff("kafka-3", PROPS, {**PROPS, "through": "other"}).replaces in (None, [])
    provider.update("kafka-3", PROPS, PROPS)
    assert calls == []


def test_deleting_a_registration_unregisters_the_broker_through_broker_0_and_again_is_no_error(tool):
    calls, answers = tool
    answers += [
        kafka_tools.ToolResult(0, "Broker 3 is no longer registered.\n", ""),
        kafka_tools.ToolResult(1, "", "BrokerIdNotRegisteredException: Broker ID 3 is not currently registered"),
    ]
    provider = BrokerRegistrationProvider()
    provider.delete("kafka-3", PROPS)
    # An `up` killed after the unregistration but before the engine recorded the delete: the next one deletes again.
    provider.delete("kafka-3", PROPS)
    assert [container for _, container in calls] == ["caracal-prod-kafka-0"] * 2
    args = calls[0][0]
    assert args[0] == "unregister" and args[args.index("--id") + 1] == "3"


def test_a_refused_unregistration_fails_the_delete_so_the_next_up_tries_again(tool):
    _, answers = tool
    answers.append(kafka_tools.ToolResult(1, "", "TimeoutException: Timed out waiting for a node assignment"))
    with pytest.raises(UnregistrationError, match="kafka-3"):
        BrokerRegistrationProvider().delete("kafka-3", PROPS)


def test_without_broker_0_running_there_is_no_cluster_to_tell(tool):
    calls, _ = tool
    BrokerRegistrationProvider().delete("kafka-3", {**PROPS, "through": "caracal-gone-kafka-0"})
    assert calls == []


def test_the_client_reports_what_kafka_did(tool):
    _, answers = tool
    answers.append(kafka_tools.ToolResult(0, "Broker 2 is no longer registered.\n", ""))
    assert client.unregister("caracal-prod-kafka-0", 2) is Outcome.UNREGISTERED
