#!/usr/bin/env bash
# run-tests.sh: build Tutorial Tags and run its whole test suite.
#
# On a fresh Debian 12 machine, as root (or with sudo):
#
#   build-aux/run-tests.sh [MESON TEST ARGS...]
#
# Installs the packages, builds _build, starts a private MariaDB server in a
# temporary folder (removed afterwards, whatever happens), and runs
# `meson test` on a virtual X display inside a private D-Bus session with an
# unlocked throwaway keyring. The last line printed is the summary,
# "N passed, N failed[, N skipped]"; the exit status is non-zero when
# anything failed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

# print_summary and cleanup run from the EXIT trap:
# shellcheck disable=SC2317

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
builddir=_build
testlog="$builddir/meson-logs/testlog.json"
mariadb_ctl="$root/build-aux/mariadb-private.sh"

# Prints the summary line from meson's testlog.json (one JSON object a line).
summarize ()
{
  local log=$1
  if [ ! -s "$log" ]; then
    echo "0 passed, 0 failed"
    return 0
  fi
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$log" <<'EOF'
import json, sys
passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        result = json.loads(line).get("result", "")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:  # FAIL, UNEXPECTEDPASS, TIMEOUT, INTERRUPT, ERROR, ...
            failed += 1
summary = f"{passed} passed, {failed} failed"
if skipped:
    summary += f", {skipped} skipped"
print(summary)
EOF
  else
    local passed failed skipped total
    total=$(grep -c '"result"' "$log" || true)
    passed=$(grep -cE '"result": *"(OK|EXPECTEDFAIL)"' "$log" || true)
    skipped=$(grep -cE '"result": *"SKIP"' "$log" || true)
    failed=$((total - passed - skipped))
    if [ "$skipped" -gt 0 ]; then
      echo "$passed passed, $failed failed, $skipped skipped"
    else
      echo "$passed passed, $failed failed"
    fi
  fi
}

build ()
{
  if [ -f "$builddir/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "$builddir"
  else
    meson setup "$builddir"
  fi
  meson compile -C "$builddir"
}

tmpdir=""
summary_printed=0

# Prints the summary line last, whatever stopped us; a run that stopped
# before meson wrote its log counts as one failure.
print_summary ()
{
  local status=$1 summary
  summary=$(summarize "$testlog")
  if [ "$status" -ne 0 ] && [ ! -s "$testlog" ]; then
    summary="0 passed, 1 failed"
  fi
  echo "$summary"
  summary_printed=1
}

cleanup ()
{
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$tmpdir" ]; then
    "$mariadb_ctl" stop "$tmpdir/mariadb" || true
    rm -rf "$tmpdir"
  fi
  if [ "$summary_printed" -eq 0 ]; then
    print_summary "$status"
  fi
  exit "$status"
}

if [ "${1:-}" = --summarize ]; then
  # For checking the summary logic: run-tests.sh --summarize testlog.json
  summarize "$2"
  exit 0
fi

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -f "$testlog"

build-aux/install-deps.sh test

if ! build; then
  echo "run-tests: the build failed; no tests ran" >&2
  exit 1
fi

tmpdir=$(mktemp -d -t tt-tests.XXXXXX)

# Always start the server: with CI=true the MySQL tests fail rather than
# skip when it is missing.
"$mariadb_ctl" start "$tmpdir/mariadb"
# shellcheck source=/dev/null
. "$tmpdir/mariadb/env"
if [ -n "${CI+set}" ]; then
  export CI
fi

# A runtime folder of our own: root on a bare machine has none, and
# dconf/GTK complain without one.
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR}" ]; then
  export XDG_RUNTIME_DIR="$tmpdir/runtime"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
fi

# The keyring the password tests talk to, unlocked with a throwaway
# password, kept in the temporary folder.
export TT_TEST_KEYRING_DIR="$tmpdir/keyring"
mkdir -m 700 "$TT_TEST_KEYRING_DIR"

# Inside the D-Bus session: unlock the keyring, then run the tests.
# shellcheck disable=SC2016
session_script='
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  printf %s tt-keyring |
    XDG_DATA_HOME="$TT_TEST_KEYRING_DIR" \
    gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null ||
    echo "run-tests: could not start gnome-keyring-daemon" >&2
fi
exec meson test "$@"
'

status=0
# xvfb-run outside dbus-run-session: services the bus starts on demand
# (keyring prompts, the accessibility bus) then see $DISPLAY too.
xvfb-run -a -s "-screen 0 1400x900x24" \
  dbus-run-session -- \
  bash -c "$session_script" run-tests \
    -C "$builddir" --print-errorlogs --num-processes 2 "$@" || status=$?

case "$(summarize "$testlog")" in
  *", 0 failed"*) ;;
  *) [ "$status" -ne 0 ] || status=1 ;;
esac
# The EXIT trap stops the server, removes the folder and prints the summary.
exit "$status"
