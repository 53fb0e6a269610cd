"""Registry clients built from connection settings: the CA trusted inline, basic auth, and settings it cannot use.

The HTTPS test runs a registry stand-in on 127.0.0.1 with a certificate made for the test: no network needed.
"""

from __future__ import annotations

import base64
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from components.clients.registry import RegistryClient, RegistryError

PEM = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"


def _certificate(tmp_path: Path) -> tuple[str, Path, Path]:
    """A self-signed certificate for 127.0.0.1: its PEM, and the files the server loads."""
    pytest.importorskip("cryptography")  # installed with confluent-kafka[schemaregistry]
    from tests.certificates import self_signed

    pem, key_pem = self_signed("registry-test", "127.0.0.1")
    cert_file, key_file = tmp_path / "server.pem", tmp_path / "server.key"
    cert_file.write_text(pem)
    key_file.write_text(key_pem)
    return pem, cert_file, key_file


class _Registry(BaseHTTPRequestHandler):
    """Answers GET /subjects and records the headers of each request."""

    seen: list[dict[str, str]]

    def do_GET(self) -> None:
        self.seen.append(dict(self.headers))
        body = json.dumps(["caracal.dlq-value"]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keeps pytest output clean
        pass


@pytest.fixture
def https_registry(tmp_path: Path) -> Iterator[tuple[str, str, list[dict[str, str]]]]:
    """URL, CA PEM and the recorded request headers of an HTTPS registry stand-in."""
    pem, cert_file, key_file = _certificate(tmp_path)
    seen: list[dict[str, str]] = []
    handler = type("Handler", (_Registry,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", pem, seen
    finally:
        server.shutdown()
        server.server_close()


def test_inline_ca_is_trusted_without_any_file(
    https_registry: tuple[str, str, list[dict[str, str]]], tmp_path: Path
) -> None:
    url, pem, seen = https_registry
    for generated in tmp_path.iterdir():  # from here on the certificate exists only as a string
        generated.unlink()

    client = RegistryClient.from_settings({"url": url, "ssl.ca.pem": pem, "basic.auth.user.info": "admin:p:w"})

    assert client.subjects() == ["caracal.dlq-value"]
    assert seen[0]["Authorization"] == "Basic " + base64.b64encode(b"admin:p:w").decode()


def test_a_registry_signed_by_another_ca_is_unreachable(https_registry: tuple[str, str, list[dict[str, str]]]) -> None:
    url, _, _ = https_registry

    with pytest.raises(RegistryError, match="CERTIFICATE_VERIFY_FAILED") as raised:
        RegistryClient.from_settings({"url": url}, timeout=5).subjects()
    assert raised.value.status == 0


def test_settings_are_passed_through() -> None:
    client = RegistryClient.from_settings({"url": "http://reg/", "basic.auth.user.info": "u:p"}, timeout=2)

    assert (client.url, client.timeout, client.context) == ("http://reg", 2, None)
    assert client.headers["Authorization"] == "Basic " + base64.b64encode(b"u:p").decode()


def test_without_basic_auth_no_credentials_are_sent() -> None:
    assert "Authorization" not in RegistryClient.from_settings({"url": "http://reg"}).headers


def test_a_closed_port_is_an_unreachable_registry() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(RegistryError, match="Connection refused") as raised:
        RegistryClient.from_settings({"url": f"http://127.0.0.1:{port}"}, timeout=2).subjects()
    assert raised.value.status == 0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        pytest.param({}, "^url: missing", id="no url"),
        pytest.param({"url": ""}, "^url: missing", id="empty url"),
        pytest.param({"url": "ftp://reg"}, "^url: 'ftp://reg' is not an http", id="bad url"),
        pytest.param({"url": "reg:8081"}, "^url: 'reg:8081' is not an http", id="url without scheme"),
        pytest.param({"url": "http://reg:port"}, "^url: 'http://reg:port' has an invalid port", id="bad port"),
        pytest.param({"url": "http://reg", "colour": "blue"}, "unknown registry settings colour", id="unknown key"),
        pytest.param({"url": "https://reg", "ssl.ca.pem": PEM}, "^ssl.ca.pem: no usable CA", id="bad inline CA"),
        pytest.param(
            {"url": "https://reg", "ssl.ca.location": "/nonexistent/ca.pem"},
            "^ssl.ca.location: no usable CA",
            id="missing CA file",
        ),
    ],
)
def test_unusable_registry_settings_are_reported(settings: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RegistryClient.from_settings(settings, timeout=1)
