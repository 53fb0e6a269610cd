from concurrent.futures import Future
from types import SimpleNamespace

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import NewTopic

from components.clients.acl_snapshot import binding, exact_filter
from components.clients.kafka_admin import AdminError
from components.clients.kafka_batches import _create_topics, _delete_topics, _listed, create_acls, delete_acls


def settled(error_code=None):
    future = Future()
    if error_code is None:
        future.set_result(None)
    else:
        future.set_exception(KafkaException(KafkaError(error_code, "refused")))
    return future


class FakeAdmin:
    """Answers each topic with the error code given for it (None: success) and records the requests."""

    def __init__(self, codes=None, topics=None):
        self.codes = codes or {}
        self.requests = []
        self.topics = topics or {}

    def create_topics(self, topics, **options):
        self.requests.append(("create", [topic.topic for topic in topics], options))
        return {topic.topic: settled(self.codes.get(topic.topic)) for topic in topics}

    def delete_topics(self, names, **options):
        self.requests.append(("delete", list(names), options))
        return {name: settled(self.codes.get(name)) for name in names}

    def list_topics(self, timeout):
        return SimpleNamespace(topics=self.topics)


def test_one_create_request_for_the_batch_asking_the_broker_to_answer_once_the_topics_are_made():
    admin = FakeAdmin()
    results = _create_topics(admin, [NewTopic("a", 1, 1), NewTopic("b", 1, 1)])
    assert results == [True, True]
    assert [(kind, names) for kind, names, _ in admin.requests] == [("create", ["a", "b"])]
    assert admin.requests[0][2]["operation_timeout"] > 0


def test_an_existing_topic_is_reported_as_not_created_and_another_error_as_that_topics_own_failure():
    admin = FakeAdmin({"exists": KafkaError.TOPIC_ALREADY_EXISTS, "bad": KafkaError.POLICY_VIOLATION})
    created, existed, failed = _create_topics(admin, [NewTopic(name, 1, 1) for name in ("new", "exists", "bad")])
    assert (created, existed) == (True, False)
    assert isinstance(failed, AdminError) and "create topic bad" in str(failed)


def test_a_topic_named_twice_in_a_batch_is_sent_in_a_second_request():
    admin = FakeAdmin()
    _create_topics(admin, [NewTopic("a", 1, 1), NewTopic("a", 1, 1)])
    assert [names for _, names, _ in admin.requests] == [["a"], ["a"]]


def test_deleting_a_topic_that_is_already_gone_succeeds():
    admin = FakeAdmin({"gone": KafkaError.UNKNOWN_TOPIC_OR_PART})
    assert _delete_topics(admin, ["gone"]) == [False]


def test_one_metadata_answer_tells_every_waiter_whether_its_topic_shows_or_is_gone():
    shown = SimpleNamespace(error=None, partitions={0: None, 1: None})
    admin = FakeAdmin(topics={"two": shown})
    wanted = [("two", 2), ("two", 3), ("missing", 1), ("missing", 0), ("two", 0)]
    assert _listed(admin, wanted) == [True, False, False, True, False]


class FakeAclAdmin:
    """Answers each binding's future, refusing the principals in `refused`, and records the requests."""

    def __init__(self, refused=()):
        self.refused = set(refused)
        self.requests = []

    def create_acls(self, bindings, **options):
        self.requests.append(("create", len(bindings)))
        return {
            item: settled(KafkaError.POLICY_VIOLATION if item.principal in self.refused else None) for item in bindings
        }

    def delete_acls(self, filters, **options):
        self.requests.append(("delete", len(filters)))
        return {item: settled() for item in filters}


def fields(principal):
    return {
        "principal": principal,
        "resource_type": "TOPIC",
        "resource_name": "caracal.",
        "pattern_type": "PREFIXED",
        "operation": "WRITE",
        "permission": "ALLOW",
    }


def acl(principal):
    return binding(fields(principal))


def test_many_acl_bindings_go_in_one_request_each_answered_on_its_own():
    admin = FakeAclAdmin(refused={"User:bad"})
    results = create_acls(admin, [acl("User:a"), acl("User:bad"), acl("User:a")])
    assert admin.requests == [("create", 2)]
    assert results[0] is True and results[2] is True
    assert isinstance(results[1], AdminError) and "User:bad" in str(results[1])
    assert delete_acls(admin, [exact_filter(fields("User:a")), exact_filter(fields("User:b"))]) == [True, True]
    assert admin.requests[-1] == ("delete", 2)


def test_no_acl_request_for_no_binding():
    admin = FakeAclAdmin()
    assert (create_acls(admin, []), delete_acls(admin, [])) == ([], [])
    assert admin.requests == []
