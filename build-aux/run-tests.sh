#!/usr/bin/env bash
# run-tests.sh: build Tutorial Tags and run its whole test suite.
#
# On a fresh Debian 12 machine, as root (or with sudo):
#
#   build-aux/run-tests.sh [--leg plain|sanitize|debian13] [MESON TEST ARGS...]
#
# Installs the packages, starts two private MariaDB servers (one without
# TLS, one that accepts only TLS) and a private 3-node Galera cluster
# (build-aux/mariadb-galera.sh; for the plain and sanitize legs: the
# debian13 leg runs without the galera suite) in a temporary folder
# (removed afterwards, whatever happens), and runs the suite in
# three legs, one after the other, each `meson test` on a virtual X display
# inside a private D-Bus session with an unlocked throwaway keyring:
#
#   plain     _build, as the application is built
#   sanitize  _build-sanitize, with AddressSanitizer and UBSan: a memory
#             error or undefined behaviour fails the test; so does a leak of
#             ours, checked in every test but the widget tests (leaks
#             inside libraries: build-aux/lsan.supp, each with why)
#   debian13  _build-debian13, built and run inside a Debian 13 root
#             (build-aux/debian13-root.sh: GTK 4.18, libadwaita 1.7,
#             Connector/C 3.4) by this script with its own MariaDB 11.8
#
# --leg runs only one of them. Each leg prints "LEG: N passed, N failed";
# the last line printed is the total, "N passed, N failed[, N skipped]";
# the exit status is non-zero when anything failed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

# print_summary and cleanup run from the EXIT trap:
# shellcheck disable=SC2317

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
mariadb_ctl="$root/build-aux/mariadb-private.sh"
galera_ctl="$root/build-aux/mariadb-galera.sh"
all_legs=(plain sanitize debian13)

leg_builddir ()
{
  case "$1" in
    plain) echo _build ;;
    sanitize) echo _build-sanitize ;;
    debian13) echo _build-debian13 ;;
  esac
}

# The debian13 leg runs here only inside its root; outside, this script
# hands it to build-aux/debian13-root.sh, which runs this script there.
leg_runs_here ()
{
  [ "$1" != debian13 ] || [ -n "${TT_IN_DEBIAN13_ROOT:-}" ]
}

# The meson test runs of a leg, by their --logbase: the sanitizer leg
# checks leaks in one run and not in the other (see run_leg).
leg_runs ()
{
  case "$1" in
    sanitize) echo "testlog-leaks testlog-ui" ;;
    *) echo "testlog" ;;
  esac
}

# The leg's testlog.json files, one a line.
leg_testlogs ()
{
  local run
  for run in $(leg_runs "$1"); do
    echo "$(leg_builddir "$1")/meson-logs/$run.json"
  done
}

# The sanitizer leg builds the whole tree (tests, CLI, application) with
# ASan and UBSan; b_lundef=false because the sanitizer runtimes resolve
# some symbols only at run time.
leg_setup_args ()
{
  case "$1" in
    sanitize) echo "-Db_sanitize=address,undefined -Db_lundef=false" ;;
    *) echo "" ;;
  esac
}

# Under the sanitizers every allocation records its whole stack (see
# export_sanitizer_options): the tests take several times as long.
leg_timeout_multiplier ()
{
  case "$1" in
    sanitize) echo 6 ;;
    *) echo 1 ;;
  esac
}

# Reads meson's testlog.json files (one JSON object a line; a missing log
# counts nothing). "summary": prints "N passed, N failed[, N skipped]".
# "failures": prints, for every test that did not pass, its name and the
# last lines of its output: CI shows only the end of what a run printed,
# and a failure named nowhere there cannot be reproduced.
read_testlogs ()
{
  python3 - "$@" <<'EOF'
import json, os, sys
mode, paths = sys.argv[1], sys.argv[2:]
passed = failed = skipped = 0
for path in paths:
    if not os.path.exists(path):
        continue
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            test = json.loads(line)
            result = test.get("result", "")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:  # FAIL, UNEXPECTEDPASS, TIMEOUT, INTERRUPT, ERROR, ...
                failed += 1
                if mode == "failures":
                    print(f"--- {result}: {test.get('name')} "
                          f"({test.get('duration', 0):.1f} s, {path})")
                    for out in (test.get("stdout") or "").splitlines()[-40:]:
                        print(f"    {out}")
if mode == "summary":
    summary = f"{passed} passed, {failed} failed"
    if skipped:
        summary += f", {skipped} skipped"
    print(summary)
EOF
}

