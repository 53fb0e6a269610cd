"""A secured single KRaft node (broker and controller in one process) in throw-away containers: its own CA and
certificate, mutual TLS between the node's roles, SCRAM-SHA-512 for clients with the admin seeded at format time
(`kafka-storage format --add-scram`), the StandardAuthorizer, on a Docker network of its own. The settings follow
the platform's brokers (listeners, TLS policy, principal mapping, super users); the log configuration is the
release's (components/rules/kafka_release.py)."""

from __future__ import annotations

import base64
import datetime
import io
import os
import secrets
import subprocess
import tarfile
import time
import uuid
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from components.clients import kafka_tools
from components.clients.client_properties import client_properties, format_properties
from components.clients.jaas_config import SCRAM_LOGIN_MODULE
from components.rules import tls_policy
from components.rules.kafka_release import Release
from components.rules.layout import KAFKA_LIBS

HOST = "kafka-1"
NODE_ID = 1
INTERNAL, CLIENT, CONTROLLER = 9091, 9092, 9094
CONFIG = "/etc/kafka"
STARTED = "Kafka Server started"


def docker(*args: str, stdin: bytes | None = None, check: bool = True) -> str:
    done = subprocess.run(["docker", *args], input=stdin, capture_output=True, timeout=120, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"docker {args[0]} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return done.stdout.decode(errors="replace")


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _certificate(
    subject: str, key: rsa.RSAPrivateKey, issuer: tuple[str, rsa.RSAPrivateKey] | None = None
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    issuer_name, issuer_key = issuer or (subject, key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    if issuer is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def server_properties(release: Release) -> str:
    """A combined node's server.properties: the platform's listener layout plus the KRaft controller listener."""
    scram = f"{SCRAM_LOGIN_MODULE} required;"
    return format_properties(
        {
            "process.roles": "broker,controller",
            "node.id": NODE_ID,
            "controller.quorum.bootstrap.servers": f"{HOST}:{CONTROLLER}",
            "controller.listener.names": "CONTROLLER",
            "log.dirs": "/var/lib/kafka/data",
            "listeners": f"INTERNAL://0.0.0.0:{INTERNAL},CLIENT://0.0.0.0:{CLIENT},CONTROLLER://0.0.0.0:{CONTROLLER}",
            "advertised.listeners": f"INTERNAL://{HOST}:{INTERNAL},CLIENT://{HOST}:{CLIENT}",
            "listener.security.protocol.map": "INTERNAL:SSL,CLIENT:SASL_SSL,CONTROLLER:SSL",
            "inter.broker.listener.name": "INTERNAL",
            "listener.name.internal.ssl.client.auth": "required",
            "listener.name.controller.ssl.client.auth": "required",
            "sasl.enabled.mechanisms": "SCRAM-SHA-512",
            "listener.name.client.scram-sha-512.sasl.jaas.config": scram,
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": f"{CONFIG}/keystore.pem",
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": f"{CONFIG}/ca.pem",
            "ssl.endpoint.identification.algorithm": "https",
            "ssl.enabled.protocols": tls_policy.java_protocols(),
            "ssl.cipher.suites": tls_policy.java_cipher_suites(),
            "ssl.principal.mapping.rules": "RULE:^CN=([^,]+)(,.*)?$/$1/,DEFAULT",
            "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "allow.everyone.if.no.acl.found": "false",
            # The node's certificate principal: the controller checks CLUSTER_ACTION on its own quorum requests.
            "super.users": f"User:admin;User:{HOST}",
            "auto.create.topics.enable": "false",
            "offsets.topic.replication.factor": 1,
            "transaction.state.log.replication.factor": 1,
            "transaction.state.log.min.isr": 1,
            "group.initial.rebalance.delay.ms": 0,
        }
    )


def start_script(release: Release, cluster_id: str, password: str, metadata_version: str) -> str:
    """Formats the log dir once (the admin's SCRAM credential goes into the bootstrap metadata), then runs the
    node. It lives in the config dir, readable by the node's user only: the password is on no container's
    command line or environment."""
    java = f"java -Xmx256m {release.log_config.jvm_option} -cp '{KAFKA_LIBS}'"
    return (
        "#!/bin/sh\nset -eu\n"
        f"{java} kafka.tools.StorageTool format --ignore-formatted --cluster-id {cluster_id}"
        f" --config {CONFIG}/server.properties --standalone --release-version {metadata_version}"
        f" --add-scram 'SCRAM-SHA-512=[name=admin,password={password}]'\n"
        f"{release.server_command(256, 'kafka.Kafka', f'{CONFIG}/server.properties')}\n"
    )


@dataclass
class KraftNode:
    """One node of `image` on its own network; `up()` returns once Kafka says it started."""

    image: str
    release: Release
    metadata_version: str
    scope: str = os.environ.get("CARACAL_E2E_SCOPE", "")

    def __post_init__(self) -> None:
        self.name = f"caracal-{self.scope}k4-{HOST}"
        self.network = f"caracal-{self.scope}k4-net"
        self.volume = f"caracal-{self.scope}k4-config"
        self.data_volume = f"caracal-{self.scope}k4-data"
        self.cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        self.password = secrets.token_urlsafe(18)
        ca_key, node_key = _key(), _key()
        self.ca_pem = _certificate("caracal-k4-ca", ca_key).public_bytes(serialization.Encoding.PEM).decode()
        node = _certificate(HOST, node_key, ("caracal-k4-ca", ca_key)).public_bytes(serialization.Encoding.PEM)
        self._keystore = _pem(node_key) + node.decode() + self.ca_pem

    @property
    def login(self) -> kafka_tools.ClientConfig:
        """The admin's login over the SCRAM listener, as the tool runner takes it (stdin only)."""
        properties = client_properties("admin", self.password, ca_pem=self.ca_pem)
        return kafka_tools.ClientConfig(f"{HOST}:{CLIENT}", properties, (self.password,))

    @property
    def tool_place(self) -> kafka_tools.InToolContainer:
        return kafka_tools.InToolContainer(self.image, network=self.network)

    def _files(self) -> bytes:
        cluster_id = self.cluster_id
        files = {
            "server.properties": (server_properties(self.release), 0o644),
            "ca.pem": (self.ca_pem, 0o644),
            "keystore.pem": (self._keystore, 0o600),
            "start.sh": (start_script(self.release, cluster_id, self.password, self.metadata_version), 0o700),
        }
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as archive:
            for name, (text, mode) in files.items():
                data = text.encode()
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.uid, info.gid = len(data), mode, 1000, 1000
                archive.addfile(info, io.BytesIO(data))
        return buffer.getvalue()

    def up(self, timeout_s: float = 180) -> float:
        """Create, fill and start the node; the seconds until Kafka said it started."""
        self.down()
        docker("network", "create", self.network)
        return self._start(timeout_s)

    def roll_to(self, image: str, release: Release, timeout_s: float = 180) -> float:
        """Stop the node cleanly and start it again from `image` on the same data (the start script of `release`);
        the seconds from the stop until Kafka said it started."""
        started = time.monotonic()
        docker("stop", "--time", "60", self.name)
        docker("rm", self.name)
        self.image, self.release = image, release
        return self._start(timeout_s) + (time.monotonic() - started)

    def _start(self, timeout_s: float) -> float:
        # The config volume, filled from a tar on stdin by a root container without network (tar keeps the
        # archive's owner, the kafka user, and modes); the node mounts it read-only.
        docker(
            "run", "--rm", "--interactive", "--network", "none", "--user", "0", "--volume", f"{self.volume}:{CONFIG}",
            "--entrypoint", "tar", self.image, "-x", "-C", CONFIG, stdin=self._files(),
        )  # fmt: skip
        started = time.monotonic()
        docker(
            "run", "--detach", "--name", self.name, "--hostname", HOST, "--network", self.network,
            "--network-alias", HOST, "--volume", f"{self.volume}:{CONFIG}:ro",
            "--volume", f"{self.data_volume}:/var/lib/kafka", "--memory", "1g",
            "--pids-limit", "512", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
            "--entrypoint", "/bin/sh", self.image, f"{CONFIG}/start.sh",
        )  # fmt: skip
        while time.monotonic() - started < timeout_s:
            if STARTED in self.logs():
                return time.monotonic() - started
            if docker("inspect", "--format", "{{.State.Running}}", self.name).strip() != "true":
                break
            time.sleep(1)
        raise RuntimeError(f"{self.name} did not start within {timeout_s} s:\n{self.logs()[-3000:]}")

    def logs(self) -> str:
        done = subprocess.run(["docker", "logs", self.name], capture_output=True, text=True, timeout=60, check=False)
        return done.stdout + done.stderr

    def down(self) -> None:
        docker("rm", "--force", "--volumes", self.name, check=False)
        docker("network", "rm", self.network, check=False)
        docker("volume", "rm", self.volume, self.data_volume, check=False)
