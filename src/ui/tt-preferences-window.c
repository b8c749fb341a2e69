/* tt-preferences-window.c: where the catalogue lives, and switching to another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Database page shows the location GSettings holds, with the MySQL
 * password from the keyring. "Test" probes what is typed, read-only.
 * "Switch to This Database" asks the application to switch to what is
 * typed (tt_application_switch_catalogue()); the switch itself, with its
 * all-or-nothing rules, is a TtCatalogueSwitch the application owns. This
 * window shows its steps, whoever started it, asks whether to copy and
 * passes the answer on.
 */

#define G_LOG_DOMAIN "tt-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-preferences-window.h"
#include "tt-error-table.h"
#include "tt-db-settings.h"
#include "tt-secret.h"
#include "tt-store-probe.h"
#include "tt-store-copy.h"

enum {
  BACKEND_ROW_SQLITE,
  BACKEND_ROW_MYSQL,
};

struct _TtPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  TtApplication        *application;
  GSettings            *settings;          /* NULL without the schema */
  /* What the application uses: Apply is offered for anything else. */
  TtDbLocation         *current;
  char                 *current_password;
  /* Cancelled when the window goes: nothing it started outlives it. */
  GCancellable         *cancellable;
  GCancellable         *test_cancellable;

  /* The application's switch under way, and its steps shown so far. */
  TtCatalogueSwitch    *following;
  GSignalGroup         *switch_signals;
  TtCatalogueSwitchState shown_state;
  AdwMessageDialog     *question_dialog;   /* weak */
  AdwMessageDialog     *progress_dialog;   /* weak */
  /* What this window asked the application to switch to. */
  TtDbLocation         *new_location;
  char                 *new_password;
  /* What the last Test tried and what it said, shown while those
   * settings are typed; Switch is not offered for what it found wrong. */
  TtDbLocation         *tested_location;
  char                 *tested_password;
  char                 *test_said;
  char                 *test_subtitle;     /* the row's own, from the .ui */

  guint                 loading : 1;
  guint                 looking_up : 1;
  guint                 testing : 1;
  guint                 switching : 1;
  guint                 test_failed : 1;

  /* Template widgets */
  AdwComboRow          *backend_row;
  AdwPreferencesGroup  *sqlite_group;
  AdwPreferencesGroup  *mysql_group;
  AdwEntryRow          *path_row;
  AdwEntryRow          *host_row;
  AdwActionRow         *port_row;
  GtkSpinButton        *port_spin;
  AdwEntryRow          *database_row;
  AdwEntryRow          *user_row;
  AdwEntryRow          *password_row;
  AdwEntryRow          *socket_row;
  GtkSwitch            *tls_switch;
  AdwEntryRow          *tls_ca_row;
  GtkSwitch            *tls_verify_switch;
  AdwActionRow         *test_row;
  GtkSpinner           *test_spinner;
  GtkSpinner           *apply_spinner;
  GtkLabel             *apply_label;
};

