"""The prod stack's metrics and alerts: Prometheus scrapes every node over HTTPS with its credential, the
endpoints refuse anyone else, a stopped broker raises the under-replicated alert within its `for:` window, which
clears once the broker is back, and a group left 1,000 records behind raises the lag alert."""

from __future__ import annotations

import base64
import json
import subprocess
import urllib.error

import pytest
from confluent_kafka import TopicPartition

from components.rules.prometheus_config import SCRAPE_INTERVAL_S
from tests.e2e import clients
from tests.e2e import prometheus_api as api
from tests.e2e.prod.test_prod_resilience import docker, healthy, restore, wait_for_isr  # noqa: F401 (fixture)

# The prod stack scrapes at the default interval.
SCRAPE_S = SCRAPE_INTERVAL_S
# KafkaUnderReplicatedPartitions' for: plus a scrape and an evaluation on each side.
URP_FOR_S = 120
EXPECTED_JOBS = {"kafka": 3, "zookeeper": 3, "schema-registry": 1, "consumer-lag": 1, "prometheus": 1}
TOPIC = "caracal.policy.decisions"
GROUP = "caracal-consumer-group"
# ConsumerGroupLag's for: plus the lag exporter's scrape and an evaluation on each side.
LAG_FOR_S = 60


def jobs_up(outputs) -> dict[str, int]:
    targets = api.get(outputs, "/api/v1/targets", state="active")["activeTargets"]
    found: dict[str, int] = {}
    for target in targets:
        if target["health"] == "up":
            found[target["labels"]["job"]] = found.get(target["labels"]["job"], 0) + 1
    return found


def test_every_node_is_scraped_and_up_with_the_names_operators_know(outputs):
    api.wait_until(lambda: jobs_up(outputs) == EXPECTED_JOBS, 180, f"every target up ({EXPECTED_JOBS})")
    assert len(api.query(outputs, "kafka_server_replicamanager_underreplicatedpartitions")) == 3
    controllers = api.query(outputs, "sum(kafka_controller_kafkacontroller_activecontrollercount)")
    assert controllers[0]["value"][1] == "1"
    for series in (
        "kafka_server_replicamanager_underminisrpartitioncount",
        "kafka_log_logmanager_offlinelogdirectorycount",
        "kafka_controller_kafkacontroller_offlinepartitionscount",
        "kafka_server_brokertopicmetrics_messagesin_total",
        'kafka_log_log_size{topic="caracal.policy.decisions"}',
        'kafka_network_requestmetrics_totaltimems{request="Produce",quantile="0.99"}',
        "jvm_memory_used_bytes",
        "zookeeper_numaliveconnections",
    ):
        assert api.query(outputs, series), series
    # Every certificate's expiry, as the program knows it; none near.
    certificates = api.query(outputs, "caracal_certificate_expiry_timestamp_seconds")
    assert {item["metric"]["certificate"] for item in certificates} >= {"kafka-0", "zookeeper-2", "prometheus"}
    assert api.alert_states(outputs, "CertificateRenewalMissed") == []


def test_prometheus_refuses_a_wrong_login(outputs):
    user = outputs["prometheusLogin"].split(":", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        api.get(outputs, "/api/v1/targets", login=f"{user}:wrong")
    assert refused.value.code == 401


def agent_answer(container: str, target: str, login: str | None) -> str:
    """The status line a node's metrics endpoint gives a request from inside the stack's network."""
    header = f"Authorization: Basic {base64.b64encode(login.encode()).decode()}\\r\\n" if login else ""
    request = f"printf 'GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n{header}Connection: close\\r\\n\\r\\n'"
    command = f"{request} | openssl s_client -quiet -connect {target} 2>/dev/null | head -n 1"
    return subprocess.run(["docker", "exec", container, "sh", "-c", command], capture_output=True, text=True).stdout


def test_the_node_endpoints_are_on_the_stack_network_only_and_ask_for_the_credential(prod):
    prefix = f"caracal-{prod.name}"
    inspected = json.loads(subprocess.run(["docker", "inspect", f"{prefix}-kafka-0"], capture_output=True).stdout)
    assert "9404/tcp" not in (inspected[0]["HostConfig"]["PortBindings"] or {})
    # From another node of the stack: TLS, and 401 without the credential or with a wrong one.
    assert agent_answer(f"{prefix}-zookeeper-0", "kafka-0:9404", None).startswith("HTTP/1.1 401")
    assert agent_answer(f"{prefix}-zookeeper-0", "kafka-0:9404", "prometheus:wrong").startswith("HTTP/1.1 401")


def test_a_stopped_broker_fires_the_under_replicated_alert_and_its_return_clears_it(prod, outputs, restore):  # noqa: F811
    api.wait_until(lambda: jobs_up(outputs) == EXPECTED_JOBS, 180, "every target up before the broker stops")
    docker("stop", f"caracal-{prod.name}-kafka-2")
    fired = api.wait_until(
        lambda: "firing" in api.alert_states(outputs, "KafkaUnderReplicatedPartitions"),
        URP_FOR_S + 4 * SCRAPE_S,
        "KafkaUnderReplicatedPartitions firing",
    )
    assert "firing" in api.alert_states(outputs, "NodeDown")
    print(f"KafkaUnderReplicatedPartitions fired {fired:.0f} s after the broker stopped")
    docker("start", f"caracal-{prod.name}-kafka-2")
    healthy(f"caracal-{prod.name}-kafka-2")
    wait_for_isr(outputs, 3)
    cleared = api.wait_until(
        lambda: (
            api.alert_states(outputs, "KafkaUnderReplicatedPartitions") == []
            and api.alert_states(outputs, "NodeDown") == []
        ),
        6 * SCRAPE_S,
        "the alerts cleared",
    )
    print(f"cleared {cleared:.0f} s after the broker was back in sync")


def test_a_group_left_a_thousand_records_behind_fires_the_lag_alert(outputs):
    """The group commits once at the end of the topic; 1,000 records later, nobody having read them, its lag is
    1,000 and the alert fires."""
    consumer = clients.consumer(outputs, group=GROUP)
    try:
        partitions = clients.admin(outputs).list_topics(topic=TOPIC, timeout=30).topics[TOPIC].partitions
        ends = [
            TopicPartition(TOPIC, p, consumer.get_watermark_offsets(TopicPartition(TOPIC, p), 30)[1])
            for p in partitions
        ]
        consumer.commit(offsets=ends, asynchronous=False)
    finally:
        consumer.close()
    reports = clients.deliver(clients.producer(outputs), TOPIC, [b"lag-%d" % index for index in range(1000)])
    assert reports == [None] * 1000
    behind = f'sum(kafka_consumergroup_lag{{consumergroup="{GROUP}",topic="{TOPIC}"}})'
    api.wait_until(lambda: api.query(outputs, behind)[0]["value"][1] == "1000", 4 * SCRAPE_S, "lag 1000 scraped")
    fired = api.wait_until(
        lambda: "firing" in api.alert_states(outputs, "ConsumerGroupLag"),
        LAG_FOR_S + 4 * SCRAPE_S,
        "ConsumerGroupLag firing",
    )
    print(f"ConsumerGroupLag fired {fired:.0f} s after the lag was scraped")
    # The stack is shared: the group catches up again, so the package's later health checks see no lag of it.
    consumer = clients.consumer(outputs, group=GROUP)
    try:
        consumer.commit(
            offsets=[
                TopicPartition(TOPIC, p, consumer.get_watermark_offsets(TopicPartition(TOPIC, p), 30)[1])
                for p in partitions
            ],
            asynchronous=False,
        )
    finally:
        consumer.close()
