/* tt-preferences-window.c: where the catalogue lives, and switching to another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Database page shows the location GSettings holds, with the MySQL
 * password from the keyring. "Test" probes what is typed, read-only.
 * "Switch to This Database" opens what is typed; only once that worked,
 * and once the current tutorials are copied there if the person wants
 * them, is anything saved and the application switched. Any failure on
 * the way leaves the settings, the keyring and the open catalogue alone.
 */

#define G_LOG_DOMAIN "tt-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-db-settings.h"
#include "tt-preferences-window.h"
#include "tt-error-table.h"
#include "tt-secret.h"

enum {
  BACKEND_ROW_SQLITE,
  BACKEND_ROW_MYSQL,
};

typedef struct
{
  gint64 n_tutorials;
  gint64 n_tags;
} Counts;

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
  GCancellable         *copy_cancellable;

  /* A switch under way: the store is open, not yet in use. */
  TtDbLocation         *new_location;
  char                 *new_password;
  TtStore              *new_store;
  GtkProgressBar       *progress_bar;
  AdwMessageDialog     *progress_dialog;

  guint                 loading : 1;
  guint                 looking_up : 1;
  guint                 testing : 1;
  guint                 switching : 1;
  guint                 keeping_password : 1;

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

  return self;
}

gboolean
tt_preferences_window_get_busy (TtPreferencesWindow *self)
{
  g_return_val_if_fail (TT_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->looking_up || self->testing || self->switching || self->keeping_password;
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
  location->socket = dup_text_or_null (self->socket_row);
  location->require_tls = gtk_switch_get_active (self->tls_switch);

  /* The socket replaces host and port, but a location always has a host. */
  if (location->host == NULL && location->socket != NULL)
    location->host = g_strdup ("localhost");
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
  return g_steal_pointer (&location);
}

static const char *
tt_preferences_window_get_password (TtPreferencesWindow *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

static gboolean
same_location (const TtDbLocation *a,
               const TtDbLocation *b)
{
  g_autofree char *a_text = tt_db_location_to_string (a);
  g_autofree char *b_text = tt_db_location_to_string (b);

  return g_strcmp0 (a_text, b_text) == 0;
}

/* Something to switch to: complete, and not what is in use already
 * (unless the password is new). */
static gboolean
tt_preferences_window_can_apply (TtPreferencesWindow *self)
{
  g_autoptr(TtDbLocation) location = tt_preferences_window_get_location (self);

  if (location == NULL)
    return FALSE;
  if (!same_location (location, self->current))
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
  g_autofree char *text = NULL;
  gboolean was_busy = tt_preferences_window_get_busy (self);

  /* Another test took over, or the window is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  text = probe != NULL ? describe_probe (probe) : tt_error_describe (error);
  adw_action_row_set_subtitle (self->test_row, text);
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
  tt_preferences_window_busy_changed (self, was_busy);

  tt_store_probe_async (location,
                        location->backend == TT_DB_BACKEND_MYSQL ? tt_preferences_window_get_password (self) : NULL,
                        self->test_cancellable,
                        tt_preferences_window_probe_cb, g_object_ref (self));
}

/* ---- Switch ---------------------------------------------------------- */

static void
tt_preferences_window_end_switch (TtPreferencesWindow *self)
{
  gboolean was_busy = tt_preferences_window_get_busy (self);

  if (self->new_store != NULL)
    tt_store_close (self->new_store);
  g_clear_object (&self->new_store);
  g_clear_pointer (&self->new_location, tt_db_location_free);
  g_clear_pointer (&self->new_password, tt_secret_password_free);
  show_spinner (self->apply_spinner, FALSE);
  self->switching = FALSE;
  tt_preferences_window_busy_changed (self, was_busy);
}

/* Nothing saved, the application keeps its catalogue. */
static void
tt_preferences_window_abandon (TtPreferencesWindow *self,
                               const char          *text)
{
  tt_preferences_window_say (self, text, TRUE);
  tt_preferences_window_end_switch (self);
}

static void
tt_preferences_window_secret_stored_cb (GObject      *object,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  g_autoptr(TtPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean was_busy = tt_preferences_window_get_busy (self);

  self->keeping_password = FALSE;
  tt_preferences_window_busy_changed (self, was_busy);
  if (tt_secret_store_finish (result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The switch stands; only the next start will ask in vain. */
  g_debug ("Could not keep the password in the keyring: %s", error->message);
  text = g_strdup_printf (_("The password could not be kept in the keyring: %s"), error->message);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
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

/* The new catalogue is open (and filled, when @report is given): from
 * here on it is the one in use. */
static void
tt_preferences_window_finish_switch (TtPreferencesWindow *self,
                                     const TtCopyReport  *report)
{
  g_autofree char *where = describe_location (self->new_location);
  g_autofree char *copied = report != NULL ? describe_report (report) : NULL;
  g_autofree char *text = NULL;

  if (self->settings != NULL)
    tt_db_location_save_to_settings (self->new_location, self->settings);
  /* Never in the settings: only the keyring keeps it. */
  if (self->new_location->backend == TT_DB_BACKEND_MYSQL)
    {
      self->keeping_password = TRUE;
      tt_secret_store_async (self->new_location, self->new_password, NULL,
                             tt_preferences_window_secret_stored_cb, g_object_ref (self));
    }

  tt_application_use_store (self->application, self->new_store);
  g_clear_object (&self->new_store);

  g_clear_pointer (&self->current, tt_db_location_free);
  self->current = tt_db_location_copy (self->new_location);
  g_clear_pointer (&self->current_password, tt_secret_password_free);
  self->current_password = g_strdup (self->new_password);

  text = g_strdup_printf (_("Now using %s."), where);
  if (copied != NULL)
    {
      g_autofree char *both = g_strdup_printf ("%s %s", text, copied);
      g_free (text);
      text = g_steal_pointer (&both);
    }
  tt_preferences_window_say (self, text, FALSE);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
  tt_preferences_window_end_switch (self);
}

static void
tt_preferences_window_copy_progress (guint64  done,
                                     guint64  total,
                                     gpointer user_data)
{
  TtPreferencesWindow *self = user_data;

  if (self->progress_bar != NULL && total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) done / (double) total);
}

static void
tt_preferences_window_close_progress (TtPreferencesWindow *self)
{
  if (self->progress_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->progress_dialog));
  self->progress_dialog = NULL;
  self->progress_bar = NULL;
}

static void
tt_preferences_window_copied_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(TtPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TtCopyReport report;

  tt_preferences_window_close_progress (self);
  if (tt_store_copy_into_finish (TT_STORE (object), result, &report, &error))
    {
      tt_preferences_window_finish_switch (self, &report);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup (_("The copy was cancelled. Nothing was changed in the new database, and you keep using your current catalogue."));
  else
    text = g_strdup_printf (_("Your tutorials could not be copied: %s Nothing was changed in the new database (the copy is all or nothing), and you keep using your current catalogue."),
                            error->message);
  tt_preferences_window_abandon (self, text);
}

static void
tt_preferences_window_progress_response_cb (TtPreferencesWindow *self,
                                            const char          *response)
{
  /* The dialog closes by itself; the copy's callback says the rest. */
  self->progress_dialog = NULL;
  self->progress_bar = NULL;
  g_cancellable_cancel (self->copy_cancellable);
}

static void
tt_preferences_window_start_copy (TtPreferencesWindow *self)
{
  TtStore *current = tt_application_get_store (self->application);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Copying Your Tutorials…"),
                                                       _("Nothing is changed in the new database until all of them are copied.")));
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  self->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (self->progress_bar));
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (tt_preferences_window_progress_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  self->progress_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));

  g_clear_object (&self->copy_cancellable);
  self->copy_cancellable = g_cancellable_new ();
  tt_store_copy_into_async (current, self->new_store, self->copy_cancellable,
                            tt_preferences_window_copy_progress, self,
                            tt_preferences_window_copied_cb, g_object_ref (self));
}

static void
tt_preferences_window_ask_response_cb (AdwMessageDialog    *dialog,
                                       const char          *response,
                                       TtPreferencesWindow *self)
{
  if (g_str_equal (response, "copy"))
    tt_preferences_window_start_copy (self);
  else if (g_str_equal (response, "as-is"))
    tt_preferences_window_finish_switch (self, NULL);
  else
    tt_preferences_window_abandon (self, _("Nothing was changed: you keep using your current catalogue."));
}

static void
tt_preferences_window_ask_copy (TtPreferencesWindow *self,
                                const Counts        *counts)
{
  g_autofree char *what = describe_counts (counts->n_tutorials, counts->n_tags);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: %s is "12 tutorials and 4 tags". */
  body = g_strdup_printf (_("Your current catalogue holds %s. Copying adds them to the new database and merges tags of the same name; otherwise they stay where they are."),
                          what);
  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("Copy your current tutorials into the new database?"),
                                   body);
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
  gtk_window_present (GTK_WINDOW (dialog));
}

/* On the current store's worker thread. */
static gpointer
count_job (TtStore  *store,
           gpointer  data,
           GError  **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GListModel) tags = NULL;
  Counts *counts;

  if (!(ids = tt_store_list_tutorial_ids (store, NULL, error)) ||
      !(tags = tt_store_list_tags (store, FALSE, error)))
    return NULL;

  counts = g_new0 (Counts, 1);
  counts->n_tutorials = ids->len;
  counts->n_tags = g_list_model_get_n_items (tags);
  return counts;
}

