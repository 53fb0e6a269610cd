"""Java `client.properties` files: written for every user, read with Java's own rules and turned into
confluent-kafka settings.

The platform writes one such file per user because every Kafka tool (kafka-topics.sh, Java clients) reads it;
the operator CLI reads the very same file instead of a second format. Writer and reader live together, and a
round-trip test pins one to the other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from components.clients.jaas_config import PLAIN_LOGIN_MODULE, SCRAM_LOGIN_MODULE, jaas_config, parse_jaas_config
from components.clients.pem import normalise_pem

_WHITESPACE = " \t\f"
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}
# Keys that mean the same in Java and librdkafka.
_SAME_KEYS = ("bootstrap.servers", "security.protocol", "client.id")
_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
# Login modules whose username/password librdkafka takes as sasl.username/sasl.password.
_PASSWORD_MODULES = (
    "org.apache.kafka.common.security.scram.ScramLoginModule",
    "org.apache.kafka.common.security.plain.PlainLoginModule",
)


def format_properties(values: Mapping[str, object]) -> str:
    """Properties text that java.util.Properties.load (and parse_properties) reads back as exactly `values`."""
    return "".join(f"{_escape(str(key), is_key=True)}={_escape(str(value))}\n" for key, value in values.items())


def _escape(text: str, is_key: bool = False) -> str:
    out = []
    for index, char in enumerate(text):
        if char == "\\":
            out.append("\\\\")
        elif char in "\t\n\r\f":
            out.append("\\" + {"\t": "t", "\n": "n", "\r": "r", "\f": "f"}[char])
        elif char == " " and (is_key or index == 0):
            out.append("\\ ")  # a value's leading blank would be dropped on load
        elif is_key and char in "=:#!":
            out.append("\\" + char)
        elif not " " <= char <= "~":
            # Kafka's tools load properties as ISO 8859-1: anything else is written as UTF-16 \u escapes.
            units = char.encode("utf-16-be", "surrogatepass")
            out += [f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2)]
        else:
            out.append(char)
    return "".join(out)


def client_properties(
    username: str,
    password: str,
    *,
    bootstrap_servers: str | None = None,
    ca_pem: str | None = None,
    ca_file: str | None = None,
    registry_url: str | None = None,
    mechanism: str = "SCRAM-SHA-512",
    registry_ca_pem: str | None = None,
    registry_login: tuple[str, str] | None = None,
    keystore: tuple[str, str] | None = None,
) -> str:
    """client.properties for Java clients and Kafka's CLI tools: SASL_SSL, SCRAM-SHA-512 (or `mechanism`), PEM
    trust given inline (`ca_pem`) or as a file (`ca_file`), neither for the JVM's own CAs; `keystore`: a client
    certificate chain and key (PEM). With `registry_url`, also the settings Confluent's serializers read to reach the
    schema registry over HTTPS, as the same user unless `registry_login` says otherwise (("", "") for none), trusting
    `registry_ca_pem` when given."""
    values: dict[str, str] = {"bootstrap.servers": bootstrap_servers} if bootstrap_servers else {}
    module = PLAIN_LOGIN_MODULE if mechanism == "PLAIN" else SCRAM_LOGIN_MODULE
    values.update(
        {
            "security.protocol": "SASL_SSL",
            "sasl.mechanism": mechanism,
            "sasl.jaas.config": jaas_config(username, password, module),
        }
    )
    text = format_properties(values) + _truststore("ssl.", ca_pem, ca_file)
    if keystore:
        text += format_properties({"ssl.keystore.type": "PEM"})
        text += f"ssl.keystore.certificate.chain={_pem_lines(keystore[0])}\n"
        text += f"ssl.keystore.key={_pem_lines(keystore[1])}\n"
    if registry_url:
        registry_user, registry_password = registry_login or (username, password)
        registry = {"schema.registry.url": registry_url}
        if registry_user:
            registry.update(
                {
                    "basic.auth.credentials.source": "USER_INFO",
                    "basic.auth.user.info": f"{registry_user}:{registry_password}",
                }
            )
        registry_ca = ca_pem if registry_ca_pem is None else registry_ca_pem
        text += format_properties(registry) + _truststore("schema.registry.ssl.", registry_ca, ca_file)
    return text


def _truststore(prefix: str, ca_pem: str | None, ca_file: str | None) -> str:
    """A PEM trust store under `prefix` (Kafka's `ssl.`, the registry client's `schema.registry.ssl.`); nothing
    when neither is given, so the JVM trusts its own CAs."""
    if not ca_pem and not ca_file:
        return ""
    text = format_properties({f"{prefix}truststore.type": "PEM"})
    if ca_file:
        text += format_properties({f"{prefix}truststore.location": ca_file})
    if ca_pem:
        text += f"{prefix}truststore.certificates={_pem_lines(ca_pem)}\n"
    return text


def _pem_lines(ca_pem: str) -> str:
    """The certificates on continued lines, 64 base64 characters each, as people write them by hand.

    Every line but the last ends in a space before the backslash: the reader drops the line breaks and the next
    line's indent, and normalise_pem rebuilds the PEM from the space-separated pieces, a chain of several
    certificates included.
    """
    return " \\\n  ".join(normalise_pem(ca_pem).splitlines())


def parse_properties(text: str) -> dict[str, str]:
    """Parse `text` as java.util.Properties.load does; the last of repeated keys wins.

    Comments (`#`, `!`) and blank lines are skipped; a line ending in an odd number of backslashes continues on
    the next, whose leading whitespace is dropped; the key ends at the first unescaped `=`, `:` or whitespace;
    escapes `\\t \\n \\r \\f \\uXXXX` are decoded and any other escaped character stands for itself.
    """
    properties: dict[str, str] = {}
    for number, line in _logical_lines(text):
        raw_key, raw_value = _split_key_value(line)
        key = _unescape(raw_key, f"line {number}: key")
        properties[key] = _unescape(raw_value, f"line {number}: value of {key}")
    return properties


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join continued lines; each logical line with the number of the natural line it starts on.

    As Java 9 and later do, a logical line still empty after a continuation is read like a new one (a comment or
    blank line there is skipped), except at the very end of the text, where it counts as an empty key.
    """
    lines: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    naturals = re.split(r"\r\n|\r|\n", text)
    for number, natural in enumerate(naturals, start=1):
        if number == len(naturals) and not natural:
            break  # the text ended with a line break (or is empty): no natural line follows it
        stripped = natural.lstrip(_WHITESPACE)
        start, so_far = pending if pending is not None else (number, "")
        pending = None
        if not so_far and (not stripped or stripped[0] in "#!"):
            continue
        trailing = len(stripped) - len(stripped.rstrip("\\"))
        if trailing % 2 == 1:
            pending = (start, so_far + stripped[:-1])
        else:
            lines.append((start, so_far + stripped))
    if pending is not None:
        lines.append(pending)
    return lines


