"""A ZooKeeper stack at each step of the migration to KRaft, on Pulumi mocks: the controllers join with the
cluster's own id in migration mode with the brokers' ZooKeeper identity; the brokers keep their files in
`controllers`, enter migration mode without any ZooKeeper write at start in `hybrid`, run as KRaft brokers in
`dual-write`; `finalize` leaves a KRaft stack whose files equal those of a stack set to metadataQuorum = kraft."""

from __future__ import annotations

from pathlib import Path

import pulumi

from components.clients.client_properties import parse_properties
from components.platform.platform import Platform
from components.rules import layout
from components.rules.migration_phase import MigrationRun
from components.rules.names import BROKER_GATE, MIGRATION_COPIED, MIGRATION_ROLLBACK, ZOOKEEPER_SNAPSHOT
from components.rules.roll import RollPlan
from tests.unit.harness import settings_for
from tests.unit.platform.test_kraft_topology import containers, settled, upload

CLUSTER = "Q1fYq3yWTaGq2s2M7h1NhA"
RUNNING = RollPlan(True, (0, 1, 2), (0, 1, 2), {}, (0, 1, 2), running_quorum=(3, 3))


def build(step: str, **overrides) -> Platform:
    settings = settings_for("prod", controllers=3, metadataMigration=step, **overrides)
    return Platform("caracal", settings, RUNNING, migration=MigrationRun(CLUSTER))


def files_of(monitor, role: str) -> list[dict[str, str]]:
    return [
        {item["path"]: item["content"] for item in monitor.named(f"{c.name}-config").inputs["files"]}
        for c in containers(monitor, role)
    ]


def broker_properties(monitor) -> list[dict[str, str]]:
    return [parse_properties(upload(monitor, c, "/etc/kafka/server.properties")) for c in containers(monitor, "kafka")]


def test_controllers_join_in_migration_mode_with_the_cluster_id_and_the_brokers_zookeeper_identity(monitor):
    @pulumi.runtime.test
    def check():
        platform = build("controllers")

        def verify(_):
            assert len(containers(monitor, "zookeeper")) == 3
            for controller in containers(monitor, "controller"):
                values = parse_properties(upload(monitor, controller, "/etc/kafka/server.properties"))
                assert values["zookeeper.metadata.migration.enable"] == "true"
                assert values["zookeeper.connect"].startswith("zookeeper-0:")
                assert values["zookeeper.ssl.client.enable"] == "true"
                assert values["zookeeper.ssl.keystore.location"] == layout.ZOOKEEPER_CLIENT_KEYSTORE
                assert values["inter.broker.listener.name"] == "INTERNAL"
                assert values["listener.security.protocol.map"] == "CONTROLLER:SSL,INTERNAL:SSL"
                arguments = upload(monitor, controller, layout.FORMAT_ARGS)
                assert f"--cluster-id\n{CLUSTER}\n" in arguments
                # The controllers start empty: Kafka copies the admin's credential with ZooKeeper's metadata.
                assert "--add-scram" not in arguments
            assert not monitor.dynamic(MIGRATION_COPIED)

        return settled(platform, verify)

    check()


def test_controllers_that_do_not_run_yet_start_side_by_side(monitor):
    """A quorum serves once a majority runs: a controller waiting for the one before it would wait for nothing."""

    @pulumi.runtime.test
    def check():
        settings = settings_for("prod", controllers=3, metadataMigration="controllers")
        plan = RollPlan(True, (0, 1, 2), (0, 1, 2), {}, (0, 1, 2), running_quorum=(3, 0))
        platform = Platform("caracal", settings, plan, migration=MigrationRun(CLUSTER))

        def verify(_):
            urns = {c.urn for c in containers(monitor, "controller")}
            for gate in monitor.of_type("ControllerRestartGate"):
                assert not urns & set(gate.dependencies), gate.name

        return settled(platform, verify)

    check()


def test_in_the_controllers_step_the_brokers_keep_their_zookeeper_files(monitor):
    """Their files are those of the ZooKeeper stack, so the step restarts no broker."""
    baseline: list = []

    @pulumi.runtime.test
    def zookeeper_stack():
        platform = Platform("caracal", settings_for("prod"), RUNNING)
        return settled(platform, lambda _: baseline.append(files_of(monitor, "kafka")))

    zookeeper_stack()
    monitor.registered.clear()

    @pulumi.runtime.test
    def check():
        platform = build("controllers")
        return settled(platform, lambda _: _same(files_of(monitor, "kafka"), baseline[0]))

    check()


def _same(found, expected) -> None:
    assert found == expected


