/* bench-drop.c: a drop of many tutorials onto a tag, and its undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-drop URI [N]     (TUTORIAL_TAGS_DB_PASSWORD for a server)
 *
 * Opens the catalogue at URI (filled by `bench-copy fill`) through the
 * controller, as the window does, makes a tag of its own, then does what
 * dropping the first N (1 000) tutorials of the list onto that tag does:
 * the controller's "tag.add-to-tutorials" action with their ids, timed
 * until the controller has settled (the store's transaction and the
 * window's models updated). Then one Undo, timed the same way, must take
 * every link back. The tag is deleted at the end. Prints JSON.
 */

#include "config.h"

#include <stdlib.h>

#include "tt-controller.h"
#include "tt-tutorial-results.h"

static void
settled_cb (TtController *controller,
            GMainLoop    *loop)
{
  if (!tt_controller_get_busy (controller))
    g_main_loop_quit (loop);
}

static void
failed_cb (TtController *controller,
           const GError *error,
           gpointer      user_data)
{
  g_error ("%s", error->message);
}

/* Returns: how long, in ms, until the controller had done everything */
static double
wait_settled (TtController *controller,
              gint64        since)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gulong id = g_signal_connect (controller, "changed", G_CALLBACK (settled_cb), loop);
  TtTutorialResults *results = TT_TUTORIAL_RESULTS (tt_controller_get_tutorials (controller));

  if (tt_controller_get_busy (controller))
    g_main_loop_run (loop);
  g_signal_handler_disconnect (controller, id);
  while (tt_tutorial_results_is_loading (results))
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - since) / 1000.0;
}

static TtTag *
find_tag (TtController *controller,
          const char   *name)
{
  GListModel *tags = tt_controller_get_tags (controller);

  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      if (g_str_equal (tt_tag_get_name (tag), name))
        return tag;  /* the list keeps it */
    }
  g_error ("No tag %s", name);
}

static GArray *
first_ids (TtController *controller,
           guint         n)
{
  TtTutorialResults *results = TT_TUTORIAL_RESULTS (tt_controller_get_tutorials (controller));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  n = MIN (n, g_list_model_get_n_items (G_LIST_MODEL (results)));
  for (guint i = 0; i < n; i++)
    {
      gint64 id = tt_tutorial_results_get_id (results, i);

      g_array_append_val (ids, id);
    }
  return ids;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtController) controller = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *name = g_strdup_printf ("bench-drop %d", (int) getpid ());
  double drop_ms, undo_ms;
  guint tagged, after_undo;
  gint64 tag_id;

  if (argc < 2)
    {
      g_printerr ("usage: bench-drop URI [N]\n");
      return 2;
    }
  location = tt_db_location_parse (argv[1], &error);
  store = location != NULL ? tt_store_open (location, g_getenv ("TUTORIAL_TAGS_DB_PASSWORD"), &error) : NULL;
  if (store == NULL)
    g_error ("%s: %s", argv[1], error->message);
  controller = tt_controller_new (store);
  g_signal_connect (controller, "error", G_CALLBACK (failed_cb), NULL);
  wait_settled (controller, g_get_monotonic_time ());

  tt_controller_create_tag (controller, name);
  wait_settled (controller, g_get_monotonic_time ());
  tag_id = tt_tag_get_id (find_tag (controller, name));
  ids = first_ids (controller, argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 1000);

  {
    gint64 start = g_get_monotonic_time ();

    g_action_group_activate_action (tt_controller_get_action_group (controller, "tag"), "add-to-tutorials",
                                    g_variant_new ("(@axx)",
                                                   g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids->data,
                                                                              ids->len, sizeof (gint64)),
                                                   tag_id));
    drop_ms = wait_settled (controller, start);
  }
  tagged = tt_tag_get_tutorial_count (find_tag (controller, name));

  {
    gint64 start = g_get_monotonic_time ();

    tt_controller_undo (controller);
    undo_ms = wait_settled (controller, start);
  }
  after_undo = tt_tag_get_tutorial_count (find_tag (controller, name));

  tt_controller_delete_tag (controller, tag_id);
  wait_settled (controller, g_get_monotonic_time ());

  g_print ("{\"tutorials\": %u, \"drop_ms\": %.1f, \"tagged\": %u, \"undo_ms\": %.1f, \"tagged_after_undo\": %u}\n",
           ids->len, drop_ms, tagged, undo_ms, after_undo);
  return tagged == ids->len && after_undo == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
