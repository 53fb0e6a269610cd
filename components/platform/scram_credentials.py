"""Generated passwords of every SCRAM user: secrets from the moment they exist."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_random as random

from components.rules.names import token

PASSWORD_LENGTH = 32


@dataclass(frozen=True)
class ScramCredentialsArgs:
    rotations: Mapping[str, int]
    """User name -> rotation counter; a new counter value generates a new password."""


class ScramCredentials(pulumi.ComponentResource):
    """One random password per user. Letters and digits only: the password travels through JAAS and Java
    properties files, where quotes and backslashes would need escaping."""

    passwords: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: ScramCredentialsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(token("ScramCredentials"), name, None, opts)
        self.passwords = {}
        for user, rotation in args.rotations.items():
            password = random.RandomPassword(
                f"{name}-{user}",
                length=PASSWORD_LENGTH,
                special=False,
                keepers={"rotation": str(rotation)},
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.passwords[user] = pulumi.Output.secret(password.result)
        self.register_outputs({})