summarize ()
{
  read_testlogs summary "$@"
}

build ()
{
  local dir setup_args=()
  dir=$(leg_builddir "$1")
  read -r -a setup_args <<< "$(leg_setup_args "$1")"
  if [ -f "$dir/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "$dir" ${setup_args[@]+"${setup_args[@]}"}
  else
    meson setup "$dir" ${setup_args[@]+"${setup_args[@]}"}
  fi
  meson compile -C "$dir"
}

# The sanitizer leg's run-time settings, for run @1 of leg_runs. A report
# ends the process with a signal meson sees (abort_on_error).
#
# testlog-leaks: leaks are checked at every exit, minus the library leaks
# listed in build-aux/lsan.supp. Those are matched by function name in
# the allocation's stack, which needs the slow unwinder (the libraries
# have no frame pointers for the fast one); 12 frames reach every function
# listed there. GL is off (GDK_DEBUG): the GL driver keeps its set-up for
# the process's life.
# testlog-ui: the widget tests, without the leak check: there the slow
# unwinder deadlocks (libgcc's unwinder lock, taken while GTK's threads
# load modules), and GTK's and the GL driver's caches live as long as
# the process anyway.
export_sanitizer_options ()
{
  export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1"
  # A fifth of the fuzz test's cases: each one runs the CLI up to three
  # times, and every run costs here what ten do in the plain leg.
  export TT_FUZZ_CASES=100
  if [ "$1" = testlog-leaks ]; then
    export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:print_summary=1"
    export LSAN_OPTIONS="fast_unwind_on_malloc=0:malloc_context_size=12:suppressions=$root/build-aux/lsan.supp:print_suppressions=0"
    export GDK_DEBUG=gl-disable
  else
    export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=0:print_summary=1"
  fi
}

# Which tests each run of leg_runs takes.
run_selection ()
{
  case "$1" in
    testlog-leaks) echo "--no-suite ui" ;;
    testlog-ui) echo "--suite ui" ;;
    *) echo "" ;;
  esac
}

# The Galera cluster runs beside the legs that run here; the Debian 13
# root has none (its MariaDB 11.8 would need its own galera-4 and a
# second cluster), so that leg leaves the galera suite out.
leg_selection ()
{
  case "$1" in
    debian13) echo "--no-suite galera" ;;
    *) echo "" ;;
  esac
}

leg_has_galera ()
{
  leg_runs_here "$1" && [ "$1" != debian13 ]
}


tmpdir=""
legs=()
summary_printed=0

# Prints each leg's line, then the total last, whatever stopped us; a run
# that stopped before any test wrote its log counts as one failure.
print_summary ()
{
  local status=$1 leg logs=() leg_logs=() summary
  for leg in ${legs[@]+"${legs[@]}"}; do
    mapfile -t leg_logs < <(leg_testlogs "$leg")
    logs+=("${leg_logs[@]}")
  done
  read_testlogs failures ${logs[@]+"${logs[@]}"}
  for leg in ${legs[@]+"${legs[@]}"}; do
    mapfile -t leg_logs < <(leg_testlogs "$leg")
    echo "$leg: $(summarize "${leg_logs[@]}")"
  done
  summary=$(summarize ${logs[@]+"${logs[@]}"})
  if [ "$status" -ne 0 ] && [ "$summary" = "0 passed, 0 failed" ]; then
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
    "$mariadb_ctl" stop "$tmpdir/mariadb-tls" || true
    "$galera_ctl" stop "$tmpdir/galera" || true
    rm -rf "$tmpdir"
  fi
  if [ "$summary_printed" -eq 0 ]; then
    print_summary "$status"
  fi
  exit "$status"
}

