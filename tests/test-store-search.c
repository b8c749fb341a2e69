/* test-store-search.c: the search index of folded text (tt-store-search.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * That search finds exactly what the fold promises, on both backends, is
 * test-store.c's /store/search-folds. Here: that search reads the index,
 * and that the index follows every change, whoever makes it (plain SQL on
 * another connection, as the Node.js app), through the tables being made
 * again, and from a catalogue of schema 3; and that a search sorted by
 * the order the store kept from the whole list (tt-store-order.c) is the
 * order the database sorts, whoever changed what since.
 */

#include "config.h"

#include "tt-gda-autocleanups.h"
#include "tt-test-fixture.h"

#define RAW_NOW "'2024-01-01 10:00:00'"

/* Appends @id to "3,1,2". */
static void
append_id (GString *out,
           gint64   id)
{
  g_string_append_printf (out, "%s%" G_GINT64_FORMAT, out->len > 0 ? "," : "", id);
}

/* The ids @query lists, "3,1,2", through the ids the window reads (which
 * a search takes from the kept order). */
static char *
listed (TtStore               *store,
        const TtTutorialQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = tt_store_list_tutorial_ids (store, query, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    append_id (out, g_array_index (ids, gint64, i));
  return g_string_free (out, FALSE);
}

/* The ids @text finds, "1,3", in id order. */
static char *
found (TtStore    *store,
       const char *text)
{
  TtTutorialQuery q = { .text = text, .sort = TT_SORT_BY_ID };

  return listed (store, &q);
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

/* Makes the next search's update of the index fail. On SQLite the search
 * first reads the schema cookie (tt_store_readopt_if_remade()). */
static void
fail_index_refresh (TtStore *store)
{
  tt_store_debug_fail_statement (store, tt_test_is_mysql () ? 1 : 2);
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

  fail_index_refresh (store);
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

/* ---- an import indexes what it adds -------------------------------- */

static GListModel *
tutorials_titled (const char * const *titles)
{
  GListStore *tutorials = g_list_store_new (TT_TYPE_TUTORIAL);

  for (guint i = 0; titles[i] != NULL; i++)
    {
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, titles[i], "Grüße");

      g_list_store_append (tutorials, tutorial);
    }
  return G_LIST_MODEL (tutorials);
}

static gboolean
two_batches (gpointer       data,
             TtImportSink   sink,
             gpointer       sink_data,
             GError       **error)
{
  static const char * const first[] = { "Café one", "Café two", NULL };
  static const char * const second[] = { "Straße three", NULL };
  g_autoptr(GListModel) first_batch = tutorials_titled (first);
  g_autoptr(GListModel) second_batch = tutorials_titled (second);

  return sink (sink_data, first_batch, NULL, error) && sink (sink_data, second_batch, NULL, error);
}

/* The import inside a transaction of the caller's: the store brings the
 * index up to date only outside one. */
static gboolean
import_without_refresh (TtStore   *store,
                        gpointer   data,
                        GError   **error)
{
  return tt_store_import_stream (store, two_batches, NULL, NULL, NULL, error);
}

/* On SQLite an import writes the index rows of the tutorials it adds in
 * its own transaction and takes them off the stale list; before, it left
 * them to the refresh after the commit, which read each one back. On
 * MySQL it still leaves them to the refresh (the shared index is not
 * locked for the length of an import): search finds them as candidates
 * meanwhile. */
static void
test_import_indexes_what_it_adds (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GError) error = NULL;
  OPEN_STORE_OR_SKIP (store);

  add_tutorial (store, "Old", NULL);
  assert_found (store, "old", "1");
  g_assert_true (tt_store_run_atomically (store, import_without_refresh, NULL, &error));
  g_assert_no_error (error);

  raw = tt_test_raw_open ();
  if (tt_test_is_mysql ())
    {
      g_assert_cmpint (stale_entries (raw), ==, 3);
      g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_search_text"), ==, 1);
    }
  else
    {
      g_assert_cmpint (stale_entries (raw), ==, 0);
      g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_search_text"), ==, 4);
      g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_search_text"
                                               " WHERE title = 'strasse three' AND description = 'grusse'"), ==, 1);
      /* The settings tt-store-search.c gives the index when making it. */
      g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT v FROM tt_search_text_config WHERE k = 'automerge'"), ==, 16);
      g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT v FROM tt_search_text_config WHERE k = 'hashsize'"),
                       ==, 16 * 1024 * 1024);
    }

  fail_index_refresh (store);
  assert_found (store, "cafe", "2,3");
  assert_found (store, "strasse", "4");
  assert_found (store, "grusse", "2,3,4");
}

