"""A docker-mode stack that runs a cluster, and external-mode stacks that manage a catalog of their own on it
with the cluster's admin credentials, given to them the way an operator gives them: `pulumi config set --secret`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from infra.scratch_stack import Stack
from tests.e2e.conftest import bring_up, record, tear_down

# The metadata quorum of the cluster the external stacks manage: zookeeper (default) or kraft. External mode talks
# to the brokers only (Admin API and Kafka's tools with --bootstrap-server), so either kind must serve it alike;
# CARACAL_E2E_EXTERNAL_QUORUM=kraft runs this package against a KRaft cluster (one dedicated controller).
QUORUM = os.environ.get("CARACAL_E2E_EXTERNAL_QUORUM", "zookeeper")
QUORUM_SETTINGS = {"metadataQuorum": "kraft", "controllers": 1} if QUORUM == "kraft" else {}
# Apart from every other test stack's ports.
BOOTSTRAP_PORT, REGISTRY_PORT = 51093, 51081
ORDERS, AUDIT = "ext.orders", "ext.audit"
SCHEMA = "ext-order.avsc"
ORDER_SCHEMA = {
    "type": "record",
    "name": "Order",
    "namespace": "ext.example",
    "fields": [{"name": "id", "type": "string"}, {"name": "amount", "type": "long"}],
}


def catalog_document(prefix: str = "ext") -> dict:
    """The external stack's own catalog: nothing in it collides with the cluster stack's catalog. `producer` is
    the cluster stack's user: here only a principal that an ACL names."""
    return {
        "topics": [
            {"name": f"{prefix}.orders", "partitions": 3, "schema": SCHEMA},
            {"name": f"{prefix}.audit", "partitions": 1, "config": {"retention.ms": "1d"}},
        ],
        "users": [
            {"name": f"{prefix}-producer", "producer_byte_rate": 1048576},
            {"name": f"{prefix}-consumer"},
            {"name": "producer", "existing": True},
        ],
        "acls": [
            {
                "principal": f"User:{prefix}-producer",
                "resource_type": "TOPIC",
                "resource_name": f"{prefix}.",
                "pattern_type": "PREFIXED",
                "operations": ["WRITE", "DESCRIBE"],
            },
            {
                "principal": f"User:{prefix}-consumer",
                "resource_type": "TOPIC",
                "resource_name": f"{prefix}.",
                "pattern_type": "PREFIXED",
                "operations": ["READ", "DESCRIBE"],
            },
            {
                "principal": f"User:{prefix}-consumer",
                "resource_type": "GROUP",
                "resource_name": f"{prefix}-group",
                "operations": ["READ"],
            },
            {
                "principal": "User:producer",
                "resource_type": "TOPIC",
                "resource_name": f"{prefix}.audit",
                "operations": ["WRITE", "DESCRIBE"],
            },
        ],
    }


class ExternalCatalog:
    """The external stack's catalog and schema files, edited by the tests."""

    def __init__(self, folder: Path, document: dict) -> None:
        self.folder = folder
        (folder / "schemas").mkdir(parents=True, exist_ok=True)
        self.document = document
        self.schema = dict(ORDER_SCHEMA)
        self.write()

    def write(self) -> None:
        (self.folder / "catalog.yaml").write_text(yaml.safe_dump(self.document, sort_keys=False))
        (self.folder / "schemas" / SCHEMA).write_text(json.dumps(self.schema))

    def topic(self, name: str) -> dict:
        return next(topic for topic in self.document["topics"] if topic["name"] == name)

    def user(self, name: str) -> dict:
        return next(user for user in self.document["users"] if user["name"] == name)


def external_stack(
    name: str, workdir: Path, cluster_outputs: dict, catalog: ExternalCatalog, mechanism: str = "SCRAM-SHA-512"
) -> Stack:
    admin = cluster_outputs["clientConfigs"]["admin"]
    registry_user, registry_password = admin["registry"]["basic.auth.user.info"].split(":", 1)
    stack = Stack.create(
        "dev",
        name,
        workdir,
        platform="external",
        externalBootstrapServers=cluster_outputs["bootstrapServers"],
        externalSaslMechanism=mechanism,
        externalUsername=admin["kafka"]["sasl.username"],
        externalCaPem=cluster_outputs["caCertificate"],
        externalRegistryUrl=cluster_outputs["registryUrl"],
        externalRegistryUsername=registry_user,
        externalRegistryCaPem=cluster_outputs["caCertificate"],
        catalog=str(catalog.folder / "catalog.yaml"),
        schemasDir=str(catalog.folder / "schemas"),
    )
    stack.set_secret("externalPassword", admin["kafka"]["sasl.password"])
    stack.set_secret("externalRegistryPassword", registry_password)
    return stack


@pytest.fixture(scope="package")
def cluster(tmp_path_factory):
    """The cluster the external stacks manage: a dev-topology docker stack whose brokers also offer SCRAM-SHA-256,
    with two brokers, so that a catalog topic's replication factor can go from 1 to 2."""
    stack = bring_up(
        "dev",
        "e2e-ext-cluster",
        tmp_path_factory,
        brokers=2,
        bootstrapPort=BOOTSTRAP_PORT,
        registryPort=REGISTRY_PORT,
        saslMechanisms="SCRAM-SHA-512,SCRAM-SHA-256",
        **QUORUM_SETTINGS,
    )
    yield stack
    tear_down(stack)


@pytest.fixture(scope="package")
def cluster_outputs(cluster):
    return cluster.outputs()


@pytest.fixture(scope="package")
def catalog(tmp_path_factory):
    return ExternalCatalog(tmp_path_factory.mktemp("ext-catalog"), catalog_document())


@pytest.fixture(scope="package")
def external(cluster_outputs, catalog, tmp_path_factory):
    stack = external_stack("e2e-ext-managed", tmp_path_factory.mktemp("e2e-ext-managed"), cluster_outputs, catalog)
    run = stack.up()
    record("pulumi up e2e-ext-managed (external) from empty", run.seconds)
    yield stack
    if stack.outputs(secrets=False):  # not yet destroyed by the test that proves destroy
        tear_down(stack)


@pytest.fixture(scope="package")
def outputs(external):
    return external.outputs()
