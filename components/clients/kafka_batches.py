"""Topic and ACL writes of a set, batched: CreateTopics, DeleteTopics, CreateAcls or DeleteAcls requests for a
whole batch, and one metadata request per round of waiting however many topics wait on it. The one place that
turns the rules' model (a new topic, a config change, an ACL binding) into confluent-kafka requests.

Creates and deletes ask the broker to wait until the change is done (`operation_timeout`), so a topic is led
when its create returns and the wait for it to show in the metadata is usually one look; the look itself is
shared by every caller waiting at that moment, instead of one metadata request (and a sleep) per topic.

A batch of thousands is sent as several requests of a bounded size (a request of all of them could outlast the
client's patience and fail though every topic was being made), two at a time over two connections when the caller
gives two clients: in ZooKeeper mode the broker that takes a CreateTopics or DeleteTopics request writes every
topic's znodes itself, and it takes one request at a time from a connection. Measured on a 2-core machine, 2,000
topics were made in 17.6-21.6 s over two connections against 27.8-33.9 s one request after the other (three or
four connections gained nothing more there).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    NewPartitions,
)
from confluent_kafka.admin import NewTopic as KafkaNewTopic

from components.clients import acl_snapshot
from components.clients.kafka_admin import REQUEST_TIMEOUT_S, AdminError
from components.rules.catalog import AclSpec
from components.rules.topic_set import ConfigChange, NewTopic

# How long the broker may take to finish a create or delete before it answers (it answers as soon as it is done).
# Below the connection's socket timeout (REQUEST_TIMEOUT_S), which librdkafka applies to the request: the broker
# must answer before the client gives up, or the client cannot know what was done.
OPERATION_TIMEOUT_S = 20.0
# Topics per CreateTopics, DeleteTopics, CreatePartitions or IncrementalAlterConfigs request: a few seconds of a
# ZooKeeper-mode controller's work each, far inside OPERATION_TIMEOUT_S even on a slow machine.
TOPICS_PER_REQUEST = 200
# Topics per CreateTopics or DeleteTopics request to a KRaft cluster. Its controller answers a request in about
# 0.2 s whatever its size (it writes the records and waits for the commit: ten requests of 200 took 2.17 s, one of
# 2,000 0.21 s).
KRAFT_TOPICS_PER_REQUEST = 1000
# A KRaft controller refuses, whole, a request that makes more than 10,000 metadata records (2,500 topics of one
# partition and three config overrides were refused, 1,250 taken). A topic made is a record, one more per partition
# and per config override; a partition added is one, a config key set or deleted one. Such requests stay at half.
RECORDS_PER_REQUEST = 5000
# Connections a batch of topic creates or deletes is spread over (see above).
PARALLEL_REQUESTS = 2
# Times a create whose answer never came (the client gave up: librdkafka's local _TIMED_OUT, seen from brokers
# starved of CPU right after their start) is asked again. The first request may have been carried out, so on the
# next ask "already exists" is that request's own doing.
ASKS_AFTER_NO_ANSWER = 2
# Bindings per CreateAcls or DeleteAcls request (about 2.5 ms each).
ACLS_PER_REQUEST = 1000
AWAIT_S = 60.0
# A broker applies bindings in the metadata log's order, after the topics written before them: on KRaft, after it has
# made those topics' logs (10,000 took a single broker over a minute here). No progress shows meanwhile, so the wait
# for a binding gives the broker longer than the wait for topics, which goes on while topics keep showing.
ACL_AWAIT_S = 300.0
POLL_S = 0.2

Item = TypeVar("Item")


def outcome(future: Future, what: str, tolerate: Iterable[int] = (), ongoing: bool = False) -> bool | AdminError:
    """True when the request succeeded, False for a tolerated error code, an AdminError naming `what` otherwise.

    `ongoing`: the broker's REQUEST_TIMED_OUT means the change was accepted and is still being made (a create or
    delete outlasting OPERATION_TIMEOUT_S), so it counts as done; the caller's wait for the metadata follows it.
    """
    try:
        future.result(timeout=REQUEST_TIMEOUT_S + OPERATION_TIMEOUT_S)
        return True
    except KafkaException as exception:
        error = exception.args[0] if exception.args else None
        if ongoing and isinstance(error, KafkaError) and error.code() == KafkaError.REQUEST_TIMED_OUT:
            return True
        if isinstance(error, KafkaError) and error.code() in set(tolerate):
            return False
        return AdminError(f"{what}: {error.str() if isinstance(error, KafkaError) else exception}")
    except TimeoutError:
        return AdminError(f"{what}: no answer from the cluster within {REQUEST_TIMEOUT_S + OPERATION_TIMEOUT_S:.0f} s")


def unanswered(future: Future) -> bool:
    """Whether a settled request failed because the client stopped waiting for the broker's answer."""
    exception = future.exception(timeout=0) if future.done() else None
    error = exception.args[0] if isinstance(exception, KafkaException) and exception.args else None
    return isinstance(error, KafkaError) and error.code() == KafkaError._TIMED_OUT


