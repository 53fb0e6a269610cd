"""The resource graph of the dev and prod stacks, built on Pulumi mocks."""

from __future__ import annotations

import pulumi
import pytest

from components.platform.catalog import CatalogResources
from components.platform.platform import Platform
from components.rules.names import ACL, ACL_SET, CLUSTER_DEFAULTS, SCRAM_USER, SUBJECT, TOPIC, TOPIC_SET
from components.rules.packed_members import unpack
from tests.unit.harness import settings_for

DAY_MS = 86_400_000


def build(stack: str):
    settings = settings_for(stack)
    platform = Platform("caracal", settings)
    catalog = CatalogResources("caracal", settings, platform)
    return settings, platform, catalog


def settled(stack: str, verify) -> pulumi.Output:
    """Build the stack; run `verify` once every resource of it is registered."""
    _, platform, catalog = build(stack)
    resources = [
        platform.registry_ready,
        catalog.topics,
        *catalog.subjects.values(),
        *catalog.users.values(),
        catalog.acls,
    ]
    return pulumi.Output.all(catalog.client_configs, *(resource.id for resource in resources)).apply(verify)


def catalog_topics(monitor) -> dict:
    """The catalog's topics: name -> spec, as its one TopicSet declares them."""
    [topic_set] = [item for item in monitor.dynamic(TOPIC_SET) if item.name == "caracal-topics"]
    return unpack("topics", topic_set.inputs["topics"])


def containers(monitor, role: str):
    return [item for item in monitor.of_type("docker:index/container:Container") if f"-{role}-" in item.inputs["name"]]


@pytest.mark.parametrize(("stack", "zookeepers", "brokers"), [("dev", 1, 1), ("prod", 3, 3)])
def test_stack_runs_its_number_of_zookeeper_nodes_and_brokers(monitor, stack, zookeepers, brokers):
    @pulumi.runtime.test
    def check():
        def verify(_):
            assert len(containers(monitor, "zookeeper")) == zookeepers
            assert len(containers(monitor, "kafka")) == brokers
            assert [item.inputs["name"] for item in containers(monitor, "schema")] == [
                f"caracal-{stack}-schema-registry",
                f"caracal-{stack}-schema-registry-proxy",
            ]
            names = {item.inputs["name"] for item in monitor.of_type("Container")}
            assert all(name.startswith(f"caracal-{stack}-") for name in names)

        return settled(stack, verify)

    check()


def upload(config_volume, path: str) -> str:
    return next(item["content"] for item in config_volume.inputs["files"] if item["path"] == path)


@pytest.mark.parametrize(("stack", "replication", "min_isr", "days"), [("dev", 1, 1, 7), ("prod", 3, 2, 30)])
def test_brokers_get_the_stacks_replication_and_retention_defaults(monitor, stack, replication, min_isr, days):
    @pulumi.runtime.test
    def check():
        def verify(_):
            for broker in containers(monitor, "kafka"):
                properties = upload(monitor.named(f"{broker.name}-config"), "/etc/kafka/server.properties")
                assert f"default.replication.factor={replication}\n" in properties
                assert f"offsets.topic.replication.factor={replication}\n" in properties
                assert "min.insync.replicas=" not in properties
                assert "log.retention.ms=" not in properties
            # Retention and min.insync.replicas are cluster defaults Kafka changes at run time: no restart.
            [defaults] = monitor.dynamic(CLUSTER_DEFAULTS)
            assert defaults.inputs["values"] == {
                "log.retention.ms": str(days * DAY_MS),
                "min.insync.replicas": str(min_isr),
            }

        return settled(stack, verify)

    check()


EXPECTED_PARTITIONS = {
    "caracal.metering.events": 10,
    "caracal.policy.decisions": 5,
    "caracal.agent.lifecycle": 3,
    "caracal.policy.changes": 3,
    "caracal.dlq": 3,
}


@pytest.mark.parametrize(("stack", "replication", "min_isr", "days"), [("dev", 1, 1, 7), ("prod", 3, 2, 30)])
def test_every_topic_has_its_partitions_and_the_stacks_configs(monitor, stack, replication, min_isr, days):
    @pulumi.runtime.test
    def check():
        def verify(_):
            topics = catalog_topics(monitor)
            assert {name: spec["partitions"] for name, spec in topics.items()} == EXPECTED_PARTITIONS
            for spec in topics.values():
                assert spec["replication_factor"] == replication
                assert spec["config"] == {
                    "compression.type": "snappy",
                    "cleanup.policy": "delete",
                    "min.insync.replicas": str(min_isr),
                    "retention.ms": str(days * DAY_MS),
                }

        return settled(stack, verify)

    check()


