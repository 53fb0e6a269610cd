"""What a cluster holds that a migration must keep, read through the stack's outputs as an operator's tools would:
topics with their partition counts and own configs, ACLs, SCRAM users, a consumer group's committed offsets and
the registry's subjects with their versions; and a user's quotas, as the broker reports them."""

from __future__ import annotations

from typing import Any

from confluent_kafka import Consumer, ConsumerGroupTopicPartitions, TopicPartition
from confluent_kafka.admin import (
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    ConfigResource,
    ConfigSource,
    ResourcePatternType,
    ResourceType,
)

from components.clients import kafka_tools
from components.rules.kafka_tools import CONFIGS
from components.rules.quota import parse_described, quota_entity
from tests.e2e import clients

GROUP = "caracal-migration-check"
# The quota the package gives the producer (in the catalog) for the migration and the upgrade to keep.
QUOTA = {"producer_byte_rate": 1048576}
TIMEOUT_S = 30


def commit_offsets(outputs: dict[str, Any], topic: str) -> dict[int, int]:
    """Commits an offset of `topic`'s partitions for GROUP as the admin (a super user); what was committed."""
    admin = clients.admin(outputs)
    partitions = admin.list_topics(topic, timeout=TIMEOUT_S).topics[topic].partitions
    committed = {partition: 1 + partition for partition in partitions}
    consumer = Consumer(clients.kafka_config(outputs, "admin", **{"group.id": GROUP, "enable.auto.commit": False}))
    try:
        consumer.commit(
            offsets=[TopicPartition(topic, partition, offset) for partition, offset in committed.items()],
            asynchronous=False,
        )
    finally:
        consumer.close()
    return committed


def snapshot(outputs: dict[str, Any]) -> dict[str, Any]:
    admin = clients.admin(outputs)
    topics = {
        name: len(meta.partitions)
        for name, meta in admin.list_topics(timeout=TIMEOUT_S).topics.items()
        if not name.startswith("__")
    }
    resources = [ConfigResource(ResourceType.TOPIC, name) for name in sorted(topics)]
    configs = {
        resource.name: {
            key: entry.value
            for key, entry in future.result().items()
            if entry.source == ConfigSource.DYNAMIC_TOPIC_CONFIG.value
        }
        for resource, future in admin.describe_configs(resources, request_timeout=TIMEOUT_S).items()
    }
    any_binding = AclBindingFilter(
        ResourceType.ANY, None, ResourcePatternType.ANY, None, None, AclOperation.ANY, AclPermissionType.ANY
    )
    acls = sorted(str(binding) for binding in admin.describe_acls(any_binding, request_timeout=TIMEOUT_S).result())
    users = {
        user: sorted((info.mechanism.name, info.iterations) for info in description.scram_credential_infos)
        for user, description in admin.describe_user_scram_credentials(request_timeout=TIMEOUT_S).result().items()
    }
    [offsets_future] = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(GROUP)]).values()
    offsets = sorted(
        (item.topic, item.partition, item.offset) for item in offsets_future.result().topic_partitions or []
    )
    registry = clients.registry(outputs)
    subjects = {subject: sorted(registry.get_versions(subject)) for subject in sorted(registry.get_subjects())}
    return {
        "topics": topics,
        "configs": configs,
        "acls": acls,
        "users": users,
        "offsets": offsets,
        "subjects": subjects,
    }


def quotas(stack_name: str, user: str) -> dict[str, int]:
    """`user`'s quotas as broker 0 reports them, through Kafka's own tool in that broker (with the tool's classes
    of the release the broker runs)."""
    broker = kafka_tools.InBroker(f"caracal-{stack_name}-kafka-0")
    return parse_described(kafka_tools.run(CONFIGS, [*quota_entity(user), "--describe"], broker).stdout)