def raise_failures(results: Iterable[bool | AdminError]) -> None:
    """Raise one AdminError naming every failed item of a batch, if any failed."""
    errors = [str(result) for result in results if isinstance(result, AdminError)]
    if errors:
        more = f"; and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise AdminError("; ".join(errors[:20]) + more)


def _chunks(items: Sequence[Item], size: int, records: Callable[[Item], int] | None = None) -> list[Sequence[Item]]:
    """Consecutive pieces of `items`, each of at most `size` items and, given `records` (what an item makes in the
    metadata), of at most RECORDS_PER_REQUEST records; an item making more than that goes alone."""
    pieces: list[Sequence[Item]] = []
    start, made = 0, 0
    for index, item in enumerate(items):
        weight = records(item) if records else 0
        if index > start and (index - start == size or made + weight > RECORDS_PER_REQUEST):
            pieces.append(items[start:index])
            start, made = index, 0
        made += weight
    if start < len(items):
        pieces.append(items[start:])
    return pieces


def topic_records(topic: NewTopic) -> int:
    """The metadata records a KRaft controller writes for a new topic."""
    return 1 + topic.partitions + len(topic.config)


def _rounds(
    items: Sequence[Item],
    key: Callable[[Item], Hashable],
    size: int = TOPICS_PER_REQUEST,
    records: Callable[[Item], int] | None = None,
) -> list[list[Sequence[int]]]:
    """Indexes of `items` in rounds of requests: within a round every key is unique (Kafka refuses a request
    naming a topic twice), and each request holds at most `size` items (and, given `records`, at most
    RECORDS_PER_REQUEST records)."""
    rounds: list[list[int]] = []
    seen: list[set[Hashable]] = []
    for index, item in enumerate(items):
        for number, names in enumerate(seen):
            if key(item) not in names:
                names.add(key(item))
                rounds[number].append(index)
                break
        else:
            seen.append({key(item)})
            rounds.append([index])
    weight = (lambda index: records(items[index])) if records else None
    return [_chunks(indexes, size, weight) for indexes in rounds]


def _spread(
    admins: Sequence[AdminClient],
    rounds: list[list[Sequence[int]]],
    send: Callable[[AdminClient, Sequence[int]], None],
) -> None:
    """Send each round's requests over the clients at once, each client its share one after the other; a round
    starts once the one before it is answered (it names topics the one before names too)."""
    for requests in rounds:
        shares = [(admin, requests[start :: len(admins)]) for start, admin in enumerate(admins)]
        shares = [(admin, share) for admin, share in shares if share]
        if len(shares) == 1:
            _send_each(send, *shares[0])
            continue
        with ThreadPoolExecutor(len(shares)) as pool:
            for future in [pool.submit(_send_each, send, admin, share) for admin, share in shares]:
                future.result()


def _send_each(
    send: Callable[[AdminClient, Sequence[int]], None], admin: AdminClient, requests: list[Sequence[int]]
) -> None:
    for indexes in requests:
        send(admin, indexes)


def create_topics(
    admins: Sequence[AdminClient], topics: Sequence[NewTopic], per_request: int = TOPICS_PER_REQUEST
) -> list[bool | AdminError]:
    """CreateTopics requests of at most `per_request` topics for every topic, spread over `admins`: per topic, in
    order, True, False when it existed already, or the AdminError naming it."""
    results: list[bool | AdminError] = [False] * len(topics)
    requests = [
        KafkaNewTopic(topic.name, topic.partitions, topic.replication_factor, config=dict(topic.config))
        for topic in topics
    ]

    no_answer: list[int] = []

    def send(admin: AdminClient, indexes: Sequence[int], asked_before: bool = False) -> None:
        futures = admin.create_topics(
            [requests[index] for index in indexes],
            operation_timeout=OPERATION_TIMEOUT_S,
            request_timeout=REQUEST_TIMEOUT_S + OPERATION_TIMEOUT_S,
        )
        for index in indexes:
            name = topics[index].name
            result = outcome(futures[name], f"create topic {name}", [KafkaError.TOPIC_ALREADY_EXISTS], ongoing=True)
            if unanswered(futures[name]):
                no_answer.append(index)
            results[index] = True if result is False and asked_before else result

    _spread(admins, _rounds(topics, lambda topic: topic.name, per_request, topic_records), send)
    for _ in range(ASKS_AFTER_NO_ANSWER):
        again = sorted(no_answer)
        no_answer.clear()
        for indexes in _chunks(again, per_request, lambda index: topic_records(topics[index])):
            send(admins[0], indexes, asked_before=True)
    return results


