/* test-store-journal.c: the change journal, its triggers, and `watch`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include <string.h>

#include "tt-gda-autocleanups.h"
#include "tt-store-probe.h"
#include "tt-test-cli.h"
#include "tt-test-fixture.h"

/* ---- helpers ---------------------------------------------------------- */

static GArray *
read_changes (TtStore         *store,
              TtJournalReader *reader,
              gboolean         expect_resync)
{
  g_autoptr(GError) error = NULL;
  gboolean resync = !expect_resync;
  GArray *changes = tt_store_read_changes (store, reader, &resync, &error);

  g_assert_no_error (error);
  g_assert_nonnull (changes);
  g_assert_cmpint (resync, ==, expect_resync);
  return changes;
}

/* "kind op tutorial_id tag_id" per change, one per line. */
static char *
describe (GArray *changes)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < changes->len; i++)
    {
      TtChange *change = &g_array_index (changes, TtChange, i);

      g_string_append_printf (text, "%s %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                              change->kind, change->op, change->tutorial_id, change->tag_id);
    }
  return g_string_free (text, FALSE);
}

static char *
changes_since (TtStore         *store,
               TtJournalReader *reader)
{
  g_autoptr(GArray) changes = read_changes (store, reader, FALSE);

  return describe (changes);
}

static TtJournalReader *
started_reader (TtStore *store)
{
  TtJournalReader *reader = tt_journal_reader_new ();
  g_autoptr(GArray) first = read_changes (store, reader, FALSE);

  g_assert_cmpuint (first->len, ==, 0);
  return reader;
}

#define RAW_NOW "'2024-01-01 10:00:00'"

/* ---- the triggers ----------------------------------------------------- */

/* Every kind of change, made with plain SQL on another connection (as the
 * Node.js app makes them), is in the journal, in order. */
static void
test_triggers_record_every_change (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtJournalReader) reader = NULL;
  g_autofree char *seen = NULL;
  OPEN_STORE_OR_SKIP (store);

  g_assert_true (tt_store_has_journal (store));
  reader = started_reader (store);
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "INSERT INTO tutorials (id, title, description, createdAt, updatedAt)"
                         " VALUES (7, 'Raw', '', " RAW_NOW ", " RAW_NOW ")");
  tt_test_raw_exec (raw, "INSERT INTO tags (id, name, createdAt, updatedAt) VALUES (9, 'raw', " RAW_NOW ", " RAW_NOW ")");
  tt_test_raw_exec (raw, "INSERT INTO tutorial_tag (tutorial_id, tag_id, createdAt, updatedAt)"
                         " VALUES (7, 9, " RAW_NOW ", " RAW_NOW ")");
  tt_test_raw_exec (raw, "UPDATE tutorials SET title = 'Raw 2' WHERE id = 7");
  tt_test_raw_exec (raw, "UPDATE tags SET name = 'raw 2' WHERE id = 9");
  tt_test_raw_exec (raw, "UPDATE tutorial_tag SET updatedAt = " RAW_NOW " WHERE tutorial_id = 7");
  tt_test_raw_exec (raw, "DELETE FROM tutorial_tag WHERE tutorial_id = 7");
  tt_test_raw_exec (raw, "DELETE FROM tags WHERE id = 9");
  tt_test_raw_exec (raw, "DELETE FROM tutorials WHERE id = 7");

  seen = changes_since (store, reader);
  g_assert_cmpstr (seen, ==,
                   "tutorial insert 7 0\ntag insert 0 9\nlink insert 7 9\n"
                   "tutorial update 7 0\ntag update 0 9\nlink update 7 9\n"
                   "link delete 7 9\ntag delete 0 9\ntutorial delete 7 0\n");
  g_free (seen);
  seen = changes_since (store, reader);
  g_assert_cmpstr (seen, ==, "");
}

/* A transaction that took the smaller id and commits last is still seen
 * (MySQL only: SQLite has one writer at a time, ids in commit order). */
