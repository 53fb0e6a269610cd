"""Who may do what on the schema registry: the rules the authenticating proxy in front of it enforces.

Every request is authenticated (HTTP basic over HTTPS, as Confluent's and Karapace's clients send it). The
program's own identity (the admin) may do everything; a catalog user with `registry: read` may read (and test a
schema's compatibility, or look up whether a schema is registered, which are POSTs that change nothing); a user
may also be given write on named subjects: register versions, set their compatibility, delete them. Nobody else
gets in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from components.rules.catalog import UserSpec
from components.rules.names import ADMIN_USER

API = "/apis/ccompat/v7"
ACCESS_LEVELS = ("none", "read")
# Requests that change nothing: any GET/HEAD, a compatibility test, a lookup of a schema under a subject.
READ_METHODS = ("GET", "HEAD")
READ_POSTS = (rf"^{API}/compatibility/", rf"^{API}/subjects/[^/]+/?$")


@dataclass(frozen=True)
class RegistryGrant:
    user: str
    """A SCRAM user; the same name and password authenticate it to the registry."""
    admin: bool = False
    """May do everything (the program's own identity)."""
    read: bool = False
    """May read subjects, versions, schemas and levels, and test compatibility."""
    write_subjects: tuple[str, ...] = ()
    """Subjects whose versions, level and existence this user may change."""

    @property
    def write_paths(self) -> str | None:
        """The request paths of the subjects this user may change, as one regular expression."""
        if not self.write_subjects:
            return None
        names = "|".join(re.escape(subject) for subject in self.write_subjects)
        return rf"^{API}/(subjects|config)/({names})(/.*)?$"


def grants(users: Iterable[UserSpec]) -> list[RegistryGrant]:
    """The admin, then every catalog user who may use the registry at all, in catalog order."""
    found = [RegistryGrant(ADMIN_USER, admin=True)]
    for user in users:
        if user.registry == "read" or user.registry_write:
            found.append(RegistryGrant(user.name, read=True, write_subjects=tuple(user.registry_write)))
    return found
