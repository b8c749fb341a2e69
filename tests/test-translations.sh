#!/usr/bin/env bash
# test-translations.sh: German from the build folder, as run-app.sh runs
# the app (TAP).
#
#   test-translations.sh SOURCE_ROOT BUILD_ROOT APP CLI
#
# build-aux/run-app.sh runs the app uninstalled, with the environment of
# build-aux/app-env.sh; LOCALEDIR names the install prefix, where nothing
# is installed then. Here the same environment, a German user's locale,
# and the app's and the CLI's --help (the app's options are ours, in our
# translation domain; --help needs no display).
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -uo pipefail

srcroot=$1 buildroot=$2 app=$3 cli=$4
german="Die Version ausgeben und beenden"
n=0 failed=0

ok ()
{
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}

# shellcheck source=build-aux/app-env.sh
. "$srcroot/build-aux/app-env.sh" "$buildroot"
# The test environment sets LC_ALL=C.UTF-8, which would win over LANG.
unset LC_ALL LC_MESSAGES LANGUAGE

# A German user: LANG=de_DE.UTF-8 where that locale is generated (Debian
# has it after locale-gen); elsewhere gettext still takes LANGUAGE=de with
# C.UTF-8 (not with plain C).
if locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
  german_env=(LANG=de_DE.UTF-8)
else
  german_env=(LANG=C.UTF-8 LANGUAGE=de)
fi
echo "# as a German user: ${german_env[*]}"

# Each --help read whole before it is searched: grep -q stops at the
# first match, and with pipefail the program's SIGPIPE failed the check.
contains ()
{
  local text=$1 output
  shift
  output=$(env "$@" --help) && grep -qF "$text" <<< "$output"
}

echo "1..4"
contains "$german" "${german_env[@]}" "$app"
ok $? "the app's --help in German"
contains "$german" "${german_env[@]}" "$cli"
ok $? "the CLI's --help in German"
# The same without German: English, so the lines above prove something.
contains "Show the version and exit" LANG=C.UTF-8 "$app"
ok $? "the app's --help in English otherwise"
# Without the build folder's translations the install prefix is asked.
env -u TT_LOCALEDIR "${german_env[@]}" "$cli" --help >/dev/null
ok $? "the CLI runs without TT_LOCALEDIR"

exit "$failed"