static void
test_late_commit_with_smaller_id (void)
{
  g_autoptr(GdaConnection) first = NULL;
  g_autoptr(GdaConnection) second = NULL;
  g_autoptr(TtJournalReader) reader = NULL;
  g_autofree char *early = NULL;
  g_autofree char *late = NULL;
  OPEN_STORE_OR_SKIP (store);

  reader = started_reader (store);
  first = tt_test_raw_open ();
  second = tt_test_raw_open ();
  tt_test_raw_exec (first, "START TRANSACTION");
  tt_test_raw_exec (first, "INSERT INTO tags (id, name, createdAt, updatedAt) VALUES (1, 'slow', " RAW_NOW ", " RAW_NOW ")");
  tt_test_raw_exec (second, "INSERT INTO tags (id, name, createdAt, updatedAt) VALUES (2, 'quick', " RAW_NOW ", " RAW_NOW ")");
  /* The slow one's journal entry has the smaller id. */
  g_assert_cmpint (tt_test_raw_int64 (first, "SELECT id FROM tt_change_journal WHERE tag_id = 1"), <,
                   tt_test_raw_int64 (second, "SELECT id FROM tt_change_journal WHERE tag_id = 2"));

  early = changes_since (store, reader);
  g_assert_cmpstr (early, ==, "tag insert 0 2\n");
  tt_test_raw_exec (first, "COMMIT");
  late = changes_since (store, reader);
  g_assert_cmpstr (late, ==, "tag insert 0 1\n");
}

/* Sequelize's sync({force: true}) drops the tables and their triggers:
 * the next open makes them again. */
static void
test_triggers_come_back_after_tables_are_made_again (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtStore) again = NULL;
  g_autoptr(TtJournalReader) reader = NULL;
  g_autofree char *seen = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_store_close (store);
  raw = tt_test_raw_open ();
  tt_test_make_tables_again (raw);

  again = tt_test_reopen_store ();
  g_assert_true (tt_store_has_journal (again));
  reader = started_reader (again);
  tt_test_raw_exec (raw, "INSERT INTO tutorials (id, title, description, createdAt, updatedAt)"
                         " VALUES (3, 'After sync', '', " RAW_NOW ", " RAW_NOW ")");
  seen = changes_since (again, reader);
  g_assert_cmpstr (seen, ==, "tutorial insert 3 0\n");
}

/* The same while the store is open (a window, `watch`): a tag made and
 * found by name at once, and the journal records again, without a
 * restart; a reader is told to read everything again. */
static void
test_tables_made_again_while_open (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtJournalReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) made = NULL;
  g_autoptr(TtTag) found = NULL;
  g_autoptr(GArray) after_sync = NULL;
  g_autofree char *seen = NULL;
  OPEN_STORE_OR_SKIP (store);

  reader = started_reader (store);
  raw = tt_test_raw_open ();
  tt_test_make_tables_again (raw);

  made = tt_store_create_tag (store, "After Sync", &error);
  g_assert_no_error (error);
  found = tt_store_find_tag_by_name (store, "after sync", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (tt_tag_get_id (found), ==, tt_tag_get_id (made));

  after_sync = read_changes (store, reader, TRUE);
  tt_test_raw_exec (raw, "INSERT INTO tutorials (id, title, description, createdAt, updatedAt)"
                         " VALUES (3, 'After sync', '', " RAW_NOW ", " RAW_NOW ")");
  seen = changes_since (store, reader);
  g_assert_cmpstr (seen, ==, "tutorial insert 3 0\n");
}

/* With nothing written by this client, reading the journal finds it out
 * (the window's change check and `watch` only read). */
static void
test_reader_finds_tables_made_again (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtJournalReader) reader = NULL;
  g_autoptr(GArray) after_sync = NULL;
  g_autofree char *seen = NULL;
  OPEN_STORE_OR_SKIP (store);

  reader = started_reader (store);
  raw = tt_test_raw_open ();
  tt_test_make_tables_again (raw);

  after_sync = read_changes (store, reader, TRUE);
  g_assert_true (tt_store_has_journal (store));
  tt_test_raw_exec (raw, "INSERT INTO tags (id, name, createdAt, updatedAt) VALUES (4, 'node', " RAW_NOW ", " RAW_NOW ")");
  seen = changes_since (store, reader);
  g_assert_cmpstr (seen, ==, "tag insert 0 4\n");
}

