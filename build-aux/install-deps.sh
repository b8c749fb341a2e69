#!/usr/bin/env bash
# install-deps.sh: install the Debian packages Tutorial Tags needs, on
# Debian 12 (bookworm) and Debian 13 (trixie, the test suite's debian13 leg
# runs this script inside its root). Every name below is the same on both
# (checked with apt-cache policy in the trixie root).
#
#   build-aux/install-deps.sh app    build and run the application
#   build-aux/install-deps.sh test   the above, plus what the test suite needs
#
# Idempotent: when every package is already installed it does nothing (no
# apt-get update, no network).
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

# Build and run. --no-install-recommends leaves out things GTK only
# recommends, so the icon theme, SVG loader, GL drivers and fonts are listed.
app_packages=(
  meson
  ninja-build
  pkg-config
  gcc
  libc6-dev
  libglib2.0-dev
  libglib2.0-bin            # glib-compile-resources/-schemas, gsettings
  libgtk-4-dev
  libgtk-4-bin              # gtk4-builder-tool (validates .ui files)
  libadwaita-1-dev
  libgda-5.0-dev            # includes the SQLite provider
  libgda-5.0-mysql          # the MySQL/MariaDB provider, loaded at run time
  libmariadb-dev            # its client library: the store sets TLS options
  libjson-glib-dev
  libsecret-1-dev
  libsqlite3-dev            # test-store-damage uses SQLite itself (nothing here
                            # depends on it: a fresh Debian 13 root lacked it)
  gettext
  desktop-file-utils
  appstream
  libxml2-utils             # xmllint
  gsettings-desktop-schemas
  dconf-gsettings-backend   # settings persist between runs
  adwaita-icon-theme
  hicolor-icon-theme
  librsvg2-common           # symbolic icons are SVG
  shared-mime-info
  libgl1-mesa-dri           # GL renderer (also under Xvfb)
  fonts-cantarell
  fonts-dejavu-core
)

# Tests: a private MariaDB server and Galera cluster, a virtual display with a D-Bus session,
# a Secret Service for the password tests, screenshots.
test_packages=(
  mariadb-server
  mariadb-client
  galera-4                  # the test cluster (build-aux/mariadb-galera.sh)
  rsync                     # its nodes' state transfer
  xvfb
  xauth
  dbus
  dbus-x11
  at-spi2-core              # accessibility bus GTK connects to
  libatspi2.0-dev           # tests/test-a11y.c reads the window through AT-SPI
  gnome-keyring
  libsecret-tools           # secret-tool, for looking at stored passwords
  imagemagick
  python3
  sqlite3
  iproute2                  # ss, to find a free port (and for wsrep_sst_rsync); ip netns for the TLS test
  openssl                   # the TLS test server's private CA
  procps
  groff-base                # man pages: groff -ww checks them
  man-db                    # man --warnings checks them
  bash-completion           # the completion test types into bash and zsh
  zsh
  debootstrap               # makes the debian13 leg's root
  bindfs                    # a FUSE mount for SQLite as in the document portal
  locales                   # en_US and de_DE (generated below): the counts'
                            # thousands separators and the German tests
)

# The locales the tests format numbers in; Debian installs none but C.
test_locales=(en_US de_DE)

# Generates the missing ones (root's work: localedef writes into
# /usr/lib/locale). Idempotent like the rest.
ensure_test_locales ()
{
  local have name
  have=" $(locale -a 2>/dev/null | tr '\n' ' ') "
  for name in "${test_locales[@]}"; do
    case "$have" in
      *" $name.utf8 "*) ;;
      *) echo "install-deps: generating the locale $name.UTF-8" >&2
         "${sudo[@]}" localedef -i "$name" -f UTF-8 "$name.UTF-8" ;;
    esac
  done
}

usage ()
{
  echo "usage: $0 {app|test}" >&2
  exit 2
}

[ $# -eq 1 ] || usage
case "$1" in
  app)  packages=("${app_packages[@]}") ;;
  test) packages=("${app_packages[@]}" "${test_packages[@]}") ;;
  *)    usage ;;
esac

# The Node.js/Sequelize interop test needs node and npm. Debian 12's
# nodejs (18) and npm do; a machine that already has node from elsewhere
# (NodeSource ships npm inside its nodejs) keeps it: Debian's npm package
# would fight with that nodejs.
if [ "$1" = test ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

# One dpkg-query for all: it prints the installed ones and complains (on
# stderr) about the ones it has never heard of.
installed=" $( (dpkg-query -W -f='${db:Status-Status} ${Package}\n' "${packages[@]}" 2>/dev/null || true) \
              | sed -n 's/^installed //p' | tr '\n' ' ') "
missing=()
for pkg in "${packages[@]}"; do
  case "$installed" in
    *" $pkg "*) ;;
    *) missing+=("$pkg") ;;
  esac
done

sudo=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
fi

if [ ${#missing[@]} -eq 0 ]; then
  [ "$1" != test ] || ensure_test_locales
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2

if [ "$(id -u)" -ne 0 ] && [ ${#sudo[@]} -eq 0 ]; then
  echo "install-deps: not root and no sudo; install these packages:" >&2
  echo "  ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
[ "$1" != test ] || ensure_test_locales
