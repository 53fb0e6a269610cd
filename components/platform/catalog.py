"""The catalog made real on the platform: its topics as one set, its ACL bindings as one set, one resource per
subject, client user and quota.

Topics and bindings are where catalogs grow to thousands; as sets they cost an `up` a few batched Kafka requests
and the engine a handful of recorded resources, where one resource each made the engine's work grow with the
square of their number (the file backend writes the whole state after every resource). Each topic and binding
keeps its own rules inside its set."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pulumi

from components.clients.client_settings import client_config
from components.platform.connections import user_resource
from components.platform.external_platform import ExternalPlatform
from components.providers.acl_set import AclSet, AclSetArgs
from components.providers.scram_user import ScramUser
from components.providers.subject import Subject, SubjectArgs
from components.providers.topic_set import TopicSet, TopicSetArgs
from components.providers.user_quota import UserQuota, UserQuotaArgs
from components.rules.avro_schema import full_name
from components.rules.catalog import SubjectSpec, TopicSpec
from components.rules.names import ADMIN_USER, REGISTRY_USER, token
from components.rules.stack_settings import Settings
from components.rules.topic import effective_config

if TYPE_CHECKING:
    # Only named: an external stack's program never loads the Docker and TLS SDKs the platform is built with.
    from components.platform.platform import Platform


class CatalogResources(pulumi.ComponentResource):
    """Topics, subjects, users and ACLs; each waits for the service it talks to."""

    topics: TopicSet
    subjects: dict[str, Subject]
    users: dict[str, ScramUser]
    acls: AclSet
    quotas: list[UserQuota]
    client_configs: pulumi.Output[dict]

    def __init__(
        self,
        name: str,
        settings: Settings,
        platform: Platform | ExternalPlatform,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(token("Catalog"), name, None, opts)
        kafka = platform.connections.kafka
        after_kafka = pulumi.ResourceOptions(parent=self, depends_on=[platform.kafka_ready])
        # Data is what a stack exists for: prod stacks protect topics (their set, and each topic inside it) and
        # subjects from deletion.
        keep = pulumi.ResourceOptions(protect=settings.protect_data)
        # Bindings before topics: a topic declared with its bindings is never there without them (and one removed
        # goes before them), and a KRaft broker applies bindings written after thousands of topics only once it has
        # made those topics' logs, so written first they hold nothing up.
        self.acls = AclSet(f"{name}-acls", AclSetArgs.of(settings.catalog.acls, kafka), opts=after_kafka)
        self.topics = TopicSet(
            f"{name}-topics",
            TopicSetArgs(
                topics={topic.name: _topic_spec(topic, settings) for topic in settings.catalog.topics},
                connection=kafka,
                protect_data=settings.protect_data,
                **tool_runner(platform, settings),
            ),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[platform.kafka_ready, self.acls], protect=settings.protect_data
            ),
        )
        self.subjects = {}
        for subject in settings.catalog.subjects:
            self.subjects[subject.subject] = self._create_subject(name, subject, settings, platform, keep)
        # A user the catalog marks `existing` is only a principal here: made and given its password elsewhere.
        self.users = {
            user.name: user_resource(
                name,
                user.name,
                platform.credentials.passwords[user.name],
                settings.scram_iterations,
                platform.connections,
                after_kafka,
            )
            for user in settings.catalog.users
            if not user.existing
        }
        self.quotas = [
            UserQuota(
                f"{name}-quota-{user.name}",
                UserQuotaArgs(
                    user=user.name,
                    **_quota_runner(platform),
                    producer_byte_rate=user.producer_byte_rate,
                    consumer_byte_rate=user.consumer_byte_rate,
                ),
                opts=after_kafka,
            )
            for user in settings.catalog.users
            if user.producer_byte_rate or user.consumer_byte_rate
        ]
        self.client_configs = (
            platform.client_configs()
            if isinstance(platform, ExternalPlatform)
            else self._client_configs(settings, platform)
        )
        self.register_outputs({})

    def _create_subject(
        self,
        name: str,
        subject: SubjectSpec,
        settings: Settings,
        platform: Platform | ExternalPlatform,
        keep: pulumi.ResourceOptions,
    ) -> Subject:
        referenced = {ref: next(s for s in settings.catalog.subjects if s.subject == ref) for ref in subject.references}
        return Subject(
            f"{name}-subject-{subject.subject}",
            SubjectArgs(
                subject=subject.subject,
                schema=subject.schema,
                compatibility=subject.compatibility,
                references=[
                    {"name": full_name(spec.schema), "subject": ref, "version": self.subjects[ref].version}
                    for ref, spec in referenced.items()
                ],
                reference_schemas={ref: spec.schema for ref, spec in referenced.items()},
                hard_delete=subject.hard_delete,
                adopt=subject.adopt,
                rollback=subject.rollback,
                registry=platform.connections.registry,
            ),
            opts=pulumi.ResourceOptions.merge(
                pulumi.ResourceOptions(
                    parent=self,
                    depends_on=[platform.registry_ready, *(self.subjects[ref] for ref in subject.references)],
                ),
                keep,
            ),
        )

    def _client_configs(self, settings: Settings, platform: Platform) -> pulumi.Output[dict]:
        """Per user: librdkafka settings, registry settings and client.properties; one secret map."""
        bootstrap = platform.cluster.bootstrap_servers
        users = [ADMIN_USER, REGISTRY_USER, *(user.name for user in settings.catalog.users)]
        passwords = [platform.credentials.passwords[user] for user in users]
        return pulumi.Output.secret(
            pulumi.Output.all(platform.authorities.bundle_pem, *passwords).apply(
                lambda values: {
                    user: client_config(bootstrap, settings.registry_url, user, password, values[0])
                    for user, password in zip(users, values[1:], strict=True)
                }
            )
        )


def _topic_spec(topic: TopicSpec, settings: Settings) -> dict[str, object]:
    replication = topic.replication_factor or settings.replication_factor
    return {
        "partitions": topic.partitions,
        "replication_factor": replication,
        "config": effective_config(topic, settings.retention_ms, settings.min_insync_replicas, replication),
        "allow_data_loss": topic.allow_data_loss,
        "adopt": topic.adopt,
        # A renamed topic names its former name: the set removes that one under the rename's own data-loss rule.
        **({"renamed_from": topic.renamed_from} if topic.renamed_from else {}),
    }


def tool_runner(platform: Platform | ExternalPlatform, settings: Settings) -> dict[str, object]:
    """How a topic set moves replicas: Kafka's reassignment tool in a broker of the stack (onto its declared
    brokers), or in a container of the local Kafka image beside an external cluster (onto any of its brokers)."""
    if isinstance(platform, ExternalPlatform):
        return {"tool_runner": {"image": platform.kafka_image}, "throttle_mbps": settings.reassign_throttle_mbps}
    return {
        "tool_runner": {"container": platform.cluster.containers[0].name},
        "brokers": settings.brokers,
        "throttle_mbps": settings.reassign_throttle_mbps,
    }


def _quota_runner(platform: Platform | ExternalPlatform) -> dict[str, pulumi.Input]:
    """Where Kafka's ConfigCommand runs for quotas: in a broker of the stack's own cluster, or beside an external
    one."""
    if isinstance(platform, ExternalPlatform):
        return platform.quota_runner()
    return {"container": platform.cluster.containers[0].name}