G_DEFINE_FINAL_TYPE (TtPreferencesWindow, tt_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void tt_preferences_window_load (TtPreferencesWindow *self);
static void tt_preferences_window_catalogue_switch_cb (TtPreferencesWindow *self);

TtPreferencesWindow *
tt_preferences_window_new (TtApplication *application,
                           GtkWindow     *parent)
{
  TtPreferencesWindow *self;

  g_return_val_if_fail (TT_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (TT_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       "transient-for", parent,
                       NULL);
  self->application = g_object_ref (application);
  g_set_object (&self->settings, tt_application_get_settings (application));
  self->current = tt_application_dup_location (application);
  tt_preferences_window_load (self);
  /* Following a switch already under way too (app.switch-catalogue). */
  g_signal_connect_object (application, "notify::catalogue-switch",
                           G_CALLBACK (tt_preferences_window_catalogue_switch_cb),
                           self, G_CONNECT_SWAPPED);
  tt_preferences_window_catalogue_switch_cb (self);

  return self;
}

gboolean
tt_preferences_window_get_busy (TtPreferencesWindow *self)
{
  g_return_val_if_fail (TT_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->looking_up || self->testing || self->switching;
}

/* ---- what is typed --------------------------------------------------- */

static gboolean
tt_preferences_window_is_mysql (TtPreferencesWindow *self)
{
  return adw_combo_row_get_selected (self->backend_row) == BACKEND_ROW_MYSQL;
}

static char *
dup_text_or_null (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

/* The MySQL fields as a location, whichever backend is chosen. */
static TtDbLocation *
tt_preferences_window_get_mysql (TtPreferencesWindow *self)
{
  TtDbLocation *location = g_new0 (TtDbLocation, 1);

  location->backend = TT_DB_BACKEND_MYSQL;
  location->host = dup_text_or_null (self->host_row);
  location->port = gtk_spin_button_get_value_as_int (self->port_spin);
  location->database = dup_text_or_null (self->database_row);
  location->user = dup_text_or_null (self->user_row);
  /* Hidden in Flatpak (tt_preferences_window_adapt_to_sandbox()): a socket
   * saved outside the sandbox is not used where it cannot be reached. */
  location->socket = gtk_widget_get_visible (GTK_WIDGET (self->socket_row))
    ? dup_text_or_null (self->socket_row) : NULL;
  location->require_tls = gtk_switch_get_active (self->tls_switch);
  if (location->require_tls)
    {
      location->tls_ca = dup_text_or_null (self->tls_ca_row);
      location->tls_verify = gtk_switch_get_active (self->tls_verify_switch);
    }

  /* The socket replaces host and port, but a location always has a host. */
  if (location->host == NULL && location->socket != NULL)
    location->host = g_strdup ("localhost");
  /* A cluster's servers: a list that does not parse leaves no host, so
   * the location is incomplete (nothing to apply) and the row says so. */
  if (location->host != NULL && strchr (location->host, ',') != NULL &&
      !tt_db_location_set_hosts (location, location->host, location->port, NULL))
    g_clear_pointer (&location->host, g_free);
  return location;
}

/* NULL while something needed is missing. */
static TtDbLocation *
tt_preferences_window_get_location (TtPreferencesWindow *self)
{
  g_autoptr(TtDbLocation) location = NULL;

  if (!tt_preferences_window_is_mysql (self))
    {
      g_autofree char *path = dup_text_or_null (self->path_row);

      if (path == NULL || !g_path_is_absolute (path))
        return NULL;
      return tt_db_location_new_sqlite (path);
    }

  location = tt_preferences_window_get_mysql (self);
  if (location->host == NULL || location->database == NULL || location->user == NULL)
    return NULL;
  /* Read by the client library from wherever it runs. */
  if (location->tls_ca != NULL && !g_path_is_absolute (location->tls_ca))
    return NULL;
  return g_steal_pointer (&location);
}

static const char *
tt_preferences_window_get_password (TtPreferencesWindow *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

/* The last Test tried @location with what is typed as password. */
static gboolean
tt_preferences_window_was_tested (TtPreferencesWindow *self,
                                  const TtDbLocation  *location)
{
  return location != NULL && self->tested_location != NULL &&
         tt_db_location_equal (location, self->tested_location) &&
         (location->backend != TT_DB_BACKEND_MYSQL ||
          g_strcmp0 (tt_preferences_window_get_password (self), self->tested_password) == 0);
}

/* Something to switch to: complete, not what is in use already (unless
 * the password is new), and not what the last Test found wrong. */
static gboolean
tt_preferences_window_can_apply (TtPreferencesWindow *self)
{
  g_autoptr(TtDbLocation) location = tt_preferences_window_get_location (self);

  if (location == NULL || (self->test_failed && tt_preferences_window_was_tested (self, location)))
    return FALSE;
  if (!tt_db_location_equal (location, self->current))
    return TRUE;
  return location->backend == TT_DB_BACKEND_MYSQL &&
         g_strcmp0 (tt_preferences_window_get_password (self),
                    self->current_password != NULL ? self->current_password : "") != 0;
}

static void
tt_preferences_window_update (TtPreferencesWindow *self)
{
  g_autoptr(TtDbLocation) location = tt_preferences_window_get_location (self);
  gboolean mysql = tt_preferences_window_is_mysql (self);
  gboolean has_socket = *gtk_editable_get_text (GTK_EDITABLE (self->socket_row)) != '\0';
  g_autoptr(TtDbLocation) typed = tt_preferences_window_get_mysql (self);
  const char *host_text = gtk_editable_get_text (GTK_EDITABLE (self->host_row));

  /* A list of servers that does not parse is marked where it is typed
   * (tt_preferences_window_get_mysql() drops it). */
  if (mysql && strchr (host_text, ',') != NULL && typed->host == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->host_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->host_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->sqlite_group), !mysql);
  gtk_widget_set_visible (GTK_WIDGET (self->mysql_group), mysql);
  /* A socket replaces host and port. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->host_row), !has_socket);
  gtk_widget_set_sensitive (GTK_WIDGET (self->port_row), !has_socket);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.test",
                                 location != NULL && !self->switching);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.apply",
                                 !self->switching && !self->looking_up &&
                                 tt_preferences_window_can_apply (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->backend_row), !self->switching);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sqlite_group), !self->switching);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mysql_group), !self->switching);
  /* What the last Test said is about those settings only. */
  if (!self->testing)
    adw_action_row_set_subtitle (self->test_row,
                                 self->test_said != NULL && tt_preferences_window_was_tested (self, location)
                                 ? self->test_said : self->test_subtitle);
}

/* Every change of the busy flags goes through here. */
static void
tt_preferences_window_busy_changed (TtPreferencesWindow *self,
                                    gboolean             was_busy)
{
  tt_preferences_window_update (self);
  if (was_busy != tt_preferences_window_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
tt_preferences_window_changed_cb (TtPreferencesWindow *self)
{
  if (self->loading)
    return;

  tt_preferences_window_update (self);
}

/* ---- filling the fields ---------------------------------------------- */

static void
tt_preferences_window_password_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(TtPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean was_busy = tt_preferences_window_get_busy (self);
  char *password = tt_secret_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("No password from the keyring: %s", error->message);

  /* Typed meanwhile: what the person typed wins. */
  if (*tt_preferences_window_get_password (self) == '\0' && password != NULL)
    {
      self->loading = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
      self->loading = FALSE;
    }
  if (self->current->backend == TT_DB_BACKEND_MYSQL)
    self->current_password = g_strdup (password);
  tt_secret_password_free (password);

  self->looking_up = FALSE;
  tt_preferences_window_busy_changed (self, was_busy);
}

static void
set_text_from_settings (TtPreferencesWindow *self,
                        AdwEntryRow         *row,
                        const char          *key)
{
  g_autofree char *text = g_settings_get_string (self->settings, key);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Both backends' fields, so that switching the combo shows what was
 * there before; without settings, only the file in use. */
static void
tt_preferences_window_load_fields (TtPreferencesWindow *self)
{
  gboolean mysql = self->current->backend == TT_DB_BACKEND_MYSQL;

  adw_combo_row_set_selected (self->backend_row, mysql ? BACKEND_ROW_MYSQL : BACKEND_ROW_SQLITE);
  if (!mysql)
    gtk_editable_set_text (GTK_EDITABLE (self->path_row), self->current->path);

  if (self->settings == NULL)
    return;

  if (mysql)
    {
      g_autofree char *path = tt_db_location_default_sqlite_path ();

      set_text_from_settings (self, self->path_row, "sqlite-path");
      if (*gtk_editable_get_text (GTK_EDITABLE (self->path_row)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->path_row), path);
    }
  set_text_from_settings (self, self->host_row, "mysql-host");
  gtk_spin_button_set_value (self->port_spin, g_settings_get_uint (self->settings, "mysql-port"));
  set_text_from_settings (self, self->database_row, "mysql-database");
  set_text_from_settings (self, self->user_row, "mysql-user");
  set_text_from_settings (self, self->socket_row, "mysql-socket");
  gtk_switch_set_active (self->tls_switch, g_settings_get_boolean (self->settings, "mysql-require-tls"));
  set_text_from_settings (self, self->tls_ca_row, "mysql-tls-ca");
  gtk_switch_set_active (self->tls_verify_switch, g_settings_get_boolean (self->settings, "mysql-tls-verify"));
}

static void
tt_preferences_window_load (TtPreferencesWindow *self)
{
  g_autoptr(TtDbLocation) mysql = NULL;

  self->loading = TRUE;
  tt_preferences_window_load_fields (self);
  self->loading = FALSE;

  mysql = tt_preferences_window_get_mysql (self);
  if (mysql->host != NULL && mysql->user != NULL)
    {
      self->looking_up = TRUE;
      tt_secret_lookup_async (mysql, self->cancellable,
                              tt_preferences_window_password_cb, g_object_ref (self));
    }
  tt_preferences_window_update (self);
}

/* ---- saying what happened -------------------------------------------- */

static char *
describe_counts (gint64 n_tutorials,
                 gint64 n_tags)
{
  g_autofree char *tutorials = NULL;
  g_autofree char *tags = NULL;

  /* A catalogue of more than four billion rows is not in sight. */
  tutorials = g_strdup_printf (ngettext ("%u tutorial", "%u tutorials", (guint) n_tutorials),
                               (guint) n_tutorials);
  tags = g_strdup_printf (ngettext ("%u tag", "%u tags", (guint) n_tags), (guint) n_tags);
  /* Translators: the first is "12 tutorials", the second "4 tags". */
  return g_strdup_printf (_("%s and %s"), tutorials, tags);
}

static char *
describe_probe (const TtStoreProbe *probe)
{
  g_autofree char *counts = NULL;
  g_autofree char *others = NULL;

  switch (probe->content)
    {
    case TT_STORE_PROBE_EMPTY:
      if (!probe->exists)
        return g_strdup (_("The file does not exist yet: it will be created with an empty catalogue."));
      return g_strdup (_("Connected. The database is empty: the catalogue will be created."));

    case TT_STORE_PROBE_CATALOGUE:
      if (probe->n_tutorials == 0 && probe->n_tags == 0)
        return g_strdup (_("Connected. It holds an empty catalogue."));
      counts = describe_counts (probe->n_tutorials, probe->n_tags);
      /* Translators: %s is "12 tutorials and 4 tags". */
      return g_strdup_printf (_("Connected. It holds %s."), counts);

    case TT_STORE_PROBE_ADOPTABLE:
      return g_strdup (_("Connected. It holds a catalogue made by the Node.js tutorial app, which will be adopted."));

    case TT_STORE_PROBE_TOO_NEW:
      return g_strdup_printf (_("Connected, but its catalogue was made by a newer version of Tutorial Tags (schema version %d). Update this app to use it."),
                              probe->schema_version);

    case TT_STORE_PROBE_FOREIGN:
    default:
      others = g_strjoinv (", ", probe->other_tables);
      return g_strdup_printf (_("Connected, but the database holds tables of another program (%s). Choose an empty database or one with a catalogue."),
                              others);
    }
}

static char *
describe_location (const TtDbLocation *location)
{
  if (location->backend == TT_DB_BACKEND_SQLITE)
    return g_strdup (location->path);
  if (location->socket != NULL)
    /* Translators: a database name, then the path of a Unix socket. */
    return g_strdup_printf (_("“%s” through %s"), location->database, location->socket);
  /* Translators: a database name, then a host name and a port. */
  return g_strdup_printf (_("“%s” on %s:%u"), location->database, location->host,
                          location->port != 0 ? location->port : TT_DB_MYSQL_DEFAULT_PORT);
}

/* Scrolls the page so that @widget is seen whole (its top first, when it
 * is taller than the page). */
static void
scroll_into_view (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double below;

  if (scrolled == NULL || !gtk_widget_compute_bounds (widget, scrolled, &bounds))
    return;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  below = bounds.origin.y + bounds.size.height - gtk_widget_get_height (scrolled);
  if (below > 0)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + MIN (below, bounds.origin.y));
  else if (bounds.origin.y < 0)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + bounds.origin.y);
}

/* Once the frame's layout placed what just changed (connected after
 * GTK's own "layout" handler); then no more. */
static void
reveal_layout_cb (GdkFrameClock *clock,
                  GtkWidget     *widget)
{
  g_signal_handlers_disconnect_by_func (clock, reveal_layout_cb, widget);
  scroll_into_view (widget);
}

/* What a step says is seen, however far down the page it is. */
static void
reveal (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock == NULL)
    return;
  g_signal_handlers_disconnect_by_func (clock, reveal_layout_cb, widget);
  g_signal_connect_object (clock, "layout", G_CALLBACK (reveal_layout_cb), widget,
                           G_CONNECT_AFTER);
}

static void
tt_preferences_window_say (TtPreferencesWindow *self,
                           const char          *text,
                           gboolean             is_error)
{
  gtk_label_set_text (self->apply_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->apply_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->apply_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->apply_label), "error");
  if (text != NULL)
    reveal (GTK_WIDGET (self->apply_label));
}

/* Why connecting failed: our sentences, then the store's or server's
 * own text as the detail. */
static char *
describe_connection_error (const GError *error)
{
  g_autofree char *detail = NULL;
  g_autofree char *text = tt_error_describe_connection (error, &detail);

  if (detail == NULL)
    return g_steal_pointer (&text);
  /* Translators: our sentences, then on a line of its own the error's
   * text as the database or the server gave it. */
  return g_strdup_printf (_("%s\nDetails: %s"), text, detail);
}

/* ---- Test ------------------------------------------------------------ */

/* A spinner is shown only while it spins. */
static void
show_spinner (GtkSpinner *spinner,
              gboolean    spinning)
{
  gtk_widget_set_visible (GTK_WIDGET (spinner), spinning);
  gtk_spinner_set_spinning (spinner, spinning);
}

static void
tt_preferences_window_probe_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(TtPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreProbe) probe = tt_store_probe_finish (result, &error);
  gboolean was_busy = tt_preferences_window_get_busy (self);

  /* Another test took over, or the window is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->test_failed = probe == NULL;
  if (probe != NULL)
    {
      self->test_said = describe_probe (probe);
      if (probe->change_check_text != NULL)
        {
          char *both = g_strjoin (" ", self->test_said, probe->change_check_text, NULL);

          g_free (self->test_said);
          self->test_said = both;
        }
      /* What the last switch said is about other settings, or stale. */
      tt_preferences_window_say (self, NULL, FALSE);
    }
  else
    self->test_said = describe_connection_error (error);
  reveal (GTK_WIDGET (self->test_row));
  show_spinner (self->test_spinner, FALSE);
  self->testing = FALSE;
  tt_preferences_window_busy_changed (self, was_busy);
}

static void
tt_preferences_window_test_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (widget);
  g_autoptr(TtDbLocation) location = tt_preferences_window_get_location (self);
  gboolean was_busy = tt_preferences_window_get_busy (self);

  if (location == NULL)
    return;

  /* Only the answer for what is typed now counts. */
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();

  adw_action_row_set_subtitle (self->test_row, _("Connecting…"));
  show_spinner (self->test_spinner, TRUE);
  self->testing = TRUE;
  tt_db_location_free (self->tested_location);
  self->tested_location = tt_db_location_copy (location);
  tt_secret_password_free (self->tested_password);
  self->tested_password = location->backend == TT_DB_BACKEND_MYSQL
    ? g_strdup (tt_preferences_window_get_password (self)) : NULL;
  g_clear_pointer (&self->test_said, g_free);
  self->test_failed = FALSE;
  tt_preferences_window_busy_changed (self, was_busy);

  tt_store_probe_async (location, self->tested_password,
                        self->test_cancellable,
                        tt_preferences_window_probe_cb, g_object_ref (self));
}