def _split_key_value(line: str) -> tuple[str, str]:
    escaped = False
    end = len(line)
    for index, char in enumerate(line):
        if not escaped and (char in "=:" or char in _WHITESPACE):
            end = index
            break
        escaped = char == "\\" and not escaped
    rest = line[end:].lstrip(_WHITESPACE)
    # One separator at most, with whitespace around it: "key = value", "key:value", "key value".
    if rest[:1] in ("=", ":"):
        rest = rest[1:].lstrip(_WHITESPACE)
    return line[:end], rest


def _unescape(text: str, where: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        index += 1
        if char != "\\":
            out.append(char)
        elif index == len(text):
            break  # a lone backslash at the very end escapes nothing
        elif text[index] == "u":
            digits = text[index + 1 : index + 5]
            if not re.fullmatch(r"[0-9a-fA-F]{4}", digits):
                raise ValueError(f"{where}: malformed \\uXXXX escape {text[index - 1 : index + 5]!r}")
            out.append(chr(int(digits, 16)))
            index += 5
        else:
            out.append(_ESCAPES.get(text[index], text[index]))
            index += 1
    # \u escapes of a character beyond the BMP come as a UTF-16 surrogate pair: join the pair.
    # A lone surrogate stays as it is, as it would in a Java string.
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")


def to_librdkafka(props: dict[str, str]) -> dict[str, str]:
    """Translate Java client properties to confluent-kafka configuration; Java-only keys are dropped.

    Raises ValueError naming the key when a value cannot be translated.
    """
    config = {key: props[key].strip() for key in _SAME_KEYS if key in props}
    protocol = config.get("security.protocol", "PLAINTEXT").upper()
    if protocol not in _PROTOCOLS:
        raise ValueError(f"security.protocol: {protocol!r} is not one of {', '.join(_PROTOCOLS)}")
    if "security.protocol" in config:
        config["security.protocol"] = protocol
    if protocol.startswith("SASL_"):
        config.update(_sasl(props))
    if protocol.endswith("SSL"):
        config.update(_trust(props))
        config.update(_hostname_check(props))
    return config


def _sasl(props: dict[str, str]) -> dict[str, str]:
    if "sasl.mechanism" not in props:
        supported = ", ".join(_MECHANISMS)
        raise ValueError(f"sasl.mechanism: missing (Java's default, GSSAPI, is not supported); use one of {supported}")
    mechanism = props["sasl.mechanism"].strip().upper()
    if mechanism not in _MECHANISMS:
        raise ValueError(f"sasl.mechanism: {mechanism!r} is not supported; use one of {', '.join(_MECHANISMS)}")
    if "sasl.jaas.config" not in props:
        raise ValueError(f"sasl.jaas.config: missing; SASL mechanism {mechanism} needs a username and password")
    login = parse_jaas_config(props["sasl.jaas.config"])
    if login.module not in _PASSWORD_MODULES:
        raise ValueError(f"sasl.jaas.config: login module {login.module} is not supported")
    missing = [option for option in ("username", "password") if option not in login.options]
    if missing:
        raise ValueError(f"sasl.jaas.config: no {' or '.join(missing)} option")
    return {
        "sasl.mechanisms": mechanism,
        "sasl.username": login.options["username"],
        "sasl.password": login.options["password"],
    }


def _trust(props: dict[str, str]) -> dict[str, str]:
    store_type = props.get("ssl.truststore.type", "").strip().upper()
    if "ssl.truststore.certificates" in props:
        if store_type != "PEM":
            raise ValueError("ssl.truststore.type: must be PEM when ssl.truststore.certificates is set")
        try:
            return {"ssl.ca.pem": normalise_pem(props["ssl.truststore.certificates"])}
        except ValueError as error:
            raise ValueError(f"ssl.truststore.certificates: {error}") from None
    if "ssl.truststore.location" in props:
        # Java's default store type is JKS, but librdkafka reads PEM only; a location with no type is taken as PEM.
        if store_type not in ("", "PEM"):
            raise ValueError(f"ssl.truststore.type: {store_type} cannot be read here; give a PEM file instead")
        return {"ssl.ca.location": props["ssl.truststore.location"].strip()}
    return {}


def _hostname_check(props: dict[str, str]) -> dict[str, str]:
    if "ssl.endpoint.identification.algorithm" not in props:
        return {}
    # Java disables the check with an empty value, librdkafka with "none".
    algorithm = props["ssl.endpoint.identification.algorithm"].strip().lower()
    if algorithm not in ("", "https"):
        raise ValueError(f"ssl.endpoint.identification.algorithm: {algorithm!r} is not https or empty")
    return {"ssl.endpoint.identification.algorithm": algorithm or "none"}
