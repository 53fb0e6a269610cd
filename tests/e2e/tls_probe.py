"""TLS handshakes against a live stack's listeners with OpenSSL's s_client, on the host or inside one of the stack's
containers: which protocol each kind of offer gets. The client re-enables TLS 1.1 (security level 0), and proves
it really offers 1.1 by completing a 1.1 handshake with a throw-away `openssl s_server -tls1_1` on 127.0.0.1."""

from __future__ import annotations

import os
import re
import subprocess

from components.rules import layout

TLS11 = ("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0")
TLS12_GCM = ("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
TLS12_CBC = ("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256")  # forward secret, but no AEAD
TLS13 = ("-tls1_3",)
# A free port on 127.0.0.1 of the host (moved with the stack's ports) or of the container.
PROBE_PORT = 14443 + int(os.environ.get("CARACAL_E2E_PORT_OFFSET", "0"))


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
        # Inside a broker or ZooKeeper node, its own certificate (both keep it at layout.KEYSTORE): listeners that
        # require one refuse a 1.2 handshake without it.
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
