"""How many processes each container may run (Docker's pids limit). The kernel's pids controller counts every
thread, and a JVM service is nearly all threads, so each limit is reasoned from the threads the service runs.

Kafka runs no thread per topic or partition: 10,000 topics cost file handles, memory and ZooKeeper znodes, not
threads. A broker's threads come from fixed pools (at Kafka 3.9's defaults; server.properties sets none of them),
one replica fetcher per other broker, and the JVM's own threads, which grow with the processors it sees (the
container's CPU limit, rounded up). Each limit is twice the estimate, rounded up to a multiple of 64, so that a
thread dump, a tool run with `docker exec` and the health checks fit beside the service.
"""

from __future__ import annotations

import math

# Kafka 3.9's broker thread pools at their defaults.
LISTENERS = 3  # INTERNAL, CLIENT, EXTERNAL: an acceptor each
NETWORK_THREADS = 3  # num.network.threads, per listener
IO_THREADS = 8  # num.io.threads
REPLICA_FETCHERS = 1  # num.replica.fetchers, per other broker
LOG_CLEANER_THREADS = 1  # log.cleaner.threads
BACKGROUND_THREADS = 10  # background.threads (retention, flushes, segment deletion for every partition)
RECOVERY_THREADS = 1  # num.recovery.threads.per.data.dir (log loading at start)
# The controller's event thread and channel managers, the request purgatories' reapers, the quota managers,
# the ZooKeeper client's send and event threads, the log directory failure handler, metrics reporters.
KAFKA_FIXED_THREADS = 40
# ZooKeeper: its request pipeline (prep, sync, commit processors and their workers), the session tracker, the
# quorum's learner handlers and election threads; Netty's event loops are counted per processor below.
ZOOKEEPER_FIXED_THREADS = 30
# Apicurio (Quarkus): Vert.x event loops (2 per processor, below), its Kafka producer and consumers, and the
# worker pool, which grows under load to Quarkus's default maximum of max(200, 8 per processor).
REGISTRY_FIXED_THREADS = 40
QUARKUS_WORKERS = 200
# The JVM itself: VM, reference handler, finalizer, signal dispatcher, service, sweeper, common-cleaner, attach
# listener, periodic task threads; then GC workers and JIT compilers, together about 3 per processor.
JVM_FIXED_THREADS = 15
JVM_THREADS_PER_PROCESSOR = 3
# A second JVM run with `docker exec` (Kafka's ConfigCommand for quotas) and a health check's shell pipeline.
TOOL_THREADS = 40
# HAProxy: a master and one worker with one thread per processor of the host it may run on (its CPU affinity,
# not the container's CPU limit: at most 64), the start script's shell and openssl while it hashes passwords,
# and a health check.
HAPROXY_MAX_THREADS = 64
HAPROXY_OTHER_PROCESSES = 8
HEADROOM = 2
ROUND_TO = 64


def processors(cpu_millicores: int) -> int:
    """The processors a JVM sees under a CPU limit (it rounds the quota up)."""
    return max(1, math.ceil(cpu_millicores / 1000))


def _jvm(cpu_millicores: int) -> int:
    return JVM_FIXED_THREADS + JVM_THREADS_PER_PROCESSOR * processors(cpu_millicores)


def _limit(threads: int) -> int:
    return math.ceil(threads * HEADROOM / ROUND_TO) * ROUND_TO


def broker_threads(brokers: int, cpu_millicores: int) -> int:
    """The threads one broker of a cluster of `brokers` runs, whatever its topic count."""
    kafka = (
        LISTENERS * (1 + NETWORK_THREADS)
        + IO_THREADS
        + REPLICA_FETCHERS * (brokers - 1)
        + LOG_CLEANER_THREADS
        + BACKGROUND_THREADS
        + RECOVERY_THREADS
        + KAFKA_FIXED_THREADS
        # The ZooKeeper client's Netty event loop.
        + 2 * processors(cpu_millicores)
    )
    return kafka + _jvm(cpu_millicores) + TOOL_THREADS


def broker_pids_limit(brokers: int, cpu_millicores: int) -> int:
    return _limit(broker_threads(brokers, cpu_millicores))


def zookeeper_pids_limit(nodes: int, cpu_millicores: int) -> int:
    # A leader runs a learner handler (and its sender) per follower; Netty 2 event loops per processor.
    threads = ZOOKEEPER_FIXED_THREADS + 2 * (nodes - 1) + 2 * processors(cpu_millicores)
    return _limit(threads + _jvm(cpu_millicores) + TOOL_THREADS)


def registry_pids_limit(cpu_millicores: int) -> int:
    cpus = processors(cpu_millicores)
    workers = max(QUARKUS_WORKERS, 8 * cpus)
    return _limit(REGISTRY_FIXED_THREADS + 2 * cpus + workers + _jvm(cpu_millicores) + TOOL_THREADS)


def proxy_pids_limit() -> int:
    return _limit(1 + HAPROXY_MAX_THREADS + HAPROXY_OTHER_PROCESSES)


def controller_pids_limit(nodes: int, cpu_millicores: int) -> int:
    # A KRaft controller runs a broker's socket server, request handlers and a connection per node it talks to
    # (every broker and controller): a broker's budget for that many nodes covers it.
    return broker_pids_limit(nodes, cpu_millicores)


# A Go service (Prometheus, Alertmanager): the runtime's threads (a few per processor the scheduler uses, plus those
# blocked in system calls) and the health check's shell and openssl.
GO_SERVICE_THREADS = 40


def go_service_pids_limit() -> int:
    return _limit(GO_SERVICE_THREADS)
