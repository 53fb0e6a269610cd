"""Reading one catalog document: every problem is collected with its place in the file and what is allowed,
so one preview shows them all."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from components.rules.topic_config import ConfigValueError, normalise_topic_config


class CatalogError(ValueError):
    """Every problem found in a catalog, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid catalog:\n  " + "\n  ".join(problems))
        self.problems = problems


class Reader:
    """Collects problems instead of stopping at the first, so one preview shows them all."""

    def __init__(self, schemas_dir: Path) -> None:
        self.schemas_dir = schemas_dir
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(self, where: str, value: Any, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, f"must be a mapping with keys {', '.join(sorted(allowed))}")
            return {}
        for key in sorted(set(value) - allowed):
            self.fail(f"{where}.{key}", f"unknown key; allowed: {', '.join(sorted(allowed))}")
        return value

    def integer(self, where: str, value: Any, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(where, f"{value!r} is not allowed; allowed: an integer from {low} to {high}")
            return None
        return value

    def boolean(self, where: str, value: Any) -> bool:
        if not isinstance(value, bool):
            self.fail(where, f"{value!r} is not allowed; allowed: true or false")
            return False
        return value

    def choice(self, where: str, value: Any, choices: tuple[str, ...], lower: bool = False) -> str:
        text = str(value).lower() if lower else str(value).upper()
        if text not in choices:
            self.fail(where, f"{value!r} is not allowed; allowed: {', '.join(choices)}")
        return text

    def name(self, where: str, value: Any, pattern: re.Pattern[str], allowed: str) -> str:
        if not isinstance(value, str) or not pattern.match(value) or value in (".", ".."):
            self.fail(where, f"{value!r} is not allowed; allowed: {allowed}")
            return str(value)
        return value

    def topic_config(self, where: str, value: Any) -> dict[str, str]:
        config: dict[str, str] = {}
        if value is None:
            return config
        if not isinstance(value, dict):
            self.fail(where, "must be a mapping of topic config keys to values")
            return config
        for key, raw in value.items():
            try:
                config[str(key)] = normalise_topic_config(str(key), raw)
            except ConfigValueError as error:
                self.fail(f"{where}.{key}", str(error))
        return config

    def schema_text(self, where: str, value: Any) -> str | None:
        if not isinstance(value, str) or not value.endswith(".avsc"):
            self.fail(where, f"{value!r} is not allowed; allowed: a .avsc file in {self.schemas_dir}")
            return None
        path = (self.schemas_dir / value).resolve()
        if self.schemas_dir.resolve() not in path.parents or not path.is_file():
            self.fail(where, f"{value!r} is not a file in {self.schemas_dir}")
            return None
        return path.read_text(encoding="utf-8")
