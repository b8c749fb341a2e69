/* test-store-damage.c: a SQLite catalogue file that is damaged, refused or
 * cannot be written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SQLite only. The file is damaged by another program (plain sqlite3 and
 * pwrite), as a disk or a careless copy would: a whole page overwritten,
 * chosen with SQLite's own page map (the dbstat table).
 */

/* unshare() and CLONE_NEWNS */
#define _GNU_SOURCE

#include "config.h"

#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <sys/mount.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <unistd.h>

#include "tt-error-table.h"
#include "tt-salvage-export.h"
#include "tt-store.h"
#include "tt-test-cli.h"
#include "tt-test-damage.h"
#include "tt-test-fixture.h"

#define N_TUTORIALS 3000
#define N_TAGS      300

/* ---- a catalogue to damage --------------------------------------------- */

/* N_TUTORIALS tutorials with three tags each, made through the store. */
static char *
make_catalogue (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);

  for (guint i = 0; i < N_TAGS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Tag %u", i);
      g_autoptr(TtTag) tag = tt_tag_new (0, name);

      g_list_store_append (tags, tag);
    }
  for (guint i = 0; i < N_TUTORIALS; i++)
    {
      g_autofree char *title = g_strdup_printf ("Tutorial %u", i);
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, "A description long enough to fill pages");
      g_autoptr(GListStore) chosen = g_list_store_new (TT_TYPE_TAG);

      for (guint k = 0; k < 3; k++)
        g_list_store_append (chosen, g_list_model_get_item (G_LIST_MODEL (tags), (i * 7 + k * 13) % N_TAGS));
      tt_tutorial_set_tags (tutorial, G_LIST_MODEL (chosen));
      g_list_store_append (tutorials, tutorial);
    }

  tt_store_import (store, G_LIST_MODEL (tutorials), G_LIST_MODEL (tags), &error);
  g_assert_no_error (error);
  tt_store_close (store);
  return g_strdup (tt_test_location ()->path);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
}

/* The file's bytes and whether -wal or -shm files lie beside it. */
static char *
file_state (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *checksum = file_checksum (path);

  return g_strdup_printf ("%s wal=%d shm=%d", checksum,
                          g_file_test (wal, G_FILE_TEST_EXISTS),
                          g_file_test (shm, G_FILE_TEST_EXISTS));
}

static void
assert_open_refused (const char *path,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autofree char *before = file_state (path);
  g_autofree char *after = NULL;

  store = tt_store_open (tt_test_location (), NULL, &error);
  g_assert_error (error, TT_STORE_ERROR, code);
  g_assert_null (store);
  after = file_state (path);
  g_assert_cmpstr (after, ==, before);
}

/* ---- damage found on open ----------------------------------------------- */

static void
test_damaged_table_page_refused (void)
{
  g_autofree char *path = make_catalogue ();

  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tutorials", NULL));
  assert_open_refused (path, TT_STORE_ERROR_CORRUPT);
}

static void
test_damaged_index_page_refused (void)
{
  g_autofree char *path = make_catalogue ();

  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tutorial_tag_tag_id", NULL));
  assert_open_refused (path, TT_STORE_ERROR_CORRUPT);
}

static void
test_damaged_link_page_refused (void)
{
  g_autofree char *path = make_catalogue ();

  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tutorial_tag", NULL));
  assert_open_refused (path, TT_STORE_ERROR_CORRUPT);
}

