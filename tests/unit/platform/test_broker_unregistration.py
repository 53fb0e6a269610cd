"""The order a KRaft stack's broker removal takes in the resource graph: each broker but broker 0 has a registration
its container depends on (so the engine deletes the registration, which unregisters the broker, only after the
container), and broker 0's container depends on every registration (so it still runs when they go). A ZooKeeper
stack has none. A leaving broker stays a super user of the controllers until it is gone."""

from __future__ import annotations

import pulumi

from components.clients.client_properties import parse_properties
from components.platform.platform import Platform
from components.rules.names import BROKER_REGISTRATION
from components.rules.roll import RollPlan
from tests.unit.harness import settings_for

PROD_KRAFT = {"metadataQuorum": "kraft", "controllers": 3, "zookeeperNodes": 1}


def brokers(monitor) -> dict[str, object]:
    found = monitor.of_type("docker:index/container:Container")
    return {item.inputs["name"]: item for item in found if "-kafka-" in item.inputs["name"]}


def settled(platform: Platform, verify) -> pulumi.Output:
    return pulumi.Output.all(*(c.id for c in platform.cluster.containers), platform.kafka_ready.id).apply(verify)


def test_a_kraft_brokers_registration_goes_after_its_container_and_before_broker_0s(monitor):
    @pulumi.runtime.test
    def check():
        platform = Platform("caracal", settings_for("prod", **PROD_KRAFT, brokers=4), None)

        def verify(_):
            registrations = {item.inputs["broker"]: item for item in monitor.dynamic(BROKER_REGISTRATION)}
            assert sorted(registrations) == [1, 2, 3]
            assert {item.inputs["through"] for item in registrations.values()} == {"caracal-prod-kafka-0"}
            containers = brokers(monitor)
            urns = {broker: item.urn for broker, item in registrations.items()}
            assert set(urns.values()) <= set(containers["caracal-prod-kafka-0"].dependencies)
            for broker in (1, 2, 3):
                dependencies = set(containers[f"caracal-prod-kafka-{broker}"].dependencies)
                assert dependencies & set(urns.values()) == {urns[broker]}

        return settled(platform, verify)

    check()


def test_a_zookeeper_stack_has_no_registration_to_remove(monitor):
    @pulumi.runtime.test
    def check():
        platform = Platform("caracal", settings_for("prod"), None)

        def verify(_):
            assert monitor.dynamic(BROKER_REGISTRATION) == []

        return settled(platform, verify)

    check()


def test_a_leaving_kraft_broker_stays_a_super_user_of_the_controllers_while_it_is_drained(monitor):
    @pulumi.runtime.test
    def check():
        # Broker 3 runs beyond the 3 brokers declared, holding 5 replicas: the balance drains it in this `up`.
        plan = RollPlan(True, (0, 1, 2), (), {3: 5}, (0, 1, 2))
        platform = Platform("caracal", settings_for("prod", **PROD_KRAFT), plan)

        def verify(_):
            found = monitor.of_type("docker:index/container:Container")
            controllers = [item for item in found if "-controller-" in item.inputs["name"]]
            assert len(controllers) == 3
            for controller in controllers:
                volume = monitor.named(f"{controller.name}-config")
                text = next(f["content"] for f in volume.inputs["files"] if f["path"] == "/etc/kafka/server.properties")
                users = parse_properties(text)["super.users"].split(";")
                assert "User:kafka-3" in users, users

        return settled(platform, verify)

    check()
