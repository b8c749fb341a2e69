/* tt-store-salvage.c: reading what is left of a damaged SQLite catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each table is read in rowid order. SQLite stops at a damaged page; the
 * read then goes on after it: the smallest rowid from which a seek works
 * again is found by doubling and then halving the step (a seek goes down
 * the table's tree and so past a damaged leaf, or a damaged inner page and
 * everything under it). The file is opened as a probe opens it: nothing
 * is written, not even the journal mode.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tt-object-list.h"
#include "tt-rules.h"
#include "tt-store-private.h"

#define SALVAGE_BATCH 1000

typedef void (*TtSalvageRow) (TtRows *rows, gpointer data);

typedef struct
{
  /* A seek to "rowid >= x" goes down the tree to x itself; a seek to
   * "rowid > x" also reads the row x, which may be on the damaged page
   * (one row too many was lost that way). */
  const char   *select;   /* rowid first, "WHERE rowid >= ##from::int64 … LIMIT" */
  const char   *probe;    /* "SELECT rowid … WHERE rowid >= ##from::int64 … LIMIT 1" */
  const GType  *types;
  TtSalvageRow  row;
  gpointer      data;
  /* NULL for a table every catalogue has; else a query that works only
   * when the table is there (a file from before it has none). */
  const char   *present;
} TtSalvageTable;

typedef enum
{
  READ_COMPLETE,
  READ_DAMAGED,
  READ_FAILED,
} ReadResult;

/* Reads the rows from rowid @from on; *@from becomes the rowid after the
 * last one read. */
static ReadResult
read_batch (TtStore         *self,
            TtSalvageTable  *table,
            gint64          *from,
            int             *n_read,
            GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, table->select, &params, error);

  if (stmt == NULL)
    return READ_FAILED;

  tt_params_set_int64 (params, "from", *from);
  rows = tt_store_select_rows_partial (self, stmt, params, table->types, &local_error);
  for (*n_read = 0; rows != NULL && tt_rows_next (rows); (*n_read)++)
    {
      *from = tt_value_get_int64 (tt_rows_get (rows, 0)) + 1;
      table->row (rows, table->data);
    }

  if (local_error == NULL)
    return READ_COMPLETE;
  if (g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT))
    return READ_DAMAGED;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return READ_FAILED;
}

/* Whether a seek to the first rowid from @from on works. */
static ReadResult
probe_from (TtStore         *self,
            TtSalvageTable  *table,
            gint64           from,
             GError         **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, table->probe, &params, error);

  if (stmt == NULL)
    return READ_FAILED;

  tt_params_set_int64 (params, "from", from);
  rows = tt_store_select_rows_partial (self, stmt, params, types, &local_error);
  if (local_error == NULL)
    return READ_COMPLETE;
  if (g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT))
    return READ_DAMAGED;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return READ_FAILED;
}

/* The smallest rowid past @bad (where reading failed) from which reading
 * works again, in *@next; FALSE with @error unset when nothing after @bad
 * can be read. */
static gboolean
skip_damage (TtStore         *self,
             TtSalvageTable  *table,
             gint64           bad,
             gint64          *next,
             GError         **error)
{
  gint64 step = 1;
  gint64 good;
  ReadResult result;

  while ((result = probe_from (self, table, bad + step, error)) == READ_DAMAGED)
    {
      if (step > G_MAXINT64 / 4 || bad > G_MAXINT64 - 2 * step)
        return FALSE;
      bad += step;
      step *= 2;
    }
  if (result == READ_FAILED)
    return FALSE;

  good = bad + step;
  while (good - bad > 1)
    {
      gint64 middle = bad + (good - bad) / 2;

      result = probe_from (self, table, middle, error);
      if (result == READ_FAILED)
        return FALSE;
      if (result == READ_COMPLETE)
        good = middle;
      else
        bad = middle;
    }

  *next = good;
  return TRUE;
}

/* Every readable row of @table; *@n_damaged counts the stretches that
 * could not be read. */
static gboolean
salvage_table (TtStore         *self,
               TtSalvageTable  *table,
               guint           *n_damaged,
               GError         **error)
{
  gint64 from = G_MININT64;
  int n_read;

  for (;;)
    {
      ReadResult result = read_batch (self, table, &from, &n_read, error);

      if (result == READ_FAILED)
        return FALSE;
      if (result == READ_COMPLETE && n_read < SALVAGE_BATCH)
        return TRUE;
      if (result == READ_COMPLETE)
        continue;

      (*n_damaged)++;
      if (!skip_damage (self, table, from, &from, error))
        return error == NULL || *error == NULL;
    }
}