/* An index made before tt-store-search.c gave it its settings (FTS5's
 * defaults: automerge 4, hashsize 1 MiB, which made a large import's
 * index build twice as long) gets them at the next import. */
static void
test_import_gives_an_old_index_its_settings_sqlite (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GError) error = NULL;
  OPEN_STORE_OR_SKIP (store);

  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "DELETE FROM tt_search_text_config WHERE k IN ('automerge', 'hashsize')");
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_search_text_config"
                                           " WHERE k IN ('automerge', 'hashsize')"), ==, 0);

  g_assert_true (tt_store_run_atomically (store, import_without_refresh, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT v FROM tt_search_text_config WHERE k = 'automerge'"), ==, 16);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT v FROM tt_search_text_config WHERE k = 'hashsize'"),
                   ==, 16 * 1024 * 1024);
  assert_found (store, "cafe", "1,2");
}

/* A tutorial the import adds under an id that still has an index row
 * (of a tutorial deleted before, its entry not yet handled; SQLite
 * reuses ids in a table without AUTOINCREMENT) gets its own row. */
static void
test_import_replaces_an_old_index_row (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GError) error = NULL;
  OPEN_STORE_OR_SKIP (store);

  add_tutorial (store, "Old", NULL);
  add_tutorial (store, "Zebra", NULL);
  assert_found (store, "zebra", "2");
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "DELETE FROM tutorials WHERE id = 2");
  tt_test_raw_exec (raw, "DELETE FROM tt_search_stale");
  tt_test_raw_exec (raw, tt_test_is_mysql () ? "ALTER TABLE tutorials AUTO_INCREMENT = 2"
                                             : "UPDATE sqlite_sequence SET seq = 1 WHERE name = 'tutorials'");

  g_assert_true (tt_store_run_atomically (store, import_without_refresh, NULL, &error));
  g_assert_no_error (error);
  fail_index_refresh (store);
  assert_found (store, "zebra", "");
  assert_found (store, "cafe", "2,3");
}

/* ---- a search in the kept order ------------------------------------ */

/* The ids @query lists, "3,1,2", through the tutorials, which the
 * database always sorts itself. */
static char *
sorted_by_database (TtStore               *store,
                    const TtTutorialQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tutorials = tt_store_list_tutorials (store, query, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);

      append_id (out, tt_tutorial_get_id (tutorial));
    }
  return g_string_free (out, FALSE);
}

/* Reads the whole list in @query's order (the store keeps it), then
 * searches for @text in that order: the ids must be those the database
 * sorts, and not none. */
static void
assert_search_in_order (TtStore               *store,
                        const TtTutorialQuery *query,
                        const char            *text)
{
  TtTutorialQuery search = *query;
  g_autofree char *ids = NULL;
  g_autofree char *sorted = NULL;

  search.text = text;
  ids = listed (store, &search);
  sorted = sorted_by_database (store, &search);
  g_assert_cmpstr (ids, ==, sorted);
  if (*ids == '\0')
    g_error ("“%s” found nothing", text);
}

static const char * const order_words[] = {
  "Python", "Café", "ZÜRICH", "naïve", "gtk", "Widget", "rust", "Straße", "strasse",
};

#define N_ORDER_WORDS G_N_ELEMENTS (order_words)

/* 1 350 tutorials of two words and a number from a few: every title three
 * times (ties, broken by id), some without a title (sorted as ""), some
 * tagged with an ASCII tag, some with a non-ASCII one (a search
 * candidate the store folds itself); and one with an id far from the
 * others. */
