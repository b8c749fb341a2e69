#!/usr/bin/env bash
# build-libgda-like-manifest.sh: build libgda 5.2.10 outside Flatpak the way
# com.example.TutorialTags.json builds it, to prove the manifest's options
# on a machine that cannot reach Flathub.
#
# Everything that matters is read FROM the manifest (python3, stdlib), so it
# cannot drift: the mariadb-connector-c module's cmake config-opts and
# post-install, the libgda module's config-opts, build-options.cflags,
# patches and the pinned sha256 of its tarball.
#
#   build-libgda-like-manifest.sh [options]
#
#   --tarball FILE     libgda 5.2.10 source tarball (e.g. Debian's
#                      libgda5_5.2.10.orig.tar.xz from `apt-get source
#                      libgda5`). Default: look in $WORK, else fetch it with
#                      `apt-get source --download-only libgda5` (needs a
#                      deb-src line).
#   --client MODE      where mysql_config comes from:
#                        connector-c (default) build MariaDB Connector/C from
#                                    --connector-c-src with the manifest's
#                                    cmake options into the prefix, then run
#                                    the manifest's post-install there
#                                    (FLATPAK_DEST=prefix): the same
#                                    mariadb_config + mysql_config symlink
#                                    the Flatpak gets;
#                        system      use mysql_config from PATH, without the
#                                    prefix's bin/ (Debian: libmariadb-dev +
#                                    libmariadb-dev-compat).
#   --connector-c-src DIR  a MariaDB Connector/C source tree (top-level
#                      CMakeLists.txt). Default: libmariadb/ of Debian's
#                      mariadb source package, extracted into $WORK from a
#                      mariadb_*.orig.tar.gz found there or fetched with
#                      `apt-get source --download-only mariadb`.
#   --prefix DIR       install prefix (default /tmp/gda-prefix)
#   --work DIR         scratch folder, logs in DIR/logs (default
#                      /tmp/gda-src/like-manifest)
#   --no-gcc14         do not emulate GCC 14 (see below)
#   --strict-sha256    fail when the tarball's sha256 is not the pinned one
#                      (Debian's .orig is NOT byte-identical to upstream's)
#   -j N               parallel jobs (default 2)
#
# GCC 14 (the GNOME 47/48 SDKs, freedesktop-sdk 24.08) turns
# implicit-function-declaration, implicit-int, int-conversion and
# incompatible-pointer-types into errors. On an older GCC this script puts
# -Werror= for exactly those in CFLAGS *before* the manifest's cflags, so
# the manifest's -Wno-error=... must be enough for the build to pass, just
# as it must be in the SDK. Warnings of those kinds are counted at the end.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
manifest="$top/com.example.TutorialTags.json"

tarball=""
client=connector-c
cc_src=""
prefix=/tmp/gda-prefix
work=/tmp/gda-src/like-manifest
gcc14=1
strict_sha=0
jobs=2

die () { echo "build-libgda-like-manifest: $*" >&2; exit 1; }
say () { printf '\n=== %s\n' "$*"; }
# first PATH...: the first argument that exists (globs expanded by the caller)
first () { local f; for f in "$@"; do [ -e "$f" ] && { echo "$f"; return 0; }; done; return 0; }

while [ $# -gt 0 ]; do
  case "$1" in
    --tarball) tarball=$2; shift 2 ;;
    --client) client=$2; shift 2 ;;
    --connector-c-src) cc_src=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-gcc14) gcc14=0; shift ;;
    --strict-sha256) strict_sha=1; shift ;;
    -j) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,/^# SPDX/p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
case "$client" in connector-c|system) ;; *) die "--client connector-c|system" ;; esac

mkdir -p "$work/logs" "$prefix"
work=$(cd "$work" && pwd)
prefix=$(cd "$prefix" && pwd)
logs=$work/logs

# ---- read the manifest ------------------------------------------------------
# mf KEY prints one value per line (NUL-free, no quoting games).
mf ()
{
  python3 - "$manifest" "$1" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
mods = {mod["name"]: mod for mod in m["modules"]}
gda, cc = mods["libgda"], mods["mariadb-connector-c"]
def archive(mod):
    return [s for s in mod["sources"] if s.get("type") == "archive"][0]
key = sys.argv[2]
out = {
  "gda-config-opts": gda.get("config-opts", []),
  "gda-cflags": [gda.get("build-options", {}).get("cflags", "")],
  "gda-url": [archive(gda)["url"]],
  "gda-sha256": [archive(gda)["sha256"]],
  "gda-patches": [s["path"] for s in gda["sources"] if s.get("type") == "patch"],
  "cc-config-opts": cc.get("config-opts", []),
  "cc-post-install": cc.get("post-install", []),
  "cc-url": [archive(cc)["url"]],
}[key]
print("\n".join(out))
EOF
}

mapfile -t gda_opts < <(mf gda-config-opts)
gda_cflags=$(mf gda-cflags)
gda_sha=$(mf gda-sha256)
gda_url=$(mf gda-url)
mapfile -t gda_patches < <(mf gda-patches)
mapfile -t cc_opts < <(mf cc-config-opts)
mapfile -t cc_post < <(mf cc-post-install)

