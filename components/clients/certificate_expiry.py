"""When the platform's certificates expire, as a client sees them: the certificate a server presents in the TLS
handshake (each broker, the registry), and the CAs the client trusts. Reading needs no login: the handshake comes
before authentication."""

from __future__ import annotations

import socket
import ssl
from datetime import UTC, datetime

from components.rules.health_verdict import CertificateFacts


def presented(where: str, host: str, port: int, ca_pem: str | None, timeout: float) -> CertificateFacts | None:
    """The certificate the server at host:port presents, verified against `ca_pem` (the system's CAs when None);
    None when the server cannot be reached at all, which the checks of the server itself report."""
    context = ssl.create_default_context(cadata=ca_pem or None)
    # The expiry is read whatever name the client dialled; checking the name is the Kafka client's job.
    context.check_hostname = False
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, context.wrap_socket(raw) as tls:
            certificate = tls.getpeercert()
    except ssl.SSLCertVerificationError as error:
        return CertificateFacts(where, "", None, f"certificate not accepted: {error.verify_message}")
    except ssl.SSLError as error:
        return CertificateFacts(where, "", None, f"TLS handshake failed: {error.reason or error}")
    except OSError:
        return None
    return _facts(where, certificate or {})


def trusted(ca_pem: str) -> tuple[CertificateFacts, ...]:
    """The CA certificates in `ca_pem` (during a CA rotation, the old and the new)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        context.load_verify_locations(cadata=ca_pem)
    except (ssl.SSLError, ValueError) as error:
        return (CertificateFacts("CA", "", None, f"the trusted CA cannot be read: {error}"),)
    return tuple(_facts("CA", certificate) for certificate in context.get_ca_certs())


def _facts(where: str, certificate: dict) -> CertificateFacts:
    names = dict(pair for rdn in certificate.get("subject", ()) for pair in rdn)
    subject = names.get("commonName", "")
    if "notAfter" not in certificate:
        return CertificateFacts(where, subject, None, "the certificate has no expiry date")
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(certificate["notAfter"]), UTC)
    return CertificateFacts(where, subject, expires)
