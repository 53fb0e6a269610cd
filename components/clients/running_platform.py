"""What of a stack's platform runs on this Docker host right now, read when the program starts: whether its
containers exist, which broker is the active controller and which ZooKeeper node leads. The platform turns that
into the order a change restarts nodes in (components/rules/roll.py)."""

from __future__ import annotations

import subprocess

from confluent_kafka.admin import AdminClient

from components.clients import cluster_health, zookeeper_probe
from components.clients.client_properties import parse_properties, to_librdkafka
from components.clients.kafka_admin import admin_settings
from components.rules.layout import ADMIN_CLIENT_FILE, TRUSTSTORE, broker_host, zookeeper_host
from components.rules.roll import RollPlan, roll_order, zookeeper_order

TIMEOUT_S = 20


class DockerUnavailable(RuntimeError):
    """The Docker daemon did not answer: what runs is not known."""


def _docker(*args: str) -> str:
    try:
        done = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DockerUnavailable(f"docker {args[0]}: {error}") from None
    if done.returncode != 0:
        raise DockerUnavailable(f"docker {args[0]}: {done.stderr.strip()}")
    return done.stdout


def running_containers(prefix: str) -> set[str]:
    return set(_docker("ps", "--filter", f"name=^{prefix}-", "--format", "{{.Names}}").split())


def controller(prefix: str, bootstrap_servers: str, brokers: list[int]) -> int | None:
    """The active controller, asked as the admin with the login a running broker holds (read through `docker
    exec`, kept in memory only); None when no broker answers."""
    for broker in brokers:
        container = f"{prefix}-{broker_host(broker)}"
        try:
            login = to_librdkafka(parse_properties(_docker("exec", container, "cat", ADMIN_CLIENT_FILE)))
            ca_pem = _docker("exec", container, "cat", TRUSTSTORE)
        except (DockerUnavailable, ValueError):
            continue
        connection = {
            "bootstrap_servers": bootstrap_servers,
            "username": login.get("sasl.username", ""),
            "password": login.get("sasl.password", ""),
            "ca_pem": ca_pem,
        }
        try:
            return cluster_health.controller(AdminClient(admin_settings(connection)))
        except Exception:  # a cluster that does not answer has no controller to keep for last
            return None
    return None


def roll_plan(prefix: str, bootstrap_servers: str, brokers: int, zookeeper_nodes: int) -> RollPlan:
    """RollPlan.fresh when none of the stack's brokers runs; otherwise the restart order of what runs."""
    running = running_containers(prefix)
    broker_ids = [index for index in range(brokers) if f"{prefix}-{broker_host(index)}" in running]
    if not broker_ids:
        return RollPlan.fresh(brokers, zookeeper_nodes)
    modes = {
        index: zookeeper_probe.mode(f"{prefix}-{zookeeper_host(index)}")
        for index in range(zookeeper_nodes)
        if f"{prefix}-{zookeeper_host(index)}" in running
    }
    return RollPlan(
        True,
        tuple(roll_order(broker_ids, controller(prefix, bootstrap_servers, broker_ids))),
        tuple(zookeeper_order(modes)),
    )
