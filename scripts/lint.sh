#!/usr/bin/env bash
# ruff and the import contracts on the Python, bash -n on the scripts, every link and anchor of README.md and docs/
# (scripts/check_docs.py), actionlint on the pull-request workflow.
# actionlint is built once from its Go module into the cache.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${CARACAL_CACHE:-$HOME/.cache/caracal-kafka}"
ACTIONLINT_VERSION=v1.7.7
"$ROOT/scripts/python.sh"
cd "$ROOT"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache
for script in scripts/*.sh .ci/run; do bash -n "$script"; done
.venv/bin/python scripts/check_docs.py
actionlint="$CACHE/tools/actionlint-$ACTIONLINT_VERSION"
if [ ! -x "$actionlint" ]; then
  mkdir -p "$CACHE/tools"
  GOPATH="$CACHE/go" GOMODCACHE="$CACHE/go/pkg/mod" GOCACHE="$CACHE/go-build" GOTOOLCHAIN=local GOFLAGS=-mod=mod \
    GOBIN="$CACHE/tools/bin-$ACTIONLINT_VERSION" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  mv "$CACHE/tools/bin-$ACTIONLINT_VERSION/actionlint" "$actionlint"
fi
"$actionlint" .github/workflows/*.yml
echo "lint: ruff, import contracts, bash -n, docs links and actionlint passed"
