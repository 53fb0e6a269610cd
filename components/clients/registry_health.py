"""The schema registry's own health endpoint (Apicurio's `/health`, at the root of the server the API is on),
asked with the user's registry login: through the platform's proxy only the admin may read it."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from components.clients.registry import RegistryClient
from components.rules.health_verdict import (
    REGISTRY_DOWN,
    REGISTRY_NOT_ALLOWED,
    REGISTRY_NOT_CONFIGURED,
    REGISTRY_UNREACHABLE,
    REGISTRY_UP,
    RegistryFacts,
)

HEALTH_PATH = "/health"


def health_url(api_url: str) -> str:
    """The health endpoint of the registry serving the API at `api_url`."""
    parts = urllib.parse.urlsplit(api_url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, HEALTH_PATH, "", ""))


def registry_health(settings: Mapping[str, str], timeout: float) -> RegistryFacts:
    """UP or DOWN as the registry says (DOWN naming its failing checks), or why it could not be asked."""
    if not settings.get("url"):
        return RegistryFacts(None, REGISTRY_NOT_CONFIGURED, "no registry URL: give --registry-url or use --stack")
    try:
        client = RegistryClient.from_settings(settings, timeout)
    except ValueError as error:
        return RegistryFacts(settings["url"], REGISTRY_UNREACHABLE, f"invalid registry settings: {error}")
    url = health_url(client.url)
    headers = {key: value for key, value in client.headers.items() if key == "Authorization"}
    request = urllib.request.Request(url, headers={**headers, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=client.context) as response:
            return _answer(url, response.status, response.read())
    except urllib.error.HTTPError as error:
        if error.code in (401, 403):
            return RegistryFacts(url, REGISTRY_NOT_ALLOWED, f"HTTP {error.code}: only the admin may read {HEALTH_PATH}")
        return _answer(url, error.code, error.read())
    except (urllib.error.URLError, OSError) as error:
        return RegistryFacts(url, REGISTRY_UNREACHABLE, str(getattr(error, "reason", error)))


def _answer(url: str, status: int, body: bytes) -> RegistryFacts:
    try:
        answer = json.loads(body)
    except ValueError:
        return RegistryFacts(url, REGISTRY_DOWN, f"HTTP {status}, not a health answer")
    if not isinstance(answer, dict):
        return RegistryFacts(url, REGISTRY_DOWN, f"HTTP {status}, not a health answer")
    if answer.get("status") == REGISTRY_UP and status == 200:
        return RegistryFacts(url, REGISTRY_UP)
    failing = [check.get("name", "?") for check in answer.get("checks", []) if check.get("status") != REGISTRY_UP]
    return RegistryFacts(url, REGISTRY_DOWN, f"HTTP {status}, failing checks: {', '.join(failing) or 'none named'}")
