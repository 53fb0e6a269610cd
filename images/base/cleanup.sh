#!/bin/sh
# Trims a debootstrap rootfs before it is packed: caches, package lists, docs, man pages, logs.
# Usage: cleanup.sh ROOTFS   (runs on the host, against the directory)
set -eu
R="$1"
if [ ! -d "$R/etc" ] || [ ! -d "$R/usr" ]; then echo "cleanup.sh: $R is not a rootfs" >&2; exit 1; fi
rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/cache/apt/*.bin "$R"/var/lib/apt/lists/* \
       "$R"/var/cache/debconf/*-old "$R"/var/lib/dpkg/*-old "$R"/debootstrap
rm -rf "$R"/var/log/* "$R"/tmp/* "$R"/var/tmp/* "$R"/root/.cache
# Docs and translations; keep the copyright files.
find "$R"/usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$R"/usr/share/doc -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$R"/usr/share/man/* "$R"/usr/share/info/* "$R"/usr/share/lintian "$R"/usr/share/linda
find "$R"/usr/share/locale -mindepth 1 -maxdepth 1 -not -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
# Docker provides these at run time.
rm -f "$R"/etc/hostname "$R"/etc/resolv.conf "$R"/etc/machine-id
: > "$R"/etc/machine-id
# Keep later apt-get runs (in derived images) from leaving docs behind either.
mkdir -p "$R"/etc/dpkg/dpkg.cfg.d
printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
  'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
  'path-include /usr/share/locale/locale.alias' > "$R"/etc/dpkg/dpkg.cfg.d/01-caracal-nodoc