static TtStore *
open_async_and_wait (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tt_store_open_async (tt_test_location (), NULL, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  return tt_store_open_finish (result, error);
}

/* A window's open leaves the check for after its first lists (1.1 s of
 * 1.5 before the first rows at 1 000 000 tutorials): the open reads and
 * writes nothing it has not checked; the first write checks the file
 * first and is refused, as is the check asked for. Before, the open
 * checked every page (and refused this file). */
static void
test_damage_found_after_async_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_catalogue ();
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tt_change_journal", NULL));
  before = file_state (path);

  store = open_async_and_wait (&error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_false (tt_store_is_damaged (store));

  tag = tt_store_create_tag (store, "Written into a damaged file", &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT);
  g_assert_null (tag);
  g_assert_true (tt_store_is_damaged (store));
  g_clear_error (&error);

  g_assert_false (tt_store_finish_check (store, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT);
  /* Closed, so that anything written would be in the file itself. */
  tt_store_close (store);
  after = file_state (path);
  g_assert_cmpstr (after, ==, before);
}

/* The same file, asked for the check before any write. */
static void
test_damage_found_by_asked_check (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_catalogue ();
  g_autoptr(TtStore) store = NULL;

  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tt_change_journal", NULL));
  store = open_async_and_wait (&error);
  g_assert_no_error (error);

  g_assert_false (tt_store_finish_check (store, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT);
  g_assert_true (tt_store_is_damaged (store));
  /* Both ways of opening refuse it when it is asked for. */
  assert_open_refused (path, TT_STORE_ERROR_CORRUPT);
}

/* The search index is not checked at open (most of a large file, and
 * read by the first search anyway): damaged pages of it open, and the
 * search that meets them says the catalogue is damaged. Before, the open
 * read all of it. (Every leaf page: which one holds what a query reads
 * depends on how FTS5 merged its segments.) */
static void
test_damaged_search_index_found_by_search (void)
{
  TtTutorialQuery query = { .text = "tutorial 12" };
  g_autofree char *path = make_catalogue ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GArray) found = NULL;

  tt_test_damage_leaf_pages (path, "tt_search_text_data");
  store = tt_store_open (tt_test_location (), NULL, &error);
  g_assert_no_error (error);
  found = tt_store_list_tutorial_ids (store, &query, &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT);
  g_assert_null (found);
  g_assert_true (tt_store_is_damaged (store));
}

static void
test_damaged_header_refused (void)
{
  g_autofree char *path = make_catalogue ();

  tt_test_overwrite (path, 0, 100);
  assert_open_refused (path, TT_STORE_ERROR_CORRUPT);
}

/* ---- refused files are left as they were (defect 8) ----------------------- */

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = tt_test_sqlite_open (path);

  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A newer version's catalogue in rollback-journal mode: the WAL pragma
 * would rewrite its header. */
static void
test_newer_schema_left_as_it_was (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autofree char *path = g_strdup (tt_test_location ()->path);

  tt_store_close (store);
  raw_exec (path, "PRAGMA journal_mode = DELETE; UPDATE tt_schema_version SET version = 99");
  assert_open_refused (path, TT_STORE_ERROR_SCHEMA_TOO_NEW);
}

static void
test_newer_schema_in_wal_mode_left_as_it_was (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autofree char *path = g_strdup (tt_test_location ()->path);

  tt_store_close (store);
  raw_exec (path, "UPDATE tt_schema_version SET version = 99");
  assert_open_refused (path, TT_STORE_ERROR_SCHEMA_TOO_NEW);
}

static void
test_not_a_database_left_as_it_was (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autofree char *path = g_strdup (tt_test_location ()->path);
  static const char text[] = "These are my notes, not a catalogue.\n"
                             "They must not be touched by opening them by mistake.\n";

  tt_store_close (store);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  assert_open_refused (path, TT_STORE_ERROR_CORRUPT);
}

/* ---- a lock held by another program (11b) -------------------------------- */

static void
test_lock_held_says_who (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtTag) tag = NULL;
  sqlite3 *other = tt_test_sqlite_open (tt_test_location ()->path);

  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  tag = tt_store_create_tag (store, "Waits ten seconds", &error);
  g_assert_null (tag);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Another program has the catalogue"));
  g_assert_nonnull (strstr (error->message, tt_test_location ()->path));
  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);
}

/* ---- damage that appears while the catalogue is open -------------------- */

/* Another program's write and checkpoint: a new WAL makes the store drop
 * its page cache (a plain write does not), so the damaged page is read
 * from the file. */
