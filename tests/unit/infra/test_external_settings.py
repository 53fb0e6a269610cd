"""The settings of a stack that manages an existing cluster: what it needs, what it refuses, and secrets that
must be secrets. Every problem names the key, the value (never a secret's) and what is allowed."""

from __future__ import annotations

import pytest
import yaml

from components.rules.stack_settings import CONFIG_PREFIX, SettingsError
from infra.settings import ROOT, load_settings
from tests.unit.harness import FAKE_KEY, FAKE_PEM, stack_config

PASSWORD = "admin-password-not-to-be-shown"
SECRET_KEYS = {f"{CONFIG_PREFIX}{key}" for key in ("externalPassword", "externalRegistryPassword")}
CATALOG = {
    "topics": [{"name": "ext.orders", "partitions": 3, "schema": "metering-event.avsc"}],
    "users": [{"name": "ext-producer"}, {"name": "legacy-app", "existing": True}],
    "acls": [
        {
            "principal": "User:legacy-app",
            "resource_type": "TOPIC",
            "resource_name": "ext.orders",
            "operations": ["READ"],
        }
    ],
}


def external_raw(catalog_file: str, **overrides: str) -> dict[str, str]:
    values = {
        "platform": "external",
        "externalBootstrapServers": "b-1.kafka.example.com:9096,b-2.kafka.example.com:9096",
        "externalUsername": "caracal-admin",
        "externalPassword": PASSWORD,
        "externalCaPem": FAKE_PEM,
        "externalRegistryUrl": "https://registry.example.com/apis/ccompat/v7",
        "externalRegistryUsername": "registry-key",
        "externalRegistryPassword": "registry-secret",
        "catalog": catalog_file,
        "schemasDir": str(ROOT / "schemas"),
        **overrides,
    }
    return stack_config("dev") | {f"{CONFIG_PREFIX}{key}": value for key, value in values.items() if value is not None}


@pytest.fixture
def catalog_file(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(CATALOG))
    return str(path)


def problems(raw: dict[str, str], secret_keys=SECRET_KEYS) -> str:
    with pytest.raises(SettingsError) as error:
        load_settings(raw, "ext", secret_keys=secret_keys)
    assert PASSWORD not in str(error.value)
    return str(error.value)


def test_an_external_stack_reads_its_endpoints_login_and_trust(catalog_file):
    settings = load_settings(external_raw(catalog_file), "ext", secret_keys=SECRET_KEYS)
    assert settings.external
    assert settings.registry_url == "https://registry.example.com/apis/ccompat/v7"
    assert settings.external_sasl_mechanism == "SCRAM-SHA-512"
    assert [user.existing for user in settings.catalog.users] == [False, True]
    # A secret never shows in the settings' repr (a traceback or a debug print).
    assert PASSWORD not in repr(settings)


def test_a_password_in_plaintext_is_refused_without_showing_it(catalog_file):
    message = problems(external_raw(catalog_file), secret_keys={f"{CONFIG_PREFIX}externalRegistryPassword"})
    assert (
        "caracal-kafka:externalPassword: set in plaintext; allowed: a secret, set with "
        "`pulumi config set --secret externalPassword`" in message
    )


def test_a_missing_secret_is_an_error_not_a_fallback(catalog_file):
    message = problems(external_raw(catalog_file, externalPassword=None))
    assert "caracal-kafka:externalPassword = '': not allowed; allowed: the admin identity's password" in message
    assert "required with platform = external" in message


