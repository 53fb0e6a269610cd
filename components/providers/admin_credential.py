"""KRaft: the admin's SCRAM credential written again after every broker (re)start, as a ZooKeeper stack's broker
does before it starts, and whenever a refresh finds the admin's login refused (`make up` refreshes first). The
first one exists from the format step (kafka-storage --add-scram) before any client listener opens; this step
keeps it repaired and carries a rotated password (components/clients/admin_credential.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients import admin_credential
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.providers.roll import _until
from components.rules.names import ADMIN_CREDENTIAL

SECRET_OUTPUTS = ("revision", "connection")
# What a refresh records when the admin's login is refused: the next `up` sees a change and writes it again.
REFUSED = "admin login refused"


@dataclass(frozen=True)
class AdminCredentialArgs(ResourceArgs):
    node: str
    """The broker's host name."""
    container: pulumi.Input[str]
    """The broker's container name."""
    files: Sequence[str]
    """The credential files in the broker's config volume, one per SCRAM mechanism."""
    revision: pulumi.Input[str]
    """Digest of the broker's container (its credential file among it; secret)."""
    triggers: Sequence[pulumi.Input[str]]
    """The broker's container id: a new container seeds again."""
    connection: pulumi.Input[Mapping[str, str]]
    """The admin connection (secret): a refresh tries it, and a refused login is drift."""


def _seed(props: dict[str, Any]) -> None:
    def problem() -> str | None:
        for credential_file in props["files"]:
            admin_credential.seed(str(props["container"]), str(props["node"]), str(credential_file))
        return None

    _until(f"the admin credential could not be written through {props['node']}", problem)


class AdminCredentialProvider(PlatformProvider):
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        keys = ("container", "files", "revision", "triggers")
        return DiffResult(changes=any(olds.get(key) != news.get(key) for key in keys))

    def create(self, props: dict[str, Any]) -> CreateResult:
        _seed(props)
        return CreateResult(str(props["node"]), dict(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        _seed(news)
        return UpdateResult(dict(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        if props.get("connection") and admin_credential.login_refused(props["connection"]):
            return ReadResult(id_, {**props, "revision": REFUSED})
        return ReadResult(id_, props)


class AdminCredential(PlatformResource, kind=ADMIN_CREDENTIAL):
    """The admin credential, written through one broker once it runs."""

    provider_class = AdminCredentialProvider
    secret_outputs = SECRET_OUTPUTS
