"""What crosses the engine: doubles and placeholders converted once, typed args, and providers pickled in stacks
written before the modules moved."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown
from pulumi.runtime import rpc

from components.providers import acl_set, readiness, scram_user, subject, topic_set, user_quota
from components.providers.props import check_result, from_engine, to_engine
from components.providers.resource import PlatformProvider
from components.providers.topic_set import TopicSetArgs
from components.rules.values import UNKNOWN, Failure

FORMER_PICKLES = json.loads((Path(__file__).parent / "former_providers.json").read_text())


def test_whole_doubles_become_ints_and_placeholders_unknown_at_any_depth():
    engine = {
        "partitions": 3.0,
        "ratio": 0.5,
        "flag": True,
        "config": {"retention.ms": Unknown()},
        "refs": [2.0, rpc.UNKNOWN],
    }
    assert from_engine(engine) == {
        "partitions": 3, "ratio": 0.5, "flag": True, "config": {"retention.ms": UNKNOWN}, "refs": [2, UNKNOWN]
    }  # fmt: skip
    assert isinstance(from_engine(engine)["partitions"], int)


def test_unknown_goes_back_to_the_engine_as_its_marker():
    assert to_engine({"a": UNKNOWN, "b": [UNKNOWN, 1], "c": "x"}) == {"a": rpc.UNKNOWN, "b": [rpc.UNKNOWN, 1], "c": "x"}
    result = check_result({"partitions": UNKNOWN}, [Failure("name", "allowed: a name")])
    assert result.inputs == {"partitions": rpc.UNKNOWN}
    assert [(failure.property, failure.reason) for failure in result.failures] == [("name", "allowed: a name")]


def test_every_provider_method_sees_converted_values():
    seen = {}

    class Probe(PlatformProvider):
        def diff(self, id_, olds, news):
            seen.update(id=id_, olds=olds, news=news)

    Probe().diff("topic-a", {"partitions": 3.0}, {"partitions": Unknown()})
    assert seen == {"id": "topic-a", "olds": {"partitions": 3}, "news": {"partitions": UNKNOWN}}


def test_typed_args_go_to_the_engine_as_one_property_each_and_come_back_equal():
    args = TopicSetArgs(topics={"t": {"partitions": 3}}, connection={"k": "v"}, set_id="registry-topics")
    props = args.to_props()
    assert set(props) == {"topics", "connection", "protect_data", "set_id", "tool_runner", "brokers", "throttle_mbps"}
    assert TopicSetArgs.from_props({**props, "__provider": "pickled", "extra": 1}) == args


@pytest.mark.parametrize("name", sorted(FORMER_PICKLES))
def test_providers_pickled_under_their_former_module_paths_unpickle_as_todays(name):
    current = {
        "SubjectProvider": subject.SubjectProvider,
        "ScramUserProvider": scram_user.ScramUserProvider,
        "UserQuotaProvider": user_quota.UserQuotaProvider,
        "ReadinessProvider": readiness.ReadinessProvider,
    }[name]
    pickled = base64.b64decode(FORMER_PICKLES[name])
    assert (
        b"components." + current.__module__.split(".")[-1].encode() in pickled
    )  # the former path, e.g. components.topic
    assert type(dill.loads(pickled)) is current


@pytest.mark.parametrize(
    "provider", [topic_set.TopicSetProvider, acl_set.AclSetProvider], ids=lambda kind: kind.__name__
)
def test_a_provider_is_stored_by_its_module_path_not_by_value(provider):
    # As the engine stores it: by reference, so a stack keeps no copy of the code, the session or a connection.
    pickled = base64.b64decode(serialize_provider(provider()))
    assert provider.__module__.encode() in pickled
    assert b"SESSION" not in pickled
    assert type(dill.loads(pickled)) is provider
