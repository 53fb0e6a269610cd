"""The platform's certificate authority: every broker, the registry and every client trust it and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_tls as tls

from components.rules.names import token

KEY_BITS = 3072


@dataclass(frozen=True)
class CertificateAuthorityArgs:
    common_name: str
    """Subject common name of the CA certificate."""
    validity_days: int
    """How long the CA certificate is valid; its end is exported so expiry can be watched."""


class CertificateAuthority(pulumi.ComponentResource):
    """A private key and the self-signed CA certificate made from it."""

    private_key_pem: pulumi.Output[str]
    certificate_pem: pulumi.Output[str]
    expires_at: pulumi.Output[str]

    def __init__(self, name: str, args: CertificateAuthorityArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(token("CertificateAuthority"), name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        key = tls.PrivateKey(f"{name}-key", algorithm="RSA", rsa_bits=KEY_BITS, opts=child)
        certificate = tls.SelfSignedCert(
            f"{name}-cert",
            private_key_pem=key.private_key_pem,
            is_ca_certificate=True,
            validity_period_hours=args.validity_days * 24,
            allowed_uses=["cert_signing", "crl_signing", "digital_signature"],
            subject=tls.SelfSignedCertSubjectArgs(common_name=args.common_name, organization="Caracal"),
            opts=child,
        )
        self.private_key_pem = pulumi.Output.secret(key.private_key_pem)
        self.certificate_pem = certificate.cert_pem
        self.expires_at = certificate.validity_end_time
        self.register_outputs({"certificate_pem": self.certificate_pem, "expires_at": self.expires_at})


@dataclass(frozen=True)
class Authorities:
    """The CAs a stack trusts now (two during a rotation) and the one that signs its certificates."""

    signing: CertificateAuthority
    """Signs every server and client certificate the platform issues."""
    trusted: Mapping[int, CertificateAuthority]
    """Generation -> CA, every one trusted by every node and client."""

    @property
    def bundle_pem(self) -> pulumi.Output[str]:
        """Every trusted CA certificate, concatenated: what trust stores hold."""
        return pulumi.Output.all(
            *(self.trusted[generation].certificate_pem for generation in sorted(self.trusted))
        ).apply(lambda pems: "".join(pem if pem.endswith("\n") else pem + "\n" for pem in pems))
