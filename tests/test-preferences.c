/* test-preferences.c: the Preferences window switching catalogues, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real TtApplication (not unique, so it needs no bus name) opens a
 * SQLite catalogue that GSettings names; the test opens Preferences
 * through app.preferences and drives it through its rows and buttons:
 * Test connection against the MariaDB of the test environment, then a
 * switch to it with a copy, then back to the file as it is. Settings use
 * the memory backend, read back in this process; the password goes to
 * the keyring the test command runs in the D-Bus session.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tt-application.h"
#include "tt-gda-autocleanups.h"
#include "tt-db-settings.h"
#include "tt-error-table.h"
#include "tt-preferences-window.h"
#include "tt-secret.h"
#include "tt-test-display.h"
#include "tt-tutorial-editor.h"
#include "tt-window.h"

#define WAIT_SECONDS 30

typedef struct
{
  TtApplication       *app;
  TtPreferencesWindow *prefs;
  TtDbLocation        *sqlite;
  TtDbLocation        *mysql;
} Harness;

/* ---- waiting --------------------------------------------------------- */

typedef gboolean (*Condition) (Harness *h);

static void
wait_until (Harness    *h,
            Condition   condition,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!condition (h))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited %d s in vain for %s", WAIT_SECONDS, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
has_store (Harness *h)
{
  return tt_application_get_store (h->app) != NULL;
}

