#!/usr/bin/env bash
# Make sure a Docker daemon answers on this machine.
#
#   scripts/docker.sh            # idempotent: quiet and instant when `docker info` already works
#
# When no daemon answers: installs Debian's docker.io (dockerd, containerd, runc, iptables) if dockerd
# is missing, then starts dockerd in the background with its log and pidfile under
#   ${CARACAL_CACHE:-$HOME/.cache/caracal-kafka}/docker/{dockerd.log,dockerd.pid}
# and waits up to ${DOCKER_WAIT_SECONDS:-60} s for it to answer. Needs root (or sudo) for the install and
# the start. Exits non-zero with a message naming what failed and what to do.
#
# Environment:
#   CARACAL_CACHE        cache root (default $HOME/.cache/caracal-kafka)
#   DOCKER_WAIT_SECONDS  how long to wait for the daemon (default 60)
#   DOCKERD_EXTRA_ARGS   extra dockerd flags (e.g. "--storage-driver=vfs" where overlayfs is unavailable)
set -euo pipefail

CACHE="${CARACAL_CACHE:-$HOME/.cache/caracal-kafka}"
DDIR="$CACHE/docker"
LOG="$DDIR/dockerd.log"
PIDFILE="$DDIR/dockerd.pid"
WAIT="${DOCKER_WAIT_SECONDS:-60}"

say() { echo "docker.sh: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

# Fast path: nothing to do.
if answers; then exit 0; fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  fi
fi

# 1. Install the daemon (and a client) when missing.
if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    die "no Docker daemon answers and dockerd is not installed; this needs root to run
  apt-get install docker.io. Run as root, or install Docker yourself and start it (e.g. 'sudo dockerd &'),
  or add yourself to the 'docker' group of an existing daemon."
  fi
  say "installing Debian's docker.io (apt-get update; apt-get install -y docker.io) ..."
  mkdir -p "$CACHE"
  if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$CACHE/apt.log" 2>&1; then
    die "apt-get update failed (see $CACHE/apt.log). Check the Debian package sources, then re-run."
  fi
  if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        docker.io iptables ca-certificates >>"$CACHE/apt.log" 2>&1; then
    die "apt-get install docker.io failed (see $CACHE/apt.log). Install Docker by hand and re-run."
  fi
  hash -r
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd is not on PATH"
  command -v docker >/dev/null 2>&1 || die "docker.io installed but the docker client is not on PATH"
fi

# 2. Start dockerd unless one of ours is already starting/running.
mkdir -p "$DDIR"
running_pid=""
if [ -s "$PIDFILE" ]; then
  p="$(cat "$PIDFILE" 2>/dev/null || true)"
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null && grep -qa dockerd "/proc/$p/cmdline" 2>/dev/null; then
    running_pid="$p"
  fi
fi
# Another dockerd (systemd's, or one started by hand) that runs but does not answer us: do not start a second.
if [ -z "$running_pid" ] && [ -s /var/run/docker.pid ]; then
  p="$(cat /var/run/docker.pid 2>/dev/null || true)"
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    running_pid="$p"
  elif [ -n "$p" ] && [ -d "/proc/$p" ]; then
    running_pid="$p"   # alive but not ours to signal (we are not root)
  fi
fi
if [ -z "$running_pid" ]; then
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    die "dockerd is installed but no daemon answers, and starting it needs root.
  Start it as root ('sudo scripts/docker.sh' or 'sudo systemctl start docker'), or add your user to the
  'docker' group of a running daemon."
  fi
  # A stale pidfile left by a dead dockerd blocks a start ("pid file found, ensure docker is not running").
  $SUDO rm -f /var/run/docker.pid
  say "starting dockerd (log: $LOG) ..."
  # shellcheck disable=SC2086
  $SUDO nohup dockerd --pidfile "$PIDFILE" ${DOCKERD_EXTRA_ARGS:-} >>"$LOG" 2>&1 </dev/null &
  disown || true
fi

# 3. Wait for it to answer.
for _ in $(seq 1 "$WAIT"); do
  if answers; then
    say "daemon ready ($(docker info --format '{{.ServerVersion}} {{.Driver}} cgroup-{{.CgroupVersion}}' 2>/dev/null))"
    exit 0
  fi
  sleep 1
done

if [ "$(id -u)" -ne 0 ] && [ -n "$SUDO" ] && $SUDO docker info >/dev/null 2>&1; then
  die "the daemon runs but your user cannot reach /var/run/docker.sock; add yourself to the 'docker' group."
fi
if [ -n "$running_pid" ] && ! grep -qs "^$running_pid\$" "$PIDFILE"; then
  die "a dockerd (pid $running_pid, not started by this script) runs but 'docker info' fails:
  $(docker info 2>&1 | grep -i -m1 -e error -e cannot -e denied || true)
  Check DOCKER_HOST / the socket permissions, or restart that daemon."
fi
say "last lines of $LOG:"
tail -n 20 "$LOG" >&2 2>/dev/null || true
die "dockerd did not answer within ${WAIT}s. Read $LOG: if the storage driver fails, retry with
  DOCKERD_EXTRA_ARGS=--storage-driver=vfs; if iptables fails, retry with DOCKERD_EXTRA_ARGS='--iptables=false'
  (then container networking/port publishing will not work); or start Docker yourself and re-run."
