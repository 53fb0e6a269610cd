"""A user's SCRAM-SHA-512 credential through the Admin API: set (made or its password rotated), read, deleted. The
admin client's requests are built here, for the provider and any tool alike."""

from __future__ import annotations

from confluent_kafka.admin import (
    AdminClient,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialDeletion,
    UserScramCredentialUpsertion,
)

from components.clients import kafka_admin

# RESOURCE_NOT_FOUND: a user without a credential; already gone is deleted.
_NOT_FOUND = 91


def set_credential(admin: AdminClient, username: str, password: str, iterations: int) -> None:
    """Make the user's credential, or give it this password and iteration count."""
    info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, iterations)
    upsertion = UserScramCredentialUpsertion(username, info, password.encode())
    try:
        kafka_admin.wait_all(admin.alter_user_scram_credentials([upsertion]), "set SCRAM credential of user")
    except kafka_admin.AdminError as error:
        # Managed clusters (MSK, Confluent Cloud, Aiven) make users elsewhere and refuse this call: say what to do.
        raise kafka_admin.AdminError(
            f"{error}. If this cluster's users are made elsewhere (a cloud console, Secrets Manager, a Kubernetes "
            "operator), mark the user `existing: true` in the catalog"
        ) from None


def iterations_of(admin: AdminClient, username: str) -> int | None:
    """The iteration count of the user's SCRAM-SHA-512 credential, or None when it has none."""
    described = kafka_admin.wait_all(
        admin.describe_user_scram_credentials([username]), "describe SCRAM user", tolerate=[_NOT_FOUND]
    )
    description = described.get(username)
    infos = [
        info
        for info in (description.scram_credential_infos if description else [])
        if info.mechanism == ScramMechanism.SCRAM_SHA_512
    ]
    return infos[0].iterations if infos else None


def delete_credential(admin: AdminClient, username: str) -> None:
    """Delete the user's SCRAM-SHA-512 credential; one already gone is not an error."""
    deletion = UserScramCredentialDeletion(username, ScramMechanism.SCRAM_SHA_512)
    kafka_admin.wait_all(admin.alter_user_scram_credentials([deletion]), "delete SCRAM user", tolerate=[_NOT_FOUND])
