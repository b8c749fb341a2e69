#!/usr/bin/env bash
# run-app.sh: build Tutorial Tags and run it from the build folder.
#
# On a fresh Debian 12 machine, as root (or with sudo):
#
#   build-aux/run-app.sh [APPLICATION ARGS...]
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
builddir=_build

build-aux/install-deps.sh app

if [ -f "$builddir/meson-private/coredata.dat" ]; then
  meson setup --reconfigure "$builddir"
else
  meson setup "$builddir"
fi
meson compile -C "$builddir"

# Schemas, icon and translations from the build folder (not installed).
# shellcheck source=build-aux/app-env.sh
. build-aux/app-env.sh "$builddir"

exec "$builddir/src/tutorial-tags" "$@"
