"""A state of single topic and binding resources folded into the catalog's and the platform's sets."""

from __future__ import annotations

import pickle

import pytest

from components.compat.single_to_sets import FormerSingleProvider, has_single_layout, to_set_layout
from components.rules.acl import binding_id
from components.rules.names import ACL, ACL_SET, TOPIC, TOPIC_SET, dynamic_token, token
from components.rules.packed_members import pack, unpack

STACK = "urn:pulumi:prod::caracal-kafka::"
CATALOG = f"{STACK}caracal:kafka:Catalog::caracal"
PLATFORM = f"{STACK}caracal:kafka:Platform::caracal"
PLATFORM_ACL = f"{STACK}caracal:kafka:Platform${dynamic_token(ACL)}::caracal-acl-registry"
REGISTRY = f"{STACK}caracal:kafka:Platform$caracal:kafka:SchemaRegistry::caracal-registry"
READY = f"{STACK}caracal:kafka:Platform${dynamic_token('Readiness')}::caracal-kafka-ready"
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}
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


def topic(name: str, partitions: int, protect: bool = False, owner: str = "Catalog") -> dict:
    spec = {"partitions": partitions, "replication_factor": 3, "config": {"retention.ms": "604800000"}}
    properties = {"__provider": "old", "name": name, **spec, "allow_data_loss": False, "adopt": False}
    return {
        "urn": f"{STACK}caracal:kafka:{owner}${dynamic_token(TOPIC)}::caracal-topic-{name}",
        "custom": True,
        "id": name,
        "type": dynamic_token(TOPIC),
        "inputs": {**properties, "connection": SECRET},
        "outputs": {**properties, "connection": SECRET},
        "parent": PLATFORM if owner == "Platform" else CATALOG,
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


def deployment(*catalog_resources: dict, platform: tuple[dict, ...] = ()) -> list[dict]:
    return [
        {"urn": f"{STACK}pulumi:pulumi:Stack::caracal-kafka-prod", "type": "pulumi:pulumi:Stack"},
        {"urn": PLATFORM, "type": token("Platform")},
        {"urn": READY, "type": dynamic_token("Readiness"), "custom": True, "id": "ready"},
        *platform,
        {"urn": REGISTRY, "type": token("SchemaRegistry"), "dependencies": [item["urn"] for item in platform]},
        {"urn": CATALOG, "type": token("Catalog"), "dependencies": [READY]},
        *catalog_resources,
        {"urn": f"{STACK}caracal:kafka:Catalog${dynamic_token('Subject')}::s", "dependencies": [topic("a", 1)["urn"]]},
    ]


def test_single_topics_and_bindings_fold_into_one_set_each_recording_the_same():
    before = deployment(topic("a", 3, protect=True), topic("b", 6), acl())
    assert has_single_layout(before)
    after = to_set_layout(before, PROVIDERS)
    assert not has_single_layout(after)
    by_urn = {resource["urn"]: resource for resource in after}
    topics = by_urn[f"{STACK}caracal:kafka:Catalog${dynamic_token(TOPIC_SET)}::caracal-topics"]
    assert topics["id"] == "catalog-topics" and topics["type"] == dynamic_token(TOPIC_SET)
    spec = {"replication_factor": 3, "config": {"retention.ms": "604800000"}, "allow_data_loss": False, "adopt": False}
    assert topics["outputs"] == {
        "__provider": "topic-set-provider",
        "topics": pack({"a": {"partitions": 3, **spec}, "b": {"partitions": 6, **spec}}),
        "connection": SECRET,
        "set_id": "catalog-topics",
        "protect_data": True,
    }
    assert topics["inputs"]["topics"] == topics["outputs"]["topics"]
    assert topics["protect"] is True and topics["parent"] == CATALOG
    assert topics["dependencies"] == [READY] and topics["additionalSecretOutputs"] == ["connection"]
    assert "stackTrace" not in topics
    acls = by_urn[f"{STACK}caracal:kafka:Catalog${dynamic_token(ACL_SET)}::caracal-acls"]
    assert acls["outputs"]["bindings"] == pack({binding_id(BINDING): BINDING})
    assert acls["outputs"]["__provider"] == "acl-set-provider"


def test_the_sets_take_the_place_of_the_first_single_and_references_follow_them():
    after = to_set_layout(deployment(topic("a", 3), acl(), topic("b", 6)), PROVIDERS)
    urns = [resource["urn"] for resource in after]
    topic_set = f"{STACK}caracal:kafka:Catalog${dynamic_token(TOPIC_SET)}::caracal-topics"
    assert urns.index(topic_set) == 5 and urns.index(topic_set) < urns.index(
        f"{STACK}caracal:kafka:Catalog${dynamic_token(ACL_SET)}::caracal-acls"
    )
    assert after[-1]["dependencies"] == [topic_set]


REGISTRY_SINGLES = (
    topic("kafkasql-journal", 1, protect=True, owner="Platform"),
    topic("kafkasql-snapshots", 1, protect=True, owner="Platform"),
    acl(parent=PLATFORM, urn=PLATFORM_ACL),
)


def test_the_registrys_storage_topics_and_bindings_fold_into_sets_of_the_platform_recording_the_same():
    before = deployment(topic("a", 3), platform=REGISTRY_SINGLES)
    assert has_single_layout(deployment(platform=REGISTRY_SINGLES))
    after = to_set_layout(before, PROVIDERS)
    assert not has_single_layout(after)
    by_urn = {resource["urn"]: resource for resource in after}
    storage = by_urn[f"{STACK}caracal:kafka:Platform${dynamic_token(TOPIC_SET)}::caracal-registry-topics"]
    assert storage["id"] == "registry-topics" and storage["parent"] == PLATFORM
    assert set(unpack("topics", storage["outputs"]["topics"])) == {"kafkasql-journal", "kafkasql-snapshots"}
    # Protected as it was, and the set's own guard protects its topics too.
    assert storage["protect"] is True and storage["inputs"]["protect_data"] is True
    assert storage["inputs"]["set_id"] == storage["outputs"]["set_id"] == "registry-topics"
    bindings = by_urn[f"{STACK}caracal:kafka:Platform${dynamic_token(ACL_SET)}::caracal-registry-acls"]
    assert bindings["id"] == "registry-acls" and unpack("bindings", bindings["outputs"]["bindings"]) == {
        binding_id(BINDING): BINDING
    }
    # The registry waited for its topics and bindings: it now waits for their sets.
    assert by_urn[REGISTRY]["dependencies"] == [storage["urn"], bindings["urn"]]
    # The catalog's own set is another set.
    assert by_urn[f"{STACK}caracal:kafka:Catalog${dynamic_token(TOPIC_SET)}::caracal-topics"]["id"] == "catalog-topics"


def test_a_converted_state_is_left_alone():
    converted = to_set_layout(deployment(topic("a", 3), acl(), platform=REGISTRY_SINGLES), PROVIDERS)
    assert not has_single_layout(converted)
    assert to_set_layout(converted, PROVIDERS) == converted


@pytest.mark.parametrize(
    ("module", "name"),
    [("components.providers.topic", "TopicProvider"), ("components.providers.acl", "AclProvider")],
)
def test_a_former_single_provider_unpickles_to_a_refusal_that_says_what_to_run(module, name):
    # What the engine hands the provider host for a single resource of a stack that was not rewritten: the
    # provider pickled by reference under its former module (protocol 0 names it in plain lines).
    pickled = (
        pickle.dumps(FormerSingleProvider(), protocol=0)
        .replace(b"components.compat.single_to_sets", module.encode())
        .replace(b"FormerSingleProvider", name.encode())
    )
    provider = pickle.loads(pickled)
    for call in (lambda: provider.delete("caracal.dlq", {}), lambda: provider.read("caracal.dlq", {})):
        with pytest.raises(RuntimeError, match=r"scripts/recover\.py STACK"):
            call()
