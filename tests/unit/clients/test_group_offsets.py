"""Consumer lag through the Admin API: the requests made, and how a group without rights or commits shows."""

from __future__ import annotations

from concurrent.futures import Future
from types import SimpleNamespace

from confluent_kafka import KafkaError, KafkaException, TopicPartition

from components.clients.group_offsets import group_lags
from components.rules.consumer_lag import GroupLag, TopicLag


def done(value=None, error: int | None = None) -> Future:
    future: Future = Future()
    if error is None:
        future.set_result(value)
    else:
        future.set_exception(KafkaException(KafkaError(error)))
    return future


class FakeAdmin:
    """Three groups: one that committed on two topics, one that never committed, one the user may not describe."""

    def __init__(self) -> None:
        self.offset_requests: list[list[TopicPartition]] = []

    def list_consumer_groups(self, request_timeout: float) -> Future:
        groups = [SimpleNamespace(group_id=name, state=SimpleNamespace(name=state))
                  for name, state in (("reader", "STABLE"), ("idle", "EMPTY"), ("secret", "STABLE"))]  # fmt: skip
        return done(SimpleNamespace(valid=groups, errors=[]))

    def list_consumer_group_offsets(self, requests, request_timeout: float) -> dict[str, Future]:
        group = requests[0].group_id
        committed = {
            "reader": [TopicPartition("a", 0, 10), TopicPartition("a", 1, 20), TopicPartition("b", 0, 5)],
            "idle": [],
        }
        if group == "secret":
            return {group: done(error=KafkaError.GROUP_AUTHORIZATION_FAILED)}
        return {group: done(SimpleNamespace(topic_partitions=committed[group]))}

    def list_offsets(self, asked, request_timeout: float) -> dict[TopicPartition, Future]:
        self.offset_requests.append(sorted(asked, key=lambda tp: (tp.topic, tp.partition)))
        ends = {("a", 0): 510, ("a", 1): 520}
        return {
            tp: done(SimpleNamespace(offset=ends[(tp.topic, tp.partition)]))
            if (tp.topic, tp.partition) in ends
            else done(error=KafkaError.UNKNOWN_TOPIC_OR_PART)
            for tp in asked
        }


def test_lag_per_group_and_topic_in_one_list_offsets_request():
    admin = FakeAdmin()
    lags, notes = group_lags(admin, 5)
    assert lags == (
        GroupLag("idle", "EMPTY"),
        GroupLag("reader", "STABLE", (TopicLag("reader", "a", 1000, 2), TopicLag("reader", "b", 0, 1, unknown=1))),
        GroupLag("secret", "STABLE", error="not authorized (needs Describe on the group)"),
    )
    assert notes == ()
    # Every committed partition of every group in one request.
    assert [[(tp.topic, tp.partition) for tp in request] for request in admin.offset_requests] == [
        [("a", 0), ("a", 1), ("b", 0)]
    ]
