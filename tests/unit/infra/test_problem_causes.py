"""A bad setting or catalog entry is reported once per cause: a stack setting every topic inherits is named once, by
its key; topics that break one rule with the same values share one line; and the program reports each cause as a
Pulumi error of its own and stops without a Python traceback."""

from __future__ import annotations

import copy

import pytest
import yaml

from components.rules.stack_settings import SettingsError
from infra import settings as settings_module
from infra.settings import ROOT, USER_ACTIONABLE_EXIT, checked, load_settings, stack_settings
from tests.unit.harness import stack_config

SCHEMAS = ROOT / "schemas"
CATALOG = yaml.safe_load((ROOT / "stacks" / "catalog.yaml").read_text())
STACK_CAUSE = "caracal-kafka:minInsyncReplicas = 3: not allowed; allowed: less than replicationFactor (3)"


def problems_of(raw: dict[str, str], stack: str, root=ROOT) -> list[str]:
    with pytest.raises(SettingsError) as error:
        load_settings(raw, stack, root)
    return error.value.problems


def project_with(tmp_path, document):
    (tmp_path / "stacks").mkdir()
    (tmp_path / "schemas").symlink_to(SCHEMAS)
    (tmp_path / "stacks" / "catalog.yaml").write_text(yaml.safe_dump(document))
    return tmp_path


def test_a_stack_setting_every_topic_inherits_is_reported_once_by_its_key():
    problems = problems_of(stack_config("prod") | {"caracal-kafka:minInsyncReplicas": "3"}, "prod")
    assert len(problems) == 1, problems
    assert problems[0].startswith(STACK_CAUSE)
    assert "topics[" not in problems[0]


def test_a_replication_factor_beyond_the_brokers_is_reported_once_for_the_stack_not_per_topic():
    raw = stack_config("prod") | {"caracal-kafka:brokers": "2"}
    problems = problems_of(raw, "prod")
    assert [problem for problem in problems if "replicationFactor" in problem.split(":", 2)[1]] == [
        "caracal-kafka:replicationFactor = 3: not allowed; allowed: at most brokers (2)"
    ]
    assert not [problem for problem in problems if "topics[" in problem], problems


def test_topics_breaking_one_rule_with_the_same_values_share_one_line(tmp_path):
    document = copy.deepcopy(CATALOG)
    for topic in document["topics"][:2]:
        topic.setdefault("config", {})["min.insync.replicas"] = 3
    names = ", ".join(topic["name"] for topic in document["topics"][:2])
    problems = problems_of(stack_config("prod"), "prod", project_with(tmp_path, document))
    assert problems == [
        f"caracal-kafka:catalog: topics[{names}].config.min.insync.replicas = 3: not allowed; allowed: less than "
        "the topic's replication factor (3): with both equal, acks=all writes stop whenever one broker is down; set "
        "allowMinInsyncEqualReplicas: true to accept that"
    ]


def test_a_topic_of_its_own_replication_is_judged_with_the_stacks_min_insync_replicas(tmp_path):
    document = copy.deepcopy(CATALOG)
    document["topics"][0]["replication_factor"] = 2
    name = document["topics"][0]["name"]
    problems = problems_of(stack_config("prod"), "prod", project_with(tmp_path, document))
    assert problems == [
        f"caracal-kafka:catalog: topics[{name}].config.min.insync.replicas = 2: not allowed; allowed: less than "
        "the topic's replication factor (2): with both equal, acks=all writes stop whenever one broker is down; set "
        "allowMinInsyncEqualReplicas: true to accept that"
    ]


def test_the_same_problem_found_twice_is_reported_once_in_the_order_found():
    error = SettingsError(["b: not allowed", "a: not allowed", "b: not allowed"])
    assert error.problems == ["b: not allowed", "a: not allowed"]
    assert str(error) == "invalid stack configuration:\n  b: not allowed\n  a: not allowed"


def test_the_program_reports_each_cause_as_a_pulumi_error_and_exits_without_a_traceback(monkeypatch):
    raw = stack_config("prod") | {"caracal-kafka:minInsyncReplicas": "3", "caracal-kafka:brokres": "3"}
    monkeypatch.setattr(settings_module, "raw_config", lambda: raw)
    monkeypatch.setattr(settings_module, "secret_config_keys", set)
    reported: list[str] = []
    monkeypatch.setattr("pulumi.log.error", reported.append)
    with pytest.raises(SystemExit) as stopped:
        stack_settings("prod")
    # 32: the language host's code for "the program reported its error itself" (no unhandled-exception report).
    assert stopped.value.code == USER_ACTIONABLE_EXIT == 32
    assert stopped.value.__cause__ is None and stopped.value.__suppress_context__
    assert len(reported) == 2 and reported[0].startswith("caracal-kafka:brokres: unknown key")
    assert reported[1].startswith(STACK_CAUSE)


def test_a_setting_refused_later_in_the_program_is_reported_the_same_way(monkeypatch):
    reported: list[str] = []
    monkeypatch.setattr("pulumi.log.error", reported.append)

    def read_roll_plan() -> None:
        raise SettingsError(["caracal-kafka:brokers = 1: not allowed now: broker 2 holds replicas"] * 2)

    with pytest.raises(SystemExit) as stopped:
        checked(read_roll_plan)
    assert stopped.value.code == USER_ACTIONABLE_EXIT
    assert reported == ["caracal-kafka:brokers = 1: not allowed now: broker 2 holds replicas"]
    assert checked(len, "abc") == 3


def test_a_topic_with_its_own_min_insync_replicas_is_not_blamed_for_the_stacks_replication_factor(tmp_path):
    document = copy.deepcopy(CATALOG)
    document["topics"][0].setdefault("config", {})["min.insync.replicas"] = 1
    raw = stack_config("prod") | {"caracal-kafka:brokers": "2"}
    problems = problems_of(raw, "prod", project_with(tmp_path, document))
    assert [problem for problem in problems if "replication" in problem.lower()] == [
        "caracal-kafka:replicationFactor = 3: not allowed; allowed: at most brokers (2)"
    ]