EXTERNAL_CASES = [
    ({"externalBootstrapServers": "kafka.example.com"}, "caracal-kafka:externalBootstrapServers = 'kafka.example.com'"),
    (
        {"externalBootstrapServers": None},
        "caracal-kafka:externalBootstrapServers = '': not allowed; allowed: host:port",
    ),
    ({"externalUsername": None}, "caracal-kafka:externalUsername = '': not allowed; allowed: the admin identity's"),
    (
        {"externalSaslMechanism": "GSSAPI"},
        "caracal-kafka:externalSaslMechanism = 'GSSAPI': not allowed; allowed: SCRAM-SHA-512, SCRAM-SHA-256, PLAIN",
    ),
    ({"externalCaPem": "not a certificate"}, "caracal-kafka:externalCaPem = 'not a certificate': not allowed"),
    ({"externalRegistryUrl": "http://registry:8081"}, "caracal-kafka:externalRegistryUrl = 'http://registry:8081'"),
    (
        {"externalRegistryUrl": None},
        "caracal-kafka:externalRegistryUrl = '': not allowed; allowed: an https:// URL",
    ),
    (
        {"externalClientCertificatePem": FAKE_PEM},
        "caracal-kafka:externalClientKeyPem = '': not allowed; allowed: a value, since a client certificate needs",
    ),
    ({"saslMechanisms": "SCRAM-SHA-512,SCRAM-SHA-256"}, "caracal-kafka:saslMechanisms = 'SCRAM-SHA-512,SCRAM-SHA-256'"),
    ({"platform": "kubernetes"}, "caracal-kafka:platform = 'kubernetes': not allowed; allowed: docker or external"),
    (
        {"metrics": "true"},
        "caracal-kafka:metrics = True: not allowed; allowed: false with platform = external: the stack runs none",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), EXTERNAL_CASES, ids=[str(case[0]) for case in EXTERNAL_CASES])
def test_invalid_external_settings_are_refused_naming_the_key(catalog_file, overrides, message):
    assert message in problems(external_raw(catalog_file, **overrides))


def test_a_client_key_must_be_a_secret_and_is_never_shown(catalog_file):
    raw = external_raw(catalog_file, externalClientCertificatePem=FAKE_PEM, externalClientKeyPem="not-a-key")
    message = problems(raw, SECRET_KEYS | {f"{CONFIG_PREFIX}externalClientKeyPem"})
    assert (
        "caracal-kafka:externalClientKeyPem = [secret]: not allowed; allowed: an unencrypted PEM private key" in message
    )
    raw = external_raw(catalog_file, externalClientCertificatePem=FAKE_PEM, externalClientKeyPem=FAKE_KEY)
    assert "externalClientKeyPem: set in plaintext" in problems(raw)
    settings = load_settings(raw, "ext", secret_keys=SECRET_KEYS | {f"{CONFIG_PREFIX}externalClientKeyPem"})
    assert settings.external_client_key_pem == FAKE_KEY


def test_external_settings_on_a_docker_stack_are_refused():
    raw = stack_config("dev") | {f"{CONFIG_PREFIX}externalBootstrapServers": "kafka:9092"}
    assert (
        "caracal-kafka:externalBootstrapServers = 'kafka:9092': not allowed; allowed: only with platform = external"
        in (problems(raw))
    )


def test_a_docker_stack_offers_scram_sha_256_only_beside_scram_sha_512():
    raw = stack_config("dev") | {f"{CONFIG_PREFIX}saslMechanisms": "SCRAM-SHA-256, SCRAM-SHA-512"}
    assert load_settings(raw, "dev").broker_mechanisms == ("SCRAM-SHA-512", "SCRAM-SHA-256")
    raw = stack_config("dev") | {f"{CONFIG_PREFIX}saslMechanisms": "SCRAM-SHA-256"}
    assert "caracal-kafka:saslMechanisms = 'SCRAM-SHA-256': not allowed; allowed: SCRAM-SHA-512, optionally" in (
        problems(raw)
    )


def test_the_catalog_asks_nothing_the_platform_cannot_give(tmp_path):
    document = {
        **CATALOG,
        "users": [{"name": "caracal-admin"}, {"name": "reader", "registry": "read"}],
        "acls": [],
    }
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(document))
    message = problems(
        external_raw(str(path), externalRegistryUrl=None, externalRegistryUsername=None, externalRegistryPassword=None)
    )
    assert "users[caracal-admin].name = 'caracal-admin': not allowed; allowed: any name but the admin's" in message
    assert "users[reader].registry: not allowed with platform = external" in message
    assert "externalRegistryUrl = '': not allowed; allowed: an https:// URL" in message
    assert "required because the catalog declares subjects (ext.orders-value)" in message

    existing = tmp_path / "existing.yaml"
    existing.write_text(yaml.safe_dump(CATALOG))
    raw = stack_config("dev") | {f"{CONFIG_PREFIX}catalog": str(existing)}
    assert "users[legacy-app].existing = true: not allowed; allowed: false with platform = docker" in problems(raw)
