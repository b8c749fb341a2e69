/* test-tutorial-results.c: the lazy tutorial list, on SQLite and MariaDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list the window shows: ids for every row, objects read as rows are
 * asked for, and refreshes that change only what changed.
 */

#include "config.h"

#include "tt-test-fixture.h"
#include "tt-tutorial-results.h"

#define N_TUTORIALS 260

typedef struct
{
  guint position, removed, added;
  gboolean replacing;
} Change;

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               GArray     *changes)
{
  Change change = { position, removed, added,
                    tt_tutorial_results_is_replacing (TT_TUTORIAL_RESULTS (model)) };

  g_array_append_val (changes, change);
}

/* Until @result (if given) has come and no rows are being read. */
static void
wait_for (TtTutorialResults *results,
          GAsyncResult     **result)
{
  while ((result != NULL && *result == NULL) || tt_tutorial_results_is_loading (results))
    g_main_context_iteration (NULL, TRUE);
}

static void
refresh (TtTutorialResults     *results,
         const TtTutorialQuery *query,
         gboolean               changed)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tt_tutorial_results_refresh_async (results, query, changed, NULL, tt_test_keep_result, &result);
  wait_for (results, &result);
  g_assert_true (tt_tutorial_results_refresh_finish (results, result, &error));
  g_assert_no_error (error);
}

/* N_TUTORIALS tutorials "T000" …, every third tagged "three". */
static void
fill (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) three = tt_store_create_tag (store, "three", &error);

  g_assert_no_error (error);
  for (int i = 0; i < N_TUTORIALS; i++)
    {
      g_autofree char *title = g_strdup_printf ("T%03d", i);
      g_autoptr(TtTutorial) tutorial = tt_store_create_tutorial (store, title, "", &error);

      g_assert_no_error (error);
      if (i % 3 == 0)
        tt_store_link (store, tt_tutorial_get_id (tutorial), tt_tag_get_id (three), &error);
      g_assert_no_error (error);
    }
}

static const char *
title_at (TtTutorialResults *results,
          guint              position)
{
  g_autoptr(TtTutorial) tutorial = g_list_model_get_item (G_LIST_MODEL (results), position);

  /* The list holds the object, so the title outlives this reference. */
  return tt_tutorial_get_title (tutorial);
}

/* Rows near the top come with the ids; the others on demand. */
static void
test_results_lazy (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtTutorialResults) results = NULL;
  TtTutorialQuery by_title = { .sort = TT_SORT_BY_TITLE };
  g_autoptr(TtTutorial) far = NULL;

  if (store == NULL)
    return;
  fill (store);
  results = tt_tutorial_results_new (store);
  refresh (results, &by_title, FALSE);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, N_TUTORIALS);
  g_assert_cmpstr (title_at (results, 0), ==, "T000");
  g_assert_cmpstr (title_at (results, 99), ==, "T099");
  /* Only the first rows were made. */
  g_assert_cmpuint (tt_tutorial_results_get_n_cached (results), <, 200);

  far = g_list_model_get_item (G_LIST_MODEL (results), 255);
  g_assert_null (tt_tutorial_get_title (far));
  g_assert_true (tt_tutorial_results_is_loading (results));
  wait_for (results, NULL);
  g_assert_cmpstr (title_at (results, 255), ==, "T255");
  g_assert_cmpint (tt_tutorial_results_get_id (results, 255), ==, tt_tutorial_get_id (far));
  g_assert_cmpint (tt_tutorial_results_get_id (results, N_TUTORIALS), ==, -1);
}

/* A change elsewhere: the shown row is read again and announced alone;
 * untouched shown rows keep their objects. */
static void
test_results_refresh_minimal (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtTutorialResults) results = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  TtTutorialQuery by_title = { .sort = TT_SORT_BY_TITLE };
  g_autoptr(TtTutorial) shown = NULL;
  g_autoptr(TtTutorial) neighbour = NULL;
  g_autoptr(TtTutorial) neighbour_after = NULL;
  g_autoptr(TtTutorial) edited = NULL;
  g_autoptr(TtTutorial) updated = NULL;
  g_autoptr(GError) error = NULL;
  Change *change;

  if (store == NULL)
    return;
  fill (store);
  results = tt_tutorial_results_new (store);
  refresh (results, &by_title, FALSE);

  shown = g_list_model_get_item (G_LIST_MODEL (results), 5);
  neighbour = g_list_model_get_item (G_LIST_MODEL (results), 6);
  g_signal_connect (results, "items-changed", G_CALLBACK (record_change), changes);

  /* Same title order, new description. */
  updated = tt_store_update_tutorial (store, tt_tutorial_get_id (shown), "T005", "new", &error);
  g_assert_no_error (error);
  refresh (results, &by_title, TRUE);

  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, 5);
  g_assert_cmpuint (change->removed, ==, 1);
  g_assert_cmpuint (change->added, ==, 1);

  edited = g_list_model_get_item (G_LIST_MODEL (results), 5);
  g_assert_true (edited != shown);
  g_assert_cmpstr (tt_tutorial_get_description (edited), ==, "new");
  neighbour_after = g_list_model_get_item (G_LIST_MODEL (results), 6);
  g_assert_true (neighbour_after == neighbour);
}