def delete_topics(
    admins: Sequence[AdminClient], names: Sequence[str], per_request: int = TOPICS_PER_REQUEST
) -> list[bool | AdminError]:
    """DeleteTopics requests of at most `per_request` names for every name, spread over `admins`: per name, in
    order, True, False when it was gone already, or the AdminError naming it."""
    results: list[bool | AdminError] = [False] * len(names)

    def send(admin: AdminClient, indexes: Sequence[int]) -> None:
        futures = admin.delete_topics(
            [names[index] for index in indexes],
            operation_timeout=OPERATION_TIMEOUT_S,
            request_timeout=REQUEST_TIMEOUT_S + OPERATION_TIMEOUT_S,
        )
        for index in indexes:
            name = names[index]
            results[index] = outcome(
                futures[name], f"delete topic {name}", [KafkaError.UNKNOWN_TOPIC_OR_PART], ongoing=True
            )

    _spread(admins, _rounds(names, lambda name: name, per_request), send)
    return results


def topics_per_request(kraft: bool) -> int:
    """How many topics a CreateTopics or DeleteTopics request holds on a cluster of this kind of quorum."""
    return KRAFT_TOPICS_PER_REQUEST if kraft else TOPICS_PER_REQUEST


def listed(admin: AdminClient, wanted: Sequence[tuple[str, int]]) -> list[bool]:
    """Which topics the metadata shows with at least their partitions (partitions 0: which are gone)."""
    topics = admin.list_topics(timeout=REQUEST_TIMEOUT_S).topics
    shown = []
    for name, partitions in wanted:
        topic = topics.get(name)
        present = topic is not None and topic.error is None and len(topic.partitions) >= max(partitions, 1)
        shown.append(present if partitions else name not in topics)
    return shown


def add_partitions(admin: AdminClient, counts: Mapping[str, int]) -> dict[str, bool | AdminError]:
    """CreatePartitions requests raising each topic to its new partition count."""
    results: dict[str, bool | AdminError] = {}
    # Counted as if every partition were new: the current count is not read here.
    for names in _chunks(list(counts), TOPICS_PER_REQUEST, lambda name: counts[name]):
        futures = admin.create_partitions(
            [NewPartitions(name, counts[name]) for name in names],
            operation_timeout=OPERATION_TIMEOUT_S,
            request_timeout=REQUEST_TIMEOUT_S + OPERATION_TIMEOUT_S,
        )
        results |= {name: outcome(futures[name], f"add partitions to {name}", ongoing=True) for name in names}
    return results


def alter_topic_configs(admin: AdminClient, changes: Mapping[str, ConfigChange]) -> dict[str, bool | AdminError]:
    """IncrementalAlterConfigs requests: per topic, its keys to set and overrides to delete."""
    resources = []
    for name, change in changes.items():
        entries = [
            ConfigEntry(key, value, incremental_operation=AlterConfigOpType.SET) for key, value in change.set.items()
        ]
        entries += [ConfigEntry(key, None, incremental_operation=AlterConfigOpType.DELETE) for key in change.deleted]
        resources.append(ConfigResource(ConfigResource.Type.TOPIC, name, incremental_configs=entries))
    results: dict[str, bool | AdminError] = {}
    # A key set or deleted is a record on KRaft.
    for chunk in _chunks(resources, TOPICS_PER_REQUEST, lambda resource: len(resource.incremental_configs)):
        futures = admin.incremental_alter_configs(list(chunk), request_timeout=REQUEST_TIMEOUT_S)
        results |= {
            resource.name: outcome(future, f"alter config of topic {resource.name}")
            for resource, future in futures.items()
        }
    return results