static void
write_elsewhere (const char *path)
{
  sqlite3 *db = tt_test_sqlite_open (path);

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA busy_timeout = 5000;"
                                 " UPDATE tags SET name = name WHERE id = 1;"
                                 " PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_damage_while_open_fails_reads_and_writes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_catalogue ();
  g_autoptr(TtStore) store = tt_store_open (tt_test_location (), NULL, &error);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TtTutorialQuery query = { 0 };

  g_assert_no_error (error);
  g_assert_false (tt_store_is_damaged (store));
  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tutorials", NULL));
  write_elsewhere (path);

  query.sort = TT_SORT_BY_ID;
  list = tt_store_list_tutorials (store, &query, &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT);
  g_assert_null (list);
  g_assert_true (tt_store_is_damaged (store));
  g_clear_error (&error);

  /* Nothing more is written into it, not even where it is sound. */
  before = file_state (path);
  tag = tt_store_create_tag (store, "Written into a damaged file", &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT);
  g_assert_null (tag);
  after = file_state (path);
  g_assert_cmpstr (after, ==, before);
}

/* ---- what can still be read ----------------------------------------------- */

static void
assert_salvaged_tutorials_whole (GListModel *tutorials)
{
  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);
      g_autofree char *title = g_strdup_printf ("Tutorial %" G_GINT64_FORMAT, tt_tutorial_get_id (tutorial) - 1);

      g_assert_cmpstr (tt_tutorial_get_title (tutorial), ==, title);
      g_assert_nonnull (tt_tutorial_get_created_at (tutorial));
    }
}

static guint
count_links (GListModel *tutorials)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);

      n += g_list_model_get_n_items (tt_tutorial_get_tags (tutorial));
    }
  return n;
}

/* Everything but the rows of the damaged page, and the file as it was. */
static void
test_salvage_skips_only_the_damaged_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_catalogue ();
  g_autoptr(GListModel) tutorials = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TtSalvageReport report;
  gint64 lost = 0;

  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tutorials", &lost));
  before = file_state (path);
  g_assert_true (tt_store_salvage (tt_test_location (), &tutorials, &tags, &report, &error));
  g_assert_no_error (error);
  after = file_state (path);
  g_assert_cmpstr (after, ==, before);

  g_assert_cmpint (lost, >, 0);
  g_assert_cmpuint (report.n_tutorials, ==, N_TUTORIALS - lost);
  g_assert_cmpuint (g_list_model_get_n_items (tutorials), ==, N_TUTORIALS - lost);
  g_assert_cmpuint (report.n_tags, ==, N_TAGS);
  g_assert_cmpuint (report.n_damaged, ==, 1);
  /* The tutorials read keep all three of their tags. */
  g_assert_cmpuint (count_links (tutorials), ==, 3 * (N_TUTORIALS - lost));
  g_assert_cmpuint (report.n_links, ==, 3 * (N_TUTORIALS - lost));
  assert_salvaged_tutorials_whole (tutorials);
}

static void
test_salvage_reads_links_around_damage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_catalogue ();
  g_autoptr(GListModel) tutorials = NULL;
  g_autoptr(GListModel) tags = NULL;
  TtSalvageReport report;
  gint64 lost = 0;

  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tutorial_tag", &lost));
  g_assert_true (tt_store_salvage (tt_test_location (), &tutorials, &tags, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_tutorials, ==, N_TUTORIALS);
  g_assert_cmpuint (report.n_links, ==, 3 * N_TUTORIALS - lost);
  g_assert_cmpuint (count_links (tutorials), ==, 3 * N_TUTORIALS - lost);
}

/* ---- colours -------------------------------------------------------------- */

/* Every other tag of make_catalogue() gets a palette colour, written by
 * plain sqlite3 into the closed file; "Tag 1" gets one no palette has,
 * as another program could write. */
