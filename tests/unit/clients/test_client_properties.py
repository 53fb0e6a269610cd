"""client.properties files: read with Java's rules, translated to confluent-kafka settings, and written so that
reading them back gives exactly what was written."""

from __future__ import annotations

import random
import string

import pytest

from components.clients.client_properties import client_properties, format_properties, parse_properties, to_librdkafka
from components.clients.client_settings import Connection, connection_from_properties
from components.clients.jaas_config import SCRAM_LOGIN_MODULE, JaasLogin, jaas_config, parse_jaas_config

CERT_BODY = (
    "MIIBcjCCARmgAwIBAgIUKolUT09VWZAsdUJQtZbC80uJK+owCgYIKoZIzj0EAwIw"
    "DzENMAsGA1UEAwwEdGVzdDAeFw0yNjExMjEwODAyMjJaFw0yNjExMjIwODAyMjJa"
)
SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule"

# The file the platform writes for each user.
PLATFORM_FILE = f"""\
# Written by the platform for user producer
bootstrap.servers=localhost:19093
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config={SCRAM} required username="producer" password="s3cr3t";
ssl.truststore.type=PEM
ssl.truststore.certificates=-----BEGIN CERTIFICATE----- \\
  {CERT_BODY[:64]} \\
  {CERT_BODY[64:]} \\
  -----END CERTIFICATE-----
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a=1\nb = 2\nc:3\nd 4\n", {"a": "1", "b": "2", "c": "3", "d": "4"}, id="every separator"),
        pytest.param("# comment\n! also a comment\n\n   \nk=v", {"k": "v"}, id="comments and blank lines"),
        pytest.param("   k=v", {"k": "v"}, id="leading whitespace of a line"),
        pytest.param("k=v  ", {"k": "v  "}, id="trailing whitespace is kept"),
        pytest.param("k=one \\\n    two \\\n\tthree", {"k": "one two three"}, id="continuation drops indent"),
        pytest.param("k=one\\\\\nj=two", {"k": "one\\", "j": "two"}, id="escaped backslash does not continue"),
        pytest.param("k=one \\\n\nj=two", {"k": "one ", "j": "two"}, id="blank line ends a continuation"),
        pytest.param("k=a \\\n  # not a comment", {"k": "a # not a comment"}, id="continued line is no comment"),
        pytest.param("# comment \\\nk=v", {"k": "v"}, id="comment line does not continue"),
        pytest.param("k=end\\", {"k": "end"}, id="backslash at end of file"),
        pytest.param("k=v\r\nj=w\rl=x", {"k": "v", "j": "w", "l": "x"}, id="any line ending"),
        pytest.param(r"key\=with\:seps\ space=v", {"key=with:seps space": "v"}, id="escaped separators in key"),
        pytest.param(r"k=tab\there\nline \u00e9\q", {"k": "tab\there\nline éq"}, id="escapes in value"),
        pytest.param("k==v", {"k": "=v"}, id="only one separator is eaten"),
        pytest.param("k = = v", {"k": "= v"}, id="second separator belongs to the value"),
        pytest.param("lonely", {"lonely": ""}, id="key without value"),
        pytest.param("k=1\nk=2", {"k": "2"}, id="last repeated key wins"),
        pytest.param("\\\n# comment\n\\\n\nk=v", {"k": "v"}, id="empty continued line is read as a new line"),
        pytest.param("\\\n", {"": ""}, id="empty continued line at the end is an empty key"),
        pytest.param(r"k=\ud83d\ude00 \ud800", {"k": "\U0001f600 \ud800"}, id="surrogate pair joined, lone one kept"),
        pytest.param("", {}, id="empty file"),
    ],
)
def test_properties_are_read_as_java_reads_them(text: str, expected: dict[str, str]) -> None:
    assert parse_properties(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("k=\\u12", r"line 1: value of k: malformed \\uXXXX", id="short unicode escape"),
        pytest.param("a=1\nk=\\uZZZZ", r"line 2: value of k: malformed", id="non-hex unicode escape"),
        pytest.param("bad\\u00=x", r"line 1: key: malformed", id="malformed escape in key"),
    ],
)
def test_malformed_properties_name_the_line_and_key(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_properties(text)


def test_the_platform_file_becomes_a_complete_librdkafka_config() -> None:
    config = to_librdkafka(parse_properties(PLATFORM_FILE))

    assert config == {
        "bootstrap.servers": "localhost:19093",
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms": "SCRAM-SHA-512",
        "sasl.username": "producer",
        "sasl.password": "s3cr3t",
        "ssl.ca.pem": f"-----BEGIN CERTIFICATE-----\n{CERT_BODY[:64]}\n{CERT_BODY[64:]}\n-----END CERTIFICATE-----\n",
    }


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param({"bootstrap.servers": "k:9092"}, {"bootstrap.servers": "k:9092"}, id="plaintext"),
        pytest.param(
            {"security.protocol": "ssl", "ssl.truststore.location": "/etc/ca.pem"},
            {"security.protocol": "SSL", "ssl.ca.location": "/etc/ca.pem"},
            id="truststore location without a type is a PEM file",
        ),
        pytest.param(
            {"security.protocol": "SSL", "ssl.truststore.type": "pem", "ssl.truststore.location": " /etc/ca.pem "},
            {"security.protocol": "SSL", "ssl.ca.location": "/etc/ca.pem"},
            id="truststore location of type PEM",
        ),
        pytest.param(
            {"security.protocol": "SSL", "ssl.endpoint.identification.algorithm": ""},
            {"security.protocol": "SSL", "ssl.endpoint.identification.algorithm": "none"},
            id="empty endpoint identification disables the hostname check",
        ),
        pytest.param(
            {
                "security.protocol": "SASL_PLAINTEXT",
                "sasl.mechanism": "PLAIN",
                "sasl.jaas.config": (
                    'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";'
                ),
            },
            {
                "security.protocol": "SASL_PLAINTEXT",
                "sasl.mechanisms": "PLAIN",
                "sasl.username": "u",
                "sasl.password": "p",
            },
            id="PLAIN login",
        ),
        pytest.param(
            {
                "security.protocol": "SASL_SSL",
                "sasl.mechanism": "SCRAM-SHA-256",
                "sasl.jaas.config": f'{SCRAM} required username="u" password="a\\"b\\\\c";',
            },
            {
                "security.protocol": "SASL_SSL",
                "sasl.mechanisms": "SCRAM-SHA-256",
                "sasl.username": "u",
                "sasl.password": 'a"b\\c',
            },
            id="escaped quote and backslash in password",
        ),
        pytest.param(
            {"bootstrap.servers": "k:1", "ssl.truststore.password": "x", "key.serializer": "y", "acks": "all"},
            {"bootstrap.servers": "k:1"},
            id="Java-only keys are dropped",
        ),
        pytest.param(
            {"security.protocol": "PLAINTEXT", "sasl.mechanism": "GSSAPI", "ssl.truststore.type": "JKS"},
            {"security.protocol": "PLAINTEXT"},
            id="SASL and TLS settings are ignored without the protocol that uses them",
        ),
    ],
)
def test_java_settings_map_to_librdkafka_settings(props: dict[str, str], expected: dict[str, str]) -> None:
    assert to_librdkafka(props) == expected


def test_escaped_quotes_survive_both_the_properties_and_the_jaas_layer() -> None:
    # In the file, \\\" is an escaped backslash then an escaped quote: JAAS then reads \" as a quote.
    text = (
        "security.protocol=SASL_SSL\n"
        "sasl.mechanism=SCRAM-SHA-512\n"
        f"sasl.jaas.config={SCRAM} required \\\n"
        '  username="admin" password="p\\\\\\"w";\n'
    )
    assert to_librdkafka(parse_properties(text))["sasl.password"] == 'p"w'


@pytest.mark.parametrize(
    ("props", "message"),
    [
        pytest.param({"security.protocol": "SASL_TLS"}, "security.protocol: 'SASL_TLS' is not one of", id="protocol"),
        pytest.param({"security.protocol": "SASL_SSL"}, "sasl.mechanism: missing", id="no mechanism"),
        pytest.param(
            {"security.protocol": "SASL_SSL", "sasl.mechanism": "OAUTHBEARER"},
            "sasl.mechanism: 'OAUTHBEARER' is not supported",
            id="unsupported mechanism",
        ),
        pytest.param(
            {"security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512"},
            "sasl.jaas.config: missing",
            id="no jaas config",
        ),
        pytest.param(
            {
                "security.protocol": "SASL_SSL",
                "sasl.mechanism": "SCRAM-SHA-512",
                "sasl.jaas.config": f'{SCRAM} required username="u" password="p',
            },
            "sasl.jaas.config: a quoted value is not closed",
            id="unterminated quote",
        ),
        pytest.param(
            {
                "security.protocol": "SASL_SSL",
                "sasl.mechanism": "SCRAM-SHA-512",
                "sasl.jaas.config": f'{SCRAM} required username="u";',
            },
            "sasl.jaas.config: no password option",
            id="no password",
        ),
        pytest.param(
            {
                "security.protocol": "SASL_SSL",
                "sasl.mechanism": "SCRAM-SHA-512",
                "sasl.jaas.config": "com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true;",
            },
            "sasl.jaas.config: login module com.sun.security.auth.module.Krb5LoginModule is not supported",
            id="unsupported login module",
        ),
        pytest.param(
            {"security.protocol": "SSL", "ssl.truststore.certificates": "-----BEGIN CERTIFICATE-----"},
            "ssl.truststore.type: must be PEM",
            id="inline certificates without PEM type",
        ),
        pytest.param(
            {
                "security.protocol": "SSL",
                "ssl.truststore.type": "PEM",
                "ssl.truststore.certificates": "-----BEGIN CERTIFICATE----- not*base64 -----END CERTIFICATE-----",
            },
            "ssl.truststore.certificates: the CERTIFICATE block is not valid base64",
            id="certificate not base64",
        ),
        pytest.param(
            {"security.protocol": "SSL", "ssl.truststore.type": "PEM", "ssl.truststore.certificates": CERT_BODY},
            "ssl.truststore.certificates: no -----BEGIN",
            id="certificate without markers",
        ),
        pytest.param(
            {"security.protocol": "SSL", "ssl.truststore.type": "JKS", "ssl.truststore.location": "/a.jks"},
            "ssl.truststore.type: JKS cannot be read here",
            id="JKS truststore",
        ),
        pytest.param(
            {"security.protocol": "SSL", "ssl.endpoint.identification.algorithm": "ldap"},
            "ssl.endpoint.identification.algorithm: 'ldap'",
            id="unknown endpoint identification",
        ),
    ],
)
def test_settings_that_cannot_be_translated_name_their_key(props: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        to_librdkafka(props)


PRINTABLE = "".join(char for char in string.printable if char not in "\t\n\r\x0b\x0c")
_RANDOM = random.Random(20261201)
# Strings each layer (properties escapes, JAAS quoting) has a rule for, and random mixes of printable ASCII.
NASTY = [
    pytest.param(PRINTABLE, id="every printable ASCII character"),
    *['"', "'", 'say "hi" y\'all', "\\", "\\\\", "ends with\\", "a=b", "a:b", "#hash", "!bang", " lead", "trail "],
    *["${x}", "é", "中文", "\U0001f600 beyond the BMP", "", "   ", "line\nbreak\r\n", "\ttab\x0bvt\x0cff", "\x00\x7f"],
    *["".join(_RANDOM.choice(PRINTABLE) for _ in range(_RANDOM.randint(1, 40))) for _ in range(50)],
]
CHAIN = (
    f"-----BEGIN CERTIFICATE-----\n{CERT_BODY[:64]}\n{CERT_BODY[64:]}\n-----END CERTIFICATE-----\n"
    "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"
)
CA_FILE = "/etc/kafka/ca chain #1!.pem"


@pytest.mark.parametrize("trust", ["ca_pem", "ca_file"])
@pytest.mark.parametrize("password", NASTY)
def test_written_client_properties_read_back_as_exactly_the_same_login(password: str, trust: str) -> None:
    username = password[::-1]
    servers = "broker-1:19093,broker-2:19093"
    ca = {"ca_pem": CHAIN} if trust == "ca_pem" else {"ca_file": CA_FILE}

    text = client_properties(username, password, bootstrap_servers=servers, **ca)

    assert text.isascii()  # Kafka's tools load properties as ISO 8859-1
    assert connection_from_properties(text) == Connection(
        kafka={
            "bootstrap.servers": servers,
            "security.protocol": "SASL_SSL",
            "sasl.mechanisms": "SCRAM-SHA-512",
            "sasl.username": username,
            "sasl.password": password,
            **({"ssl.ca.pem": CHAIN} if trust == "ca_pem" else {"ssl.ca.location": CA_FILE}),
        }
    )


@pytest.mark.parametrize("text", NASTY)
def test_formatted_properties_parse_back_as_exactly_the_same_keys_and_values(text: str) -> None:
    values = {text: text, f"key {text}": text[::-1], "plain": text, "": f"{text}\\"}

    written = format_properties(values)

    assert written.isascii()
    assert parse_properties(written) == values


@pytest.mark.parametrize("password", NASTY)
def test_jaas_config_parses_back_as_exactly_the_same_login(password: str) -> None:
    assert parse_jaas_config(jaas_config(password[::-1], password)) == JaasLogin(
        SCRAM_LOGIN_MODULE, "required", {"username": password[::-1], "password": password}
    )
