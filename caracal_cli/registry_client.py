"""A schema registry client built from a Connection's registry settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

from confluent_kafka.schema_registry import SchemaRegistryClient

from caracal_cli.errors import CliError


@contextmanager
def open_registry(settings: dict[str, str], timeout: float) -> Iterator[SchemaRegistryClient]:
    """A client for the registry at settings["url"], trusting settings["ssl.ca.pem"] when given.

    The registry client reads its CA from a file only, so an inline PEM is written to a private temporary
    directory that is removed when the block ends.
    """
    if not settings.get("url"):
        raise CliError("no schema registry URL: use --stack, --registry-url, or schema.registry.url in the config file")
    config: dict[str, object] = {key: value for key, value in settings.items() if key != "ssl.ca.pem"}
    # Fail within the command's timeout instead of retrying for up to a minute.
    config.update({"timeout": timeout, "max.retries": 1})
    with TemporaryDirectory(prefix="caracal-cli-") as directory:
        if "ssl.ca.pem" in settings:
            ca_file = Path(directory, "registry-ca.pem")
            ca_file.write_text(settings["ssl.ca.pem"], encoding="utf-8")
            config["ssl.ca.location"] = str(ca_file)
        try:
            client = SchemaRegistryClient(config)
        except (ValueError, TypeError) as error:
            raise CliError(f"invalid schema registry settings: {error}") from None
        yield client