static void
colour_tags (const char *path)
{
  sqlite3 *db = tt_test_sqlite_open (path);

  g_assert_cmpint (sqlite3_exec (db,
                                 "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 2 FROM n WHERE i + 2 < 300)"
                                 " INSERT INTO tt_tag_colour (tag_id, colour)"
                                 " SELECT t.id, (SELECT CASE n.i % 3 WHEN 0 THEN 'red' WHEN 1 THEN 'blue' ELSE 'brown' END)"
                                 " FROM n JOIN tags t ON t.name = 'Tag ' || n.i;"
                                 " INSERT INTO tt_tag_colour (tag_id, colour)"
                                 " SELECT id, 'pink' FROM tags WHERE name = 'Tag 1'",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The colour colour_tags() gave "Tag @i" if a salvage brings it out. */
static const char *
expected_colour (guint i)
{
  static const char * const colours[] = { "red", "blue", "brown" };

  return i % 2 == 0 ? colours[i % 3] : NULL;
}

/* The export's tags, "Tag N" → its "colour" member (or none). */
static void
assert_export_colours (JsonNode *root,
                       gboolean  with_colours)
{
  JsonArray *tags = json_object_get_array_member (json_node_get_object (root), "tags");

  g_assert_cmpuint (json_array_get_length (tags), ==, N_TAGS);
  for (guint i = 0; i < json_array_get_length (tags); i++)
    {
      JsonObject *tag = json_array_get_object_element (tags, i);
      guint n = 0;

      g_assert_cmpint (sscanf (json_object_get_string_member (tag, "name"), "Tag %u", &n), ==, 1);
      g_assert_cmpstr (json_object_get_string_member_with_default (tag, "colour", NULL), ==,
                       with_colours ? expected_colour (n) : NULL);
    }
}

/* A salvage's export carries the colours it could read, those of the
 * palette only (an import would refuse the others). */
static void
test_salvage_keeps_colours (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_catalogue ();
  g_autoptr(JsonNode) root = NULL;
  TtSalvageReport report;
  gint64 lost = 0;

  colour_tags (path);
  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tutorials", &lost));
  root = tt_salvage_export (tt_test_location (), &report, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_cmpuint (report.n_damaged, ==, 1);
  g_assert_cmpuint (report.n_tutorials, ==, N_TUTORIALS - lost);
  assert_export_colours (root, TRUE);
}

/* The colour table damaged or missing: the tags still come out, without
 * colours; damage is counted as such, a table that is not there is not
 * (a file from before colours has none). */
static void
test_salvage_without_colour_table (void)
{
  gboolean drop_table[] = { FALSE, TRUE };

  for (guint k = 0; k < G_N_ELEMENTS (drop_table); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = make_catalogue ();
      g_autoptr(JsonNode) root = NULL;
      TtSalvageReport report;
      sqlite3 *db;

      colour_tags (path);
      db = tt_test_sqlite_open (path);
      if (drop_table[k])
        g_assert_cmpint (sqlite3_exec (db, "DROP TABLE tt_tag_colour", NULL, NULL, NULL), ==, SQLITE_OK);
      else
        tt_test_damage_page (path, tt_test_sqlite_int (db, "SELECT rootpage FROM sqlite_master WHERE name = 'tt_tag_colour'"));
      sqlite3_close (db);

      root = tt_salvage_export (tt_test_location (), &report, &error);
      g_assert_no_error (error);
      g_assert_nonnull (root);
      g_assert_cmpuint (report.n_damaged, ==, drop_table[k] ? 0 : 1);
      g_assert_cmpuint (report.n_tutorials, ==, N_TUTORIALS);
      g_assert_cmpuint (report.n_links, ==, 3 * N_TUTORIALS);
      assert_export_colours (root, FALSE);
    }
}

/* ---- the command line --------------------------------------------------- */

static CliRun *
run_cli (const char         *db,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = tt_test_cli_launcher ();

  return tt_test_run_cli (launcher, db, NULL, args);
}

static void
test_cli_damaged_file (void)
{
  static const char * const export_args[] = { "export", NULL };
  static const char * const tag_args[] = { "tag", "add", "New", NULL };
  g_autofree char *path = make_catalogue ();
  g_autofree char *db = g_strconcat ("sqlite:", path, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CliRun) exported = NULL;
  g_autoptr(CliRun) tagged = NULL;

  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tutorials", NULL));
  before = file_state (path);

  exported = run_cli (db, export_args);
  g_assert_cmpint (exported->status, ==, TT_EXIT_CORRUPT);
  g_assert_cmpstr (exported->out, ==, "");
  g_assert_nonnull (strstr (exported->err, "damaged"));

  tagged = run_cli (db, tag_args);
  g_assert_cmpint (tagged->status, ==, TT_EXIT_CORRUPT);
  after = file_state (path);
  g_assert_cmpstr (after, ==, before);
}

/* What the window's "Export What Can Be Read…" writes: the readable rows
 * as an export that import takes into a new catalogue, in a thread. */
static void
test_salvage_export_to_file_imports (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_catalogue ();
  g_autofree char *export_path = g_strconcat (path, ".json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (export_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *target = g_strconcat ("sqlite:", path, ".new.db", NULL);
  const char * const import_args[] = { "import", export_path, NULL };
  static const char * const export_args[] = { "export", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CliRun) imported = NULL;
  g_autoptr(CliRun) exported = NULL;
  TtSalvageReport report = { 0 };
  gint64 lost = 0;

  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tutorials", &lost));
  before = file_state (path);
  tt_salvage_export_to_file_async (tt_test_location (), file, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  g_assert_true (tt_salvage_export_to_file_finish (result, &report, &error));
  g_assert_no_error (error);
  after = file_state (path);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (report.n_tutorials, ==, N_TUTORIALS - lost);
  g_assert_cmpuint (report.n_damaged, ==, 1);

  imported = run_cli (target, import_args);
  g_assert_cmpint (imported->status, ==, TT_EXIT_OK);
  exported = run_cli (target, export_args);
  g_assert_cmpint (exported->status, ==, TT_EXIT_OK);
  g_assert_true (json_parser_load_from_data (parser, exported->out, -1, NULL));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "tutorials")),
                    ==, N_TUTORIALS - lost);
}

static void
test_cli_export_salvage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_catalogue ();
  g_autofree char *db = g_strconcat ("sqlite:", path, NULL);
  g_autofree char *out = g_strconcat (path, ".json", NULL);
  const char * const args[] = { "export", "--salvage", out, NULL };
  g_autoptr(CliRun) run = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *counted = NULL;
  JsonObject *root;
  gint64 lost = 0;

  tt_test_damage_page (path, tt_test_middle_leaf_page (path, "tutorials", &lost));
  run = run_cli (db, args);
  /* Written, and still the damaged status: not everything is in it. */
  g_assert_cmpint (run->status, ==, TT_EXIT_CORRUPT);
  json_parser_load_from_file (parser, out, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "tutorials")), ==, N_TUTORIALS - lost);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "tags")), ==, N_TAGS);
  counted = g_strdup_printf ("%" G_GINT64_FORMAT " tutorials", N_TUTORIALS - lost);
  g_assert_nonnull (strstr (run->err, counted));
}

