"""The changes of a live production cluster that must not be outages, and how to see what each did: applied with
live traffic (tests.e2e.traffic), then the certificates the brokers serve, the heap they run with, the image they
run. Shared by the end-to-end tests in this package and by `python -m bench.rolls`."""

from __future__ import annotations

import re
import socket
import ssl
import subprocess
from dataclasses import dataclass
from typing import Any

from confluent_kafka.admin import ConfigResource
from confluent_kafka.schema_registry import SchemaRegistryClient
from cryptography import x509
from cryptography.exceptions import InvalidSignature

from components.rules.layout import KEYSTORE, TRUSTSTORE, ZK_SECURE_PORT
from infra.scratch_stack import CONFIG_PREFIX, Stack
from tests.e2e import clients
from tests.e2e.downtime import node_names
from tests.e2e.traffic import TOPIC, Traffic, TrafficReport

BASE_IMAGE = "caracal/kafka:3.9.1-jmx1.0.1"
# Another build of the same Kafka version: a change of kafkaImage that must roll the brokers like any other.
REBUILT_IMAGE = "caracal/kafka:3.9.1-jmx1.0.1-rebuild"
DAY_MS = 86_400_000


@dataclass(frozen=True)
class Change:
    name: str
    """What an operator changes, as the figures name it."""
    steps: tuple[dict[str, str], ...]
    """Stack settings of each `up` the change takes."""


RETENTION = Change("retentionDays 30 -> 31", ({"retentionDays": "31"},))
HEAP = Change("brokerHeapMb 768 -> 640", ({"brokerHeapMb": "640"},))
CERTIFICATES = Change("certificateRotation 0 -> 1", ({"certificateRotation": "1"},))
# Trust the new CA beside the old one, serve certificates it signed, then drop the old one: three `up`s.
CA = Change(
    "CA rotation (trust, sign, none)",
    tuple({"caGeneration": "1", "caRotation": step} for step in ("trust", "sign", "none")),
)
IMAGE = Change(f"kafkaImage -> {REBUILT_IMAGE}", ({"kafkaImage": REBUILT_IMAGE},))
CHANGES = (RETENTION, HEAP, CERTIFICATES, CA, IMAGE)


@dataclass(frozen=True)
class Applied:
    report: TrafficReport
    up_seconds: float


def apply(stack: Stack, settings: dict[str, str]) -> Applied:
    """One `up` of `settings` while an application produces and consumes, with clients built from the outputs
    as they are now (as a real application would have them)."""
    outputs = stack.outputs()
    with Traffic(stack.name, outputs, expected_nodes=expected_nodes(stack)) as traffic:
        for key, value in settings.items():
            stack.set_config(key, value)
        run = stack.up()
    assert traffic.report is not None
    return Applied(traffic.report, run.seconds)


def expected_nodes(stack: Stack) -> dict[str, int]:
    """How many brokers and quorum nodes the stack runs, by the kind their containers are named after: ZooKeeper
    nodes unless it is a KRaft stack, controllers where it has any (both during a migration)."""
    config = stack.config
    found = {"kafka": int(stack.setting("brokers"))}
    if config.get(f"{CONFIG_PREFIX}metadataQuorum") != "kraft":
        found["zookeeper"] = int(stack.setting("zookeeperNodes"))
    if int(config.get(f"{CONFIG_PREFIX}controllers") or 0):
        found["controller"] = int(stack.setting("controllers"))
    return found


def broker_ports(stack: Stack) -> list[int]:
    return [int(stack.setting("bootstrapPort")) + index for index in range(int(stack.setting("brokers")))]


def tls_ports(stack: Stack) -> list[int]:
    """Every port a client talks TLS to: the brokers and the registry."""
    return [*broker_ports(stack), int(stack.setting("registryPort"))]


def served_serial(port: int) -> int:
    """Serial number of the certificate served on 127.0.0.1:`port` (not verified: only looked at)."""
    pem = ssl.get_server_certificate(("127.0.0.1", port), timeout=30)
    return x509.load_pem_x509_certificate(pem.encode()).serial_number


def zookeeper_nodes(stack: Stack) -> list[str]:
    """The ZooKeeper nodes' container names, all of them or the test fails (an empty list would compare equal)."""
    names = node_names(stack.name, stack.containers(), "zookeeper")
    assert len(names) == expected_nodes(stack)["zookeeper"], names
    return names


# From inside the node's own container, as its health check does: ZooKeeper is not published outside the stack's
# network, and it asks clients for a certificate (the node's own will do).
ZOOKEEPER_CERTIFICATE = (
    f"openssl s_client -connect 127.0.0.1:{ZK_SECURE_PORT} -CAfile {TRUSTSTORE} -cert {KEYSTORE} -key {KEYSTORE}"
    " </dev/null 2>/dev/null"
)
PEM_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def zookeeper_served_certificate(container: str) -> x509.Certificate:
    """The certificate the ZooKeeper node in `container` serves on its TLS port."""
    command = ["docker", "exec", container, "sh", "-c", ZOOKEEPER_CERTIFICATE]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    found = PEM_CERTIFICATE.search(done.stdout)
    assert found, f"{container} served no certificate on {ZK_SECURE_PORT}: {done.stdout[-500:]} {done.stderr[-500:]}"
    return x509.load_pem_x509_certificate(found.group(0).encode())


