"""The step of a CA rotation the cluster has completed. Its check compares the step asked for with the last one
completed and refuses, at preview, a step that would make a server present a certificate its peers or clients do
not trust yet, or stop trusting the CA the servers' certificates come from. It is updated only after every node
has rolled, so a roll that did not finish is never taken for done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, UpdateResult

from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules import ca_rotation
from components.rules.names import CA_TRUST
from components.rules.values import Failure


@dataclass(frozen=True)
class CaTrustArgs(ResourceArgs):
    trusted: Sequence[int]
    """The CA generations every node trusts."""
    signing: int
    """The generation that signs the nodes' certificates."""


def _trust(props: dict[str, Any]) -> ca_rotation.Trust | None:
    if not isinstance(props.get("trusted"), list) or not isinstance(props.get("signing"), int):
        return None
    return ca_rotation.Trust(tuple(props["trusted"]), props["signing"])


class CaTrustProvider(PlatformProvider):
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        old, new = _trust(olds), _trust(news)
        refusal = ca_rotation.transition_refusal(old, new) if old and new else None
        return check_result(news, [Failure("signing", refusal)] if refusal else [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=_trust(olds) != _trust(news))

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("ca-trust", dict(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(dict(news))


class CaTrust(PlatformResource, kind=CA_TRUST):
    """Records the completed rotation step; refuses at preview a step that would break TLS connections."""

    provider_class = CaTrustProvider
