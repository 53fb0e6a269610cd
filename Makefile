# Caracal Kafka platform. `make up` brings the dev stack up; `make test` proves it.
STACK ?= dev
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help up preview down refresh outputs connect test unit e2e lint images toolchain docker bench bench-kraft bench-rolls bench-health bench-metrics bench-reassign bench-migration clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

up:  ## Bring STACK (default dev) up for real, then print how to connect
	scripts/stack.sh up $(STACK)
	@scripts/connect.sh $(STACK)

preview:  ## Show what `up` would change on STACK
	scripts/stack.sh preview $(STACK)

down:  ## Destroy STACK: no container, volume or network of it is left
	scripts/stack.sh destroy $(STACK)

refresh:  ## Read STACK's real state (out-of-band changes show up)
	scripts/stack.sh refresh $(STACK)

outputs:  ## Print STACK's outputs (secrets masked)
	scripts/stack.sh outputs $(STACK)

connect:  ## Print how to connect to STACK, and write its client files to .state/clients/STACK/
	@scripts/connect.sh $(STACK)

test: lint unit e2e  ## Lint, unit tests, then end-to-end tests against real stacks

unit:  ## Unit tests on Pulumi mocks: no Docker, no network
	@scripts/python.sh
	.venv/bin/python -m pytest tests/unit -q

e2e:  ## End-to-end tests: real engine, Docker, Kafka, ZooKeeper and registry
	@scripts/python.sh
	scripts/e2e.sh

lint:  ## ruff, import contracts (lint-imports), bash -n, links and anchors of the docs, actionlint on the pull-request workflow
	scripts/lint.sh

toolchain:  ## Build the Pulumi engine and plugins (cached outside the checkout)
	scripts/toolchain.sh

docker:  ## Make sure a Docker daemon answers
	scripts/docker.sh

images:  ## Build the local images (cached; a no-op when present)
	scripts/docker.sh && scripts/images.sh

bench:  ## Benchmark many topics on a bench stack (prints figures)
	@scripts/python.sh
	scripts/bench.sh

bench-kraft:  ## The same benchmark on a KRaft bench cluster (one dedicated controller)
	@scripts/python.sh
	CARACAL_BENCH_QUORUM=kraft scripts/bench.sh

bench-rolls:  ## Five changes to a live prod bench stack under traffic; FROM=REF: the upgrade from that commit's program; KRAFT=1: on KRaft
	@scripts/python.sh
	scripts/prepare.sh && . scripts/env.sh && .venv/bin/python -m bench.rolls $(if $(FROM),--from $(FROM)) $(if $(KRAFT),--kraft)

bench-health:  ## Time `caracal-kafka health` on a bench stack with 2,000 topics and 21 consumer groups
	@scripts/python.sh
	scripts/prepare.sh && . scripts/env.sh && .venv/bin/python -m bench.health

bench-migration:  ## ZooKeeper to KRaft (a rollback from dual-write, a retry), then Kafka 4, under traffic; UPGRADE_ONLY=1: KRaft 3.9.1 to 4.x
	@scripts/python.sh
	scripts/prepare.sh && . scripts/env.sh && .venv/bin/python -m bench.migration $(if $(UPGRADE_ONLY),--upgrade-only)

bench-metrics:  ## Produce throughput, CPU and memory scraped, paused, with and without metrics on a prod bench stack, and the PLAINTEXT floor (SCRAPE=seconds, ROLLS=n, RATE=records/s of the paced runs)
	@scripts/python.sh
	scripts/prepare.sh && . scripts/env.sh && .venv/bin/python -m bench.metrics_cost $(if $(SCRAPE),--scrape-seconds $(SCRAPE)) $(if $(ROLLS),--rolls $(ROLLS)) $(if $(RATE),--rate $(RATE))

bench-reassign:  ## Replication factor 3 -> 2 -> 3 and brokers 3 -> 4 -> 3 of a live prod bench stack under traffic (MB=, THROTTLE=)
	@scripts/python.sh
	scripts/prepare.sh && . scripts/env.sh && .venv/bin/python -m bench.reassign $(if $(MB),--megabytes $(MB)) $(if $(THROTTLE),--throttle $(THROTTLE))

clean:  ## Remove the virtualenv (state in .state/ is kept)
	rm -rf .venv
