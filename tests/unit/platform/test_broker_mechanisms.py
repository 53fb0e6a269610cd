"""Brokers of a stack's own cluster may offer SCRAM-SHA-256 beside SCRAM-SHA-512: listeners and the admin's seeded
credentials follow the setting, and the default writes exactly what it always did."""

from __future__ import annotations

from components.clients.client_properties import parse_properties
from components.platform.kafka_config import BrokerSettings, admin_scram_file, server_properties

BROKER = dict(index=0, brokers=1, zookeeper_nodes=1, external_port=19093, replication_factor=1)


def test_by_default_the_brokers_offer_scram_sha_512_only():
    props = parse_properties(server_properties(BrokerSettings(**BROKER), ["admin"]))
    assert props["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert [key for key in props if key.endswith(".sasl.jaas.config")] == [
        "listener.name.client.scram-sha-512.sasl.jaas.config",
        "listener.name.external.scram-sha-512.sasl.jaas.config",
    ]
    assert admin_scram_file("pw", 8192) == "SCRAM-SHA-512=iterations=8192,password=pw\n"


def test_scram_sha_256_gets_a_login_module_on_every_client_listener_and_an_admin_credential():
    mechanisms = ("SCRAM-SHA-512", "SCRAM-SHA-256")
    props = parse_properties(server_properties(BrokerSettings(**BROKER, sasl_mechanisms=mechanisms), ["admin"]))
    assert props["sasl.enabled.mechanisms"] == "SCRAM-SHA-512,SCRAM-SHA-256"
    for listener in ("client", "external"):
        assert "ScramLoginModule required" in props[f"listener.name.{listener}.scram-sha-256.sasl.jaas.config"]
    seeded = parse_properties(admin_scram_file("pw", 8192, mechanisms))
    assert seeded == {"SCRAM-SHA-512": "iterations=8192,password=pw", "SCRAM-SHA-256": "iterations=8192,password=pw"}
