"""The operator's and the build's scripts. The Python ones are run as programs (`python scripts/NAME.py`), never
imported; a package only so that the import contracts in pyproject.toml can check what they import."""