/* Halfway through Sequelize's sync({force: true}): tutorial_tag and tags
 * dropped, tutorials not yet. A reader meets the missing table and
 * makes no table of its own: one referencing tutorials would stop
 * Sequelize's next DROP TABLE. Once all three are made again, the next
 * read adopts them and says to read everything again. */
static void
test_reader_waits_for_the_tables (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtJournalReader) reader = NULL;
  g_autoptr(GArray) during = NULL;
  g_autoptr(GArray) after_sync = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;
  gboolean resync = FALSE;
  OPEN_STORE_OR_SKIP (store);

  reader = started_reader (store);
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "DROP TABLE tutorial_tag");
  tt_test_raw_exec (raw, "DROP TABLE tags");

  during = tt_store_read_changes (store, reader, &resync, &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TABLES_CHANGED);
  g_assert_null (during);
  /* Nothing of ours came back: Sequelize's next step works. */
  tt_test_raw_exec (raw, "DROP TABLE tutorials");
  g_clear_error (&error);

  tt_test_create_sequelize_tables (raw);
  after_sync = read_changes (store, reader, TRUE);
  tt_test_raw_exec (raw, "INSERT INTO tags (id, name, createdAt, updatedAt) VALUES (5, 'x', " RAW_NOW ", " RAW_NOW ")");
  seen = changes_since (store, reader);
  g_assert_cmpstr (seen, ==, "tag insert 0 5\n");
}

/* ---- pruning ---------------------------------------------------------- */

static void
age_journal (GdaConnection *raw)
{
  tt_test_raw_exec (raw, "UPDATE tt_change_journal SET changed_at = '2000-01-01 00:00:00' WHERE id > 0");
}

/* Old entries go, at most 1000 a call; a reader that had not read them
 * is told to read everything again, once. */
static void
test_prune_is_bounded_and_readers_resync (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtJournalReader) reader = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(GError) error = NULL;
  gboolean pruned = FALSE;
  OPEN_STORE_OR_SKIP (store);

  reader = started_reader (store);
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "INSERT INTO tutorials (title, description, createdAt, updatedAt)"
                         " VALUES ('a', '', " RAW_NOW ", " RAW_NOW ")");
  for (int i = 0; i < 11; i++)
    tt_test_raw_exec (raw, "INSERT INTO tt_change_journal (kind, op, tutorial_id, changed_at)"
                           " SELECT kind, op, tutorial_id, changed_at FROM tt_change_journal WHERE id > 0");
  age_journal (raw);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_change_journal WHERE id > 0"), ==, 2048);

  g_assert_true (tt_store_journal_prune (store, 3600, &pruned, &error));
  g_assert_no_error (error);
  g_assert_true (pruned);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_change_journal WHERE id > 0"), ==, 1048);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT tutorial_id FROM tt_change_journal WHERE id = -1"), >=, 1000);

  after = read_changes (store, reader, TRUE);
  g_assert_cmpuint (after->len, ==, 0);
  g_clear_pointer (&after, g_array_unref);
  after = read_changes (store, reader, FALSE);
  g_assert_cmpuint (after->len, ==, 0);
}

/* Entries younger than the limit stay. */
static void
test_prune_keeps_recent_entries (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GError) error = NULL;
  gboolean pruned = TRUE;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  raw = tt_test_raw_open ();
  g_assert_true (tt_store_journal_prune (store, 3600, &pruned, &error));
  g_assert_no_error (error);
  g_assert_false (pruned);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_change_journal WHERE id > 0"), ==, 12);
}

/* ---- migration -------------------------------------------------------- */

