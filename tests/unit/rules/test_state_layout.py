"""A state of single topic and binding resources folded into the catalog's sets; interrupted set updates."""

from __future__ import annotations

import pytest

from components.rules.acl import binding_id
from components.rules.names import ACL, ACL_SET, TOPIC, TOPIC_SET, dynamic_token, token
from components.rules.packed_members import pack, unpack
from components.rules.state_layout import has_single_layout, set_kinds, to_set_layout, with_interrupted_updates

STACK = "urn:pulumi:prod::caracal-kafka::"
CATALOG = f"{STACK}caracal:kafka:Catalog::caracal"
PLATFORM_ACL = f"{STACK}caracal:kafka:Platform${dynamic_token(ACL)}::caracal-acl-registry"
READY = f"{STACK}caracal:kafka:Platform${dynamic_token('Readiness')}::caracal-kafka-ready"
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}
KINDS = set_kinds("catalog-topics", "catalog-acls")
PROVIDERS = {TOPIC_SET: "topic-set-provider", ACL_SET: "acl-set-provider"}
BINDING = {
    "principal": "User:producer",
    "resource_type": "TOPIC",
    "resource_name": "caracal.",
    "pattern_type": "PREFIXED",
    "operation": "WRITE",
    "permission": "ALLOW",
    "host": "*",
}


def topic(name: str, partitions: int, protect: bool = False) -> dict:
    spec = {"partitions": partitions, "replication_factor": 3, "config": {"retention.ms": "604800000"}}
    properties = {"__provider": "old", "name": name, **spec, "allow_data_loss": False, "adopt": False}
    return {
        "urn": f"{STACK}caracal:kafka:Catalog${dynamic_token(TOPIC)}::caracal-topic-{name}",
        "custom": True,
        "id": name,
        "type": dynamic_token(TOPIC),
        "inputs": {**properties, "connection": SECRET},
        "outputs": {**properties, "connection": SECRET},
        "parent": CATALOG,
        "protect": protect,
        "dependencies": [READY],
        "propertyDependencies": {"connection": [READY]},
        "stackTrace": {"frames": []},
    }


def acl(parent: str = CATALOG, urn: str = "") -> dict:
    properties = {"__provider": "old", **BINDING, "connection": SECRET}
    return {
        "urn": urn or f"{STACK}caracal:kafka:Catalog${dynamic_token(ACL)}::caracal-acl-producer",
        "custom": True,
        "id": binding_id(BINDING),
        "type": dynamic_token(ACL),
        "inputs": properties,
        "outputs": properties,
        "parent": parent,
        "dependencies": [READY],
    }


def deployment(*catalog_resources: dict) -> list[dict]:
    return [
        {"urn": f"{STACK}pulumi:pulumi:Stack::caracal-kafka-prod", "type": "pulumi:pulumi:Stack"},
        {"urn": READY, "type": dynamic_token("Readiness"), "custom": True, "id": "ready"},
        acl(parent=f"{STACK}caracal:kafka:Platform::caracal", urn=PLATFORM_ACL),
        {"urn": CATALOG, "type": token("Catalog"), "dependencies": [READY]},
        *catalog_resources,
        {"urn": f"{STACK}caracal:kafka:Catalog${dynamic_token('Subject')}::s", "dependencies": [topic("a", 1)["urn"]]},
    ]


def test_single_topics_and_bindings_fold_into_one_set_each_recording_the_same():
    before = deployment(topic("a", 3, protect=True), topic("b", 6), acl())
    assert has_single_layout(before)
    after = to_set_layout(before, KINDS, PROVIDERS)
    assert not has_single_layout(after)
    by_urn = {resource["urn"]: resource for resource in after}
    topics = by_urn[f"{STACK}caracal:kafka:Catalog${dynamic_token(TOPIC_SET)}::caracal-topics"]
    assert topics["id"] == "catalog-topics" and topics["type"] == dynamic_token(TOPIC_SET)
    spec = {"replication_factor": 3, "config": {"retention.ms": "604800000"}, "allow_data_loss": False, "adopt": False}
    assert topics["outputs"] == {
        "__provider": "topic-set-provider",
        "topics": pack({"a": {"partitions": 3, **spec}, "b": {"partitions": 6, **spec}}),
        "connection": SECRET,
    }
    assert topics["inputs"]["topics"] == topics["outputs"]["topics"]
    assert topics["protect"] is True and topics["parent"] == CATALOG
    assert topics["dependencies"] == [READY] and topics["additionalSecretOutputs"] == ["connection"]
    assert "stackTrace" not in topics
    acls = by_urn[f"{STACK}caracal:kafka:Catalog${dynamic_token(ACL_SET)}::caracal-acls"]
    assert acls["outputs"]["bindings"] == pack({binding_id(BINDING): BINDING})
    assert acls["outputs"]["__provider"] == "acl-set-provider"


def test_the_sets_take_the_place_of_the_first_single_and_references_follow_them():
    after = to_set_layout(deployment(topic("a", 3), acl(), topic("b", 6)), KINDS, PROVIDERS)
    urns = [resource["urn"] for resource in after]
    topic_set = f"{STACK}caracal:kafka:Catalog${dynamic_token(TOPIC_SET)}::caracal-topics"
    assert urns.index(topic_set) == 4 and urns.index(topic_set) < urns.index(
        f"{STACK}caracal:kafka:Catalog${dynamic_token(ACL_SET)}::caracal-acls"
    )
    assert after[-1]["dependencies"] == [topic_set]


def test_the_platforms_own_bindings_and_a_converted_state_are_left_alone():
    platform_only = deployment()
    assert not has_single_layout(platform_only)
    assert to_set_layout(platform_only, KINDS, PROVIDERS) == platform_only


# A set recorded before its members were packed holds them as a mapping: both are read.
@pytest.mark.parametrize("form", [pack, dict], ids=["packed", "mapping"])
def test_an_interrupted_set_update_records_the_members_it_declared_beside_the_recorded_ones(form):
    recorded = form({"a": {"partitions": 3}})
    resource = {
        "urn": "urn:set",
        "type": dynamic_token(TOPIC_SET),
        "inputs": {"topics": recorded},
        "outputs": {"topics": recorded},
    }
    other = {"type": "creating", "resource": {"urn": "urn:x", "type": dynamic_token(TOPIC)}}
    pending = [
        {
            "type": "updating",
            "resource": {**resource, "inputs": {"topics": pack({"a": {"partitions": 9}, "b": {"partitions": 1}})}},
        },
        other,
    ]
    resources, remaining = with_interrupted_updates([resource], pending, KINDS)
    assert remaining == [other]
    written = resources[0]["inputs"]["topics"]
    assert unpack("topics", written) == {"a": {"partitions": 3}, "b": {"partitions": 1, "pending": True}}
    assert isinstance(written, str)
    assert resources[0]["outputs"]["topics"] == resources[0]["inputs"]["topics"]


def test_without_interrupted_set_updates_nothing_changes():
    resource = {"urn": "urn:set", "type": dynamic_token(ACL_SET), "inputs": {}, "outputs": {}}
    pending = [{"type": "updating", "resource": {"urn": "urn:c", "type": "docker:index/container:Container"}}]
    assert with_interrupted_updates([resource], pending, KINDS) == ([resource], pending)
