/* test-catalogue-switch.c: switching catalogues without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The current catalogue is a SQLite file of the test's own with the
 * Node.js tutorial's scenario (4 tutorials, 2 tags); the new one is the
 * catalogue the test runs for (a fresh SQLite file, or the private
 * MariaDB). Settings use the memory backend (tests/meson.build), so what
 * a switch saves is read back in this process.
 *
 * On MariaDB the switches go through the Unix socket: the keyring entry
 * is keyed by server and user, and the CLI test, running beside this
 * one, expects the TCP entry to be absent at times. The socket's entry is
 * this test's alone.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "tt-catalogue-switch.h"
#include "tt-db-settings.h"
#include "tt-secret.h"
#include "tt-test-damage.h"
#include "tt-test-fixture.h"

#define S(state) TT_CATALOGUE_SWITCH_STATE_##state

typedef struct
{
  TtDbLocation      *current;   /* the SQLite file in use */
  TtStore           *source;
  TtDbLocation      *target;    /* the test's catalogue, empty */
  GSettings         *settings;
  TtCatalogueSwitch *sw;
  GArray            *states;    /* every state the switch went through */
  GAsyncResult      *result;
  guint              progress_calls;
  guint64            done;
  guint64            total;
  gboolean           cancel_on_progress;
} Harness;

/* ---- the catalogues ---------------------------------------------------- */

/* The test's catalogue as the switch reaches it (see above). */
static TtDbLocation *
target_location (void)
{
  TtDbLocation *location = tt_db_location_copy (tt_test_location ());
  const char *socket = g_getenv ("TT_TEST_MYSQL_SOCKET");

  if (location->backend == TT_DB_BACKEND_MYSQL && socket != NULL)
    location->socket = g_strdup (socket);
  return location;
}

/* The entry a MySQL switch leaves; nothing to do on SQLite. */
static void
forget_password (const TtDbLocation *location)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (location->backend != TT_DB_BACKEND_MYSQL)
    return;
  tt_secret_clear_async (location, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  if (!tt_secret_clear_finish (result, &error))
    g_test_message ("No keyring to clean up: %s", error->message);
}

static gboolean
harness_open (Harness *h)
{
  g_autoptr(TtStore) target = tt_test_open_store ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (target == NULL)
    return FALSE;
  tt_store_close (target);
  h->target = target_location ();

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "current.db", NULL);
  h->current = tt_db_location_new_sqlite (path);
  h->source = tt_store_open (h->current, NULL, &error);
  g_assert_no_error (error);
  tt_test_seed (h->source);

  h->settings = tt_db_settings_new ();
  g_assert_nonnull (h->settings);
  tt_db_location_save_to_settings (h->current, h->settings);
  h->states = g_array_new (FALSE, FALSE, sizeof (TtCatalogueSwitchState));
  return TRUE;
}

static void
harness_close (Harness *h)
{
  if (h->sw != NULL)
    g_assert_false (tt_catalogue_switch_is_running (h->sw));
  g_clear_object (&h->sw);
  g_clear_object (&h->result);
  forget_password (h->target);
  tt_store_close (h->source);
  g_clear_object (&h->source);
  g_clear_object (&h->settings);
  g_clear_pointer (&h->states, g_array_unref);
  g_clear_pointer (&h->current, tt_db_location_free);
  g_clear_pointer (&h->target, tt_db_location_free);
}

/* What a fresh connection to @location finds. */
static void
count_in (const TtDbLocation *location,
          guint              *n_tutorials,
          guint              *n_tags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (location, tt_test_password (), &error);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GListModel) tags = NULL;

  g_assert_no_error (error);
  ids = tt_store_list_tutorial_ids (store, NULL, &error);
  g_assert_no_error (error);
  tags = tt_store_list_tags (store, FALSE, &error);
  g_assert_no_error (error);
  tt_store_close (store);
  *n_tutorials = ids->len;
  *n_tags = g_list_model_get_n_items (tags);
}

