/* test-store-search.c: the search index of folded text (tt-store-search.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * That search finds exactly what the fold promises, on both backends, is
 * test-store.c's /store/search-folds. Here: that search reads the index,
 * and that the index follows every change, whoever makes it (plain SQL on
 * another connection, as the Node.js app), through the tables being made
 * again, and from a catalogue of schema 3.
 */

#include "config.h"

#include "tt-gda-autocleanups.h"
#include "tt-test-fixture.h"

#define RAW_NOW "'2024-01-01 10:00:00'"

/* The ids @text finds, "1,3", in id order, through the ids the window
 * reads. */
static char *
found (TtStore    *store,
       const char *text)
{
  TtTutorialQuery q = { .text = text, .sort = TT_SORT_BY_ID };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = tt_store_list_tutorial_ids (store, &q, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", g_array_index (ids, gint64, i));
  return g_string_free (out, FALSE);
}

#define assert_found(store, text, expected) G_STMT_START { \
  g_autofree char *_found = found (store, text); \
  g_assert_cmpstr (_found, ==, expected); \
} G_STMT_END

static gint64
add_tutorial (TtStore    *store,
              const char *title,
              const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tutorial = tt_store_create_tutorial (store, title, description, &error);

  g_assert_no_error (error);
  return tt_tutorial_get_id (tutorial);
}

static gint64
stale_entries (GdaConnection *raw)
{
  return tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_search_stale");
}

/* ---- the index is what search reads ---------------------------------- */

/* A word written into the index alone (no tutorial has it) is found:
 * search reads the index, not the tutorials (before, it scanned them and
 * found nothing). Three characters and more go through SQLite's trigram
 * index, fewer are read off the same rows. */
static void
test_search_reads_the_index (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  OPEN_STORE_OR_SKIP (store);

  add_tutorial (store, "Café au lait", "Zürich");
  add_tutorial (store, "Tea", NULL);
  assert_found (store, "zur", "1");

  raw = tt_test_raw_open ();
  g_assert_cmpint (stale_entries (raw), ==, 0);
  tt_test_raw_exec (raw, tt_test_is_mysql ()
                           ? "UPDATE tt_search_text SET description = 'xyzzy' WHERE tutorial_id = 2"
                           : "UPDATE tt_search_text SET description = 'xyzzy' WHERE rowid = 2");
  assert_found (store, "xyzzy", "2");
  assert_found (store, "yz", "2");
  assert_found (store, "tea", "2");
}

/* ---- it follows other clients ----------------------------------------- */

/* Tutorials added, edited and deleted with plain SQL: search finds them
 * as they are now, both while their index rows are stale (the store
 * folds them itself; here the refresh is made to fail) and once the
 * next search brought the index up to date. */
static void
test_index_follows_other_clients (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  OPEN_STORE_OR_SKIP (store);

  add_tutorial (store, "Python basics", "Strings");
  add_tutorial (store, "GTK widgets", "Lists");
  assert_found (store, "pyth", "1");
  raw = tt_test_raw_open ();

  tt_test_raw_exec (raw, "UPDATE tutorials SET title = 'ZÜRICH guide' WHERE id = 1");
  tt_test_raw_exec (raw, "UPDATE tutorials SET updatedAt = " RAW_NOW " WHERE id = 2");
  tt_test_raw_exec (raw, "INSERT INTO tutorials (id, title, description, createdAt, updatedAt)"
                         " VALUES (5, 'Straße', 'Café', " RAW_NOW ", " RAW_NOW ")");
  tt_test_raw_exec (raw, "DELETE FROM tutorials WHERE id = 2");
  /* A change of time alone lists nothing. */
  g_assert_cmpint (stale_entries (raw), ==, 3);

  tt_store_debug_fail_statement (store, 1);
  assert_found (store, "pyth", "");
  g_assert_cmpint (stale_entries (raw), ==, 3);
  assert_found (store, "zurich", "1");
  assert_found (store, "strasse", "5");
  assert_found (store, "widget", "");
  assert_found (store, "cafe", "5");

  g_assert_cmpint (stale_entries (raw), ==, 0);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_search_text"), ==, 2);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_search_text WHERE title = 'zurich guide'"), ==, 1);
  assert_found (store, "pyth", "");
  assert_found (store, "zurich", "1");
  assert_found (store, "h g", "1");
}