/* ---- a catalogue that cannot be written --------------------------------- */

static gboolean mounts_are_private;

/* What the tests mount lives in a mount namespace of this process only:
 * it goes away with the process, even when a test fails half-way. Needs
 * root, as the tests that mount do. */
static void
make_mounts_private (void)
{
  mounts_are_private = unshare (CLONE_NEWNS) == 0 &&
                       mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
}

static gboolean
can_mount (void)
{
  if (mounts_are_private)
    return TRUE;
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("CI=true but this test cannot mount (it needs root)");
  g_test_skip ("mounting needs root");
  return FALSE;
}

/* The folder @dir, seen read-only from now on, as on a read-only medium. */
static void
mount_read_only (const char *dir)
{
  g_assert_cmpint (mount (dir, dir, NULL, MS_BIND, NULL), ==, 0);
  g_assert_cmpint (mount (NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), ==, 0);
}

/* The Node.js tutorial's catalogue, in WAL mode (as the store leaves it),
 * closed. */
static char *
make_seeded_catalogue (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();

  tt_test_seed (store);
  tt_store_close (store);
  return g_strdup (tt_test_location ()->path);
}

/* Makes @path's folder read-only; returns the file's state then, for
 * end_read_only_folder(). */
static char *
begin_read_only_folder (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  char *before = file_state (path);

  mount_read_only (dir);
  return before;
}

/* The folder writable again, and the file as it was before. */
static void
end_read_only_folder (const char *path,
                      const char *before)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *after = NULL;

  g_assert_cmpint (umount (dir), ==, 0);
  after = file_state (path);
  g_assert_cmpstr (after, ==, before);
}

static void
assert_read_only_refusal (const GError *error,
                          const char   *path)
{
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_cmpint (tt_error_get_exit_status (error), ==, TT_EXIT_FAILED);
}