static void
tt_preferences_window_counted_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(TtPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree Counts *counts = tt_store_run_finish (TT_STORE (object), result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (counts == NULL)
    {
      g_autofree char *reason = tt_error_describe (error);

      text = g_strdup_printf (_("Your current catalogue could not be read: %s"), reason);
      tt_preferences_window_abandon (self, text);
    }
  else if (counts->n_tutorials == 0 && counts->n_tags == 0)
    tt_preferences_window_finish_switch (self, NULL);
  else
    tt_preferences_window_ask_copy (self, counts);
}

static void
tt_preferences_window_opened_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(TtPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  TtStore *current = tt_application_get_store (self->application);

  self->new_store = tt_store_open_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (self->new_store == NULL)
    {
      g_autofree char *reason = tt_error_describe (error);
      g_autofree char *text = g_strdup_printf (_("Could not switch: %s"), reason);

      tt_preferences_window_abandon (self, text);
      return;
    }

  /* Nothing to copy from, or the same database under a new password. */
  if (current == NULL || same_location (self->new_location, self->current))
    {
      tt_preferences_window_finish_switch (self, NULL);
      return;
    }

  tt_preferences_window_say (self, _("Looking at your current catalogue…"), FALSE);
  tt_store_run_async (current, count_job, NULL, NULL, g_free, self->cancellable,
                      tt_preferences_window_counted_cb, g_object_ref (self));
}

static void
tt_preferences_window_apply_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (widget);
  gboolean was_busy = tt_preferences_window_get_busy (self);

  if (self->switching || !tt_preferences_window_can_apply (self))
    return;

  self->new_location = tt_preferences_window_get_location (self);
  if (self->new_location->backend == TT_DB_BACKEND_MYSQL)
    self->new_password = g_strdup (tt_preferences_window_get_password (self));
  self->switching = TRUE;
  show_spinner (self->apply_spinner, TRUE);
  tt_preferences_window_say (self, _("Opening the database…"), FALSE);
  tt_preferences_window_busy_changed (self, was_busy);

  tt_store_open_async (self->new_location, self->new_password, self->cancellable,
                       tt_preferences_window_opened_cb, g_object_ref (self));
}