static gboolean
prefs_idle (Harness *h)
{
  return !tt_preferences_window_get_busy (h->prefs);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
has_dialog (Harness *h)
{
  return find_dialog () != NULL;
}

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* ---- the widgets ----------------------------------------------------- */

static gpointer
child (Harness    *h,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (h->prefs),
                                                   TT_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static void
set_row (Harness    *h,
         const char *name,
         const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (h, name)), text);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkButton *
find_button (GtkWidget  *root,
             const char *label)
{
  return GTK_BUTTON (tt_test_find_widget (root, is_button_labelled, label));
}

/* Presses a button as a person does. */
static void
click (GtkWidget  *root,
       const char *label)
{
  GtkButton *button = find_button (root, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
apply_enabled (Harness *h)
{
  return gtk_widget_is_sensitive (GTK_WIDGET (find_button (GTK_WIDGET (h->prefs),
                                                           "_Switch to This Database")));
}

static void
type_mysql (Harness    *h,
            const char *password)
{
  adw_combo_row_set_selected (child (h, "backend_row"), 1);
  set_row (h, "host_row", h->mysql->host);
  gtk_spin_button_set_value (child (h, "port_spin"), h->mysql->port);
  set_row (h, "database_row", h->mysql->database);
  set_row (h, "user_row", h->mysql->user);
  set_row (h, "socket_row", "");
  set_row (h, "password_row", password);
}

static const char *
test_result (Harness *h)
{
  click (GTK_WIDGET (h->prefs), "_Test");
  g_assert_true (tt_preferences_window_get_busy (h->prefs));
  wait_until (h, prefs_idle, "the connection test");
  return adw_action_row_get_subtitle (child (h, "test_row"));
}

/* ---- the harness ----------------------------------------------------- */

/* tests/meson.build runs /preferences/keyring-unavailable alone, on a
 * D-Bus session of its own where nothing can own org.freedesktop.secrets
 * (tests/session-no-services.conf), and says so with this variable. */
static gboolean
no_secret_service (void)
{
  return g_strcmp0 (g_getenv ("TT_TEST_NO_SECRET_SERVICE"), "1") == 0;
}


/* A file with three tutorials and two tags, named in the settings. */
static void
make_sqlite (Harness *h)
{
  static const char * const tags_1[] = { "GTK", "C", NULL };
  static const char * const tags_2[] = { "GTK", NULL };
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "source.db", NULL);
  g_autoptr(GSettings) settings = tt_db_settings_new ();
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) t1 = NULL, t2 = NULL, t3 = NULL, tagged = NULL;

  g_assert_nonnull (settings);
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  h->sqlite = tt_db_location_new_sqlite (path);
  store = tt_store_open (h->sqlite, NULL, &error);
  g_assert_no_error (error);
  t1 = tt_store_create_tutorial (store, "Widgets", "Buttons and rows", &error);
  g_assert_no_error (error);
  t2 = tt_store_create_tutorial (store, "Signals", "", &error);
  g_assert_no_error (error);
  t3 = tt_store_create_tutorial (store, "Untagged", "", &error);
  g_assert_no_error (error);
  tagged = tt_store_set_tutorial_tags (store, tt_tutorial_get_id (t1), tags_1, &error);
  g_assert_no_error (error);
  g_clear_object (&tagged);
  tagged = tt_store_set_tutorial_tags (store, tt_tutorial_get_id (t2), tags_2, &error);
  g_assert_no_error (error);
  tt_store_close (store);

  tt_db_location_save_to_settings (h->sqlite, settings);
}

/* @with_keyring: the test needs a Secret Service (every test but the one
 * that runs without, see no_secret_service()). */
static gboolean
harness_open_full (Harness  *h,
                   gboolean  with_keyring)
{
  static guint n_apps;
  g_autoptr(TtStore) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  /* An empty MySQL database of this test's own (TT_TEST_MYSQL_DATABASE). */
  if ((with_keyring && !tt_test_keyring_available ()) || !(empty = tt_test_open_store ()))
    return FALSE;
  tt_store_close (empty);
  /* No tables at all: the database as an administrator hands it out. */
  tt_test_drop_mysql_tables ();
  h->mysql = tt_db_location_copy (tt_test_location ());

  make_sqlite (h);
  /* The application is exported on the session bus until it is
   * finalized, which pending keyring calls can delay: a name per test. */
  id = g_strdup_printf ("com.example.TutorialTags.TestPreferences%u", ++n_apps);
  h->app = tt_application_new (id, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (h->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (h->app));
  wait_until (h, has_store, "the catalogue to open");
  g_assert_cmpint (tt_store_get_backend (tt_application_get_store (h->app)), ==, TT_DB_BACKEND_SQLITE);

  g_action_group_activate_action (G_ACTION_GROUP (h->app), "preferences", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (h->app)); l != NULL; l = l->next)
    if (TT_IS_PREFERENCES_WINDOW (l->data))
      h->prefs = l->data;
  g_assert_nonnull (h->prefs);
  wait_until (h, prefs_idle, "the keyring");
  return TRUE;
}

static gboolean
harness_open (Harness *h)
{
  return harness_open_full (h, TRUE);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  tt_secret_clear_finish (result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The keyring is shared by the whole test run: leave no password behind
 * for the next test to find. */
static void
forget_password (const TtDbLocation *location)
{
  gboolean cleared = FALSE;

  tt_secret_clear_async (location, NULL, cleared_cb, &cleared);
  while (!cleared)
    g_main_context_iteration (NULL, TRUE);
}

static void
harness_close (Harness *h)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (h->app)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (!no_secret_service ())
    forget_password (h->mysql);
  g_clear_object (&h->app);
  g_clear_pointer (&h->sqlite, tt_db_location_free);
  g_clear_pointer (&h->mysql, tt_db_location_free);
}

/* ---- tests ----------------------------------------------------------- */

static void
test_preferences_fields (void)
{
  Harness h = { 0 };

  if (!harness_open (&h))
    return;

  /* Filled from the settings: the file in use, nothing to switch to. */
  g_assert_cmpint (adw_combo_row_get_selected (child (&h, "backend_row")), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (child (&h, "path_row")), ==, h.sqlite->path);
  g_assert_false (gtk_widget_get_visible (child (&h, "mysql_group")));
  g_assert_false (apply_enabled (&h));

  /* Incomplete: no user yet. */
  type_mysql (&h, "");
  set_row (&h, "user_row", "");
  g_assert_true (gtk_widget_get_visible (child (&h, "mysql_group")));
  g_assert_false (apply_enabled (&h));
  set_row (&h, "user_row", h.mysql->user);
  g_assert_true (apply_enabled (&h));

  /* Back to the file in use: nothing to switch to again. */
  adw_combo_row_set_selected (child (&h, "backend_row"), 0);
  g_assert_false (apply_enabled (&h));

  harness_close (&h);
}

static gboolean
has_chooser (Harness *h)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
path_changed (Harness *h)
{
  return g_strcmp0 (gtk_editable_get_text (child (h, "path_row")), h->sqlite->path) != 0;
}

/* Without a portal the native chooser is GTK's own dialog: pick a new
 * name there, and the row gets it with the ending the file will have. */
static void
test_preferences_choose_file (void)
{
  Harness h = { 0 };
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autofree char *dir = NULL;
  g_autofree char *expected = NULL;

  if (!harness_open (&h))
    return;

  dir = g_path_get_dirname (h.sqlite->path);
  expected = g_build_filename (dir, "team.db", NULL);
  gtk_widget_activate_action (GTK_WIDGET (h.prefs), "prefs.choose-file", NULL);
  wait_until (&h, has_chooser, "the file chooser");

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (!GTK_IS_FILE_CHOOSER (window))
        continue;
      /* The chooser opens in the folder of the file in use. */
      spin (500);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (window), "team");
      click (GTK_WIDGET (window), "_Select");
      break;
    }

  wait_until (&h, path_changed, "the chosen file");
  g_assert_cmpstr (gtk_editable_get_text (child (&h, "path_row")), ==, expected);
  g_assert_true (apply_enabled (&h));
  harness_close (&h);
}

