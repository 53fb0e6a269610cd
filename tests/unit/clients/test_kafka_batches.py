import threading
from concurrent.futures import Future
from types import SimpleNamespace

import pytest
from confluent_kafka import KafkaError
from confluent_kafka.admin import NewTopic as KafkaNewTopic

from components.clients import kafka_batches
from components.clients.kafka_admin import REQUEST_TIMEOUT_S, AdminError, admin_settings
from components.clients.kafka_batches import (
    add_partitions,
    alter_topic_configs,
    await_listed,
    create_acls,
    create_topics,
    delete_acls,
    delete_topics,
    listed,
    raise_failures,
)
from components.rules.catalog import AclSpec
from components.rules.topic_set import ConfigChange, NewTopic
from tests.unit.futures import done, settled


class FakeAdmin:
    """Answers each topic with the error code given for it (None: success) and records the requests."""

    def __init__(self, codes=None, topics=None):
        self.codes = codes or {}
        self.requests = []
        self.topics = topics or {}

    def create_topics(self, topics, **options):
        # What the client sends: confluent-kafka's own requests, built from the model here and nowhere else.
        assert all(isinstance(topic, KafkaNewTopic) for topic in topics)
        self.requests.append(("create", [topic.topic for topic in topics], options))
        return {topic.topic: settled(self.codes.get(topic.topic)) for topic in topics}

    def delete_topics(self, names, **options):
        self.requests.append(("delete", list(names), options))
        return {name: settled(self.codes.get(name)) for name in names}

    def list_topics(self, timeout):
        return SimpleNamespace(topics=self.topics)


def test_one_create_request_for_the_batch_asking_the_broker_to_answer_once_the_topics_are_made():
    admin = FakeAdmin()
    results = create_topics([admin], [NewTopic("a", 1, 1, {}), NewTopic("b", 1, 1, {})])
    assert results == [True, True]
    assert [(kind, names) for kind, names, _ in admin.requests] == [("create", ["a", "b"])]
    assert admin.requests[0][2]["operation_timeout"] > 0


def test_an_existing_topic_is_reported_as_not_created_and_another_error_as_that_topics_own_failure():
    admin = FakeAdmin({"exists": KafkaError.TOPIC_ALREADY_EXISTS, "bad": KafkaError.POLICY_VIOLATION})
    created, existed, failed = create_topics([admin], [NewTopic(name, 1, 1, {}) for name in ("new", "exists", "bad")])
    assert (created, existed) == (True, False)
    assert isinstance(failed, AdminError) and "create topic bad" in str(failed)


def test_a_topic_named_twice_in_a_batch_is_sent_in_a_second_request():
    admin = FakeAdmin()
    create_topics([admin], [NewTopic("a", 1, 1, {}), NewTopic("a", 1, 1, {})])
    assert [names for _, names, _ in admin.requests] == [["a"], ["a"]]


def test_thousands_of_topics_go_in_requests_of_bounded_size_one_after_the_other():
    admin = FakeAdmin()
    size = kafka_batches.TOPICS_PER_REQUEST
    names = [f"t{index}" for index in range(2 * size + 1)]
    assert create_topics([admin], [NewTopic(name, 1, 1, {}) for name in names]) == [True] * len(names)
    assert [names for _, names, _ in admin.requests] == [names[:size], names[size : 2 * size], names[2 * size :]]
    admin.requests.clear()
    assert delete_topics([admin], names) == [True] * len(names)
    assert [len(names) for _, names, _ in admin.requests] == [size, size, 1]


def test_the_request_size_is_the_callers_choice_for_creates_and_deletes():
    admin = FakeAdmin()
    names = [f"t{index}" for index in range(2500)]
    assert create_topics([admin], [NewTopic(name, 1, 1, {}) for name in names], per_request=1000) == [True] * 2500
    assert [len(names) for _, names, _ in admin.requests] == [1000, 1000, 500]
    admin.requests.clear()
    assert delete_topics([admin], names, per_request=1000) == [True] * 2500
    assert [len(names) for _, names, _ in admin.requests] == [1000, 1000, 500]


def test_a_create_request_never_makes_more_metadata_records_than_a_kraft_controller_takes():
    # A KRaft controller refuses a request of over 10,000 records whole: a topic is one, one more per partition and
    # per config override. 1,000 topics of 12 partitions and 2 overrides (15 records each) go in requests of 333.
    admin = FakeAdmin()
    config = {"retention.ms": "1", "compression.type": "zstd"}
    topics = [NewTopic(f"t{index}", 12, 3, config) for index in range(1000)]
    assert create_topics([admin], topics, per_request=1000) == [True] * 1000
    sizes = [len(names) for _, names, _ in admin.requests]
    assert sizes == [333, 333, 333, 1]
    assert max(sizes) * kafka_batches.topic_records(topics[0]) <= kafka_batches.RECORDS_PER_REQUEST


