"""Topic config values in Kafka's own string form.

Kafka answers every config as a string ("604800000", "true", "snappy"). Declared values are brought to exactly that
form before they are stored or compared, so numbers written as numbers, units, case and list order never show up as
a change (the type churn and perpetual diffs other tools suffer from).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_DURATION_UNITS_MS = {"ms": 1, "s": 1000, "m": 60_000, "min": 60_000, "h": 3_600_000, "d": 86_400_000}
_SIZE_UNITS = {
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
}
_AMOUNT = re.compile(r"^\s*(-?\d+)\s*([a-zA-Z]*)\s*$")


class ConfigValueError(ValueError):
    """A topic config value that Kafka would refuse; the message says what is allowed."""


@dataclass(frozen=True)
class _Kind:
    allowed: str
    normalise: Callable[[object], str]


def _integer(units: dict[str, int] | None, minimum: int) -> Callable[[object], str]:
    def normalise(value: object) -> str:
        if isinstance(value, bool):
            raise ConfigValueError("a boolean is not a number")
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            match = _AMOUNT.match(str(value))
            if not match:
                raise ConfigValueError(f"{value!r} is not a whole number")
            unit = match.group(2).lower()
            scale = (units or {}).get(unit) if unit else 1
            if scale is None:
                raise ConfigValueError(f"unknown unit {match.group(2)!r}")
            number = int(match.group(1)) * scale
        if number < minimum:
            raise ConfigValueError(f"{number} is below the minimum {minimum}")
        return str(number)

    return normalise


def _ratio(value: object) -> str:
    try:
        number = float(str(value))
    except ValueError:
        raise ConfigValueError(f"{value!r} is not a number") from None
    if not 0.0 <= number <= 1.0:
        raise ConfigValueError(f"{number} is outside 0..1")
    return repr(number)


def _boolean(value: object) -> str:
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise ConfigValueError(f"{value!r} is not true or false")
    return text


def _choice(*choices: str, case_sensitive: bool = False) -> Callable[[object], str]:
    def normalise(value: object) -> str:
        text = str(value).strip()
        for choice in choices:
            if text == choice or (not case_sensitive and text.lower() == choice.lower()):
                return choice
        raise ConfigValueError(f"{value!r} is not one of {', '.join(choices)}")

    return normalise


def _cleanup_policy(value: object) -> str:
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    names = sorted({str(item).strip().lower() for item in items if str(item).strip()})
    if not names or any(name not in ("compact", "delete") for name in names):
        raise ConfigValueError(f"{value!r} is not a list of compact, delete")
    return ",".join(names)


def _text(value: object) -> str:
    return str(value).strip()


_DURATION = _Kind("a duration in ms (units ms, s, m, h, d allowed), -1 for unlimited", _integer(_DURATION_UNITS_MS, -1))
_POSITIVE_DURATION = _Kind("a duration in ms (units ms, s, m, h, d allowed)", _integer(_DURATION_UNITS_MS, 0))
_SIZE = _Kind("a size in bytes (units B, KiB, MiB, GiB, KB, MB, GB), -1 for unlimited", _integer(_SIZE_UNITS, -1))
_POSITIVE_SIZE = _Kind("a size in bytes (units B, KiB, MiB, GiB, KB, MB, GB)", _integer(_SIZE_UNITS, 0))
_COUNT = _Kind("a whole number >= 1", _integer(None, 1))
_LEVEL = _Kind("a whole number", _integer(None, -131072))
_BOOLEAN = _Kind("true or false", _boolean)

# Kafka 3.9's topic-level configs. A key outside this table is refused: a typo would otherwise be sent to the
# broker at apply time, long after preview said all was well.
TOPIC_CONFIG_KINDS: dict[str, _Kind] = {
    "cleanup.policy": _Kind("a list of compact, delete", _cleanup_policy),
    "compression.type": _Kind(
        "one of uncompressed, zstd, lz4, snappy, gzip, producer",
        _choice("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
    ),
    "compression.gzip.level": _LEVEL,
    "compression.lz4.level": _LEVEL,
    "compression.zstd.level": _LEVEL,
    "delete.retention.ms": _POSITIVE_DURATION,
    "file.delete.delay.ms": _POSITIVE_DURATION,
    "flush.messages": _COUNT,
    "flush.ms": _POSITIVE_DURATION,
    "follower.replication.throttled.replicas": _Kind("a replica list", _text),
    "index.interval.bytes": _POSITIVE_SIZE,
    "leader.replication.throttled.replicas": _Kind("a replica list", _text),
    "local.retention.bytes": _SIZE,
    "local.retention.ms": _DURATION,
    "max.compaction.lag.ms": _POSITIVE_DURATION,
    "max.message.bytes": _POSITIVE_SIZE,
    "message.timestamp.after.max.ms": _POSITIVE_DURATION,
    "message.timestamp.before.max.ms": _POSITIVE_DURATION,
    "message.timestamp.type": _Kind("CreateTime or LogAppendTime", _choice("CreateTime", "LogAppendTime")),
    "min.cleanable.dirty.ratio": _Kind("a number from 0 to 1", _ratio),
    "min.compaction.lag.ms": _POSITIVE_DURATION,
    "min.insync.replicas": _COUNT,
    "preallocate": _BOOLEAN,
    "retention.bytes": _SIZE,
    "retention.ms": _DURATION,
    "segment.bytes": _Kind("a size in bytes >= 1 MiB", _integer(_SIZE_UNITS, 1024 * 1024)),
    "segment.index.bytes": _POSITIVE_SIZE,
    "segment.jitter.ms": _POSITIVE_DURATION,
    "segment.ms": _Kind("a duration in ms >= 1", _integer(_DURATION_UNITS_MS, 1)),
    "unclean.leader.election.enable": _BOOLEAN,
}


def normalise_topic_config(key: str, value: object) -> str:
    """Return `value` in the string form Kafka reports for `key`; raise ConfigValueError naming what is allowed."""
    kind = TOPIC_CONFIG_KINDS.get(key)
    if kind is None:
        raise ConfigValueError(f"unknown topic config {key!r}; allowed: {', '.join(sorted(TOPIC_CONFIG_KINDS))}")
    try:
        return kind.normalise(value)
    except ConfigValueError as error:
        raise ConfigValueError(f"{key}: {error}; allowed: {kind.allowed}") from None
