#!/usr/bin/env bash
# Build the platform's local Docker images from Debian packages and Maven Central (no registry pulls).
#
#   scripts/images.sh [--force] [--print-tags] [base|kafka|kafka4|schema-registry|registry-proxy|monitoring ...]   (default: all)
#
#   caracal/debian-jre:${DEBIAN_SUITE}-17              debootstrap minbase + openjdk-17-jre-headless, imported
#   caracal/kafka:${KAFKA_VERSION}-jmx${JMX_EXPORTER_VERSION}   /opt/kafka/libs (broker + ZooKeeper + tools), user kafka,
#                                                      and the Prometheus JMX exporter agent in /opt/kafka/agent
#   caracal/kafka:${KAFKA4_VERSION}-jmx${JMX_EXPORTER_VERSION}   /opt/kafka/libs (KRaft server + tools, log4j2), user
#                                                      kafka, and the same agent
#   caracal/schema-registry:apicurio-${APICURIO_VERSION}   /opt/apicurio (java -jar quarkus-run.jar), user apicurio
#   caracal/registry-proxy:${DEBIAN_SUITE}-haproxy     debootstrap minbase + haproxy + openssl, imported, user haproxy
#   caracal/monitoring:${DEBIAN_SUITE}-prometheus      debootstrap minbase + prometheus + prometheus-alertmanager, imported,
#                                                      user prometheus
#
# An image is skipped when it exists with the same recipe (label caracal.recipe = hash of versions + images/
# files), so a no-op run only inspects the images. --force rebuilds the images (the cached downloads are
# still reused). --print-tags prints BASE_IMAGE=… KAFKA_IMAGE=… SCHEMA_REGISTRY_IMAGE=… lines and exits.
#
# Slow downloads are cached outside the checkout, keyed by version, under ${CARACAL_CACHE:-$HOME/.cache/caracal-kafka}:
#   rootfs/debian-jre-<suite>-17-<arch>-<key>.tar.gz     the trimmed debootstrap rootfs (key: packages.txt, cleanup.sh)
#   rootfs/registry-proxy-<suite>-<arch>-<key>.tar.gz    the same for the registry's proxy
#   m2/                                                Maven local repository
#   kafka/<kafka>-<scala>-<pom hash>/libs/               the assembled class path (3.x and 4.x alike)
#   jmx-exporter/jmx_prometheus_javaagent-<version>.jar   the exporter agent (Maven Central)
#   apicurio/apicurio-registry-app-<version>-all.tar.gz
# so a rebuild after `docker system prune` or in a fresh clone only re-imports and re-runs `docker build`.
#
# Needs: a Docker daemon (scripts/docker.sh), root for debootstrap (installed with apt-get if missing),
# mvn + a JDK for the Maven downloads. `docker build` runs on a context assembled in a temp dir: no network.
# Environment: CARACAL_CACHE, DEBIAN_MIRROR (default http://deb.debian.org/debian), MVN (default mvn).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC1091
. "$ROOT/scripts/versions.env"
: "${DEBIAN_SUITE:?}" "${KAFKA_VERSION:?}" "${KAFKA4_VERSION:?}" "${SCALA_VERSION:?}" "${APICURIO_VERSION:?}" "${JMX_EXPORTER_VERSION:?}"

CACHE="${CARACAL_CACHE:-$HOME/.cache/caracal-kafka}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
MVN="${MVN:-mvn}"
IMG="$ROOT/images"

BASE_IMAGE="caracal/debian-jre:${DEBIAN_SUITE}-17"
# The tag names the agent's version too: an image without the agent never answers to it.
KAFKA_IMAGE="caracal/kafka:${KAFKA_VERSION}-jmx${JMX_EXPORTER_VERSION}"
KAFKA4_IMAGE="caracal/kafka:${KAFKA4_VERSION}-jmx${JMX_EXPORTER_VERSION}"
SCHEMA_REGISTRY_IMAGE="caracal/schema-registry:apicurio-${APICURIO_VERSION}"
PROXY_IMAGE="caracal/registry-proxy:${DEBIAN_SUITE}-haproxy"
MONITORING_IMAGE="caracal/monitoring:${DEBIAN_SUITE}-prometheus"