say "manifest: $manifest"
echo "libgda url:      $gda_url"
echo "libgda sha256:   $gda_sha (pinned)"
echo "libgda cflags:   $gda_cflags"
echo "libgda options:  ${gda_opts[*]}"
echo "libgda patches:  ${gda_patches[*]:-none}"
echo "connector-c url: $(mf cc-url)"
echo "connector-c options: ${cc_opts[*]}"
echo "connector-c post-install: ${cc_post[*]:-none}"

# ---- the libgda tarball -----------------------------------------------------
if [ -z "$tarball" ]; then
  tarball=$(first "$work"/libgda5_5.2.10.orig.tar.xz "$work"/libgda-5.2.10.tar.xz)
  if [ -z "$tarball" ]; then
    say "fetching Debian's libgda5 source (apt-get source --download-only libgda5)"
    (cd "$work" && apt-get source --download-only libgda5 >"$logs/apt-source-libgda5.log" 2>&1) || true
    tarball=$(first "$work"/libgda5_5.2.10.orig.tar.xz)
    [ -n "$tarball" ] || die "no libgda5_5.2.10.orig.tar.xz (see $logs/apt-source-libgda5.log; is there a deb-src line?)"
  fi
fi
[ -f "$tarball" ] || die "no such tarball: $tarball"

say "sha256 of $tarball"
actual_sha=$(sha256sum "$tarball" | cut -d' ' -f1)
echo "actual:  $actual_sha"
echo "pinned:  $gda_sha"
if [ "$actual_sha" = "$gda_sha" ]; then
  echo "sha256: MATCH (byte-identical to the tarball the manifest pins)"
else
  echo "sha256: DIFFERENT (this is not the byte-identical upstream tarball)"
  [ "$strict_sha" = 0 ] || die "sha256 mismatch and --strict-sha256 given"
fi

# ---- the MySQL client library -----------------------------------------------
# As in the Flatpak, where /app/bin comes first: the prefix's mysql_config
# wins (--client connector-c); with --client system it is left out.
[ "$client" = system ] || export PATH="$prefix/bin:$PATH"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

if [ "$client" = connector-c ]; then
  if [ -z "$cc_src" ]; then
    cc_src=$(first "$work"/mariadb-*/libmariadb)
    if [ -z "$cc_src" ]; then
      orig=$(first "$work"/mariadb_*.orig.tar.gz)
      if [ -z "$orig" ]; then
        say "fetching Debian's mariadb source for its Connector/C (apt-get source --download-only mariadb)"
        (cd "$work" && apt-get source --download-only mariadb >"$logs/apt-source-mariadb.log" 2>&1) || true
        orig=$(first "$work"/mariadb_*.orig.tar.gz)
        [ -n "$orig" ] || die "no mariadb orig tarball (see $logs/apt-source-mariadb.log)"
      fi
      (cd "$work" && tar xzf "$orig" --wildcards '*/libmariadb/*')
      cc_src=$(first "$work"/mariadb-*/libmariadb)
    fi
  fi
  [ -f "$cc_src/CMakeLists.txt" ] || die "not a Connector/C source tree: $cc_src"
  cc_version=$(sed -n 's/^SET(CPACK_PACKAGE_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\))/\2/p' "$cc_src/CMakeLists.txt" | paste -sd.)
  say "MariaDB Connector/C $cc_version from $cc_src (manifest pins $(mf cc-url | sed 's#.*/##'))"
  rm -rf "$work/connector-c-build"
  cmake -S "$cc_src" -B "$work/connector-c-build" -G Ninja \
    -DCMAKE_INSTALL_PREFIX="$prefix" "${cc_opts[@]}" >"$logs/connector-c-cmake.log" 2>&1 \
    || { tail -30 "$logs/connector-c-cmake.log"; die "Connector/C cmake failed"; }
  grep -E '^-- (SSL support|Plugin|[A-Z_0-9]+: )|Manually-specified' -A0 "$logs/connector-c-cmake.log" || true
  cmake --build "$work/connector-c-build" -j "$jobs" >"$logs/connector-c-build.log" 2>&1 \
    || { tail -30 "$logs/connector-c-build.log"; die "Connector/C build failed"; }
  cmake --install "$work/connector-c-build" >"$logs/connector-c-install.log" 2>&1 \
    || { tail -30 "$logs/connector-c-install.log"; die "Connector/C install failed"; }
  for cmd in "${cc_post[@]}"; do
    echo "post-install: $cmd"
    FLATPAK_DEST="$prefix" sh -c "$cmd"
  done
  [ -x "$prefix/bin/mysql_config" ] || die "no $prefix/bin/mysql_config after the post-install"
fi