static void
test_preferences_test_connection (void)
{
  g_autoptr(GError) denied = g_error_new_literal (TT_STORE_ERROR, TT_STORE_ERROR_ACCESS_DENIED, "");
  Harness h = { 0 };
  const char *text;

  if (!harness_open (&h))
    return;

  type_mysql (&h, "not-the-password");
  text = test_result (&h);
  g_test_message ("Wrong password: %s", text);
  g_assert_nonnull (strstr (text, tt_error_get_hint (denied)));
  g_assert_false (g_str_has_prefix (text, "Connected"));

  type_mysql (&h, tt_test_password ());
  text = test_result (&h);
  g_assert_cmpstr (text, ==, "Connected. The database is empty: the catalogue will be created."
                   " Changes made by others are read from the change journal.");

  /* The file in use, as typed: what it holds. */
  adw_combo_row_set_selected (child (&h, "backend_row"), 0);
  text = test_result (&h);
  g_assert_cmpstr (text, ==, "Connected. It holds 3 tutorials and 2 tags.");

  /* Testing changed nothing. */
  g_assert_cmpint (tt_store_get_backend (tt_application_get_store (h.app)), ==, TT_DB_BACKEND_SQLITE);
  harness_close (&h);
}

static guint
count_tutorials (const TtDbLocation *location,
                 const char         *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (location, password, &error);
  g_autoptr(GArray) ids = NULL;

  g_assert_no_error (error);
  ids = tt_store_list_tutorial_ids (store, NULL, &error);
  g_assert_no_error (error);
  tt_store_close (store);
  return ids->len;
}

static void
test_preferences_switch (void)
{
  Harness h = { 0 };
  g_autoptr(TtDbLocation) saved = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *password = NULL;
  TtStore *before;
  GtkWindow *main_window;
  const char *said;

  if (!harness_open (&h))
    return;
  before = tt_application_get_store (h.app);
  main_window = NULL;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (h.app)); l != NULL; l = l->next)
    if (TT_IS_WINDOW (l->data))
      main_window = l->data;
  g_assert_nonnull (main_window);

  /* SQLite → MySQL, copying the three tutorials. */
  type_mysql (&h, tt_test_password ());
  click (GTK_WIDGET (h.prefs), "_Switch to This Database");
  wait_until (&h, has_dialog, "the question whether to copy");
  click (GTK_WIDGET (find_dialog ()), "_Copy My Tutorials");
  wait_until (&h, prefs_idle, "the switch");

  said = gtk_label_get_text (child (&h, "apply_label"));
  g_test_message ("%s", said);
  g_assert_true (g_str_has_prefix (said, "Now using “"));
  g_assert_nonnull (strstr (said, "Copied 3 tutorials and 2 tags."));
  g_assert_true (tt_application_get_store (h.app) != before);
  g_assert_cmpint (tt_store_get_backend (tt_application_get_store (h.app)), ==, TT_DB_BACKEND_MYSQL);
  /* The window reloaded on the new catalogue. */
  g_assert_true (tt_controller_get_store (tt_window_get_controller (TT_WINDOW (main_window))) == tt_application_get_store (h.app));
  g_assert_cmpuint (count_tutorials (h.mysql, tt_test_password ()), ==, 3);

  settings = tt_db_settings_new ();
  saved = tt_db_location_new_from_settings (settings);
  g_assert_cmpint (saved->backend, ==, TT_DB_BACKEND_MYSQL);
  g_assert_cmpstr (saved->database, ==, h.mysql->database);
  g_assert_cmpuint (saved->port, ==, h.mysql->port);
  wait_until (&h, prefs_idle, "the keyring");
  password = tt_secret_lookup_sync (h.mysql, NULL, NULL);
  g_assert_cmpstr (password, ==, tt_test_password ());
  g_assert_false (apply_enabled (&h));

  /* Back to the file, as it is: nothing copied back. */
  adw_combo_row_set_selected (child (&h, "backend_row"), 0);
  g_assert_cmpstr (gtk_editable_get_text (child (&h, "path_row")), ==, h.sqlite->path);
  click (GTK_WIDGET (h.prefs), "_Switch to This Database");
  wait_until (&h, has_dialog, "the question whether to copy");
  click (GTK_WIDGET (find_dialog ()), "_Use It as It Is");
  wait_until (&h, prefs_idle, "the switch back");

  g_assert_cmpint (tt_store_get_backend (tt_application_get_store (h.app)), ==, TT_DB_BACKEND_SQLITE);
  g_assert_true (tt_controller_get_store (tt_window_get_controller (TT_WINDOW (main_window))) == tt_application_get_store (h.app));
  g_clear_pointer (&saved, tt_db_location_free);
  saved = tt_db_location_new_from_settings (settings);
  g_assert_cmpint (saved->backend, ==, TT_DB_BACKEND_SQLITE);
  g_assert_cmpstr (saved->path, ==, h.sqlite->path);
  g_assert_cmpuint (count_tutorials (h.sqlite, NULL), ==, 3);
  g_assert_cmpuint (count_tutorials (h.mysql, tt_test_password ()), ==, 3);

  harness_close (&h);
}