static void
assert_target_holds (Harness *h,
                     guint    n_tutorials,
                     guint    n_tags)
{
  guint found_tutorials, found_tags;

  count_in (h->target, &found_tutorials, &found_tags);
  g_assert_cmpuint (found_tutorials, ==, n_tutorials);
  g_assert_cmpuint (found_tags, ==, n_tags);
}

/* Where the settings say the catalogue is. */
static void
assert_settings_name (Harness            *h,
                      const TtDbLocation *location)
{
  g_autoptr(TtDbLocation) saved = tt_db_location_new_from_settings (h->settings);
  g_autofree char *saved_text = tt_db_location_to_string (saved);
  g_autofree char *expected = tt_db_location_to_string (location);

  g_assert_cmpstr (saved_text, ==, expected);
}

/* ---- running a switch -------------------------------------------------- */

static void
state_cb (TtCatalogueSwitch *sw,
          GParamSpec        *pspec,
          Harness           *h)
{
  TtCatalogueSwitchState state = tt_catalogue_switch_get_state (sw);

  g_array_append_val (h->states, state);
}

static void
progress_cb (TtCatalogueSwitch *sw,
             guint64            done,
             guint64            total,
             Harness           *h)
{
  g_assert_cmpint (tt_catalogue_switch_get_state (sw), ==, S (COPYING));
  h->progress_calls++;
  h->done = done;
  h->total = total;
  if (h->cancel_on_progress)
    tt_catalogue_switch_cancel (sw);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Harness *h = user_data;

  /* The state is final before the caller hears of the end. */
  g_assert_false (tt_catalogue_switch_is_running (TT_CATALOGUE_SWITCH (object)));
  h->result = g_object_ref (result);
}

static void
start (Harness           *h,
       TtCatalogueSwitch *sw)
{
  h->sw = sw;
  g_assert_cmpint (tt_catalogue_switch_get_state (sw), ==, S (READY));
  g_signal_connect (sw, "notify::state", G_CALLBACK (state_cb), h);
  g_signal_connect (sw, "progress", G_CALLBACK (progress_cb), h);
  tt_catalogue_switch_run_async (sw, run_done_cb, h);
}

static void
start_switch (Harness            *h,
              TtStore            *source,
              const TtDbLocation *target,
              const char         *password)
{
  start (h, tt_catalogue_switch_new (source, h->current, target, password, h->settings));
}

/* Until the switch waits for an answer, or has ended. */
static void
wait_for_question (Harness *h)
{
  while (tt_catalogue_switch_get_state (h->sw) != S (NEEDS_DECISION) &&
         tt_catalogue_switch_is_running (h->sw))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (tt_catalogue_switch_get_state (h->sw), ==, S (NEEDS_DECISION));
}

/* The store at the end, NULL with @error set when there is none. */
static TtStore *
wait_for_end (Harness  *h,
              GError  **error)
{
  tt_test_wait_for (&h->result);
  return tt_catalogue_switch_run_finish (h->sw, h->result, error);
}

static void
assert_states (Harness                      *h,
               const TtCatalogueSwitchState *expected,
               guint                         n_expected)
{
  g_assert_cmpmem (h->states->data, h->states->len * sizeof (TtCatalogueSwitchState),
                   expected, n_expected * sizeof (TtCatalogueSwitchState));
}

/* Ready for another switch. */
static void
forget_switch (Harness *h)
{
  g_assert_false (tt_catalogue_switch_is_running (h->sw));
  g_clear_object (&h->sw);
  g_clear_object (&h->result);
  g_array_set_size (h->states, 0);
}

/* ---- tests ------------------------------------------------------------- */

