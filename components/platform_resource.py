"""The base of every dynamic resource of the platform: one type-token prefix, and secret outputs declared once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import ResourceProvider


class PlatformResource(pulumi.dynamic.Resource):
    """Subclasses name their provider and the outputs that carry a credential."""

    provider_class: ClassVar[type[ResourceProvider]]
    secret_outputs: ClassVar[tuple[str, ...]] = ()
    # Outputs the provider adds to the inputs (so they exist as attributes).
    extra_outputs: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self, resource_name: str, props: Mapping[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        secret = pulumi.ResourceOptions(additional_secret_outputs=list(self.secret_outputs))
        super().__init__(
            self.provider_class(),
            resource_name,
            {**dict.fromkeys(self.extra_outputs), **props},
            pulumi.ResourceOptions.merge(opts, secret),
        )
