"""Prometheus's files: every node kind scraped over HTTPS, the login's bcrypt hash stable across previews, each
alert with a `for:` and a summary, the certificates' expiry as series, and the lag exporter's least rights."""

from __future__ import annotations

import bcrypt
import yaml

from components.rules import prometheus_config as files
from components.rules.alert_rules import CERTIFICATE_SERIES, alerts, rules_file
from components.rules.catalog import AclSpec
from components.rules.consumer_lag_access import lag_acls
from components.rules.scrape_targets import node_kinds


def test_every_node_of_a_prod_stack_is_a_target_and_a_new_kind_of_node_is_one_more_job():
    kinds = node_kinds(3, 3, lag_exporter=True)
    scrape = yaml.safe_load(files.prometheus_config(kinds))["scrape_configs"]
    targets = {job["job_name"]: job["static_configs"][0]["targets"] for job in scrape}
    assert targets == {
        "kafka": ["kafka-0:9404", "kafka-1:9404", "kafka-2:9404"],
        "zookeeper": ["zookeeper-0:9404", "zookeeper-1:9404", "zookeeper-2:9404"],
        "schema-registry": ["schema-registry:8443"],
        "consumer-lag": ["consumer-lag:9308"],
        "prometheus": ["localhost:9090"],
    }
    assert all(job["scheme"] == "https" and job["tls_config"] == {"ca_file": files.CA_FILE} for job in scrape)
    # The exporters ask for the scrape credential; the registry's own /metrics has no login.
    assert {job["job_name"] for job in scrape if "basic_auth" not in job} == {"schema-registry"}
    with_controllers = {kind.job: kind.hosts for kind in node_kinds(3, 0, controllers=3)}
    assert with_controllers["controller"] == ("controller-0", "controller-1", "controller-2")
    assert "zookeeper" not in with_controllers and "consumer-lag" not in with_controllers


def test_every_target_is_scraped_and_every_rule_evaluated_at_the_stack_s_interval():
    kinds = node_kinds(3, 3, lag_exporter=True)
    assert yaml.safe_load(files.prometheus_config(kinds))["global"] == {
        "scrape_interval": "30s",
        "evaluation_interval": "30s",
    }
    chosen = yaml.safe_load(files.prometheus_config(kinds, interval_s=15))
    assert chosen["global"] == {"scrape_interval": "15s", "evaluation_interval": "15s"}
    # No job sets its own: one interval for every target.
    assert all("scrape_interval" not in job for job in chosen["scrape_configs"])


def test_the_login_hash_is_bcrypt_of_the_password_and_the_same_on_every_preview():
    first, second = files.web_config("s3cret"), files.web_config("s3cret")
    assert first == second
    hashed = yaml.safe_load(first)["basic_auth_users"][files.LOGIN_USER]
    assert bcrypt.checkpw(b"s3cret", hashed.encode())
    assert not bcrypt.checkpw(b"other", hashed.encode())
    assert yaml.safe_load(files.web_config("other"))["basic_auth_users"][files.LOGIN_USER] != hashed
    assert "s3cret" not in first


def test_alerts_go_to_the_webhook_when_one_is_set_and_nowhere_else():
    receiver = yaml.safe_load(files.alertmanager_config("https://hooks.example/x"))["receivers"][0]
    assert receiver["webhook_configs"] == [{"url": "https://hooks.example/x", "send_resolved": True}]
    assert yaml.safe_load(files.alertmanager_config(""))["receivers"] == [{"name": "operator"}]


def test_every_alert_waits_its_for_window_and_says_what_happened_and_what_to_do():
    rules = yaml.safe_load(rules_file(1000, {}))["groups"][1]["rules"]
    names = {rule["alert"] for rule in rules}
    assert {
        "KafkaUnderReplicatedPartitions",
        "KafkaOfflinePartitions",
        "KafkaActiveControllerCountNotOne",
        "KafkaUnderMinIsrPartitions",
        "KafkaOfflineLogDirectories",
        "NodeDown",
        "CertificateRenewalMissed",
        "ConsumerGroupLag",
    } <= names
    for rule in rules:
        assert rule["for"] and rule["annotations"]["summary"] and rule["annotations"]["action"], rule["alert"]
    lag = next(alert for alert in alerts(250) if alert.name == "ConsumerGroupLag")
    assert lag.expr.endswith(">= 250")


def test_each_certificate_s_not_after_is_a_series_the_renewal_alert_reads():
    text = rules_file(1000, {"kafka-0": "2027-01-01T00:00:00Z", "prometheus": "2027-06-01T12:00:00+00:00"})
    records = yaml.safe_load(text)["groups"][0]["rules"]
    assert records == [
        {"record": CERTIFICATE_SERIES, "expr": "vector(1798761600)", "labels": {"certificate": "kafka-0"}},
        {"record": CERTIFICATE_SERIES, "expr": "vector(1811851200)", "labels": {"certificate": "prometheus"}},
    ]


def test_the_lag_exporter_may_describe_the_catalog_s_topics_and_groups_and_nothing_else():
    catalog = [
        AclSpec("User:consumer", "TOPIC", "caracal.", "PREFIXED", "READ"),
        AclSpec("User:consumer", "TOPIC", "caracal.", "PREFIXED", "DESCRIBE"),
        AclSpec("User:consumer", "GROUP", "caracal-consumer-group", "LITERAL", "READ"),
        AclSpec("User:admin", "CLUSTER", "kafka-cluster", "LITERAL", "ALTER"),
    ]
    granted = lag_acls(catalog, ["other.topic"])
    assert granted == [
        AclSpec("User:consumer-lag", "GROUP", "caracal-consumer-group", "LITERAL", "DESCRIBE"),
        AclSpec("User:consumer-lag", "TOPIC", "caracal.", "PREFIXED", "DESCRIBE"),
        AclSpec("User:consumer-lag", "TOPIC", "other.topic", "LITERAL", "DESCRIBE"),
    ]
