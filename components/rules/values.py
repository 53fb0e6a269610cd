"""Values as the rules see them, and the failure a check reports.

The rules never see the engine's wire forms: the dynamic-provider glue turns numbers that crossed the engine as
doubles back into ints and the engine's placeholders for values not known yet into UNKNOWN, once, before any rule
runs (components/providers/props.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final


class _Unknown:
    """A value only known after apply: what a preview of something not created yet sees."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


@dataclass(frozen=True)
class Failure:
    property: str
    """The input the failure is about, e.g. `partitions` or `config.retention.ms`."""
    reason: str
    """What is wrong and what is allowed."""


def is_unknown(value: Any) -> bool:
    """True for a value only known after apply (a preview of something not created yet)."""
    return value is UNKNOWN


def as_int(value: Any) -> int | None:
    """A whole number however it was written (8192, 8192.0, "8192"); None when it is not one."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None
