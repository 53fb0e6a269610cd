"""The one TLS policy of every listener of the platform (brokers, ZooKeeper, the registry, its proxy).

TLS 1.3 and 1.2 only: 1.0 and 1.1 lack AEAD ciphers and rest on SHA-1/MD5 in their handshake (RFC 8996 deprecates
them). In TLS 1.2 only ECDHE key exchange (forward secrecy: a stolen server key does not decrypt recorded traffic)
with AEAD ciphers, AES-GCM and ChaCha20-Poly1305 (no CBC: the padding-oracle and Lucky13 family of attacks; no
static-RSA key exchange, no SHA-1 MACs). The ECDSA suites are there for ECDSA certificates; the platform's are RSA.
TLS 1.3 defines only AEAD suites with ephemeral key exchange; all three of its default suites are kept (ChaCha20
serves clients without AES hardware). This is Mozilla's "intermediate" server profile.

Java (Kafka, ZooKeeper, Apicurio) names suites by their IANA names, OpenSSL (HAProxy) by its own.
"""

from __future__ import annotations

PROTOCOLS = ("TLSv1.3", "TLSv1.2")
TLS13_SUITES = ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")
# (IANA name, OpenSSL name), strongest first within each key type's preference.
TLS12_SUITES = (
    ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"),
    ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"),
    ("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"),
    ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"),
    ("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"),
    ("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"),
)


def java_protocols() -> str:
    """Kafka's ssl.enabled.protocols, ZooKeeper's ssl.enabledProtocols, Quarkus' quarkus.http.ssl.protocols."""
    return ",".join(PROTOCOLS)


def java_cipher_suites() -> str:
    """Every suite, 1.3 and 1.2: a Java list without the 1.3 suites would leave TLS 1.3 with nothing to agree on."""
    return ",".join([*TLS13_SUITES, *(iana for iana, _ in TLS12_SUITES)])


def openssl_ciphers() -> str:
    """OpenSSL's TLS 1.2 cipher list (HAProxy's ssl-default-*-ciphers)."""
    return ":".join(name for _, name in TLS12_SUITES)


def openssl_ciphersuites() -> str:
    """OpenSSL's TLS 1.3 suites (HAProxy's ssl-default-*-ciphersuites)."""
    return ":".join(TLS13_SUITES)