/* ---- Choose… --------------------------------------------------------- */

static void
tt_preferences_window_chooser_cb (GtkNativeDialog     *chooser,
                                  int                  response,
                                  TtPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
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

/* ---- the object ------------------------------------------------------ */

static void
tt_preferences_window_dispose (GObject *object)
{
  TtPreferencesWindow *self = (TtPreferencesWindow *)object;

  /* A switch not finished is a switch not made. */
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->test_cancellable);
  g_cancellable_cancel (self->copy_cancellable);
  tt_preferences_window_close_progress (self);
  if (self->new_store != NULL)
    tt_store_close (self->new_store);
  g_clear_object (&self->new_store);

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
  g_clear_object (&self->copy_cancellable);
  g_clear_pointer (&self->current, tt_db_location_free);
  g_clear_pointer (&self->current_password, tt_secret_password_free);
  g_clear_pointer (&self->new_location, tt_db_location_free);
  g_clear_pointer (&self->new_password, tt_secret_password_free);

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
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, apply_spinner);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, apply_label);
  gtk_widget_class_bind_template_callback (widget_class, tt_preferences_window_changed_cb);

  gtk_widget_class_install_action (widget_class, "prefs.choose-file", NULL,
                                   tt_preferences_window_choose_file_action);
  gtk_widget_class_install_action (widget_class, "prefs.test", NULL,
                                   tt_preferences_window_test_action);
  gtk_widget_class_install_action (widget_class, "prefs.apply", NULL,
                                   tt_preferences_window_apply_action);
}

static void
tt_preferences_window_init (TtPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