say() { echo "images.sh: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
now() { date +%s; }

FORCE=0
TARGETS=()
for a in "$@"; do
  case "$a" in
    --force) FORCE=1 ;;
    --print-tags)
      printf 'BASE_IMAGE=%s\nKAFKA_IMAGE=%s\nKAFKA4_IMAGE=%s\nSCHEMA_REGISTRY_IMAGE=%s\nPROXY_IMAGE=%s\nMONITORING_IMAGE=%s\n' \
        "$BASE_IMAGE" "$KAFKA_IMAGE" "$KAFKA4_IMAGE" "$SCHEMA_REGISTRY_IMAGE" "$PROXY_IMAGE" "$MONITORING_IMAGE"
      exit 0 ;;
    base|kafka|kafka4|schema-registry|registry-proxy|monitoring) TARGETS+=("$a") ;;
    -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$a' (try --help)" ;;
  esac
done
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(base kafka kafka4 schema-registry registry-proxy monitoring)

docker info >/dev/null 2>&1 || die "no Docker daemon answers: run scripts/docker.sh first"

# Recipes: a change in a version or an images/ file changes the hash, and so the image is rebuilt.
hash_of() { sha256sum | cut -c1-12; }   # stdin → short hash
ARCH="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
ROOTFS_KEY="$( { echo "$DEBIAN_SUITE $ARCH"; cat "$IMG/base/packages.txt" "$IMG/base/cleanup.sh"; } | hash_of)"
# Bump BASE_IMPORT_REV when the `docker import --change` settings below change.
BASE_IMPORT_REV=2
BASE_RECIPE="$(echo "$ROOTFS_KEY $BASE_IMPORT_REV" | hash_of)"
KAFKA_RECIPE="$( { echo "$KAFKA_VERSION $SCALA_VERSION $JMX_EXPORTER_VERSION $BASE_RECIPE"; cat "$IMG/kafka/pom.xml" "$IMG/kafka/Dockerfile" "$IMG/kafka/log4j.properties"; } | hash_of)"
KAFKA_LIBS_KEY="$( { echo "$KAFKA_VERSION $SCALA_VERSION"; cat "$IMG/kafka/pom.xml"; } | hash_of)"
KAFKA4_RECIPE="$( { echo "$KAFKA4_VERSION $SCALA_VERSION $JMX_EXPORTER_VERSION $BASE_RECIPE"; cat "$IMG/kafka4/pom.xml" "$IMG/kafka4/Dockerfile" "$IMG/kafka4/log4j2.yaml"; } | hash_of)"
KAFKA4_LIBS_KEY="$( { echo "$KAFKA4_VERSION $SCALA_VERSION"; cat "$IMG/kafka4/pom.xml"; } | hash_of)"
SR_RECIPE="$( { echo "$APICURIO_VERSION $BASE_RECIPE"; cat "$IMG/schema-registry/Dockerfile"; } | hash_of)"
PROXY_ROOTFS_KEY="$( { echo "$DEBIAN_SUITE $ARCH"; cat "$IMG/registry-proxy/packages.txt" "$IMG/base/cleanup.sh"; } | hash_of)"
PROXY_RECIPE="$(echo "$PROXY_ROOTFS_KEY $BASE_IMPORT_REV" | hash_of)"
MONITORING_ROOTFS_KEY="$( { echo "$DEBIAN_SUITE $ARCH"; cat "$IMG/monitoring/packages.txt" "$IMG/base/cleanup.sh"; } | hash_of)"
MONITORING_RECIPE="$(echo "$MONITORING_ROOTFS_KEY $BASE_IMPORT_REV" | hash_of)"

# forced NAME: --force was given and NAME is one of the requested targets (not merely a dependency).
forced() { [ "$FORCE" = 1 ] && [[ " ${TARGETS[*]} " == *" $1 "* ]]; }
# up_to_date TAG RECIPE: the image exists and carries this recipe.
up_to_date() {
  local got
  got="$(docker image inspect --format '{{index .Config.Labels "caracal.recipe"}}' "$1" 2>/dev/null)" || return 1
  [ "$got" = "$2" ]
}