/* Title and description are apart in the index: no match spans them. */
static void
test_no_match_across_fields (void)
{
  OPEN_STORE_OR_SKIP (store);

  add_tutorial (store, "Rust", "Cargo");
  assert_found (store, "rust", "1");
  assert_found (store, "rustcargo", "");
  assert_found (store, "rust\ncargo", "");
  assert_found (store, "t\nc", "");
}

/* Text the FTS5 query language would read as syntax is matched as it
 * is: quotes, stars, operators. */
static void
test_query_syntax_is_text (void)
{
  OPEN_STORE_OR_SKIP (store);

  add_tutorial (store, "Say \"hello\" AND NOT *bye*", "a OR b NEAR(c)");
  add_tutorial (store, "hello bye", NULL);
  assert_found (store, "\"hello\"", "1");
  assert_found (store, "and not *", "1");
  assert_found (store, "*bye*", "1");
  assert_found (store, "near(c)", "1");
  assert_found (store, "hello", "1,2");
  assert_found (store, "\"", "1");
  assert_found (store, "\"\"", "");
}

/* ---- tables made again, and older catalogues ------------------------- */

/* Sequelize's sync({force: true}) drops tutorials (and the index's
 * triggers) and makes it again, its ids from 1: the old index rows say
 * nothing about the new tutorials. The next open lists them all stale. */
static void
test_tables_made_again (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtStore) again = NULL;
  OPEN_STORE_OR_SKIP (store);

  add_tutorial (store, "Old tutorial", NULL);
  assert_found (store, "old", "1");
  tt_store_close (store);

  raw = tt_test_raw_open ();
  tt_test_make_tables_again (raw);
  tt_test_raw_exec (raw, "INSERT INTO tutorials (id, title, description, createdAt, updatedAt)"
                         " VALUES (1, 'New tutorial', NULL, " RAW_NOW ", " RAW_NOW ")");

  again = tt_test_reopen_store ();
  assert_found (again, "old", "");
  assert_found (again, "new", "1");
  tt_test_raw_exec (raw, "UPDATE tutorials SET title = 'Newer' WHERE id = 1");
  assert_found (again, "newer", "1");
}

/* A catalogue of schema 3 gets the index at its next open, filled with
 * every tutorial. */
static void
test_migration_from_3 (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtStore) again = NULL;
  OPEN_STORE_OR_SKIP (store);

  add_tutorial (store, "Ångström", "units");
  add_tutorial (store, "ﬁle systems", NULL);
  tt_store_close (store);

  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "DROP TRIGGER tt_search_tutorials_insert");
  tt_test_raw_exec (raw, "DROP TRIGGER tt_search_tutorials_update");
  tt_test_raw_exec (raw, "DROP TRIGGER tt_search_tutorials_delete");
  tt_test_raw_exec (raw, "DROP TABLE tt_search_text");
  tt_test_raw_exec (raw, "DROP TABLE tt_search_stale");
  tt_test_raw_exec (raw, "UPDATE tt_schema_version SET version = 3");

  again = tt_test_reopen_store ();
  g_assert_cmpint (tt_store_get_schema_version (again), ==, TT_SCHEMA_VERSION);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_search_text"), ==, 2);
  g_assert_cmpint (stale_entries (raw), ==, 0);
  assert_found (again, "angstrom", "1");
  assert_found (again, "file", "2");
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/search/reads-the-index", test_search_reads_the_index);
  g_test_add_func ("/search/follows-other-clients", test_index_follows_other_clients);
  g_test_add_func ("/search/no-match-across-fields", test_no_match_across_fields);
  g_test_add_func ("/search/query-syntax-is-text", test_query_syntax_is_text);
  g_test_add_func ("/search/tables-made-again", test_tables_made_again);
  g_test_add_func ("/search/migration-from-3", test_migration_from_3);

  return g_test_run ();
}
