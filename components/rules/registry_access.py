"""Who may do what on the schema registry: the rules the authenticating proxy in front of it enforces.

Every request is authenticated (HTTP basic over HTTPS, as Confluent's and Karapace's clients send it). The
program's own identity (the admin) may do everything; a catalog user with `registry: read` may use the read routes
of the Confluent API (components/rules/registry_paths.py), and one given `registry_write` on named subjects also
the write routes on those subjects. Anything else is refused: the admin API and the registry's native APIs, the
global level and modes, other subjects' writes, any path not named. A path the registry would read differently
once decoded is refused for everybody.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from components.rules.catalog import UserSpec
from components.rules.names import ADMIN_USER
from components.rules.registry_paths import READ_ROUTES, WRITE_ROUTES, is_canonical, matches, subjects_pattern

ACCESS_LEVELS = ("none", "read")


class Decision(Enum):
    """What the proxy answers an authenticated request (the HTTP status it sends when it refuses)."""

    ALLOW = 200
    FORBIDDEN = 403
    NOT_CANONICAL = 400


@dataclass(frozen=True)
class RegistryGrant:
    user: str
    """A SCRAM user; the same name and password authenticate it to the registry."""
    admin: bool = False
    """May do everything (the program's own identity)."""
    read: bool = False
    """May use the read routes: subjects, versions, schemas and levels, compatibility tests, lookups."""
    write_subjects: tuple[str, ...] = ()
    """Subjects on which this user may also use the write routes: versions, level, deletion."""

    @property
    def write_subject(self) -> str | None:
        """The subject path segment of the write routes, as a regular expression; None without writes."""
        return subjects_pattern(self.write_subjects) if self.write_subjects else None


def decide(grant: RegistryGrant, method: str, path: str) -> Decision:
    """The proxy's answer to `grant`'s user asking `method` on `path` (the path without its query string)."""
    if not is_canonical(path):
        return Decision.NOT_CANONICAL
    if grant.admin:
        return Decision.ALLOW
    if grant.read and any(matches(route, method, path) for route in READ_ROUTES):
        return Decision.ALLOW
    if grant.write_subject and any(matches(route, method, path, grant.write_subject) for route in WRITE_ROUTES):
        return Decision.ALLOW
    return Decision.FORBIDDEN


def grants(users: Iterable[UserSpec]) -> list[RegistryGrant]:
    """The admin, then every catalog user who may use the registry at all, in catalog order."""
    found = [RegistryGrant(ADMIN_USER, admin=True)]
    for user in users:
        if user.registry == "read" or user.registry_write:
            found.append(RegistryGrant(user.name, read=True, write_subjects=tuple(user.registry_write)))
    return found
