"""Kafka's migration state in ZooKeeper, read and removed with zookeeper-shell (Kafka's TLS variant) inside a
node of the stack that holds the brokers' ZooKeeper identity: the /migration record the active KRaft controller
writes once it copied the metadata (its offset in the controllers' log), and the /controller znode that names
the cluster's controller (a KRaft controller takes it over during the migration)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from components.clients import kafka_tools
from components.rules.kafka_tools import ZOOKEEPER_SHELL
from components.rules.layout import ZK_TLS_FILE, zookeeper_connect

MIGRATION = "/migration"
CONTROLLER = "/controller"
_JSON = re.compile(r"^\{.*\}$", re.MULTILINE)


def _shell(containers: Sequence[str], zookeeper_nodes: int, *command: str) -> kafka_tools.ToolResult | None:
    """`command` run by the first of `containers` that runs the tool; None when none does."""
    args = ["-zk-tls-config-file", ZK_TLS_FILE, "-server", zookeeper_connect(zookeeper_nodes), *command]
    for container in containers:
        try:
            return kafka_tools.run(ZOOKEEPER_SHELL, args, kafka_tools.InBroker(container), check=False)
        except kafka_tools.ToolError:
            continue
    return None


def read(containers: Sequence[str], zookeeper_nodes: int, path: str) -> dict | None:
    """The JSON document of znode `path`; None when it does not exist or no container could ask."""
    result = _shell(containers, zookeeper_nodes, "get", path)
    if result is None:
        return None
    found = _JSON.search(result.stdout)
    return json.loads(found.group(0)) if found else None


def copied(record: dict | None) -> bool:
    """The /migration record says the controllers completed the copy of the metadata (an offset in their log)."""
    return bool(record) and int((record or {}).get("kraft_metadata_offset", -1)) >= 0


def remove_for_rollback(containers: Sequence[str], zookeeper_nodes: int, brokers: Sequence[int]) -> list[str]:
    """Kafka's rollback in ZooKeeper: /controller when a KRaft controller holds it (a broker is then elected
    ZooKeeper's controller again) and /migration (so a later retry copies everything anew). What was removed."""
    removed = []
    holder = read(containers, zookeeper_nodes, CONTROLLER)
    if holder is not None and int(holder.get("brokerid", -1)) not in brokers:
        _remove(containers, zookeeper_nodes, CONTROLLER)
        removed.append(f"{CONTROLLER} (held by {holder.get('brokerid')})")
    if read(containers, zookeeper_nodes, MIGRATION) is not None:
        _remove(containers, zookeeper_nodes, MIGRATION)
        removed.append(MIGRATION)
    return removed


def _remove(containers: Sequence[str], zookeeper_nodes: int, path: str) -> None:
    result = _shell(containers, zookeeper_nodes, "deleteall", path)
    if result is None or result.exit_code != 0:
        said = (result.stderr if result else "no container could run zookeeper-shell").strip()[-300:]
        raise RuntimeError(f"could not remove {path} from ZooKeeper: {said}")