def test_every_subject_is_registered_with_its_schema_and_backward_compatibility(monitor):
    @pulumi.runtime.test
    def check():
        def verify(_):
            subjects = {item.inputs["subject"]: item.inputs for item in monitor.dynamic(SUBJECT)}
            assert set(subjects) == {f"{topic}-value" for topic in EXPECTED_PARTITIONS if topic != "caracal.dlq"}
            for subject in subjects.values():
                assert subject["compatibility"] == "BACKWARD"
                assert '"type":"record"' in subject["schema"]

        return settled("dev", verify)

    check()


def test_each_broker_certificate_names_its_host_and_the_loopback_address(monitor):
    @pulumi.runtime.test
    def check():
        def verify(_):
            requests = {item.inputs["subject"]["commonName"]: item.inputs for item in monitor.of_type("CertRequest")}
            for index in range(3):
                request = requests[f"kafka-{index}"]
                assert request["dnsNames"] == [f"kafka-{index}", "localhost"]
                assert request["ipAddresses"] == ["127.0.0.1"]
            assert requests["schema-registry"]["dnsNames"] == ["schema-registry", "localhost"]
            assert requests["zookeeper-2"]["dnsNames"] == [
                "zookeeper-2",
                "caracal-prod-zookeeper-2",
                "caracal-prod-zookeeper-2.caracal-prod",
            ]

        return settled("prod", verify)

    check()


def test_brokers_start_after_zookeeper_and_publish_only_on_loopback(monitor):
    @pulumi.runtime.test
    def check():
        def verify(_):
            zookeeper_urns = {item.urn for item in containers(monitor, "zookeeper")}
            for broker in containers(monitor, "kafka"):
                assert zookeeper_urns <= set(broker.dependencies)
            for container in monitor.of_type("Container"):
                assert all(port["ip"] == "127.0.0.1" for port in container.inputs.get("ports", []))
            published = {
                broker.inputs["name"]: [port["external"] for port in broker.inputs["ports"]]
                for broker in containers(monitor, "kafka")
            }
            assert published == {f"caracal-prod-kafka-{i}": [29093 + i] for i in range(3)}

        return settled("prod", verify)

    check()


def test_topics_users_acls_and_subjects_wait_for_the_services_they_talk_to(monitor):
    @pulumi.runtime.test
    def check():
        def verify(_):
            kafka_ready = monitor.named("caracal-kafka-ready").urn
            registry_ready = monitor.named("caracal-registry-ready").urn
            for provider in (TOPIC_SET, SCRAM_USER, ACL_SET):
                resources = monitor.dynamic(provider)
                assert resources
                assert all(kafka_ready in item.dependencies for item in resources), provider
            # One path for topics and bindings: the single resources are gone.
            assert monitor.dynamic(TOPIC) == [] and monitor.dynamic(ACL) == []
            subjects = monitor.dynamic(SUBJECT)
            assert all(registry_ready in item.dependencies for item in subjects)
            registry = containers(monitor, "schema")[0]
            registry_user = monitor.named("caracal-user-schema-registry").urn
            registry_acls = monitor.named("caracal-registry-acls")
            bindings = unpack("bindings", registry_acls.inputs["bindings"])
            assert len(bindings) == 10  # 3 storage topics x READ, WRITE, DESCRIBE + its groups
            assert {binding["principal"] for binding in bindings.values()} == {"User:schema-registry"}
            assert registry_acls.inputs["set_id"] == "registry-acls"
            registry_topics = monitor.named("caracal-registry-topics").urn
            assert {registry_user, registry_acls.urn, registry_topics} <= set(registry.dependencies)

        return settled("dev", verify)

    check()


def test_the_catalogs_bindings_are_written_before_its_topics(monitor):
    # A new topic is never there without the bindings declared with it, a removed one goes before its bindings,
    # and a KRaft broker applies bindings written after thousands of topics only once it has made their logs.
    @pulumi.runtime.test
    def check():
        def verify(_):
            topics, acls = monitor.named("caracal-topics"), monitor.named("caracal-acls")
            assert acls.urn in topics.dependencies
            assert topics.urn not in acls.dependencies

        return settled("dev", verify)

    check()


@pytest.mark.parametrize(("stack", "protected"), [("dev", False), ("prod", True)])
def test_prod_protects_topics_subjects_and_data_volumes_from_deletion(monitor, stack, protected):
    @pulumi.runtime.test
    def check():
        def verify(_):
            data = monitor.dynamic(TOPIC_SET) + monitor.dynamic(SUBJECT)
            data += monitor.of_type("docker:index/volume:Volume")
            registry_storage = 1
            # prod: 3 ZooKeeper nodes, 3 brokers and Prometheus (metrics: true).
            assert len(data) == 1 + 4 + registry_storage + (2 if stack == "dev" else 7)
            assert all(item.protect is protected for item in data)
            # Each topic set protects its topics itself too: none leaves it without allow_data_loss first.
            assert all(item.inputs["protect_data"] is protected for item in monitor.dynamic(TOPIC_SET))

        return settled(stack, verify)

    check()