/* app.switch-catalogue runs the same switch; Preferences follows it,
 * asks the question and shows the new catalogue once it is in use. */
static void
test_preferences_switch_action (void)
{
  Harness h = { 0 };
  g_autoptr(TtDbLocation) other = NULL;
  g_autoptr(TtDbLocation) saved = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *expected = NULL;
  TtStore *before;

  if (!harness_open (&h))
    return;
  before = tt_application_get_store (h.app);
  dir = g_path_get_dirname (h.sqlite->path);
  path = g_build_filename (dir, "other.db", NULL);
  other = tt_db_location_new_sqlite (path);
  uri = tt_db_location_to_string (other);

  g_action_group_activate_action (G_ACTION_GROUP (h.app), "switch-catalogue",
                                  g_variant_new_string (uri));
  g_assert_nonnull (tt_application_get_catalogue_switch (h.app));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (h.app), "switch-catalogue"));
  g_assert_true (tt_preferences_window_get_busy (h.prefs));
  g_assert_false (apply_enabled (&h));
  wait_until (&h, has_dialog, "the question whether to copy");
  click (GTK_WIDGET (find_dialog ()), "_Copy My Tutorials");
  wait_until (&h, prefs_idle, "the switch");

  expected = g_strdup_printf ("Now using %s. Copied 3 tutorials and 2 tags.", path);
  g_assert_cmpstr (gtk_label_get_text (child (&h, "apply_label")), ==, expected);
  g_assert_null (tt_application_get_catalogue_switch (h.app));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (h.app), "switch-catalogue"));
  g_assert_true (tt_application_get_store (h.app) != before);
  g_assert_cmpuint (count_tutorials (other, NULL), ==, 3);
  settings = tt_db_settings_new ();
  saved = tt_db_location_new_from_settings (settings);
  g_assert_cmpstr (saved->path, ==, path);
  /* The fields show what is in use now: nothing to switch to. */
  g_assert_cmpstr (gtk_editable_get_text (child (&h, "path_row")), ==, path);
  g_assert_false (apply_enabled (&h));

  harness_close (&h);
}

static gboolean
app_not_switching (Harness *h)
{
  return tt_application_get_catalogue_switch (h->app) == NULL;
}

/* Closing Preferences at the question: nobody is left to answer, so the
 * switch is cancelled and nothing changes. */
static void
test_preferences_closed_mid_switch (void)
{
  Harness h = { 0 };
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TtDbLocation) saved = NULL;
  TtStore *before;

  if (!harness_open (&h))
    return;
  before = tt_application_get_store (h.app);

  type_mysql (&h, tt_test_password ());
  click (GTK_WIDGET (h.prefs), "_Switch to This Database");
  wait_until (&h, has_dialog, "the question whether to copy");
  gtk_window_destroy (GTK_WINDOW (h.prefs));
  h.prefs = NULL;
  wait_until (&h, app_not_switching, "the switch to end");

  g_assert_true (tt_application_get_store (h.app) == before);
  g_assert_null (find_dialog ());
  settings = tt_db_settings_new ();
  saved = tt_db_location_new_from_settings (settings);
  g_assert_cmpint (saved->backend, ==, TT_DB_BACKEND_SQLITE);

  harness_close (&h);
}