static void
fill_for_order (TtStore *store)
{
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GArray) ascii = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) non_ascii = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GdaConnection) raw = tt_test_raw_open ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) tips = NULL;
  g_autoptr(TtTag) bahn = NULL;
  g_autoptr(GArray) ids = NULL;
  TtTutorialQuery by_id = { .sort = TT_SORT_BY_ID };

  for (guint i = 0; i < 1350; i++)
    {
      g_autofree char *title = g_strdup_printf ("%s %s %u", order_words[i % N_ORDER_WORDS],
                                                order_words[(i * 7) % N_ORDER_WORDS], i % 50);
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, order_words[(i * 5) % N_ORDER_WORDS]);

      g_list_store_append (tutorials, tutorial);
    }
  g_assert_true (tt_store_import (store, G_LIST_MODEL (tutorials), NULL, &error));
  g_assert_no_error (error);
  tt_test_raw_exec (raw, "UPDATE tutorials SET title = NULL WHERE id % 97 = 0");
  /* Ids far apart: the store looks them up in a hash table. */
  tt_test_raw_exec (raw, "INSERT INTO tutorials (id, title, description, createdAt, updatedAt)"
                         " VALUES (2000000000, 'Python far away', 'rust', " RAW_NOW ", " RAW_NOW ")");

  ids = tt_store_list_tutorial_ids (store, &by_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    {
      if (i % 13 == 0)
        g_array_append_val (ascii, g_array_index (ids, gint64, i));
      if (i % 17 == 0)
        g_array_append_val (non_ascii, g_array_index (ids, gint64, i));
    }
  tips = tt_store_create_tag (store, "pythonic tips", &error);
  g_assert_no_error (error);
  bahn = tt_store_create_tag (store, "Zürich-Bahn", &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_link_many (store, (gint64 *) ascii->data, ascii->len,
                                     tt_tag_get_id (tips), 0, NULL, &error));
  g_assert_true (tt_store_link_many (store, (gint64 *) non_ascii->data, non_ascii->len,
                                     tt_tag_get_id (bahn), 0, NULL, &error));
  g_assert_no_error (error);
}

/* Every sort, both ways, many searches: a search sorted by the kept
 * order lists what the database sorts, ties and missing titles too. */
static void
test_kept_order_is_the_sorted_order (void)
{
  static const TtSortKey sorts[] = { TT_SORT_BY_TITLE, TT_SORT_BY_ID, TT_SORT_BY_CREATED, TT_SORT_BY_UPDATED };
  static const char * const texts[] = {
    "pyth", "cafe", "CAFÉ", "zurich w", "strasse", "naive", "gtk cafe", "rust rust 1", "ust", "python 4",
    "bahn", "tips", "ic t", "urich-bahn",
  };
  OPEN_STORE_OR_SKIP (store);

  fill_for_order (store);
  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (guint d = 0; d < 2; d++)
      {
        TtTutorialQuery query = { .sort = sorts[s], .descending = d == 1 };
        g_autofree char *all = listed (store, &query);
        g_autofree char *all_sorted = sorted_by_database (store, &query);

        g_assert_cmpstr (all, ==, all_sorted);
        for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
          assert_search_in_order (store, &query, texts[t]);
      }
}

/* Three tutorials holding "python", last updated long ago, their index
 * rows up to date, listed by when they were updated, the latest first
 * (the store keeps that order): "3,2,1". */
static void
fill_updated_long_ago (TtStore       *store,
                       GdaConnection *raw)
{
  const TtTutorialQuery by_updated = { .sort = TT_SORT_BY_UPDATED, .descending = TRUE };
  g_autofree char *all = NULL;

  add_tutorial (store, "Python one", NULL);
  add_tutorial (store, "Python two", NULL);
  add_tutorial (store, "Python three", NULL);
  assert_found (store, "pyth", "1,2,3");
  tt_test_raw_exec (raw, "UPDATE tutorials SET updatedAt = '2020-01-01 10:00:00'");
  g_assert_cmpint (stale_entries (raw), ==, 0);
  all = listed (store, &by_updated);
  g_assert_cmpstr (all, ==, "3,2,1");
}

/* Another client changes the order and no text (so no search index row
 * goes stale and the store writes nothing): SQLite's data_version, or
 * MySQL's change journal, says the kept order is out of date. */
static void
test_kept_order_follows_other_clients (void)
{
  const TtTutorialQuery by_updated = { .sort = TT_SORT_BY_UPDATED, .descending = TRUE, .text = "pyth" };
  g_autoptr(GdaConnection) raw = NULL;
  g_autofree char *found_ids = NULL;
  OPEN_STORE_OR_SKIP (store);

  raw = tt_test_raw_open ();
  fill_updated_long_ago (store, raw);
  tt_test_raw_exec (raw, "UPDATE tutorials SET updatedAt = '2030-01-01 10:00:00' WHERE id = 1");

  found_ids = listed (store, &by_updated);
  g_assert_cmpstr (found_ids, ==, "1,3,2");
}

