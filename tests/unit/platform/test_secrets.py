"""Every password and private key is a Pulumi secret wherever it travels."""

from __future__ import annotations

import json

import pulumi

from components.platform.catalog import CatalogResources
from components.platform.platform import Platform
from components.rules.names import ACL_SET, READINESS, SCRAM_USER, TOPIC_SET
from tests.unit.harness import FAKE_KEY, is_secret_value, settings_for


def build():
    settings = settings_for("dev")
    platform = Platform("caracal", settings)
    catalog = CatalogResources("caracal", settings, platform)
    return platform, catalog


def test_passwords_keys_and_client_configs_are_secret_outputs(monitor):
    @pulumi.runtime.test
    def check():
        platform, catalog = build()
        outputs = [
            *platform.credentials.passwords.values(),
            platform.authority.private_key_pem,
            *(certificate.private_key_pem for certificate in platform.cluster.certificates),
            *(certificate.keystore_pem for certificate in platform.cluster.certificates),
            platform.registry.certificate.private_key_pem,
            platform.connections.kafka,
            platform.connections.registry,
            catalog.client_configs,
        ]
        flags = pulumi.Output.all(*(output.is_secret() for output in outputs))
        return flags.apply(assert_all)

    check()


def assert_all(values):
    assert len(values) == 11 and all(values)


def test_client_configs_hold_each_users_password_and_are_secret(monitor):
    @pulumi.runtime.test
    def check():
        _, catalog = build()

        def verify(args):
            configs, secret = args
            assert secret
            assert set(configs) == {"admin", "schema-registry", "producer", "consumer"}
            producer = configs["producer"]
            assert producer["kafka"]["sasl.password"] == "password-of-caracal-scram-producer"
            assert producer["kafka"]["security.protocol"] == "SASL_SSL"
            assert producer["kafka"]["sasl.mechanisms"] == "SCRAM-SHA-512"
            assert 'password="password-of-caracal-scram-producer"' in producer["properties"]
            # The same login on the registry, for confluent-kafka's registry client and Java's serializers.
            assert producer["registry"]["basic.auth.user.info"] == "producer:password-of-caracal-scram-producer"
            assert "basic.auth.user.info=producer:password-of-caracal-scram-producer" in producer["properties"]

        return pulumi.Output.all(catalog.client_configs, catalog.client_configs.is_secret()).apply(verify)

    check()


def test_no_resource_sends_a_password_or_key_to_the_engine_in_plaintext(monitor):
    @pulumi.runtime.test
    def check():
        platform, catalog = build()

        def verify(_):
            checked = 0
            for item in monitor.registered:
                for key, raw in item.raw.items():
                    text = json.dumps(raw, default=str)
                    holds_secret = "password-of-" in text or FAKE_KEY.splitlines()[0] in text
                    if holds_secret and key != "__provider":
                        checked += 1
                        assert is_secret_value(raw), f"{item.name}.{key} is not a secret"
            # Keys, SCRAM files, registry config, user passwords and connections were all seen.
            assert checked > 20
            for container in monitor.of_type("Container"):
                assert "password" not in json.dumps(container.inputs.get("envs", [])).lower()
                assert "password" not in " ".join(container.inputs["command"]).lower()

        ids = [platform.registry_ready.id, *(user.id for user in catalog.users.values())]
        return pulumi.Output.all(*ids).apply(verify)

    check()


def test_dynamic_resources_keep_credentials_secret_in_their_outputs(monitor):
    @pulumi.runtime.test
    def check():
        _, catalog = build()

        def verify(_):
            for provider, key in (
                (SCRAM_USER, "password"),
                (TOPIC_SET, "connection"),
                (ACL_SET, "connection"),
                (READINESS, "connection"),
            ):
                resources = monitor.dynamic(provider)
                assert resources, provider
                assert all(key in item.secret_outputs for item in resources), provider

        return pulumi.Output.all(*(user.id for user in catalog.users.values())).apply(verify)

    check()
