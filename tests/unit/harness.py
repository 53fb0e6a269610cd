"""Pulumi mocks that record what the program registers: type, name, inputs, parent, dependencies, protection
and which outputs it asks to keep secret, so tests can assert on the resource graph itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from google.protobuf import json_format
from pulumi.runtime.mocks import MockMonitor

from components.rules.names import dynamic_token
from components.rules.stack_settings import CONFIG_PREFIX, Settings
from infra.settings import ROOT, load_settings

FAKE_PEM = "-----BEGIN CERTIFICATE-----\nTUlJQg==\n-----END CERTIFICATE-----\n"
# Assembled so that no tracked file carries a key header: secret scanners would flag it.
KEY_HEADER = "-----BEGIN " + "PRIVATE KEY-----"
FAKE_KEY = f"{KEY_HEADER}\nTUlJRQ==\n-----END PRIVATE KEY-----\n"


SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
SIG_KEY = "4dabf18193072939515e22adb298388d"


def is_secret_value(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def unwrap(value: Any) -> Any:
    """The value with every secret marker removed."""
    if is_secret_value(value):
        return unwrap(value["value"])
    if isinstance(value, dict):
        return {key: unwrap(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unwrap(item) for item in value]
    return value


@dataclass
class Registered:
    type: str
    name: str
    inputs: dict[str, Any]
    urn: str
    parent: str
    dependencies: list[str] = field(default_factory=list)
    protect: bool = False
    secret_outputs: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    """Inputs as sent to the engine, secret markers included."""
    replacement_trigger: Any = None
    """The value whose change makes the engine replace the resource (None: none set)."""


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers like the providers would, with fixed fake values."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        outputs = dict(args.inputs)
        if args.typ == "tls:index/privateKey:PrivateKey":
            outputs.update(private_key_pem=FAKE_KEY, private_key_pem_pkcs8=FAKE_KEY, public_key_pem="pub")
        elif args.typ in ("tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert"):
            outputs.update(cert_pem=FAKE_PEM, validity_end_time="2036-11-21T00:00:00Z")
        elif args.typ == "tls:index/certRequest:CertRequest":
            outputs.update(cert_request_pem="csr")
        elif args.typ == "random:index/randomPassword:RandomPassword":
            outputs.update(result=f"password-of-{args.name}")
        elif args.typ == "docker:index/remoteImage:RemoteImage":
            outputs.update(image_id=f"sha256:{args.inputs['name']}")
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list | None]:
        return {}, None


class RecordingMonitor(MockMonitor):
    def __init__(self, mocks: RecordingMocks) -> None:
        super().__init__(mocks)
        self.registered: list[Registered] = []

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            raw = pulumi.runtime.rpc.deserialize_properties(request.object)
            self.registered.append(
                Registered(
                    type=request.type,
                    name=request.name,
                    inputs=unwrap(raw),
                    urn=response.urn,
                    parent=request.parent,
                    dependencies=list(request.dependencies),
                    protect=bool(request.protect),
                    secret_outputs=list(request.additionalSecretOutputs),
                    raw=raw,
                    replacement_trigger=(
                        json_format.MessageToDict(request.replacement_trigger)
                        if request.HasField("replacement_trigger")
                        else None
                    ),
                )
            )
        return response

    def of_type(self, suffix: str) -> list[Registered]:
        return [item for item in self.registered if item.type.endswith(suffix)]

    def named(self, name: str) -> Registered:
        return next(item for item in self.registered if item.name == name)

    def dynamic(self, kind: str) -> list[Registered]:
        """Dynamic resources of one kind (rules/names.py), selected by their type token."""
        return [item for item in self.registered if item.type == dynamic_token(kind)]


def stack_config(stack: str) -> dict[str, str]:
    """The raw config of a stack file, as the engine passes it (strings)."""
    document = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())
    return {
        key: str(value).lower() if isinstance(value, bool) else str(value)
        for key, value in (document.get("config") or {}).items()
    }


def settings_for(stack: str, root: Path = ROOT, **overrides: Any) -> Settings:
    raw = stack_config(stack) | {f"{CONFIG_PREFIX}{key}": str(value) for key, value in overrides.items()}
    return load_settings(raw, stack, root)