def zookeeper_serials(stack: Stack) -> dict[str, int]:
    return {name: zookeeper_served_certificate(name).serial_number for name in zookeeper_nodes(stack)}


def issued_by(certificate: x509.Certificate, ca_pem: str) -> bool:
    """Whether `ca_pem` signed `certificate`."""
    try:
        certificate.verify_directly_issued_by(x509.load_pem_x509_certificate(ca_pem.encode()))
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def chains_to(port: int, ca_pem: str) -> bool:
    """Whether a client trusting `ca_pem` alone accepts the certificate served on 127.0.0.1:`port`."""
    context = ssl.create_default_context(cadata=ca_pem)
    try:
        with (
            socket.create_connection(("127.0.0.1", port), timeout=30) as raw,
            context.wrap_socket(raw, server_hostname="localhost"),
        ):
            return True
    except ssl.SSLCertVerificationError:
        return False


def certificates_in(pem: str) -> int:
    return pem.count("-----BEGIN CERTIFICATE-----")


def client_works(outputs: dict[str, Any]) -> list[str]:
    """A client built from scratch from `outputs` produces a record and lists the subjects; what failed, if any."""
    failures = [str(error) for error in clients.deliver(clients.producer(outputs), TOPIC, [b"fresh-client"]) if error]
    settings = outputs["clientConfigs"]["producer"]["registry"]
    registry = SchemaRegistryClient(
        {
            "url": settings["url"],
            "basic.auth.user.info": settings["basic.auth.user.info"],
            "ssl.ca.location": write_pem(settings["ssl.ca.pem"]),
        }
    )
    try:
        registry.get_subjects()
    except Exception as error:
        failures.append(f"registry: {error}")
    return failures


def write_pem(pem: str) -> str:
    return clients.write_ca({"caCertificate": pem})


def retention_ms(outputs: dict[str, Any]) -> dict[str, str]:
    """log.retention.ms of every broker and retention.ms of every catalog topic, as the cluster reports them."""
    admin = clients.admin(outputs)
    brokers = [ConfigResource(ConfigResource.Type.BROKER, str(b)) for b in admin.list_topics(timeout=30).brokers]
    topics = [ConfigResource(ConfigResource.Type.TOPIC, name) for name in outputs["topics"]]
    # Kafka answers about one broker per request.
    requests = [[broker] for broker in brokers] + [topics]
    found = {}
    for resources in requests:
        for resource, future in admin.describe_configs(resources).items():
            key = "log.retention.ms" if resource.restype == ConfigResource.Type.BROKER else "retention.ms"
            found[f"{resource.name}:{key}"] = future.result(timeout=30)[key].value
    return found


def broker_heaps(stack: Stack) -> dict[str, list[str]]:
    """The -Xmx flags each broker container's processes run with."""
    return node_heaps(stack, "kafka")


def node_heaps(stack: Stack, kind: str) -> dict[str, list[str]]:
    """The -Xmx flags each container of `kind` ("kafka", "controller") runs its processes with."""
    heaps = {}
    for name in stack.containers():
        if f"-{kind}-" in name:
            command = "cat /proc/[0-9]*/cmdline | tr '\\0' '\\n' | grep '^-Xmx' || true"
            done = subprocess.run(["docker", "exec", name, "sh", "-c", command], capture_output=True, text=True)
            heaps[name] = sorted(set(done.stdout.split()))
    return heaps


def broker_images(stack: Stack) -> set[str]:
    """Ids of the images the brokers run (containers name their image by id)."""
    names = [name for name in stack.containers() if "-kafka-" in name]
    done = subprocess.run(["docker", "inspect", "-f", "{{.Image}}", *names], capture_output=True, text=True)
    return set(done.stdout.split())


def image_id(tag: str) -> str:
    done = subprocess.run(["docker", "image", "inspect", "-f", "{{.Id}}", tag], capture_output=True, text=True)
    return done.stdout.strip()


def build_rebuilt_image() -> str:
    """REBUILT_IMAGE from the local base image: no registry involved."""
    dockerfile = f"FROM {BASE_IMAGE}\nLABEL org.caracal.rebuild=rolling-change\n"
    build = ["docker", "build", "-q", "-t", REBUILT_IMAGE, "-"]
    done = subprocess.run(build, input=dockerfile, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"docker build of {REBUILT_IMAGE} failed:\n{done.stderr}")
    return REBUILT_IMAGE


def remove_image(tag: str) -> None:
    """Only the tag: the layers are the base image's."""
    subprocess.run(["docker", "rmi", tag], capture_output=True, check=False)
