/* test-clock.c: times on GNOME's 12/24-hour clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The setting is read from GNOME's own schema (GSettings in memory), or
 * from the Settings portal: there a stand-in for xdg-desktop-portal on a
 * private bus answers Read and sends SettingChanged, as the portal's
 * org.freedesktop.portal.Settings interface specifies.
 */

#include "config.h"

#include <locale.h>

#include "tt-clock.h"
#include "tt-format.h"

#define PORTAL_XML \
  "<node><interface name='org.freedesktop.portal.Settings'>" \
  "<method name='Read'><arg type='s' direction='in'/><arg type='s' direction='in'/>" \
  "<arg type='v' direction='out'/></method>" \
  "<signal name='SettingChanged'><arg type='s'/><arg type='s'/><arg type='v'/></signal>" \
  "</interface></node>"

static GDateTime *
today_at (int hour,
          int minute)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                g_date_time_get_day_of_month (now), hour, minute, 0);
}

/* 13:05 today, a minute before midnight: both clocks, in C's words. */
static void
test_format_both_clocks (void)
{
  g_autoptr(GDateTime) time = today_at (13, 5);
  g_autoptr(GDateTime) now = today_at (23, 59);
  g_autofree char *h24 = tt_format_relative_time (time, now, TT_CLOCK_FORMAT_24H);
  g_autofree char *h12 = tt_format_relative_time (time, now, TT_CLOCK_FORMAT_12H);
  g_autofree char *full24 = tt_format_full_time (time, TT_CLOCK_FORMAT_24H);
  g_autofree char *full12 = tt_format_full_time (time, TT_CLOCK_FORMAT_12H);

  g_assert_cmpstr (h24, ==, "13:05");
  g_assert_cmpstr (h12, ==, "1:05 PM");
  g_assert_true (g_str_has_suffix (full24, " at 13:05"));
  g_assert_true (g_str_has_suffix (full12, " at 1:05 PM"));
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
has_interface_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE);
  if (schema != NULL)
    return TRUE;
  /* gsettings-desktop-schemas, which build-aux/install-deps.sh installs. */
  if (g_getenv ("CI") != NULL)
    g_error ("GNOME's schema org.gnome.desktop.interface is not installed");
  g_test_skip ("org.gnome.desktop.interface is not installed");
  return FALSE;
}

/* On the host: GNOME's schema, followed while the app runs. */
static void
test_clock_follows_gsettings (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TtClock) clock = NULL;
  guint notified = 0;

  if (!has_interface_schema ())
    return;
  settings = g_settings_new ("org.gnome.desktop.interface");
  g_settings_set_string (settings, "clock-format", "24h");
  clock = tt_clock_new (settings, NULL);
  g_assert_cmpint (tt_clock_get_format (clock), ==, TT_CLOCK_FORMAT_24H);
  g_signal_connect (clock, "notify::twelve-hour", G_CALLBACK (count_cb), &notified);

  g_settings_set_string (settings, "clock-format", "12h");
  g_assert_cmpint (tt_clock_get_format (clock), ==, TT_CLOCK_FORMAT_12H);
  g_assert_cmpuint (notified, ==, 1);
  g_settings_set_string (settings, "clock-format", "24h");
  g_assert_cmpint (tt_clock_get_format (clock), ==, TT_CLOCK_FORMAT_24H);
  g_assert_cmpuint (notified, ==, 2);
}

static void
portal_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  const char *namespace, *key;

  g_variant_get (parameters, "(&s&s)", &namespace, &key);
  if (!g_str_equal (namespace, "org.gnome.desktop.interface") || !g_str_equal (key, "clock-format"))
    {
      g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.portal.Error.NotFound",
                                                  "Requested setting not found");
      return;
    }
  /* Version 1's Read: the value wrapped in one variant more. */
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(v)", g_variant_new_variant (g_variant_new_string ("12h"))));
}

static void
iterate_until (TtClock       *clock,
               TtClockFormat  format)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (tt_clock_get_format (clock) != format && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (tt_clock_get_format (clock), ==, format);
}

/* In Flatpak: the Settings portal, read once and then followed. */
static void
test_clock_follows_portal (void)
{
  static const GDBusInterfaceVTable vtable = { portal_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusConnection) portal = NULL;
  g_autoptr(GDBusConnection) client = NULL;
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (PORTAL_XML, NULL);
  g_autoptr(TtClock) clock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) owned = NULL;

  g_test_dbus_up (bus);
  portal = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (portal, "/org/freedesktop/portal/desktop", node->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  owned = g_dbus_connection_call_sync (portal, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.portal.Desktop", 0),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  client = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  clock = tt_clock_new (NULL, client);
  iterate_until (clock, TT_CLOCK_FORMAT_12H);

  g_dbus_connection_emit_signal (portal, NULL, "/org/freedesktop/portal/desktop",
                                 "org.freedesktop.portal.Settings", "SettingChanged",
                                 g_variant_new ("(ssv)", "org.gnome.desktop.interface", "clock-format",
                                                g_variant_new_string ("24h")),
                                 &error);
  g_assert_no_error (error);
  iterate_until (clock, TT_CLOCK_FORMAT_24H);

  g_clear_object (&clock);
  g_dbus_connection_close_sync (client, NULL, NULL);
  g_dbus_connection_close_sync (portal, NULL, NULL);
  g_test_dbus_down (bus);
}

/* Formats @count with LC_NUMERIC set to @locale, or returns NULL when
 * this system lacks that locale (build-aux/install-deps.sh test makes
 * it). */
static char *
count_in_locale (const char *locale,
                 guint64     count)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  char *text = NULL;

  if (setlocale (LC_NUMERIC, locale) != NULL)
    text = tt_format_count (count);
  setlocale (LC_NUMERIC, saved);

  if (text == NULL && g_getenv ("CI") != NULL)
    g_error ("No locale %s here (build-aux/install-deps.sh test makes it)", locale);
  return text;
}

/* Counts carry the locale's thousands separator, and none in C. */
static void
test_format_count (void)
{
  g_autofree char *c = count_in_locale ("C.UTF-8", 100000);
  g_autofree char *en = count_in_locale ("en_US.UTF-8", 100000);
  g_autofree char *de = count_in_locale ("de_DE.UTF-8", 1234567);
  g_autofree char *small = count_in_locale ("en_US.UTF-8", 999);

  g_assert_cmpstr (c, ==, "100000");
  if (en == NULL || de == NULL)
    {
      g_test_skip ("en_US.UTF-8 or de_DE.UTF-8 is not generated here");
      return;
    }
  g_assert_cmpstr (en, ==, "100,000");
  g_assert_cmpstr (de, ==, "1.234.567");
  g_assert_cmpstr (small, ==, "999");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/both-clocks", test_format_both_clocks);
  g_test_add_func ("/format/count", test_format_count);
  g_test_add_func ("/clock/follows-gsettings", test_clock_follows_gsettings);
  g_test_add_func ("/clock/follows-portal", test_clock_follows_portal);

  return g_test_run ();
}
