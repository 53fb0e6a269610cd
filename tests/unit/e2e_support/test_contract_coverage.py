"""The import contract on the end-to-end tests names every module and package under tests/e2e: a layers contract
checks only the layers it names, so a new support module or test package left out would go unchecked."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_end_to_end_module_and_package_is_in_a_layer_of_its_contract():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    (e2e,) = [contract for contract in contracts if contract.get("containers") == ["tests.e2e"]]
    layered = {name.strip() for layer in e2e["layers"] for name in layer.split("|")}
    folder = ROOT / "tests" / "e2e"
    present = {path.stem for path in folder.glob("*.py") if path.stem != "__init__"}
    present |= {path.parent.name for path in folder.glob("*/__init__.py")}
    assert present == layered
