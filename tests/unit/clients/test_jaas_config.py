"""sasl.jaas.config values: one login module, its flag and its options, read as Kafka's JaasConfig reads them."""

from __future__ import annotations

import pytest

from components.clients.jaas_config import JaasLogin, parse_jaas_config

SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            f'{SCRAM} required username="admin" password="admin-secret";',
            JaasLogin(SCRAM, "required", {"username": "admin", "password": "admin-secret"}),
            id="platform form",
        ),
        pytest.param(
            f'{SCRAM} REQUIRED\n    username="admin"\n    password="x";',
            JaasLogin(SCRAM, "required", {"username": "admin", "password": "x"}),
            id="options on their own lines",
        ),
        pytest.param(
            f"{SCRAM} optional username='single' password = \"sp aced ; =\" ;",
            JaasLogin(SCRAM, "optional", {"username": "single", "password": "sp aced ; ="}),
            id="single quotes and separators inside quotes",
        ),
        pytest.param(
            f'{SCRAM} required username=bare_word-1.2 password="a\\"b\\\\c\\n";',
            JaasLogin(SCRAM, "required", {"username": "bare_word-1.2", "password": 'a"b\\c\n'}),
            id="bare word and escapes",
        ),
        pytest.param(
            f'{SCRAM} required password="\\101\\477\\8\\a\\v\\\n";',
            JaasLogin(SCRAM, "required", {"password": "A'78\a\v\n"}),
            id="StreamTokenizer's octal and letter escapes",
        ),
        pytest.param(f"{SCRAM} sufficient;", JaasLogin(SCRAM, "sufficient", {}), id="no options"),
    ],
)
def test_jaas_entries_are_parsed(text: str, expected: JaasLogin) -> None:
    assert parse_jaas_config(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "expected '<LoginModule class>", id="empty"),
        pytest.param(f"{SCRAM};", "expected '<LoginModule class>", id="no flag"),
        pytest.param(f'{SCRAM} mandatory username="u";', "control flag 'mandatory'", id="unknown flag"),
        pytest.param(f'{SCRAM} required username="u"', "must end with a semicolon", id="no semicolon"),
        pytest.param(f'{SCRAM} required username "u";', "expected name=value, found 'username'", id="no equals"),
        pytest.param(f"{SCRAM} required username=;", "expected name=value", id="no value"),
        pytest.param(f'{SCRAM} required password="open;', "quoted value is not closed", id="open quote"),
        pytest.param(
            f'{SCRAM} required password="a\nb";', "quoted value is not closed on its line", id="raw line break"
        ),
        pytest.param(f'{SCRAM} required username="u" & x="y";', "unexpected character '&'", id="stray character"),
        pytest.param(f"{SCRAM} required; {SCRAM} required;", "more than one login module", id="two modules"),
    ],
)
def test_malformed_jaas_entries_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^sasl.jaas.config: .*{message}"):
        parse_jaas_config(text)