def test_a_topic_making_more_records_than_a_request_holds_goes_alone():
    admin = FakeAdmin()
    topics = [NewTopic("small", 1, 1, {}), NewTopic("huge", 6000, 1, {}), NewTopic("next", 1, 1, {})]
    create_topics([admin], topics, per_request=1000)
    assert [names for _, names, _ in admin.requests] == [["small"], ["huge"], ["next"]]


def test_partitions_added_to_many_topics_go_in_requests_of_bounded_records():
    class PartitionsAdmin:
        def __init__(self):
            self.requests = []

        def create_partitions(self, changes, **options):
            self.requests.append([change.topic for change in changes])
            return {change.topic: settled() for change in changes}

    admin = PartitionsAdmin()
    counts = {f"t{index}": 100 for index in range(120)}
    assert add_partitions(admin, counts) == dict.fromkeys(counts, True)
    assert [len(names) for names in admin.requests] == [50, 50, 20]


class GatedAdmin(FakeAdmin):
    """Holds its first request until the other clients' first requests are in flight too (at most 5 s)."""

    def __init__(self, gate, met):
        super().__init__()
        self.gate = gate
        self.met = met

    def create_topics(self, topics, **options):
        self._first()
        return super().create_topics(topics, **options)

    def delete_topics(self, names, **options):
        self._first()
        return super().delete_topics(names, **options)

    def _first(self):
        if not self.requests:
            try:
                self.gate.wait()
                self.met.append(self)
            except threading.BrokenBarrierError:
                pass


@pytest.mark.parametrize("write", [create_topics, delete_topics])
def test_a_batch_is_spread_over_the_clients_given_their_requests_in_flight_together(write):
    gate, met = threading.Barrier(2, timeout=5), []
    admins = [GatedAdmin(gate, met), GatedAdmin(gate, met)]
    size = kafka_batches.TOPICS_PER_REQUEST
    names = [f"t{index}" for index in range(3 * size)]
    items = names if write is delete_topics else [NewTopic(name, 1, 1, {}) for name in names]
    assert write(admins, items) == [True] * len(names)
    assert len(met) == 2, "the two clients' first requests were not in flight at the same time"
    # Requests 1 and 3 on the first client, 2 on the second: every name sent once.
    assert [names for _, names, _ in admins[0].requests] == [names[:size], names[2 * size :]]
    assert [names for _, names, _ in admins[1].requests] == [names[size : 2 * size]]


def test_a_name_repeated_in_a_batch_is_sent_again_only_once_its_first_request_is_answered():
    admins = [FakeAdmin(), FakeAdmin()]
    order = []
    for admin in admins:
        admin.create_topics = _recorded(admin.create_topics, order)
    create_topics(admins, [NewTopic("a", 1, 1, {}), NewTopic("b", 1, 1, {}), NewTopic("a", 1, 1, {})])
    assert order == [["a", "b"], ["a"]]


def _recorded(write, order):
    def recorded(topics, **options):
        order.append([topic.topic for topic in topics])
        return write(topics, **options)

    return recorded


def test_the_broker_answers_before_the_client_gives_up_on_it():
    # librdkafka times a create out after the socket timeout unless the operation timeout is longer: the broker's
    # answer, even "still working", must come first, or nobody knows what was made.
    assert kafka_batches.OPERATION_TIMEOUT_S < REQUEST_TIMEOUT_S
    connection = {"bootstrap_servers": "b:1", "username": "u", "password": "p", "ca_pem": ""}
    assert admin_settings(connection)["socket.timeout.ms"] == REQUEST_TIMEOUT_S * 1000


@pytest.mark.parametrize("write", [create_topics, delete_topics])
def test_a_change_the_broker_is_still_making_counts_as_made_and_a_client_timeout_does_not(write):
    admin = FakeAdmin({"slow": KafkaError.REQUEST_TIMED_OUT, "lost": KafkaError._TIMED_OUT})
    items = ["slow", "lost"] if write is delete_topics else [NewTopic("slow", 1, 1, {}), NewTopic("lost", 1, 1, {})]
    slow, lost = write([admin], items)
    assert slow is True
    assert isinstance(lost, AdminError) and "topic lost" in str(lost)


