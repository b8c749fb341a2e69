#!/usr/bin/env bash
# screenshots.sh: take the screenshots in data/screenshots/ from the real app
#
#   build-aux/screenshots.sh [BUILDDIR]
#
# Fills a fresh catalogue through the command-line tool, then runs the app
# from BUILDDIR (default _build) on a virtual X display, once per shot, and
# keeps the window's part of the screen:
#
#   main-light.png    1400 px wide, light style
#   main-dark.png     1400 px wide, dark style
#   narrow-light.png  360 px wide, the panes folded
#   empty-light.png   an empty catalogue
#   preferences-light.png  the Preferences window, opened through app.preferences
#   main-light-de.png the German UI, only when TT_SCREENSHOT_LANGUAGE=de and
#                     BUILDDIR is installed (meson setup --prefix=DIR, meson
#                     install): the app finds translations in its prefix
#
# Needs xvfb-run, dbus-run-session, xwininfo and ImageMagick's import.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
builddir=${1:-_build}
case $builddir in
  /*) ;;
  *) builddir="$root/$builddir" ;;
esac
cli="$builddir/src/tutorial-tags-cli"
app="$builddir/src/tutorial-tags"
out="$root/data/screenshots"
# How long the app gets to open the catalogue and draw.
settle=${TT_SCREENSHOT_SETTLE:-4}

for tool in xvfb-run dbus-run-session xwininfo import; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "screenshots: $tool is needed" >&2
    exit 1
  fi
done
if [ ! -x "$app" ] || [ ! -x "$cli" ]; then
  echo "screenshots: build first (meson setup $builddir && meson compile -C $builddir)" >&2
  exit 1
fi

tmp=$(mktemp -d -t tt-screenshots.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Everything the app reads or writes stays in the temporary folder; the
# settings go to a key file there, so that the window size can be set.
export XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"
export GSETTINGS_BACKEND=keyfile
export GSETTINGS_SCHEMA_DIR="$builddir/data"
# The app icon, from the source tree.
export XDG_DATA_DIRS="$root/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
export NO_AT_BRIDGE=1

# What GNOME sets through its settings daemon, which is not running here:
# its font and its title buttons.
mkdir -p "$XDG_CONFIG_HOME/gtk-4.0"
printf '[Settings]\ngtk-font-name=Cantarell 11\ngtk-decoration-layout=appmenu:close\n' \
  >"$XDG_CONFIG_HOME/gtk-4.0/settings.ini"

db="sqlite:$XDG_DATA_HOME/tutorial-tags/catalogue.db"

# add TITLE DESCRIPTION TAG...: the next tutorial, with its tags.
id=0
add ()
{
  local title=$1 description=$2
  shift 2
  "$cli" --db "$db" tutorial add "$title" "$description" >/dev/null
  id=$((id + 1))
  "$cli" --db "$db" tutorial tags "$id" "$@" >/dev/null
}

fill_catalogue ()
{
  add "Getting Started with GTK 4" \
      $'Build a first window with GtkApplication and a GtkBuilder template.\nCovers signals, actions and the main loop.' \
      GTK C Beginner
  add "Adaptive Layouts with libadwaita" \
      "Use AdwLeaflet and AdwFlap so that one window works on phones and on desktops." \
      libadwaita GTK Design
  add "Writing a GObject in C" \
      "Properties, signals and G_DECLARE_FINAL_TYPE, explained step by step." \
      GObject C
  add "List Views and Models" \
      "GListModel, GtkListView and item factories for lists with thousands of rows." \
      GTK Performance
  add "Packaging Apps with Flatpak" \
      "Manifests, runtimes and sandbox permissions, then publishing on Flathub." \
      Flatpak Distribution
  add "Translating Your App with gettext" \
      "Mark strings, extract a template with Meson and merge the translations." \
      i18n Meson
  add "Building with Meson" \
      "Targets, dependencies, resources and tests for a C project." \
      Meson Beginner
  add "Async I/O with GTask" \
      "Run work off the main thread and deliver the result with an _async/_finish pair." \
      GLib C Performance
  add "Following the GNOME HIG" \
      "Header bars, primary menus and empty states that feel at home on GNOME." \
      Design libadwaita
  add "Accessibility in GTK 4" \
      "Roles, labels and relations, so that screen readers understand your widgets." \
      Accessibility GTK
  add "Testing Widgets under Xvfb" \
      "Run GLib tests on a virtual display inside a private D-Bus session." \
      Testing GLib
  add "Rust Bindings with gtk-rs" \
      "Write the same app in Rust with gtk4-rs and libadwaita-rs." \
      Rust GTK Beginner
  add "Storing Settings with GSettings" \
      "Schemas, property bindings and restoring the window size at the next start." \
      GLib Beginner
}

set_window_size ()
{
  gsettings set com.example.TutorialTags window-width "$1"
  gsettings set com.example.TutorialTags window-height "$2"
}

# shoot NAME [ENV=VALUE...]: runs the app, saves the window as NAME.png.
# With TT_SHOOT_ACTION=NAME it activates that app action over D-Bus first
# and keeps the window called TT_SHOOT_WINDOW instead.
shoot ()
{
  local name=$1
  shift
  # shellcheck disable=SC2016
  xvfb-run -a -s "-screen 0 1400x900x24" \
    dbus-run-session -- env "$@" bash -c '
      "$0" &
      pid=$!
      sleep "$1"
      if [ -n "${TT_SHOOT_ACTION:-}" ]; then
        gdbus call --session --dest com.example.TutorialTags \
          --object-path /com/example/TutorialTags \
          --method org.gtk.Actions.Activate "$TT_SHOOT_ACTION" "[]" "{}" >/dev/null
        sleep "$1"
      fi
      geometry=$(xwininfo -name "${TT_SHOOT_WINDOW:-Tutorial Tags}" |
                 awk "/Absolute upper-left X/ {x=\$NF} /Absolute upper-left Y/ {y=\$NF}
                      /Width:/ {w=\$NF} /Height:/ {h=\$NF}
                      END {printf \"%dx%d+%d+%d\", w, h, x, y}")
      import -window root -crop "$geometry" +repage "$2"
      kill "$pid"
      wait "$pid" || true
    ' "$app" "$settle" "$out/$name.png"
  echo "screenshots: wrote data/screenshots/$name.png"
}

mkdir -p "$out"

set_window_size 1400 900
if [ -n "${TT_SCREENSHOT_LANGUAGE:-}" ]; then
  fill_catalogue
  shoot "main-light-$TT_SCREENSHOT_LANGUAGE" LANGUAGE="$TT_SCREENSHOT_LANGUAGE"
  exit 0
fi

shoot empty-light

fill_catalogue
shoot main-light
shoot main-dark ADW_DEBUG_COLOR_SCHEME=prefer-dark
# A team's server shows every field; the app cannot reach it, which the
# Preferences window does not show until asked.
gsettings set com.example.TutorialTags backend mysql
gsettings set com.example.TutorialTags mysql-host db.example.com
gsettings set com.example.TutorialTags mysql-user alice
shoot preferences-light TT_SHOOT_ACTION=preferences TT_SHOOT_WINDOW=Preferences
gsettings reset com.example.TutorialTags backend

set_window_size 360 720
shoot narrow-light
