"""The prod stack's eleven containers (with Prometheus, Alertmanager and the lag exporter) keep every rule."""

from __future__ import annotations

from tests.e2e import least_privilege as lp


def test_every_container_of_the_prod_stack_keeps_every_rule(prod):
    names = prod.containers()
    assert len(names) == 11, names
    assert lp.broken_rules(names) == []
    for name in names:
        view = lp.kernel_view(name)
        assert view["CapEff"] == "0000000000000000" and view["NoNewPrivs"] == "1", (name, view)
