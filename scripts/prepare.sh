#!/usr/bin/env bash
# Make this machine ready to run a stack, each step a no-op when already done: the virtualenv, the Pulumi engine
# and plugins, a Docker daemon and the local images.
#
#   scripts/prepare.sh               # everything
#   scripts/prepare.sh --no-images   # no image (a destroy needs none)
#
# On a fresh machine the Go builds of the engine and plugins take most of the time; the Docker daemon and the
# images are made meanwhile, in the background, instead of after them. Either failing fails the whole.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images=1
[ "${1:-}" = --no-images ] && images=0

"$ROOT/scripts/python.sh"
(
  "$ROOT/scripts/docker.sh"
  if [ "$images" = 1 ]; then "$ROOT/scripts/images.sh"; fi
) &
side=$!
toolchain=0
"$ROOT/scripts/toolchain.sh" >/dev/null || toolchain=$?
docker_and_images=0
wait "$side" || docker_and_images=$?
if [ "$toolchain" != 0 ]; then
  echo "prepare.sh: building the Pulumi engine and plugins failed (see above)" >&2
  exit "$toolchain"
fi
if [ "$docker_and_images" != 0 ]; then
  echo "prepare.sh: starting Docker or building the images failed (see above)" >&2
  exit "$docker_and_images"
fi
