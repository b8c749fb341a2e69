/* bench-search.c: how long a search takes in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: run by hand on a large catalogue, see README.md, "What
 * search costs" (tests/bench-search-data.py writes one to import).
 *
 *   [TUTORIAL_TAGS_DB_PASSWORD=…] bench-search URI [RUNS]
 *
 * First the ids of every tutorial, sorted by title, as the window reads
 * them when it opens and when a search is cleared; the store keeps them
 * to sort a search by while nothing changes (tt-store-order.c). Then for
 * each query (three characters or more, rare and common, with and
 * without accents), RUNS times in turn: the ids of the tutorials it
 * finds, in the same order (tt_store_list_tutorial_ids()). Prints one
 * JSON line a query: the rows found, the median and the fastest time in
 * milliseconds; the first line is the whole list, read once, and the
 * second the first search, once (on MySQL it reads the copy of the
 * search index the store keeps in memory).
 *
 * With "after-change" as a third argument, a second connection saves
 * one tutorial unchanged before each search (its updatedAt changes, as
 * another client's edit would): the store's kept order is out of date
 * every time, which is what the first keystroke after a change costs.
 */

#include "config.h"

#include <stdlib.h>

#include "tt-store.h"

static const char * const queries[] = {
  "pyth", "zürich", "STRASSE", "gtk widget", "naïve", "xyzzy", "list vi", "café", "ing", "tag-12",
};

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
search_ms (TtStore    *store,
           const char *text,
           guint      *n_rows)
{
  TtTutorialQuery q = { .text = text, .sort = TT_SORT_BY_TITLE };
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GArray) ids = tt_store_list_tutorial_ids (store, &q, &error);

  if (ids == NULL)
    g_error ("searching “%s”: %s", text, error->message);
  *n_rows = ids->len;
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Another client's change that moves nothing but updatedAt. */
static void
change_elsewhere (TtStore *other,
                  gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tutorial = tt_store_get_tutorial (other, id, &error);
  g_autoptr(TtTutorial) saved = NULL;

  if (tutorial != NULL)
    saved = tt_store_update_tutorial (other, id, tt_tutorial_get_title (tutorial),
                                      tt_tutorial_get_description (tutorial), &error);
  if (saved == NULL)
    g_error ("saving tutorial %" G_GINT64_FORMAT " elsewhere: %s", id, error->message);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtStore) other = NULL;
  g_autoptr(GArray) all = NULL;
  TtTutorialQuery everything = { .sort = TT_SORT_BY_TITLE };
  guint runs = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 7;
  GArray *times[G_N_ELEMENTS (queries)];
  guint rows[G_N_ELEMENTS (queries)];
  guint n_all;
  double ms;

  if (argc < 2 || runs == 0)
    g_error ("usage: bench-search URI [RUNS [after-change]]");
  location = tt_db_location_parse (argv[1], &error);
  if (location == NULL)
    g_error ("%s: %s", argv[1], error->message);
  store = tt_store_open (location, g_getenv ("TUTORIAL_TAGS_DB_PASSWORD"), &error);
  if (store == NULL)
    g_error ("%s: %s", argv[1], error->message);

  if (argc > 3 && g_strcmp0 (argv[3], "after-change") == 0 &&
      !(other = tt_store_open (location, g_getenv ("TUTORIAL_TAGS_DB_PASSWORD"), &error)))
    g_error ("%s: %s", argv[1], error->message);

  ms = search_ms (store, NULL, &n_all);
  g_print ("{\"query\": null, \"rows\": %u, \"once_ms\": %.1f}\n", n_all, ms);
  /* On MySQL the first search also reads the index's copy
   * (tt-store-search-copy.c). */
  ms = search_ms (store, queries[0], &rows[0]);
  g_print ("{\"query\": \"%s\", \"first\": true, \"rows\": %u, \"once_ms\": %.1f}\n",
           queries[0], rows[0], ms);
  if (other != NULL && !(all = tt_store_list_tutorial_ids (other, &everything, &error)))
    g_error ("%s: %s", argv[1], error->message);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    times[q] = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint r = 0; r < runs; r++)
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        if (all != NULL && all->len > 0)
          change_elsewhere (other, g_array_index (all, gint64, 0));
        ms = search_ms (store, queries[q], &rows[q]);
        g_array_append_val (times[q], ms);
      }

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_array_sort (times[q], compare_doubles);
      g_print ("{\"query\": \"%s\", \"rows\": %u, \"median_ms\": %.1f, \"fastest_ms\": %.1f}\n",
               queries[q], rows[q], g_array_index (times[q], double, runs / 2),
               g_array_index (times[q], double, 0));
      g_array_unref (times[q]);
    }
  return EXIT_SUCCESS;
}