/* ---- Switch ---------------------------------------------------------- */

/* The application runs the switch (TtCatalogueSwitch); this window shows
 * its steps, asks its question and passes on the answer. */

static void
close_dialog (AdwMessageDialog **dialog)
{
  AdwMessageDialog *open = *dialog;

  g_clear_weak_pointer (dialog);
  if (open != NULL)
    gtk_window_destroy (GTK_WINDOW (open));
}

static char *
describe_report (const TtCopyReport *report)
{
  g_autofree char *counts = NULL;

  counts = describe_counts (report->tutorials_copied, report->tags_created + report->tags_merged);
  if (report->tutorials_skipped == 0)
    /* Translators: %s is "12 tutorials and 4 tags". */
    return g_strdup_printf (_("Copied %s."), counts);
  return g_strdup_printf (ngettext ("Copied %s; %u tutorial was there already.",
                                    "Copied %s; %u tutorials were there already.",
                                    report->tutorials_skipped),
                          counts, report->tutorials_skipped);
}

/* What is in use now: Apply is offered for anything else. */
static void
tt_preferences_window_take_current (TtPreferencesWindow *self,
                                    TtCatalogueSwitch   *catalogue_switch)
{
  g_clear_pointer (&self->current, tt_db_location_free);
  self->current = tt_db_location_copy (tt_catalogue_switch_get_location (catalogue_switch));
  g_clear_pointer (&self->current_password, tt_secret_password_free);

  /* A switch asked for elsewhere (app.switch-catalogue): the fields show
   * the new catalogue as the settings and the keyring now have it. */
  if (self->new_location == NULL)
    {
      tt_preferences_window_load (self);
      return;
    }
  self->current_password = g_strdup (self->new_password);
}