/* A narrower query: the list shrinks to the matches, in order. */
static void
test_results_query (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtTutorialResults) results = NULL;
  g_autoptr(TtTag) three = NULL;
  g_autoptr(GError) error = NULL;
  TtTutorialQuery query = { .sort = TT_SORT_BY_TITLE };
  gint64 tag_id;
  guint position;

  if (store == NULL)
    return;
  fill (store);
  results = tt_tutorial_results_new (store);
  refresh (results, &query, FALSE);

  three = tt_store_find_tag_by_name (store, "three", &error);
  g_assert_no_error (error);
  tag_id = tt_tag_get_id (three);
  query.tag_ids = &tag_id;
  query.n_tag_ids = 1;
  refresh (results, &query, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, (N_TUTORIALS + 2) / 3);
  g_assert_cmpstr (title_at (results, 1), ==, "T003");

  query.text = "T25";
  refresh (results, &query, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, 3);  /* T252 T255 T258 */
  g_assert_cmpstr (title_at (results, 2), ==, "T258");
  g_assert_true (tt_tutorial_results_find (results, tt_tutorial_results_get_id (results, 2), &position));
  g_assert_cmpuint (position, ==, 2);

  /* A deleted tutorial leaves the list at the next refresh. */
  tt_store_delete_tutorial (store, tt_tutorial_results_get_id (results, 0), &error);
  g_assert_no_error (error);
  refresh (results, &query, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, 2);
  g_assert_cmpstr (title_at (results, 0), ==, "T255");
}

static void
assert_change (GArray  *changes,
               guint    index,
               guint    position,
               guint    removed,
               guint    added,
               gboolean replacing)
{
  Change *change = &g_array_index (changes, Change, index);

  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
  g_assert_cmpint (change->replacing, ==, replacing);
}

/* Going through every row, as GTK does to find a selected row again,
 * reads none of them: only rows still held once the main loop is idle. */
static void
test_results_enumeration_reads_nothing (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtTutorialResults) results = NULL;
  TtTutorialQuery by_title = { .sort = TT_SORT_BY_TITLE };
  g_autoptr(TtTutorial) kept = NULL;
  g_autoptr(TtTutorial) again = NULL;

  if (store == NULL)
    return;
  fill (store);
  results = tt_tutorial_results_new (store);
  refresh (results, &by_title, FALSE);

  for (guint i = 0; i < N_TUTORIALS; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (results), i));
  kept = g_list_model_get_item (G_LIST_MODEL (results), 150);
  wait_for (results, NULL);

  g_assert_cmpstr (tt_tutorial_get_title (kept), ==, NULL);
  g_assert_cmpstr (title_at (results, 150), ==, "T150");
  /* Its page came with it; the rows past it, asked for and let go, did not. */
  g_assert_cmpstr (title_at (results, 199), ==, "T199");
  again = g_list_model_get_item (G_LIST_MODEL (results), 250);
  g_assert_null (tt_tutorial_get_title (again));
}

/* A search that replaces many rows says so in two steps, removal first,
 * so that GTK does not look for the selected row among the new ones. */
static void
test_results_large_replacement_in_two_steps (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtTutorialResults) results = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  TtTutorialQuery query = { .sort = TT_SORT_BY_TITLE, .descending = TRUE };

  if (store == NULL)
    return;
  fill (store);
  results = tt_tutorial_results_new (store);
  refresh (results, &query, FALSE);
  g_signal_connect (results, "items-changed", G_CALLBACK (record_change), changes);

  /* "T1": T100 … T199 (and T1 itself is no title), now in title order. */
  query.text = "T1";
  query.descending = FALSE;
  refresh (results, &query, FALSE);

  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 0, 0, N_TUTORIALS, 0, TRUE);
  assert_change (changes, 1, 0, 0, 100, FALSE);
  g_assert_false (tt_tutorial_results_is_replacing (results));
  g_assert_cmpstr (title_at (results, 0), ==, "T100");
  g_assert_cmpstr (title_at (results, 99), ==, "T199");
}

/* Sorted by update time, an edited tutorial moves to the top: a move of
 * one row, not a replacement of every row above its old place. */
static void
test_results_move (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtTutorialResults) results = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  TtTutorialQuery by_update = { .sort = TT_SORT_BY_UPDATED, .descending = TRUE };
  g_autoptr(TtTutorial) updated = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (store == NULL)
    return;
  fill (store);
  results = tt_tutorial_results_new (store);
  refresh (results, &by_update, FALSE);
  g_signal_connect (results, "items-changed", G_CALLBACK (record_change), changes);

  /* The creation times share a second or two: wait for a newer one. */
  g_usleep (1100 * 1000);
  id = tt_tutorial_results_get_id (results, 200);
  updated = tt_store_update_tutorial (store, id, "Moved up", "", &error);
  g_assert_no_error (error);
  refresh (results, &by_update, TRUE);

  g_assert_cmpint (tt_tutorial_results_get_id (results, 0), ==, id);
  g_assert_cmpstr (title_at (results, 0), ==, "Moved up");
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 0, 200, 1, 0, TRUE);
  assert_change (changes, 1, 0, 0, 1, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/results/lazy", test_results_lazy);
  g_test_add_func ("/results/refresh-minimal", test_results_refresh_minimal);
  g_test_add_func ("/results/query", test_results_query);
  g_test_add_func ("/results/enumeration-reads-nothing", test_results_enumeration_reads_nothing);
  g_test_add_func ("/results/large-replacement-in-two-steps", test_results_large_replacement_in_two_steps);
  g_test_add_func ("/results/move", test_results_move);

  return g_test_run ();
}