static TtWindow *
main_window (Harness *h)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (h->app)); l != NULL; l = l->next)
    if (TT_IS_WINDOW (l->data))
      return l->data;
  g_assert_not_reached ();
}

static gpointer
window_child (Harness    *h,
              const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (main_window (h)), TT_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static TtTutorial *
shown_tutorial (Harness *h)
{
  AdwBin *slot = window_child (h, "editor_slot");

  return tt_tutorial_editor_get_tutorial (TT_TUTORIAL_EDITOR (adw_bin_get_child (slot)));
}

static gboolean
window_idle (Harness *h)
{
  TtController *controller = tt_window_get_controller (main_window (h));

  return controller != NULL && !tt_controller_get_busy (controller);
}

static gboolean
three_listed (Harness *h)
{
  return window_idle (h) &&
         g_list_model_get_n_items (tt_controller_get_tutorials (tt_window_get_controller (main_window (h)))) == 3;
}

static gboolean
one_listed (Harness *h)
{
  return window_idle (h) &&
         g_list_model_get_n_items (tt_controller_get_tutorials (tt_window_get_controller (main_window (h)))) == 1;
}

/* Nothing of the old catalogue is left in the window: no selection, no
 * tutorial in the editor, no search, the new catalogue's list. */
static void
test_preferences_switch_resets_window (void)
{
  Harness h = { 0 };
  g_autoptr(TtStore) file = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(GError) error = NULL;
  GtkSelectionModel *selection;
  GtkSearchBar *search_bar;
  GtkWidget *editor;
  gint64 id;

  if (!harness_open (&h))
    return;

  wait_until (&h, three_listed, "the tutorials of the file");
  search_bar = window_child (&h, "search_bar");
  gtk_widget_activate_action (GTK_WIDGET (main_window (&h)), "win.search", NULL);
  gtk_editable_set_text (window_child (&h, "search_entry"), "Widgets");
  wait_until (&h, one_listed, "the search");
  selection = gtk_grid_view_get_model (window_child (&h, "tutorial_list"));
  gtk_selection_model_select_item (selection, 0, TRUE);
  g_assert_nonnull (shown_tutorial (&h));

  type_mysql (&h, tt_test_password ());
  click (GTK_WIDGET (h.prefs), "_Switch to This Database");
  wait_until (&h, has_dialog, "the question whether to copy");
  /* Typed just before the switch, while the save waits for a pause. */
  id = tt_tutorial_get_id (shown_tutorial (&h));
  editor = adw_bin_get_child (window_child (&h, "editor_slot"));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (editor, TT_TYPE_TUTORIAL_EDITOR, "title_row")),
                         "Typed before the switch");
  click (GTK_WIDGET (find_dialog ()), "_Use It as It Is");
  wait_until (&h, prefs_idle, "the switch");
  wait_until (&h, window_idle, "the new catalogue to load");
  spin (800);

  /* The typed title went to the file it was typed for, and no draft
   * came along to the server. */
  g_assert_cmpuint (tt_controller_get_busy (tt_window_get_controller (main_window (&h))), ==, FALSE);
  file = tt_store_open (h.sqlite, NULL, &error);
  g_assert_no_error (error);
  tutorial = tt_store_get_tutorial (file, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tutorial_get_title (tutorial), ==, "Typed before the switch");
  tt_store_close (file);

  g_assert_null (shown_tutorial (&h));
  g_assert_cmpuint (gtk_bitset_get_size (gtk_selection_model_get_selection (selection)), ==, 0);
  g_assert_false (gtk_search_bar_get_search_mode (search_bar));
  g_assert_cmpstr (gtk_editable_get_text (window_child (&h, "search_entry")), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 0);

  harness_close (&h);
}

/* The visible dialog whose heading is @heading. */
static AdwMessageDialog *
find_dialog_saying (const char *start)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          g_str_has_prefix (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (window)), start))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Cancel in the copy's progress: nothing reaches the new database, the
 * app keeps its file, the settings keep pointing at it. */
