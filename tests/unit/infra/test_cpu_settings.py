"""The containers' CPU limits are stack settings with defaults that fit a 2-core machine; bad values are refused
at preview, naming the key, the value and what is allowed."""

from __future__ import annotations

import pytest

from components.rules.stack_settings import SettingsError
from tests.unit.harness import settings_for

KEYS = ("zookeeperCpuMillicores", "brokerCpuMillicores", "registryCpuMillicores", "registryProxyCpuMillicores")


def test_the_defaults_leave_each_container_at_most_the_machines_two_cores():
    settings = settings_for("dev")
    chosen = (
        settings.zookeeper_cpu_millicores,
        settings.broker_cpu_millicores,
        settings.registry_cpu_millicores,
        settings.registry_proxy_cpu_millicores,
    )
    assert chosen == (1000, 1500, 1500, 500)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("value", ["0", "99", "64001", "1.5", "two"])
def test_a_cpu_limit_out_of_range_or_not_a_whole_number_is_refused(key, value):
    with pytest.raises(SettingsError) as refused:
        settings_for("dev", **{key: value})
    assert f"caracal-kafka:{key} = '{value}': not allowed; allowed: an integer from 100 to 64000" in str(refused.value)
