#!/usr/bin/env bash
# Start a stack's stopped containers and wait until they are healthy: destroying or refreshing the topics, users,
# ACLs and subjects of a stack needs its cluster and registry to answer.
#   scripts/wake.sh STACK [TIMEOUT_SECONDS]
set -euo pipefail
stack="${1:?usage: wake.sh STACK [TIMEOUT_SECONDS]}"
timeout="${2:-180}"
mapfile -t stopped < <(docker ps -a --filter "name=^caracal-${stack}-" --filter status=exited --filter status=created \
  --format '{{.Names}}')
[ "${#stopped[@]}" -eq 0 ] && exit 0
echo "wake: starting ${stopped[*]}" >&2
# The quorum first (ZooKeeper, KRaft controllers), then brokers, then the registry: each needs the one before it.
for role in zookeeper controller kafka schema-registry; do
  for name in "${stopped[@]}"; do
    [[ "$name" == "caracal-${stack}-${role}"* ]] && docker start "$name" >/dev/null
  done
  deadline=$((SECONDS + timeout))
  for name in "${stopped[@]}"; do
    [[ "$name" == "caracal-${stack}-${role}"* ]] || continue
    until [ "$(docker inspect -f '{{.State.Health.Status}}' "$name")" = healthy ]; do
      if [ $SECONDS -gt $deadline ]; then
        echo "wake: $name did not become healthy within ${timeout} s" >&2
        exit 1
      fi
      sleep 2
    done
  done
done
