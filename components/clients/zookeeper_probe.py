"""Asks a ZooKeeper node of the platform what it is (leader, follower, standalone, or not serving), from inside
its own container with its own certificate: ZooKeeper is not published outside the platform's network."""

from __future__ import annotations

import re
import subprocess

from components.rules.layout import KEYSTORE, TRUSTSTORE, ZK_SECURE_PORT

PROBE = (
    f"echo srvr | openssl s_client -quiet -connect 127.0.0.1:{ZK_SECURE_PORT} -CAfile {TRUSTSTORE}"
    f" -cert {KEYSTORE} -key {KEYSTORE} 2>/dev/null"
)
MODE = re.compile(r"^Mode: (\w+)", re.MULTILINE)
TIMEOUT_S = 20


def mode(container: str) -> str | None:
    """The node's mode, or None when it does not serve (stopped, starting, or without a quorum)."""
    try:
        done = subprocess.run(
            ["docker", "exec", container, "sh", "-c", PROBE], capture_output=True, text=True, timeout=TIMEOUT_S
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = MODE.search(done.stdout)
    return found.group(1) if found else None
