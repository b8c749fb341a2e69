#!/usr/bin/env bash
# bench-window-legs.sh: the window benchmark on both test stacks, one
# after the other in one run (the machine is shared and noisy: figures
# from different runs do not compare).
#
#   build-aux/bench-window-legs.sh [cairo|gl]
#
# Builds a release build on this machine (Debian 12: GTK 4.8, libadwaita
# 1.2) in _build-release and one in the Debian 13 root (GTK 4.18,
# libadwaita 1.7; build-aux/debian13-root.sh) in _build-debian13-release,
# and runs build-aux/bench-window.sh with each build (each fills its own
# catalogue from the same seeded generator: 100 000 tutorials, 10 000
# tags, 300 000 links). Prints each leg's
# JSON after a line "LEG: debian12" or "LEG: debian13". The renderer is
# GSK_RENDERER=cairo unless "gl" is given (no GPU here: GL is llvmpipe).
#
# Needs root (the Debian 13 root) and build-aux/install-deps.sh test.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

tree=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
renderer=${1:-cairo}
cd "$tree"

release_build ()
{
  local dir=$1
  [ -d "$dir" ] || meson setup "$dir" --buildtype=release >/dev/null
  meson compile -C "$dir" >/dev/null
}

# One leg: a release build in BUILDDIR, then the benchmark.
run_leg ()
{
  release_build "$1"
  [ "$2" = gl ] || export GSK_RENDERER=cairo
  build-aux/bench-window.sh "$1"
}

# Inside the Debian 13 root, this script runs itself with "__leg".
if [ "$renderer" = __leg ]; then
  run_leg "$2" "$3"
  exit
fi

echo "LEG: debian12"
run_leg _build-release "$renderer"
echo "LEG: debian13"
build-aux/debian13-root.sh run build-aux/bench-window-legs.sh __leg _build-debian13-release "$renderer"
