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
# makes one catalogue (100 000 tutorials, 10 000 tags, 300 000 links) and
# runs build-aux/bench-window.sh on it with each build. Prints each leg's
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

# Inside the Debian 13 root, this script runs itself with "__leg".
if [ "$renderer" = __leg ]; then
  release_build "$2"
  [ "$3" = gl ] || export GSK_RENDERER=cairo
  TT_BENCH_DB=$4 build-aux/bench-window.sh "$2"
  exit
fi

catalogue_dir=$(mktemp -d "$tree/.bench-window.XXXXXX")
trap 'rm -rf "$catalogue_dir"' EXIT

release_build _build-release
echo "LEG: debian12" >&2
# The first run makes the catalogue and keeps it for the second.
[ "$renderer" = gl ] || export GSK_RENDERER=cairo
TT_BENCH_DIR=$catalogue_dir build-aux/bench-window.sh _build-release
echo "LEG: debian13" >&2
build-aux/debian13-root.sh run build-aux/bench-window-legs.sh __leg _build-debian13-release \
  "$renderer" "$catalogue_dir/catalogue.db"
