# app-env.sh: what the application needs to run from a build folder,
# uninstalled. Sourced by run-app.sh and by tests/test-translations.sh:
#
#   . build-aux/app-env.sh BUILDDIR
#
# SPDX-License-Identifier: GPL-3.0-or-later

app_env_builddir=$(cd "$1" && pwd)
app_env_srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The settings schema is not installed: use the one compiled in the build
# folder.
if [ -f "$app_env_builddir/data/gschemas.compiled" ]; then
  export GSETTINGS_SCHEMA_DIR="$app_env_builddir/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
fi

# The app's icon, from the source tree, until it is installed.
export XDG_DATA_DIRS="$app_env_srcdir/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"

# The translations, compiled in the build folder (po/LANG/LC_MESSAGES/):
# the app and the CLI look there instead of under the install prefix.
export TT_LOCALEDIR="$app_env_builddir/po"

unset app_env_builddir app_env_srcdir
