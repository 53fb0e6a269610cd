"""Day-2 topic changes on the live dev stack: each edit of the catalog is previewed and applied as an operator
expects, and what cannot be done safely is refused at preview with nothing changed."""

from __future__ import annotations

import re

from confluent_kafka.admin import (
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    ConfigSource,
    NewPartitions,
    NewTopic,
)

from tests.e2e import clients
from tests.e2e.dev.catalog_copy import DLQ, EVENTS, partitions, topic_config


def test_the_unchanged_catalog_copy_previews_no_changes(dev, catalog):
    assert dev.preview("--expect-no-changes").returncode == 0


def test_partitions_grow_in_place(dev, catalog, outputs):
    catalog.topic(DLQ)["partitions"] = 4
    catalog.write()
    shown = dev.preview().output
    # The set's topics are one packed value, yet the preview reads member by member: the CLI shows it as an object.
    assert re.search(r"~ topics\s*: \(json\) \{", shown), shown[-3000:]
    assert re.search(r"~ partitions\s*: \d+ => 4", shown), shown[-3000:]
    # A refresh keeps every input the program gives: nothing but the topic shows as changed.
    assert not re.search(r"[+-] protect_data", shown)
    dev.up()
    assert partitions(outputs, DLQ) == 4
    assert dev.preview("--expect-no-changes").returncode == 0


def test_a_partition_decrease_is_refused_at_preview_and_nothing_changes(dev, catalog, outputs):
    saved = catalog.edit(lambda doc: catalog.topic(DLQ).update(partitions=2))
    try:
        run = dev.preview(check=False)
        assert run.returncode != 0
        assert f"topic {DLQ}: partitions cannot go from 4 down to 2" in run.output
        assert dev.up(check=False).returncode != 0
        assert partitions(outputs, DLQ) == 4
    finally:
        catalog.restore(saved)


def test_config_changes_in_place_and_a_removed_key_returns_to_the_broker_default(dev, catalog, outputs):
    catalog.topic(DLQ)["config"] = {"retention.ms": "3d", "max.message.bytes": "2MiB"}
    catalog.write()
    dev.up()
    values = topic_config(outputs, DLQ)
    assert values["retention.ms"][0] == str(3 * 86_400_000)
    assert values["max.message.bytes"][0] == str(2 * 1024 * 1024)
    assert dev.preview("--expect-no-changes").returncode == 0

    del catalog.topic(DLQ)["config"]["max.message.bytes"]
    catalog.write()
    dev.up()
    value, source = topic_config(outputs, DLQ)["max.message.bytes"]
    assert int(getattr(source, "value", source)) != ConfigSource.DYNAMIC_TOPIC_CONFIG.value
    assert value != str(2 * 1024 * 1024)
    assert topic_config(outputs, DLQ)["retention.ms"][0] == str(3 * 86_400_000)


def test_an_out_of_band_config_change_shows_on_refresh_and_up_restores_it(dev, catalog, outputs):
    admin = clients.admin(outputs)
    entry = ConfigEntry("retention.ms", "3600000", incremental_operation=AlterConfigOpType.SET)
    resource = ConfigResource(ConfigResource.Type.TOPIC, EVENTS, incremental_configs=[entry])
    admin.incremental_alter_configs([resource])[resource].result(timeout=30)

    refreshed = dev.pulumi("refresh", "--yes", "--diff")
    assert "retention.ms" in refreshed.output
    assert dev.preview("--expect-no-changes", check=False).returncode != 0
    dev.up()
    assert topic_config(outputs, EVENTS)["retention.ms"][0] == str(7 * 86_400_000)


def test_out_of_band_partitions_show_on_refresh_and_up_refuses_to_shrink_them(dev, catalog, outputs):
    admin = clients.admin(outputs)
    admin.create_partitions([NewPartitions(EVENTS, 12)])[EVENTS].result(timeout=30)
    dev.pulumi("refresh", "--yes")
    run = dev.preview(check=False)
    assert "partitions cannot go from 12 down to 10" in run.output
    catalog.topic(EVENTS)["partitions"] = 12
    catalog.write()
    assert dev.preview("--expect-no-changes").returncode == 0


def test_topics_the_program_did_not_create_are_never_touched_unless_adopted(dev, catalog, outputs):
    admin = clients.admin(outputs)
    admin.create_topics([NewTopic("someone.elses.topic", 1, 1)])["someone.elses.topic"].result(timeout=30)
    dev.up()
    assert "someone.elses.topic" in admin.list_topics(timeout=30).topics

    saved = catalog.edit(lambda doc: doc["topics"].append({"name": "someone.elses.topic", "partitions": 2}))
    try:
        run = dev.up(check=False)
        assert run.returncode != 0
        assert "someone.elses.topic already exists and is not managed by this stack" in run.output
        assert partitions(outputs, "someone.elses.topic") == 1
    finally:
        catalog.restore(saved)

    saved = catalog.edit(
        lambda doc: doc["topics"].append({"name": "someone.elses.topic", "partitions": 2, "adopt": True})
    )
    dev.up()
    assert partitions(outputs, "someone.elses.topic") == 2
    assert topic_config(outputs, "someone.elses.topic")["compression.type"][0] == "snappy"
    assert dev.preview("--expect-no-changes").returncode == 0
    catalog.restore(saved)
    dev.up()
    assert "someone.elses.topic" not in admin.list_topics(timeout=30).topics


def test_a_rename_of_a_topic_holding_data_is_refused_unless_data_loss_is_allowed(dev, catalog, outputs):
    assert clients.deliver(clients.producer(outputs), DLQ, [b"keep-me"]) == [None]
    saved = catalog.edit(lambda doc: catalog.topic(DLQ).update(name="caracal.dead-letters", renamed_from=DLQ))
    run = dev.preview(check=False)
    if run.returncode == 0 or f"topic {DLQ} would be replaced" not in run.output:
        catalog.restore(saved)
    assert run.returncode != 0
    assert f"topic {DLQ} would be replaced" in run.output and "holds" in run.output
    assert DLQ in clients.admin(outputs).list_topics(timeout=30).topics

    catalog.topic("caracal.dead-letters")["allow_data_loss"] = True
    catalog.write()
    dev.up()
    topics = clients.admin(outputs).list_topics(timeout=30).topics
    assert "caracal.dead-letters" in topics and DLQ not in topics
    # And back: the resource keeps its name, the topic takes the old one again.
    catalog.topic("caracal.dead-letters").update(name=DLQ, renamed_from=DLQ)
    catalog.write()
    dev.up()
    assert DLQ in clients.admin(outputs).list_topics(timeout=30).topics
    catalog.restore(saved)
    dev.up()
    assert dev.preview("--expect-no-changes").returncode == 0
