"""Registry clients built from connection settings, with an inline CA handed over as a short-lived file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import caracal_cli.registry_client as registry_client
from caracal_cli.errors import CliError
from caracal_cli.registry_client import open_registry

PEM = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"


class RecordingClient:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        location = config.get("ssl.ca.location")
        self.ca_text = Path(location).read_text() if location else None


def test_inline_ca_is_written_to_a_file_that_lives_as_long_as_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry_client, "SchemaRegistryClient", RecordingClient)

    with open_registry({"url": "https://reg:8081", "ssl.ca.pem": PEM}, timeout=7) as client:
        location = Path(client.config["ssl.ca.location"])
        assert client.ca_text == PEM
        assert client.config == {"url": "https://reg:8081", "ssl.ca.location": str(location), "timeout": 7,
                                 "max.retries": 1}  # fmt: skip
    assert not location.exists()


def test_settings_without_a_ca_are_passed_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry_client, "SchemaRegistryClient", RecordingClient)

    with open_registry({"url": "http://reg", "basic.auth.user.info": "u:p"}, timeout=2) as client:
        assert client.config == {"url": "http://reg", "basic.auth.user.info": "u:p", "timeout": 2, "max.retries": 1}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        pytest.param({}, "no schema registry URL", id="no url"),
        pytest.param({"url": "ftp://reg"}, "invalid schema registry settings: Invalid url ftp://reg", id="bad url"),
        pytest.param({"url": "http://reg", "colour": "blue"}, "Unrecognized properties: colour", id="unknown key"),
    ],
)
def test_unusable_registry_settings_are_reported(settings: dict[str, str], message: str) -> None:
    with pytest.raises(CliError, match=message), open_registry(settings, timeout=1):
        pass
