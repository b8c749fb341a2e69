/* tt-store-order.c: the order of every tutorial, kept from the last
 * whole list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A search that finds many tutorials spends most of its time sorting
 * them: at 100 000 tutorials SQLite's index finds the 32 000 holding
 * "pyth" in 9 ms, and looking their titles up and sorting them takes
 * another 35 ms (MariaDB: 37 and 95). The window has just read every
 * tutorial's id in that order (the list without a search), so the store
 * keeps that list and puts a search's ids in its order by walking it:
 * under a millisecond.
 *
 * The kept list is a copy, so it says which state of the catalogue it
 * was read from, and it is used only while nothing changed since:
 *  - SQLite's data_version changes when another connection (the Node.js
 *    app, a second window, the sqlite3 shell) commits to the file, and
 *    total_changes() counts the rows this connection wrote; both are read
 *    in the same snapshot (tt_store_begin_reading()) as the list;
 *  - on MySQL the change journal's triggers write a row for every change,
 *    whoever makes it, and its reader counts the reads that found some
 *    (without the journal, no order is kept). Read before the list, not
 *    in one snapshot with it: a change committed in between makes the
 *    kept order look older than it is, and it is read again;
 *  - a new connection or a re-adopted catalogue starts a new count.
 */

#include "config.h"

#include <string.h>

#include "tt-store-private.h"

struct _TtKeptOrder
{
  TtChangeKey  key;
  TtSortKey    sort;
  gboolean     descending;
  GArray      *ids;  /* gint64: every tutorial, in that order */
};

void
tt_kept_order_free (TtKeptOrder *kept)
{
  if (kept == NULL)
    return;

  g_array_unref (kept->ids);
  g_free (kept);
}

/* MySQL has no data_version: the change journal's reader counts the
 * reads that found changes, ours and others' (tt_store_journal_stamp()). */
static gboolean
read_mysql_change_key (TtStore      *self,
                       TtChangeKey  *key,
                       GError      **error)
{
  g_autofree char *stamp = tt_store_journal_stamp (self, error);

  if (stamp == NULL)
    return FALSE;
  key->own_changes = 0;
  key->others = self->stamp_generation;
  return TRUE;
}

static gboolean
read_sqlite_change_key (TtStore      *self,
                        TtChangeKey  *key,
                        GError      **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;

  rows = tt_store_select_rows (self,
                               tt_store_prepare (self,
                                                 "SELECT total_changes(),"
                                                 " (SELECT data_version FROM pragma_data_version)",
                                                 NULL, error),
                               NULL, types, error);
  if (rows == NULL)
    return FALSE;
  if (!tt_rows_next (rows))
    {
      g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                           "SQLite did not say what changed");
      return FALSE;
    }

  key->own_changes = tt_value_get_int64 (tt_rows_get (rows, 0));
  key->others = tt_value_get_int64 (tt_rows_get (rows, 1));
  return TRUE;
}

gboolean
tt_store_read_change_key (TtStore      *self,
                          TtChangeKey  *key,
                          GError      **error)
{
  key->connection = self->connection_generation;
  key->adoption = self->adoption_generation;
  return tt_store_is_mysql (self) ? read_mysql_change_key (self, key, error)
                                  : read_sqlite_change_key (self, key, error);
}

static gboolean
same_key (const TtChangeKey *a,
          const TtChangeKey *b)
{
  return a->own_changes == b->own_changes && a->others == b->others &&
         a->connection == b->connection && a->adoption == b->adoption;
}

static gboolean
same_order (const TtKeptOrder     *kept,
            const TtTutorialQuery *query)
{
  return kept->sort == query->sort && !kept->descending == !query->descending;
}

/* Keeps a copy of @ids (the caller's to change): every tutorial in
 * @query's order, as read with @key. */
void
tt_store_keep_order (TtStore               *self,
                     const TtTutorialQuery *query,
                     const TtChangeKey     *key,
                     GArray                *ids)
{
  TtKeptOrder *kept = g_new0 (TtKeptOrder, 1);

  kept->key = *key;
  kept->sort = query->sort;
  kept->descending = query->descending;
  kept->ids = g_array_copy (ids);
  tt_kept_order_free (self->kept_order);
  self->kept_order = kept;
}