/* The store's own change of order without a change of text (saving a
 * tutorial unchanged touches updatedAt): SQLite's total_changes(), or
 * MySQL's change journal, says the kept order is out of date. */
static void
test_kept_order_follows_own_changes (void)
{
  const TtTutorialQuery by_updated = { .sort = TT_SORT_BY_UPDATED, .descending = TRUE, .text = "pyth" };
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) saved = NULL;
  g_autofree char *found_ids = NULL;
  OPEN_STORE_OR_SKIP (store);

  raw = tt_test_raw_open ();
  fill_updated_long_ago (store, raw);
  saved = tt_store_update_tutorial (store, 1, "Python one", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stale_entries (raw), ==, 0);

  found_ids = listed (store, &by_updated);
  g_assert_cmpstr (found_ids, ==, "1,3,2");
}

/* Tutorials whose index rows are stale while the index cannot be
 * brought up to date (the refresh fails) are candidates the store folds
 * itself: one now found, one whose old index row still matches and is
 * not found. */
static void
test_kept_order_with_candidates (void)
{
  const TtTutorialQuery by_title = { .sort = TT_SORT_BY_TITLE };
  const TtTutorialQuery search = { .sort = TT_SORT_BY_TITLE, .text = "python" };
  g_autoptr(GdaConnection) raw = NULL;
  g_autofree char *all = NULL;
  g_autofree char *found_ids = NULL;
  g_autofree char *sorted = NULL;
  OPEN_STORE_OR_SKIP (store);

  add_tutorial (store, "python a", NULL);
  add_tutorial (store, "gtk b", NULL);
  add_tutorial (store, "python c", NULL);
  assert_found (store, "python", "1,3");
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "UPDATE tutorials SET title = 'python b ZÜRICH' WHERE id = 2");
  tt_test_raw_exec (raw, "UPDATE tutorials SET title = 'gtk c' WHERE id = 3");
  all = listed (store, &by_title);
  g_assert_cmpstr (all, ==, "3,1,2");

  fail_index_refresh (store);
  found_ids = listed (store, &search);
  g_assert_cmpint (stale_entries (raw), ==, 2);
  g_assert_cmpstr (found_ids, ==, "1,2");
  sorted = sorted_by_database (store, &search);
  g_assert_cmpstr (sorted, ==, found_ids);
}

/* Sequelize's sync({force: true}) while the store has the order kept:
 * new tables, ids from 1 again, no triggers until the store adopts the
 * tables again (on MySQL its change journal cannot be read till then).
 * The search lists the new tutorials in their order, without an
 * error. */
static void
test_kept_order_tables_made_again (void)
{
  const TtTutorialQuery by_title = { .sort = TT_SORT_BY_TITLE };
  const TtTutorialQuery search = { .sort = TT_SORT_BY_TITLE, .text = "pyth" };
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *all = NULL;
  g_autofree char *found_ids = NULL;
  OPEN_STORE_OR_SKIP (store);

  add_tutorial (store, "Python b", NULL);
  add_tutorial (store, "Python a", NULL);
  all = listed (store, &by_title);
  g_assert_cmpstr (all, ==, "2,1");

  raw = tt_test_raw_open ();
  tt_test_make_tables_again (raw);
  tt_test_raw_exec (raw, "INSERT INTO tutorials (id, title, description, createdAt, updatedAt)"
                         " VALUES (1, 'Python z', NULL, " RAW_NOW ", " RAW_NOW "),"
                         " (2, 'Python y', NULL, " RAW_NOW ", " RAW_NOW "),"
                         " (3, 'Python x', NULL, " RAW_NOW ", " RAW_NOW ")");
  /* The window's refresh after the change reads the tags too, which
   * meets the tables made again on both backends. */
  tags = tt_store_list_tags (store, FALSE, &error);
  g_assert_no_error (error);

  found_ids = listed (store, &search);
  g_assert_cmpstr (found_ids, ==, "3,2,1");
}

/* ---- the copy in memory (MySQL) ------------------------------------ */

/* How many tutorials' text the store keeps in memory: on MySQL every one
 * @n; SQLite keeps none (FTS5 finds substrings itself). */