static void
append_sentence (char       **text,
                 const char  *sentence)
{
  char *both = g_strdup_printf ("%s %s", *text, sentence);

  g_free (*text);
  *text = both;
}

/* The new catalogue is open (and filled, when it was copied): from here
 * on it is the one in use. */
static void
tt_preferences_window_say_done (TtPreferencesWindow *self,
                                TtCatalogueSwitch   *catalogue_switch)
{
  const TtCopyReport *report = tt_catalogue_switch_get_report (catalogue_switch);
  const GError *keyring_error = tt_catalogue_switch_get_keyring_error (catalogue_switch);
  g_autofree char *where = describe_location (tt_catalogue_switch_get_location (catalogue_switch));
  g_autofree char *copied = report != NULL ? describe_report (report) : NULL;
  g_autofree char *text = NULL;

  /* Said once, where it stays and is scrolled into sight (not also in a
   * toast, which would cover it). */
  text = g_strdup_printf (_("Now using %s."), where);
  if (copied != NULL)
    append_sentence (&text, copied);

  /* The switch stands, but the next start finds no password. */
  if (keyring_error != NULL)
    {
      g_autofree char *problem =
        /* Translators: %s says why, e.g. “Cannot save the password in the keyring: no keyring is available …” */
        g_strdup_printf (_("The password could not be saved, so you will have to enter it again here the next time Tutorial Tags starts. %s"),
                         keyring_error->message);

      append_sentence (&text, problem);
    }
  tt_preferences_window_say (self, text, keyring_error != NULL);
  tt_preferences_window_take_current (self, catalogue_switch);
}