class UnansweredFirst(FakeAdmin):
    """The client gives up on the first create of each topic; asked again, the cluster answers `then`."""

    def __init__(self, then):
        super().__init__()
        self.then = then

    def create_topics(self, topics, **options):
        asked = {name for kind, names, _ in self.requests for name in names if kind == "create"}
        self.codes = {topic.topic: self.then if topic.topic in asked else KafkaError._TIMED_OUT for topic in topics}
        return super().create_topics(topics, **options)


@pytest.mark.parametrize(
    ("then", "made"),
    [
        (None, True),  # the first request never reached the broker: the second makes the topic
        (KafkaError.TOPIC_ALREADY_EXISTS, True),  # the first request made it: the second finds it, made by this call
        (KafkaError._TIMED_OUT, False),  # never an answer: the topic's failure, after asking again
    ],
)
def test_a_create_whose_answer_never_came_is_asked_again_and_already_exists_then_counts_as_made(then, made):
    admin = UnansweredFirst(then)
    results = create_topics([admin], [NewTopic("a", 1, 1, {}), NewTopic("b", 1, 1, {})])
    assert [result is True for result in results] == [made, made]
    if not made:
        assert all(isinstance(result, AdminError) and "create topic" in str(result) for result in results)
    asks = 1 + (kafka_batches.ASKS_AFTER_NO_ANSWER if then == KafkaError._TIMED_OUT else 1)
    assert [names for _, names, _ in admin.requests] == [["a", "b"]] * asks


def test_deleting_a_topic_that_is_already_gone_succeeds():
    admin = FakeAdmin({"gone": KafkaError.UNKNOWN_TOPIC_OR_PART})
    assert delete_topics([admin], ["gone"]) == [False]


def test_one_metadata_answer_tells_every_waiter_whether_its_topic_shows_or_is_gone():
    shown = SimpleNamespace(error=None, partitions={0: None, 1: None})
    admin = FakeAdmin(topics={"two": shown})
    wanted = [("two", 2), ("two", 3), ("missing", 1), ("missing", 0), ("two", 0)]
    assert listed(admin, wanted) == [True, False, False, True, False]


def _entry(entry):
    return entry.name, entry.value, entry.incremental_operation.name


class ChangingAdmin(FakeAdmin):
    def create_partitions(self, partitions, **options):
        self.requests.append(("grow", [(item.topic, item.new_total_count) for item in partitions], options))
        return {item.topic: settled(self.codes.get(item.topic)) for item in partitions}

    def incremental_alter_configs(self, resources, **options):
        changes = [(resource.name, sorted(map(_entry, resource.incremental_configs))) for resource in resources]
        self.requests.append(("alter", changes, options))
        return {resource: settled(self.codes.get(resource.name)) for resource in resources}


def test_partitions_of_many_topics_grow_in_one_request_each_topic_answering_for_itself():
    admin = ChangingAdmin({"b": KafkaError.INVALID_PARTITIONS})
    results = add_partitions(admin, {"a": 4, "b": 2})
    assert [(kind, items) for kind, items, _ in admin.requests] == [("grow", [("a", 4), ("b", 2)])]
    assert results["a"] is True and "add partitions to b" in str(results["b"])


def test_config_of_many_topics_is_set_and_deleted_in_one_incremental_request():
    admin = ChangingAdmin()
    results = alter_topic_configs(
        admin, {"a": ConfigChange({"retention.ms": "1"}, ("cleanup.policy",)), "b": ConfigChange({"x": "y"})}
    )
    assert results == {"a": True, "b": True}
    ((kind, changes, _),) = admin.requests
    assert kind == "alter"
    assert changes == [
        ("a", [("cleanup.policy", None, "DELETE"), ("retention.ms", "1", "SET")]),
        ("b", [("x", "y", "SET")]),
    ]


def test_growing_and_altering_many_topics_is_split_into_bounded_requests(monkeypatch):
    monkeypatch.setattr(kafka_batches, "TOPICS_PER_REQUEST", 2)
    admin = ChangingAdmin({"c": KafkaError.REQUEST_TIMED_OUT})
    assert add_partitions(admin, {"a": 2, "b": 2, "c": 3}) == {"a": True, "b": True, "c": True}
    altered = alter_topic_configs(admin, {name: ConfigChange({"x": "y"}) for name in "abc"})
    # A config change is not left running by the broker: its timeout is a failure.
    assert altered["a"] is True and altered["b"] is True and "alter config of topic c" in str(altered["c"])
    assert [(kind, [item[0] for item in items]) for kind, items, _ in admin.requests] == [
        ("grow", ["a", "b"]),
        ("grow", ["c"]),
        ("alter", ["a", "b"]),
        ("alter", ["c"]),
    ]


