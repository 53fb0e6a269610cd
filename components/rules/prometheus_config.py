"""The files Prometheus and Alertmanager run with: prometheus.yml (what to scrape, where the rules and Alertmanager
are), the web config both serve HTTPS and basic auth with, and alertmanager.yml (where alerts go)."""

from __future__ import annotations

import hashlib

import bcrypt
import yaml

from components.rules.scrape_targets import NodeKind

CONFIG_DIR = "/etc/prometheus"
PROMETHEUS_FILE = f"{CONFIG_DIR}/prometheus.yml"
ALERTMANAGER_FILE = f"{CONFIG_DIR}/alertmanager.yml"
RULES_FILE = f"{CONFIG_DIR}/alerts.yml"
WEB_FILE = f"{CONFIG_DIR}/web.yml"
CA_FILE = f"{CONFIG_DIR}/ca.pem"
# Key and certificate in one PEM: Go's loader takes the certificate blocks from cert_file and the key from key_file.
SERVER_PEM = f"{CONFIG_DIR}/server.pem"
# The scrape credential of the exporters, and the login of Prometheus and Alertmanager themselves.
AGENT_PASSWORD_FILE = f"{CONFIG_DIR}/agent-password"
LOGIN_PASSWORD_FILE = f"{CONFIG_DIR}/login-password"
LOGIN_USER = "operator"
PROMETHEUS_PORT = 9090
ALERTMANAGER_HOST = "alertmanager"
ALERTMANAGER_PORT = 9093
# How often Prometheus scrapes every target and evaluates the rules (`metricsScrapeSeconds`). Each scrape of a broker
# takes its JVM CPU (reading its MBeans), which the brokers' clients pay for on a busy host: 30 s, the interval
# Prometheus deployments commonly default to, keeps every alert's `for:` window meaningful at half the cost of 15 s.
SCRAPE_INTERVAL_S = 30
SCRAPE_INTERVAL_ALLOWED = (10, 120)
BCRYPT_COST = 10
_BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _dump(document: dict) -> str:
    return yaml.safe_dump(document, sort_keys=False, width=200)


def _tls_client(scheme_https: bool = True) -> dict:
    return {"scheme": "https", "tls_config": {"ca_file": CA_FILE}} if scheme_https else {}


def prometheus_config(kinds: tuple[NodeKind, ...], alerts: bool = True, interval_s: int = SCRAPE_INTERVAL_S) -> str:
    """Scrape every node kind over HTTPS (the platform CA), with the exporters' credential where they ask for it;
    Prometheus scrapes itself with its own login."""
    jobs = [
        {
            "job_name": kind.job,
            **_tls_client(),
            **(
                {"basic_auth": {"username": "prometheus", "password_file": AGENT_PASSWORD_FILE}}
                if kind.basic_auth
                else {}
            ),
            "static_configs": [{"targets": [f"{host}:{kind.port}" for host in kind.hosts]}],
        }
        for kind in kinds
    ]
    own = {
        "job_name": "prometheus",
        **_tls_client(),
        "basic_auth": {"username": LOGIN_USER, "password_file": LOGIN_PASSWORD_FILE},
        "static_configs": [{"targets": [f"localhost:{PROMETHEUS_PORT}"]}],
    }
    alertmanager = {
        **_tls_client(),
        "basic_auth": {"username": LOGIN_USER, "password_file": LOGIN_PASSWORD_FILE},
        "static_configs": [{"targets": [f"{ALERTMANAGER_HOST}:{ALERTMANAGER_PORT}"]}],
    }
    return _dump(
        {
            # The scrape timeout stays Prometheus's 10 s, at most the shortest interval allowed.
            "global": {"scrape_interval": f"{interval_s}s", "evaluation_interval": f"{interval_s}s"},
            "rule_files": [RULES_FILE],
            "alerting": {"alertmanagers": [alertmanager] if alerts else []},
            "scrape_configs": [*jobs, own],
        }
    )


def bcrypt_salt(password: str) -> bytes:
    """A bcrypt salt fixed by the password: the hash, the web config and so the container stay the same from one
    preview to the next, and change when the password does. 16 bytes in bcrypt's base64 (22 characters, the last
    one carrying 2 bits)."""
    digest = hashlib.sha256(f"caracal-login-salt:{password}".encode()).digest()[:16]
    number = int.from_bytes(digest, "big") << 4  # 128 bits into 22 six-bit characters (132 bits)
    text = "".join(_BCRYPT_ALPHABET[(number >> (6 * (21 - index))) & 63] for index in range(22))
    return f"$2b${BCRYPT_COST:02d}${text}".encode()


def web_config(password: str) -> str:
    """HTTPS with the platform CA's certificate for the host, TLS 1.2 at least, and basic auth (bcrypt)."""
    hashed = bcrypt.hashpw(password.encode(), bcrypt_salt(password)).decode()
    return _dump(
        {
            "tls_server_config": {"cert_file": SERVER_PEM, "key_file": SERVER_PEM, "min_version": "TLS12"},
            "basic_auth_users": {LOGIN_USER: hashed},
        }
    )


def alertmanager_config(webhook_url: str) -> str:
    """One route for every alert: to the webhook when one is set, else to a receiver that sends nothing (the
    alerts still show in Prometheus and Alertmanager)."""
    receiver: dict = {"name": "operator"}
    if webhook_url:
        receiver["webhook_configs"] = [{"url": webhook_url, "send_resolved": True}]
    return _dump(
        {
            "route": {
                "receiver": "operator",
                "group_by": ["alertname", "job"],
                "group_wait": "30s",
                "group_interval": "5m",
                "repeat_interval": "4h",
            },
            "receivers": [receiver],
        }
    )
