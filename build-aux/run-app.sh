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

# The settings schema is not installed: use the one compiled in the build
# folder.
if [ -f "$builddir/data/gschemas.compiled" ]; then
  export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
fi

# The app's icon, from the source tree, until it is installed.
export XDG_DATA_DIRS="$PWD/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"

exec "$builddir/src/tutorial-tags" "$@"
