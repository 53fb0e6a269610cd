"""A catalog's topics as one set: check, refusals, diff, the plan against what Kafka holds, and removals."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from components.rules.topic import ALLOW_DATA_LOSS_ENV
from components.rules.topic_set import (
    ClusterTopics,
    ConfigChange,
    NewTopic,
    check_topic_set,
    data_checks,
    diff_topic_set,
    plan_topic_set,
    refreshed_topics,
    removal_error,
    removal_guards,
    removal_refusals,
    removed_topics,
    renames,
    set_refusals,
)
from components.rules.values import UNKNOWN

CONNECTION = {"bootstrap_servers": "localhost:19093", "username": "admin", "password": "p" * 32, "ca_pem": "CA"}


def spec(partitions=3, replication_factor=1, config=None, allow_data_loss=False, adopt=False):
    return {
        "partitions": partitions,
        "replication_factor": replication_factor,
        "config": {"retention.ms": "604800000"} if config is None else config,
        "allow_data_loss": allow_data_loss,
        "adopt": adopt,
    }


@dataclass(frozen=True)
class Actual:
    partitions: int = 3
    replication_factor: int = 1
    # Kafka reports every config value, broker defaults included.
    config: dict = field(default_factory=lambda: {"retention.ms": "604800000", "cleanup.policy": "delete"})


def test_check_normalises_every_topic_with_the_one_topic_rules_and_keeps_the_set_shape():
    declared = {"a": {"partitions": "3", "replication_factor": 1.0, "config": {"retention.ms": "7d"}}}
    inputs, failures = check_topic_set({"topics": declared, "connection": CONNECTION})
    assert failures == []
    assert inputs == {"topics": {"a": spec()}, "connection": CONNECTION}


CHECK_FAILURES = [
    ({"has space": spec()}, "topics.has space.name", "topic has space: 'has space' is not allowed"),
    ({"a": spec(partitions=0)}, "topics.a.partitions", "topic a: 0 is not allowed"),
    ({"a": spec(replication_factor="x")}, "topics.a.replication_factor", "topic a: 'x' is not allowed"),
    ({"a": spec(config={"retention.ms": "soon"})}, "topics.a.config.retention.ms", "topic a: "),
    ({"a": spec(config={"no.such.key": "1"})}, "topics.a.config.no.such.key", "topic a: "),
    ({"a": spec(allow_data_loss="yes")}, "topics.a.allow_data_loss", "topic a: allowed: true or false"),
    ({"a": spec(adopt="yes")}, "topics.a.adopt", "topic a: allowed: true or false"),
    ({"a": {**spec(), "partition": 3}}, "topics.a.partition", "topic a: unknown keys ['partition']"),
    ({"a": {"replication_factor": 1}}, "topics.a.partitions", "topic a: None is not allowed"),
    ({"a": 3}, "topics.a", "topic a: allowed: a mapping"),
    ({"_schemas": spec()}, "topics._schemas.name", "topic _schemas: names starting with '_' are Kafka's"),
]


@pytest.mark.parametrize(("topics", "property_", "reason"), CHECK_FAILURES)
def test_check_names_the_topic_and_the_field_of_every_failure(topics, property_, reason):
    _, failures = check_topic_set({"topics": topics, "connection": CONNECTION})
    assert [failure.property for failure in failures] == [property_]
    assert failures[0].reason.startswith(reason)


def test_check_reports_every_bad_topic_not_only_the_first():
    _, failures = check_topic_set({"topics": {"a": spec(partitions=0), "b": spec(partitions=-1), "c": spec()}})
    assert [failure.property for failure in failures] == ["topics.a.partitions", "topics.b.partitions"]


def test_a_set_that_is_not_a_mapping_is_refused():
    _, failures = check_topic_set({"topics": ["a", "b"]})
    assert [failure.property for failure in failures] == ["topics"]


@pytest.mark.parametrize(
    "topics",
    [UNKNOWN, {"a": UNKNOWN}, {"a": spec(partitions=UNKNOWN, config={"retention.ms": UNKNOWN})}],
    ids=["whole set", "one topic", "some fields"],
)
def test_check_lets_unknown_values_through_during_preview(topics):
    inputs, failures = check_topic_set({"topics": topics, "connection": UNKNOWN})
    assert failures == []
    assert inputs["topics"] == topics


def test_an_empty_catalog_is_an_empty_set():
    assert check_topic_set({"topics": {}, "connection": CONNECTION}) == ({"topics": {}, "connection": CONNECTION}, [])


REFUSALS = [
    # (recorded, declared, refused properties)
    ({"a": spec()}, {"a": spec(partitions=6)}, []),
    ({"a": spec()}, {"a": spec(partitions=2)}, ["topics.a.partitions"]),
    # Another replication factor is no refusal: the replicas move.
    ({"a": spec()}, {"a": spec(replication_factor=3)}, []),
    ({"a": spec(), "b": spec()}, {"a": spec(partitions=1), "b": spec(replication_factor=2)}, ["topics.a.partitions"]),
    ({"a": spec()}, {"b": spec(partitions=1)}, []),
    ({"a": spec()}, UNKNOWN, []),
    ({"a": spec()}, {"a": spec(partitions=UNKNOWN)}, []),
]  # fmt: skip


@pytest.mark.parametrize(("recorded", "declared", "refused"), REFUSALS)
def test_changes_kafka_cannot_make_to_a_recorded_topic_are_refused_with_todays_messages(recorded, declared, refused):
    failures = set_refusals({"topics": recorded}, {"topics": declared})
    assert [failure.property for failure in failures] == refused


def test_a_refusal_says_which_topic_and_what_to_declare():
    (failure,) = set_refusals({"topics": {"a": spec()}}, {"topics": {"a": spec(partitions=1)}})
    assert failure.reason.startswith("topic a: partitions cannot go from 3 down to 1")
    assert "declare partitions >= 3" in failure.reason


DIFFS = [
    ({"topics": {"a": spec()}, "connection": CONNECTION}, False),
    ({"topics": {"a": spec(partitions=4)}, "connection": CONNECTION}, True),
    ({"topics": {"a": spec(config={})}, "connection": CONNECTION}, True),
    ({"topics": {"a": spec(allow_data_loss=True)}, "connection": CONNECTION}, True),
    ({"topics": {"a": spec(), "b": spec()}, "connection": CONNECTION}, True),
    ({"topics": {}, "connection": CONNECTION}, True),
    ({"topics": {"a": spec()}, "connection": {**CONNECTION, "password": "q" * 32}}, True),
    ({"topics": UNKNOWN, "connection": CONNECTION}, True),
]


@pytest.mark.parametrize(("news", "changes"), DIFFS)
def test_the_set_changes_when_a_topic_is_added_removed_or_declared_otherwise(news, changes):
    assert diff_topic_set({"topics": {"a": spec()}, "connection": CONNECTION}, news) is changes


def plan(recorded, declared, actual, holding=None, explicit=False, protected=False):
    return plan_topic_set(recorded, declared, ClusterTopics(actual, holding or {}), explicit, protected)


def reasons(failures):
    return [failure.reason for failure in failures]


def new_topic(name, spec_):
    return NewTopic(name, spec_["partitions"], spec_["replication_factor"], spec_["config"])


def test_a_new_topic_is_created_with_its_declared_spec():
    made = plan({}, {"a": spec(), "b": spec(partitions=1)}, {})
    assert made.create == [new_topic("a", spec()), new_topic("b", spec(partitions=1))]
    assert made.create[0].config == {"retention.ms": "604800000"}
    assert (made.grow, made.alter, made.delete, made.refusals) == ({}, {}, [], [])


def test_a_recorded_topic_deleted_out_of_band_is_created_again():
    assert plan({"a": spec()}, {"a": spec()}, {}).create == [new_topic("a", spec())]


def test_an_unchanged_topic_plans_nothing():
    assert plan({"a": spec()}, {"a": spec()}, {"a": Actual()}) == plan({}, {}, {})


def test_more_partitions_grow_in_place_and_config_changes_are_set_or_deleted():
    recorded = {"a": spec(config={"retention.ms": "604800000", "cleanup.policy": "delete"})}
    declared = {"a": spec(partitions=6, config={"retention.ms": "86400000", "compression.type": "zstd"})}
    made = plan(recorded, declared, {"a": Actual()})
    assert made.grow == {"a": 6}
    assert made.alter == {
        "a": ConfigChange({"retention.ms": "86400000", "compression.type": "zstd"}, ("cleanup.policy",))
    }
    assert made.create == [] and made.refusals == []


def test_drift_in_kafka_is_put_back_even_when_the_record_matches_the_declaration():
    drifted = Actual(config={"retention.ms": "1000", "cleanup.policy": "delete"})
    assert plan({"a": spec()}, {"a": spec()}, {"a": drifted}).alter == {
        "a": ConfigChange({"retention.ms": "604800000"})
    }


def test_partitions_added_out_of_band_are_refused_and_another_replication_factor_is_a_reassignment():
    made = plan(
        {"a": spec(), "b": spec()},
        {"a": spec(), "b": spec()},
        {"a": Actual(partitions=5), "b": Actual(replication_factor=3)},
    )
    assert len(made.refusals) == 1
    assert made.refusals[0].reason.startswith("topic a: partitions cannot go from 5 down to 3")
    assert [failure.property for failure in made.refusals] == ["topics.a.partitions"]
    assert (made.grow, made.alter, made.replicate) == ({}, {}, {"b": 1})  # fmt: skip


def test_a_replication_factor_beyond_the_brokers_is_refused():
    made = plan_topic_set(
        {"b": spec(replication_factor=3)},
        {"b": spec(replication_factor=3)},
        ClusterTopics({"b": Actual(replication_factor=2)}, brokers=2),
    )
    assert [failure.reason for failure in made.refusals] == [
        "topic b: replication factor 3 is not allowed: the cluster has 2 broker(s) to hold replicas"
    ]
    assert made.replicate == {}


def test_a_declared_topic_that_exists_but_was_never_recorded_is_foreign_and_left_untouched():
    made = plan({}, {"theirs": spec(partitions=6)}, {"theirs": Actual()})
    assert reasons(made.refusals) == [
        "topic theirs already exists and is not managed by this stack: it is left untouched; to manage it from now "
        "on, declare it with `adopt: true`"
    ]
    assert (made.create, made.grow, made.alter, made.adopt) == ([], {}, {}, [])


def test_an_adopted_topic_is_brought_to_the_declared_state_keeping_overrides_it_had():
    existing = Actual(partitions=2, config={"retention.ms": "1000", "cleanup.policy": "compact"})
    declared = {"theirs": spec(partitions=4, config={"retention.ms": "604800000"}, adopt=True)}
    made = plan({}, declared, {"theirs": existing})
    assert made.adopt == ["theirs"]
    assert made.grow == {"theirs": 4}
    assert made.alter == {"theirs": ConfigChange({"retention.ms": "604800000"})}
    assert made.refusals == []


@pytest.mark.parametrize(
    ("existing", "refusal"),
    [
        (Actual(partitions=8), "partitions cannot go from 8 down to 3"),
    ],
)
def test_adopting_a_topic_is_refused_where_it_would_lose_something(existing, refusal):
    made = plan({}, {"theirs": spec(adopt=True)}, {"theirs": existing})
    assert len(made.refusals) == 1 and refusal in made.refusals[0].reason
    assert made.adopt == [] and made.grow == {}


def test_a_removed_topic_is_deleted_and_one_already_gone_is_forgotten():
    made = plan(
        {"kept": spec(), "removed": spec(), "gone": spec()}, {"kept": spec()}, {"kept": Actual(), "removed": Actual()}
    )
    assert made.delete == ["removed"]  # fmt: skip


def test_removed_topics_are_the_recorded_ones_no_longer_declared():
    assert removed_topics({"topics": {"a": spec(), "b": spec()}}, {"topics": {"a": spec(), "c": spec()}}) == ["b"]
    assert removed_topics({"topics": {"a": spec()}}, {"topics": UNKNOWN}) == []


GUARDS = [
    # (recorded, explicit allowance, topics to check for data before deleting)
    ({"a": spec(), "b": spec()}, False, ["a", "b"]),
    ({"a": spec(allow_data_loss=True), "b": spec()}, False, ["b"]),
    ({"a": spec(), "b": spec()}, True, []),
]


@pytest.mark.parametrize(("recorded", "explicit", "checked"), GUARDS)
def test_a_removed_topic_is_checked_for_data_unless_its_flag_or_the_operator_allows_losing_it(
    recorded, explicit, checked
):
    actual = {"a": Actual(), "b": Actual(), "kept": Actual()}
    assert data_checks({**recorded, "kept": spec()}, {"kept": spec()}, actual, explicit) == checked
    # Only what the plan would delete: a removed topic Kafka no longer holds is asked nothing.
    assert data_checks(recorded, {}, {"b": Actual()}, explicit) == [name for name in checked if name == "b"]


def test_a_removed_topic_holding_data_is_refused_naming_it_and_how_to_allow_it():
    failures = removal_refusals({"b": "has offsets committed by consumer group g", "a": "holds 5 records"})
    assert [failure.property for failure in failures] == ["topics.a", "topics.b"]
    assert failures[0].reason == (
        "topic a is not deleted: it holds 5 records. To delete it and its data, first set allow_data_loss: true on "
        f"it and run `pulumi up`, then remove it; or destroy with {ALLOW_DATA_LOSS_ENV}=true"
    )


def test_a_refresh_keeps_the_recorded_topics_kafka_holds_with_what_it_holds_of_the_keys_the_program_set():
    recorded = {"a": spec(config={"retention.ms": "604800000"}, allow_data_loss=True), "gone": spec()}
    refreshed = refreshed_topics(recorded, {"a": Actual(partitions=5, config={"retention.ms": "1", "x": "y"})})
    assert refreshed == {"a": spec(partitions=5, config={"retention.ms": "1"}, allow_data_loss=True)}


def test_one_error_names_every_topic_a_deletion_would_lose_data_of_and_how_to_allow_it():
    assert removal_error({"a": "holds 5 records"}) == removal_refusals({"a": "holds 5 records"})[0].reason
    message = removal_error({"b": "has offsets committed by consumer group g", "a": "holds 5 records"})
    assert message.startswith(
        "2 topics are not deleted, they hold data: a holds 5 records; b has offsets committed by consumer group g. "
    )
    assert message.endswith(f"or destroy with {ALLOW_DATA_LOSS_ENV}=true")


def test_a_renamed_topic_is_checked_with_its_former_name_and_keeps_it():
    inputs, failures = check_topic_set(
        {"topics": {"b": {"partitions": 1, "replication_factor": 1, "renamed_from": "a"}}}
    )
    assert failures == [] and inputs["topics"]["b"]["renamed_from"] == "a"
    _, failures = check_topic_set({"topics": {"b": {"partitions": 1, "replication_factor": 1, "renamed_from": "a b"}}})
    assert [failure.property for failure in failures] == ["topics.b.renamed_from"]


SPEC = {"partitions": 1, "replication_factor": 1, "config": {}, "adopt": False}


@pytest.mark.parametrize(
    ("recorded_allows", "successor_allows", "explicit", "protected", "checked", "refused"),
    [
        (False, False, False, False, ["a"], False),  # deleted only if empty
        (True, False, False, False, [], False),  # its own flag lets the data go
        (False, True, False, False, [], False),  # the rename's flag lets it go
        (False, False, True, True, [], False),  # the operator's explicit word
        (False, False, False, True, [], True),  # a protecting stack refuses, empty or not
        (True, False, False, True, [], False),  # ... unless the flag was set first
    ],
)
def test_how_a_removed_or_renamed_topic_may_go(
    recorded_allows, successor_allows, explicit, protected, checked, refused
):
    recorded = {"a": {**SPEC, "allow_data_loss": recorded_allows}}
    declared = {"b": {**SPEC, "allow_data_loss": successor_allows, "renamed_from": "a"}}
    guard = removal_guards(recorded, declared, ["a"], explicit, protected)
    assert guard.checked == checked
    assert bool(guard.refusals) is refused
    if refused:
        assert "topic a would be replaced (deleted and created as b)" in guard.refusals[0].reason
        assert "protectData" in guard.refusals[0].reason and "allow_data_loss: true on b" in guard.refusals[0].reason


def test_a_rename_that_would_lose_data_says_so_naming_both_names():
    [failure] = removal_refusals(
        {"a": "holds 1 records"}, renames({"b": {"renamed_from": "a"}, "c": {"renamed_from": "c"}})
    )
    assert failure.reason.startswith("topic a would be replaced (deleted and created as b), but it holds 1 records")
    assert renames({"c": {"renamed_from": "c"}}) == {}


def test_a_refresh_keeps_a_pending_member_kafka_does_not_hold_yet_and_settles_one_it_holds():
    recorded = {"made": {"partitions": 1, "pending": True, "config": {}}, "later": {"partitions": 1, "pending": True}}
    refreshed = refreshed_topics(recorded, {"made": Actual(partitions=1, config={})})
    assert refreshed["later"] == recorded["later"]
    assert "pending" not in refreshed["made"]


HOLDS = "holds 5 records"
DATA_LOSS = [
    # (case, recorded, declared, holding, explicit, protected, deleted, refusal or "")
    ("removed and empty", {"a": spec()}, {}, {}, False, False, ["a"], ""),
    (
        "removed holding data",
        {"a": spec()},
        {},
        {"a": HOLDS},
        False,
        False,
        ["a"],
        "topic a is not deleted: it holds 5",
    ),
    ("its own flag", {"a": spec(allow_data_loss=True)}, {}, {"a": HOLDS}, False, False, ["a"], ""),
    ("the operator's word", {"a": spec()}, {}, {"a": HOLDS}, True, False, ["a"], ""),
    ("protected, even empty", {"a": spec()}, {}, {}, False, True, ["a"], "this stack protects its topics"),
    ("protected, flag set first", {"a": spec(allow_data_loss=True)}, {}, {}, False, True, ["a"], ""),
    (
        "two holding data",
        {"a": spec(), "b": spec()},
        {},
        {"a": HOLDS, "b": "has offsets committed by consumer group g"},
        False,
        False,
        ["a", "b"],
        "2 topics are not deleted, they hold data: a holds 5 records; b has offsets",
    ),
    (
        "renamed, the new name accepting the loss",
        {"a": spec()},
        {"b": {**spec(allow_data_loss=True), "renamed_from": "a"}},
        {"a": HOLDS},
        False,
        False,
        ["a"],
        "",
    ),
]


@pytest.mark.parametrize(
    ("recorded", "declared", "holding", "explicit", "protected", "deleted", "refusal"),
    [case[1:] for case in DATA_LOSS],
    ids=[case[0] for case in DATA_LOSS],
)
def test_the_plan_judges_data_loss_from_what_the_read_found(
    recorded, declared, holding, explicit, protected, deleted, refusal
):
    actual = {name: Actual() for name in recorded}
    made = plan(recorded, declared, actual, holding, explicit, protected)
    assert made.delete == deleted
    if refusal:
        assert len(made.refusals) == 1 and refusal in made.refusals[0].reason
    else:
        assert made.refusals == []
    # What the read asks about is what the plan judges: the topics it would delete that may go only when empty.
    if refusal and not protected:
        assert set(holding) <= set(data_checks(recorded, declared, actual, explicit))
