/* test-application.c: catalogue files handed to the application
 * (tutorial-tags FILE.db, a file manager's Open With, D-Bus Open)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "tt-application.h"
#include "tt-db-location.h"
#include "tt-test-damage.h"
#include "tt-test-display.h"
#include "tt-test-fixture.h"
#include "tt-window.h"

typedef struct
{
  TtApplication *app;
  char          *default_path;  /* the catalogue Preferences names */
} Harness;

static gboolean
harness_open (Harness *h)
{
  static guint n_apps;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  h->default_path = tt_db_location_default_sqlite_path ();
  /* The application stays on the session bus until it is finalized:
   * a name per test. */
  id = g_strdup_printf ("com.example.TutorialTags.TestApplication%u", ++n_apps);
  h->app = tt_application_new (id, G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_application_register (G_APPLICATION (h->app), NULL, &error);
  g_assert_no_error (error);
  return TRUE;
}

static void
harness_close (Harness *h)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (h->app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (h->app)))
    gtk_window_destroy (l->data);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&h->app);
  g_free (h->default_path);
}

/* Iterates until the application has a catalogue open, or has an error
 * for its windows, for at most 20 s. */
static void
wait_opened (Harness *h)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (tt_application_get_store (h->app) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  /* The window shows what it was handed. */
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
}

static gint64
tutorials_in (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 n_tutorials = -1;

  g_assert_true (tt_store_count (store, &n_tutorials, NULL, &error));
  g_assert_no_error (error);
  return n_tutorials;
}

/* A catalogue file holding the Node.js tutorial's seed. */
static GFile *
make_catalogue (const char *name)
{
  /* The data folder is this test's own (G_TEST_OPTION_ISOLATE_DIRS). */
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(TtDbLocation) location = tt_db_location_new_sqlite (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  store = tt_store_open (location, NULL, &error);
  g_assert_no_error (error);
  tt_test_seed (store);
  tt_store_close (store);
  return g_file_new_for_path (path);
}

/* A catalogue of @n tutorials, so that its change journal spans pages. */
static GFile *
make_large_catalogue (const char *name,
                      guint       n)
{
  g_autoptr(GFile) file = make_catalogue (name);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(TtDbLocation) location = tt_db_location_new_sqlite (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (location, NULL, &error);

  g_assert_no_error (error);
  tt_test_import_tutorials (store, "Tutorial", n);
  tt_store_close (store);
  return g_steal_pointer (&file);
}

/* Junk over a middle page of the change journal, which no list reads
 * (the change stamp reads its last page): only the file check finds it. */
static void
damage_journal_page (const char *path)
{
  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tt_change_journal", NULL));
}

static char *
file_checksum (GFile *file)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static void
open_file (Harness *h,
           GFile   *file)
{
  GFile *files[] = { file };

  g_application_open (G_APPLICATION (h->app), files, 1, "");
  wait_opened (h);
}

static gboolean
is_status_page (GtkWidget     *widget,
                gconstpointer  data)
{
  return ADW_IS_STATUS_PAGE (widget) && gtk_widget_is_drawable (widget);
}

static const char *
status_description (Harness *h)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (h->app));
  GtkWidget *page;

  g_assert_true (TT_IS_WINDOW (window));
  page = tt_test_find_widget (GTK_WIDGET (window), is_status_page, NULL);
  g_assert_nonnull (page);
  return adw_status_page_get_description (ADW_STATUS_PAGE (page));
}

/* tutorial-tags FILE.db: the file opens in a window, and the catalogue
 * Preferences names is neither opened nor created on the way. */
static void
test_application_open_file (void)
{
  Harness h = { 0 };
  g_autoptr(GFile) file = NULL;

  if (!harness_open (&h))
    return;
  file = make_catalogue ("given.db");
  open_file (&h, file);

  g_assert_nonnull (tt_application_get_store (h.app));
  g_assert_cmpint (tutorials_in (tt_application_get_store (h.app)), >, 0);
  g_assert_true (TT_IS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (h.app))));
  g_assert_false (g_file_test (h.default_path, G_FILE_TEST_EXISTS));
  harness_close (&h);
}

/* In a running app (a second tutorial-tags FILE.db reaches the first
 * over D-Bus), the window moves to the file. */
static void
test_application_open_while_running (void)
{
  Harness h = { 0 };
  g_autoptr(GFile) file = NULL;
  TtStore *first;

  if (!harness_open (&h))
    return;
  g_application_activate (G_APPLICATION (h.app));
  wait_opened (&h);
  first = tt_application_get_store (h.app);
  g_assert_nonnull (first);
  g_assert_cmpint (tutorials_in (first), ==, 0);

  file = make_catalogue ("later.db");
  open_file (&h, file);
  while (tt_application_get_store (h.app) == first)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (tt_application_get_store (h.app));
  g_assert_cmpint (tutorials_in (tt_application_get_store (h.app)), >, 0);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (h.app))), ==, 1);
  harness_close (&h);
}

static const char *
status_title (Harness *h)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (h->app));
  GtkWidget *page = tt_test_find_widget (GTK_WIDGET (window), is_status_page, NULL);

  return page != NULL ? adw_status_page_get_title (ADW_STATUS_PAGE (page)) : NULL;
}

/* The window's open leaves the file check for after the first lists
 * (tt_store_open_async()): damage in a part no list reads still ends on
 * the page that says the file is damaged, and nothing is written to it. */
static void
test_application_open_damaged_file (void)
{
  Harness h = { 0 };
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  if (!harness_open (&h))
    return;
  file = make_large_catalogue ("damaged.db", 2000);
  path = g_file_get_path (file);
  damage_journal_page (path);
  before = file_checksum (file);

  open_file (&h, file);
  while (g_strcmp0 (status_title (&h), "The Catalogue Is Damaged") != 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpstr (status_title (&h), ==, "The Catalogue Is Damaged");
  g_assert_nonnull (strstr (status_description (&h), "damaged.db"));
  harness_close (&h);
  after = file_checksum (file);
  g_assert_cmpstr (after, ==, before);
}

/* A name with a typo: the window says so, and no empty catalogue is made
 * under that name. */
static void
test_application_open_missing_file (void)
{
  Harness h = { 0 };
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "typo.db", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (!harness_open (&h))
    return;
  open_file (&h, file);

  g_assert_null (tt_application_get_store (h.app));
  g_assert_nonnull (strstr (status_description (&h), "There is no file"));
  g_assert_nonnull (strstr (status_description (&h), "typo.db"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (h.default_path, G_FILE_TEST_EXISTS));
  harness_close (&h);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init_with_display (&argc, &argv);

  g_test_add_func ("/application/open-file", test_application_open_file);
  g_test_add_func ("/application/open-while-running", test_application_open_while_running);
  g_test_add_func ("/application/open-missing-file", test_application_open_missing_file);
  g_test_add_func ("/application/open-damaged-file", test_application_open_damaged_file);

  return g_test_run ();
}
