# Sourced by the scripts that run Pulumi: an offline engine, a local file backend and a passphrase by default.
# Every variable that is already set wins: PULUMI_BACKEND_URL=https://api.pulumi.com (with a login) uses Pulumi
# Cloud, PULUMI_CONFIG_PASSPHRASE[_FILE] a passphrase of your own.
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
STATE_DIR="${CARACAL_STATE:-$ROOT/.state}"
mkdir -p "$STATE_DIR"
chmod 700 "$STATE_DIR"

export PULUMI_SKIP_UPDATE_CHECK="${PULUMI_SKIP_UPDATE_CHECK:-true}"
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="${PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION:-true}"
if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  mkdir -p "$STATE_DIR/backend"
  export PULUMI_BACKEND_URL="file://$STATE_DIR/backend"
fi
# A passphrase made once per checkout, kept beside the state it protects (git-ignored, owner-only).
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  if [ ! -s "$STATE_DIR/passphrase" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$STATE_DIR/passphrase")
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE="$STATE_DIR/passphrase"
fi

# The provider plugins are installed into the plugin cache at their versions, so the engine uses exactly them
# (and says nothing about plugins found on PATH); the engine and language host come from PATH.
TOOLCHAIN_BIN="$("$ROOT/scripts/toolchain.sh" --install-plugins | tail -n 1)"
export PULUMI_IGNORE_AMBIENT_PLUGINS="${PULUMI_IGNORE_AMBIENT_PLUGINS:-true}"
export PATH="$TOOLCHAIN_BIN:$ROOT/.venv/bin:$PATH"

# Pulumi with SIGINT at its default: a script run in the background (`make up &`, nohup, a CI job) inherits SIGINT
# ignored, and the CLI then waits 5 s for each language host it stops by SIGINT (infra/pulumi_cli.py).
pulumi() { env --default-signal=INT pulumi "$@"; }

