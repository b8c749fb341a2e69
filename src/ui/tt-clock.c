/* tt-clock.c: GNOME's 12/24-hour clock setting, followed live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GNOME keeps it in org.gnome.desktop.interface clock-format ("24h" or
 * "12h"). On the host GSettings reads it; inside Flatpak GSettings reads
 * the sandbox's own settings, so the Settings portal is asked instead, as
 * GNOME's own Flatpak apps do. Until an answer arrives, and where neither
 * is there, the clock is GNOME's default: 24 hours.
 */

#define G_LOG_DOMAIN "tt-clock"

#include "config.h"

#include "tt-clock.h"

#define INTERFACE_SCHEMA "org.gnome.desktop.interface"
#define CLOCK_KEY "clock-format"
#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_SETTINGS "org.freedesktop.portal.Settings"

struct _TtClock
{
  GObject          parent_instance;

  TtClockFormat    format;
  GSettings       *settings;
  GDBusConnection *portal_bus;
  guint            portal_subscription;
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (TtClock, tt_clock, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TWELVE_HOUR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
set_format (TtClock    *self,
            const char *value)
{
  TtClockFormat format = g_strcmp0 (value, "12h") == 0 ? TT_CLOCK_FORMAT_12H : TT_CLOCK_FORMAT_24H;

  if (format == self->format)
    return;
  self->format = format;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TWELVE_HOUR]);
}

static void
settings_changed_cb (TtClock    *self,
                     const char *key,
                     GSettings  *settings)
{
  g_autofree char *value = g_settings_get_string (settings, CLOCK_KEY);

  set_format (self, value);
}

/* The portal's Read wraps the value in one variant more than ReadOne
 * does (version 1 of the interface): unwrap whatever came. */
static void
set_format_from_variant (TtClock  *self,
                         GVariant *value)
{
  g_autoptr(GVariant) inner = g_variant_ref (value);

  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *unwrapped = g_variant_get_variant (inner);

      g_variant_unref (inner);
      inner = unwrapped;
    }
  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING))
    set_format (self, g_variant_get_string (inner, NULL));
}

static void
portal_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  g_autoptr(GVariant) value = NULL;

  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No clock setting from the portal: %s", error->message);
      return;
    }
  g_variant_get (reply, "(v)", &value);
  set_format_from_variant (TT_CLOCK (user_data), value);
}

static void
portal_changed_cb (GDBusConnection *connection,
                   const char      *sender,
                   const char      *path,
                   const char      *interface,
                   const char      *signal,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  const char *namespace, *key;
  g_autoptr(GVariant) value = NULL;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;
  g_variant_get (parameters, "(&s&sv)", &namespace, &key, &value);
  if (g_str_equal (namespace, INTERFACE_SCHEMA) && g_str_equal (key, CLOCK_KEY))
    set_format_from_variant (TT_CLOCK (user_data), value);
}

static void
follow_portal (TtClock         *self,
               GDBusConnection *bus)
{
  self->portal_bus = g_object_ref (bus);
  self->portal_subscription =
    g_dbus_connection_signal_subscribe (bus, PORTAL_NAME, PORTAL_SETTINGS, "SettingChanged",
                                        PORTAL_PATH, INTERFACE_SCHEMA, G_DBUS_SIGNAL_FLAGS_NONE,
                                        portal_changed_cb, self, NULL);
  /* The clock lives as long as the app: the reply finds it there (the
   * cancellable ends the call on dispose, for the tests' clocks). */
  g_dbus_connection_call (bus, PORTAL_NAME, PORTAL_PATH, PORTAL_SETTINGS, "Read",
                          g_variant_new ("(ss)", INTERFACE_SCHEMA, CLOCK_KEY),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          self->cancellable, portal_read_cb, self);
}

TtClock *
tt_clock_new (GSettings       *interface_settings,
              GDBusConnection *portal_bus)
{
  TtClock *self = g_object_new (TT_TYPE_CLOCK, NULL);

  if (interface_settings != NULL)
    {
      self->settings = g_object_ref (interface_settings);
      g_signal_connect_object (interface_settings, "changed::" CLOCK_KEY,
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
      settings_changed_cb (self, CLOCK_KEY, interface_settings);
    }
  else if (portal_bus != NULL)
    follow_portal (self, portal_bus);

  return self;
}

/* GNOME's schema as this system has it, when it has the key. */
static GSettings *
host_interface_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) || source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, INTERFACE_SCHEMA, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, CLOCK_KEY))
    return NULL;
  return g_settings_new (INTERFACE_SCHEMA);
}

TtClock *
tt_clock_get_default (void)
{
  static TtClock *clock;

  if (clock == NULL)
    {
      g_autoptr(GSettings) settings = host_interface_settings ();
      g_autoptr(GDBusConnection) bus = NULL;

      if (settings == NULL)
        bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
      clock = tt_clock_new (settings, bus);
    }
  return clock;
}

TtClockFormat
tt_clock_get_format (TtClock *self)
{
  g_return_val_if_fail (TT_IS_CLOCK (self), TT_CLOCK_FORMAT_24H);

  return self->format;
}

static void
tt_clock_dispose (GObject *object)
{
  TtClock *self = TT_CLOCK (object);

  g_cancellable_cancel (self->cancellable);
  if (self->portal_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->portal_bus, self->portal_subscription);
  self->portal_subscription = 0;
  g_clear_object (&self->portal_bus);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tt_clock_parent_class)->dispose (object);
}

static void
tt_clock_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TtClock *self = TT_CLOCK (object);

  switch (prop_id)
    {
    case PROP_TWELVE_HOUR:
      g_value_set_boolean (value, self->format == TT_CLOCK_FORMAT_12H);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_clock_class_init (TtClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tt_clock_dispose;
  object_class->get_property = tt_clock_get_property;

  properties [PROP_TWELVE_HOUR] =
    g_param_spec_boolean ("twelve-hour", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_clock_init (TtClock *self)
{
  self->format = TT_CLOCK_FORMAT_24H;
  self->cancellable = g_cancellable_new ();
}
