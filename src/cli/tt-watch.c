/* tt-watch.c: "tutorial-tags-cli watch", like tail -f for the catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the change journal (tt_store_read_changes()) every
 * TT_WATCH_INTERVAL_MS and prints one JSON line per change, flushed:
 *   {"kind":"tutorial","op":"update","id":5,"title":"…"}
 *   {"kind":"tag","op":"insert","id":2,"name":"…"}
 *   {"kind":"link","op":"delete","tutorial_id":5,"tag_id":2}
 *   {"kind":"resync"}   some changes may have been missed: read it all again
 * Title and name are those of now, when the row is still there.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "tt-json.h"
#include "tt-watch.h"

typedef struct
{
  TtStore         *store;
  TtJournalReader *reader;
  FILE            *out;
  GMainLoop       *loop;
  GError          *write_error;   /* stops the watch */
  gboolean         failing;       /* the last read failed (said once) */
} Watch;

static gboolean
write_line (Watch      *watch,
            JsonNode   *node)
{
  g_autofree char *text = tt_json_to_string (node, FALSE);

  if (fprintf (watch->out, "%s\n", text) < 0 || fflush (watch->out) != 0)
    {
      int saved_errno = errno;

      g_set_error (&watch->write_error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write the output: %s"), g_strerror (saved_errno));
      g_main_loop_quit (watch->loop);
      return FALSE;
    }
  return TRUE;
}

/* The titles (names) of now, by id, of the tutorials (tags) that were
 * inserted or updated: one read each, whatever the number of changes. */
static GHashTable *
current_titles (TtStore  *store,
                GArray   *changes)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) tutorials = NULL;
  GHashTable *titles = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  for (guint i = 0; i < changes->len; i++)
    {
      TtChange *change = &g_array_index (changes, TtChange, i);

      if (g_str_equal (change->kind, "tutorial") && !g_str_equal (change->op, "delete"))
        g_array_append_val (ids, change->tutorial_id);
    }
  if (ids->len > 0 && (tutorials = tt_store_load_tutorials (store, (gint64 *) ids->data, ids->len, NULL)))
    for (guint i = 0; i < tutorials->len; i++)
      g_hash_table_insert (titles, GSIZE_TO_POINTER (tt_tutorial_get_id (tutorials->pdata[i])),
                           g_strdup (tt_tutorial_get_title (tutorials->pdata[i])));
  return titles;
}

static GHashTable *
current_names (TtStore  *store,
               GArray   *changes)
{
  GHashTable *names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GListModel) tags = NULL;
  gboolean wanted = FALSE;

  for (guint i = 0; i < changes->len && !wanted; i++)
    wanted = g_str_equal (g_array_index (changes, TtChange, i).kind, "tag");
  if (!wanted || (tags = tt_store_list_tags (store, FALSE, NULL)) == NULL)
    return names;

  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      g_hash_table_insert (names, GSIZE_TO_POINTER (tt_tag_get_id (tag)), g_strdup (tt_tag_get_name (tag)));
    }
  return names;
}

static JsonNode *
change_json (const TtChange *change,
             GHashTable     *titles,
             GHashTable     *names)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean tutorial = g_str_equal (change->kind, "tutorial");
  gboolean tag = g_str_equal (change->kind, "tag");
  const char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, change->kind);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, change->op);
  if (tutorial || tag)
    {
      gint64 id = tutorial ? change->tutorial_id : change->tag_id;

      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      text = g_hash_table_lookup (tutorial ? titles : names, GSIZE_TO_POINTER (id));
      if (text != NULL && !g_str_equal (change->op, "delete"))
        {
          json_builder_set_member_name (builder, tutorial ? "title" : "name");
          json_builder_add_string_value (builder, text);
        }
    }
  else
    {
      json_builder_set_member_name (builder, "tutorial_id");
      json_builder_add_int_value (builder, change->tutorial_id);
      json_builder_set_member_name (builder, "tag_id");
      json_builder_add_int_value (builder, change->tag_id);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
print_changes (Watch  *watch,
               GArray *changes)
{
  g_autoptr(GHashTable) titles = current_titles (watch->store, changes);
  g_autoptr(GHashTable) names = current_names (watch->store, changes);

  for (guint i = 0; i < changes->len; i++)
    {
      g_autoptr(JsonNode) node = change_json (&g_array_index (changes, TtChange, i), titles, names);

      if (!write_line (watch, node))
        return;
    }
}

static void
print_resync (Watch *watch)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "resync");
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  write_line (watch, node);
}

/* A server that went away is tried again at the next read (the store
 * reconnects); it is said once, and once more when it is back. */
static void
note_failure (Watch  *watch,
              GError *error)
{
  if (!watch->failing)
    g_printerr ("tutorial-tags-cli: %s; %s\n", error->message, _("trying again"));
  watch->failing = TRUE;
}

static gboolean
poll_cb (gpointer data)
{
  Watch *watch = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) changes = NULL;
  gboolean resync = FALSE;

  changes = tt_store_read_changes (watch->store, watch->reader, &resync, &error);
  if (changes == NULL)
    {
      note_failure (watch, error);
      return G_SOURCE_CONTINUE;
    }
  if (watch->failing)
    g_printerr ("tutorial-tags-cli: %s\n", _("reading changes again"));
  watch->failing = FALSE;

  if (resync)
    print_resync (watch);
  print_changes (watch, changes);
  return G_SOURCE_CONTINUE;
}

static gboolean
stop_cb (gpointer data)
{
  Watch *watch = data;

  g_main_loop_quit (watch->loop);
  return G_SOURCE_CONTINUE;
}

gboolean
tt_watch_run (TtStore  *store,
              FILE     *out,
              GError  **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(TtJournalReader) reader = tt_journal_reader_new ();
  g_autoptr(GArray) start = NULL;
  Watch watch = { store, reader, out, loop, NULL, FALSE };
  gboolean resync;
  guint sources[3];

  /* Where reading starts: changes after this are printed. */
  if ((start = tt_store_read_changes (store, reader, &resync, error)) == NULL)
    return FALSE;

  /* On standard error, which the JSON lines do not share: from here on
   * every change is printed (a script may wait for this line). */
  g_printerr ("tutorial-tags-cli: %s\n", _("watching for changes (Ctrl+C stops)"));
  sources[0] = g_timeout_add (tt_store_has_journal (store) ? TT_WATCH_INTERVAL_MS : TT_WATCH_STAMP_INTERVAL_MS,
                              poll_cb, &watch);
  sources[1] = g_unix_signal_add (SIGINT, stop_cb, &watch);
  sources[2] = g_unix_signal_add (SIGTERM, stop_cb, &watch);
  g_main_loop_run (loop);
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    g_source_remove (sources[i]);

  if (watch.write_error != NULL)
    {
      g_propagate_error (error, watch.write_error);
      return FALSE;
    }
  return TRUE;
}
