"""The files the registry's authenticating proxy (HAProxy) runs with.

HAProxy terminates HTTPS on the registry's published port, asks every request for HTTP basic credentials, refuses a
path the registry would read differently once decoded, allows what components/rules/registry_access.py grants
(the routes of components/rules/registry_paths.py) and refuses the rest, and forwards to the registry over HTTPS
inside the platform's network, verifying the registry's certificate. Both sides speak TLS as
components/rules/tls_policy.py says. Passwords arrive in an uploaded secret file; the start script turns them into
SHA-512 crypt hashes (read from stdin, never on a command line) before HAProxy starts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from components.rules.registry_access import RegistryGrant
from components.rules.registry_paths import NON_CANONICAL, READ_ROUTES, SUBJECT, WRITE_ROUTES, Route
from components.rules.tls_policy import openssl_ciphers, openssl_ciphersuites

CONFIG_DIR = "/etc/haproxy"
CONFIG_FILE = f"{CONFIG_DIR}/haproxy.cfg"
START_SCRIPT = f"{CONFIG_DIR}/start.sh"
SECRETS_DIR = f"{CONFIG_DIR}/secrets"
SERVER_PEM = f"{SECRETS_DIR}/server.pem"
CA_FILE = f"{SECRETS_DIR}/ca.pem"
USERS_FILE = f"{SECRETS_DIR}/users"
USERLIST = "registry_users"
HTTPS_PORT = 8443
HEALTH = (
    f"echo | openssl s_client -connect 127.0.0.1:{HTTPS_PORT} -CAfile {CA_FILE} -verify_return_error 2>/dev/null"
    " | grep -q 'Verify return code: 0'"
)
_ADMINS, _READERS = "admins", "readers"


def _writer_group(index: int) -> str:
    return f"writes-{index}"


def _quoted(pattern: str) -> str:
    """A regular expression as one HAProxy word: single quotes keep every backslash as it is."""
    return f"'{pattern}'"


def _allow(who: str, route: Route, subject: str = SUBJECT) -> str:
    methods = " ".join(route.methods)
    return f"http-request allow if {who} {{ method {methods} }} {{ path_reg {_quoted(route.pattern(subject))} }}"


def access_rules(grants: Sequence[RegistryGrant]) -> list[str]:
    """The frontend's authorisation, in order: authenticate, refuse non-canonical paths, allow what
    components/rules/registry_access.py allows, refuse the rest. Each group is an ACL named after it."""
    writers = [(index, grant.write_subject) for index, grant in enumerate(grants) if grant.write_subject]
    groups = [_ADMINS, _READERS, *(_writer_group(index) for index, _ in writers)]
    return [
        f"acl authenticated http_auth({USERLIST})",
        *(f"acl {group} http_auth_group({USERLIST}) {group}" for group in groups),
        "http-request auth realm schema-registry unless authenticated",
        f"http-request deny deny_status 400 if {{ path_reg {_quoted(NON_CANONICAL)} }}",
        f"http-request allow if {_ADMINS}",
        *(_allow(_READERS, route) for route in READ_ROUTES),
        *(_allow(_writer_group(index), route, subject) for index, subject in writers for route in WRITE_ROUTES),
        "http-request deny deny_status 403",
    ]


def haproxy_config(grants: Sequence[RegistryGrant], registry_host: str, registry_port: int) -> str:
    """haproxy.cfg: one HTTPS frontend that authenticates, authorises and forwards. It holds no secret."""
    lines = [
        "global",
        "    log stdout format raw local0 warning",
        "    maxconn 512",
        # components/rules/tls_policy.py, towards clients (bind) and towards the registry (server) alike.
        *(
            f"    ssl-default-{side}-{key} {value}"
            for side in ("bind", "server")
            for key, value in (
                ("options", "ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3"),
                ("ciphers", openssl_ciphers()),
                ("ciphersuites", openssl_ciphersuites()),
            )
        ),
        "defaults",
        "    mode http",
        "    log global",
        "    timeout connect 5s",
        "    timeout client 60s",
        "    timeout server 60s",
        # Docker's DNS: the registry's address changes when its container is replaced.
        "resolvers docker",
        "    nameserver dns 127.0.0.11:53",
        "    hold valid 5s",
        "frontend registry",
        f"    bind :{HTTPS_PORT} ssl crt {SERVER_PEM}",
        *(f"    {rule}" for rule in access_rules(grants)),
        "    default_backend registry",
        "backend registry",
        f"    server registry {registry_host}:{registry_port} ssl verify required ca-file {CA_FILE}"
        f" verifyhost {registry_host} sni str({registry_host}) resolvers docker init-addr last,libc,none",
    ]
    return "\n".join(lines) + "\n"


def users_file(grants: Sequence[RegistryGrant], passwords: Mapping[str, str]) -> str:
    """The secret file the start script reads: the groups, then `user NAME GROUPS PASSWORD` per user."""
    groups = [_ADMINS, _READERS, *(_writer_group(i) for i, grant in enumerate(grants) if grant.write_subject)]
    lines = [f"group {group}" for group in groups]
    for index, grant in enumerate(grants):
        member = [_ADMINS] if grant.admin else []
        member += [_READERS] if grant.read else []
        member += [_writer_group(index)] if grant.write_subject else []
        lines.append(f"user {grant.user} {','.join(member)} {passwords[grant.user]}")
    return "\n".join(lines) + "\n"


def start_script() -> str:
    """Hashes each password (SHA-512 crypt, from stdin), writes the userlist, then runs HAProxy in the foreground."""
    return (
        "#!/bin/sh\nset -eu\numask 077\n"
        f"{{\n  echo 'userlist {USERLIST}'\n"
        "  while read -r kind name groups password; do\n"
        '    case "$kind" in\n'
        '      group) echo "  group $name" ;;\n'
        '      user) hash="$(printf %s "$password" | openssl passwd -6 -stdin)"\n'
        '            echo "  user $name password $hash groups $groups" ;;\n'
        "    esac\n"
        f"  done < {USERS_FILE}\n"
        "} > /tmp/userlist.cfg\n"
        f"exec haproxy -W -db -f {CONFIG_FILE} -f /tmp/userlist.cfg\n"
    )
