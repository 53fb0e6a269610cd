"""The topic set against a fake cluster: one request per kind of change however many topics, nothing changed
while anything is refused, and the topics a failed run created deleted again."""

from __future__ import annotations

from types import SimpleNamespace

import pulumi
import pytest
from confluent_kafka import KafkaError, KafkaException

from components.clients import kafka_batches, topic_snapshot
from components.clients.kafka_admin import AdminError
from components.clients.topic_snapshot import ActualTopic
from components.providers import topic_set
from components.providers.topic_set import TOPIC_SET_ID, TopicSet, TopicSetArgs, TopicSetProvider
from components.rules.names import TOPIC_SET
from components.rules.packed_members import pack, packed, unpack
from components.rules.topic import ALLOW_DATA_LOSS_ENV
from components.rules.values import UNKNOWN
from tests.unit.futures import settled

CONNECTION = {"bootstrap_servers": "localhost:19093", "username": "admin", "password": "p" * 32, "ca_pem": "CA"}


def spec(partitions=1, config=None, allow_data_loss=False, adopt=False):
    return {
        "partitions": partitions,
        "replication_factor": 1,
        "config": config or {},
        "allow_data_loss": allow_data_loss,
        "adopt": adopt,
    }


def props(**topics):
    """The set's properties as the engine holds them: the topics packed into one string."""
    return packed(TopicSetArgs(topics=topics, connection=CONNECTION).to_props(), TopicSetProvider.packed_members)


def members(properties):
    return unpack("topics", properties["topics"])


class FakeCluster:
    """Topics as Kafka holds them; each write is one recorded request and may be refused per topic."""

    def __init__(self, topics=None, data=None, refuse=None):
        self.topics = dict(topics or {})
        self.data = data or {}
        self.refuse = refuse or {}
        self.requests = []

    def actual(self):
        return {name: ActualTopic(partitions, 1, dict(config)) for name, (partitions, config) in self.topics.items()}

    def _answer(self, kind, names, apply):
        self.requests.append((kind, sorted(names)))
        answers = {}
        for name in names:
            code = self.refuse.get((kind, name))
            if code is None:
                apply(name)
            answers[name] = settled(code)
        return answers

    def create_topics(self, topics, **_):
        specs = {topic.topic: topic for topic in topics}
        existing = {name for name in specs if name in self.topics}
        self.refuse.update({("create", name): KafkaError.TOPIC_ALREADY_EXISTS for name in existing})

        def create(name):
            self.topics[name] = (specs[name].num_partitions, dict(specs[name].config))

        return self._answer("create", list(specs), create)

    def create_partitions(self, partitions, **_):
        counts = {item.topic: item.new_total_count for item in partitions}
        return self._answer(
            "grow", list(counts), lambda name: self.topics.update({name: (counts[name], self.topics[name][1])})
        )

    def incremental_alter_configs(self, resources, **_):
        by_name = {resource.name: resource for resource in resources}
        answers = self._answer("alter", list(by_name), lambda name: None)
        return {by_name[name]: future for name, future in answers.items()}

    def delete_topics(self, names, **_):
        return self._answer("delete", list(names), lambda name: self.topics.pop(name, None))

    def list_topics(self, timeout=None):
        listed = {
            name: SimpleNamespace(error=None, partitions=dict.fromkeys(range(count)))
            for name, (count, _) in self.topics.items()
        }
        return SimpleNamespace(topics=listed)


@pytest.fixture
def cluster(monkeypatch):
    cluster = FakeCluster()
    monkeypatch.setattr(topic_set.SESSION.admins, "get", lambda connection: cluster)
    # Creates and deletes spread over several clients: here all of them the one fake cluster.
    monkeypatch.setattr(topic_set.SESSION.admins, "pool", lambda connection, size: [cluster] * size)
    monkeypatch.setattr(topic_set.SESSION.topics, "get", lambda admin: admin.actual())
    monkeypatch.setattr(
        topic_snapshot, "holding_data", lambda admin, names: {n: admin.data[n] for n in names if n in admin.data}
    )
    monkeypatch.delenv(ALLOW_DATA_LOSS_ENV, raising=False)
    return cluster