/* Nothing saved, the application keeps its catalogue: say why. */
static void
tt_preferences_window_say_failed (TtPreferencesWindow *self,
                                  TtCatalogueSwitch   *catalogue_switch)
{
  const GError *error = tt_catalogue_switch_get_error (catalogue_switch);
  g_autofree char *reason = tt_error_describe (error);
  g_autofree char *text = NULL;
  g_autofree char *why = NULL;
  TtCatalogueSwitchState step;

  step = tt_catalogue_switch_get_last_step (catalogue_switch);
  if (step == TT_CATALOGUE_SWITCH_STATE_COUNTING)
    text = g_strdup_printf (_("Your current catalogue could not be read: %s"), reason);
  else if (step == TT_CATALOGUE_SWITCH_STATE_COPYING)
    text = g_strdup_printf (_("Your tutorials could not be copied: %s Nothing was changed in the new database (the copy is all or nothing), and you keep using your current catalogue."),
                            error->message);
  else
    {
      why = describe_connection_error (error);
      /* Translators: %s says why, in sentences. */
      text = g_strdup_printf (_("Could not switch. %s"), why);
    }
  tt_preferences_window_say (self, text, TRUE);
}

static void
tt_preferences_window_say_cancelled (TtPreferencesWindow *self,
                                     TtCatalogueSwitch   *catalogue_switch)
{
  if (tt_catalogue_switch_get_last_step (catalogue_switch) == TT_CATALOGUE_SWITCH_STATE_COPYING)
    tt_preferences_window_say (self, _("The copy was cancelled. Nothing was changed in the new database, and you keep using your current catalogue."), TRUE);
  else
    tt_preferences_window_say (self, _("Nothing was changed: you keep using your current catalogue."), TRUE);
}

