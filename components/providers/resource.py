"""The base of every dynamic resource of the platform: typed args in, one type token per kind, secret outputs
declared once; and the base of their providers, which hands every method engine values converted once."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, ReadResult, ResourceProvider, UpdateResult

from components.compat.mapping_sets import unpacked
from components.providers.props import from_engine
from components.rules.names import DYNAMIC_MODULE
from components.rules.packed_members import packed


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


def _to_engine_members(result: Any, keys: tuple[str, ...]) -> Any:
    """A method's result with the members of each set property packed (components/rules/packed_members.py)."""
    if isinstance(result, CheckResult):
        result.inputs = packed(result.inputs, keys)
    elif isinstance(result, CreateResult | UpdateResult):
        result.outs = packed(result.outs or {}, keys)
    elif isinstance(result, ReadResult):
        result.outs = packed(result.outs or {}, keys)
        result.inputs = packed(result.inputs, keys) if result.inputs is not None else None
    return result


def _from_engine_values(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: PlatformProvider, *args: Any) -> Any:
        keys = self.packed_members
        converted = (unpacked(from_engine(arg), keys) if isinstance(arg, dict) else arg for arg in args)
        result = method(self, *converted)
        return _to_engine_members(result, keys) if keys else result

    return wrapper


class PlatformProvider(ResourceProvider):
    """Every method a subclass defines gets its property bags with whole numbers as ints and the engine's
    placeholders as the rules' UNKNOWN, and a set's members unpacked (packed again in what it returns): converted
    here, once, not in each provider."""

    packed_members: ClassVar[tuple[str, ...]] = ()
    """Properties holding a set's members, which cross the engine packed as one string."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("check", "diff", "create", "read", "update", "delete"):
            if name in vars(cls):
                setattr(cls, name, _from_engine_values(vars(cls)[name]))


class PlatformResource(pulumi.dynamic.Resource):
    """Subclasses name their kind (`kind=` in the class statement), provider and credential-bearing outputs."""

    provider_class: ClassVar[type[PlatformProvider]]
    secret_outputs: ClassVar[tuple[str, ...]] = ()
    # Outputs the provider adds to the inputs (so they exist as attributes).
    extra_outputs: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, kind: str = "", **kwargs: Any) -> None:
        # The type token pulumi-python:dynamic/caracal:<kind> is the kind's identity (rules/names.py).
        super().__init_subclass__(module=DYNAMIC_MODULE, name=kind, **kwargs)

    def __init__(self, resource_name: str, args: ResourceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        secret = pulumi.ResourceOptions(additional_secret_outputs=list(self.secret_outputs))
        members = self.provider_class.packed_members
        super().__init__(
            self.provider_class(),
            resource_name,
            {**dict.fromkeys(self.extra_outputs), **packed(args.to_props(), members)},
            pulumi.ResourceOptions.merge(opts, secret),
        )