/* The store on a WAL catalogue in a read-only folder (SQLite cannot make
 * the -shm file it reads through): reads work, a write is refused. */
static void
test_read_only_folder_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GListModel) tutorials = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;

  if (!can_mount ())
    return;

  path = make_seeded_catalogue ();
  before = begin_read_only_folder (path);

  store = tt_store_open (tt_test_location (), NULL, &error);
  g_assert_no_error (error);
  tutorials = tt_store_list_tutorials (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tutorials), ==, 4);

  tag = tt_store_create_tag (store, "New", &error);
  g_assert_null (tag);
  assert_read_only_refusal (error, path);
  tt_store_close (store);
  end_read_only_folder (path, before);
}

/* A catalogue of the previous schema (3: no search index) in a
 * read-only folder is read as it is, search included (it reads the
 * tables); before, its migration was refused and nothing could be read. */
static void
test_read_only_folder_older_schema (void)
{
  TtTutorialQuery query = { .text = "TUT#3" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;

  if (!can_mount ())
    return;

  path = make_seeded_catalogue ();
  raw_exec (path, "DROP TRIGGER tt_search_tutorials_insert; DROP TRIGGER tt_search_tutorials_update;"
                  " DROP TRIGGER tt_search_tutorials_delete; DROP TABLE tt_search_text;"
                  " DROP TABLE tt_search_stale; UPDATE tt_schema_version SET version = 3");
  before = begin_read_only_folder (path);

  store = tt_store_open (tt_test_location (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_store_get_schema_version (store), ==, 3);
  found = tt_store_list_tutorials (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  tt_store_close (store);
  end_read_only_folder (path, before);
}

/* The same through the command line: export and show work, a change
 * exits with the error table's status and names the file. */
static void
test_read_only_folder_cli (void)
{
  static const char * const export_args[] = { "export", NULL };
  static const char * const show_args[] = { "tutorial", "show", "3", NULL };
  static const char * const tag_args[] = { "tag", "add", "New", NULL };
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr(CliRun) exported = NULL;
  g_autoptr(CliRun) shown = NULL;
  g_autoptr(CliRun) tagged = NULL;

  if (!can_mount ())
    return;

  path = make_seeded_catalogue ();
  dir = g_path_get_dirname (path);
  db = g_strconcat ("sqlite:", path, NULL);
  mount_read_only (dir);

  exported = run_cli (db, export_args);
  g_assert_cmpint (exported->status, ==, TT_EXIT_OK);
  g_assert_nonnull (strstr (exported->out, "Tut#4"));
  shown = run_cli (db, show_args);
  g_assert_cmpint (shown->status, ==, TT_EXIT_OK);
  g_assert_nonnull (strstr (shown->out, "Tut#3"));

  tagged = run_cli (db, tag_args);
  g_assert_cmpint (tagged->status, ==, TT_EXIT_FAILED);
  g_assert_nonnull (strstr (tagged->err, path));
  g_assert_nonnull (strstr (tagged->err, "read-only"));
  g_assert_cmpint (umount (dir), ==, 0);
}

/* Runs the CLI as the user nobody, for whom permissions count (they do
 * not for root). */
static CliRun *
run_cli_as_nobody (const char         *db,
                   const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = tt_test_cli_launcher ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CliRun *run = g_new0 (CliRun, 1);

  static const char * const as_nobody[] = {
    "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", TT_CLI_PATH, "--db", NULL
  };

  for (guint i = 0; as_nobody[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) as_nobody[i]);
  g_ptr_array_add (argv, (gpointer) db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("as nobody: %s → %d\n%s%s", args[0], run->status, run->out, run->err);
  return run;
}

/* A catalogue file that its owner made read-only (chmod 444), in a folder
 * that user may write: reads work, a change names the file. */
static void
test_read_only_file_cli (void)
{
  static const char * const show_args[] = { "tutorial", "show", "3", NULL };
  static const char * const tag_args[] = { "tag", "add", "New", NULL };
  static const char * const sqlite_suffixes[] = { "", "-wal", "-shm" };
  g_autofree char *dir = g_dir_make_tmp ("tt-read-only-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "catalogue.db", NULL);
  g_autofree char *db = g_strconcat ("sqlite:", path, NULL);
  g_autoptr(TtDbLocation) location = tt_db_location_new_sqlite (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(CliRun) shown = NULL;
  g_autoptr(CliRun) tagged = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  struct passwd *nobody = getpwnam ("nobody");

  g_assert_nonnull (nobody);
  store = tt_store_open (location, NULL, &error);
  g_assert_no_error (error);
  tt_test_seed (store);
  tt_store_close (store);
  g_assert_cmpint (chown (dir, nobody->pw_uid, nobody->pw_gid), ==, 0);
  g_assert_cmpint (chown (path, nobody->pw_uid, nobody->pw_gid), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  tt_test_make_ancestors_passable (dir);
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  /* SQLite makes its -wal and -shm files beside it: the folder is
   * writable; the catalogue itself must stay as it was. */
  before = file_checksum (path);

  shown = run_cli_as_nobody (db, show_args);
  g_assert_cmpint (shown->status, ==, TT_EXIT_OK);
  g_assert_nonnull (strstr (shown->out, "Tut#3"));
  tagged = run_cli_as_nobody (db, tag_args);
  g_assert_cmpint (tagged->status, ==, TT_EXIT_FAILED);
  g_assert_nonnull (strstr (tagged->err, path));
  g_assert_nonnull (strstr (tagged->err, "read-only"));

  after = file_checksum (path);
  g_assert_cmpstr (after, ==, before);
  for (guint i = 0; i < G_N_ELEMENTS (sqlite_suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, sqlite_suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

/* ---- a full disk ---------------------------------------------------------- */

/* A seeded catalogue alone on a 1 MiB file system, which 600 tutorials
 * of 2000 characters each cannot fit into. */
static char *
make_catalogue_on_small_disk (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tt-full-disk-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "catalogue.db", NULL);
  g_autoptr(TtDbLocation) location = tt_db_location_new_sqlite (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;

  g_assert_cmpint (mount ("tmpfs", dir, "tmpfs", 0, "size=1m"), ==, 0);
  store = tt_store_open (location, NULL, &error);
  g_assert_no_error (error);
  tt_test_seed (store);
  tt_store_close (store);
  return g_steal_pointer (&path);
}

static void
remove_small_disk (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (umount (dir), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

#define N_BIG_TUTORIALS 600

static char *
too_much_to_import (void)
{
  g_autofree char *description = g_strnfill (2000, 'x');
  GString *json = g_string_new ("[");

  for (guint i = 0; i < N_BIG_TUTORIALS; i++)
    g_string_append_printf (json, "%s{ \"title\": \"Big %u\", \"description\": \"%s\", \"tags\": [ \"Tag %u\" ] }",
                            i > 0 ? ", " : "", i, description, i % 50);
  g_string_append (json, "]");
  return g_string_free (json, FALSE);
}

/* The same as objects, for the store. */
static GListModel *
too_many_tutorials (void)
{
  g_autofree char *description = g_strnfill (2000, 'x');
  GListStore *tutorials = g_list_store_new (TT_TYPE_TUTORIAL);

  for (guint i = 0; i < N_BIG_TUTORIALS; i++)
    {
      g_autofree char *title = g_strdup_printf ("Big %u", i);
      g_autofree char *name = g_strdup_printf ("Tag %u", i % 50);
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, description);
      g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
      g_autoptr(TtTag) tag = tt_tag_new (0, name);

      g_list_store_append (tags, tag);
      tt_tutorial_set_tags (tutorial, G_LIST_MODEL (tags));
      g_list_store_append (tutorials, tutorial);
    }
  return G_LIST_MODEL (tutorials);
}

static char *
dump_catalogue_at (const char *path)
{
  g_autoptr(TtDbLocation) location = tt_db_location_new_sqlite (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (location, NULL, &error);

  g_assert_no_error (error);
  return tt_test_dump_catalogue (store, TRUE);
}

/* SQLite rolls the transaction back itself on SQLITE_FULL: the store's
 * ROLLBACK after it finds none, which is expected, not worth a warning
 * (the test's log handler makes a warning fatal). */
static void
test_full_disk_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GListModel) tutorials = too_many_tutorials ();
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (!can_mount ())
    return;

  path = make_catalogue_on_small_disk ();
  before = dump_catalogue_at (path);

  location = tt_db_location_new_sqlite (path);
  store = tt_store_open (location, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (tt_store_import (store, tutorials, NULL, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DISK_FULL);
  g_assert_nonnull (strstr (error->message, path));
  after = tt_test_dump_catalogue (store, TRUE);
  g_assert_cmpstr (after, ==, before);
  tt_store_close (store);
  remove_small_disk (path);
}

/* The command line says that the disk is full, and nothing else. */
static void
test_full_disk_cli (void)
{
  static const char * const import_args[] = { "import", "-", NULL };
  g_autoptr(GSubprocessLauncher) launcher = tt_test_cli_launcher ();
  g_autoptr(CliRun) run = NULL;
  g_autofree char *path = NULL;
  g_autofree char *db = NULL;
  g_autofree char *json = too_much_to_import ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;

  if (!can_mount ())
    return;

  path = make_catalogue_on_small_disk ();
  db = g_strconcat ("sqlite:", path, NULL);
  before = dump_catalogue_at (path);

  run = tt_test_run_cli (launcher, db, json, import_args);
  g_assert_cmpint (run->status, ==, TT_EXIT_FAILED);
  expected = g_strdup_printf ("tutorial-tags-cli: The disk that holds the catalogue “%s” is full; nothing was changed. Free some disk space, then try again.\n", path);
  g_assert_cmpstr (run->err, ==, expected);
  after = dump_catalogue_at (path);
  g_assert_cmpstr (after, ==, before);
  remove_small_disk (path);
}

int
main (int   argc,
      char *argv[])
{
  /* Before any thread starts: unshare() refuses a process with threads. */
  make_mounts_private ();
  tt_test_init (&argc, &argv);

  g_test_add_func ("/damage/table-page-refused", test_damaged_table_page_refused);
  g_test_add_func ("/damage/index-page-refused", test_damaged_index_page_refused);
  g_test_add_func ("/damage/link-page-refused", test_damaged_link_page_refused);
  g_test_add_func ("/damage/header-refused", test_damaged_header_refused);
  g_test_add_func ("/damage/found-after-async-open", test_damage_found_after_async_open);
  g_test_add_func ("/damage/found-by-asked-check", test_damage_found_by_asked_check);
  g_test_add_func ("/damage/salvage/table-page", test_salvage_skips_only_the_damaged_page);
  g_test_add_func ("/damage/salvage/link-page", test_salvage_reads_links_around_damage);
  g_test_add_func ("/damage/salvage/to-file", test_salvage_export_to_file_imports);
  g_test_add_func ("/damage/salvage/colours", test_salvage_keeps_colours);
  g_test_add_func ("/damage/salvage/without-colour-table", test_salvage_without_colour_table);
  g_test_add_func ("/damage/cli/refused", test_cli_damaged_file);
  g_test_add_func ("/damage/cli/export-salvage", test_cli_export_salvage);
  g_test_add_func ("/refused/newer-schema", test_newer_schema_left_as_it_was);
  g_test_add_func ("/refused/newer-schema-wal", test_newer_schema_in_wal_mode_left_as_it_was);
  g_test_add_func ("/refused/not-a-database", test_not_a_database_left_as_it_was);
  g_test_add_func ("/lock/held-by-another-program", test_lock_held_says_who);
  g_test_add_func ("/damage/while-open", test_damage_while_open_fails_reads_and_writes);
  g_test_add_func ("/read-only/folder/store", test_read_only_folder_store);
  g_test_add_func ("/read-only/folder/cli", test_read_only_folder_cli);
  g_test_add_func ("/read-only/folder/older-schema", test_read_only_folder_older_schema);
  g_test_add_func ("/damage/search-index", test_damaged_search_index_found_by_search);
  g_test_add_func ("/read-only/file/cli", test_read_only_file_cli);
  g_test_add_func ("/full-disk/store", test_full_disk_store);
  g_test_add_func ("/full-disk/cli", test_full_disk_cli);

  return g_test_run ();
}