static void
tt_preferences_window_progress_response_cb (TtPreferencesWindow *self,
                                            const char          *response)
{
  /* The dialog closes by itself; the end of the switch says the rest. */
  g_clear_weak_pointer (&self->progress_dialog);
  if (self->following != NULL)
    tt_catalogue_switch_cancel (self->following);
}

static void
tt_preferences_window_show_progress (TtPreferencesWindow *self,
                                     TtCatalogueSwitch   *catalogue_switch)
{
  AdwMessageDialog *dialog;
  GtkWidget *progress_bar = gtk_progress_bar_new ();
  g_autofree char *body = NULL;

  /* No heading, as for the question: libadwaita 1.7 measures one at any
   * width, and GTK 4.18 warns when it does not fit. */
  body = g_strdup_printf ("%s %s", _("Copying your tutorials…"),
                          _("Nothing is changed in the new database until all of them are copied."));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, body));
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  g_object_bind_property (catalogue_switch, "fraction", progress_bar, "fraction",
                          G_BINDING_SYNC_CREATE);
  adw_message_dialog_set_extra_child (dialog, progress_bar);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (tt_preferences_window_progress_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_set_weak_pointer (&self->progress_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tt_preferences_window_ask_response_cb (AdwMessageDialog    *dialog,
                                       const char          *response,
                                       TtPreferencesWindow *self)
{
  TtCatalogueSwitch *catalogue_switch = self->following;

  g_clear_weak_pointer (&self->question_dialog);
  if (catalogue_switch == NULL ||
      tt_catalogue_switch_get_state (catalogue_switch) != TT_CATALOGUE_SWITCH_STATE_NEEDS_DECISION)
    return;

  if (g_str_equal (response, "copy"))
    tt_catalogue_switch_copy (catalogue_switch);
  else if (g_str_equal (response, "as-is"))
    tt_catalogue_switch_use_as_is (catalogue_switch);
  else
    tt_catalogue_switch_cancel (catalogue_switch);
}

static void
tt_preferences_window_ask_copy (TtPreferencesWindow *self,
                                TtCatalogueSwitch   *catalogue_switch)
{
  g_autofree char *what = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *body = NULL;
  gint64 n_tutorials, n_tags;
  GtkWidget *dialog;

  tt_catalogue_switch_get_source_counts (catalogue_switch, &n_tutorials, &n_tags);
  what = describe_counts (n_tutorials, n_tags);
  /* Translators: %s is "12 tutorials and 4 tags". */
  counts = g_strdup_printf (_("Your current catalogue holds %s. Copying adds them to the new database and merges tags of the same name; otherwise they stay where they are."),
                            what);
  /* The question opens the body, which wraps: AdwMessageDialog
   * (libadwaita 1.7) measures a heading at any width the dialog is asked
   * about, however narrow, and GTK 4.18 warns when it does not fit. */
  body = g_strdup_printf ("%s %s", _("Copy your current tutorials into the new database?"), counts);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "as-is", _("_Use It as It Is"),
                                    "copy", _("_Copy My Tutorials"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "copy",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "copy");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (tt_preferences_window_ask_response_cb),
                           self, 0);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_set_weak_pointer (&self->question_dialog, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Each step once, as the switch enters it; a dialog lives as long as
 * its step. */
static void
tt_preferences_window_state_cb (TtCatalogueSwitch   *catalogue_switch,
                                GParamSpec          *pspec,
                                TtPreferencesWindow *self)
{
  TtCatalogueSwitchState state = tt_catalogue_switch_get_state (catalogue_switch);

  if (state == self->shown_state)
    return;
  self->shown_state = state;
  if (state != TT_CATALOGUE_SWITCH_STATE_NEEDS_DECISION)
    close_dialog (&self->question_dialog);
  if (state != TT_CATALOGUE_SWITCH_STATE_COPYING)
    close_dialog (&self->progress_dialog);

  switch (state)
    {
    case TT_CATALOGUE_SWITCH_STATE_OPENING:
      tt_preferences_window_say (self, _("Opening the database…"), FALSE);
      break;
    case TT_CATALOGUE_SWITCH_STATE_COUNTING:
      tt_preferences_window_say (self, _("Looking at your current catalogue…"), FALSE);
      break;
    case TT_CATALOGUE_SWITCH_STATE_NEEDS_DECISION:
      tt_preferences_window_ask_copy (self, catalogue_switch);
      break;
    case TT_CATALOGUE_SWITCH_STATE_COPYING:
      tt_preferences_window_show_progress (self, catalogue_switch);
      break;
    case TT_CATALOGUE_SWITCH_STATE_DONE:
      tt_preferences_window_say_done (self, catalogue_switch);
      break;
    case TT_CATALOGUE_SWITCH_STATE_FAILED:
      tt_preferences_window_say_failed (self, catalogue_switch);
      break;
    case TT_CATALOGUE_SWITCH_STATE_CANCELLED:
      tt_preferences_window_say_cancelled (self, catalogue_switch);
      break;
    case TT_CATALOGUE_SWITCH_STATE_READY:
    case TT_CATALOGUE_SWITCH_STATE_SAVING:
    default:
      break;
    }
}

/* The application started a switch, or is done with one (whose end
 * this window has shown by then). */
static void
tt_preferences_window_catalogue_switch_cb (TtPreferencesWindow *self)
{
  TtCatalogueSwitch *catalogue_switch = tt_application_get_catalogue_switch (self->application);
  gboolean was_busy = tt_preferences_window_get_busy (self);

  if (!g_set_object (&self->following, catalogue_switch))
    return;

  g_signal_group_set_target (self->switch_signals, catalogue_switch);
  self->switching = catalogue_switch != NULL;
  show_spinner (self->apply_spinner, self->switching);
  if (catalogue_switch != NULL)
    {
      self->shown_state = TT_CATALOGUE_SWITCH_STATE_READY;
      tt_preferences_window_state_cb (catalogue_switch, NULL, self);
    }
  else
    {
      g_clear_pointer (&self->new_location, tt_db_location_free);
      g_clear_pointer (&self->new_password, tt_secret_password_free);
    }
  tt_preferences_window_busy_changed (self, was_busy);
}

static void
tt_preferences_window_apply_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (widget);

  if (self->switching || !tt_preferences_window_can_apply (self))
    return;

  /* Set first: when the application says a switch started, this window
   * knows that it asked for it. */
  self->new_location = tt_preferences_window_get_location (self);
  if (self->new_location->backend == TT_DB_BACKEND_MYSQL)
    self->new_password = g_strdup (tt_preferences_window_get_password (self));

  tt_application_switch_catalogue (self->application, self->new_location, self->new_password);
}

/* ---- Choose… --------------------------------------------------------- */

/* The local file a chooser's @response accepted, or NULL. */
static char *
chosen_path (GtkNativeDialog *chooser,
             int              response)
{
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT ||
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) == NULL)
    return NULL;
  return g_file_get_path (file);
}