/* A schema 1 catalogue (no journal, a version table without a key)
 * opens as the newest schema with every row kept. */
static void
test_migration_from_1_keeps_every_row (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtStore) again = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  before = tt_test_dump_catalogue (store, TRUE);
  tt_store_close (store);
  raw = tt_test_raw_open ();
  for (const char *const *t = (const char *const[]) { "tutorials", "tags", "tutorial_tag", NULL }; *t; t++)
    for (const char *const *op = (const char *const[]) { "insert", "update", "delete", NULL }; *op; op++)
      {
        g_autofree char *drop = g_strdup_printf ("DROP TRIGGER tt_journal_%s_%s", *t, *op);

        tt_test_raw_exec (raw, drop);
      }
  tt_test_raw_exec (raw, "DROP TABLE tt_change_journal");
  tt_test_raw_exec (raw, "DROP TABLE tt_schema_version");
  tt_test_raw_exec (raw, "CREATE TABLE tt_schema_version (version INTEGER NOT NULL)");
  tt_test_raw_exec (raw, "INSERT INTO tt_schema_version (version) VALUES (1)");

  again = tt_test_reopen_store ();
  g_assert_cmpint (tt_store_get_schema_version (again), ==, TT_SCHEMA_VERSION);
  g_assert_true (tt_store_has_journal (again));
  after = tt_test_dump_catalogue (again, TRUE);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_schema_version"), ==, 1);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT MAX(version) FROM tt_schema_version"), ==, TT_SCHEMA_VERSION);
  g_assert_cmpint (tt_test_raw_int64 (raw, tt_test_is_mysql ()
                                             ? "SELECT COUNT(*) FROM information_schema.statistics"
                                               " WHERE table_schema = DATABASE() AND table_name = 'tt_schema_version'"
                                               " AND index_name = 'PRIMARY'"
                                             : "SELECT COUNT(*) FROM pragma_table_info('tt_schema_version') WHERE pk = 1"),
                   ==, 1);
}

/* ---- the change stamp ------------------------------------------------- */

/* With a journal, the MySQL stamp moves for another client's change and
 * stays put otherwise, without scanning the tables. */
static void
test_stamp_reads_the_journal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autofree char *first = NULL;
  g_autofree char *same = NULL;
  g_autofree char *moved = NULL;
  guint64 trips;
  OPEN_STORE_OR_SKIP (store);

  first = tt_store_get_change_stamp (store, &error);
  g_assert_no_error (error);
  trips = tt_store_debug_get_round_trips (store);
  same = tt_store_get_change_stamp (store, &error);
  g_assert_cmpuint (tt_store_debug_get_round_trips (store) - trips, ==, 1);
  g_assert_cmpstr (same, ==, first);
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "INSERT INTO tags (name, createdAt, updatedAt) VALUES ('x', " RAW_NOW ", " RAW_NOW ")");
  moved = tt_store_get_change_stamp (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (moved, !=, first);
}

/* ---- a user without the TRIGGER privilege ------------------------------ */

static TtStore *
open_as_notrigger_user (void)
{
  g_autoptr(TtDbLocation) location = tt_db_location_copy (tt_test_location ());
  g_autoptr(GError) error = NULL;
  const char *user = g_getenv ("TT_TEST_MYSQL_NOTRIGGER_USER");
  TtStore *store;

  if (user == NULL)
    g_error ("TT_TEST_MYSQL_NOTRIGGER_USER is not set: start the server with build-aux/mariadb-private.sh");
  g_free (location->user);
  location->user = g_strdup (user);
  store = tt_store_open (location, tt_test_password (), &error);
  g_assert_no_error (error);
  return store;
}

/* The store opens, says once that it scans instead, and the stamp and
 * readers still notice another client's change. */
