"""`caracal-kafka health` against the live dev stack: healthy, then a group lagging 1,000 records."""

from __future__ import annotations

import json
import subprocess

from confluent_kafka import TopicPartition

from tests.e2e import clients

TOPIC = "caracal.policy.changes"
UNHEALTHY = 3


def report(done: subprocess.CompletedProcess) -> dict:
    assert done.returncode in (0, UNHEALTHY), done.stderr
    return json.loads(done.stdout)


def test_health_of_the_running_stack_is_healthy_with_every_part_checked(dev, outputs):
    done = clients.health(dev, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    found = report(done)
    assert found["schema"] == 1 and found["healthy"] is True and found["problems"] == []
    assert found["brokers"] == {"registered": [0], "expected": [0]}
    assert found["controller"] == 0
    quorum = found["quorum"]
    assert quorum["kind"] == "zookeeper" and quorum["healthy"] and quorum["active_controller"] == 0
    assert [node["role"] for node in quorum["nodes"]] == ["standalone"]
    assert found["partitions"]["total"] > 0
    assert found["partitions"]["under_replicated"] == found["partitions"]["offline"] == []
    assert found["registry"]["status"] == "UP"
    # The CA, the broker's and the registry's certificates as presented, and the stack's record of each.
    places = [certificate["where"] for certificate in found["certificates"]]
    assert "CA" in places and any(place.startswith("broker 0 ") for place in places)
    assert any(place.startswith("registry ") for place in places) and "stack output kafka-0" in places
    assert all(certificate["days_left"] > 21 for certificate in found["certificates"])
    assert found["seconds"]["total"] < 30


def test_a_group_that_committed_once_then_fell_1000_records_behind_shows_lag_1000(dev, outputs):
    group = clients.unique("health-lag")
    admin_config = {"group.id": group, "enable.auto.commit": False}
    consumer = clients.consumer(outputs, user="admin", group=group, **admin_config)
    partitions = clients.admin(outputs).list_topics(topic=TOPIC, timeout=30).topics[TOPIC].partitions
    ends = [TopicPartition(TOPIC, p, consumer.get_watermark_offsets(TopicPartition(TOPIC, p), timeout=30)[1])
            for p in partitions]  # fmt: skip
    consumer.commit(offsets=ends, asynchronous=False)
    consumer.close()
    reports = clients.deliver(clients.producer(outputs, user="admin"), TOPIC, [b"lag-%d" % i for i in range(1000)])
    assert reports == [None] * 1000

    # At the default threshold (above 1,000) the group is not yet a problem; one record less and it is.
    assert clients.health(dev, "--json").returncode == 0
    done = clients.health(dev, "--json", "--lag-threshold", "999")
    assert done.returncode == UNHEALTHY, done.stdout + done.stderr
    found = report(done)
    lagging = next(entry for entry in found["consumer_groups"] if entry["group"] == group)
    assert lagging["lag"] == 1000
    assert lagging["topics"] == [{"topic": TOPIC, "lag": 1000, "partitions": len(ends), "unknown_partitions": 0}]
    assert {"check": "lag", "message": f"group {group} lags 1000 records on {TOPIC} (threshold 999)"} in found[
        "problems"
    ]
    text = clients.health(dev, "--lag-threshold", "999")
    assert text.returncode == UNHEALTHY
    assert f"group {group} lags 1000 records on {TOPIC}" in text.stdout
    print(text.stdout)


def test_a_user_without_describe_on_groups_gets_the_rest_of_the_report(dev, outputs, tmp_path):
    path = tmp_path / "consumer.properties"
    path.write_text(outputs["clientConfigs"]["consumer"]["properties"])
    done = clients.health(dev, "--json", config_file=str(path))
    found = report(done)
    assert found["quorum"] is None and found["brokers"]["expected"] is None
    assert any("quorum not probed" in note for note in found["notes"])
    # Only the groups this user may describe are listed; none of the admin's.
    assert not any(entry["group"].startswith("health-lag") for entry in found["consumer_groups"])
    assert found["registry"]["status"] == "NOT_ALLOWED"
    print(clients.health(dev, config_file=str(path)).stdout)
