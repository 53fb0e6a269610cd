"""The base of every dynamic resource of the platform: typed args in, one type token per kind, secret outputs
declared once; and the base of their providers, which hands every method engine values converted once."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self

import pulumi
from pulumi.dynamic import ResourceProvider

from components.providers.props import from_engine
from components.rules.names import DYNAMIC_MODULE


@dataclass(frozen=True)
class ResourceArgs:
    """Typed, frozen inputs of a dynamic resource; a field may hold an Output where the program passes one."""

    def to_props(self) -> dict[str, Any]:
        """The inputs as the engine stores them: one property per field, same name."""
        return {item.name: getattr(self, item.name) for item in fields(self)}

    @classmethod
    def from_props(cls, props: Mapping[str, Any]) -> Self:
        """The args from stored properties (already converted from engine values by the provider base)."""
        return cls(**{item.name: props[item.name] for item in fields(cls) if item.name in props})


def _from_engine_values(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: ResourceProvider, *args: Any) -> Any:
        return method(self, *(from_engine(arg) if isinstance(arg, dict) else arg for arg in args))

    return wrapper


class PlatformProvider(ResourceProvider):
    """Every method a subclass defines gets its property bags with whole numbers as ints and the engine's
    placeholders as the rules' UNKNOWN: converted here, once, not in each provider."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("check", "diff", "create", "read", "update", "delete"):
            if name in vars(cls):
                setattr(cls, name, _from_engine_values(vars(cls)[name]))


class PlatformResource(pulumi.dynamic.Resource):
    """Subclasses name their kind (`kind=` in the class statement), provider and credential-bearing outputs."""

    provider_class: ClassVar[type[ResourceProvider]]
    secret_outputs: ClassVar[tuple[str, ...]] = ()
    # Outputs the provider adds to the inputs (so they exist as attributes).
    extra_outputs: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, kind: str = "", **kwargs: Any) -> None:
        # The type token pulumi-python:dynamic/caracal:<kind> is the kind's identity (rules/names.py).
        super().__init_subclass__(module=DYNAMIC_MODULE, name=kind, **kwargs)

    def __init__(self, resource_name: str, args: ResourceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        secret = pulumi.ResourceOptions(additional_secret_outputs=list(self.secret_outputs))
        super().__init__(
            self.provider_class(),
            resource_name,
            {**dict.fromkeys(self.extra_outputs), **args.to_props()},
            pulumi.ResourceOptions.merge(opts, secret),
        )