def await_listed(admin: AdminClient, wanted: Sequence[tuple[str, int]]) -> None:
    """Return once the metadata shows every wanted topic with its partitions (partitions 0: gone), asking once
    per round for all of them; fail naming those that did not show within AWAIT_S of the last that did.

    The wait goes on while topics keep showing: a ZooKeeper-mode controller makes accepted topics one after the
    other, and thousands of them can take it minutes after every request was answered."""
    deadline = time.monotonic() + AWAIT_S
    while wanted:
        left = [item for item, shown in zip(wanted, listed(admin, wanted), strict=True) if not shown]
        if len(left) < len(wanted):
            deadline = time.monotonic() + AWAIT_S
        wanted = left
        if wanted and time.monotonic() > deadline:
            late = ", ".join(f"{name} ({partitions or 'gone'})" for name, partitions in wanted[:20])
            raise AdminError(
                f"{len(wanted)} topics did not show as changed within {AWAIT_S:.0f} s of the last that did: {late}"
            )
        if wanted:
            time.sleep(POLL_S)


def _answered(futures: dict[Item, Future]) -> dict[Item, Future]:
    """The futures of one request, once it is answered (or timed out). ACL requests go one at a time: the broker
    takes one request of a connection at a time, so sending more at once gains nothing, and each one queued behind
    others ages toward its timeout while it waits on a busy cluster."""
    wait(futures.values(), timeout=REQUEST_TIMEOUT_S + OPERATION_TIMEOUT_S)
    return futures


def await_acl(admin: AdminClient, exact: AclBindingFilter, present: bool) -> None:
    """Return once the cluster lists the binding `exact` matches (`present`) or no longer lists it; fail naming it
    after ACL_AWAIT_S. A KRaft controller answers CreateAcls and DeleteAcls once it has written the change to the
    metadata log, and a broker's authorizer applies it from the log after that: until then the broker neither
    enforces nor lists it (a no-op preview right after an `up` of 10,000 bindings found some missing). A broker
    applies the log in order, so the last binding of the last request listed means every earlier one is applied
    too: one small DescribeAcls per look, whatever the number of bindings."""
    deadline = time.monotonic() + ACL_AWAIT_S
    while bool(admin.describe_acls(exact, request_timeout=REQUEST_TIMEOUT_S).result(REQUEST_TIMEOUT_S)) != present:
        if time.monotonic() > deadline:
            shown = "show" if present else "go"
            raise AdminError(f"ACL binding {exact} did not {shown} within {ACL_AWAIT_S:.0f} s")
        time.sleep(POLL_S)


def _await_last_taken(
    admin: AdminClient, outcomes: Mapping[AclBindingFilter, bool | AdminError], present: bool
) -> None:
    """await_acl for the last binding, in the order sent, that the cluster took; none taken: nothing to wait for."""
    taken = [exact for exact, result in outcomes.items() if result is True]
    if taken:
        await_acl(admin, taken[-1], present)


def create_acls(admin: AdminClient, specs: Sequence[AclSpec]) -> list[bool | AdminError]:
    """CreateAcls requests for every binding: per binding, in order, True or the AdminError naming it. Creating a
    binding the cluster already has succeeds and changes nothing. Returns once the cluster applies them."""
    bindings = [acl_snapshot.binding(spec.fields()) for spec in specs]
    # A binding named twice in one request is refused by the client; once is enough for both callers. No chunk is
    # empty: the client refuses an empty request.
    unique = list(dict.fromkeys(bindings))
    futures: dict[AclBinding, Future] = {}
    for chunk in _chunks(unique, ACLS_PER_REQUEST):
        futures |= _answered(admin.create_acls(list(chunk), request_timeout=REQUEST_TIMEOUT_S))
    outcomes = {item: outcome(futures[item], f"create ACL {item}") for item in unique}
    _await_last_taken(admin, {acl_snapshot.matching(item): result for item, result in outcomes.items()}, True)
    return [outcomes[item] for item in bindings]


def delete_acls(admin: AdminClient, specs: Sequence[AclSpec]) -> list[bool | AdminError]:
    """DeleteAcls requests, each binding matched exactly: per binding, in order, True (also when nothing matched:
    already gone) or the AdminError naming it. Returns once the cluster applies them."""
    filters = [acl_snapshot.exact_filter(spec.fields()) for spec in specs]
    unique = list(dict.fromkeys(filters))
    futures: dict[AclBindingFilter, Future] = {}
    for chunk in _chunks(unique, ACLS_PER_REQUEST):
        futures |= _answered(admin.delete_acls(list(chunk), request_timeout=REQUEST_TIMEOUT_S))
    outcomes = {item: outcome(futures[item], f"delete ACL {item}") for item in unique}
    _await_last_taken(admin, outcomes, False)
    return [outcomes[item] for item in filters]
