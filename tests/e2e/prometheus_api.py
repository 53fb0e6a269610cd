"""Prometheus's HTTP API as an operator reaches it: the stack's `prometheusUrl` over HTTPS (the stack's CA) with
the `prometheusLogin` credential."""

from __future__ import annotations

import base64
import json
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


def get(outputs: dict[str, Any], path: str, login: str | None = None, **params: str) -> Any:
    """The `data` of one API answer; raises urllib.error.HTTPError on a refusal."""
    context = ssl.create_default_context(cadata=outputs["caBundle"])
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    request = urllib.request.Request(f"{outputs['prometheusUrl']}{path}{query}")
    token = base64.b64encode((login or outputs["prometheusLogin"]).encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, context=context, timeout=30) as answer:
        return json.loads(answer.read())["data"]


def query(outputs: dict[str, Any], expression: str) -> list[dict[str, Any]]:
    return get(outputs, "/api/v1/query", query=expression)["result"]


def alert_states(outputs: dict[str, Any], name: str) -> list[str]:
    """The states ("pending", "firing") of every active alert named `name`."""
    return [
        alert["state"] for alert in get(outputs, "/api/v1/alerts")["alerts"] if alert["labels"]["alertname"] == name
    ]


def wait_until(check, timeout_s: float, what: str, every_s: float = 5) -> float:
    """Seconds until `check()` is true; fails naming `what` after `timeout_s`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        try:
            if check():
                return time.monotonic() - started
        except (urllib.error.URLError, OSError, KeyError, IndexError):  # not answered, or no such series yet
            pass
        time.sleep(every_s)
    raise AssertionError(f"{what}: not within {timeout_s:.0f} s")