static void
assert_copy_records (TtStore *store,
                     gint64   n)
{
  g_assert_cmpint (tt_store_debug_get_search_copy_records (store), ==, tt_test_is_mysql () ? n : -1);
}

/* Lists every tutorial by id, as the window does when it opens: the
 * order searches are sorted by (and, on MySQL, the journal's reading)
 * starts there. */
static void
list_everything (TtStore *store)
{
  const TtTutorialQuery by_id = { .sort = TT_SORT_BY_ID };
  g_autofree char *all = listed (store, &by_id);

  g_assert_cmpstr (all, !=, NULL);
}

static void
save_tutorial (TtStore    *store,
               gint64      id,
               const char *title,
               const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) saved = tt_store_update_tutorial (store, id, title, description, &error);

  g_assert_no_error (error);
}

/* Another client's changes reach the copy: a save that changes no text,
 * a new title (its index row brought up to date by that client's own
 * search), a deletion, a new tutorial; and the store's own changes. */
static void
test_copy_follows_other_clients (void)
{
  g_autoptr(TtStore) other = NULL;
  g_autoptr(GError) error = NULL;
  OPEN_STORE_OR_SKIP (store);

  other = tt_test_reopen_store ();
  add_tutorial (store, "Python basics", "Strings");
  add_tutorial (store, "GTK widgets", "Lists");
  add_tutorial (store, "Rust", "Cargo");
  list_everything (store);
  assert_found (store, "pyth", "1");
  assert_copy_records (store, 3);

  save_tutorial (other, 1, "Python basics", "Strings");
  assert_found (store, "pyth", "1");

  save_tutorial (other, 2, "Zürich widgets", "Lists");
  assert_found (other, "zurich", "2");
  assert_found (store, "zurich", "2");
  assert_found (store, "gtk", "");

  g_assert_true (tt_store_delete_tutorial (other, 3, &error));
  g_assert_no_error (error);
  add_tutorial (other, "Rust again", NULL);
  assert_found (store, "rust", "4");

  save_tutorial (store, 4, "Go", NULL);
  assert_found (store, "rust", "");
  assert_found (store, "go", "4");
  assert_copy_records (store, 3);
}

/* A tutorial changed before the store began reading the journal, still
 * stale when the copy is read (the store's own refresh failed), whose
 * index row another client brings up to date afterwards: the journal
 * will never name it again, so the copy must not take its old row. */
static void
test_copy_distrusts_stale_rows (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtStore) other = NULL;
  OPEN_STORE_OR_SKIP (store);

  raw = tt_test_raw_open ();
  other = tt_test_reopen_store ();
  add_tutorial (store, "Python basics", NULL);
  add_tutorial (store, "GTK", NULL);
  assert_found (store, "pyth", "1");
  tt_test_raw_exec (raw, "UPDATE tutorials SET title = 'Zürich guide' WHERE id = 1");
  list_everything (store);

  fail_index_refresh (store);
  assert_found (store, "zurich", "1");
  g_assert_cmpint (stale_entries (raw), ==, 1);
  assert_copy_records (store, 1);

  assert_found (other, "gtk", "2");
  g_assert_cmpint (stale_entries (raw), ==, 0);
  assert_found (store, "zurich", "1");
  assert_found (store, "pyth", "");
  assert_copy_records (store, 2);
}

/* Tutorials another client adds while the store cannot index them:
 * stale, and without an index row, when the copy is read (one added
 * before the store began reading the journal) or read again (one added
 * after); indexed by that client later, which the journal does not
 * say: found. */
static void
test_copy_waits_for_new_tutorials (void)
{
  g_autoptr(TtStore) other = NULL;
  OPEN_STORE_OR_SKIP (store);

  other = tt_test_reopen_store ();
  add_tutorial (store, "GTK", NULL);
  assert_found (store, "gtk", "1");
  add_tutorial (other, "Python basics", NULL);
  list_everything (store);
  fail_index_refresh (store);
  assert_found (store, "pyth", "2");
  assert_copy_records (store, 1);

  add_tutorial (other, "Python again", NULL);
  fail_index_refresh (store);
  assert_found (store, "pyth", "2,3");
  assert_copy_records (store, 1);

  assert_found (other, "gtk", "1");
  assert_found (store, "pyth", "2,3");
  assert_copy_records (store, 3);
}

