"""The stack's settings: the config the engine hands the program, read once, validated with the catalog it names,
and frozen before any resource is registered."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

from components.rules.catalog_limits import catalog_problems
from components.rules.stack_settings import CONFIG_KEYS, CONFIG_PREFIX, Settings, SettingsError, config_values
from infra.catalog import CatalogError, load_catalog

ROOT = Path(__file__).resolve().parent.parent
# The exit code by which the language host learns that the program reported its error to the engine itself: the
# engine then prints that report and no "Program failed with an unhandled exception" traceback.
USER_ACTIONABLE_EXIT = 32
T = TypeVar("T")


def stack_settings(stack: str) -> Settings:
    """The running stack's settings, validated with its catalog before any resource is registered."""
    return checked(load_settings, raw_config(), stack, ROOT, secret_config_keys())


def checked(read: Callable[..., T], *args: Any) -> T:
    """`read(*args)`. A bad setting or catalog entry it finds (SettingsError) stops the program: each cause is
    reported once as its own Pulumi error (key, value, what is allowed), and the program exits without a Python
    traceback."""
    import pulumi

    try:
        return read(*args)
    except SettingsError as error:
        for problem in error.problems:
            pulumi.log.error(problem)
        raise SystemExit(USER_ACTIONABLE_EXIT) from None


def load_settings(raw: Mapping[str, Any], stack: str, root: Path = ROOT, secret_keys: Collection[str] = ()) -> Settings:
    """Validate the stack's raw config (keys `caracal-kafka:<key>`) and its catalog; every problem at once.
    `secret_keys`: the keys the stack holds as secrets (a password given in plaintext is refused)."""
    values, problems = config_values(raw, secret_keys)
    catalog = None
    try:
        catalog = load_catalog(root / values["catalog_file"], root / values["schemas_dir"])
    except CatalogError as error:
        problems += [f"{CONFIG_PREFIX}catalog ({values['catalog_file']}): {problem}" for problem in error.problems]
    if catalog is not None:
        problems += catalog_problems(catalog, values)
    if problems or catalog is None:
        raise SettingsError(problems)
    return Settings(stack=stack, catalog=catalog, **values)


def raw_config() -> dict[str, Any]:
    """The stack's config as the engine hands it to the program (values as strings), through the SDK's public
    config functions: the whole bag (so unknown keys are reported) and each declared key."""
    import pulumi.runtime

    declared = (CONFIG_PREFIX + spec.key for spec in CONFIG_KEYS.values())
    explicit = {key: value for key in declared if (value := pulumi.runtime.get_config(key)) is not None}
    return {**pulumi.runtime.get_config_env(), **explicit}


def secret_config_keys() -> set[str]:
    """The declared keys the stack holds as secrets (`pulumi config set --secret`)."""
    import pulumi.runtime

    declared = (CONFIG_PREFIX + spec.key for spec in CONFIG_KEYS.values())
    return {key for key in declared if pulumi.runtime.is_config_secret(key)}
