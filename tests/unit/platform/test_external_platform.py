"""A stack on an external cluster, built on Pulumi mocks: the catalog's resources and nothing of a platform (no
container, image, certificate, volume or network); the admin login and every password secret wherever it goes."""

from __future__ import annotations

import pulumi
import yaml

from components.platform.catalog import CatalogResources
from components.platform.external_platform import ExternalPlatform
from components.rules.names import ACL_SET, READINESS, SCRAM_USER, SUBJECT, TOPIC_SET, USER_QUOTA
from components.rules.packed_members import unpack
from infra.settings import load_settings
from tests.unit.harness import FAKE_PEM, is_secret_value
from tests.unit.infra.test_external_settings import CATALOG, PASSWORD, SECRET_KEYS, external_raw

QUOTA_CATALOG = {
    **CATALOG,
    "users": [{"name": "ext-producer", "producer_byte_rate": 1048576}, {"name": "legacy-app", "existing": True}],
}


def build(tmp_path, **overrides):
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(QUOTA_CATALOG))
    settings = load_settings(external_raw(str(path), **overrides), "ext", secret_keys=SECRET_KEYS)
    platform = ExternalPlatform("caracal", settings)
    catalog = CatalogResources("caracal", settings, platform)
    return platform, catalog


def settled(platform, catalog, verify):
    # Every resource the checks look at, so none is asserted on before it is registered.
    resources = [
        platform.kafka_ready,
        *([platform.registry_ready] if platform.registry_ready else []),
        catalog.topics,
        *catalog.subjects.values(),
        *catalog.users.values(),
        catalog.acls,
        *catalog.quotas,
    ]
    return pulumi.Output.all(catalog.client_configs, *(item.id for item in resources)).apply(verify)


def test_an_external_stack_creates_the_catalog_and_no_platform(monitor, tmp_path):
    @pulumi.runtime.test
    def check():
        platform, catalog = build(tmp_path)

        def verify(_):
            types = {item.type for item in monitor.registered}
            assert not [kind for kind in types if kind.startswith(("docker:", "tls:"))]
            # No registry storage of its own: the catalog's set is the only one.
            assert len(monitor.dynamic(TOPIC_SET)) == 1
            assert list(unpack("topics", monitor.dynamic(TOPIC_SET)[0].inputs["topics"])) == ["ext.orders"]
            assert [item.inputs["subject"] for item in monitor.dynamic(SUBJECT)] == ["ext.orders-value"]
            # The existing user is a principal only: an ACL names it, no credential is made for it.
            assert [item.inputs["username"] for item in monitor.dynamic(SCRAM_USER)] == ["ext-producer"]
            assert len(monitor.dynamic(ACL_SET)) == 1
            bindings = unpack("bindings", monitor.dynamic(ACL_SET)[0].inputs["bindings"]).values()
            assert [binding["principal"] for binding in bindings] == ["User:legacy-app"]
            assert len(monitor.dynamic(READINESS)) == 2

        return settled(platform, catalog, verify)

    check()


def test_the_admin_login_reaches_every_resource_as_a_secret(monitor, tmp_path):
    @pulumi.runtime.test
    def check():
        platform, catalog = build(tmp_path, externalSaslMechanism="SCRAM-SHA-256")

        def verify(_):
            topic = monitor.dynamic(TOPIC_SET)[0]
            assert is_secret_value(topic.raw["connection"])
            assert topic.inputs["connection"] == {
                "bootstrap_servers": "b-1.kafka.example.com:9096,b-2.kafka.example.com:9096",
                "username": "caracal-admin",
                "password": PASSWORD,
                "ca_pem": FAKE_PEM.strip(),
                "mechanism": "SCRAM-SHA-256",
            }
            assert is_secret_value(monitor.dynamic(SUBJECT)[0].raw["registry"])
            # Quotas run Kafka's tool beside the cluster, as admin, from the local Kafka image.
            quota = monitor.dynamic(USER_QUOTA)[0]
            assert quota.inputs["container"] == ""
            assert quota.inputs["image"] == "caracal/kafka:3.9.1-jmx1.0.1"
            assert is_secret_value(quota.raw["connection"])
            assert "connection" in quota.secret_outputs
            assert not any(PASSWORD in str(item.raw) for item in monitor.registered if not item.secret_outputs)

        return settled(platform, catalog, verify)

    check()


def test_client_configs_are_built_for_the_external_endpoints_and_secret(monitor, tmp_path):
    @pulumi.runtime.test
    def check():
        _, catalog = build(tmp_path, externalSaslMechanism="PLAIN", externalRegistryCaPem=FAKE_PEM)

        def verify(args):
            configs = args[0]
            assert set(configs) == {"admin", "ext-producer"}
            producer = configs["ext-producer"]
            assert producer["kafka"]["bootstrap.servers"] == "b-1.kafka.example.com:9096,b-2.kafka.example.com:9096"
            assert producer["kafka"]["sasl.mechanisms"] == "SCRAM-SHA-512"
            assert producer["kafka"]["sasl.password"] == "password-of-caracal-scram-ext-producer"
            # An external registry grants its own logins: a user's Kafka password is not one.
            assert "basic.auth.user.info" not in producer["registry"]
            admin = configs["admin"]
            assert admin["kafka"]["sasl.mechanisms"] == "PLAIN"
            assert admin["kafka"]["sasl.username"] == "caracal-admin"
            assert admin["registry"]["basic.auth.user.info"] == "registry-key:registry-secret"
            assert "org.apache.kafka.common.security.plain.PlainLoginModule" in admin["properties"]

        def verify_secret(args):
            verify(args)
            assert args[-1], "clientConfigs is not secret"

        return pulumi.Output.all(catalog.client_configs, catalog.client_configs.is_secret()).apply(verify_secret)

    check()


def test_a_cluster_with_the_systems_trust_gets_no_inline_ca(monitor, tmp_path):
    @pulumi.runtime.test
    def check():
        platform, catalog = build(tmp_path, externalCaPem=None)

        def verify(args):
            assert monitor.dynamic(TOPIC_SET)[0].inputs["connection"]["ca_pem"] == ""
            kafka = args[0]["ext-producer"]["kafka"]
            assert kafka["ssl.ca.location"] == "probe" and "ssl.ca.pem" not in kafka

        return settled(platform, catalog, verify)

    check()