static void
test_preferences_copy_cancelled (void)
{
  Harness h = { 0 };
  g_autoptr(TtStore) file = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TtDbLocation) saved = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *progress;
  TtStore *before;

  if (!harness_open (&h))
    return;
  before = tt_application_get_store (h.app);

  /* Enough to copy that the copy is still running at the click. */
  file = tt_store_open (h.sqlite, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 2000; i++)
    {
      g_autofree char *title = g_strdup_printf ("Many %04d", i);
      g_autoptr(TtTutorial) tutorial = tt_store_create_tutorial (file, title, "", &error);

      g_assert_no_error (error);
    }
  tt_store_close (file);

  type_mysql (&h, tt_test_password ());
  click (GTK_WIDGET (h.prefs), "_Switch to This Database");
  wait_until (&h, has_dialog, "the question whether to copy");
  click (GTK_WIDGET (find_dialog ()), "_Copy My Tutorials");
  progress = find_dialog_saying ("Copying your tutorials…");
  g_assert_nonnull (progress);
  click (GTK_WIDGET (progress), "_Cancel");
  wait_until (&h, prefs_idle, "the cancelled copy");

  g_assert_cmpstr (gtk_label_get_text (child (&h, "apply_label")), ==,
                   "The copy was cancelled. Nothing was changed in the new database, and you keep using your current catalogue.");
  g_assert_true (tt_application_get_store (h.app) == before);
  g_assert_cmpuint (count_tutorials (h.mysql, tt_test_password ()), ==, 0);
  settings = tt_db_settings_new ();
  saved = tt_db_location_new_from_settings (settings);
  g_assert_cmpint (saved->backend, ==, TT_DB_BACKEND_SQLITE);

  harness_close (&h);
}

/* A switch that cannot open the database, or is cancelled, changes
 * nothing. */
static void
test_preferences_switch_fails (void)
{
  Harness h = { 0 };
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TtDbLocation) saved = NULL;
  TtStore *before;

  if (!harness_open (&h))
    return;
  before = tt_application_get_store (h.app);

  type_mysql (&h, "not-the-password");
  click (GTK_WIDGET (h.prefs), "_Switch to This Database");
  wait_until (&h, prefs_idle, "the failed switch");

  g_assert_true (g_str_has_prefix (gtk_label_get_text (child (&h, "apply_label")), "Could not switch. "));
  g_assert_true (tt_application_get_store (h.app) == before);
  settings = tt_db_settings_new ();
  saved = tt_db_location_new_from_settings (settings);
  g_assert_cmpint (saved->backend, ==, TT_DB_BACKEND_SQLITE);
  g_assert_true (apply_enabled (&h));

  /* Opened, then Cancel at the question: nothing saved either. */
  type_mysql (&h, tt_test_password ());
  click (GTK_WIDGET (h.prefs), "_Switch to This Database");
  wait_until (&h, has_dialog, "the question whether to copy");
  click (GTK_WIDGET (find_dialog ()), "_Cancel");
  wait_until (&h, prefs_idle, "the cancelled switch");
  g_assert_cmpstr (gtk_label_get_text (child (&h, "apply_label")), ==,
                   "Nothing was changed: you keep using your current catalogue.");
  g_assert_true (tt_application_get_store (h.app) == before);
  g_clear_pointer (&saved, tt_db_location_free);
  saved = tt_db_location_new_from_settings (settings);
  g_assert_cmpint (saved->backend, ==, TT_DB_BACKEND_SQLITE);
  g_assert_true (apply_enabled (&h));

  harness_close (&h);
}

/* ---- every state in sight --------------------------------------------- */

/* @widget is on screen, whole, inside what the page's scrolled window
 * shows of it (at the window's 800 px). */
static void
assert_in_view (Harness    *h,
                const char *name)
{
  GtkWidget *widget = child (h, name);
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  /* The page scrolls after the layout of the frame that shows @widget. */
  spin (500);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (h->prefs)), <=, 800);
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_nonnull (scrolled);
  g_assert_true (gtk_widget_compute_bounds (widget, scrolled, &bounds));
  g_test_message ("%s: y %.0f to %.0f, the page shows 0 to %d", name, bounds.origin.y,
                  bounds.origin.y + bounds.size.height, gtk_widget_get_height (scrolled));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scrolled));
}

/* Each line a sentence of ours: a full stop at its end. */
static void
assert_sentences (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_true (g_str_has_suffix (lines[i], ".") || g_str_has_suffix (lines[i], ".”"));
}

static gboolean
is_toast (GtkWidget     *widget,
          gconstpointer  data)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget");
}

