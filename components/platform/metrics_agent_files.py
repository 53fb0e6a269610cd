"""The JMX exporter agent's file in a node's config volume: its config, holding the scrape password's hash only
(components/rules/metrics_agent.py says where each secret lives)."""

from __future__ import annotations

import pulumi

from components.platform.service_container import ContainerFile
from components.rules import metrics_agent
from components.rules.layout import CONFIG_DIR


def agent_files(kind: str, password: pulumi.Output[str] | None) -> list[ContainerFile]:
    """The agent's config for a node of `kind`; none without metrics (no password)."""
    if password is None:
        return []
    config = password.apply(lambda secret: metrics_agent.agent_config(kind, secret))
    return [ContainerFile(f"{CONFIG_DIR}/{metrics_agent.CONFIG_TEMPLATE_NAME}", pulumi.Output.secret(config))]
