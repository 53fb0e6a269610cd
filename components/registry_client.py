"""A small client of the Confluent schema registry REST API, over HTTPS that trusts only the platform CA.

It speaks to any registry with that API (Confluent's, or Apicurio's /apis/ccompat/v7) and smooths their known
differences: a subject without its own compatibility level, soft versus permanent deletion.
"""

from __future__ import annotations

import contextlib
import json
import os
import ssl
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

TIMEOUT_S = 30.0
CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"


class RegistryError(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"registry answered {status}: {message}")
        self.status = status


def _tls_context(connection: Mapping[str, str]) -> ssl.SSLContext:
    context = ssl.create_default_context(cadata=connection["ca_pem"])
    if connection.get("cert_pem") and connection.get("key_pem"):
        # The ssl module loads a client identity only from files: write them privately, load, remove.
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "client.pem")
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(connection["key_pem"] + "\n" + connection["cert_pem"])
            context.load_cert_chain(path)
    return context


class RegistryClient:
    def __init__(self, connection: Mapping[str, str]) -> None:
        self.url = connection["url"].rstrip("/")
        self.context = _tls_context(connection)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": CONTENT_TYPE, "Accept": CONTENT_TYPE}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S, context=self.context) as response:
                text = response.read().decode()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            with contextlib.suppress(ValueError, AttributeError):
                detail = json.loads(detail).get("message", detail)
            raise RegistryError(error.code, str(detail)) from None
        except urllib.error.URLError as error:
            raise RegistryError(0, f"cannot reach {self.url}: {error.reason}") from None

    @staticmethod
    def _quote(subject: str) -> str:
        return urllib.parse.quote(subject, safe="")

    def subjects(self) -> list[str]:
        return list(self._call("GET", "/subjects"))

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

    def compatibility(self, subject: str) -> str | None:
        try:
            answer = self._call("GET", f"/config/{self._quote(subject)}")
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
