#!/usr/bin/env bash
# debian13-root.sh: run the test suite in a Debian 13 (trixie) root, the
# newer stack the Flatpak is closest to (GTK 4.18, libadwaita 1.7, GLib
# 2.84, MariaDB Connector/C 3.4, a MariaDB 11.8 server).
#
#   build-aux/debian13-root.sh run-tests [MESON TEST ARGS...]
#       the "debian13" leg of run-tests.sh: that script, run inside the
#       root, builds into _build-debian13/ of this tree and runs the suite
#       there with the root's own private MariaDB, Xvfb, D-Bus and keyring
#   build-aux/debian13-root.sh shell
#       an interactive shell in the root, the tree mounted (for debugging)
#   build-aux/debian13-root.sh run COMMAND [ARGUMENT...]
#       COMMAND in the root, from the top of the tree (for example the
#       window benchmark: build-aux/bench-window-legs.sh does that)
#   build-aux/debian13-root.sh remove
#       delete the cached root
#
# Needs root and debootstrap (build-aux/install-deps.sh test installs it).
# The root is made once with `debootstrap --variant=minbase trixie` in
# $TT_DEBIAN13_ROOT (default /var/cache/tutorial-tags/debian13) and kept
# there for the next run; run-tests.sh inside installs the packages it
# needs with install-deps.sh, the same list as on the host.
#
# The root runs in a mount and PID namespace of its own: this tree is
# bind-mounted at the same path, with /proc, /sys, /dev, /dev/pts, a fresh
# /dev/shm and a fresh /tmp. Everything is unmounted when the script ends,
# whatever ends it; should that fail, the namespace's mounts still go
# away with its last process, and nothing is ever mounted on the host.
#
# SPDX-License-Identifier: GPL-3.0-or-later

# unmount_all runs from the EXIT trap:
# shellcheck disable=SC2317

set -euo pipefail

self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
tree=$(cd "$(dirname "$self")/.." && pwd)
root_dir=${TT_DEBIAN13_ROOT:-/var/cache/tutorial-tags/debian13}
mirror=${TT_DEBIAN_MIRROR:-http://deb.debian.org/debian}

die ()
{
  echo "debian13-root: $*" >&2
  exit 1
}

usage ()
{
  echo "usage: $0 {run-tests [MESON TEST ARGS...]|shell|run COMMAND [ARGUMENT...]|remove}" >&2
  exit 2
}

# A finished debootstrap is renamed into place, so a root that is there
# is complete; an interrupted one is made again from scratch.
make_root ()
{
  local started=$SECONDS
  [ -d "$root_dir/etc/apt" ] && return 0
  command -v debootstrap >/dev/null 2>&1 ||
    die "debootstrap is missing (build-aux/install-deps.sh test installs it)"
  echo "debian13-root: making a Debian 13 root in $root_dir" >&2
  rm -rf "$root_dir.new"
  mkdir -p "$(dirname "$root_dir")"
  debootstrap --variant=minbase trixie "$root_dir.new" "$mirror" >&2
  mv "$root_dir.new" "$root_dir"
  echo "debian13-root: made in $((SECONDS - started)) s" >&2
}

# Settings a chroot needs, made again on every run (cheap, and a root
# made by an older version of this script gets them too).
configure_root ()
{
  # Package scripts must not start services (a system MariaDB) in the root.
  printf '#!/bin/sh\nexit 101\n' > "$root_dir/usr/sbin/policy-rc.d"
  chmod 755 "$root_dir/usr/sbin/policy-rc.d"
  # minbase has no /etc/hosts: "localhost" would not resolve.
  if [ ! -s "$root_dir/etc/hosts" ]; then
    printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
      > "$root_dir/etc/hosts"
  fi
  cp -L /etc/resolv.conf "$root_dir/etc/resolv.conf"
  # The authorities this machine trusts (a site may add its own, e.g. for
  # a proxy to the npm registry) for node in the root: NODE_EXTRA_CA_CERTS.
  # A new minbase root has no /etc/ssl until ca-certificates is installed.
  mkdir -p "$root_dir/etc/ssl"
  cp -L /etc/ssl/certs/ca-certificates.crt "$root_dir/etc/ssl/host-ca-certificates.crt" 2>/dev/null ||
    : > "$root_dir/etc/ssl/host-ca-certificates.crt"
}

mounted=()

mount_in_root ()
{
  local target=$root_dir$1
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}

# Last mounted, first unmounted; a mount something still holds is
# detached lazily, so that nothing is left behind.
unmount_all ()
{
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" ||
      echo "debian13-root: could not unmount ${mounted[i]}" >&2
  done
  mounted=()
}

mount_all ()
{
  # The root a mount point of its own: inside, "/" can then be made a
  # private mount, as tests that mount do.
  mount_in_root / --bind "$root_dir"
  mount_in_root /proc -t proc proc
  mount_in_root /sys -t sysfs sysfs
  mount_in_root /dev --bind /dev
  mount_in_root /dev/pts --bind /dev/pts
  mount_in_root /dev/shm -t tmpfs -o mode=1777 tmpfs
  mount_in_root /tmp -t tmpfs -o mode=1777 tmpfs
  mount_in_root "$tree" --bind "$tree"
}

# In the namespace (PID 1 there): mount, run COMMAND in the root, unmount.
inside ()
{
  trap unmount_all EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mount_all
  # A clean environment: the host's paths and settings mean nothing there.
  # shellcheck disable=SC2016 # "$1" and "$@" are the inner bash's
  env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM="${TERM:-dumb}" ${CI+CI="$CI"} TT_IN_DEBIAN13_ROOT=1 \
    NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca-certificates.crt \
    chroot "$root_dir" /bin/bash -c 'cd "$1" && shift && exec "$@"' bash "$tree" "$@"
}

enter ()
{
  [ "$(id -u)" -eq 0 ] || die "must run as root (it makes a root and mounts in it)"
  mkdir -p "$(dirname "$root_dir")"
  exec 9>>"$(dirname "$root_dir")/.$(basename "$root_dir").lock"
  # One run at a time per root: package installs and the build folder.
  flock 9
  make_root
  configure_root
  unshare --mount --pid --fork --propagation private -- "$self" __inside "$@"
}

[ $# -ge 1 ] || usage
command=$1
shift
case "$command" in
  run-tests) enter build-aux/run-tests.sh --leg debian13 "$@" ;;
  shell)     enter /bin/bash -i ;;
  run)       [ $# -ge 1 ] || usage; enter "$@" ;;
  remove)    rm -rf "$root_dir" "$root_dir.new" ;;
  __inside)  inside "$@" ;;
  *)         usage ;;
esac
