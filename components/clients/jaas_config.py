"""The `sasl.jaas.config` value of a Java client: one login module, its control flag and its options.

Written and read the way Kafka's JaasConfig reads it (with java.io.StreamTokenizer): options are `name=value` with
the value a bare word or a quoted string (double or single quotes, backslash escapes, no raw line break), and the
entry ends with a semicolon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<word>[A-Za-z0-9._$-]+)
      | (?P<quote>["'])(?P<quoted>(?:\\.|(?!(?P=quote))[^\\\r\n])*)(?P=quote)
      | (?P<punct>[=;])
      | (?P<other>\S)
    )""",
    re.VERBOSE | re.DOTALL,
)
# StreamTokenizer's escapes in a quoted string: these letters, and octal \0 to \377; any other character stands for
# itself.
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPE = re.compile(r"\\([0-3][0-7]{2}|[0-7]{1,2}|.)", re.DOTALL)
_FLAGS = ("required", "requisite", "sufficient", "optional")
SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule"
PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule"


@dataclass(frozen=True)
class JaasLogin:
    """One JAAS login module entry."""

    module: str
    """Fully qualified class name of the login module."""
    flag: str
    """Control flag, lower case: required, requisite, sufficient or optional."""
    options: dict[str, str] = field(default_factory=dict)
    """Module options with escapes decoded, e.g. username and password."""


def jaas_config(username: str, password: str, module: str = SCRAM_LOGIN_MODULE) -> str:
    """A login entry with `username` and `password` quoted, so any character of either reads back unchanged."""
    return f'{module} required username="{_quote(username)}" password="{_quote(password)}";'


def _quote(value: str) -> str:
    # A raw line break would end the quoted string for StreamTokenizer, so it is escaped like the quote itself.
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def parse_jaas_config(text: str) -> JaasLogin:
    """Parse a single-module JAAS entry; ValueError naming sasl.jaas.config and the fault otherwise."""
    tokens = _tokens(text)
    if len(tokens) < 2 or tokens[0][0] != "word" or tokens[1][0] != "word":
        raise ValueError("sasl.jaas.config: expected '<LoginModule class> <control flag> name=\"value\" ... ;'")
    module, flag = tokens[0][1], tokens[1][1].lower()
    if flag not in _FLAGS:
        raise ValueError(f"sasl.jaas.config: control flag {tokens[1][1]!r} is not one of {', '.join(_FLAGS)}")
    options: dict[str, str] = {}
    rest = tokens[2:]
    while rest and rest[0] != ("punct", ";"):
        if len(rest) < 3 or rest[0][0] != "word" or rest[1] != ("punct", "=") or rest[2][0] not in ("word", "quoted"):
            raise ValueError(f"sasl.jaas.config: expected name=value, found {rest[0][1]!r}")
        options[rest[0][1]] = rest[2][1]
        rest = rest[3:]
    if not rest:
        raise ValueError("sasl.jaas.config: the entry must end with a semicolon")
    if len(rest) > 1:
        raise ValueError("sasl.jaas.config: more than one login module; a client takes exactly one")
    return JaasLogin(module=module, flag=flag, options=options)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        if match is None or match["other"] is not None:
            found = match["other"] if match else text[position:].strip()[:1]
            if found in "\"'":
                raise ValueError("sasl.jaas.config: a quoted value is not closed on its line")
            raise ValueError(f"sasl.jaas.config: unexpected character {found!r}")
        if match["word"] is not None:
            tokens.append(("word", match["word"]))
        elif match["punct"] is not None:
            tokens.append(("punct", match["punct"]))
        else:
            tokens.append(("quoted", _unescape(match["quoted"])))
        position = match.end()
    return tokens


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1], 8)) if m[1][0] in "01234567" else _ESCAPES.get(m[1], m[1]), text)