/* The kept order if it is @query's and nothing changed since (@key);
 * otherwise %NULL, and @n_stale says how long a kept list of @query's
 * order is (0 when there is none). */
GArray *
tt_store_kept_order (TtStore               *self,
                     const TtTutorialQuery *query,
                     const TtChangeKey     *key,
                     guint                 *n_stale)
{
  TtKeptOrder *kept = self->kept_order;

  *n_stale = 0;
  if (kept == NULL || !same_order (kept, query))
    return NULL;
  if (same_key (&kept->key, key))
    return kept->ids;

  *n_stale = kept->ids->len;
  return NULL;
}

/* What tt_store_order_found() knows of an id: found, and whether the
 * store must look at it itself (a search candidate, a negative id). */
enum { ID_ABSENT, ID_FOUND, ID_CANDIDATE };

typedef struct
{
  gint64      min;
  GByteArray *dense;   /* one byte an id from min, when ids are close */
  GHashTable *sparse;  /* otherwise: id → state */
} IdStates;

/* Ids are SQLite rowids, nearly always 1 … n: one byte an id costs at
 * most DENSE_SLACK bytes a tutorial, and the walk over every tutorial
 * reads it faster than a hash table (1 000 000 look-ups took 12 ms). A
 * file whose ids are spread far apart gets the hash table. */
#define DENSE_SLACK 4

static void
id_states_init (IdStates     *states,
                const GArray *found,
                guint         n_tutorials)
{
  gint64 min = G_MAXINT64, max = G_MININT64;

  for (guint i = 0; i < found->len; i++)
    {
      gint64 id = ABS (g_array_index (found, gint64, i));

      min = MIN (min, id);
      max = MAX (max, id);
    }

  states->min = min;
  states->dense = NULL;
  states->sparse = NULL;
  if (found->len == 0)
    return;
  if ((guint64) (max - min) < (guint64) DENSE_SLACK * n_tutorials + 4096)
    {
      states->dense = g_byte_array_sized_new (max - min + 1);
      g_byte_array_set_size (states->dense, max - min + 1);
      memset (states->dense->data, ID_ABSENT, states->dense->len);
    }
  else
    states->sparse = g_hash_table_new (g_int64_hash, g_int64_equal);
}

static guint8
id_state (const IdStates *states,
          const gint64   *id)
{
  if (states->dense != NULL)
    return *id >= states->min && *id - states->min < states->dense->len
           ? states->dense->data[*id - states->min] : ID_ABSENT;
  if (states->sparse != NULL)
    return GPOINTER_TO_UINT (g_hash_table_lookup (states->sparse, id));
  return ID_ABSENT;
}

/* Makes *@id positive. A candidate stays one when the id is found again. */
static void
id_states_add (IdStates *states,
               gint64   *id)
{
  guint8 state = *id < 0 ? ID_CANDIDATE : ID_FOUND;

  *id = ABS (*id);
  if (id_state (states, id) == ID_CANDIDATE)
    return;
  if (states->dense != NULL)
    states->dense->data[*id - states->min] = state;
  else
    g_hash_table_insert (states->sparse, id, GUINT_TO_POINTER (state));
}

/**
 * tt_store_order_found:
 * @order: every tutorial's id, in the order wanted
 * @found: (inout): ids in any order, repeated at will, a negative one a
 *   search candidate; made positive (the hash table points into it)
 *
 * The ids of @order that @found holds, in @order's order, a candidate's
 * negative; an id that @order lacks (no such tutorial) is left out.
 */
GArray *
tt_store_order_found (const GArray *order,
                      GArray       *found)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  IdStates states;

  id_states_init (&states, found, order->len);
  for (guint i = 0; i < found->len; i++)
    id_states_add (&states, &g_array_index (found, gint64, i));

  for (guint i = 0; i < order->len && found->len > 0; i++)
    {
      gint64 id = g_array_index (order, gint64, i);
      guint8 state = id_state (&states, &id);

      if (state == ID_CANDIDATE)
        id = -id;
      if (state != ID_ABSENT)
        g_array_append_val (ids, id);
    }

  g_clear_pointer (&states.dense, g_byte_array_unref);
  g_clear_pointer (&states.sparse, g_hash_table_unref);
  return ids;
}
