#!/usr/bin/env bash
# Run one Pulumi operation on a stack, with everything it needs made ready first:
#
#   scripts/stack.sh up|preview|destroy|refresh|outputs [STACK] [extra pulumi args...]
#
# Python packages, the Pulumi engine and plugins, a Docker daemon, the local images, the stack itself
# (created on first use with the passphrase secrets provider) — each step a no-op when already done.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
operation="${1:?usage: stack.sh up|preview|destroy|refresh|outputs [STACK] [pulumi args...]}"
stack="${2:-dev}"
shift $(( $# >= 2 ? 2 : 1 ))

if [ "$operation" = destroy ]; then "$ROOT/scripts/prepare.sh" --no-images; else "$ROOT/scripts/prepare.sh"; fi
# shellcheck source=env.sh
. "$ROOT/scripts/env.sh"

cd "$ROOT"
# The stack runs with .state/stacks/Pulumi.STACK.yaml: the tracked config plus its encryption salt (the tracked
# file's own when `pulumi stack init` wrote one there, else the one this checkout keeps).
config="$STATE_DIR/stacks/Pulumi.$stack.yaml"
salt_from="$config"
if ! pulumi stack select "$stack" >/dev/null 2>&1; then
  if [ "$operation" = destroy ]; then
    echo "stack $stack does not exist: nothing to destroy" >&2
    exit 0
  fi
  scratch="$(mktemp -d)"
  cp "$ROOT/Pulumi.yaml" "$scratch/"
  (cd "$scratch" && pulumi stack init "$stack" --secrets-provider passphrase >/dev/null)
  salt_from="$scratch/Pulumi.$stack.yaml"
fi
# It prints the options this stack's up and preview read the real state first with (they depend on its platform).
options="$("$ROOT/.venv/bin/python" "$ROOT/scripts/stack_config.py" "$ROOT/Pulumi.$stack.yaml" "$salt_from" "$config")"
read -r -a refresh <<<"$options"

# Kafka-side resources can only be read or removed while the cluster serves.
case "$operation" in
  # A state of an earlier layout is rewritten first: the providers of its former resources are gone.
  up | destroy | refresh)
    "$ROOT/scripts/wake.sh" "$stack" && "$ROOT/.venv/bin/python" "$ROOT/scripts/recover.py" "$stack" --config-file "$config"
    ;;
  preview)
    # A state written with one resource per topic and binding is recorded as sets by the next `up`.
    # A preview writes nothing: with a file backend it previews a rewritten copy, so it shows what that `up` will
    # do (nothing, for the catalog) instead of deleting protected resources it would never delete.
    layout=0
    "$ROOT/.venv/bin/python" "$ROOT/scripts/recover.py" "$stack" --layout-check || layout=$?
    if [ "$layout" = 10 ] && [[ "$PULUMI_BACKEND_URL" == file://* ]]; then
      copy="$(mktemp -d)"
      trap 'rm -rf "$copy"' EXIT
      cp -a "${PULUMI_BACKEND_URL#file://}/." "$copy/"
      export PULUMI_BACKEND_URL="file://$copy"
      "$ROOT/.venv/bin/python" "$ROOT/scripts/recover.py" "$stack" --layout-only
      echo "note: the state records topics and ACL bindings one resource each (an earlier layout); this" \
        "preview shows the stack as the next \`make up\` finds it after recording them as one set each" >&2
    elif [ "$layout" = 10 ]; then
      echo "note: the state records topics and ACL bindings one resource each (an earlier layout); the next" \
        "\`make up\` records them as one set each first, so this preview shows them deleted and the sets created" >&2
    elif [ "$layout" != 0 ]; then
      exit "$layout"
    fi
    ;;
esac

# up and preview read the real state first (--refresh): what was changed out of band shows, and `up` puts the
# declared state back, as an operator's reconcile loop would.
case "$operation" in
  up) pulumi up --stack "$stack" --config-file "$config" --yes --skip-preview "${refresh[@]}" "$@" ;;
  preview) pulumi preview --stack "$stack" --config-file "$config" --diff "${refresh[@]}" "$@" ;;
  refresh) pulumi refresh --stack "$stack" --config-file "$config" --yes "$@" ;;
  destroy)
    # Destroying the stack is the explicit decision to drop its data (protected stacks still refuse).
    CARACAL_ALLOW_DATA_LOSS=true pulumi destroy --stack "$stack" --config-file "$config" --yes "$@"
    ;;
  outputs) pulumi stack output --stack "$stack" --json "$@" ;;
  *) echo "unknown operation $operation" >&2; exit 2 ;;
esac
