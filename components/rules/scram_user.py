"""What a SCRAM user declaration may say and what a change to it means: pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.rules.names import USER_NAME, USER_NAME_ALLOWED
from components.rules.values import Failure, as_int, is_unknown

MIN_ITERATIONS, MAX_ITERATIONS = 4096, 16384
MIN_PASSWORD_LENGTH = 16
KEYS = ("username", "password", "iterations", "connection")


def check_user(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    failures = []
    name = news.get("username")
    if not is_unknown(name) and (not isinstance(name, str) or not USER_NAME.match(name)):
        failures.append(Failure("username", f"{name!r} is not allowed; allowed: {USER_NAME_ALLOWED}"))
    iterations = as_int(news.get("iterations"))
    if iterations is None or not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        failures.append(
            Failure(
                "iterations",
                f"{news.get('iterations')!r} is not allowed; "
                f"allowed: an integer from {MIN_ITERATIONS} to {MAX_ITERATIONS}",
            )
        )
    inputs = {**news, "iterations": iterations}
    password = news.get("password")
    if not is_unknown(password) and (not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH):
        failures.append(Failure("password", f"allowed: a string of at least {MIN_PASSWORD_LENGTH} characters"))
    return inputs, failures


def diff_user(olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[bool, list[str]]:
    """(changes, replaces): a new name is a new user; a new password or iteration count is set in place."""
    replaces = ["username"] if olds.get("username") != news.get("username") else []
    changes = bool(replaces) or any(olds.get(key) != news.get(key) for key in KEYS)
    return changes, replaces
