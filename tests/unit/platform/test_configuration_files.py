"""The generated broker and ZooKeeper configuration."""

from __future__ import annotations

from components.clients.client_properties import client_properties
from components.platform import kafka_config
from components.rules import layout

BROKER = kafka_config.BrokerSettings(
    index=1,
    brokers=3,
    zookeeper_nodes=3,
    external_port=29094,
    replication_factor=3,
)


def properties(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line)


def test_brokers_expose_no_plaintext_listener_and_authenticate_every_connection():
    values = properties(kafka_config.server_properties(BROKER, ["admin"]))
    protocols = dict(item.split(":") for item in values["listener.security.protocol.map"].split(","))
    assert protocols == {"INTERNAL": "SSL", "CLIENT": "SASL_SSL", "EXTERNAL": "SASL_SSL"}
    assert values["listener.name.internal.ssl.client.auth"] == "required"
    assert values["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert values["allow.everyone.if.no.acl.found"] == "false"
    assert values["super.users"] == "User:admin;User:kafka-0;User:kafka-1;User:kafka-2"
    assert values["advertised.listeners"].endswith("EXTERNAL://localhost:29094")
    assert values["zookeeper.ssl.client.enable"] == "true"
    # One ZooKeeper identity for all brokers, so znode ACLs never lock one broker out of another's znodes.
    assert values["zookeeper.set.acl"] == "true"
    assert values["zookeeper.ssl.keystore.location"] == "/etc/kafka/secrets/zookeeper-client.pem"
    assert values["auto.create.topics.enable"] == "false"
    # Changed at run time as cluster defaults: in the file, a change would restart the broker for nothing.
    assert "min.insync.replicas" not in values
    assert "log.retention.ms" not in values


def test_broker_configuration_holds_no_secret():
    text = kafka_config.server_properties(BROKER, ["admin"])
    assert "password" not in text.lower()
    assert "PRIVATE KEY" not in text


def test_zookeeper_serves_tls_only_and_forms_a_quorum_over_tls():
    values = properties(kafka_config.zookeeper_config(3))
    assert "clientPort" not in values
    assert values["secureClientPort"] == "2182"
    assert values["ssl.clientAuth"] == "need"
    assert values["sslQuorum"] == "true"
    assert [values[f"server.{i}"] for i in (1, 2, 3)] == [f"zookeeper-{i}:2888:3888" for i in range(3)]
    assert "server.1" not in properties(kafka_config.zookeeper_config(1))


def test_the_admin_password_reaches_zookeeper_through_a_file_not_a_command_line():
    script = kafka_config.start_script(kafka_config.zookeeper_admin_seed(3), 768)
    assert f"--add-config-file {layout.ADMIN_SCRAM_FILE}" in script
    assert "password" not in script
    assert kafka_config.admin_scram_file("s3cret", 8192) == "SCRAM-SHA-512=iterations=8192,password=s3cret\n"


def test_client_properties_carry_the_ca_inline_in_javas_continuation_form():
    pem = "-----BEGIN CERTIFICATE-----\n" + "A" * 100 + "\n-----END CERTIFICATE-----\n"
    text = client_properties("producer", "pw", bootstrap_servers="localhost:19093", ca_pem=pem)
    assert 'username="producer" password="pw";' in text
    assert "ssl.truststore.certificates=-----BEGIN CERTIFICATE----- \\\n  " + "A" * 64 + " \\\n  " + "A" * 36 in text
