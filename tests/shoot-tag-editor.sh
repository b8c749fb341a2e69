#!/bin/sh
# shoot-tag-editor.sh: screenshots of the tag editor, light and dark
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/shoot-tag-editor.sh [BUILDDIR] [OUTDIR]
# Runs tests/demo-tag-editor under Xvfb and takes the screen with
# ImageMagick's import: OUTDIR/tag-editor-light.png and -dark.png.

set -eu

builddir=${1:-_build}
outdir=${2:-data/screenshots}
demo="$builddir/tests/demo-tag-editor"

mkdir -p "$outdir"

for scheme in light dark; do
  out="$outdir/tag-editor-$scheme.png"
  GSETTINGS_BACKEND=memory GTK_A11Y=none \
    xvfb-run -a -s "-screen 0 520x800x24" sh -c '
      # Without a compositor, popover shadows come out black.
      compositor=
      if command -v xcompmgr >/dev/null; then
        xcompmgr & compositor=$!
        sleep 1
      fi
      "$1" "$2" &
      demo=$!
      sleep 3
      # The pointer starts in the middle of the screen, below the window,
      # so that no tooltip shows; the window fills the top.
      import -window root -crop 520x380+0+0 +repage "$3"
      kill "$demo"
      wait "$demo" 2>/dev/null || true
      if [ -n "$compositor" ]; then kill "$compositor"; fi
    ' sh "$demo" "$scheme" "$out"
  echo "$out"
done
