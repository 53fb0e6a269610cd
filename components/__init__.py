"""The platform's building blocks, by kind: rules (pure decisions), clients (the one Kafka and registry client
layer), providers (dynamic-resource glue) and platform (the containers and the files they run with)."""

from components.compat import former_modules

former_modules.install()
