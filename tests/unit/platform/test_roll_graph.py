"""The resource graph that makes a change roll: on a running cluster each node's restart gate waits for the node
before it, in the plan's order; on a new one every node starts at once. During a CA rotation every trust store
holds both CAs and the signing one issues the certificates."""

from __future__ import annotations

import pulumi

from components.platform.platform import Platform
from components.rules.names import BROKER_GATE, BROKER_IN_SYNC, CONFIG_VOLUME, ZOOKEEPER_GATE
from components.rules.roll import RollPlan
from tests.unit.harness import FAKE_PEM, is_secret_value, settings_for


def build(plan: RollPlan | None, **overrides) -> Platform:
    return Platform("caracal", settings_for("prod", **overrides), plan)


def by_node(monitor, kind: str) -> dict[str, object]:
    return {item.inputs["node"]: item for item in monitor.dynamic(kind)}


def container(monitor, host: str):
    return next(
        item for item in monitor.of_type("docker:index/container:Container") if item.inputs["name"].endswith(host)
    )


def test_on_a_running_cluster_brokers_restart_one_after_another_in_the_plans_order(monitor):
    @pulumi.runtime.test
    def check():
        platform = build(RollPlan(True, (2, 0, 1), (1, 2, 0)))

        def verify(_):
            gates, in_sync = by_node(monitor, BROKER_GATE), by_node(monitor, BROKER_IN_SYNC)
            # 2 first: its gate waits for nobody; 0 waits for 2 to be back in sync, 1 (the controller) for 0.
            assert not any(item.urn in gates["kafka-2"].dependencies for item in in_sync.values())
            assert in_sync["kafka-2"].urn in gates["kafka-0"].dependencies
            assert in_sync["kafka-0"].urn in gates["kafka-1"].dependencies
            for host, gate in gates.items():
                broker = container(monitor, host)
                assert gate.urn in broker.dependencies
                assert broker.urn in in_sync[host].dependencies
                # The gate digests keys and passwords: secret.
                assert is_secret_value(gate.raw["revision"])
                assert gate.inputs["redundant"] is True
            zk_gates = by_node(monitor, ZOOKEEPER_GATE)
            containers = {item.urn for item in monitor.of_type("docker:index/container:Container")}
            assert not containers & set(zk_gates["zookeeper-1"].dependencies)
            assert container(monitor, "zookeeper-1").urn in zk_gates["zookeeper-2"].dependencies
            assert container(monitor, "zookeeper-2").urn in zk_gates["zookeeper-0"].dependencies

        return pulumi.Output.all(*(c.id for c in platform.cluster.containers), platform.kafka_ready.id).apply(verify)

    check()


def test_on_a_new_cluster_every_node_starts_at_once(monitor):
    @pulumi.runtime.test
    def check():
        platform = build(None)

        def verify(_):
            in_sync = {item.urn for item in monitor.dynamic(BROKER_IN_SYNC)}
            for gate in monitor.dynamic(BROKER_GATE):
                assert not in_sync & set(gate.dependencies)
            containers = {item.urn for item in monitor.of_type("docker:index/container:Container")}
            for gate in monitor.dynamic(ZOOKEEPER_GATE):
                assert not containers & set(gate.dependencies)

        return pulumi.Output.all(*(c.id for c in platform.cluster.containers), platform.kafka_ready.id).apply(verify)

    check()


def test_during_a_ca_rotation_every_trust_store_holds_both_cas_and_the_signing_one_issues(monitor):
    @pulumi.runtime.test
    def check():
        platform = build(None, caGeneration=1, caRotation="sign")

        def verify(_):
            cas = {item.name: item for item in monitor.of_type("tls:index/selfSignedCert:SelfSignedCert")}
            assert set(cas) == {"caracal-ca-cert", "caracal-ca-1-cert"}
            assert cas["caracal-ca-1-cert"].inputs["subject"]["commonName"] == "Caracal Kafka CA 1"
            for item in monitor.dynamic(CONFIG_VOLUME):
                stores = [u["content"] for u in item.inputs["files"] if u["path"].endswith("ca.pem")]
                assert stores and all(store == FAKE_PEM * 2 for store in stores), item.name
            signing_key = monitor.named("caracal-ca-1-key").urn
            for cert in monitor.of_type("tls:index/locallySignedCert:LocallySignedCert"):
                assert signing_key in cert.dependencies, cert.name
                assert monitor.named("caracal-ca-key").urn not in cert.dependencies, cert.name

        return pulumi.Output.all(platform.registry_ready.id, platform.authorities.bundle_pem).apply(verify)

    check()