/* ---- the catalogue's three tables ---------------------------------------- */

typedef struct
{
  GHashTable *tutorials;   /* id → TtTutorial */
  GHashTable *tags;        /* id → TtTag */
  GPtrArray  *tutorial_order;
  GPtrArray  *tag_order;
  GHashTable *links;       /* tutorial id → GPtrArray of TtTag */
  guint       n_links;
} Salvaged;

static void
salvaged_clear (Salvaged *salvaged)
{
  g_clear_pointer (&salvaged->tutorials, g_hash_table_unref);
  g_clear_pointer (&salvaged->tags, g_hash_table_unref);
  g_clear_pointer (&salvaged->tutorial_order, g_ptr_array_unref);
  g_clear_pointer (&salvaged->tag_order, g_ptr_array_unref);
  g_clear_pointer (&salvaged->links, g_hash_table_unref);
}

static void
take_tag (TtRows   *rows,
          gpointer  data)
{
  Salvaged *salvaged = data;
  TtTag *tag = tt_store_tag_from_row (rows, 1);

  g_hash_table_insert (salvaged->tags, ID_KEY (tt_tag_get_id (tag)), tag);
  g_ptr_array_add (salvaged->tag_order, tag);
}

static void
take_tutorial (TtRows   *rows,
               gpointer  data)
{
  Salvaged *salvaged = data;
  TtTutorial *tutorial = tt_store_tutorial_from_row (rows, 1);

  g_hash_table_insert (salvaged->tutorials, ID_KEY (tt_tutorial_get_id (tutorial)), tutorial);
  g_ptr_array_add (salvaged->tutorial_order, tutorial);
}

/* A colour counts only when its tag was read, and only a palette colour:
 * an import would refuse the file for any other. */
static void
take_colour (TtRows   *rows,
             gpointer  data)
{
  Salvaged *salvaged = data;
  TtTag *tag = g_hash_table_lookup (salvaged->tags, ID_KEY (tt_value_get_int64 (tt_rows_get (rows, 1))));
  const char *colour = tt_value_get_string (tt_rows_get (rows, 2));

  if (tag != NULL && tt_rules_check_tag_colour (colour, NULL))
    tt_tag_set_colour (tag, colour);
}

/* A link counts only when both its ends were read. */
static void
take_link (TtRows   *rows,
           gpointer  data)
{
  Salvaged *salvaged = data;
  gint64 tutorial_id = tt_value_get_int64 (tt_rows_get (rows, 1));
  TtTag *tag = g_hash_table_lookup (salvaged->tags, ID_KEY (tt_value_get_int64 (tt_rows_get (rows, 2))));
  GPtrArray *tags;

  if (tag == NULL || !g_hash_table_contains (salvaged->tutorials, ID_KEY (tutorial_id)))
    return;

  tags = g_hash_table_lookup (salvaged->links, ID_KEY (tutorial_id));
  if (tags == NULL)
    {
      tags = g_ptr_array_new ();
      g_hash_table_insert (salvaged->links, ID_KEY (tutorial_id), tags);
    }
  g_ptr_array_add (tags, tag);
  salvaged->n_links++;
}

