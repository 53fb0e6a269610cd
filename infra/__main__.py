"""The Caracal Kafka platform: read the stack's settings, build the platform and its catalog, export what
clients need."""

import pulumi

from components.platform.catalog import CatalogResources
from components.platform.external_platform import ExternalPlatform
from components.rules.prometheus_config import LOGIN_USER
from infra.reassignment_preview import show_external_moves
from infra.settings import checked, stack_settings

settings = stack_settings(pulumi.get_stack())
if settings.external:
    # An existing cluster and registry: the catalog only, and how clients reach them.
    external = ExternalPlatform("caracal", settings)
    checked(show_external_moves, settings)
    catalog = CatalogResources("caracal", settings, external)
    pulumi.export("bootstrapServers", external.bootstrap_servers)
    pulumi.export("registryUrl", settings.registry_url)
else:
    # Imported here: an external stack's program, often the one with thousands of topics, spares loading the
    # Docker and TLS SDKs on every preview.
    from components.platform.platform import Platform
    from components.platform.registry_config import STORAGE_TOPICS
    from infra.kafka_release_check import check_image_release, metadata_version_step, read_running_release
    from infra.migration_check import check_migration_step
    from infra.partition_balance import balance_partitions
    from infra.reassignment_preview import show_docker_moves
    from infra.roll_plan import read_roll_plan

    # A release or metadata version the running cluster cannot take is refused as a bad setting is.
    checked(check_image_release, settings)
    checked(read_running_release, settings)

    # A broker removal the running cluster cannot take is refused as a bad setting is.
    roll = checked(read_roll_plan, settings)
    # A migration step the running cluster cannot take now is refused as a bad setting is.
    migration = checked(check_migration_step, settings, roll)
    # What this `up` moves (replication factors, brokers come or go), or why the cluster cannot take it.
    checked(show_docker_moves, settings, roll.running, STORAGE_TOPICS)
    platform = Platform("caracal", settings, roll, migration=migration)
    metadata_version_step(settings, platform)
    catalog = CatalogResources("caracal", settings, platform)
    # After the topic sets: a topic made in this `up` lands on any broker, a leaving one included.
    balance_partitions(platform, settings, after=[catalog.topics])

    pulumi.export("bootstrapServers", platform.cluster.bootstrap_servers)
    pulumi.export("registryUrl", settings.registry_url)
    # The CA the servers' certificates come from now; during a rotation caBundle holds both, and clientConfigs
    # carry it.
    pulumi.export("caCertificate", platform.authority.certificate_pem)
    pulumi.export("caExpiresAt", platform.authority.expires_at)
    pulumi.export("caBundle", platform.authorities.bundle_pem)
    pulumi.export(
        "caBundleExpiresAt",
        {str(generation): ca.expires_at for generation, ca in platform.authorities.trusted.items()},
    )
    pulumi.export("certificateExpiresAt", platform.certificate_expiry())
    if platform.monitoring and platform.metrics_credentials:
        pulumi.export("prometheusUrl", platform.monitoring.url)
        pulumi.export(
            "prometheusLogin",
            pulumi.Output.secret(
                platform.metrics_credentials.login_password.apply(lambda password: f"{LOGIN_USER}:{password}")
            ),
        )
pulumi.export("topics", sorted(topic.name for topic in settings.catalog.topics))
pulumi.export("subjects", sorted(catalog.subjects))
pulumi.export("users", sorted(catalog.users))
pulumi.export("clientConfigs", catalog.client_configs)