/* Another client adding more tutorials than the store reads again one
 * by one: the copy is read anew, whole. And above its budget the store
 * keeps no copy, and the server finds the same. */
static void
test_copy_read_anew_and_budget (void)
{
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(TtStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  /* Sorted as the whole list was: searches in that order use the copy. */
  TtTutorialQuery query = { .text = "pyth", .sort = TT_SORT_BY_ID };
  OPEN_STORE_OR_SKIP (store);

  other = tt_test_reopen_store ();
  add_tutorial (store, "Python basics", NULL);
  list_everything (store);
  assert_found (store, "pyth", "1");
  assert_copy_records (store, 1);

  for (guint i = 0; i < 2500; i++)
    {
      g_autofree char *title = g_strdup_printf (i % 2 ? "Python %u" : "Rust %u", i);
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, NULL);

      g_list_store_append (tutorials, tutorial);
    }
  g_assert_true (tt_store_import (other, G_LIST_MODEL (tutorials), NULL, &error));
  g_assert_no_error (error);

  ids = tt_store_list_tutorial_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1251);
  assert_copy_records (store, 2501);

  tt_store_debug_set_search_copy_budget (store, 1);
  g_clear_pointer (&ids, g_array_unref);
  ids = tt_store_list_tutorial_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1251);
  g_assert_cmpint (tt_store_debug_get_search_copy_records (store), ==, -1);

  /* Everything deleted at once by another client. */
  tt_store_debug_set_search_copy_budget (store, 0);
  assert_found (store, "basics", "1");
  assert_copy_records (store, 2501);
  g_assert_true (tt_store_reset (other, &error));
  g_assert_no_error (error);
  assert_found (store, "basics", "");
}

/* Texts long enough that a page of the copy, read as one text, is cut
 * short by the server (300 descriptions of 60 KiB: 18 MB against 16):
 * that page is read again a row at a time, and nothing is missing. */
static void
test_copy_long_texts (void)
{
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GError) error = NULL;
  g_autofree char *filler = g_strnfill (60 * 1024, 'x');
  TtTutorialQuery query = { .text = "needle", .sort = TT_SORT_BY_ID };
  g_autoptr(GArray) ids = NULL;
  OPEN_STORE_OR_SKIP (store);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *title = g_strdup_printf ("Tutorial %u", i);
      g_autofree char *description = g_strdup_printf ("%s %s", filler, i % 2 ? "needle" : "thread");
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, description);

      g_list_store_append (tutorials, tutorial);
    }
  g_assert_true (tt_store_import (store, G_LIST_MODEL (tutorials), NULL, &error));
  g_assert_no_error (error);
  list_everything (store);

  ids = tt_store_list_tutorial_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 150);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i) % 2, ==, 0);
  assert_copy_records (store, 300);
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
  g_test_add_func ("/search/import/indexes-what-it-adds", test_import_indexes_what_it_adds);
  g_test_add_func ("/search/import/replaces-an-old-index-row", test_import_replaces_an_old_index_row);
  if (!tt_test_is_mysql ())
    g_test_add_func ("/search/import/gives-an-old-index-its-settings",
                     test_import_gives_an_old_index_its_settings_sqlite);
  g_test_add_func ("/search/kept-order/is-the-sorted-order", test_kept_order_is_the_sorted_order);
  g_test_add_func ("/search/kept-order/follows-other-clients", test_kept_order_follows_other_clients);
  g_test_add_func ("/search/kept-order/follows-own-changes", test_kept_order_follows_own_changes);
  g_test_add_func ("/search/kept-order/with-candidates", test_kept_order_with_candidates);
  g_test_add_func ("/search/kept-order/tables-made-again", test_kept_order_tables_made_again);
  g_test_add_func ("/search/copy/follows-other-clients", test_copy_follows_other_clients);
  g_test_add_func ("/search/copy/distrusts-stale-rows", test_copy_distrusts_stale_rows);
  g_test_add_func ("/search/copy/waits-for-new-tutorials", test_copy_waits_for_new_tutorials);
  g_test_add_func ("/search/copy/read-anew-and-budget", test_copy_read_anew_and_budget);
  g_test_add_func ("/search/copy/long-texts", test_copy_long_texts);

  return g_test_run ();
}