def test_the_registry_keeps_its_schemas_in_topics_that_never_expire_and_exist_before_it_starts(monitor):
    @pulumi.runtime.test
    def check():
        def verify(_):
            storage_set = monitor.named("caracal-registry-topics")
            storage = unpack("topics", storage_set.inputs["topics"])
            assert set(storage) == {"kafkasql-journal", "kafkasql-snapshots", "registry-events"}
            assert storage_set.inputs["set_id"] == "registry-topics"
            registry = containers(monitor, "schema")[0]
            for topic in storage.values():
                assert topic["partitions"] == 1
                assert topic["replication_factor"] == 3
                assert topic["config"]["retention.ms"] == "-1"
                assert topic["config"]["retention.bytes"] == "-1"
                assert topic["allow_data_loss"] is False
            assert storage_set.protect and storage_set.inputs["protect_data"] is True
            assert storage_set.urn in registry.dependencies

        return settled("prod", verify)

    check()


def test_a_renamed_topic_is_declared_with_its_former_name_so_the_set_guards_the_old_ones_removal(monitor, tmp_path):
    import yaml

    from infra.settings import ROOT

    document = yaml.safe_load((ROOT / "stacks" / "catalog.yaml").read_text())
    dlq = next(topic for topic in document["topics"] if topic["name"] == "caracal.dlq")
    dlq.update(name="caracal.dead-letters", renamed_from="caracal.dlq")
    (tmp_path / "catalog.yaml").write_text(yaml.safe_dump(document))

    @pulumi.runtime.test
    def check():
        settings = settings_for("dev", catalog=str(tmp_path / "catalog.yaml"), schemasDir=str(ROOT / "schemas"))
        platform = Platform("caracal", settings)
        catalog = CatalogResources("caracal", settings, platform)

        def verify(_):
            topics = catalog_topics(monitor)
            assert "caracal.dlq" not in topics
            assert topics["caracal.dead-letters"]["renamed_from"] == "caracal.dlq"

        return catalog.topics.id.apply(verify)

    check()


def test_the_program_wires_the_platform_and_exports_what_clients_need(monitor, monkeypatch):
    import runpy

    import infra.roll_plan
    from components.rules.roll import RollPlan
    from infra.settings import ROOT
    from tests.unit.harness import stack_config

    # What runs on the Docker host is read by infra.roll_plan (tested on its own); here nothing runs yet.
    monkeypatch.setattr(
        infra.roll_plan, "roll_plan", lambda _prefix, _servers, brokers, nodes: RollPlan.fresh(brokers, nodes)
    )
    pulumi.runtime.set_all_config(stack_config("dev"))

    @pulumi.runtime.test
    def check():
        program = runpy.run_path(str(ROOT / "infra" / "__main__.py"))

        def verify(_):
            assert program["settings"].stack == "dev"
            assert len(catalog_topics(monitor)) == 5
            assert len(monitor.dynamic(TOPIC_SET)) == 2  # the catalog's and the registry's storage

        # The registry's storage topics exist before it starts: once it is ready, all three are registered.
        return pulumi.Output.all(program["catalog"].topics.id, program["platform"].registry_ready.id).apply(verify)

    try:
        check()
    finally:
        pulumi.runtime.set_all_config({})


def test_a_certificate_rotation_replaces_every_served_key_and_keeps_the_ca(monitor):
    """certificateRotation is the key of each served certificate's replacement trigger: raising it reissues every
    certificate the platform serves (the CA signs them again; it is rotated by caGeneration instead)."""

    @pulumi.runtime.test
    def check():
        settings = settings_for("prod", certificateRotation=2)
        platform = Platform("caracal", settings)

        def verify(_):
            keys = monitor.of_type("tls:index/privateKey:PrivateKey")
            served = [key for key in keys if "-ca-" not in key.name and not key.name.startswith("caracal-ca")]
            hosts = {key.name.removesuffix("-key") for key in served}
            # Every node of the prod stack serves TLS: 3 ZooKeeper nodes, 3 brokers, the registry and its proxy,
            # Prometheus, Alertmanager, the lag exporter.
            assert len(served) >= 11, hosts
            assert {key.name: key.replacement_trigger for key in served} == {key.name: 2 for key in served}
            assert [key.replacement_trigger for key in keys if key not in served] == [None] * (len(keys) - len(served))

        return platform.registry_ready.id.apply(verify)

    check()
