"""Security, tried live: only authenticated, authorised, encrypted clients that trust the platform CA get in, and
no secret is readable in the state, the outputs or the containers' metadata."""

from __future__ import annotations

import json
import ssl
import subprocess
import urllib.error
import urllib.request

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from tests.certificates import self_signed
from tests.e2e import clients

TOPIC = "caracal.policy.changes"


def refused(config: dict) -> str:
    """What a client with `config` is told when it asks for metadata: it must get none."""
    reported: list[str] = []
    client = AdminClient(
        {
            **config,
            "socket.timeout.ms": 8000,
            "reconnect.backoff.max.ms": 1000,
            "error_cb": lambda error: reported.append(error.str()),
        }
    )
    with pytest.raises(KafkaException) as error:
        client.list_topics(timeout=10)
    client.poll(3)  # serves error_cb: librdkafka says there why the connection failed
    return " | ".join([str(error.value), *reported])


def other_ca_pem() -> str:
    return self_signed("Not the platform CA")[0]


def test_a_plaintext_connection_is_refused(outputs):
    assert "Broker transport failure" in refused(
        {"bootstrap.servers": outputs["bootstrapServers"], "security.protocol": "PLAINTEXT"}
    )


def test_tls_without_sasl_is_refused(outputs):
    config = clients.kafka_config(outputs, "admin")
    told = refused(
        {
            "bootstrap.servers": config["bootstrap.servers"],
            "security.protocol": "SSL",
            "ssl.ca.pem": config["ssl.ca.pem"],
        }
    )
    # The broker waits for a SASL handshake that never comes, then drops the connection.
    assert "Broker transport failure" in told or "brokers are down" in told


@pytest.mark.parametrize("user", ["producer", "nobody"])
def test_a_wrong_password_or_unknown_user_is_refused(outputs, user):
    config = clients.kafka_config(outputs, "producer", **{"sasl.username": user, "sasl.password": "not-the-password"})
    assert "Authentication failed" in refused(config)


def test_a_client_that_does_not_trust_the_platform_ca_fails(outputs):
    config = clients.kafka_config(outputs, "admin", **{"ssl.ca.pem": other_ca_pem()})
    assert "certificate verify failed" in refused(config)
    context = ssl.create_default_context(cadata=other_ca_pem())
    with pytest.raises(urllib.error.URLError) as error:
        urllib.request.urlopen(outputs["registryUrl"] + "/subjects", context=context, timeout=10)
    # Refused for the certificate, not for a registry that does not answer at all.
    assert isinstance(error.value.reason, ssl.SSLCertVerificationError), error.value


def test_the_consumer_cannot_produce(outputs):
    producer = clients.producer(outputs, user="consumer")
    (error,) = clients.deliver(producer, TOPIC, [b"forbidden"])
    assert error is not None and error.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_the_producer_cannot_read_with_the_consumer_group(outputs):
    consumer = clients.consumer(outputs, user="producer", group="caracal-consumer-group")
    try:
        with pytest.raises(KafkaException) as error:
            clients.consume(consumer, [TOPIC], count=1, timeout_s=15)
        assert error.value.args[0].code() in (
            KafkaError.GROUP_AUTHORIZATION_FAILED,
            KafkaError.TOPIC_AUTHORIZATION_FAILED,
        )
    finally:
        consumer.close()


def test_the_consumer_may_use_only_its_own_group(outputs):
    consumer = clients.consumer(outputs, group="someone-elses-group")
    try:
        with pytest.raises(KafkaException) as error:
            clients.consume(consumer, [TOPIC], count=1, timeout_s=15)
        assert error.value.args[0].code() == KafkaError.GROUP_AUTHORIZATION_FAILED
    finally:
        consumer.close()


def test_an_authenticated_user_without_acls_can_do_nothing(outputs):
    # The registry's user is authenticated but holds ACLs only for the registry's own storage.
    admin = clients.admin(outputs, user="schema-registry")
    metadata = admin.list_topics(timeout=15)
    assert TOPIC not in metadata.topics
    producer = clients.producer(outputs, user="schema-registry")
    (error,) = clients.deliver(producer, TOPIC, [b"forbidden"])
    assert error is not None and error.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_the_producer_cannot_create_or_delete_topics(outputs):
    admin = clients.admin(outputs, user="producer")
    futures = admin.create_topics([NewTopic("caracal.not-declared", 1, 1)])
    with pytest.raises(KafkaException) as created:
        futures["caracal.not-declared"].result(timeout=15)
    futures = admin.delete_topics([TOPIC])
    with pytest.raises(KafkaException) as deleted:
        futures[TOPIC].result(timeout=15)
    # Refused by the ACLs (a timeout would raise too), and nothing changed.
    assert created.value.args[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED, created.value
    assert deleted.value.args[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED, deleted.value
    topics = clients.admin(outputs).list_topics(timeout=30).topics
    assert TOPIC in topics and "caracal.not-declared" not in topics


def secrets_of(outputs: dict) -> list[str]:
    passwords = [config["kafka"]["sasl.password"] for config in outputs["clientConfigs"].values()]
    assert len(passwords) == 4 and all(len(password) >= 32 for password in passwords)
    return passwords


def test_the_stack_state_holds_no_password_or_private_key_in_plaintext(dev, outputs):
    exported = dev.export()
    assert json.loads(exported)["deployment"]["resources"]
    for password in secrets_of(outputs):
        assert password not in exported
    assert "PRIVATE KEY" not in exported
    shown = json.dumps(dev.outputs(secrets=False))
    assert "PRIVATE KEY" not in shown and all(password not in shown for password in secrets_of(outputs))


def test_no_container_metadata_holds_a_password_or_private_key(dev, outputs):
    names = dev.containers()
    assert len(names) == 4  # ZooKeeper, Kafka, the registry and its proxy
    inspected = subprocess.run(["docker", "inspect", *names], capture_output=True, text=True, check=True).stdout
    for password in secrets_of(outputs):
        assert password not in inspected
    assert "PRIVATE KEY" not in inspected
    for container in json.loads(inspected):
        for bindings in (container["HostConfig"]["PortBindings"] or {}).values():
            assert all(binding["HostIp"] == "127.0.0.1" for binding in bindings)
