"""Every listener of the live dev stack refuses TLS 1.1 and TLS 1.2 without an AEAD suite, and the same client
gets in with TLS 1.2 and an ECDHE-GCM suite: the refusal is the server's. The client is OpenSSL with TLS 1.1
re-enabled (security level 0); it first proves it really offers 1.1 by completing a 1.1 handshake with a throw-away
`openssl s_server -tls1_1` on 127.0.0.1. The published ports are tried from the host, the internal listeners
from inside a broker's container (its OpenSSL, its own certificate for the listeners that require one)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from components.rules import layout
from components.rules.layout import CLIENT_PORT, EXTERNAL_PORT, INTERNAL_PORT, ZK_SECURE_PORT
from tests.e2e.tls_probe import EXPECTED, Client, refusals

INTERNAL = {
    "broker, inter-broker (mutual TLS)": f"{layout.broker_host(0)}:{INTERNAL_PORT}",
    "broker, clients in the network": f"{layout.broker_host(0)}:{CLIENT_PORT}",
    "broker, host clients (in-network side)": f"{layout.broker_host(0)}:{EXTERNAL_PORT}",
    "ZooKeeper, clients": f"{layout.zookeeper_host(0)}:{ZK_SECURE_PORT}",
    "registry": "schema-registry:8443",
    "registry proxy (in-network side)": "schema-registry-proxy:8443",
}


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


def test_the_published_listeners_refuse_tls_1_1_and_non_aead_suites(outputs, host_client):
    found = refusals(host_client, published(outputs))
    assert found == {name: EXPECTED for name in found}


def test_the_internal_listeners_refuse_tls_1_1_and_non_aead_suites(network_client):
    started = time.monotonic()
    found = refusals(network_client, INTERNAL)
    print(f"\n[timing] {len(found) * len(EXPECTED)} handshakes in the network: {time.monotonic() - started:.1f} s")
    assert found == {name: EXPECTED for name in INTERNAL}
