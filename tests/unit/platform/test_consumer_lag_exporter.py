"""The consumer-lag exporter (images/monitoring/consumer_lag_exporter.py): the lag it computes from committed and
end offsets, and its endpoint's basic auth, with Kafka replaced by fakes."""

from __future__ import annotations

import base64
import importlib.util
import threading
import urllib.error
import urllib.request
from http.server import HTTPServer
from types import SimpleNamespace

import pytest
from confluent_kafka import TopicPartition

from components.platform.consumer_lag_exporter import SCRIPT, exporter_config
from components.rules import metrics_agent


def load():
    spec = importlib.util.spec_from_file_location("consumer_lag_exporter", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMMITTED = {"billing": {("orders", 0): 40, ("orders", 1): -1001}, "idle": {}}
ENDS = {("orders", 0): 1040, ("orders", 1): 7, ("__consumer_offsets", 0): 99}


class FakeAdmin:
    def __init__(self, config):
        pass

    def list_groups(self, timeout):
        return [SimpleNamespace(id=group) for group in COMMITTED]

    def list_topics(self, timeout):
        partitions = {"orders": {0: None, 1: None}, "__consumer_offsets": {0: None}}
        return SimpleNamespace(topics={name: SimpleNamespace(partitions=p) for name, p in partitions.items()})


class FakeConsumer:
    closed = 0

    def __init__(self, config):
        self.group = config["group.id"]
        assert config["enable.auto.commit"] is False

    def committed(self, partitions, timeout):
        assert all(not tp.topic.startswith("__") for tp in partitions)
        offsets = COMMITTED[self.group]
        return [
            TopicPartition(tp.topic, tp.partition, offsets.get((tp.topic, tp.partition), -1001)) for tp in partitions
        ]

    def get_watermark_offsets(self, partition, timeout, cached):
        assert cached is False
        return 0, ENDS[(partition.topic, partition.partition)]

    def close(self):
        FakeConsumer.closed += 1


@pytest.fixture
def exporter(monkeypatch):
    module = load()
    monkeypatch.setattr(module, "AdminClient", FakeAdmin)
    monkeypatch.setattr(module, "Consumer", FakeConsumer)
    return module


def test_lag_is_the_end_offset_less_the_committed_one_per_group_topic_and_partition(exporter):
    lines = exporter.LagReader({}).lines()
    assert lines == [
        "# TYPE kafka_consumergroup_lag gauge",
        'kafka_consumergroup_lag{consumergroup="billing",topic="orders",partition="0"} 1000',
    ]
    # One reading consumer per group and scrape, closed again: the exporter's threads stay bounded.
    assert FakeConsumer.closed >= 2


def test_the_endpoint_answers_the_scrape_credential_only(exporter):
    salt = metrics_agent.salt_of("s3cret")
    handler = exporter.handler(exporter.LagReader({}), "prometheus", salt, metrics_agent.password_hash("s3cret", salt))
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/metrics"

    def get(login: str | None) -> tuple[int, str]:
        request = urllib.request.Request(url)
        if login:
            request.add_header("Authorization", "Basic " + base64.b64encode(login.encode()).decode())
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    try:
        status, body = get("prometheus:s3cret")
        assert status == 200 and 'consumergroup="billing"' in body
        assert get("prometheus:wrong")[0] == 401
        assert get("other:s3cret")[0] == 401
        assert get(None)[0] == 401
    finally:
        server.shutdown()


def test_the_exporter_config_holds_the_scrape_password_s_hash_not_the_password():
    config = exporter_config("kafka-0:9092", "kafka-pass", "scrape-pass")
    assert "scrape-pass" not in config and "kafka-pass" in config