# One temp dir per run, made here in the main shell (mktmp runs inside $(...): a subshell that could not
# record what it made). The EXIT trap removes it.
RUN_TMP="$(mktemp -d "${TMPDIR:-/tmp}/caracal-images.XXXXXX")"
cleanup() {
  # debootstrap mounts /proc and /sys inside its target: never follow them.
  umount -l "$RUN_TMP"/*/rootfs/proc "$RUN_TMP"/*/rootfs/sys 2>/dev/null || true
  rm -rf --one-file-system "$RUN_TMP"
}
trap cleanup EXIT
mktmp() { mktemp -d "$RUN_TMP/XXXXXX"; }

BUILT=()

# rootfs_tarball NAME KEY PACKAGES_FILE: the cached, trimmed debootstrap rootfs NAME-KEY.tar.gz (made if missing;
# older ones of NAME are removed). Prints its path.
rootfs_tarball() {
  local name="$1" key="$2" packages="$3" tarball pkgs work
  tarball="$CACHE/rootfs/${name}-${key}.tar.gz"
  if [ -s "$tarball" ]; then
    say "reusing cached rootfs $tarball"
    echo "$tarball"
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "building $name needs root (debootstrap); run as root, or put a rootfs tarball at $tarball"
  if ! command -v debootstrap >/dev/null 2>&1; then
    say "installing debootstrap ..."
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } >/dev/null ||
      die "apt-get install debootstrap failed"
  fi
  pkgs="$(grep -v -e '^\s*#' -e '^\s*$' "$packages" | tr -s ' \n' ',' | sed 's/,$//')"
  work="$(mktmp)"
  say "debootstrap $DEBIAN_SUITE (minbase + $pkgs) from $MIRROR ..."
  mkdir -p "$CACHE/rootfs"
  if ! nice -n 10 debootstrap --variant=minbase --no-merged-usr --arch="$ARCH" --include="$pkgs" \
        "$DEBIAN_SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2
    [ -f "$work/rootfs/debootstrap/debootstrap.log" ] && tail -n 30 "$work/rootfs/debootstrap/debootstrap.log" >&2
    # Keep /proc etc. from staying mounted inside the temp dir.
    umount -l "$work/rootfs/proc" "$work/rootfs/sys" 2>/dev/null || true
    die "debootstrap failed (log above)"
  fi
  sh "$IMG/base/cleanup.sh" "$work/rootfs"
  tar --numeric-owner -C "$work/rootfs" -c . | gzip -1 >"$tarball.part"
  mv "$tarball.part" "$tarball"
  rm -rf --one-file-system "$work/rootfs"
  # Older rootfs tarballs of this name are superseded (about 100 MB each).
  find "$CACHE/rootfs" -maxdepth 1 -name "${name}-*.tar*" ! -name "$(basename "$tarball")" -delete
  echo "$tarball"
}

# import_rootfs TARBALL TAG RECIPE TITLE [--change ...]: the rootfs as an image, labelled with its recipe.
import_rootfs() {
  local tarball="$1" tag="$2" recipe="$3" title="$4"
  shift 4
  say "docker import → $tag"
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change "LABEL caracal.recipe=$recipe org.opencontainers.image.title=$title" \
    "$@" "$tarball" "$tag" >/dev/null
}

# --- base: debootstrap → tarball (cached) → docker import -----------------------------------------------
BASE_DONE=0
build_base() {
  [ "$BASE_DONE" = 0 ] || return 0
  BASE_DONE=1
  if ! forced base && up_to_date "$BASE_IMAGE" "$BASE_RECIPE"; then return 0; fi
  local t0 tarball java_home
  t0="$(now)"
  tarball="$(rootfs_tarball "debian-jre-${DEBIAN_SUITE}-17-${ARCH}" "$ROOTFS_KEY" "$IMG/base/packages.txt")"
  java_home="/usr/lib/jvm/java-17-openjdk-${ARCH}"
  tar -tf "$tarball" "./${java_home#/}/bin/java" >/dev/null 2>&1 || die "$tarball has no $java_home/bin/java"
  import_rootfs "$tarball" "$BASE_IMAGE" "$BASE_RECIPE" caracal-debian-jre \
    --change "ENV JAVA_HOME=$java_home" --change 'CMD ["/bin/bash"]'
  BUILT+=("$BASE_IMAGE $(( $(now) - t0 ))s")
}

