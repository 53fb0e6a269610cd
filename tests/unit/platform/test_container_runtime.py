"""Every service container of a stack is made with least privilege, its limits from the stack's settings."""

from __future__ import annotations

import pulumi
import pytest

from components.platform.catalog import CatalogResources
from components.platform.platform import Platform
from components.platform.service_container import cpus
from components.rules.names import CONFIG_VOLUME, PIDS_LIMIT
from tests.unit.harness import settings_for


# As pulumi-docker formats the NanoCpus it reads back (terraform-provider-docker's nanoInt64ToDecimalString).
@pytest.mark.parametrize(
    ("millicores", "text"),
    [(1500, "1.5"), (1000, "1.0"), (2000, "2.0"), (500, "0.5"), (250, "0.25"), (10500, "10.5"), (10000, "10.")],
)
def test_cpus_are_written_the_way_docker_reads_them_back(millicores, text):
    assert cpus(millicores) == text


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_container_is_read_only_without_capabilities_with_limits_and_its_own_config_volume(monitor, stack):
    @pulumi.runtime.test
    def build():
        settings = settings_for(stack, brokerCpuMillicores=1250, registryProxyCpuMillicores=300)
        platform = Platform("caracal", settings)
        CatalogResources("caracal", settings, platform)
        return platform.registry_ready.id

    # Checked once the test runtime has awaited every registration: a pids limit registers after its container.
    build()
    containers = monitor.of_type("docker:index/container:Container")
    volumes = {item.name: item for item in monitor.dynamic(CONFIG_VOLUME)}
    limits = {item.inputs["container"]: item for item in monitor.dynamic(PIDS_LIMIT)}
    assert len(containers) == (4 if stack == "dev" else 11)
    for container in containers:
        name = container.inputs["name"]
        assert container.inputs["readOnly"] is True, name
        assert container.inputs["capabilities"] == {"drops": ["ALL"]}, name
        assert container.inputs["securityOpts"] == ["no-new-privileges:true"], name
        assert set(container.inputs["tmpfs"]) == {"/tmp"}, name
        assert "uploads" not in container.inputs, name
        [mount] = container.inputs["mounts"]
        volume = volumes[f"{container.name}-config"]
        assert mount == {
            "target": volume.inputs["directory"],
            "type": "volume",
            "source": volume.inputs["name"],
            "readOnly": True,
        }, name
        assert limits[name].inputs["limit"] > 0
        assert container.urn in limits[name].dependencies
    by_role = {item.inputs["name"].removeprefix(f"caracal-{stack}-"): item for item in containers}
    assert by_role["kafka-0"].inputs["cpus"] == "1.25"
    assert by_role["zookeeper-0"].inputs["cpus"] == "1.0"
    assert by_role["schema-registry"].inputs["cpus"] == "1.5"
    assert by_role["schema-registry-proxy"].inputs["cpus"] == "0.3"
    assert "noexec" in by_role["schema-registry-proxy"].inputs["tmpfs"]["/tmp"]
    assert ",exec," in by_role["kafka-0"].inputs["tmpfs"]["/tmp"]
