"""A set of topics as one Pulumi resource (dynamic provider): every topic of a catalog, or the registry's storage
topics. The engine records one resource instead of one per topic, and an `up` is a handful of batched admin
requests whatever the number of topics. Each topic keeps its own rules: created, grown and reconfigured in place,
adopted only when asked, never deleted while it holds data unless allowed; another replication factor moves
replicas by a throttled reassignment. Read, plan, apply: this file reads what the plan needs
(components/rules/topic_set.py decides) and hands the plan to the client layer."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import cluster_health, kafka_admin, kafka_batches, reassignments, topic_snapshot
from components.clients.cluster_health import registered_brokers
from components.providers import host
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.session import SESSION
from components.rules.names import CATALOG_TOPIC_SET_ID, TOPIC_SET
from components.rules.partition_assignment import plan_assignment
from components.rules.reassignment import DEFAULT_THROTTLE_MBPS, throttle_bytes
from components.rules.topic import data_loss_explicitly_allowed
from components.rules.topic_set import (
    ClusterTopics,
    NewTopic,
    check_topic_set,
    data_checks,
    diff_topic_set,
    foreign_topic_reason,
    plan_topic_set,
    refreshed_topics,
    removal_guards,
    removal_refusals,
    removed_topics,
    renames,
    set_refusals,
)
from components.rules.values import Failure

if TYPE_CHECKING:
    from confluent_kafka.admin import AdminClient

SECRET_OUTPUTS = ("connection",)
TOPIC_SET_ID = CATALOG_TOPIC_SET_ID


@dataclass(frozen=True)
class TopicSetArgs(ResourceArgs):
    topics: Mapping[str, Mapping[str, Any]]
    """Topic name -> its partitions, replication_factor, config, allow_data_loss and adopt."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret)."""
    protect_data: bool = False
    """The stack protects its topics: one leaves the set only after `allow_data_loss: true` on it."""
    set_id: str = TOPIC_SET_ID
    """Whose topics the set holds (rules/names.py): the catalog's or the registry's storage."""
    tool_runner: Mapping[str, Any] | None = None
    """Where Kafka's reassignment tool runs: {"container": a broker of the stack} or {"image": a local Kafka image}
    beside an external cluster (logging in with `connection`); None: replication factors cannot change."""
    brokers: int | None = None
    """The stack's own brokers (ids 0..n-1) replicas may go to; None: every broker of an external cluster."""
    throttle_mbps: int = DEFAULT_THROTTLE_MBPS
    """The replication throttle of a reassignment, MiB/s per broker."""


