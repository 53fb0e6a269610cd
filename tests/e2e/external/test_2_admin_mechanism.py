"""An external cluster whose admin logs in with another mechanism than SCRAM-SHA-512: the cluster stack's brokers
also offer SCRAM-SHA-256, and the external stack's admin uses it for topics, users, ACLs and quotas alike."""

from __future__ import annotations

from tests.e2e import clients
from tests.e2e.conftest import record, tear_down
from tests.e2e.external.conftest import ExternalCatalog, catalog_document, external_stack
from tests.e2e.external.test_1_external_catalog import quotas


def test_an_admin_logging_in_with_scram_sha_256_manages_the_catalog(cluster, cluster_outputs, tmp_path_factory):
    document = catalog_document("sha256")
    document["topics"] = [topic for topic in document["topics"] if "schema" not in topic]
    catalog = ExternalCatalog(tmp_path_factory.mktemp("sha256-catalog"), document)
    stack = external_stack(
        "e2e-ext-sha256", tmp_path_factory.mktemp("e2e-ext-sha256"), cluster_outputs, catalog, "SCRAM-SHA-256"
    )
    try:
        run = stack.up()
        record("pulumi up e2e-ext-sha256 (external, SCRAM-SHA-256 admin)", run.seconds)
        outputs = stack.outputs()
        assert outputs["clientConfigs"]["admin"]["kafka"]["sasl.mechanisms"] == "SCRAM-SHA-256"
        assert "SCRAM-SHA-256" in outputs["clientConfigs"]["admin"]["properties"]
        assert "sha256.audit" in clients.admin(outputs).list_topics(timeout=30).topics
        assert quotas(cluster, "sha256-producer") == {"producer_byte_rate": 1048576}
        reports = clients.deliver(clients.producer(outputs, user="sha256-producer"), "sha256.audit", [b"x"])
        assert reports == [None]
    finally:
        tear_down(stack)
    assert "sha256.audit" not in clients.admin(cluster_outputs).list_topics(timeout=30).topics
    assert quotas(cluster, "sha256-producer") == {}
