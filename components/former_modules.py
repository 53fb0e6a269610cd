"""Stacks written by earlier versions of this program keep each dynamic resource's provider pickled by module
path (`components.topic.TopicProvider`); the engine unpickles it from the stored state to refresh or delete the
resource. Those modules now live under components/providers/: this finder answers the former names with the
current modules, so such stacks refresh, update and destroy as before, with no state surgery."""

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