static void
test_fallback_without_trigger_privilege (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtStore) limited = NULL;
  g_autoptr(TtJournalReader) reader = NULL;
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_store_close (store);
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "DROP TRIGGER tt_journal_tags_insert");
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "*may not create triggers*");
  limited = open_as_notrigger_user ();
  g_test_assert_expected_messages ();
  g_assert_false (tt_store_has_journal (limited));

  reader = started_reader (limited);
  before = tt_store_get_change_stamp (limited, &error);
  g_assert_no_error (error);
  tt_test_raw_exec (raw, "INSERT INTO tags (name, createdAt, updatedAt) VALUES ('x', " RAW_NOW ", " RAW_NOW ")");
  after = tt_store_get_change_stamp (limited, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, !=, before);
  changes = read_changes (limited, reader, TRUE);
  g_assert_cmpuint (changes->len, ==, 0);
}

static TtStoreProbe *
probe_as (const char *user)
{
  g_autoptr(TtDbLocation) location = tt_db_location_copy (tt_test_location ());
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TtStoreProbe *probe;

  g_free (location->user);
  location->user = g_strdup (user);
  tt_store_probe_async (location, tt_test_password (), NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  probe = tt_store_probe_finish (result, &error);
  g_assert_no_error (error);
  return probe;
}

/* Test Connection says which way changes will be found for each user,
 * where a trigger is missing. */
static void
test_probe_says_how_changes_are_found (void)
{
  g_autoptr(TtStoreProbe) full = NULL;
  g_autoptr(TtStoreProbe) limited = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  OPEN_STORE_OR_SKIP (store);

  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "DROP TRIGGER tt_journal_tags_update");

  full = probe_as (tt_test_location ()->user);
  g_assert_cmpint (full->change_check, ==, TT_STORE_PROBE_JOURNAL);
  g_assert_cmpstr (full->change_check_text, ==, "Changes made by others are read from the change journal.");
  g_assert_null (full->other_tables[0]);
  limited = probe_as (g_getenv ("TT_TEST_MYSQL_NOTRIGGER_USER"));
  g_assert_cmpint (limited->change_check, ==, TT_STORE_PROBE_SCAN);
  g_assert_nonnull (strstr (limited->change_check_text, "may not create triggers"));
}

/* ---- watch ------------------------------------------------------------ */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GDataInputStream *err;
} Watcher;

/* Changes count from the line on standard error that says it watches:
 * made before it, they are not printed (a slow start, in the sanitizer
 * build, made the tests' changes too early). */
static void
wait_until_watching (Watcher *watcher)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (watcher->err, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("watch ended before it watched");
      if (strstr (line, "watching for changes") != NULL)
        return;
    }
}

static void
start_watch (Watcher *watcher)
{
  g_autoptr(GSubprocessLauncher) launcher = tt_test_cli_launcher ();
  g_autofree char *db = tt_test_location_uri (tt_test_location ());

  if (tt_test_password () != NULL)
    g_subprocess_launcher_setenv (launcher, TT_TEST_DB_PASSWORD_VARIABLE, tt_test_password (), TRUE);
  watcher->process = tt_test_spawn_cli (launcher, db, (const char *[]) { "watch", NULL });
  watcher->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (watcher->process));
  watcher->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (watcher->process));
  wait_until_watching (watcher);
}

static gboolean
time_is_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (*line == NULL)
    *line = g_strdup (error != NULL ? error->message : "(end of output)");
}

/* The next line watch prints, within @ms; fails the test otherwise. */
static char *
next_line_within (Watcher *watcher,
                  guint    ms)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  char *line = NULL;
  gboolean late = FALSE;
  guint timer = g_timeout_add (ms, time_is_up, &late);

  g_data_input_stream_read_line_async (watcher->out, G_PRIORITY_DEFAULT, cancellable, line_read, &line);
  while (line == NULL && !late)
    g_main_context_iteration (NULL, TRUE);
  if (line == NULL)
    g_error ("watch printed nothing within %u ms", ms);
  g_source_remove (timer);
  return line;
}

static void
stop_watch (Watcher *watcher)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (watcher->process, SIGTERM);
  g_subprocess_wait (watcher->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (watcher->process));
  g_assert_cmpint (g_subprocess_get_exit_status (watcher->process), ==, 0);
  g_clear_object (&watcher->out);
  g_clear_object (&watcher->err);
  g_clear_object (&watcher->process);
}

