"""Former module names of the dynamic providers.

Keeps working: stacks whose dynamic resources record their provider pickled under the module path it had before
the layered layout (`components.subject.SubjectProvider`); the engine unpickles it from the stored state to
refresh or delete the resource. This finder answers the former names with today's modules, so such stacks
refresh, update and destroy as before, with no state surgery. (The single topic and ACL providers' former names
are answered with single_to_sets.py, whose stand-ins refuse with what to run: such resources are rewritten to
sets first.)

Since: 6612d4e, 2026-12-01 (providers moved under components/providers/).

Lets it go: no stack made before 2026-12-01 is left, or each has had every resource's recorded provider
rewritten under today's name. An `up` does not do it for an unchanged resource: its recorded outputs, which the
engine hands to delete and read, keep the provider they were written with until the resource is next updated.
It costs one dictionary lookup per import.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType

FORMER_MODULES = {
    "components.subject": "components.providers.subject",
    "components.scram_user": "components.providers.scram_user",
    "components.user_quota": "components.providers.user_quota",
    "components.readiness": "components.providers.readiness",
    "components.topic": "components.compat.single_to_sets",
    "components.acl": "components.compat.single_to_sets",
    "components.providers.topic": "components.compat.single_to_sets",
    "components.providers.acl": "components.compat.single_to_sets",
}


class _FormerModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec:
        return importlib.util.spec_from_loader(fullname, self) if fullname in FORMER_MODULES else None  # type: ignore[return-value]

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(FORMER_MODULES[spec.name])

    def exec_module(self, module: ModuleType) -> None:
        """The current module is already executed."""


def install() -> None:
    if not any(isinstance(finder, _FormerModules) for finder in sys.meta_path):
        sys.meta_path.append(_FormerModules())
