"""A copy of the catalog and schemas that the dev e2e stack points at: day-2 tests edit it, then preview and up."""

from __future__ import annotations

import copy
import shutil

import yaml
from confluent_kafka.admin import ConfigResource

from infra.scratch_stack import ROOT
from tests.e2e import clients

DLQ = "caracal.dlq"
EVENTS = "caracal.metering.events"


class Catalog:
    """A copy of the catalog and schemas the stack points at; tests edit it and run preview/up."""

    def __init__(self, stack, folder):
        self.stack = stack
        self.folder = folder
        shutil.copytree(ROOT / "schemas", folder / "schemas", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        self.document = yaml.safe_load((ROOT / "stacks" / "catalog.yaml").read_text())
        self.write()
        stack.set_config("catalog", str(folder / "catalog.yaml"))
        stack.set_config("schemasDir", str(folder / "schemas"))

    def write(self):
        (self.folder / "catalog.yaml").write_text(yaml.safe_dump(self.document, sort_keys=False))

    def topic(self, name: str) -> dict:
        return next(topic for topic in self.document["topics"] if topic["name"] == name)

    def edit(self, change):
        saved = copy.deepcopy(self.document)
        change(self.document)
        self.write()
        return saved

    def restore(self, saved):
        self.document = saved
        self.write()


def topic_config(outputs, name: str) -> dict[str, tuple[str, int]]:
    resource = ConfigResource(ConfigResource.Type.TOPIC, name)
    admin = clients.admin(outputs)
    entries = admin.describe_configs([resource])[resource].result(timeout=30)
    return {key: (entry.value, entry.source) for key, entry in entries.items()}


def partitions(outputs, name: str) -> int:
    return len(clients.admin(outputs).list_topics(topic=name, timeout=30).topics[name].partitions)
