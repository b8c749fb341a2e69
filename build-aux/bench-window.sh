#!/bin/bash
# bench-window.sh [BUILDDIR]: the main window on a large catalogue.
#
# Fills a fresh SQLite catalogue through the CLI's import (by default
# 100 000 tutorials, 10 000 tags, 300 000 links; TT_BENCH_TUTORIALS and
# TT_BENCH_TAGS change the sizes), opens the real window on it under Xvfb
# and prints the timings tests/bench-window.c measures, as JSON.
# TT_BENCH_KEEP=1 keeps the catalogue (its folder is printed);
# TT_BENCH_DB=FILE measures a catalogue kept before instead of a new one.
set -euo pipefail

builddir=$(realpath "${1:-_build}")
tutorials=${TT_BENCH_TUTORIALS:-100000}
tags=${TT_BENCH_TAGS:-10000}
tmp=$(mktemp -d)
echo "bench-window: catalogue in $tmp" >&2
[ -n "${TT_BENCH_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT

# Three tags per tutorial; titles and descriptions from a small
# vocabulary, so that searches match some rows and not others.
generate_catalogue ()
{
python3 - "$tutorials" "$tags" >"$tmp/catalogue.json" <<'PY'
import json, random, sys
n, n_tags = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(42)
words = ("python rust gtk glib sql async threads memory widgets layout css "
         "testing packaging flatpak meson debugging profiling networking "
         "graphics audio accessibility keyboard design").split()
tags = [f"{rng.choice(words)}-{i}" for i in range(n_tags)]
stamp = "2026-01-01T00:00:00.000Z"
tutorials = [{
    "title": f"{rng.choice(words).title()} {rng.choice(words)} guide {i}",
    "description": " ".join(rng.choice(words) for _ in range(30)),
    "createdAt": stamp, "updatedAt": stamp,
    "tags": [{"name": t} for t in rng.sample(tags, 3)],
} for i in range(n)]
json.dump({"tutorials": tutorials,
           "tags": [{"name": t, "createdAt": stamp, "updatedAt": stamp} for t in tags]},
          sys.stdout)
PY

start=$(date +%s%N)
"$builddir/src/tutorial-tags-cli" --db "sqlite:$tmp/catalogue.db" import "$tmp/catalogue.json" >&2
echo "bench-window: import took $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2
}

if [ -n "${TT_BENCH_DB:-}" ]; then
  cp "$TT_BENCH_DB" "$tmp/catalogue.db"
else
  generate_catalogue
fi

# GSK_RENDERER and GTK_A11Y pass through: Xvfb has no GPU, so frames are
# drawn in software, which costs far more than on a desktop.
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$builddir/data" XDG_DATA_HOME="$tmp"
# Displays from :150 up: the test suite's take :99 up, and inside the
# Debian 13 root xvfb-run cannot see the host's lock files in /tmp.
xvfb-run -a -n 150 -s "-screen 0 1600x1000x24" dbus-run-session -- \
  "$builddir/tests/bench-window" "$tmp/catalogue.db" 2> >(grep -v '^dbus-daemon' >&2)
