"""A prod stack's monitoring on Pulumi mocks: the scrape interval reaches Prometheus's config and changes nothing
else of the stack."""

from __future__ import annotations

import pulumi
import yaml

from components.platform.platform import Platform
from components.rules import prometheus_config as files
from tests.unit.harness import settings_for


def made_of(monitor, names: set[str]) -> dict[str, tuple]:
    """The named containers' inputs and the files of their config volumes."""
    return {
        container.inputs["name"]: (container.inputs, monitor.named(f"{container.name}-config").inputs["files"])
        for container in monitor.of_type("docker:index/container:Container")
        if container.inputs["name"] in names
    }


def test_the_scrape_interval_reaches_prometheus_and_changes_nothing_else(monitor):
    made: dict[int, dict[str, tuple]] = {}
    for seconds in (files.SCRAPE_INTERVAL_S, 60):

        @pulumi.runtime.test
        def check(seconds=seconds):
            platform = Platform("caracal", settings_for("prod", metricsScrapeSeconds=seconds))
            monitoring, registry = platform.monitoring, platform.registry
            every = [
                *platform.quorum.containers,
                *platform.cluster.containers,
                monitoring.prometheus,
                monitoring.alertmanager,
                monitoring.lag_exporter,
                registry.container,
                registry.proxy,
            ]
            # Each container is compared once registered: its id resolves only then.
            return pulumi.Output.all(*(item.id for item in every), *(item.name for item in every)).apply(
                lambda values: made.__setitem__(seconds, made_of(monitor, set(values[len(every) :])))
            )

        check()
        monitor.registered.clear()
    default, slower = made[files.SCRAPE_INTERVAL_S], made[60]
    prometheus = "caracal-prod-prometheus"
    assert len(default) == 11 and set(default) == set(slower)
    changed = {name for name in default if default[name] != slower[name]}
    assert changed == {prometheus}
    config = next(item["content"] for item in slower[prometheus][1] if item["path"] == files.PROMETHEUS_FILE)
    assert yaml.safe_load(config)["global"] == {"scrape_interval": "60s", "evaluation_interval": "60s"}
