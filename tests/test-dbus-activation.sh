#!/usr/bin/env bash
# test-dbus-activation.sh: the app started by the session bus (TAP).
#
#   test-dbus-activation.sh APP CLI DESKTOP_FILE SERVICE_FILE SCHEMA_DIR
#
# What a launcher or a file manager does with DBusActivatable=true: it
# asks the bus for com.example.TutorialTags, and the bus runs the service
# file's Exec. Here a private session bus reads a copy of the built service
# file whose Exec points at the built app (the installed one names the
# install prefix), then org.freedesktop.Application.Open hands it a
# catalogue file, and the app.quit action ends it.
#
# Needs a display (build-aux/run-tests.sh runs it on Xvfb): without one it
# is skipped, or fails when $CI is set.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -uo pipefail

app=$1 cli=$2 desktop_file=$3 service_file=$4 schema_dir=$5
app_id=com.example.TutorialTags
object_path=/com/example/TutorialTags
n=0 failed=0

ok ()
{
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}

if [ -z "${DISPLAY:-}" ]; then
  if [ -n "${CI:-}" ]; then echo "Bail out! no display"; exit 1; fi
  echo "1..0 # SKIP no display"
  exit 77
fi

echo "1..6"
grep -qx "DBusActivatable=true" "$desktop_file"
ok $? "the desktop file asks for D-Bus activation"
grep -qx "Name=$app_id" "$service_file" && [ "$(basename "$service_file")" = "$app_id.service" ]
ok $? "the service file is named after the app id and names it"

tmp=$(mktemp -d)
bus_pid=
cleanup ()
{
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/services" "$tmp/home" "$tmp/data"
sed "s|^Exec=.*|Exec=$app --gapplication-service|" "$service_file" > "$tmp/services/$app_id.service"
cat > "$tmp/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$tmp</listen>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF

# What the bus starts inherits the bus's environment: a home of its own,
# settings in memory, the built schema.
export HOME=$tmp/home XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/home/.config
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$schema_dir
# The private bus has no accessibility bus to hand out.
export GTK_A11Y=none
exec 3< <(dbus-daemon --config-file="$tmp/bus.conf" --nofork --print-address=1 --print-pid=1)
read -r address <&3
read -r bus_pid <&3
export DBUS_SESSION_BUS_ADDRESS=$address

catalogue=$tmp/given.db
"$cli" --db "sqlite:$catalogue" tutorial add "Opened over D-Bus" >/dev/null

gdbus call --session --dest "$app_id" --object-path "$object_path" \
  --method org.freedesktop.Application.Open "['file://$catalogue']" "{}" >/dev/null
ok $? "Open on the bus starts the app and hands it the file"

has_owner ()
{
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner "$app_id" 2>/dev/null | grep -q true
}
has_owner
ok $? "the app owns its name on the bus"

# SQLite keeps a -wal file next to a catalogue while it is open (WAL mode).
for _ in $(seq 100); do [ -e "$catalogue-wal" ] && break; sleep 0.1; done
[ -e "$catalogue-wal" ] && [ ! -e "$XDG_DATA_HOME/tutorial-tags" ]
ok $? "the file given is open, and Preferences' catalogue was not created"

gdbus call --session --dest "$app_id" --object-path "$object_path" \
  --method org.gtk.Actions.Activate quit "[]" "{}" >/dev/null
for _ in $(seq 100); do has_owner || break; sleep 0.1; done
! has_owner
ok $? "app.quit ends it"
exit $failed