static void
test_copy (void)
{
  static const TtCatalogueSwitchState expected[] =
    { S (OPENING), S (COUNTING), S (NEEDS_DECISION), S (COPYING), S (SAVING), S (DONE) };
  Harness h = { 0 };
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const TtCopyReport *report;
  gint64 n_tutorials, n_tags;

  if (!harness_open (&h))
    return;

  start_switch (&h, h.source, h.target, tt_test_password ());
  wait_for_question (&h);
  tt_catalogue_switch_get_source_counts (h.sw, &n_tutorials, &n_tags);
  g_assert_cmpint (n_tutorials, ==, 4);
  g_assert_cmpint (n_tags, ==, 2);
  tt_catalogue_switch_get_target_counts (h.sw, &n_tutorials, &n_tags);
  g_assert_cmpint (n_tutorials, ==, 0);
  g_assert_cmpint (n_tags, ==, 0);
  /* Nothing is saved while the question is open. */
  assert_settings_name (&h, h.current);

  tt_catalogue_switch_copy (h.sw);
  store = wait_for_end (&h, &error);
  g_assert_no_error (error);
  g_assert_true (store == tt_catalogue_switch_get_store (h.sw));
  g_assert_cmpint (tt_store_get_backend (store), ==, h.target->backend);
  assert_states (&h, expected, G_N_ELEMENTS (expected));

  report = tt_catalogue_switch_get_report (h.sw);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->tutorials_copied, ==, 4);
  g_assert_cmpuint (report->tags_created, ==, 2);
  g_assert_cmpuint (report->links_copied, ==, 6);
  g_assert_cmpuint (h.progress_calls, >=, 1);
  g_assert_cmpuint (h.done, ==, h.total);
  g_assert_cmpfloat (tt_catalogue_switch_get_fraction (h.sw), ==, 1.0);

  assert_target_holds (&h, 4, 2);
  assert_settings_name (&h, h.target);
  tt_store_close (store);
  harness_close (&h);
}

/* The new database keeps what it has and gets nothing. */
static void
test_as_is (void)
{
  static const TtCatalogueSwitchState expected[] =
    { S (OPENING), S (COUNTING), S (NEEDS_DECISION), S (SAVING), S (DONE) };
  Harness h = { 0 };
  g_autoptr(TtStore) target = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtTutorial) there = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_tutorials, n_tags;

  if (!harness_open (&h))
    return;
  target = tt_test_reopen_store ();
  there = tt_store_create_tutorial (target, "Already there", "", &error);
  g_assert_no_error (error);
  tt_store_close (target);

  start_switch (&h, h.source, h.target, tt_test_password ());
  wait_for_question (&h);
  tt_catalogue_switch_get_target_counts (h.sw, &n_tutorials, &n_tags);
  g_assert_cmpint (n_tutorials, ==, 1);
  g_assert_cmpint (n_tags, ==, 0);
  tt_catalogue_switch_use_as_is (h.sw);
  store = wait_for_end (&h, &error);
  g_assert_no_error (error);
  assert_states (&h, expected, G_N_ELEMENTS (expected));
  g_assert_null (tt_catalogue_switch_get_report (h.sw));
  g_assert_cmpuint (h.progress_calls, ==, 0);

  assert_target_holds (&h, 1, 0);
  assert_settings_name (&h, h.target);
  tt_store_close (store);
  harness_close (&h);
}

/* An empty current catalogue, or none at all: nothing to ask. */
static void
test_no_question (void)
{
  static const TtCatalogueSwitchState counted[] =
    { S (OPENING), S (COUNTING), S (SAVING), S (DONE) };
  static const TtCatalogueSwitchState uncounted[] =
    { S (OPENING), S (SAVING), S (DONE) };
  Harness h = { 0 };
  g_autoptr(TtStore) empty = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TtDbLocation) location = NULL;

  if (!harness_open (&h))
    return;
  path = g_build_filename (g_get_user_data_dir (), "empty.db", NULL);
  location = tt_db_location_new_sqlite (path);
  empty = tt_store_open (location, NULL, &error);
  g_assert_no_error (error);

  start_switch (&h, empty, h.target, tt_test_password ());
  store = wait_for_end (&h, &error);
  g_assert_no_error (error);
  assert_states (&h, counted, G_N_ELEMENTS (counted));
  tt_store_close (store);
  g_clear_object (&store);
  forget_switch (&h);

  /* The application could not open its catalogue. */
  tt_db_location_save_to_settings (h.current, h.settings);
  start_switch (&h, NULL, h.target, tt_test_password ());
  store = wait_for_end (&h, &error);
  g_assert_no_error (error);
  assert_states (&h, uncounted, G_N_ELEMENTS (uncounted));
  assert_target_holds (&h, 0, 0);
  assert_settings_name (&h, h.target);

  tt_store_close (store);
  tt_store_close (empty);
  harness_close (&h);
}