static gboolean
salvage_all (TtStore          *self,
             Salvaged         *salvaged,
             TtSalvageReport  *report,
             GError          **error)
{
  static const GType tag_types[] = { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING, TT_COL_AUTO, TT_COL_AUTO, G_TYPE_NONE };
  static const GType tutorial_types[] = { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING,
                                          TT_COL_AUTO, TT_COL_AUTO, G_TYPE_NONE };
  static const GType link_types[] = { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE };
  static const GType colour_types[] = { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_NONE };
  TtSalvageTable tables[] = {
    { "SELECT rowid, id, name, createdAt, updatedAt FROM tags"
      " WHERE rowid >= ##from::int64 ORDER BY rowid LIMIT 1000",
      "SELECT rowid FROM tags WHERE rowid >= ##from::int64 ORDER BY rowid LIMIT 1",
      tag_types, take_tag, salvaged },
    /* After the tags, which it colours. */
    { "SELECT rowid, tag_id, colour FROM tt_tag_colour"
      " WHERE rowid >= ##from::int64 ORDER BY rowid LIMIT 1000",
      "SELECT rowid FROM tt_tag_colour WHERE rowid >= ##from::int64 ORDER BY rowid LIMIT 1",
      colour_types, take_colour, salvaged, "SELECT tag_id, colour FROM tt_tag_colour WHERE 1 = 0" },
    { "SELECT rowid, id, title, description, createdAt, updatedAt FROM tutorials"
      " WHERE rowid >= ##from::int64 ORDER BY rowid LIMIT 1000",
      "SELECT rowid FROM tutorials WHERE rowid >= ##from::int64 ORDER BY rowid LIMIT 1",
      tutorial_types, take_tutorial, salvaged },
    { "SELECT rowid, tutorial_id, tag_id FROM tutorial_tag"
      " WHERE rowid >= ##from::int64 ORDER BY rowid LIMIT 1000",
      "SELECT rowid FROM tutorial_tag WHERE rowid >= ##from::int64 ORDER BY rowid LIMIT 1",
      link_types, take_link, salvaged },
  };

  G_STATIC_ASSERT (SALVAGE_BATCH == 1000);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      if (tables[i].present != NULL && !tt_store_query_works (self, tables[i].present))
        continue;
      if (!salvage_table (self, &tables[i], &report->n_damaged, error))
        return FALSE;
    }

  return TRUE;
}

static GListModel *
tutorials_with_tags (Salvaged *salvaged)
{
  GListStore *list = g_list_store_new (TT_TYPE_TUTORIAL);

  for (guint i = 0; i < salvaged->tutorial_order->len; i++)
    {
      TtTutorial *tutorial = salvaged->tutorial_order->pdata[i];
      GPtrArray *tags = g_hash_table_lookup (salvaged->links, ID_KEY (tt_tutorial_get_id (tutorial)));
      GListModel *own = tt_tutorial_get_tags (tutorial);

      if (tags != NULL)
        tt_object_list_splice (TT_OBJECT_LIST (own), 0, 0, tags->pdata, tags->len);
      g_list_store_append (list, tutorial);
    }

  return G_LIST_MODEL (list);
}

static GListModel *
tag_list (Salvaged *salvaged)
{
  GListStore *list = g_list_store_new (TT_TYPE_TAG);

  g_list_store_splice (list, 0, 0, salvaged->tag_order->pdata, salvaged->tag_order->len);
  return G_LIST_MODEL (list);
}

static TtStore *
open_for_salvage (const TtDbLocation  *location,
                  GError             **error)
{
  g_autoptr(TtStore) store = NULL;

  if (location->backend != TT_DB_BACKEND_SQLITE ||
      !g_file_test (location->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND,
                   _("Only an existing SQLite catalogue file can be salvaged"));
      return NULL;
    }

  store = tt_store_new_unopened (location, NULL);
  store->read_only = TRUE;
  if (!tt_store_connect (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

/**
 * tt_store_salvage:
 * @tutorials: (out): the tutorials that could be read, with their tags
 * @tags: (out): the tags that could be read
 * @report: (out caller-allocates): how much was read, and how many
 *   damaged stretches were skipped
 *
 * Reads everything that can still be read from a SQLite catalogue file,
 * damaged or not, without writing to it; for tt_json_export(). Fails only
 * when the file cannot be read at all (a damaged header, for one).
 */
gboolean
tt_store_salvage (const TtDbLocation  *location,
                  GListModel         **tutorials,
                  GListModel         **tags,
                  TtSalvageReport     *report,
                  GError             **error)
{
  g_autoptr(TtStore) store = NULL;
  Salvaged salvaged = { 0 };
  gboolean ok;

  g_return_val_if_fail (location != NULL && tutorials != NULL && tags != NULL && report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  if ((store = open_for_salvage (location, error)) == NULL)
    return FALSE;

  salvaged.tutorials = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  salvaged.tags = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  salvaged.tutorial_order = g_ptr_array_new ();
  salvaged.tag_order = g_ptr_array_new ();
  salvaged.links = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  ok = salvage_all (store, &salvaged, report, error);
  if (ok)
    {
      *tutorials = tutorials_with_tags (&salvaged);
      *tags = tag_list (&salvaged);
      report->n_tutorials = salvaged.tutorial_order->len;
      report->n_tags = salvaged.tag_order->len;
      report->n_links = salvaged.n_links;
    }

  salvaged_clear (&salvaged);
  tt_store_disconnect (store);
  return ok;
}
