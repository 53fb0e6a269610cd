"""Write the config file a stack runs with: the tracked Pulumi.<stack>.yaml plus this machine's encryption salt;
print the options its `up` and `preview` read the real state with (they depend on the stack's platform).

The passphrase secrets provider keeps a salt beside the stack's config. Keeping it in .state/ instead of the
tracked file means `make up` never modifies a tracked file, and each checkout keeps its own passphrase. A salt in
the tracked file itself wins: `pulumi stack init` (or `pulumi config set --secret` on a stack without one) run in the
project folder writes it there, and the secrets in that file are encrypted with it. A stack removed and created
again under the same name so gets its new salt, not the one kept for the removed stack.

    python scripts/stack_config.py TRACKED SALT_SOURCE OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from components.rules.platform_target import DOCKER
from components.rules.refresh_options import refresh_options
from components.rules.stack_settings import CONFIG_PREFIX


def _load(path: Path) -> dict:
    return (yaml.safe_load(path.read_text()) or {}) if path.is_file() else {}


def stack_salt(tracked: dict, kept: dict) -> str | None:
    """The salt the stack's secrets are encrypted with: the tracked file's own, else the one kept for the stack."""
    return tracked.get("encryptionsalt") or kept.get("encryptionsalt")


def main(tracked: str, salt_source: str, out: str) -> None:
    document = _load(Path(tracked))
    salt = stack_salt(document, _load(Path(salt_source)))
    if salt:
        document["encryptionsalt"] = salt
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(yaml.safe_dump(document, sort_keys=False))
    platform = (document.get("config") or {}).get(f"{CONFIG_PREFIX}platform", DOCKER)
    print(" ".join(refresh_options(platform)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