def test_config_changes_of_many_keys_go_in_requests_of_bounded_records(monkeypatch):
    monkeypatch.setattr(kafka_batches, "RECORDS_PER_REQUEST", 5)
    admin = ChangingAdmin()
    changes = {
        "a": ConfigChange({"k1": "1", "k2": "2"}, ("k3",)),
        "b": ConfigChange({"k1": "1"}),
        "c": ConfigChange({f"k{i}": "1" for i in range(3)}),
    }
    alter_topic_configs(admin, changes)
    assert [[item[0] for item in items] for _, items, _ in admin.requests] == [["a", "b"], ["c"]]


def test_nothing_to_change_sends_no_request():
    admin = ChangingAdmin()
    assert add_partitions(admin, {}) == {} and alter_topic_configs(admin, {}) == {}
    assert admin.requests == []


def test_waiting_for_many_topics_fails_naming_the_ones_that_never_showed(monkeypatch):
    monkeypatch.setattr(kafka_batches, "AWAIT_S", 0.0)
    admin = FakeAdmin(topics={"shown": SimpleNamespace(error=None, partitions={0: None})})
    await_listed(admin, [("shown", 1)])
    with pytest.raises(
        AdminError, match=r"1 topics did not show as changed within 0 s of the last that did: late \(2\)"
    ):
        await_listed(admin, [("shown", 1), ("late", 2)])


class SlowlyListingAdmin:
    """Metadata that shows one more of `names` on each look, as a controller working through a backlog does."""

    def __init__(self, names):
        self.names, self.looks = names, 0

    def list_topics(self, timeout):
        self.looks += 1
        shown = self.names[: self.looks]
        return SimpleNamespace(topics={name: SimpleNamespace(error=None, partitions={0: None}) for name in shown})


def test_waiting_goes_on_while_topics_keep_showing_however_long_the_whole_takes(monkeypatch):
    # Each look takes longer than AWAIT_S, yet each shows progress: the wait ends when all have shown.
    monkeypatch.setattr(kafka_batches, "AWAIT_S", 0.01)
    monkeypatch.setattr(kafka_batches, "POLL_S", 0.02)
    names = [f"t{index}" for index in range(5)]
    admin = SlowlyListingAdmin(names)
    await_listed(admin, [(name, 1) for name in names])
    assert admin.looks == 5
    # Once no more show, it fails naming what is left.
    stuck = SlowlyListingAdmin(names[:2])
    with pytest.raises(AdminError, match=r"3 topics did not show .*: t2 \(1\), t3 \(1\), t4 \(1\)"):
        await_listed(stuck, [(name, 1) for name in names])


def test_failures_of_a_batch_are_raised_as_one_error_naming_each():
    raise_failures([True, False])
    with pytest.raises(AdminError, match="create topic a: refused; create topic b: refused"):
        raise_failures([AdminError("create topic a: refused"), True, AdminError("create topic b: refused")])


def _fields(item) -> tuple:
    return (item.restype, item.name, item.resource_pattern_type, item.principal, item.host, item.operation,
            item.permission_type)  # fmt: skip


class FakeAclAdmin:
    """Keeps bindings as an authorizer does, refusing the principals in `refused`, and records the requests. Its
    brokers apply a change `lag` looks of DescribeAcls after the controller answered it (None: never)."""

    def __init__(self, refused=(), lag=0):
        self.refused = set(refused)
        self.requests = []
        self.bindings = set()
        self.lag = lag
        self.pending = []
        """(looks left, fields, present) of changes written but not applied yet."""

    def _written(self, fields, present):
        self.pending.append([self.lag, fields, present])

    def _apply(self):
        left = []
        for change in self.pending:
            looks, fields, present = change
            if looks == 0:
                (self.bindings.add if present else self.bindings.discard)(fields)
            else:
                left.append([None if looks is None else looks - 1, fields, present])
        self.pending = left

    def create_acls(self, bindings, **options):
        self.requests.append(("create", len(bindings)))
        for item in bindings:
            if item.principal not in self.refused:
                self._written(_fields(item), True)
        return {
            item: settled(KafkaError.POLICY_VIOLATION if item.principal in self.refused else None) for item in bindings
        }

    def delete_acls(self, filters, **options):
        # Each filter matches exactly one binding: every field named, none left to match any.
        assert all(item.principal and item.host == "*" and item.name == "caracal." for item in filters)
        self.requests.append(("delete", len(filters)))
        for item in filters:
            self._written(_fields(item), False)
        return {item: settled() for item in filters}

    def describe_acls(self, exact, **options):
        self.requests.append(("describe", 1))
        self._apply()
        return done([exact] if _fields(exact) in self.bindings else [])