def test_a_thousand_topics_are_created_by_a_few_bounded_requests_and_recorded_as_declared(cluster):
    declared = props(**{f"caracal.t{index}": spec() for index in range(1000)})
    result = TopicSetProvider().create(declared)
    assert result.id == TOPIC_SET_ID
    assert result.outs == declared
    assert [kind for kind, _ in cluster.requests] == ["create"] * (1000 // kafka_batches.TOPICS_PER_REQUEST)
    assert len(cluster.topics) == 1000


def test_on_a_kraft_cluster_creates_go_in_larger_requests_and_a_set_with_nothing_to_write_asks_nothing(
    cluster, monkeypatch
):
    asked = []
    monkeypatch.setattr(topic_set.cluster_health, "kraft", lambda admin: asked.append(admin) or True)
    declared = props(**{f"caracal.t{index}": spec() for index in range(2500)})
    TopicSetProvider().create(declared)
    # Spread over two connections at once: in either order.
    assert sorted(len(names) for kind, names in cluster.requests) == [500, 1000, 1000]
    # Nothing to create or delete: the cluster is not asked which kind it is.
    asked.clear()
    TopicSetProvider().update(TOPIC_SET_ID, declared, declared)
    assert asked == []


def test_an_update_sends_one_request_per_kind_of_change(cluster):
    cluster.topics = {"grown": (1, {}), "altered": (1, {"retention.ms": "1"}), "removed": (1, {}), "kept": (1, {})}
    olds = props(grown=spec(), altered=spec(config={"retention.ms": "1"}), removed=spec(), kept=spec())
    news = props(
        grown=spec(partitions=3), altered=spec(config={"retention.ms": "2"}), kept=spec(), new1=spec(), new2=spec()
    )
    assert TopicSetProvider().update(TOPIC_SET_ID, olds, news).outs == news
    assert cluster.requests == [
        ("create", ["new1", "new2"]),
        ("grow", ["grown"]),
        ("alter", ["altered"]),
        ("delete", ["removed"]),
    ]


def test_an_unchanged_set_sends_no_request(cluster):
    cluster.topics = {"kept": (1, {})}
    TopicSetProvider().update(TOPIC_SET_ID, props(kept=spec()), props(kept=spec()))
    assert cluster.requests == []


def test_when_a_later_step_fails_the_topics_this_run_created_are_deleted_again(cluster):
    cluster.topics = {"altered": (1, {})}
    cluster.refuse = {("alter", "altered"): KafkaError.POLICY_VIOLATION}
    news = props(altered=spec(config={"retention.ms": "2"}), new1=spec(), new2=spec())
    with pytest.raises(
        AdminError, match=r"alter config of topic altered.*the 2 topics this run created were deleted again"
    ):
        TopicSetProvider().update(TOPIC_SET_ID, props(altered=spec()), news)
    assert set(cluster.topics) == {"altered"}
    assert cluster.requests[-1] == ("delete", ["new1", "new2"])


def test_when_some_creates_fail_the_ones_made_are_deleted_again(cluster):
    cluster.refuse = {("create", "bad"): KafkaError.POLICY_VIOLATION}
    with pytest.raises(AdminError, match="create topic bad: refused; the 1 topics this run created were deleted again"):
        TopicSetProvider().create(props(good=spec(), bad=spec()))
    assert cluster.topics == {}


def test_a_topic_made_by_someone_else_meanwhile_is_left_untouched_and_ours_are_deleted_again(cluster, monkeypatch):
    monkeypatch.setattr(topic_set.SESSION.topics, "get", lambda admin: {})  # read before the other made it
    cluster.topics = {"theirs": (4, {})}
    with pytest.raises(AdminError, match="topic theirs already exists and is not managed by this stack"):
        TopicSetProvider().create(props(theirs=spec(), ours=spec()))
    assert cluster.topics == {"theirs": (4, {})}


REFUSED = [
    # (Kafka's topics, recorded, declared, data held, expected message)
    ({"theirs": (1, {})}, {}, {"theirs": spec()}, {}, "topic theirs already exists and is not managed by this stack"),
    ({"a": (3, {})}, {"a": spec(partitions=3)}, {"a": spec(partitions=2)}, {},
     "topic a: partitions cannot go from 3 down to 2"),
    ({"a": (1, {}), "b": (1, {})}, {"a": spec(), "b": spec()}, {"a": spec(), "c": spec()}, {"b": "holds 5 records"},
     "topic b is not deleted: it holds 5 records."),
]  # fmt: skip


@pytest.mark.parametrize(("kafka", "recorded", "declared", "holding", "message"), REFUSED)
def test_a_refusal_fails_before_any_request(cluster, kafka, recorded, declared, holding, message):
    cluster.topics, cluster.data = dict(kafka), holding
    with pytest.raises(ValueError, match=message):
        TopicSetProvider().update(TOPIC_SET_ID, props(**recorded), props(**declared))
    assert cluster.requests == []
    assert cluster.topics == kafka


@pytest.mark.parametrize("allowed_by", ["recorded flag", "operator"])
def test_a_removed_topic_holding_data_is_deleted_when_its_flag_or_the_operator_allows_it(
    cluster, monkeypatch, allowed_by
):
    cluster.topics, cluster.data = {"b": (1, {})}, {"b": "holds 5 records"}
    if allowed_by == "operator":
        monkeypatch.setenv(ALLOW_DATA_LOSS_ENV, "true")
    TopicSetProvider().update(TOPIC_SET_ID, props(b=spec(allow_data_loss=allowed_by == "recorded flag")), props())
    assert cluster.topics == {}


def test_an_adopted_topic_is_grown_and_reconfigured_instead_of_created(cluster):
    cluster.topics = {"theirs": (1, {"retention.ms": "1"})}
    TopicSetProvider().create(props(theirs=spec(partitions=2, config={"retention.ms": "2"}, adopt=True)))
    assert cluster.requests == [("grow", ["theirs"]), ("alter", ["theirs"])]


def test_a_refresh_drops_the_topics_kafka_no_longer_holds_and_reads_what_it_holds_of_the_others(cluster):
    cluster.topics = {"a": (4, {"retention.ms": "9", "cleanup.policy": "delete"})}
    recorded = props(a=spec(config={"retention.ms": "1"}, allow_data_loss=True), gone=spec())
    result = TopicSetProvider().read(TOPIC_SET_ID, recorded)
    expected = {"a": spec(partitions=4, config={"retention.ms": "9"}, allow_data_loss=True)}
    assert result.id == TOPIC_SET_ID
    assert members(result.outs) == members(result.inputs) == expected
    assert result.inputs["connection"] == CONNECTION
    assert result.inputs["protect_data"] is False


def test_a_refresh_of_a_set_whose_topics_are_all_gone_keeps_the_set_with_no_topics(cluster):
    result = TopicSetProvider().read(TOPIC_SET_ID, props(gone=spec()))
    assert result.id == TOPIC_SET_ID and members(result.outs) == {}


def test_destroy_refuses_naming_every_topic_that_holds_data_and_deletes_nothing(cluster):
    cluster.topics, cluster.data = (
        {"a": (1, {}), "b": (1, {}), "c": (1, {})},
        {"a": "holds 1 records", "c": "holds 2 records"},
    )
    with pytest.raises(ValueError, match=r"2 topics are not deleted, they hold data: a holds 1 records; c holds 2"):
        TopicSetProvider().delete(TOPIC_SET_ID, props(a=spec(), b=spec(), c=spec()))
    assert cluster.requests == []


def test_destroy_with_the_operators_word_deletes_every_topic_in_one_request(cluster, monkeypatch):
    monkeypatch.setenv(ALLOW_DATA_LOSS_ENV, "true")
    cluster.topics, cluster.data = {"a": (1, {}), "b": (1, {})}, {"a": "holds 1 records"}
    TopicSetProvider().delete(TOPIC_SET_ID, props(a=spec(), b=spec(), already_gone=spec()))
    # One already gone is not asked for again.
    assert cluster.requests == [("delete", ["a", "b"])]
    assert cluster.topics == {}


def test_preview_refuses_removing_a_topic_that_holds_data_with_todays_message(cluster):
    cluster.topics, cluster.data = {"a": (1, {}), "b": (1, {})}, {"b": "holds 5 records"}
    result = TopicSetProvider().check(props(a=spec(), b=spec()), props(a=spec()))
    assert [(failure.property, failure.reason[:44]) for failure in result.failures] == [
        ("topics.b", "topic b is not deleted: it holds 5 records. ")
    ]


def test_preview_of_a_cluster_not_made_yet_asks_it_nothing(cluster, monkeypatch):
    monkeypatch.setattr(topic_snapshot, "holding_data", lambda admin, names: pytest.fail("asked the cluster"))
    result = TopicSetProvider().check({**props(b=spec()), "connection": UNKNOWN}, props())
    assert result.failures == []


def test_check_takes_numbers_as_the_engine_sends_them_and_refuses_fewer_partitions():
    olds = props(a=spec(partitions=3))
    news = {"topics": {"a": {"partitions": 2.0, "replication_factor": 1.0}}, "connection": CONNECTION}
    result = TopicSetProvider().check(olds, news)
    assert [failure.property for failure in result.failures] == ["topics.a.partitions"]


def test_diff_changes_in_place_and_never_replaces():
    result = TopicSetProvider().diff(TOPIC_SET_ID, props(a=spec()), props(a=spec(), b=spec()))
    assert result.changes is True and result.replaces == []
    assert TopicSetProvider().diff(TOPIC_SET_ID, props(a=spec()), props(a=spec())).changes is False


@pulumi.runtime.test
def test_the_set_registers_as_one_resource_of_its_kind_with_the_connection_secret(monitor):
    topics = {"caracal.a": spec(), "caracal.b": spec(partitions=3)}
    resource = TopicSet("catalog-topics", TopicSetArgs(topics=topics, connection=pulumi.Output.secret(CONNECTION)))

    def check(_):
        (registered,) = monitor.dynamic(TOPIC_SET)
        # One string to the engine, whatever the number of topics.
        assert registered.inputs["topics"] == pack(topics)
        assert "connection" in registered.secret_outputs

    return resource.topics.apply(check)


def test_a_preview_that_cannot_reach_the_cluster_leaves_the_data_check_to_the_apply(cluster, monkeypatch):
    def unreachable(admin, names):
        raise KafkaException(KafkaError(KafkaError._TRANSPORT, "all brokers down"))

    monkeypatch.setattr(topic_snapshot, "holding_data", unreachable)
    assert TopicSetProvider().check(props(b=spec()), props()).failures == []


def test_a_protecting_stack_refuses_removing_even_an_empty_topic_until_its_flag_is_set(cluster):
    cluster.topics = {"a": (1, {}), "b": (1, {})}
    protected = {**props(a=spec()), "protect_data": True}
    result = TopicSetProvider().check(props(a=spec(), b=spec()), protected)
    assert [failure.property for failure in result.failures] == ["topics.b"]
    assert "protects its topics (protectData)" in result.failures[0].reason
    flagged = TopicSetProvider().check(props(a=spec(), b=spec(allow_data_loss=True)), protected)
    assert flagged.failures == []


def test_a_rename_of_a_topic_holding_data_is_refused_naming_both_names(cluster):
    cluster.topics, cluster.data = {"a": (1, {})}, {"a": "holds 1 records"}
    renamed = props(b={**spec(), "renamed_from": "a"})
    result = TopicSetProvider().check(props(a=spec()), renamed)
    assert [failure.reason[:60] for failure in result.failures] == [
        "topic a would be replaced (deleted and created as b), but it"
    ]
    allowed = props(b={**spec(allow_data_loss=True), "renamed_from": "a"})
    assert TopicSetProvider().check(props(a=spec()), allowed).failures == []


def test_a_member_a_killed_update_declared_and_kafka_made_meanwhile_is_the_sets_own(cluster, monkeypatch):
    monkeypatch.setattr(topic_set.SESSION.topics, "get", lambda admin: {})  # read before the controller made it
    cluster.topics = {"late": (1, {})}
    recorded = {"late": {**spec(), "pending": True}}
    outputs = TopicSetProvider().update(
        TOPIC_SET_ID, {**props(), "topics": pack(recorded)}, props(late=spec(), b=spec())
    )
    assert set(members(outputs.outs)) == {"late", "b"}
    assert set(cluster.topics) == {"late", "b"}


def test_a_set_recorded_before_its_topics_were_packed_is_the_same_set_packed(cluster):
    cluster.topics = {"a": (1, {}), "b": (3, {})}
    recorded = {**props(), "topics": {"a": spec(), "b": spec(partitions=3)}}
    declared = props(b=spec(partitions=3), a=spec())
    assert TopicSetProvider().diff(TOPIC_SET_ID, recorded, declared).changes is False
    assert TopicSetProvider().check(recorded, declared).failures == []
    refreshed = TopicSetProvider().read(TOPIC_SET_ID, recorded)
    assert refreshed.outs["topics"] == declared["topics"]
    grown = TopicSetProvider().update(TOPIC_SET_ID, recorded, props(a=spec(), b=spec(partitions=4)))
    assert members(grown.outs)["b"]["partitions"] == 4
    assert cluster.requests == [("grow", ["b"])]


def test_recorded_topics_that_are_not_a_packed_set_are_an_error_naming_the_property(cluster):
    with pytest.raises(ValueError, match=r"^topics: not the JSON object of a set.s members"):
        TopicSetProvider().diff(TOPIC_SET_ID, {**props(), "topics": "[1, 2]"}, props())