static gboolean
prefs_laid_out (Harness *h)
{
  return gtk_widget_get_height (GTK_WIDGET (h->prefs)) > 0;
}

/* A wrong password, then the right one, then the switch, at 800 px:
 * what each step says is in sight, in sentences of ours, and says it
 * once; Switch is not offered for what the last Test found wrong. */
static void
test_preferences_wrong_password (void)
{
  g_autoptr(GError) denied = g_error_new_literal (TT_STORE_ERROR, TT_STORE_ERROR_ACCESS_DENIED, "");
  g_autofree char *detail = NULL;
  g_autofree char *ours = tt_error_describe_connection (denied, &detail);
  Harness h = { 0 };
  const char *text;

  if (!harness_open (&h))
    return;
  /* Its default height, 800 px, is what it is tried at. */
  wait_until (&h, prefs_laid_out, "the window on screen");

  type_mysql (&h, "not-the-password");
  text = test_result (&h);
  g_test_message ("Test: %s", text);
  g_assert_true (g_str_has_prefix (text, ours));
  g_assert_nonnull (strstr (text, "Access denied"));
  assert_sentences (text);
  assert_in_view (&h, "test_row");
  g_assert_false (apply_enabled (&h));

  /* Another password: what the Test said is not about it; Switch again,
   * and its error where it is seen. */
  set_row (&h, "password_row", "not-it-either");
  g_assert_true (apply_enabled (&h));
  g_assert_null (strstr (adw_action_row_get_subtitle (child (&h, "test_row")), ours));
  set_row (&h, "password_row", "not-the-password");
  g_assert_false (apply_enabled (&h));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (child (&h, "test_row")), ours));
  set_row (&h, "password_row", "not-it-either");
  click (GTK_WIDGET (h.prefs), "_Switch to This Database");
  wait_until (&h, prefs_idle, "the failed switch");
  text = gtk_label_get_text (child (&h, "apply_label"));
  g_test_message ("Switch: %s", text);
  g_assert_nonnull (strstr (text, ours));
  assert_sentences (text);
  g_assert_true (gtk_widget_has_css_class (child (&h, "apply_label"), "error"));
  assert_in_view (&h, "apply_label");
  tt_test_save_screenshot (GTK_WIDGET (h.prefs), "preferences-wrong-password.png");

  /* The right one: the error is gone with what it was about. */
  set_row (&h, "password_row", tt_test_password ());
  text = test_result (&h);
  g_assert_true (g_str_has_prefix (text, "Connected."));
  g_assert_false (gtk_widget_get_visible (child (&h, "apply_label")));
  g_assert_true (apply_enabled (&h));

  /* Switched: said once, where it stays, and in sight. */
  click (GTK_WIDGET (h.prefs), "_Switch to This Database");
  wait_until (&h, has_dialog, "the question whether to copy");
  click (GTK_WIDGET (find_dialog ()), "_Copy My Tutorials");
  wait_until (&h, prefs_idle, "the switch");
  text = gtk_label_get_text (child (&h, "apply_label"));
  g_assert_true (g_str_has_prefix (text, "Now using “"));
  g_assert_false (gtk_widget_has_css_class (child (&h, "apply_label"), "error"));
  assert_in_view (&h, "apply_label");
  g_assert_null (tt_test_find_widget (GTK_WIDGET (h.prefs), is_toast, NULL));
  tt_test_save_screenshot (GTK_WIDGET (h.prefs), "preferences-switched.png");

  harness_close (&h);
}

/* The backend chosen is read whole in its row at the window's default
 * size ("MySQL or MariaDB Server", German "MySQL- oder MariaDB-Server"),
 * not cut short next to the row's title. */
static void
test_preferences_labels_fit (void)
{
  Harness h = { 0 };
  AdwComboRow *backend_row;
  GtkWidget *label;
  const char *chosen;

  if (!harness_open (&h))
    return;
  wait_until (&h, prefs_laid_out, "the window on screen");

  backend_row = child (&h, "backend_row");
  for (guint i = 0; i < 2; i++)
    {
      adw_combo_row_set_selected (backend_row, i);
      spin (300);
      chosen = gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (backend_row)), i);
      label = tt_test_find_widget (GTK_WIDGET (backend_row), tt_test_is_label_of, chosen);
      g_assert_nonnull (label);
      g_test_message ("“%s”: %d px", chosen, gtk_widget_get_width (label));
      tt_test_assert_translated (chosen, i == 0 ? "SQLite File" : "MySQL or MariaDB Server");
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
    }
  tt_test_save_screenshot (GTK_WIDGET (h.prefs), "preferences-backend.png");

  harness_close (&h);
}

