"""The request paths of the schema registry, by what they do: the table the authenticating proxy allows from.

Apicurio 3 serves three APIs: the Confluent-compatible one (`/apis/ccompat/v7`, what Confluent's and Karapace's
clients speak) and its own v2 and v3 APIs (`/apis/registry/v2`, `/apis/registry/v3`), which add the admin API
(export and import of the whole registry, its settings, global rules) and artifact operations the Confluent paths
do not give. A catalog user is only ever given routes of the Confluent API, each named here by method and path;
everything not named is the admin's alone.

Paths are matched as the client sent them, so a path whose meaning would change when the registry decodes or
normalises it (an encoded dot, slash or backslash, a dot segment, an empty segment) is refused for everybody: the
proxy never has to guess what the registry will make of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

API = "/apis/ccompat/v7"
# Path segments. A subject is any one segment (its percent-encoding, if any, stays inside that segment).
SUBJECT = "[^/]+"
ID = "[0-9]+"
VERSION = "([0-9]+|latest|-1)"
READ_METHODS = ("GET", "HEAD")
# Anything the registry would read differently once decoded or normalised: %2e (.), %2f (/), %5c (\) in any case,
# a backslash, an empty segment, a `.` or `..` segment.
# (No leading parenthesis: HAProxy takes a pattern starting with one for a misplaced argument.)
NON_CANONICAL = r"%2[eEfF]|%5[cC]|\\|//|/\.\.?(/|$)"


@dataclass(frozen=True)
class Route:
    what: str
    """What the route does, for the docs and test ids."""
    methods: tuple[str, ...]
    """HTTP methods, exactly as sent (methods are case-sensitive)."""
    path: str
    """The path after the Confluent API's base, a regular expression; `{subject}` stands for the subject."""

    def pattern(self, subject: str = SUBJECT) -> str:
        """The whole request path this route matches, anchored; `subject` narrows the subject segment."""
        return f"^{API}{self.path.replace('{subject}', subject)}$"


# What a user with `registry: read` may do: read everything the Confluent API shows, and the two POSTs that
# change nothing (is this schema registered under the subject; would it be compatible).
READ_ROUTES = (
    Route("list schemas", READ_METHODS, "/schemas"),
    Route("schema types", READ_METHODS, "/schemas/types"),
    Route("schema by id", READ_METHODS, f"/schemas/ids/{ID}(/schema|/subjects|/versions)?"),
    Route("schema by guid", READ_METHODS, "/schemas/guids/[^/]+"),
    Route("list subjects", READ_METHODS, "/subjects"),
    Route("list versions", READ_METHODS, "/subjects/{subject}/versions"),
    Route("read a version", READ_METHODS, f"/subjects/{{subject}}/versions/{VERSION}(/schema|/referencedby)?"),
    Route("subject metadata", READ_METHODS, "/subjects/{subject}/metadata"),
    Route("compatibility levels", READ_METHODS, "/config(/{subject})?"),
    Route("modes", READ_METHODS, "/mode(/{subject})?"),
    Route("contexts", READ_METHODS, "/contexts"),
    # Confluent's serializers (confluent-kafka 2.16) ask which subject a topic is associated with before they
    # fall back to the topic's name; a 404 from the registry is their "none", a 403 would fail every write.
    Route("associations of a resource", READ_METHODS, "/associations/resources/[^/]+(/[^/]+)?"),
    Route("look up a schema", ("POST",), "/subjects/{subject}"),
    Route("test compatibility", ("POST",), f"/compatibility/subjects/{{subject}}/versions(/{VERSION})?"),
)
# What `registry_write` adds on the subjects it names: new versions, the subject's level, deleting.
WRITE_ROUTES = (
    Route("register a version", ("POST",), "/subjects/{subject}/versions"),
    Route("delete a version", ("DELETE",), f"/subjects/{{subject}}/versions/{VERSION}"),
    Route("delete the subject", ("DELETE",), "/subjects/{subject}"),
    Route("set its compatibility", ("PUT",), "/config/{subject}"),
    Route("clear its compatibility", ("DELETE",), "/config/{subject}"),
)


def is_canonical(path: str) -> bool:
    """Whether the registry sees the same path the proxy matched (see NON_CANONICAL)."""
    return path.startswith("/") and re.search(NON_CANONICAL, path) is None


def subjects_pattern(subjects: tuple[str, ...]) -> str:
    """One path segment that is exactly one of `subjects`."""
    return "(" + "|".join(re.escape(subject) for subject in subjects) + ")"


def matches(route: Route, method: str, path: str, subject: str = SUBJECT) -> bool:
    return method in route.methods and re.search(route.pattern(subject), path) is not None
