"""How values arrive in a dynamic provider, and the failure a `check` returns.

Inputs cross the engine as protobuf Structs: every number is a double (8192 arrives as 8192.0), and a value not
known until apply arrives as an Unknown placeholder during preview. Checks accept both and never raise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult
from pulumi.output import Unknown
from pulumi.runtime import rpc

UNKNOWN = rpc.UNKNOWN


@dataclass(frozen=True)
class Failure:
    property: str
    reason: str


def is_unknown(value: Any) -> bool:
    """True for a value only known after apply (a preview of something not created yet)."""
    return isinstance(value, Unknown) or value == UNKNOWN


def as_int(value: Any) -> int | None:
    """A whole number however it arrived (8192, 8192.0, "8192"); None when it is not one."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def check_result(inputs: dict[str, Any], failures: list[Failure]) -> CheckResult:
    """What a provider's `check` answers: the normalised inputs and every failure, each naming its property."""
    return CheckResult(inputs, [CheckFailure(failure.property, failure.reason) for failure in failures])
