"""Client settings for a cluster the program does not run: any of the admin's mechanisms, the system's CAs, a
client certificate; and the client.properties writer still read back by the same reader."""

from __future__ import annotations

from components.clients.client_properties import client_properties, parse_properties
from components.clients.client_settings import client_config, connection_from_properties, kafka_settings
from components.clients.kafka_admin import admin_settings, is_known
from tests.unit.harness import FAKE_KEY, FAKE_PEM


def test_the_platforms_own_settings_are_unchanged_by_the_new_options():
    assert kafka_settings("localhost:19093", "producer", "secret", FAKE_PEM) == {
        "bootstrap.servers": "localhost:19093",
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms": "SCRAM-SHA-512",
        "sasl.username": "producer",
        "sasl.password": "secret",
        "ssl.ca.pem": FAKE_PEM,
    }


def test_no_ca_means_the_systems_trust_store_and_a_client_certificate_is_passed_on():
    settings = kafka_settings(
        "k:9096", "u", "p", "", mechanism="SCRAM-SHA-256", certificate_pem=FAKE_PEM, key_pem=FAKE_KEY
    )
    assert settings["ssl.ca.location"] == "probe" and "ssl.ca.pem" not in settings
    assert settings["sasl.mechanisms"] == "SCRAM-SHA-256"
    assert (settings["ssl.certificate.pem"], settings["ssl.key.pem"]) == (FAKE_PEM, FAKE_KEY)


def test_the_admin_connection_of_an_external_cluster_is_known_without_a_ca_and_keeps_its_mechanism():
    connection = {
        "bootstrap_servers": "k:9092",
        "username": "key",
        "password": "s3cret",
        "ca_pem": "",
        "mechanism": "PLAIN",
    }
    assert is_known(connection)
    assert admin_settings(connection)["sasl.mechanisms"] == "PLAIN"
    assert not is_known({**connection, "password": ""})


def test_plain_logins_use_the_plain_login_module_and_read_back_the_same():
    text = client_properties("api-key", "api-secret", bootstrap_servers="pkc.example:9092", mechanism="PLAIN")
    assert "org.apache.kafka.common.security.plain.PlainLoginModule required" in text
    assert "ssl.truststore" not in text  # the JVM's own CAs
    kafka = connection_from_properties(text).kafka
    assert (kafka["sasl.mechanisms"], kafka["sasl.username"], kafka["sasl.password"]) == (
        "PLAIN",
        "api-key",
        "api-secret",
    )


def test_a_client_certificate_is_written_as_a_pem_keystore():
    props = parse_properties(client_properties("u", "p", ca_pem=FAKE_PEM, keystore=(FAKE_PEM, FAKE_KEY)))
    assert props["ssl.keystore.type"] == "PEM"
    assert "BEGIN CERTIFICATE" in props["ssl.keystore.certificate.chain"]
    assert "PRIVATE KEY" in props["ssl.keystore.key"]


def test_a_user_of_an_external_registry_gets_its_url_and_ca_but_no_login():
    config = client_config(
        "k:9092",
        "https://registry.example/apis/ccompat/v7",
        "app",
        "pw",
        "",
        registry_login=("", ""),
        registry_ca_pem="",
    )
    assert config["registry"] == {"url": "https://registry.example/apis/ccompat/v7"}
    assert "basic.auth.user.info" not in config["properties"]
    assert "schema.registry.url=https" in config["properties"]
    assert "registry" not in client_config("k:9092", "", "app", "pw", "")