mysql_config=$(command -v mysql_config || true)
[ -n "$mysql_config" ] || die "no mysql_config in PATH"
say "mysql_config: $mysql_config -> $(readlink -f "$mysql_config")"
echo "version: $("$mysql_config" --version)"
echo "cflags:  $("$mysql_config" --cflags)"
echo "libs:    $("$mysql_config" --libs)"

# ---- unpack, patch --------------------------------------------------------
src=$work/libgda-5.2.10
rm -rf "$src"
say "unpacking into $src"
tar -C "$work" -xJf "$tarball"
[ -d "$src" ] || die "tarball did not unpack to libgda-5.2.10/"
for p in "${gda_patches[@]}"; do
  [ -n "$p" ] || continue
  echo "patch -p1 < $p"
  (cd "$src" && patch -p1 <"$top/$p") >>"$logs/patch.log" 2>&1 || { cat "$logs/patch.log"; die "patch $p failed"; }
done

# ---- configure ----------------------------------------------------------------
sim=""
if [ "$gcc14" = 1 ]; then
  gccmajor=$(${CC:-gcc} -dumpversion | cut -d. -f1)
  if [ "$gccmajor" -lt 14 ]; then
    sim="-Werror=implicit-function-declaration -Werror=implicit-int -Werror=int-conversion -Werror=incompatible-pointer-types"
    echo "GCC $gccmajor: emulating GCC 14's default errors with: $sim"
  else
    echo "GCC $gccmajor: the real thing, no emulation needed"
  fi
fi
export CFLAGS="-O2 -g -pipe${sim:+ $sim} $gda_cflags"
say "configure (CFLAGS=$CFLAGS)"
(cd "$src" && ./configure --prefix="$prefix" "${gda_opts[@]}") >"$logs/configure.log" 2>&1 \
  || { tail -40 "$logs/configure.log"; die "configure failed (log: $logs/configure.log)"; }
summary=$(sed -n '/Configuration summary/,$p' "$logs/configure.log")
echo "$summary"

want ()
{
  local label=$1 value=$2
  if ! grep -qE "^ +$label ?(=|:) ?$value" <<<"$summary"; then
    die "configure summary: expected '$label' = '$value'"
  fi
}
want 'Building GTK\+ UI extension' no
want 'Building libgda GObject Introspection' no
want 'Building Gtk-Doc' no
want 'Building Help \(GdaBrowser\)' no
want 'Building GDA Vala Bindings \(--enable-vala\)' no
want "Building Building Libgda's associated tools" no
want 'MySQL' yes
want 'SQLite' yes
for p in 'Berkeley DB' 'Berkeley DB SQL' 'FireBird \(client\)' 'FireBird \(embed\)' \
         'MDB \(MS Access\)' 'Oracle' 'PostgreSQL' 'SQLCipher' 'JDBC' 'WEB' 'LDAP'; do
  want "$p" no
done
want 'With LIBSECRET' no
want 'With GNOME KEYRING' no
echo "configure summary: only the SQLite and MySQL providers, no UI/GI/docs/help/Vala/tools"

# ---- build, install ---------------------------------------------------------------
say "make -j$jobs (log: $logs/make.log)"
start=$(date +%s)
if ! (cd "$src" && make -j"$jobs") >"$logs/make.log" 2>&1; then
  grep -nE 'error:|Error [0-9]' "$logs/make.log" | head -40
  die "make failed (log: $logs/make.log)"
fi
echo "make took $(( $(date +%s) - start )) s"
say "make install"
(cd "$src" && make install) >"$logs/install.log" 2>&1 || { tail -30 "$logs/install.log"; die "make install failed"; }

# ---- what GCC 14 would have said ---------------------------------------------------
say "GCC-14-error warnings left as warnings by the manifest's cflags (make.log)"
for w in implicit-function-declaration implicit-int int-conversion incompatible-pointer-types; do
  n=$(grep -c "\[-W$w\]" "$logs/make.log" || true)
  printf '  %-32s %4s  %s\n' "-W$w" "$n" \
    "$(grep "\[-W$w\]" "$logs/make.log" | sed -E 's#^([^:]+):.*#\1#' | sed "s#^$src/##" | sort -u | head -8 | paste -sd' ')"
done
say "configure tests that hit one of them (config.log; an error would have failed the test)"
for w in implicit-function-declaration implicit-int int-conversion incompatible-pointer-types; do
  n=$(grep -cE "\[-W(error=)?$w\]" "$src/config.log" || true)
  printf '  %-32s %4s  %s\n' "-W$w" "$n" \
    "$(grep -E "\[-W(error=)?$w\]" "$src/config.log" | sed -E 's#^conftest\.c:[0-9:]+ (warning|error): ##' | sort -u | head -3 | paste -sd';')"
done

say "installed"
ls -l "$prefix/lib"/libgda-5.0.so* "$prefix/lib/libgda-5.0/providers/"
for so in "$prefix/lib/libgda-5.0/providers/"*.so; do
  echo "--- ldd $(basename "$so")"
  ldd "$so" | grep -E 'gda|mariadb|mysql|sqlite' || true
done
echo
echo "done: libgda in $prefix, logs in $logs"
