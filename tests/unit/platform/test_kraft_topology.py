"""A KRaft stack's resource graph on Pulumi mocks: dedicated controllers in a static quorum over mutual TLS,
brokers that wait for them, StandardAuthorizer everywhere, and the admin credential seeded without a secret on any
command line."""

from __future__ import annotations

import pulumi

from components.clients.client_properties import parse_properties
from components.platform.kraft_config import cluster_id
from components.platform.platform import Platform
from components.rules.names import ADMIN_CREDENTIAL, BROKER_IN_SYNC, CONTROLLER_GATE
from components.rules.roll import RollPlan
from tests.unit.harness import is_secret_value, settings_for

PROD_KRAFT = {"metadataQuorum": "kraft", "controllers": 3, "zookeeperNodes": 1}
VOTERS = "3000@controller-0:9094,3001@controller-1:9094,3002@controller-2:9094"


def build(plan: RollPlan | None = None, stack: str = "prod", **overrides) -> Platform:
    return Platform("caracal", settings_for(stack, **(PROD_KRAFT | overrides)), plan)


def containers(monitor, role: str):
    found = [item for item in monitor.of_type("docker:index/container:Container") if f"-{role}-" in item.inputs["name"]]
    return sorted(found, key=lambda item: item.inputs["name"])


def upload(monitor, container, path: str) -> str:
    volume = monitor.named(f"{container.name}-config")
    return next(item["content"] for item in volume.inputs["files"] if item["path"] == path)


def settled(platform: Platform, verify) -> pulumi.Output:
    return pulumi.Output.all(*(c.id for c in platform.cluster.containers), platform.kafka_ready.id).apply(verify)


def test_a_kraft_stack_runs_dedicated_controllers_and_no_zookeeper(monitor):
    @pulumi.runtime.test
    def check():
        platform = build()

        def verify(_):
            assert containers(monitor, "zookeeper") == []
            assert [c.inputs["name"] for c in containers(monitor, "controller")] == [
                f"caracal-prod-controller-{i}" for i in range(3)
            ]
            for controller in containers(monitor, "controller"):
                # Nothing of a controller is published: it serves the platform's network only.
                assert not controller.inputs.get("ports")
                assert controller.inputs["capabilities"]["drops"] == ["ALL"]
                assert controller.inputs["readOnly"] is True
                assert controller.inputs["user"] == "kafka"
            controller_urns = {c.urn for c in containers(monitor, "controller")}
            for broker in containers(monitor, "kafka"):
                assert controller_urns <= set(broker.dependencies)

        return settled(platform, verify)

    check()


