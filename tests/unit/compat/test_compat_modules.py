"""Every compatibility path says what it keeps working, since when and what lets it go; nothing else in the program
knows an earlier layout."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import components.compat

ROOT = Path(components.compat.__file__).resolve().parents[2]
MODULES = sorted(info.name for info in pkgutil.iter_modules(components.compat.__path__))


def test_there_is_one_module_per_path():
    assert MODULES == [
        "former_modules",
        "mapping_sets",
        "pulumi_docker_network",
        "renamed_resources",
        "single_to_sets",
    ]


@pytest.mark.parametrize("name", MODULES)
def test_each_module_says_what_it_keeps_working_since_when_and_what_lets_it_go(name):
    doc = importlib.import_module(f"components.compat.{name}").__doc__ or ""
    assert "Keeps working:" in doc and "Lets it go:" in doc
    # Since a commit and its date, as `git log` has them.
    assert re.search(r"Since: [0-9a-f]{7}, 20\d\d-\d\d-\d\d", doc), doc


def test_the_former_type_of_the_network_is_named_only_by_its_compatibility_module():
    users = [
        str(path.relative_to(ROOT))
        for folder in ("components", "infra", "caracal_cli", "scripts")
        for path in (ROOT / folder).rglob("*.py")
        if "docker:index/network:Network" in path.read_text()
    ]
    assert users == ["components/compat/pulumi_docker_network.py"]
