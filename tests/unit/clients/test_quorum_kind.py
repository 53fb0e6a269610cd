"""Which kind of quorum a cluster runs on, read from a broker's config as the admin client gets it: the size of
topic requests depends on it."""

from types import SimpleNamespace

import pytest
from confluent_kafka import KafkaError

from components.clients import cluster_health, kafka_batches
from tests.unit.futures import done, settled


class BrokerConfigAdmin:
    """One registered broker whose config holds `roles` as process.roles (None: no such entry); `refused`: the
    DescribeConfigs request fails (an admin without DESCRIBE_CONFIGS)."""

    def __init__(self, roles, refused=False, brokers=(0,)):
        self.roles, self.refused, self.brokers = roles, refused, brokers
        self.asked = []

    def list_topics(self, timeout):
        return SimpleNamespace(brokers={broker: None for broker in self.brokers}, topics={})

    def describe_configs(self, resources):
        self.asked += [resource.name for resource in resources]
        if self.refused:
            return {resource: settled(KafkaError.CLUSTER_AUTHORIZATION_FAILED) for resource in resources}
        entries = {} if self.roles is None else {"process.roles": SimpleNamespace(value=self.roles)}
        return {resource: done(entries) for resource in resources}


@pytest.mark.parametrize(
    "admin, kraft",
    [
        (BrokerConfigAdmin("broker"), True),
        (BrokerConfigAdmin("broker,controller"), True),
        # ZooKeeper mode: the key is there, empty; or not reported at all.
        (BrokerConfigAdmin(""), False),
        (BrokerConfigAdmin(None), False),
        # Not ours to read, or no broker: the cautious answer.
        (BrokerConfigAdmin("broker", refused=True), False),
        (BrokerConfigAdmin("broker", brokers=()), False),
    ],
)
def test_a_cluster_is_kraft_when_a_brokers_process_roles_is_set(admin, kraft):
    assert cluster_health.kraft(admin) is kraft


def test_the_lowest_broker_is_asked():
    admin = BrokerConfigAdmin("broker", brokers=(2, 1, 3))
    cluster_health.kraft(admin)
    assert admin.asked == ["1"]


def test_a_kraft_cluster_takes_larger_topic_requests():
    assert kafka_batches.topics_per_request(kraft=False) == kafka_batches.TOPICS_PER_REQUEST == 200
    assert kafka_batches.topics_per_request(kraft=True) == kafka_batches.KRAFT_TOPICS_PER_REQUEST == 1000