class TopicSetProvider(PlatformProvider):
    packed_members = ("topics",)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_topic_set(news)
        if olds and not failures:
            failures += set_refusals(olds, inputs)
            failures += _removal_refusals(olds, inputs)
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Pure: refusals were made in check; refresh also diffs, and must never fail for a refusal.
        return DiffResult(changes=diff_topic_set(olds, news), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(props.get("set_id") or TOPIC_SET_ID, _apply({}, props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        args = TopicSetArgs.from_props(props)
        actual = SESSION.topics.get(SESSION.admins.get(args.connection))
        # The set always exists; topics deleted out of band leave it, so the next `up` creates them again.
        topics = refreshed_topics(args.topics, actual)
        # Every input the program gives, so a preview after a refresh shows only what really changes.
        inputs = {**args.to_props(), "topics": topics}
        return ReadResult(id_, {**props, "topics": topics}, inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(_apply(olds.get("topics") or {}, news))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        args = TopicSetArgs.from_props(props)
        admin = SESSION.admins.get(args.connection)
        # Whether the set may go at all is the engine's `protect`; here, whether its topics may lose their data.
        explicit = data_loss_explicitly_allowed(os.environ)
        plan = plan_topic_set(args.topics, {}, _read(admin, args.topics, {}, explicit), explicit)
        if plan.refusals:
            raise ValueError("; ".join(failure.reason for failure in plan.refusals))
        try:
            size = _per_request(admin, plan.delete)
            kafka_batches.raise_failures(kafka_batches.delete_topics(_writers(args.connection), plan.delete, size))
        finally:
            SESSION.topics.invalidate()
        kafka_batches.await_listed(admin, [(name, 0) for name in plan.delete])


def _read(
    admin: AdminClient,
    recorded: Mapping[str, Any],
    declared: Mapping[str, Any],
    explicit: bool,
    brokers: int | None = None,
) -> ClusterTopics:
    """What the planner needs of the cluster: every topic, what the topics it may delete hold, and how many
    brokers may hold replicas."""
    actual = SESSION.topics.get(admin)
    checks = data_checks(recorded, declared, actual, explicit)
    return ClusterTopics(actual, topic_snapshot.holding_data(admin, checks), brokers)


def _apply(recorded: Mapping[str, Mapping[str, Any]], props: dict[str, Any]) -> dict[str, Any]:
    """Read, plan, apply: bring Kafka to the declared topics in a few requests per kind of change, and change
    nothing while the plan refuses anything (data may have arrived since the preview, and an `up` need not
    preview, so the plan judges data loss on what it reads now).

    On failure the engine keeps the state recorded before this call, so the topics this call created are deleted
    again (they are new and empty): otherwise the next `up` would find them unrecorded and refuse them as foreign.
    """
    args = TopicSetArgs.from_props(props)
    admin = SESSION.admins.get(args.connection)
    explicit = data_loss_explicitly_allowed(os.environ)
    # An external cluster's brokers are Kafka's to judge (the tool refuses a replica on a broker it lacks).
    cluster = _read(admin, recorded, args.topics, explicit, args.brokers)
    plan = plan_topic_set(recorded, args.topics, cluster, explicit, args.protect_data)
    if plan.refusals:
        raise ValueError("; ".join(failure.reason for failure in plan.refusals))
    # Replicas are added before a config raises min.insync.replicas with them, and removed after it is lowered.
    rising = {name: rf for name, rf in plan.replicate.items() if rf > cluster.topics[name].replication_factor}
    falling = {name: rf for name, rf in plan.replicate.items() if name not in rising}
    created: list[str] = []
    writers = _writers(args.connection)
    size = _per_request(admin, [*plan.create, *plan.delete])
    try:
        _create(writers, plan.create, created, recorded, size)
        kafka_batches.raise_failures(kafka_batches.add_partitions(admin, plan.grow).values())
        _replicate(admin, args, rising)
        kafka_batches.raise_failures(kafka_batches.alter_topic_configs(admin, plan.alter).values())
        _replicate(admin, args, falling)
        kafka_batches.raise_failures(kafka_batches.delete_topics(writers, plan.delete, size))
        shown = {topic.name: topic.partitions for topic in plan.create} | plan.grow
        kafka_batches.await_listed(admin, [*shown.items(), *((name, 0) for name in plan.delete)])
    except Exception as error:
        if created:
            raise _rolled_back(writers, created, error, size) from error
        raise
    finally:
        SESSION.topics.invalidate()
    return args.to_props()


def _replicate(admin: AdminClient, args: TopicSetArgs, wanted: Mapping[str, int]) -> None:
    """Give the `wanted` topics their new replication factors: finish a reassignment a killed `up` left, plan
    the moves from where every partition is going, and move them under the throttle."""
    if not wanted:
        return
    if not args.tool_runner:
        raise kafka_admin.AdminError(f"replication factors of {sorted(wanted)} cannot change: no tool runner")
    runner = dict(args.tool_runner)
    if "image" in runner:
        runner["connection"] = args.connection
    access = reassignments.tool_access(runner)
    current = [state for state in reassignments.settled_assignments(admin, access) if state.topic in wanted]
    brokers = list(range(args.brokers)) if args.brokers else sorted(registered_brokers(admin))
    plan = plan_assignment(current, brokers, wanted, reassignments.sizes(access, sorted(wanted)))
    if plan.refusals:
        raise reassignments.ReassignmentError("; ".join(plan.refusals))
    reassignments.reassign(admin, access, plan.moves, throttle_bytes(args.throttle_mbps))


def _per_request(admin: AdminClient, writes: Sequence[object]) -> int:
    """Topics per create or delete request on this cluster (asked only when there is something to write)."""
    return kafka_batches.topics_per_request(bool(writes) and cluster_health.kraft(admin))


def _writers(connection: Mapping[str, Any]) -> list[AdminClient]:
    """The clients a batch of topic creates or deletes is spread over."""
    return SESSION.admins.pool(connection, kafka_batches.PARALLEL_REQUESTS)


def _create(
    admins: list[AdminClient],
    topics: Sequence[NewTopic],
    created: list[str],
    recorded: Mapping[str, Any],
    per_request: int = kafka_batches.TOPICS_PER_REQUEST,
) -> None:
    """CreateTopics requests for every new topic; `created` learns each one made, even when others fail. A
    recorded topic found made already is the set's own (a killed run's request that Kafka finished meanwhile)."""
    results = kafka_batches.create_topics(admins, topics, per_request)
    created += [topic.name for topic, result in zip(topics, results, strict=True) if result is True]
    # Made by someone else between the read and the create: not this stack's, so left untouched.
    foreign = [
        topic.name
        for topic, result in zip(topics, results, strict=True)
        if result is False and topic.name not in recorded
    ]
    if foreign:
        raise kafka_admin.AdminError("; ".join(foreign_topic_reason(name) for name in foreign))
    kafka_batches.raise_failures(results)


def _rolled_back(
    admins: list[AdminClient], created: list[str], error: Exception, per_request: int = kafka_batches.TOPICS_PER_REQUEST
) -> Exception:
    """Delete the topics this call created, and say so beside the error that made the call fail. Not when the
    engine is gone (the `up` was killed): its next run records what this one declared and may already have made
    those topics its own."""
    if not host.engine_alive(host.ENGINE):
        return error
    undone = kafka_batches.delete_topics(admins, created, per_request)
    left = [name for name, result in zip(created, undone, strict=True) if isinstance(result, kafka_admin.AdminError)]
    if left:
        return kafka_admin.AdminError(
            f"{error}; the {len(created)} topics this run created were to be deleted again, but these were not: "
            f"{', '.join(left)}; delete them before the next `up`, or declare them with `adopt: true`"
        )
    return kafka_admin.AdminError(f"{error}; the {len(created)} topics this run created were deleted again")


def _removal_refusals(olds: dict[str, Any], news: dict[str, Any]) -> list[Failure]:
    """At preview: removals a protecting stack refuses, and topics removed from the set that hold data and may not
    lose it, while the cluster can be asked."""
    removed = removed_topics(olds, news)
    if not removed:
        return []
    declared = news["topics"]
    explicit = data_loss_explicitly_allowed(os.environ)
    guard = removal_guards(olds["topics"], declared, removed, explicit, bool(news.get("protect_data")))
    connection = olds.get("connection")
    if not guard.checked or not kafka_admin.is_known(connection):
        return guard.refusals
    try:
        holding = topic_snapshot.holding_data(SESSION.admins.get(connection), guard.checked)
    except kafka_admin.CLUSTER_ERRORS:
        # A preview that cannot reach the cluster (a pull request's runner) is not refused: the apply asks again
        # before it deletes anything.
        return guard.refusals
    return guard.refusals + removal_refusals(holding, renames(declared))


class TopicSet(PlatformResource, kind=TOPIC_SET):
    """A set of topics (the catalog's, or the registry's storage), managed by this stack as one resource."""

    topics: pulumi.Output[str]
    """Every topic as recorded, packed (components/rules/packed_members.py)."""

    provider_class = TopicSetProvider
    secret_outputs = SECRET_OUTPUTS