# docker_build TAG RECIPE CONTEXT: no network needed, nothing pulled (the base is local).
docker_build() {
  # The legacy builder: this client has no buildx plugin and BuildKit would try to reach a registry.
  if ! DOCKER_BUILDKIT=0 nice -n 10 docker build --network=none --pull=false \
        --label "caracal.recipe=$2" --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$1" "$3" >"$3.build.log" 2>&1; then
    grep -v -e DEPRECATED -e 'legacy builder' -e BuildKit "$3.build.log" | tail -n 30 >&2
    die "docker build of $1 failed"
  fi
}

# jmx_exporter_agent: the cached Prometheus JMX exporter agent jar (fetched from Maven Central if missing); prints
# its path. 1.0.1 is the last agent release published there.
jmx_exporter_agent() {
  local jar="$CACHE/jmx-exporter/jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar"
  if [ ! -s "$jar" ]; then
    command -v "$MVN" >/dev/null 2>&1 || die "mvn not found (apt-get install maven, or set MVN)"
    say "mvn: fetching io.prometheus.jmx:jmx_prometheus_javaagent:${JMX_EXPORTER_VERSION} ..."
    mkdir -p "$CACHE/jmx-exporter" "$CACHE/m2"
    if ! nice -n 10 "$MVN" -B -q -Dmaven.repo.local="$CACHE/m2" \
          org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
          -Dartifact="io.prometheus.jmx:jmx_prometheus_javaagent:${JMX_EXPORTER_VERSION}" \
          -DoutputDirectory="$CACHE/jmx-exporter/.part" >"$CACHE/jmx-exporter/mvn.log" 2>&1; then
      tail -n 30 "$CACHE/jmx-exporter/mvn.log" >&2
      die "mvn could not fetch the JMX exporter agent ${JMX_EXPORTER_VERSION} (log: $CACHE/jmx-exporter/mvn.log)"
    fi
    mv "$CACHE/jmx-exporter/.part/$(basename "$jar")" "$jar"; rm -rf "$CACHE/jmx-exporter/.part"
  fi
  echo "$jar"
}

# --- kafka, kafka4: mvn dependency:copy-dependencies (cached) → docker build ----------------------------------
# build_kafka_image TARGET TAG RECIPE VERSION LIBS_KEY LOG_CONFIG: images/TARGET/{pom.xml,Dockerfile,LOG_CONFIG}.
build_kafka_image() {
  local target="$1" tag="$2" recipe="$3" version="$4" libs_key="$5" log_config="$6" t0 libs ctx agent
  if ! forced "$target" && up_to_date "$tag" "$recipe"; then return 0; fi
  t0="$(now)"
  libs="$CACHE/kafka/${version}-${SCALA_VERSION}-${libs_key}/libs"
  if [ ! -f "$libs/kafka_${SCALA_VERSION}-${version}.jar" ]; then
    command -v "$MVN" >/dev/null 2>&1 || die "mvn not found (apt-get install maven, or set MVN)"
    say "mvn: resolving kafka_${SCALA_VERSION}:${version} (images/$target/pom.xml) into $libs ..."
    rm -rf "$libs.part"; mkdir -p "$libs.part" "$CACHE/m2"
    if ! nice -n 10 "$MVN" -B -q -f "$IMG/$target/pom.xml" -Dmaven.repo.local="$CACHE/m2" \
          -Dkafka.version="$version" -Dscala.binary.version="$SCALA_VERSION" \
          dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs.part" \
          >"$CACHE/kafka/mvn-$version.log" 2>&1; then
      tail -n 30 "$CACHE/kafka/mvn-$version.log" >&2
      die "mvn dependency:copy-dependencies failed (log: $CACHE/kafka/mvn-$version.log)"
    fi
    rm -rf "$libs"; mv "$libs.part" "$libs"
  fi
  agent="$(jmx_exporter_agent)"
  ctx="$(mktmp)"
  cp "$IMG/$target/Dockerfile" "$IMG/$target/$log_config" "$ctx/"
  cp -r "$libs" "$ctx/libs"
  # Beside the class path, not in it: the agent shades its own YAML parser and HTTP server.
  cp "$agent" "$ctx/jmx_prometheus_javaagent.jar"
  say "docker build → $tag"
  docker_build "$tag" "$recipe" "$ctx"
  BUILT+=("$tag $(( $(now) - t0 ))s")
}

