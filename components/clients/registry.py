"""The one client of the Confluent schema registry REST API, used by the program and the operator CLI alike:
HTTPS that trusts the platform CA (inline PEM or a file), optional basic auth, one attempt per request within a
timeout.

It speaks to any registry with that API (Confluent's, or Apicurio's /apis/ccompat/v7) and smooths their known
differences: a subject without its own compatibility level, soft versus permanent deletion.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

TIMEOUT_S = 30.0
CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
# The registry client settings a Connection may carry (confluent-kafka's names).
SETTINGS = ("url", "ssl.ca.pem", "ssl.ca.location", "basic.auth.user.info")
# Where Apicurio serves the Confluent API (its own API is beside it, at /apis/registry/v3).
CCOMPAT_PATH = "/apis/ccompat/v7"
# Confluent API error codes, which Apicurio's compatibility API returns too.
SUBJECT_NOT_FOUND = 40401


class RegistryError(RuntimeError):
    """A request the registry refused (`status` is its HTTP status) or that never reached it (`status` 0)."""

    def __init__(self, status: int, message: str, code: int | None = None) -> None:
        super().__init__(
            f"registry answered {status}: {message}" if status else f"cannot reach the registry: {message}"
        )
        self.status = status
        self.message = message
        self.code = code if code is not None else status


class RegistryClient:
    def __init__(
        self,
        url: str,
        ca_pem: str | None = None,
        ca_file: str | None = None,
        basic_auth: str | None = None,
        timeout: float = TIMEOUT_S,
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"url: {url!r} is not an http(s) URL")
        try:
            parts.port  # noqa: B018 - only parsed to refuse a bad port now rather than at the first request
        except ValueError:
            raise ValueError(f"url: {url!r} has an invalid port") from None
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.context = _tls_context(ca_pem, ca_file) if parts.scheme == "https" else None
        self.headers = {"Content-Type": CONTENT_TYPE, "Accept": CONTENT_TYPE}
        if basic_auth:
            self.headers["Authorization"] = "Basic " + base64.b64encode(basic_auth.encode()).decode()

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], timeout: float = TIMEOUT_S) -> RegistryClient:
        """A client from registry settings as a Connection carries them; ValueError naming a key it cannot use."""
        unknown = sorted(set(settings) - set(SETTINGS))
        if unknown:
            raise ValueError(f"unknown registry settings {', '.join(unknown)}; allowed: {', '.join(SETTINGS)}")
        if not settings.get("url"):
            raise ValueError("url: missing")
        return cls(
            settings["url"],
            ca_pem=settings.get("ssl.ca.pem"),
            ca_file=settings.get("ssl.ca.location"),
            basic_auth=settings.get("basic.auth.user.info"),
            timeout=timeout,
        )

    @classmethod
    def from_connection(cls, connection: Mapping[str, str]) -> RegistryClient:
        """A client from the registry connection the program's dynamic resources carry: url, ca_pem and the
        program's own identity (username, password)."""
        login = f"{connection['username']}:{connection['password']}" if connection.get("username") else None
        # An empty CA: the registry's certificate is signed by a CA the system trusts (a managed registry).
        return cls(connection["url"], ca_pem=connection.get("ca_pem") or None, basic_auth=login)

    def _call(self, method: str, path: str, body: Any = None, base: str | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        json_only = {"Content-Type": "application/json", "Accept": "application/json"}
        headers = self.headers if base is None else {**self.headers, **json_only}
        request = urllib.request.Request((base or self.url) + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.context) as response:
                status, text = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            # The registry answers JSON; the proxy in front of it answers 401 and 403 with a page: its reason then.
            detail: Any = error.reason or body
            code = None
            with contextlib.suppress(ValueError, AttributeError):
                answer = json.loads(body)
                detail, code = answer.get("message", body), answer.get("error_code")
            raise RegistryError(error.code, str(detail), code) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            # Refused connection, failed TLS handshake, timeout, or a server that does not speak HTTP.
            reason = getattr(error, "reason", error)
            raise RegistryError(0, _describe(reason)) from None
        try:
            return json.loads(text) if text else None
        except ValueError:
            # A proxy or a wrong URL path answering with a web page instead of the registry API.
            raise RegistryError(status, f"the answer to {method} {path} is not JSON") from None

    @staticmethod
    def _quote(subject: str) -> str:
        return urllib.parse.quote(subject, safe="")

    def subjects(self) -> list[str]:
        return list(self._call("GET", "/subjects"))

    def versions(self, subject: str) -> list[int]:
        return [int(version) for version in self._call("GET", f"/subjects/{self._quote(subject)}/versions")]

    def version(self, subject: str, version: int) -> dict[str, Any]:
        return dict(self._call("GET", f"/subjects/{self._quote(subject)}/versions/{int(version)}"))

    def history(self, subject: str) -> list[tuple[int, str]]:
        """Every version of the subject still served, oldest first, with its schema text."""
        return [(version, str(self.version(subject, version)["schema"])) for version in sorted(self.versions(subject))]

    def register_again(self, subject: str, schema: str) -> None:
        """Register `schema` as the subject's newest version although an older version holds it. The Confluent API
        cannot (it answers with the older version); Apicurio's own API, served beside it, can."""
        if not self.url.endswith(CCOMPAT_PATH):
            raise RegistryError(
                501,
                f"{self.url} is not Apicurio's Confluent-compatible API: registering a schema again is not possible",
            )
        native = self.url.removesuffix(CCOMPAT_PATH) + "/apis/registry/v3"
        body = {"content": {"content": schema, "contentType": "application/json"}}
        self._call("POST", f"/groups/default/artifacts/{self._quote(subject)}/versions", body, base=native)

    def delete_version(self, subject: str, version: int) -> None:
        """Soft-delete one version: it is no longer served as the latest nor listed. A version no longer served
        (soft-deleted before) stays so: the registry refuses a second soft delete (Apicurio: 409 "Schema is already
        soft deleted"), which is what was asked."""
        try:
            self._call("DELETE", f"/subjects/{self._quote(subject)}/versions/{int(version)}")
        except RegistryError as error:
            if error.status not in (404, 409) or self._serves(subject, version):
                raise

    def _serves(self, subject: str, version: int) -> bool:
        try:
            return int(version) in self.versions(subject)
        except RegistryError as error:
            if error.status == 404:
                return False
            raise

    def latest(self, subject: str) -> dict[str, Any] | None:
        """The latest version of a subject, or None when the subject does not exist (or was soft-deleted)."""
        try:
            return dict(self._call("GET", f"/subjects/{self._quote(subject)}/versions/latest"))
        except RegistryError as error:
            if error.status == 404:
                return None
            raise

    def register(self, subject: str, schema: str, references: list[dict[str, Any]]) -> int:
        body: dict[str, Any] = {"schema": schema, "schemaType": "AVRO"}
        if references:
            body["references"] = references
        return int(self._call("POST", f"/subjects/{self._quote(subject)}/versions", body)["id"])

    def incompatibilities(self, subject: str, schema: str, references: list[dict[str, Any]]) -> list[str] | None:
        """None when `schema` may follow the subject's latest version; the registry's reasons otherwise."""
        body: dict[str, Any] = {"schema": schema, "schemaType": "AVRO"}
        if references:
            body["references"] = references
        path = f"/compatibility/subjects/{self._quote(subject)}/versions/latest?verbose=true"
        try:
            answer = self._call("POST", path, body)
        except RegistryError as error:
            if error.status == 404:
                return None
            if error.status in (409, 422):
                return [str(error)]
            raise
        if answer.get("is_compatible", True):
            return None
        return [str(message) for message in answer.get("messages") or ["incompatible with the latest version"]]

    def compatibility(self, subject: str | None = None) -> str | None:
        """The subject's own level (None when it has none), or the registry-wide level when no subject is named."""
        path = f"/config/{self._quote(subject)}" if subject is not None else "/config"
        try:
            answer = self._call("GET", path)
        except RegistryError as error:
            if error.status == 404:
                return None
            raise
        return answer.get("compatibilityLevel") or answer.get("compatibility")

    def set_compatibility(self, subject: str, level: str) -> None:
        self._call("PUT", f"/config/{self._quote(subject)}", {"compatibility": level})

    def delete_compatibility(self, subject: str) -> None:
        try:
            self._call("DELETE", f"/config/{self._quote(subject)}")
        except RegistryError as error:
            if error.status != 404:
                raise

    def delete_subject(self, subject: str, permanent: bool) -> None:
        """Soft-delete the subject; a permanent delete follows the soft one, as the API requires."""
        for query in ("", "?permanent=true") if permanent else ("",):
            try:
                self._call("DELETE", f"/subjects/{self._quote(subject)}{query}")
            except RegistryError as error:
                if error.status != 404:
                    raise


def _tls_context(ca_pem: str | None, ca_file: str | None) -> ssl.SSLContext:
    """A context trusting only the CA given (the system's CAs when none is), its failure naming the setting."""
    try:
        return ssl.create_default_context(cafile=ca_file, cadata=ca_pem)
    except (ssl.SSLError, OSError, ValueError) as error:
        keys = " and ".join(key for key, value in (("ssl.ca.pem", ca_pem), ("ssl.ca.location", ca_file)) if value)
        raise ValueError(f"{keys}: no usable CA certificate: {_describe(error)}") from None


def _describe(reason: object) -> str:
    text = " ".join(str(reason).split())
    return f"{type(reason).__name__}: {text}" if isinstance(reason, Exception) else text
