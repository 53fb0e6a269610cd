"""How properties cross between the engine and the rules, handled once for every dynamic resource.

Inputs cross the engine as protobuf Structs: every number arrives as a double (8192 as 8192.0), and a value not
known until apply arrives as the engine's Unknown placeholder during preview. `from_engine` turns those into ints
and the rules' UNKNOWN before any rule runs; `to_engine` turns UNKNOWN back into the engine's marker.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult
from pulumi.output import Unknown
from pulumi.runtime import rpc

from components.rules.values import UNKNOWN, Failure


def from_engine(value: Any) -> Any:
    """`value` with whole doubles as ints and the engine's placeholders as UNKNOWN, at any depth."""
    if isinstance(value, Unknown) or (isinstance(value, str) and value == rpc.UNKNOWN):
        return UNKNOWN
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: from_engine(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [from_engine(item) for item in value]
    return value


def to_engine(value: Any) -> Any:
    """`value` with every UNKNOWN as the engine's marker for a value known only after apply."""
    if value is UNKNOWN:
        return rpc.UNKNOWN
    if isinstance(value, dict):
        return {key: to_engine(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_engine(item) for item in value]
    return value


def check_result(inputs: dict[str, Any], failures: list[Failure]) -> CheckResult:
    """What a provider's `check` answers: the normalised inputs and every failure, each naming its property."""
    return CheckResult(to_engine(inputs), [CheckFailure(failure.property, failure.reason) for failure in failures])