static void
add_tutorial_raw (GdaConnection *raw,
                  const char    *title)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO tutorials (title, description, createdAt, updatedAt)"
                                          " VALUES ('%s', '', " RAW_NOW ", " RAW_NOW ")", title);

  tt_test_raw_exec (raw, sql);
}

/* A change by another process is printed within 2 s; SIGTERM ends it
 * with status 0. */
static void
test_watch_prints_changes (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autofree char *line = NULL;
  g_autofree char *link = NULL;
  Watcher watcher = { NULL };
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  start_watch (&watcher);
  g_usleep (G_USEC_PER_SEC);
  raw = tt_test_raw_open ();
  add_tutorial_raw (raw, "Watched");
  line = next_line_within (&watcher, 2000);
  g_assert_cmpstr (line, ==, "{\"kind\":\"tutorial\",\"op\":\"insert\",\"id\":5,\"title\":\"Watched\"}");
  tt_test_raw_exec (raw, "DELETE FROM tutorial_tag WHERE tutorial_id = 1 AND tag_id = 2");
  link = next_line_within (&watcher, 2000);
  g_assert_cmpstr (link, ==, "{\"kind\":\"link\",\"op\":\"delete\",\"tutorial_id\":1,\"tag_id\":2}");
  stop_watch (&watcher);
}

/* The server restarts under it: watch carries on and prints the change
 * made after. */
static void
test_watch_survives_server_restart (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GdaConnection) raw_again = NULL;
  g_autofree char *line = NULL;
  Watcher watcher = { NULL };
  OPEN_STORE_OR_SKIP (store);

  if (!tt_test_can_stop_server ())
    return;
  start_watch (&watcher);
  g_usleep (G_USEC_PER_SEC);
  g_assert_true (tt_test_server_control ("TT_TEST_MYSQL_RESTART"));
  g_usleep (G_USEC_PER_SEC);
  raw_again = tt_test_raw_open ();
  add_tutorial_raw (raw_again, "After restart");
  line = next_line_within (&watcher, 5000);
  g_assert_cmpstr (line, ==, "{\"kind\":\"tutorial\",\"op\":\"insert\",\"id\":1,\"title\":\"After restart\"}");
  stop_watch (&watcher);
}

int
main (int    argc,
      char **argv)
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/journal/triggers-record-every-change", test_triggers_record_every_change);
  g_test_add_func ("/journal/triggers-come-back", test_triggers_come_back_after_tables_are_made_again);
  g_test_add_func ("/journal/tables-made-again-while-open", test_tables_made_again_while_open);
  g_test_add_func ("/journal/reader-finds-tables-made-again", test_reader_finds_tables_made_again);
  g_test_add_func ("/journal/reader-waits-for-the-tables", test_reader_waits_for_the_tables);
  g_test_add_func ("/journal/prune-bounded-and-resync", test_prune_is_bounded_and_readers_resync);
  g_test_add_func ("/journal/prune-keeps-recent", test_prune_keeps_recent_entries);
  g_test_add_func ("/journal/migration-from-1", test_migration_from_1_keeps_every_row);
  g_test_add_func ("/journal/watch-prints-changes", test_watch_prints_changes);
  if (tt_test_is_mysql ())
    {
      /* Concurrent writers and user privileges are MySQL's only. */
      g_test_add_func ("/journal/late-commit-smaller-id", test_late_commit_with_smaller_id);
      g_test_add_func ("/journal/stamp-reads-journal", test_stamp_reads_the_journal);
      g_test_add_func ("/journal/fallback-without-trigger-privilege", test_fallback_without_trigger_privilege);
      g_test_add_func ("/journal/probe-says-how-changes-are-found", test_probe_says_how_changes_are_found);
      g_test_add_func ("/connection/server-restart/watch", test_watch_survives_server_restart);
    }

  return g_test_run ();
}