build_kafka() {
  build_kafka_image kafka "$KAFKA_IMAGE" "$KAFKA_RECIPE" "$KAFKA_VERSION" "$KAFKA_LIBS_KEY" log4j.properties
}

# Kafka 4.x: KRaft only, log4j2 (images/kafka4). Built beside the default release so that a KRaft stack can be
# upgraded to it (kafkaVersion) without a build step in between.
build_kafka4() {
  build_kafka_image kafka4 "$KAFKA4_IMAGE" "$KAFKA4_RECIPE" "$KAFKA4_VERSION" "$KAFKA4_LIBS_KEY" log4j2.yaml
}

# --- schema-registry: Apicurio app tarball from Maven Central (cached) → docker build ---------------------
build_schema_registry() {
  if ! forced schema-registry && up_to_date "$SCHEMA_REGISTRY_IMAGE" "$SR_RECIPE"; then return 0; fi
  local t0 tgz ctx runner
  t0="$(now)"
  tgz="$CACHE/apicurio/apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz"
  if [ ! -s "$tgz" ]; then
    command -v "$MVN" >/dev/null 2>&1 || die "mvn not found (apt-get install maven, or set MVN)"
    say "mvn: fetching io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all ..."
    # dependency-plugin 2.8 on purpose: 3.x reads the artifact's POM, whose parent
    # (io.apicurio:apicurio-registry:pom) is missing from Maven Central for 3.0.9; 2.8 copies the file alone.
    mkdir -p "$CACHE/apicurio" "$CACHE/m2"
    if ! nice -n 10 "$MVN" -B -q -Dmaven.repo.local="$CACHE/m2" \
          org.apache.maven.plugins:maven-dependency-plugin:2.8:copy \
          -Dartifact="io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all" \
          -DoutputDirectory="$CACHE/apicurio/.part" -Dmdep.useBaseVersion=true \
          >"$CACHE/apicurio/mvn.log" 2>&1; then
      tail -n 30 "$CACHE/apicurio/mvn.log" >&2
      die "mvn could not fetch Apicurio Registry ${APICURIO_VERSION} (log: $CACHE/apicurio/mvn.log)"
    fi
    mv "$CACHE/apicurio/.part/$(basename "$tgz")" "$tgz"; rm -rf "$CACHE/apicurio/.part"
    # The Maven local repository need not keep a second copy of a 100+ MB tarball.
    rm -rf "$CACHE/m2/io/apicurio/apicurio-registry-app/${APICURIO_VERSION}"
  fi
  ctx="$(mktmp)"
  cp "$IMG/schema-registry/Dockerfile" "$ctx/"
  mkdir "$ctx/apicurio"
  tar -xzf "$tgz" -C "$ctx/apicurio" --no-same-owner
  # 3.1+ ship a Quarkus fast-jar (quarkus-run.jar); 3.0.x a legacy jar (…-runner.jar + lib/). Give both one
  # entry point: `java -jar quarkus-run.jar` in /opt/apicurio.
  if [ ! -f "$ctx/apicurio/quarkus-run.jar" ]; then
    runner="$(find "$ctx/apicurio" -maxdepth 1 -name '*-runner.jar' | head -n1)"
    [ -n "$runner" ] || die "$tgz has neither quarkus-run.jar nor a *-runner.jar"
    ln -s "$(basename "$runner")" "$ctx/apicurio/quarkus-run.jar"
  fi
  say "docker build → $SCHEMA_REGISTRY_IMAGE"
  docker_build "$SCHEMA_REGISTRY_IMAGE" "$SR_RECIPE" "$ctx"
  BUILT+=("$SCHEMA_REGISTRY_IMAGE $(( $(now) - t0 ))s")
}