def test_hybrid_brokers_register_with_the_controllers_and_write_nothing_to_zookeeper_at_start(monitor):
    @pulumi.runtime.test
    def check():
        platform = build("hybrid")

        def verify(_):
            for index, values in enumerate(broker_properties(monitor)):
                assert values["broker.id"] == str(index)
                assert values["zookeeper.metadata.migration.enable"] == "true"
                assert values["controller.quorum.voters"].startswith("3000@controller-0:")
                assert values["authorizer.class.name"] == "kafka.security.authorizer.AclAuthorizer"
                assert "User:controller-0" in values["super.users"].split(";")
            for files in files_of(monitor, "kafka"):
                assert "ConfigCommand" not in files[layout.START_SCRIPT]
                assert "--zookeeper" not in files[layout.START_SCRIPT]
            assert len(monitor.dynamic(MIGRATION_COPIED)) == 1

        return settled(platform, verify)

    check()


def test_dual_write_brokers_run_in_kraft_mode_and_finalize_changes_no_broker(monitor):
    brokers: list = []

    @pulumi.runtime.test
    def dual_write():
        platform = build("dual-write")

        def verify(_):
            for index, values in enumerate(broker_properties(monitor)):
                assert (values["process.roles"], values["node.id"]) == ("broker", str(index))
                assert "zookeeper.connect" not in values and "broker.id" not in values
            brokers.append(files_of(monitor, "kafka"))

        return settled(platform, verify)

    dual_write()
    monitor.registered.clear()

    @pulumi.runtime.test
    def finalize():
        platform = build("finalize")

        def verify(_):
            assert containers(monitor, "zookeeper") == []
            for controller in containers(monitor, "controller"):
                values = parse_properties(upload(monitor, controller, "/etc/kafka/server.properties"))
                assert "zookeeper.metadata.migration.enable" not in values and "zookeeper.connect" not in values
            _same(files_of(monitor, "kafka"), brokers[0])
            brokers.append(files_of(monitor, "controller"))

        return settled(platform, verify)

    finalize()
    monitor.registered.clear()

    @pulumi.runtime.test
    def kraft():
        settings = settings_for("prod", controllers=3, metadataQuorum="kraft", zookeeperNodes=1)
        platform = Platform("caracal", settings, RUNNING, migration=MigrationRun(CLUSTER))

        def verify(_):
            _same(files_of(monitor, "kafka"), brokers[0])
            _same(files_of(monitor, "controller"), brokers[1])

        return settled(platform, verify)

    kraft()


def test_going_back_from_hybrid_stops_the_controllers_and_clears_kafkas_znodes_before_any_broker_restarts(monitor):
    @pulumi.runtime.test
    def check():
        platform = Platform("caracal", settings_for("prod"), RUNNING, migration=MigrationRun(stop_controllers=3))

        def verify(_):
            [rollback] = monitor.dynamic(MIGRATION_ROLLBACK)
            assert rollback.inputs["controllers"] == [f"caracal-prod-controller-{i}" for i in range(3)]
            assert rollback.inputs["broker_ids"] == [0, 1, 2]
            gates = monitor.dynamic(BROKER_GATE)
            assert len(gates) == 3 and all(rollback.urn in gate.dependencies for gate in gates)
            # The stack no longer declares the controllers: the `up` removes them at its end.
            assert containers(monitor, "controller") == []
            for values in broker_properties(monitor):
                assert "zookeeper.metadata.migration.enable" not in values

        return settled(platform, verify)

    check()


def test_the_controllers_data_is_protected_only_once_the_migration_is_finalized(monitor):
    protected: dict[str, list[bool]] = {}
    for step in ("dual-write", "finalize"):

        @pulumi.runtime.test
        def check(step=step):
            platform = build(step)

            def verify(_):
                volumes = [v for v in monitor.of_type("docker:index/volume:Volume") if "controller" in v.name]
                protected[step] = [v.protect for v in volumes]

            return settled(platform, verify)

        check()
        monitor.registered.clear()
    assert protected == {"dual-write": [False] * 3, "finalize": [True] * 3}


def test_finalize_saves_zookeepers_data_once_the_controllers_left_it_and_no_other_step_does(monitor):
    found: dict[str, list] = {}
    for step in ("dual-write", "finalize"):

        @pulumi.runtime.test
        def check(step=step):
            platform = build(step)

            def verify(_):
                found[step] = monitor.dynamic(ZOOKEEPER_SNAPSHOT)
                if step == "finalize":
                    [snapshot] = found[step]
                    assert snapshot.inputs["data_volume"] == "caracal-prod-zookeeper-0-data"
                    assert snapshot.inputs["image"] == "caracal/kafka:3.9.1-jmx1.0.1"
                    assert snapshot.inputs["folder"] == str(Path(pulumi.get_root_directory()) / "zookeeper-snapshots")
                    controllers = containers(monitor, "controller")
                    assert len(controllers) == 3
                    assert {c.urn for c in controllers} <= set(snapshot.dependencies)
                    assert snapshot.inputs["after"] == [f"{c.name}-id" for c in controllers]

            return settled(platform, verify)

        check()
        monitor.registered.clear()
    assert len(found["dual-write"]) == 0 and len(found["finalize"]) == 1
