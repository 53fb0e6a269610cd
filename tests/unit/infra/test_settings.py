"""The config keys: declared once (as fields of Settings) and equal to what Pulumi.yaml declares."""

from __future__ import annotations

from dataclasses import fields

import yaml

from components.rules.stack_settings import CONFIG_KEYS, Settings
from infra.settings import ROOT
from tests.unit.harness import settings_for

PULUMI_TYPES = {"int": "integer", "bool": "boolean", "str": "string"}


def test_pulumi_yaml_declares_exactly_the_settings_keys_with_the_same_types_and_defaults():
    declared = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]
    by_key = {spec.key: name for name, spec in CONFIG_KEYS.items()}
    assert set(declared) == set(by_key)
    types = {item.name: item.type for item in fields(Settings)}
    for key, spec in declared.items():
        name = by_key[key]
        assert spec["default"] == CONFIG_KEYS[name].default, key
        assert spec["type"] == PULUMI_TYPES[types[name]], key
        assert spec["description"], key


def test_every_settings_field_but_the_stack_and_its_catalog_is_a_config_key():
    assert {item.name for item in fields(Settings)} - set(CONFIG_KEYS) == {"stack", "catalog"}


def test_a_stack_file_becomes_settings_of_the_right_types():
    settings = settings_for("prod")
    assert (settings.brokers, settings.min_insync_replicas, settings.protect_data) == (3, 2, True)
    assert settings.catalog_file == "stacks/catalog.yaml"
    assert settings.registry_url == "https://localhost:28081/apis/ccompat/v7"
