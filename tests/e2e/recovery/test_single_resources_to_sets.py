"""A stack made when the registry's storage topics and ACL bindings were resources of their own (one Topic or Acl
each) is taken over by today's program in place: the recovery that `make up` runs first records them as members
of the registry's sets, the preview then shows nothing to do, the `up` replaces and deletes nothing, and Kafka
keeps the very same topics (their topic ids) with every record of the registry's journal."""

from __future__ import annotations

import json

from confluent_kafka import TopicCollection, TopicPartition
from confluent_kafka.admin import AdminClient, OffsetSpec

from components.rules import kafka_release
from components.rules.names import ACL, ACL_SET, TOPIC, TOPIC_SET, dynamic_token
from infra.scratch_stack import ROOT, Stack, release_program
from tests.e2e import clients
from tests.e2e.conftest import record, tear_down

# The last release with the single Topic and Acl providers (components/compat/single_to_sets.py).
FORMER_RELEASE = "006adaf0806f5c6a3313531055900a9b7a39899c"
STORAGE = ("kafkasql-journal", "kafkasql-snapshots", "registry-events")
KAFKA_IMAGE = kafka_release.parse(kafka_release.DEFAULT).image


def types(stack: Stack) -> list[str]:
    return [resource["type"] for resource in json.loads(stack.export())["deployment"]["resources"]]


def storage_ids(admin: AdminClient) -> dict[str, str]:
    futures = admin.describe_topics(TopicCollection(list(STORAGE)))
    return {name: str(future.result(timeout=30).topic_id) for name, future in futures.items()}


def journal_end(admin: AdminClient) -> int:
    partition = TopicPartition("kafkasql-journal", 0)
    return admin.list_offsets({partition: OffsetSpec.latest()})[partition].result(timeout=30).offset


def changes(run_output: str) -> list[str]:
    """The summary lines of a preview or up that count resources changed in any way."""
    words = ("to create", "to update", "to delete", "to replace", "created", "updated", "deleted", "replaced")
    return [line.strip() for line in run_output.splitlines() if any(word in line for word in words)]


def test_a_stack_of_single_topic_and_acl_resources_is_taken_over_in_place(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-former")
    # The image this checkout builds, named: the former release's default tag is not built any more.
    stack = Stack.create(
        "dev", "e2e-former", folder / "project", bootstrapPort=59293, registryPort=58281, kafkaImage=KAFKA_IMAGE
    )
    stack.use_program(release_program(FORMER_RELEASE, folder / "former"))
    stack.purge()
    stack.up()
    assert types(stack).count(dynamic_token(TOPIC)) == 3 and types(stack).count(dynamic_token(ACL)) == 10
    outputs = stack.outputs()
    admin = clients.admin(outputs)
    ids, journal = storage_ids(admin), journal_end(admin)
    assert journal > 0, "the registry has written its journal"
    subjects = sorted(clients.registry(outputs).get_subjects())

    stack.use_program(ROOT)
    assert stack.recover("--layout-check") == 10
    assert stack.recover() == 0
    after = types(stack)
    assert dynamic_token(TOPIC) not in after and dynamic_token(ACL) not in after
    assert after.count(dynamic_token(TOPIC_SET)) == 2 and after.count(dynamic_token(ACL_SET)) == 2

    # The takeover changes nothing; this release adds one resource of its own beside it (the partition balance).
    preview = stack.preview(check=False)
    print(preview.output)
    assert preview.returncode == 0, preview.output
    assert changes(preview.output) == ["+ 1 to create"], changes(preview.output)
    assert "PartitionBalance: (create)" in preview.output
    run = stack.up()
    record("up of a stack taken over from single topic and ACL resources", run.seconds)
    print(run.output)
    assert not [line for line in changes(run.output) if "deleted" in line or "replaced" in line], run.output
    assert stack.preview("--expect-no-changes", check=False).returncode == 0

    assert storage_ids(admin) == ids, "a storage topic was made again"
    assert journal_end(admin) >= journal
    assert sorted(clients.registry(outputs).get_subjects()) == subjects
    assert len(clients.acl_bindings(admin, "User:schema-registry")) == 10
    tear_down(stack)
