"""Sets whose members are recorded as a mapping.

Keeps working: topic and ACL sets recorded before their members crossed the engine packed into one string
(components/rules/packed_members.py); their state holds the members as a mapping of mappings. These are read as
they are, so such a stack needs no rewrite: its next `up` finds nothing changed, and the first update of the set
records the packed form.

Since: 5175e87, 2026-12-04 (members packed).

Lets it go: every stack has run `make up`, `make preview` or `pulumi refresh` once with a release of 2026-12-04
or later: the refresh reads each set and records its members packed, inputs and outputs alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.rules.packed_members import unpack


def recorded_members(key: str, value: Any) -> Any:
    """The members of set property `key` as the state holds them: packed, or a mapping recorded before packing."""
    return dict(value) if isinstance(value, Mapping) else unpack(key, value)


def unpacked(properties: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """`properties` with each of `keys` it holds read as members."""
    return {key: recorded_members(key, value) if key in keys else value for key, value in properties.items()}