def acl(principal):
    return AclSpec(principal, "TOPIC", "caracal.", "PREFIXED", "WRITE")


def test_many_acl_bindings_go_in_one_request_each_answered_on_its_own():
    admin = FakeAclAdmin(refused={"User:bad"})
    results = create_acls(admin, [acl("User:a"), acl("User:bad"), acl("User:a")])
    assert admin.requests == [("create", 2), ("describe", 1)]
    assert results[0] is True and results[2] is True
    assert isinstance(results[1], AdminError) and "User:bad" in str(results[1])
    assert delete_acls(admin, [acl("User:a"), acl("User:b")]) == [True, True]
    assert admin.requests[-2:] == [("delete", 2), ("describe", 1)]


def test_many_thousand_acl_bindings_are_split_into_bounded_requests(monkeypatch):
    monkeypatch.setattr(kafka_batches, "ACLS_PER_REQUEST", 2)
    admin = FakeAclAdmin(refused={"User:c"})
    results = create_acls(admin, [acl(f"User:{name}") for name in "abcde"])
    assert admin.requests == [("create", 2), ("create", 2), ("create", 1), ("describe", 1)]
    assert [result is True for result in results] == [True, True, False, True, True]
    admin.requests.clear()
    assert delete_acls(admin, [acl(f"User:{name}") for name in "abc"]) == [True] * 3
    assert admin.requests == [("delete", 2), ("delete", 1), ("describe", 1)]


def test_acl_writes_end_once_the_brokers_apply_them_asking_only_for_the_last_binding(monkeypatch):
    monkeypatch.setattr(kafka_batches, "POLL_S", 0.0)
    monkeypatch.setattr(kafka_batches, "ACLS_PER_REQUEST", 2)
    admin = FakeAclAdmin(lag=3)
    specs = [acl(f"User:{name}") for name in "abcde"]
    assert create_acls(admin, specs) == [True] * 5
    # One exact DescribeAcls per look, for the last binding of the last request: looked at until it showed.
    assert admin.requests[3:] == [("describe", 1)] * 4
    assert len(admin.bindings) == 5
    admin.requests.clear()
    assert delete_acls(admin, specs) == [True] * 5
    assert admin.requests[3:] == [("describe", 1)] * 4 and admin.bindings == set()


def test_a_binding_the_brokers_never_apply_fails_the_write_naming_it(monkeypatch):
    monkeypatch.setattr(kafka_batches, "POLL_S", 0.0)
    monkeypatch.setattr(kafka_batches, "ACL_AWAIT_S", 0.0)
    with pytest.raises(AdminError, match=r"ACL binding .*User:b.* did not show within 0 s"):
        create_acls(FakeAclAdmin(lag=None), [acl("User:a"), acl("User:b")])
    # The wait is for the last binding the cluster took: one it refused is its own failure.
    monkeypatch.setattr(kafka_batches, "ACL_AWAIT_S", 60.0)
    refused = FakeAclAdmin(refused={"User:b"}, lag=1)
    assert create_acls(refused, [acl("User:a"), acl("User:b")])[0] is True
    assert refused.requests == [("create", 2), ("describe", 1), ("describe", 1)]


def test_no_acl_request_for_no_binding():
    admin = FakeAclAdmin()
    assert (create_acls(admin, []), delete_acls(admin, [])) == ([], [])
    assert admin.requests == []


class QueueingAclAdmin:
    """Answers each request a moment after it is sent, from another thread, as a broker does; records how many
    earlier requests were still unanswered when each one was sent."""

    def __init__(self):
        self.unanswered_at_send = []
        self.pending = []
        self.listed = False

    def _request(self, items):
        self.unanswered_at_send.append(sum(not future.done() for future in self.pending))
        futures = {item: Future() for item in items}
        self.pending += futures.values()
        threading.Timer(0.02, lambda: [future.set_result(None) for future in futures.values()]).start()
        return futures

    def create_acls(self, bindings, **options):
        self.listed = True
        return self._request(bindings)

    def delete_acls(self, filters, **options):
        self.listed = False
        return self._request(filters)

    def describe_acls(self, exact, **options):
        return done([exact] if self.listed else [])


def test_acl_requests_go_one_at_a_time_each_sent_once_the_one_before_is_answered(monkeypatch):
    monkeypatch.setattr(kafka_batches, "ACLS_PER_REQUEST", 2)
    admin = QueueingAclAdmin()
    assert create_acls(admin, [acl(f"User:{name}") for name in "abcde"]) == [True] * 5
    assert delete_acls(admin, [acl(f"User:{name}") for name in "abc"]) == [True] * 3
    assert admin.unanswered_at_send == [0] * 5
