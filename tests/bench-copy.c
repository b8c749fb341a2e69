/* bench-copy.c: how long tt_store_copy_into() takes on a large catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test (it takes minutes): run by hand, the copy under
 * /usr/bin/time -v for its peak memory.
 *
 *   bench-copy fill sqlite:/tmp/source.db 100000
 *   TUTORIAL_TAGS_TARGET_PASSWORD=… bench-copy copy sqlite:/tmp/source.db mysql://…
 *
 * "fill" makes the workload of tutorial-tags-cli bench: N tutorials, N/10
 * tags, tutorial i linked to tags (i×7)%T, (i×13+1)%T and (i×31+2)%T.
 * "copy" prints the time of the copy alone, in milliseconds, and its
 * report. Passwords come from TUTORIAL_TAGS_DB_PASSWORD (the source) and
 * TUTORIAL_TAGS_TARGET_PASSWORD (the target).
 */

#include "config.h"

#include <stdlib.h>

#include "tt-store.h"
#include "tt-store-copy.h"

/* Imported in parts, so that filling does not hold 100 000 tutorials as
 * objects at once. */
#define FILL_PART 10000

static TtStore *
open_uri (const char *uri,
          const char *password_variable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) location = tt_db_location_parse (uri, &error);
  TtStore *store;

  if (location == NULL)
    g_error ("%s: %s", uri, error->message);
  store = tt_store_open (location, g_getenv (password_variable), &error);
  if (store == NULL)
    g_error ("%s: %s", uri, error->message);
  return store;
}

static void
fill_part (TtStore    *store,
           GPtrArray  *tags,
           guint       first,
           guint       n)
{
  static const guint64 factors[] = { 7, 13, 31 };
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GListStore) tag_list = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(GError) error = NULL;

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Tutorial %u", i);
      g_autofree char *description = g_strdup_printf ("Description of tutorial %u", i);
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, description);
      g_autoptr(GListStore) chosen = g_list_store_new (TT_TYPE_TAG);

      for (guint k = 0; k < G_N_ELEMENTS (factors); k++)
        g_list_store_append (chosen, tags->pdata[(i * factors[k] + k) % tags->len]);
      tt_tutorial_set_tags (tutorial, G_LIST_MODEL (chosen));
      g_list_store_append (tutorials, tutorial);
    }

  if (first == 0)
    g_list_store_splice (tag_list, 0, 0, tags->pdata, tags->len);
  if (!tt_store_import (store, G_LIST_MODEL (tutorials), G_LIST_MODEL (tag_list), &error))
    g_error ("import: %s", error->message);
}

static int
fill (const char *uri,
      guint       n_tutorials)
{
  g_autoptr(TtStore) store = open_uri (uri, "TUTORIAL_TAGS_DB_PASSWORD");
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (!tt_store_reset (store, &error))
    g_error ("reset: %s", error->message);

  for (guint j = 0; j < MAX (n_tutorials / 10, 1); j++)
    {
      g_autofree char *name = g_strdup_printf ("tag-%u", j);

      g_ptr_array_add (tags, tt_tag_new (0, name));
    }

  for (guint first = 0; first < n_tutorials; first += FILL_PART)
    fill_part (store, tags, first, MIN (FILL_PART, n_tutorials - first));

  return EXIT_SUCCESS;
}

static int
copy (const char *from,
      const char *to)
{
  g_autoptr(TtStore) source = open_uri (from, "TUTORIAL_TAGS_DB_PASSWORD");
  g_autoptr(TtStore) target = open_uri (to, "TUTORIAL_TAGS_TARGET_PASSWORD");
  g_autoptr(GError) error = NULL;
  TtCopyReport report;
  gint64 start = g_get_monotonic_time ();

  if (!tt_store_copy_into (source, target, NULL, NULL, NULL, &report, &error))
    g_error ("copy: %s", error->message);

  g_print ("{\"ms\": %.0f, \"tutorials_copied\": %u, \"tutorials_skipped\": %u,"
           " \"tags_created\": %u, \"tags_merged\": %u, \"links_copied\": %u}\n",
           (g_get_monotonic_time () - start) / 1000.0,
           report.tutorials_copied, report.tutorials_skipped,
           report.tags_created, report.tags_merged, report.links_copied);
  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "fill"))
    return fill (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 4 && g_str_equal (argv[1], "copy"))
    return copy (argv[2], argv[3]);

  g_printerr ("usage: bench-copy fill URI N | bench-copy copy FROM_URI TO_URI\n");
  return 2;
}
