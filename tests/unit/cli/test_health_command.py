"""`caracal-kafka health`: options, exit statuses and the report, with the cluster's facts stood in for."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest

from caracal_cli import __main__ as cli
from caracal_cli import health_command
from caracal_cli.arguments import parse_arguments
from components.clients.client_settings import Connection
from components.clients.health_facts import Timings
from components.rules import migration_phase
from components.rules.consumer_lag import GroupLag, TopicLag
from components.rules.health_verdict import CertificateFacts, HealthFacts, PartitionFacts, RegistryFacts

FACTS = HealthFacts(
    registered_brokers=(0, 1),
    expected_brokers=None,
    controller=0,
    quorum=None,
    partitions=(PartitionFacts("t", 0, 0, (0, 1, 2), (0, 1)),),
    min_insync={"t": 2},
    groups=(GroupLag("g", "EMPTY", (TopicLag("g", "t", 1000, 3),)), GroupLag("new", "STABLE")),
    registry=RegistryFacts("https://localhost:8081/health", "UP"),
    certificates=(CertificateFacts("CA", "caracal-ca", datetime.now(UTC) + timedelta(days=400)),),
    notes=("quorum not probed: it needs the stack's containers",),
)


class _Session:
    client = None

    @contextlib.contextmanager
    def explaining(self):
        yield


def run(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(health_command, "gather", lambda *_: (FACTS, Timings({"lag": 0.25})))
    monkeypatch.setattr(cli, "_connect", lambda connection, timeout: _Session())
    monkeypatch.setattr(cli, "resolve_connection", lambda **_: Connection(kafka={"bootstrap.servers": "k:1"}))
    code = cli.main(["--bootstrap-servers", "k:1", "health", *args])
    return code, capsys.readouterr().out


def test_an_under_replicated_partition_is_named_and_ends_with_status_3(monkeypatch, capsys):
    code, out = run(monkeypatch, capsys)
    assert code == health_command.UNHEALTHY == 3
    assert "Cluster health: UNHEALTHY (1 problem)" in out
    assert "  - t/0 is under-replicated: ISR [0,1] of replicas [0,1,2]" in out
    assert "  g [EMPTY] t: lag 1000 (3 partitions committed)" in out
    assert "  new [STABLE]: no committed offsets (lag unknown)" in out
    assert "  - quorum not probed: it needs the stack's containers" in out


def test_json_keeps_the_documented_fields(monkeypatch, capsys):
    code, out = run(monkeypatch, capsys, "--json", "--lag-threshold", "999")
    document = json.loads(out)
    assert code == 3 and document["schema"] == 1 and document["healthy"] is False
    assert [problem["check"] for problem in document["problems"]] == ["under_replicated", "lag"]
    assert document["thresholds"] == {"lag_records": 999, "expiry_days": 21}
    assert document["partitions"]["under_replicated"] == [
        {"topic": "t", "partition": 0, "leader": 0, "replicas": [0, 1, 2], "isr": [0, 1]}
    ]
    assert document["partitions"]["under_min_isr"] == []
    groups = {group["group"]: group for group in document["consumer_groups"]}
    assert groups["g"]["lag"] == 1000 and groups["new"]["lag"] is None and groups["new"]["topics"] == []
    assert document["quorum"] is None and document["brokers"] == {"registered": [0, 1], "expected": None}
    assert set(document["seconds"]) == {"stack outputs", "lag", "total"}


@pytest.mark.parametrize(
    ("option", "value"), [("--lag-threshold", "-1"), ("--lag-threshold", "many"), ("--expiry-days", "-2")]
)
def test_a_bad_threshold_is_a_usage_error_naming_it(option, value, capsys):
    with pytest.raises(SystemExit) as exit_:
        parse_arguments(["health", option, value])
    assert exit_.value.code == 2
    assert option in capsys.readouterr().err


def test_thresholds_default_to_1000_records_and_21_days():
    arguments = parse_arguments(["health"])
    assert (arguments.lag_threshold, arguments.expiry_days, arguments.json) == (1000, 21, False)


def test_a_stack_in_the_middle_of_a_migration_shows_its_phase_and_next_step(monkeypatch, capsys):
    observed = migration_phase.Observed("dual-write", "dual-write")
    migrating = dataclasses.replace(FACTS, migration=migration_phase.status_line(observed))
    monkeypatch.setattr(health_command, "gather", lambda *_: (migrating, Timings({"lag": 0.25})))
    monkeypatch.setattr(cli, "_connect", lambda connection, timeout: _Session())
    monkeypatch.setattr(cli, "resolve_connection", lambda **_: Connection(kafka={"bootstrap.servers": "k:1"}))
    cli.main(["--bootstrap-servers", "k:1", "health"])
    out = capsys.readouterr().out
    assert (
        "Migration:    the cluster completed 'dual-write'; next step: 'finalize' (rolls the controllers one at a "
        "time out of ZooKeeper, then removes the ZooKeeper ensemble)"
    ) in out
    cli.main(["--bootstrap-servers", "k:1", "health", "--json"])
    assert json.loads(capsys.readouterr().out)["migration"].startswith("the cluster completed 'dual-write'")
