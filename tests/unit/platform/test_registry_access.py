"""The registry behind its authenticating proxy: only the proxy is reachable from the host, it knows every user
the catalog grants registry rights to (and nobody else), and it enforces those rights."""

from __future__ import annotations

import pulumi

from components.platform import registry_proxy_config as proxy_files
from components.platform.catalog import CatalogResources
from components.platform.platform import Platform
from components.rules.catalog import UserSpec
from components.rules.registry_access import grants
from components.rules.registry_paths import READ_ROUTES, WRITE_ROUTES
from components.rules.tls_policy import openssl_ciphers, openssl_ciphersuites
from tests.unit.harness import is_secret_value, settings_for


def build(stack: str = "dev"):
    settings = settings_for(stack)
    platform = Platform("caracal", settings)
    CatalogResources("caracal", settings, platform)
    return platform


def container(monitor, name: str):
    return next(item for item in monitor.of_type("docker:index/container:Container") if item.name == name)


def upload(config_volume, path: str) -> str:
    return next(item["content"] for item in config_volume.inputs["files"] if item["path"] == path)


def test_only_the_proxy_is_published_on_the_host_and_it_forwards_to_the_registry_over_verified_tls(monitor):
    @pulumi.runtime.test
    def check():
        platform = build()

        def verify(_):
            registry = container(monitor, "caracal-registry")
            proxy = container(monitor, "caracal-registry-proxy")
            assert not registry.inputs.get("ports")
            assert proxy.inputs["ports"] == [{"internal": 8443, "external": 18081, "ip": "127.0.0.1"}]
            assert proxy.inputs["user"] == "haproxy"
            assert registry.urn in proxy.dependencies
            config = upload(monitor.named(f"{proxy.name}-config"), proxy_files.CONFIG_FILE)
            assert "server registry schema-registry:8443 ssl verify required" in config
            assert "verifyhost schema-registry" in config
            assert "password" not in config

        return platform.registry_ready.id.apply(verify)

    check()


def test_the_proxy_knows_the_admin_and_the_catalog_users_with_registry_rights_and_nobody_else(monitor):
    @pulumi.runtime.test
    def check():
        platform = build()

        def verify(_):
            proxy = container(monitor, "caracal-registry-proxy")
            users = upload(monitor.named(f"{proxy.name}-config"), proxy_files.USERS_FILE)
            assert "user admin admins password-of-caracal-scram-admin" in users
            assert "user producer readers password-of-caracal-scram-producer" in users
            assert "user consumer readers password-of-caracal-scram-consumer" in users
            assert "schema-registry" not in users  # the registry's own Kafka user has no registry login
            assert is_secret_value(monitor.named(f"{proxy.name}-config").raw["files"])

        return platform.registry_ready.id.apply(verify)

    check()


def test_the_programs_registry_connection_logs_in_as_the_admin_and_is_secret(monitor):
    @pulumi.runtime.test
    def check():
        platform = build()

        def verify(args):
            connection, secret = args
            assert secret
            assert (connection["username"], connection["password"]) == ("admin", "password-of-caracal-scram-admin")
            assert connection["url"] == "https://localhost:18081/apis/ccompat/v7"

        registry = platform.connections.registry
        return pulumi.Output.all(registry, registry.is_secret()).apply(verify)

    check()


def test_the_proxy_allows_each_route_to_the_groups_its_right_names_and_refuses_the_rest():
    users = [
        UserSpec("producer", registry="read"),
        UserSpec("tools", registry_write=("caracal.metering.events-value",)),
        UserSpec("batch"),
    ]
    config = proxy_files.haproxy_config(grants(users), "schema-registry", 8443)
    rules = [line.strip() for line in config.splitlines() if line.strip().startswith("http-request")]
    read = [rule for rule in rules if rule.startswith("http-request allow if readers ")]
    write = [rule for rule in rules if rule.startswith("http-request allow if writes-")]
    assert len(read) == len(READ_ROUTES) and len(write) == len(WRITE_ROUTES)
    register = r"'^/apis/ccompat/v7/subjects/(caracal\.metering\.events\-value)/versions$'"
    assert f"http-request allow if writes-2 {{ method POST }} {{ path_reg {register} }}" in write
    assert not any("/apis/registry" in rule for rule in read + write)
    # Authenticate, refuse what is not canonical, allow, refuse the rest: in this order.
    assert rules[0] == "http-request auth realm schema-registry unless authenticated"
    assert rules[1].startswith("http-request deny deny_status 400 if { path_reg ")
    assert rules[2] == "http-request allow if admins"
    assert rules[-1] == "http-request deny deny_status 403"
    listed = proxy_files.users_file(grants(users), {"admin": "a" * 32, "producer": "p" * 32, "tools": "t" * 32})
    assert listed.splitlines()[-1] == f"user tools readers,writes-2 {'t' * 32}"
    assert "batch" not in listed


def test_the_proxy_speaks_tls_1_2_and_1_3_with_the_chosen_suites_on_both_sides():
    config = proxy_files.haproxy_config(grants([]), "schema-registry", 8443)
    for side in ("bind", "server"):
        assert f"    ssl-default-{side}-options ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3" in config
        assert f"    ssl-default-{side}-ciphers {openssl_ciphers()}" in config
        assert f"    ssl-default-{side}-ciphersuites {openssl_ciphersuites()}" in config