/* Inside Flatpak the host's /run/mysqld cannot be reached: no socket
 * row, and the group says what to use instead. The sandbox is recognised
 * by /.flatpak-info; the test names another file, there or not. */
static void
check_socket_row (gboolean in_flatpak)
{
  g_autofree char *info = g_build_filename (g_get_tmp_dir (), "flatpak-info", NULL);
  Harness h = { 0 };
  const char *description;

  g_assert_true (g_file_set_contents (info, "[Application]\nname=com.example.TutorialTags\n", -1, NULL));
  if (!in_flatpak)
    g_unlink (info);
  tt_db_settings_set_flatpak_info_path (info);
  if (!harness_open (&h))
    return;

  g_assert_true (gtk_widget_get_visible (child (&h, "socket_row")) == !in_flatpak);
  description = adw_preferences_group_get_description (child (&h, "mysql_group"));
  g_assert_true ((description != NULL && strstr (description, "127.0.0.1") != NULL) == in_flatpak);

  harness_close (&h);
  tt_db_settings_set_flatpak_info_path (NULL);
  g_unlink (info);
}

static void
test_preferences_socket_outside_flatpak (void)
{
  check_socket_row (FALSE);
}

static void
test_preferences_socket_in_flatpak (void)
{
  check_socket_row (TRUE);
}

static void
assert_keyring_unavailable (const TtDbLocation *location)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tt_secret_store_async (location, "x", NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  g_assert_false (tt_secret_store_finish (result, &error));
  g_assert_error (error, TT_SECRET_ERROR, TT_SECRET_ERROR_UNAVAILABLE);
}

/* Where no Secret portal and no Secret Service answer (a Flatpak on a
 * desktop without either): the switch stands, and Preferences says, where
 * it stays, that the password was not saved and will be asked for again. */
static void
test_preferences_keyring_unavailable (void)
{
  Harness h = { 0 };
  const char *said;

  if (!harness_open_full (&h, FALSE))
    return;
  assert_keyring_unavailable (h.mysql);

  type_mysql (&h, tt_test_password ());
  click (GTK_WIDGET (h.prefs), "_Switch to This Database");
  wait_until (&h, has_dialog, "the question whether to copy");
  click (GTK_WIDGET (find_dialog ()), "_Copy My Tutorials");
  wait_until (&h, prefs_idle, "the switch");

  said = gtk_label_get_text (child (&h, "apply_label"));
  g_test_message ("%s", said);
  g_assert_true (g_str_has_prefix (said, "Now using “"));
  g_assert_nonnull (strstr (said, "The password could not be saved"));
  g_assert_nonnull (strstr (said, "no keyring is available"));
  g_assert_nonnull (strstr (said, "enter it again"));
  g_assert_cmpint (tt_store_get_backend (tt_application_get_store (h.app)), ==, TT_DB_BACKEND_MYSQL);

  harness_close (&h);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init_with_display (&argc, &argv);

  if (no_secret_service ())
    {
      g_test_add_func ("/preferences/keyring-unavailable", test_preferences_keyring_unavailable);
      return g_test_run ();
    }

  g_test_add_func ("/preferences/fields", test_preferences_fields);
  g_test_add_func ("/preferences/socket-outside-flatpak", test_preferences_socket_outside_flatpak);
  g_test_add_func ("/preferences/socket-in-flatpak", test_preferences_socket_in_flatpak);
  g_test_add_func ("/preferences/choose-file", test_preferences_choose_file);
  g_test_add_func ("/preferences/test-connection", test_preferences_test_connection);
  g_test_add_func ("/preferences/switch", test_preferences_switch);
  g_test_add_func ("/preferences/switch-fails", test_preferences_switch_fails);
  g_test_add_func ("/preferences/wrong-password", test_preferences_wrong_password);
  g_test_add_func ("/preferences/labels-fit", test_preferences_labels_fit);
  g_test_add_func ("/preferences/copy-cancelled", test_preferences_copy_cancelled);
  g_test_add_func ("/preferences/switch-resets-window", test_preferences_switch_resets_window);
  g_test_add_func ("/preferences/switch-action", test_preferences_switch_action);
  g_test_add_func ("/preferences/closed-mid-switch", test_preferences_closed_mid_switch);

  return g_test_run ();
}
