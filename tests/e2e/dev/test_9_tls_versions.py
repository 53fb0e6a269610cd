"""Every listener of the live dev stack refuses TLS 1.1 and TLS 1.2 without an AEAD suite, and the same client
gets in with TLS 1.2 and an ECDHE-GCM suite: the refusal is the server's. The client is OpenSSL with TLS 1.1
re-enabled (security level 0); it first proves it really offers 1.1 by completing a 1.1 handshake with a throw-away
`openssl s_server -tls1_1` on 127.0.0.1. The published ports are tried from the host, the internal listeners
from inside a broker's container (its OpenSSL, its own certificate for the listeners that require one)."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from components.rules import layout
from components.rules.layout import CLIENT_PORT, EXTERNAL_PORT, INTERNAL_PORT, ZK_SECURE_PORT

TLS11 = ("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0")
TLS12_GCM = ("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
TLS12_CBC = ("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256")  # forward secret, but no AEAD
TLS13 = ("-tls1_3",)
# A free port on 127.0.0.1 of the host (moved with the stack's ports) or of the container.
PROBE_PORT = 14443 + int(os.environ.get("CARACAL_E2E_PORT_OFFSET", "0"))
INTERNAL = {
    "broker, inter-broker (mutual TLS)": f"{layout.broker_host(0)}:{INTERNAL_PORT}",
    "broker, clients in the network": f"{layout.broker_host(0)}:{CLIENT_PORT}",
    "broker, host clients (in-network side)": f"{layout.broker_host(0)}:{EXTERNAL_PORT}",
    "ZooKeeper, clients": f"{layout.zookeeper_host(0)}:{ZK_SECURE_PORT}",
    "registry": "schema-registry:8443",
    "registry proxy (in-network side)": "schema-registry-proxy:8443",
}


def negotiated(output: str) -> str | None:
    """The protocol `openssl s_client -brief` agreed on, None when the handshake failed."""
    found = re.search(r"Protocol version: (TLSv1(\.\d)?)", output)
    return found.group(1) if found else None


class Client:
    """openssl s_client on the host, or inside a container of the stack (`docker exec`)."""

    def __init__(self, container: str | None = None) -> None:
        self.container = container

    def run(self, script: str) -> str:
        command = ["sh", "-c", script]
        if self.container:
            command = ["docker", "exec", self.container, *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout

    def handshake(self, target: str, options: tuple[str, ...]) -> str | None:
        # Inside the broker, its own certificate: listeners that require one refuse a 1.2 handshake without it.
        identity = f" -cert {layout.KEYSTORE} -key {layout.KEYSTORE}" if self.container else ""
        return negotiated(
            self.run(f"openssl s_client -brief -connect {target}{identity} {' '.join(options)} </dev/null 2>&1")
        )

    def offers_tls11(self, cert: str, key: str) -> str | None:
        """A TLS 1.1-only server on 127.0.0.1 for one handshake, and this client's handshake with it."""
        server = (
            f"openssl s_server -quiet -accept 127.0.0.1:{PROBE_PORT} -cert {cert} -key {key} {' '.join(TLS11)}"
            " -naccept 1 >/dev/null 2>&1 </dev/null & sleep 1; "
        )
        client = f"openssl s_client -brief -connect 127.0.0.1:{PROBE_PORT} {' '.join(TLS11)} </dev/null 2>&1; wait"
        return negotiated(self.run(server + client))


@pytest.fixture(scope="module")
def host_client(tmp_path_factory) -> Client:
    folder: Path = tmp_path_factory.mktemp("tls11")
    key, cert = folder / "key.pem", folder / "cert.pem"
    self_signed = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1"]
    subprocess.run([*self_signed, "-keyout", str(key), "-out", str(cert)], capture_output=True, check=True)
    client = Client()
    assert client.offers_tls11(str(cert), str(key)) == "TLSv1.1"
    return client


@pytest.fixture(scope="module")
def network_client(dev) -> Client:
    broker = next(name for name in dev.containers() if name.endswith(f"-{layout.broker_host(0)}"))
    client = Client(broker)
    assert client.offers_tls11(layout.KEYSTORE, layout.KEYSTORE) == "TLSv1.1"
    return client


def published(outputs) -> dict[str, str]:
    brokers = {f"broker {server}": server for server in outputs["bootstrapServers"].split(",")}
    registry = outputs["registryUrl"].split("//", 1)[1].split("/", 1)[0]
    return {**brokers, "registry proxy": registry}


def refusals(client: Client, targets: dict[str, str]) -> dict[str, dict[str, str | None]]:
    """Per listener: what each offer negotiated (None: refused)."""
    return {
        name: {
            offer: client.handshake(target, options)
            for offer, options in (("1.1", TLS11), ("1.2 CBC", TLS12_CBC), ("1.2 GCM", TLS12_GCM), ("1.3", TLS13))
        }
        for name, target in targets.items()
    }


EXPECTED = {"1.1": None, "1.2 CBC": None, "1.2 GCM": "TLSv1.2", "1.3": "TLSv1.3"}


def test_the_published_listeners_refuse_tls_1_1_and_non_aead_suites(outputs, host_client):
    found = refusals(host_client, published(outputs))
    assert found == {name: EXPECTED for name in found}


def test_the_internal_listeners_refuse_tls_1_1_and_non_aead_suites(network_client):
    started = time.monotonic()
    found = refusals(network_client, INTERNAL)
    print(f"\n[timing] {len(found) * len(EXPECTED)} handshakes in the network: {time.monotonic() - started:.1f} s")
    assert found == {name: EXPECTED for name in INTERNAL}
