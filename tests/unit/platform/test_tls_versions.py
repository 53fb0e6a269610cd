"""Every listener's TLS policy: 1.2 and 1.3 only, ECDHE with AEAD ciphers; each server spells it its own way."""

from __future__ import annotations

from components.clients.client_properties import parse_properties
from components.platform import kafka_config, registry_config
from components.rules import tls_policy

BROKER = kafka_config.BrokerSettings(index=0, brokers=3, zookeeper_nodes=3, external_port=29094, replication_factor=3)
JAVA_SUITES = tls_policy.java_cipher_suites().split(",")


def test_the_policy_is_tls_1_2_and_1_3_with_forward_secret_aead_suites_only():
    assert tls_policy.java_protocols() == "TLSv1.3,TLSv1.2"
    tls12 = [suite for suite in JAVA_SUITES if "_WITH_" in suite]
    assert tls12 and all(suite.startswith("TLS_ECDHE_") for suite in tls12)
    assert all(suite.endswith(("_GCM_SHA256", "_GCM_SHA384", "_CHACHA20_POLY1305_SHA256")) for suite in JAVA_SUITES)
    # Without its own suites in a Java list, TLS 1.3 would have nothing to agree on.
    assert set(tls_policy.TLS13_SUITES) <= set(JAVA_SUITES)
    assert all(name.startswith("ECDHE-") for name in tls_policy.openssl_ciphers().split(":"))
    assert tls_policy.openssl_ciphersuites().split(":") == list(tls_policy.TLS13_SUITES)


def test_every_broker_listener_and_its_zookeeper_client_use_the_policy():
    values = parse_properties(kafka_config.server_properties(BROKER, ["admin"]))
    assert values["ssl.enabled.protocols"] == "TLSv1.3,TLSv1.2"
    assert values["ssl.cipher.suites"].split(",") == JAVA_SUITES
    assert not any(key.startswith("listener.name.") and ".ssl.cipher" in key for key in values)  # no override
    assert values["zookeeper.ssl.enabled.protocols"] == "TLSv1.3,TLSv1.2"
    assert values["zookeeper.ssl.cipher.suites"].split(",") == JAVA_SUITES
    tools = parse_properties(kafka_config.zookeeper_client_tls())
    assert tools["zookeeper.ssl.enabled.protocols"] == "TLSv1.3,TLSv1.2"
    assert tools["zookeeper.ssl.cipher.suites"].split(",") == JAVA_SUITES


def test_zookeepers_client_port_and_quorum_use_the_policy():
    values = parse_properties(kafka_config.zookeeper_config(3))
    for prefix in ("ssl", "ssl.quorum"):
        assert values[f"{prefix}.enabledProtocols"] == "TLSv1.3,TLSv1.2"
        assert values[f"{prefix}.ciphersuites"].split(",") == JAVA_SUITES
    assert values["sslQuorum"] == "true"
    single = parse_properties(kafka_config.zookeeper_config(1))
    assert single["ssl.enabledProtocols"] == "TLSv1.3,TLSv1.2"


def test_the_registrys_https_endpoint_uses_the_policy():
    values = parse_properties(registry_config.application_properties("kafka-0:9093", "schema-registry", "x" * 32))
    assert values["quarkus.http.ssl.protocols"] == "TLSv1.3,TLSv1.2"
    assert values["quarkus.http.ssl.cipher-suites"].split(",") == JAVA_SUITES
    assert values["quarkus.http.insecure-requests"] == "disabled"