/* Cancel while the copy runs (at its first progress): the copy is
 * rolled back, nothing is saved, the new store is let go. */
static void
test_cancel_copy (void)
{
  static const TtCatalogueSwitchState expected[] =
    { S (OPENING), S (COUNTING), S (NEEDS_DECISION), S (COPYING), S (CANCELLED) };
  Harness h = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;

  if (!harness_open (&h))
    return;
  /* Enough that the copy takes several pages. */
  tt_test_import_tutorials (h.source, "Many", 2000);

  h.cancel_on_progress = TRUE;
  start_switch (&h, h.source, h.target, tt_test_password ());
  wait_for_question (&h);
  tt_catalogue_switch_copy (h.sw);
  store = wait_for_end (&h, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (store);
  assert_states (&h, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (tt_catalogue_switch_get_last_step (h.sw), ==, S (COPYING));
  g_assert_null (tt_catalogue_switch_get_store (h.sw));
  g_assert_null (tt_catalogue_switch_get_report (h.sw));
  g_assert_null (tt_catalogue_switch_get_error (h.sw));

  assert_target_holds (&h, 0, 0);
  assert_settings_name (&h, h.current);
  /* Too late now: nothing happens. */
  tt_catalogue_switch_cancel (h.sw);
  g_assert_cmpint (tt_catalogue_switch_get_state (h.sw), ==, S (CANCELLED));
  harness_close (&h);
}

/* Cancel at the question: nothing under way, the end comes at once. */
static void
test_cancel_question (void)
{
  Harness h = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;

  if (!harness_open (&h))
    return;

  start_switch (&h, h.source, h.target, tt_test_password ());
  wait_for_question (&h);
  tt_catalogue_switch_cancel (h.sw);
  g_assert_cmpint (tt_catalogue_switch_get_state (h.sw), ==, S (CANCELLED));
  g_assert_cmpint (tt_catalogue_switch_get_last_step (h.sw), ==, S (NEEDS_DECISION));
  store = wait_for_end (&h, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  assert_target_holds (&h, 0, 0);
  assert_settings_name (&h, h.current);
  harness_close (&h);
}

/* A location that cannot be opened: a wrong password on MariaDB, a file
 * under a file on SQLite. */
static TtDbLocation *
refusing_location (Harness     *h,
                   const char **password)
{
  g_autofree char *path = NULL;

  if (h->target->backend == TT_DB_BACKEND_MYSQL)
    {
      *password = "not-the-password";
      return tt_db_location_copy (h->target);
    }
  *password = NULL;
  path = g_build_filename (h->current->path, "nested.db", NULL);
  return tt_db_location_new_sqlite (path);
}

static void
test_open_fails (void)
{
  static const TtCatalogueSwitchState expected[] = { S (OPENING), S (FAILED) };
  Harness h = { 0 };
  g_autoptr(TtDbLocation) refusing = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *password;

  if (!harness_open (&h))
    return;
  refusing = refusing_location (&h, &password);

  start_switch (&h, h.source, refusing, password);
  store = wait_for_end (&h, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  assert_states (&h, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (tt_catalogue_switch_get_last_step (h.sw), ==, S (OPENING));
  g_assert_nonnull (tt_catalogue_switch_get_error (h.sw));
  g_assert_true (g_error_matches (tt_catalogue_switch_get_error (h.sw), error->domain, error->code));
  if (h.target->backend == TT_DB_BACKEND_MYSQL)
    g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_ACCESS_DENIED);

  assert_settings_name (&h, h.current);
  harness_close (&h);
}

/* A damaged SQLite file to switch to (here in a page of its change
 * journal, which opening and counting do not read): the switch fails at
 * the open, with the catalogue in use kept, as it did when the open
 * itself checked the file. */
static void
test_damaged_target_sqlite (void)
{
  static const TtCatalogueSwitchState expected[] = { S (OPENING), S (FAILED) };
  Harness h = { 0 };
  g_autoptr(TtStore) filler = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!harness_open (&h))
    return;
  filler = tt_store_open (h.target, NULL, &error);
  g_assert_no_error (error);
  tt_test_import_tutorials (filler, "Target", 2000);
  tt_store_close (filler);
  tt_test_damage_page (h.target->path, tt_test_middle_leaf_page (h.target->path, "tt_change_journal", NULL));

  start_switch (&h, h.source, h.target, NULL);
  store = wait_for_end (&h, &error);
  g_assert_null (store);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT);
  assert_states (&h, expected, G_N_ELEMENTS (expected));
  assert_settings_name (&h, h.current);
  harness_close (&h);
}

/* The CLI's copy: no question, nothing saved. */
static void
test_copy_only (void)
{
  static const TtCatalogueSwitchState expected[] = { S (OPENING), S (COPYING), S (DONE) };
  Harness h = { 0 };
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!harness_open (&h))
    return;

  start (&h, tt_catalogue_switch_new_copy (h.source, h.target, tt_test_password ()));
  store = wait_for_end (&h, &error);
  g_assert_no_error (error);
  assert_states (&h, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (tt_catalogue_switch_get_report (h.sw)->tutorials_copied, ==, 4);

  assert_target_holds (&h, 4, 2);
  assert_settings_name (&h, h.current);
  tt_store_close (store);
  harness_close (&h);
}

/* Whether the keyring holds @expected (NULL: nothing) for @location. */
static gboolean
keyring_holds (const TtDbLocation *location,
               const char         *expected)
{
  g_autoptr(GError) error = NULL;
  char *found = tt_secret_lookup_sync (location, NULL, &error);
  gboolean same = g_strcmp0 (found, expected) == 0;

  g_assert_no_error (error);
  tt_secret_password_free (found);
  return same;
}

/* The password reaches the keyring only with a switch that worked. */
static void
test_keyring (void)
{
  Harness h = { 0 };
  g_autoptr(TtDbLocation) refusing = NULL;
  g_autoptr(TtStore) store = NULL;
  const char *wrong;

  if (!harness_open (&h))
    return;
  if (!tt_test_keyring_available ())
    {
      harness_close (&h);
      return;
    }
  forget_password (h.target);

  refusing = refusing_location (&h, &wrong);
  start_switch (&h, h.source, refusing, wrong);
  g_assert_null (wait_for_end (&h, NULL));
  g_assert_true (keyring_holds (h.target, NULL));
  forget_switch (&h);

  start_switch (&h, h.source, h.target, tt_test_password ());
  wait_for_question (&h);
  tt_catalogue_switch_cancel (h.sw);
  g_assert_null (wait_for_end (&h, NULL));
  g_assert_true (keyring_holds (h.target, NULL));
  forget_switch (&h);

  start_switch (&h, h.source, h.target, tt_test_password ());
  wait_for_question (&h);
  tt_catalogue_switch_use_as_is (h.sw);
  g_assert_cmpint (tt_catalogue_switch_get_state (h.sw), ==, S (SAVING));
  store = wait_for_end (&h, NULL);
  g_assert_nonnull (store);
  g_assert_null (tt_catalogue_switch_get_keyring_error (h.sw));
  g_assert_true (keyring_holds (h.target, tt_test_password ()));

  tt_store_close (store);
  harness_close (&h);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/catalogue-switch/copy", test_copy);
  g_test_add_func ("/catalogue-switch/as-is", test_as_is);
  g_test_add_func ("/catalogue-switch/no-question", test_no_question);
  g_test_add_func ("/catalogue-switch/cancel-copy", test_cancel_copy);
  g_test_add_func ("/catalogue-switch/cancel-question", test_cancel_question);
  g_test_add_func ("/catalogue-switch/open-fails", test_open_fails);
  g_test_add_func ("/catalogue-switch/copy-only", test_copy_only);
  if (!tt_test_is_mysql ())
    g_test_add_func ("/catalogue-switch/damaged-target", test_damaged_target_sqlite);
  /* Only a MySQL location has a password to keep. */
  if (tt_test_is_mysql ())
    g_test_add_func ("/catalogue-switch/keyring", test_keyring);

  return g_test_run ();
}
