"""A key and CA-signed certificate for one server (a broker, ZooKeeper node or the registry), as PEM files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_tls as tls

from components.platform.certificate_authority import CertificateAuthority
from components.rules.names import token

KEY_BITS = 2048
# Renewing a month ahead keeps a certificate from expiring between two `pulumi up` runs.
EARLY_RENEWAL_HOURS = 30 * 24


@dataclass(frozen=True)
class ServerCertificateArgs:
    common_name: str
    """Subject common name; also the principal name when the certificate authenticates a broker."""
    dns_names: Sequence[str]
    """Every host name clients use to reach the server."""
    ip_addresses: Sequence[str]
    """Every IP address clients use to reach the server."""
    validity_days: int
    """How long the certificate is valid."""
    rotation: int = 0
    """Raising it issues a new key and certificate now (certificateRotation)."""


class ServerCertificate(pulumi.ComponentResource):
    """Key + certificate signed by the platform CA, usable both as TLS server and client identity."""

    private_key_pem: pulumi.Output[str]
    certificate_pem: pulumi.Output[str]
    keystore_pem: pulumi.Output[str]
    expires_at: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        args: ServerCertificateArgs,
        authority: CertificateAuthority,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(token("ServerCertificate"), name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # The engine replaces on a changed trigger, not on a first one: stacks made before the setting keep their keys.
        rotate = pulumi.ResourceOptions(parent=self, replacement_trigger=args.rotation)
        key = tls.PrivateKey(f"{name}-key", algorithm="RSA", rsa_bits=KEY_BITS, opts=rotate)
        request = tls.CertRequest(
            f"{name}-csr",
            private_key_pem=key.private_key_pem,
            subject=tls.CertRequestSubjectArgs(common_name=args.common_name, organization="Caracal"),
            dns_names=list(args.dns_names),
            ip_addresses=list(args.ip_addresses),
            opts=child,
        )
        certificate = tls.LocallySignedCert(
            f"{name}-cert",
            cert_request_pem=request.cert_request_pem,
            ca_private_key_pem=authority.private_key_pem,
            ca_cert_pem=authority.certificate_pem,
            validity_period_hours=args.validity_days * 24,
            early_renewal_hours=min(EARLY_RENEWAL_HOURS, args.validity_days * 12),
            allowed_uses=["digital_signature", "key_encipherment", "server_auth", "client_auth"],
            opts=child,
        )
        # Kafka's and Quarkus' PEM key stores read unencrypted PKCS#8 keys.
        self.private_key_pem = pulumi.Output.secret(key.private_key_pem_pkcs8)
        self.certificate_pem = certificate.cert_pem
        self.keystore_pem = pulumi.Output.secret(
            pulumi.Output.all(key.private_key_pem_pkcs8, certificate.cert_pem, authority.certificate_pem).apply(
                lambda parts: "".join(part if part.endswith("\n") else part + "\n" for part in parts)
            )
        )
        self.expires_at = certificate.validity_end_time
        self.register_outputs({"certificate_pem": self.certificate_pem, "expires_at": self.expires_at})
