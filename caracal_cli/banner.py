"""The framed title that opens every report, so all commands' output looks alike."""

from __future__ import annotations

RULE = "=" * 60


def banner(title: str) -> list[str]:
    """Lines of a title between two rules, then a blank line."""
    return [RULE, title, RULE, ""]
