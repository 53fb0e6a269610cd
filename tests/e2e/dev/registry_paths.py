"""Path-by-path requests to the live registry proxy, sent exactly as written (no client normalises them), and what
became of each: refused by the proxy (400 for a path it will not read, 403 for one the user has no right to) or
passed on to the registry (whatever the registry answered). The expected answer is the pure rules' (decide)."""

from __future__ import annotations

import base64
import http.client
import ssl
from urllib.parse import urlsplit

from components.rules.registry_access import Decision, RegistryGrant, decide

C = "/apis/ccompat/v7"
OTHER = "e2e.absent-value"  # never registered: a write that got through by mistake would change nothing
# (method, path): `{own}` is the writer's subject, `{other}` one nobody but the admin may write.
READS = [
    ("GET", f"{C}/subjects"),
    ("HEAD", f"{C}/subjects"),
    ("GET", f"{C}/subjects/{{other}}/versions"),
    ("GET", f"{C}/subjects/{{other}}/versions/latest"),
    ("GET", f"{C}/subjects/{{other}}/versions/1/schema"),
    ("GET", f"{C}/schemas"),
    ("GET", f"{C}/schemas/types"),
    ("GET", f"{C}/schemas/ids/1"),
    ("GET", f"{C}/config"),
    ("GET", f"{C}/config/{{other}}"),
    ("GET", f"{C}/mode"),
    ("GET", f"{C}/contexts"),
    ("GET", f"{C}/associations/resources/-/caracal.metering.events"),
    ("POST", f"{C}/subjects/{{other}}"),
    ("POST", f"{C}/compatibility/subjects/{{other}}/versions/latest"),
]
WRITES = [
    ("POST", f"{C}/subjects/{{own}}/versions"),
    ("DELETE", f"{C}/subjects/{{own}}/versions/1"),
    ("DELETE", f"{C}/subjects/{{own}}"),
    ("PUT", f"{C}/config/{{own}}"),
    ("DELETE", f"{C}/config/{{own}}"),
    ("POST", f"{C}/subjects/{{other}}/versions"),
    ("DELETE", f"{C}/subjects/{{other}}"),
    ("PUT", f"{C}/config/{{other}}"),
    ("PUT", f"{C}/config"),
    ("PUT", f"{C}/mode"),
    ("POST", f"{C}/associations"),
    ("POST", "/apis/registry/v3/admin/import"),
    ("POST", "/apis/registry/v3/groups/default/artifacts"),
]
ADMIN_READS = [
    ("GET", "/apis/registry/v3/admin/export"),
    ("GET", "/apis/registry/v3/admin/config/properties"),
    ("GET", "/apis/registry/v3/admin/rules"),
    ("GET", "/apis/registry/v3/groups/default/artifacts"),
    ("GET", "/apis/registry/v3/system/info"),
    ("GET", "/apis/registry/v2/admin/export"),
    ("GET", "/apis/registry/v2/search/artifacts"),
    ("GET", "/health/ready"),
]
# Case, encoded and dotted variants, most of them aimed at the admin export.
VARIANTS = [
    ("GET", "/APIS/registry/v3/admin/export"),
    ("GET", "/apis/Registry/v3/admin/export"),
    ("GET", f"{C}/SUBJECTS"),
    ("GET", f"{C}/%73ubjects"),
    ("GET", "/apis/registry/v3/admin/expor%74"),
    ("GET", f"{C}/subjects/%2e%2e/%2e%2e/%2e%2e/registry/v3/admin/export"),
    ("GET", f"{C}/subjects/%2E%2E/%2E%2E/%2E%2E/registry/v3/admin/export"),
    ("GET", f"{C}/subjects/..%2F..%2F..%2Fregistry%2Fv3%2Fadmin%2Fexport/versions"),
    ("GET", f"{C}/subjects/..%2f..%2f..%2fregistry%2fv3%2fadmin%2fexport/versions"),
    ("GET", f"{C}/../../registry/v3/admin/export"),
    ("GET", f"{C}/subjects/../../../registry/v3/admin/export"),
    ("GET", f"{C}/./subjects"),
    ("GET", f"{C}//subjects"),
    ("GET", "//apis/registry/v3/admin/export"),
    ("GET", f"{C}/schemas/ids/1/.."),
    ("GET", f"{C}/subjects/a%5Cb/versions"),
    ("GET", f"{C}/subjects/..%5C..%5C..%5Cregistry/versions"),
    ("POST", f"{C}/subjects/{{own}}/..%2Fversions"),
]


def request(outputs, user: str, method: str, path: str) -> tuple[int, str]:
    """(status, content type) of `method path` sent as `user` to the registry's published port."""
    url = urlsplit(outputs["registryUrl"])
    context = ssl.create_default_context(cadata=outputs["caCertificate"])
    connection = http.client.HTTPSConnection(url.hostname, url.port, context=context, timeout=30)
    credentials = outputs["clientConfigs"][user]["registry"]["basic.auth.user.info"]
    headers = {
        "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
        "Content-Type": "application/vnd.schemaregistry.v1+json",
    }
    # An invalid body: whatever reaches the registry is refused there and changes nothing.
    body = b'{"not": "a request"}' if method in ("POST", "PUT") else None
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Content-Type", "")
    finally:
        connection.close()


def outcome(status: int, content_type: str) -> Decision:
    """The proxy's own refusals are its HTML error pages; anything else came from the registry."""
    if content_type.startswith("text/html") and status in (400, 403):
        return Decision(status)
    return Decision.ALLOW


def mismatches(outputs, grant: RegistryGrant, cases, own: str = "e2e.unused-value") -> list[str]:
    """Each case whose real answer differs from the rules', as `METHOD path: expected X, got Y (status)`."""
    found = []
    for method, template in cases:
        path = template.format(own=own, other=OTHER)
        status, content_type = request(outputs, grant.user, method, path)
        expected, got = decide(grant, method, path), outcome(status, content_type)
        if got is not expected:
            found.append(f"{method} {path}: expected {expected.name}, got {got.name} ({status})")
    return found