static void
tt_preferences_window_chooser_cb (GtkNativeDialog     *chooser,
                                  int                  response,
                                  TtPreferencesWindow *self)
{
  g_autofree char *path = chosen_path (chooser, response);

  if (path != NULL)
    {
      /* The file always gets this ending: show the name it will have. */
      if (!g_str_has_suffix (path, ".db"))
        {
          g_autofree char *with_suffix = g_strconcat (path, ".db", NULL);
          g_free (path);
          path = g_steal_pointer (&with_suffix);
        }
      gtk_editable_set_text (GTK_EDITABLE (self->path_row), path);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
tt_preferences_window_choose_file_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(TtDbLocation) location = tt_preferences_window_get_location (self);
  GtkFileChooserNative *chooser;

  /* Save mode, so that a new file can be named too. */
  chooser = gtk_file_chooser_native_new (_("Choose a Database File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Select"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("SQLite Databases"));
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  if (location != NULL && location->backend == TT_DB_BACKEND_SQLITE)
    {
      g_autoptr(GFile) file = g_file_new_for_path (location->path);
      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL);
    }
  else
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "catalogue.db");

  g_signal_connect_object (chooser, "response",
                           G_CALLBACK (tt_preferences_window_chooser_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* A CA chosen is a CA to check against: verification goes on with it, as
 * a location's ca= turns it on (tt-db-location.c). GtkFileChooserNative,
 * as for the database file: GtkFileDialog needs GTK 4.10, and the code is
 * held to GTK 4.8's API (GDK_VERSION_MAX_ALLOWED). */
static void
tt_preferences_window_ca_chooser_cb (GtkNativeDialog *chooser,
                                     int              response,
                                     gpointer         user_data)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (user_data);
  g_autofree char *path = chosen_path (chooser, response);

  if (path != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->tls_ca_row), path);
      gtk_switch_set_active (self->tls_verify_switch, TRUE);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
tt_preferences_window_choose_ca_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose the CA Certificate"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Select"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  g_signal_connect_object (chooser, "response",
                           G_CALLBACK (tt_preferences_window_ca_chooser_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the object ------------------------------------------------------ */

static void
tt_preferences_window_dispose (GObject *object)
{
  TtPreferencesWindow *self = (TtPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->test_cancellable);
  /* A switch not finished is a switch not made: nobody would be left
   * to answer its question. Its end is not shown any more. */
  if (self->application != NULL)
    g_signal_handlers_disconnect_by_func (self->application,
                                          tt_preferences_window_catalogue_switch_cb, self);
  if (self->switch_signals != NULL)
    g_signal_group_set_target (self->switch_signals, NULL);
  if (self->following != NULL)
    tt_catalogue_switch_cancel (self->following);
  g_clear_object (&self->following);
  close_dialog (&self->question_dialog);
  close_dialog (&self->progress_dialog);

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (tt_preferences_window_parent_class)->dispose (object);
}

static void
tt_preferences_window_finalize (GObject *object)
{
  TtPreferencesWindow *self = (TtPreferencesWindow *)object;

  g_clear_object (&self->application);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->switch_signals);
  g_clear_pointer (&self->current, tt_db_location_free);
  g_clear_pointer (&self->current_password, tt_secret_password_free);
  g_clear_pointer (&self->new_location, tt_db_location_free);
  g_clear_pointer (&self->new_password, tt_secret_password_free);
  g_clear_pointer (&self->tested_location, tt_db_location_free);
  g_clear_pointer (&self->tested_password, tt_secret_password_free);
  g_clear_pointer (&self->test_said, g_free);
  g_clear_pointer (&self->test_subtitle, g_free);

  G_OBJECT_CLASS (tt_preferences_window_parent_class)->finalize (object);
}

static void
tt_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, tt_preferences_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_preferences_window_class_init (TtPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_preferences_window_dispose;
  object_class->finalize = tt_preferences_window_finalize;
  object_class->get_property = tt_preferences_window_get_property;

  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/TutorialTags/tt-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, backend_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, sqlite_group);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, mysql_group);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, path_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, host_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, port_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, port_spin);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, socket_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, tls_switch);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, tls_ca_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, tls_verify_switch);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, apply_spinner);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, apply_label);
  gtk_widget_class_bind_template_callback (widget_class, tt_preferences_window_changed_cb);

  gtk_widget_class_install_action (widget_class, "prefs.choose-file", NULL,
                                   tt_preferences_window_choose_file_action);
  gtk_widget_class_install_action (widget_class, "prefs.choose-ca", NULL,
                                   tt_preferences_window_choose_ca_action);
  gtk_widget_class_install_action (widget_class, "prefs.test", NULL,
                                   tt_preferences_window_test_action);
  gtk_widget_class_install_action (widget_class, "prefs.apply", NULL,
                                   tt_preferences_window_apply_action);
}

/* The host's /run/mysqld does not exist inside the sandbox: no socket
 * field there, and the group says what works instead. */
static void
tt_preferences_window_adapt_to_sandbox (TtPreferencesWindow *self)
{
  if (!tt_db_settings_in_flatpak ())
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->socket_row), FALSE);
  adw_preferences_group_set_description (self->mysql_group,
                                         _("This app runs in a sandbox that cannot reach the server’s Unix socket: for a server on this computer, use host 127.0.0.1."));
}

static void
tt_preferences_window_init (TtPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->switch_signals = g_signal_group_new (TT_TYPE_CATALOGUE_SWITCH);
  g_signal_group_connect_object (self->switch_signals, "notify::state",
                                 G_CALLBACK (tt_preferences_window_state_cb), self, 0);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->test_subtitle = g_strdup (adw_action_row_get_subtitle (self->test_row));
  tt_preferences_window_adapt_to_sandbox (self);
}