# --- registry-proxy: debootstrap → tarball (cached) → docker import ----------------------------------------
build_registry_proxy() {
  if ! forced registry-proxy && up_to_date "$PROXY_IMAGE" "$PROXY_RECIPE"; then return 0; fi
  local t0 tarball
  t0="$(now)"
  tarball="$(rootfs_tarball "registry-proxy-${DEBIAN_SUITE}-${ARCH}" "$PROXY_ROOTFS_KEY" "$IMG/registry-proxy/packages.txt")"
  tar -tf "$tarball" ./usr/sbin/haproxy >/dev/null 2>&1 || die "$tarball has no /usr/sbin/haproxy"
  import_rootfs "$tarball" "$PROXY_IMAGE" "$PROXY_RECIPE" caracal-registry-proxy \
    --change 'USER haproxy' --change 'CMD ["/bin/sh"]'
  BUILT+=("$PROXY_IMAGE $(( $(now) - t0 ))s")
}

# --- monitoring: debootstrap → tarball (cached) → docker import --------------------------------------------
build_monitoring() {
  if ! forced monitoring && up_to_date "$MONITORING_IMAGE" "$MONITORING_RECIPE"; then return 0; fi
  local t0 tarball
  t0="$(now)"
  tarball="$(rootfs_tarball "monitoring-${DEBIAN_SUITE}-${ARCH}" "$MONITORING_ROOTFS_KEY" "$IMG/monitoring/packages.txt")"
  for binary in prometheus prometheus-alertmanager; do
    tar -tf "$tarball" "./usr/bin/$binary" >/dev/null 2>&1 || die "$tarball has no /usr/bin/$binary"
  done
  import_rootfs "$tarball" "$MONITORING_IMAGE" "$MONITORING_RECIPE" caracal-monitoring \
    --change 'USER prometheus' --change 'CMD ["/bin/sh"]'
  BUILT+=("$MONITORING_IMAGE $(( $(now) - t0 ))s")
}

# Serialise builds: several sessions may share one daemon and one cache (the .part files, the tags).
# The no-op path above the lock stays lock-free; after taking it every image is checked again.
need=0
[ "$FORCE" = 0 ] || need=1
for t in "${TARGETS[@]}"; do
  case "$t" in
    base) up_to_date "$BASE_IMAGE" "$BASE_RECIPE" || need=1 ;;
    kafka) up_to_date "$BASE_IMAGE" "$BASE_RECIPE" && up_to_date "$KAFKA_IMAGE" "$KAFKA_RECIPE" || need=1 ;;
    kafka4) up_to_date "$BASE_IMAGE" "$BASE_RECIPE" && up_to_date "$KAFKA4_IMAGE" "$KAFKA4_RECIPE" || need=1 ;;
    schema-registry) up_to_date "$BASE_IMAGE" "$BASE_RECIPE" && up_to_date "$SCHEMA_REGISTRY_IMAGE" "$SR_RECIPE" || need=1 ;;
    registry-proxy) up_to_date "$PROXY_IMAGE" "$PROXY_RECIPE" || need=1 ;;
    monitoring) up_to_date "$MONITORING_IMAGE" "$MONITORING_RECIPE" || need=1 ;;
  esac
done
if [ "$need" = 1 ]; then
  mkdir -p "$CACHE"
  exec 9>"$CACHE/images.lock"
  if ! flock -n 9; then
    say "waiting for another images.sh run to finish (lock: $CACHE/images.lock) ..."
    flock -w 3600 9 || die "timed out waiting for $CACHE/images.lock"
  fi
fi

for t in "${TARGETS[@]}"; do
  case "$t" in
    base) build_base ;;
    kafka) build_base; build_kafka ;;
    kafka4) build_base; build_kafka4 ;;
    schema-registry) build_base; build_schema_registry ;;
    registry-proxy) build_registry_proxy ;;
    monitoring) build_monitoring ;;
  esac
done

for b in "${BUILT[@]+"${BUILT[@]}"}"; do say "built $b"; done
for tag in "$BASE_IMAGE" "$KAFKA_IMAGE" "$KAFKA4_IMAGE" "$SCHEMA_REGISTRY_IMAGE" "$PROXY_IMAGE" "$MONITORING_IMAGE"; do
  size="$(docker image inspect --format '{{.Size}}' "$tag" 2>/dev/null)" || continue
  say "$(printf '%-48s %5d MB' "$tag" $(( size / 1000000 )))"
done
