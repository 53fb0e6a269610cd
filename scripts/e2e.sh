#!/usr/bin/env bash
# End-to-end tests: the real Pulumi engine and plugins, a Docker daemon and the local images, then pytest.
# Each test stack lives in its own temporary project folder and backend; all are destroyed at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
started=$SECONDS
"$ROOT/scripts/prepare.sh"
# shellcheck source=env.sh
. "$ROOT/scripts/env.sh"
echo "e2e: toolchain, docker and images ready after $((SECONDS - started)) s" >&2
cd "$ROOT"
# Given test paths, only those run; otherwise the whole suite.
targets=(tests/e2e)
for arg in "$@"; do
  case "$arg" in tests/*) targets=() ;; esac
done
# Stacks spend most of their time waiting (on Kafka, the engine, Docker): CARACAL_E2E_WORKERS packages run side by
# side, each package's tests in order on one worker (their shared stack); 1 runs them one after another. Two suit a
# 2-core machine: the suite is bound by its CPU there, and three stacks at once (load average 60-70) only made each
# slower, and timed waits (an alert, a scrape) miss.
workers="${CARACAL_E2E_WORKERS:-2}"
parallel=()
[ "$workers" -gt 1 ] && parallel=(-n "$workers")
exec "$ROOT/.venv/bin/python" -m pytest "${targets[@]}" "${parallel[@]}" -v -rA --durations=0 -p no:cacheprovider "$@"