def test_controllers_speak_mutual_tls_only_with_ids_apart_from_the_brokers(monitor):
    @pulumi.runtime.test
    def check():
        platform = build()

        def verify(_):
            for index, controller in enumerate(containers(monitor, "controller")):
                values = parse_properties(upload(monitor, controller, "/etc/kafka/server.properties"))
                assert values["process.roles"] == "controller"
                assert values["node.id"] == str(3000 + index)
                assert values["controller.quorum.voters"] == VOTERS
                assert values["listeners"] == "CONTROLLER://0.0.0.0:9094"
                assert values["listener.security.protocol.map"] == "CONTROLLER:SSL"
                assert values["listener.name.controller.ssl.client.auth"] == "required"
                assert values["authorizer.class.name"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
                assert values["allow.everyone.if.no.acl.found"] == "false"
                assert set(values["super.users"].split(";")) == {
                    "User:admin",
                    *(f"User:kafka-{i}" for i in range(3)),
                    *(f"User:controller-{i}" for i in range(3)),
                }

        return settled(platform, verify)

    check()


def test_brokers_reach_the_quorum_over_mutual_tls_and_keep_their_client_listeners_scram(monitor):
    @pulumi.runtime.test
    def check():
        platform = build()

        def verify(_):
            for index, broker in enumerate(containers(monitor, "kafka")):
                values = parse_properties(upload(monitor, broker, "/etc/kafka/server.properties"))
                assert (values["process.roles"], values["node.id"]) == ("broker", str(index))
                assert "broker.id" not in values and not any(key.startswith("zookeeper.") for key in values)
                assert values["controller.quorum.voters"] == VOTERS
                assert values["listener.security.protocol.map"] == (
                    "INTERNAL:SSL,CLIENT:SASL_SSL,EXTERNAL:SASL_SSL,CONTROLLER:SSL"
                )
                assert values["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
                assert values["authorizer.class.name"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
                assert "User:controller-2" in values["super.users"].split(";")
                script = upload(monitor, broker, "/etc/kafka/start.sh")
                assert "kafka.tools.StorageTool' 'format'" in script and "--add-scram" not in script

        return settled(platform, verify)

    check()


def test_the_admin_credential_is_seeded_from_a_secret_file_never_a_command_line(monitor):
    @pulumi.runtime.test
    def check():
        platform = build()

        def verify(_):
            for controller in containers(monitor, "controller"):
                assert controller.inputs["command"] == ["/bin/sh", "/etc/kafka/start.sh"]
                assert not controller.inputs.get("envs")
                script = upload(monitor, controller, "/etc/kafka/start.sh")
                assert "java @/etc/kafka/secrets/format.args\n" in script
                assert "password-of-caracal-scram-admin" not in script
                volume = monitor.named(f"{controller.name}-config")
                assert is_secret_value(volume.raw["files"])
                arguments = upload(monitor, controller, "/etc/kafka/secrets/format.args").splitlines()
                scram = arguments[arguments.index("--add-scram") + 1]
                assert scram == "SCRAM-SHA-512=[name=admin,iterations=8192,password=password-of-caracal-scram-admin]"
            # After each broker starts, it writes the credential again (repair and rotation), before it counts
            # as back.
            credentials = {item.inputs["node"]: item for item in monitor.dynamic(ADMIN_CREDENTIAL)}
            in_sync = {item.inputs["node"]: item for item in monitor.dynamic(BROKER_IN_SYNC)}
            assert set(credentials) == {"kafka-0", "kafka-1", "kafka-2"}
            for node, credential in credentials.items():
                assert credential.urn in in_sync[node].dependencies

        return settled(platform, verify)

    check()


def test_on_a_running_quorum_controllers_restart_one_after_another_the_active_one_last(monitor):
    @pulumi.runtime.test
    def check():
        platform = build(RollPlan(True, (0, 1, 2), (), controllers=(2, 0, 1), running_quorum=(0, 3)))

        def verify(_):
            gates = {item.inputs["node"]: item for item in monitor.dynamic(CONTROLLER_GATE)}
            by_host = {c.inputs["name"].removeprefix("caracal-prod-"): c for c in containers(monitor, "controller")}
            container_urns = {c.urn for c in by_host.values()}
            assert not container_urns & set(gates["controller-2"].dependencies)
            assert by_host["controller-2"].urn in gates["controller-0"].dependencies
            assert by_host["controller-0"].urn in gates["controller-1"].dependencies
            for host, gate in gates.items():
                assert gate.urn in by_host[host].dependencies
                assert gate.inputs["controllers"] == 3 and is_secret_value(gate.raw["revision"])

        return settled(platform, verify)

    check()


def test_a_dev_kraft_stack_runs_one_dedicated_controller(monitor):
    @pulumi.runtime.test
    def check():
        platform = build(stack="dev", controllers=1, zookeeperNodes=1)

        def verify(_):
            assert [c.inputs["name"] for c in containers(monitor, "controller")] == ["caracal-dev-controller-0"]
            assert len(containers(monitor, "kafka")) == 1

        return settled(platform, verify)

    check()


def test_each_scram_mechanism_of_the_admin_is_written_by_a_request_of_its_own(monitor):
    @pulumi.runtime.test
    def check():
        platform = build(saslMechanisms="SCRAM-SHA-512,SCRAM-SHA-256")

        def verify(_):
            paths = [
                "/etc/kafka/secrets/admin-scram-sha-512.properties",
                "/etc/kafka/secrets/admin-scram-sha-256.properties",
            ]
            for credential in monitor.dynamic(ADMIN_CREDENTIAL):
                assert credential.inputs["files"] == paths
            broker = containers(monitor, "kafka")[0]
            assert upload(monitor, broker, paths[1]).startswith("SCRAM-SHA-256=iterations=8192,password=")

        return settled(platform, verify)

    check()


def test_every_kraft_node_starts_and_formats_with_the_log_configuration_of_its_release(monitor):
    @pulumi.runtime.test
    def check():
        platform = build(kafkaVersion="4.4.0")

        def verify(_):
            log4j2 = "-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml"
            for node in [*containers(monitor, "controller"), *containers(monitor, "kafka")]:
                script = upload(monitor, node, "/etc/kafka/start.sh")
                assert log4j2 in script and "log4j.properties" not in script, node.name
            for controller in containers(monitor, "controller"):
                assert log4j2 in upload(monitor, controller, "/etc/kafka/secrets/format.args").splitlines()

        return settled(platform, verify)

    check()


def test_a_cluster_id_never_starts_with_a_dash_and_the_others_stay_what_they_were():
    # `kafka-storage format --cluster-id -rMM…` reads the id as an option and the controllers never start: this
    # stack name once derived such an id.
    assert cluster_id("caracal-k44-e2e-kraft") == cluster_id("caracal-k44-e2e-kraft")
    assert not cluster_id("caracal-k44-e2e-kraft").startswith("-")
    assert len(cluster_id("caracal-k44-e2e-kraft")) == 22
    # A stack that could start keeps its id (its storage was formatted with it).
    assert cluster_id("caracal-e2e-kraft") == "OO3eBUXBVfS8mYD8wjtLpw"
    assert all(not cluster_id(f"caracal-stack-{index}").startswith("-") for index in range(2000))


def test_a_controller_setting_changes_the_controllers_alone(monitor):
    """controllerHeapMb restarts the controllers and no broker: what each broker container and its files are made
    of stays the same (the roll of the controllers under traffic: `make bench-rolls KRAFT=1`)."""
    made: dict[int, dict] = {}
    for heap in (384, 320):

        @pulumi.runtime.test
        def check(heap=heap):
            platform = build(controllerHeapMb=heap)

            def verify(_):
                made[heap] = {
                    role: [
                        (c.inputs, monitor.named(f"{c.name}-config").inputs["files"]) for c in containers(monitor, role)
                    ]
                    for role in ("kafka", "controller")
                }

            return settled(platform, verify)

        check()
        monitor.registered.clear()
    assert made[384]["kafka"] == made[320]["kafka"]
    assert len(made[320]["controller"]) == 3
    for before, after in zip(made[384]["controller"], made[320]["controller"], strict=True):
        assert before != after
        assert "-Xmx320m" in str(after) and "-Xmx320m" not in str(before)
