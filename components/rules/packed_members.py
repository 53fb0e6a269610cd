"""How a set's members (every topic, every ACL binding) cross the engine: as one canonical JSON string.

The engine copies, marshals, diffs, logs and checkpoints every value of every property map, nested ones value by
value; at thousands of topics that was most of a no-op preview's CPU. Packed, the members are one value to it.
The diff a reader sees is unchanged: the CLI shows a JSON string's change as the change of the object it holds,
member by member, and canonical (sorted keys, no spaces) means equal members are always the same string.

Sets recorded before members were packed hold them as a mapping: components/compat/mapping_sets.py reads those.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def pack(members: Mapping[str, Any]) -> str:
    """`members` as the one string the engine records."""
    return json.dumps(members, sort_keys=True, separators=(",", ":"))


def unpack(key: str, value: Any) -> Any:
    """The members of set property `key` from the packed string the engine holds. Anything else but a mapping
    (UNKNOWN, None) is returned as it is: the engine's placeholder for a value not known yet is a string too, so the
    provider glue turns it into UNKNOWN first (components/providers/props.py)."""
    if isinstance(value, Mapping):
        raise ValueError(f"{key}: members recorded as a mapping, not packed; read them with compat.mapping_sets")
    if not isinstance(value, str):
        return value
    try:
        members = json.loads(value)
    except json.JSONDecodeError as error:
        raise ValueError(f"{key}: not the JSON object of a set's members ({error})") from None
    if not isinstance(members, dict):
        raise ValueError(f"{key}: not the JSON object of a set's members (found {type(members).__name__})")
    return members


def packed(properties: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """`properties` with each of `keys` that holds a mapping packed."""
    return {
        key: pack(value) if key in keys and isinstance(value, Mapping) else value for key, value in properties.items()
    }