if [ "${1:-}" = --summarize ]; then
  # For checking the summary logic: run-tests.sh --summarize testlog.json...
  shift
  summarize "$@"
  exit 0
fi

if [ "${1:-}" = --leg ]; then
  case "${2:-}" in
    plain|sanitize|debian13) legs=("$2") ;;
    *) echo "run-tests: --leg takes one of: ${all_legs[*]}" >&2; exit 2 ;;
  esac
  shift 2
else
  legs=("${all_legs[@]}")
fi

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for leg in "${legs[@]}"; do
  leg_testlogs "$leg" | xargs rm -f
done

build-aux/install-deps.sh test

tmpdir=$(mktemp -d -t tt-tests.XXXXXX)
# The cluster's nodes run as the mysql user (see mariadb-galera.sh), who
# must pass through this folder to theirs: search permission only.
chmod o+x "$tmpdir"

# Always start the server when a leg runs here: with CI=true the MySQL
# tests fail rather than skip when it is missing.
for leg in "${legs[@]}"; do
  if leg_runs_here "$leg"; then
    "$mariadb_ctl" start "$tmpdir/mariadb"
    # shellcheck source=/dev/null
    . "$tmpdir/mariadb/env"
    # Next to it, one that accepts only encrypted connections
    # (tests/test-store-tls.c).
    "$mariadb_ctl" start "$tmpdir/mariadb-tls" --tls
    # shellcheck source=/dev/null
    . "$tmpdir/mariadb-tls/env"
    break
  fi
done
# The same for the cluster: with CI=true the galera tests fail without it.
for leg in "${legs[@]}"; do
  if leg_has_galera "$leg"; then
    "$galera_ctl" start "$tmpdir/galera"
    # shellcheck source=/dev/null
    . "$tmpdir/galera/env"
    break
  fi
done
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

# One leg: build, then the suite, in one or more runs of meson test. The
# sanitizer options are set in a subshell of each run's own, so that the
# server and Xvfb run without them.
run_leg ()
{
  local leg=$1 dir run status=0 selection=() leg_selection_args=()
  shift
  dir=$(leg_builddir "$leg")
  echo "run-tests: leg $leg ($dir)"
  if ! leg_runs_here "$leg"; then
    build-aux/debian13-root.sh run-tests "$@"
    return
  fi
  if ! build "$leg"; then
    echo "run-tests: the $leg build failed; its tests did not run" >&2
    return 1
  fi
  read -r -a leg_selection_args <<< "$(leg_selection "$leg")"
  for run in $(leg_runs "$leg"); do
    read -r -a selection <<< "$(run_selection "$run")"
    (
      if [ "$leg" = sanitize ]; then
        export_sanitizer_options "$run"
      fi
      # xvfb-run outside dbus-run-session: services the bus starts on
      # demand (keyring prompts, the accessibility bus) then see $DISPLAY.
      xvfb-run -a -s "-screen 0 1400x900x24" \
        dbus-run-session -- \
        bash -c "$session_script" run-tests \
          -C "$dir" --print-errorlogs --num-processes 2 --logbase "$run" \
          --timeout-multiplier "$(leg_timeout_multiplier "$leg")" \
          ${selection[@]+"${selection[@]}"} \
          ${leg_selection_args[@]+"${leg_selection_args[@]}"} "$@"
    ) || status=1
  done
  return "$status"
}

status=0
for leg in "${legs[@]}"; do
  started=$SECONDS
  run_leg "$leg" "$@" || status=1
  echo "run-tests: leg $leg took $((SECONDS - started)) s"
  mapfile -t leg_logs < <(leg_testlogs "$leg")
  case "$(summarize "${leg_logs[@]}")" in
    *", 0 failed"*) ;;
    *) status=1 ;;
  esac
done
# The EXIT trap stops the server, removes the folder and prints the summary.
exit "$status"
