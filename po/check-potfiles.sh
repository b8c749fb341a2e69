#!/usr/bin/env bash
# check-potfiles.sh: check that po/POTFILES.in lists every file with
# translatable strings, and only files that exist.
#
#   po/check-potfiles.sh [SOURCE_ROOT]
#
# Files with translatable strings: C sources and headers under src/ that
# call a gettext macro or function (_(), N_(), C_(), NC_(), Q_(), ngettext,
# pgettext, ...), GtkBuilder files under src/ with a translatable="yes"
# property or attribute, and the desktop and AppStream templates under data/.
# Exit status 0 when POTFILES.in is right, 1 otherwise (the problems are
# printed).
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

root=${1:-$(dirname "${BASH_SOURCE[0]}")/..}
cd "$root"
potfiles=po/POTFILES.in

if [ ! -f "$potfiles" ]; then
  echo "check-potfiles: $potfiles not found under $root" >&2
  exit 1
fi

# The listed files: no comments, no blank lines, no surrounding blanks.
listed=$(sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' \
           -e '/^$/d' "$potfiles" | LC_ALL=C sort)

c_marker='(^|[^[:alnum:]_])(_|N_|C_|NC_|Q_)[[:space:]]*\(|(^|[^[:alnum:]_])(g_)?(d|dc)?n?p?gettext2?[[:space:]]*\('
ui_marker='translatable[[:space:]]*=[[:space:]]*"(yes|true|1)"'

# The files that have translatable strings.
translatable=$(
  {
    find src -type f \( -name '*.c' -o -name '*.h' \) -print0 |
      xargs -0 -r grep -lE "$c_marker" || true
    find src -type f -name '*.ui' -print0 |
      xargs -0 -r grep -liE "$ui_marker" || true
    find data -type f \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' \
                         -o -name '*.appdata.xml.in' \) -print || true
  } | sed 's|^\./||' | LC_ALL=C sort -u
)

status=0

missing=$(LC_ALL=C comm -23 <(printf '%s\n' "$translatable") <(printf '%s\n' "$listed") | sed '/^$/d')
if [ -n "$missing" ]; then
  echo "These files have translatable strings but $potfiles does not list them:"
  printf '%s\n' "$missing" | sed 's/^/  /'
  status=1
fi

while IFS= read -r file; do
  if [ -n "$file" ] && [ ! -f "$file" ]; then
    echo "$potfiles lists $file, which does not exist"
    status=1
  fi
done <<<"$listed"

if [ "$status" -eq 0 ]; then
  echo "$potfiles lists all $(printf '%s\n' "$listed" | sed '/^$/d' | wc -l) files with translatable strings"
fi
exit "$status"
