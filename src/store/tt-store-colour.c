/* tt-store-colour.c: tag colours, in the table tt_tag_colour
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A colour is ours alone: the Node.js app's tables do not know it, so it
 * lives in a table of ours (see migrate_to_3() for why it has no foreign
 * key). The tag lists read it with the tags (TAG_COLUMNS in tt-store.c).
 *
 * Other windows learn of a colour change from the change journal: the
 * write adds a journal row of kind "tag", op "update", in the same
 * transaction. Not a trigger: the journal's triggers follow the seed
 * tables, where an insert is an insert, while every change to a colour is
 * an update of its tag; and this file is the only writer of the table.
 */

#include "config.h"

#include "tt-rules.h"
#include "tt-store-private.h"

#define LOCKED(self) \
  g_autoptr(GRecMutexLocker) G_PASTE (locker, __LINE__) = g_rec_mutex_locker_new (&(self)->lock)

typedef struct
{
  gint64      tag_id;
  const char *colour;
  char       *old_colour;  /* what the tag had, filled in by the body */
} SetColour;

/* Exec of a statement with one id parameter, "tag". */
static gboolean
exec_for_tag (TtStore     *self,
              const char  *sql,
              gint64       tag_id,
              GError     **error)
{
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, sql, &params, error);

  if (stmt == NULL)
    return FALSE;

  tt_params_set_int64 (params, "tag", tag_id);
  return tt_store_exec (self, stmt, params, NULL, error);
}

/* Whether the tag is there (*@exists), and its colour. */
static gboolean
read_colour (TtStore   *self,
             gint64     tag_id,
             gboolean  *exists,
             char     **colour,
             GError   **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (self,
                           "SELECT (SELECT COUNT(*) FROM tags WHERE id = ##tag::int64),"
                           " (SELECT colour FROM tt_tag_colour WHERE tag_id = ##tag::int64)",
                           &params, error);
  if (stmt != NULL)
    tt_params_set_int64 (params, "tag", tag_id);
  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)) || !tt_rows_next (rows))
    return FALSE;

  *exists = tt_value_get_int64 (tt_rows_get (rows, 0)) > 0;
  *colour = g_strdup (tt_value_get_string (tt_rows_get (rows, 1)));
  return TRUE;
}

static gboolean
insert_colour (TtStore     *self,
               gint64       tag_id,
               const char  *colour,
               GError     **error)
{
  GdaSet *params = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (self,
                           "INSERT INTO tt_tag_colour (tag_id, colour) VALUES (##tag::int64, ##colour::string)",
                           &params, error);
  if (stmt == NULL)
    return FALSE;

  tt_params_set_int64 (params, "tag", tag_id);
  tt_params_set_string (params, "colour", colour);
  return tt_store_exec (self, stmt, params, NULL, error);
}

/* What the journal's triggers write for an update of the tag's row. */
static gboolean
journal_tag_update (TtStore  *self,
                    gint64    tag_id,
                    GError  **error)
{
  return exec_for_tag (self,
                       tt_store_is_mysql (self)
                         ? "INSERT INTO tt_change_journal (kind, op, tutorial_id, tag_id, changed_at)"
                           " VALUES ('tag', 'update', NULL, ##tag::int64, NOW(3))"
                         : "INSERT INTO tt_change_journal (kind, op, tutorial_id, tag_id, changed_at)"
                           " VALUES ('tag', 'update', NULL, ##tag::int64, CURRENT_TIMESTAMP)",
                       tag_id, error);
}

gboolean
tt_store_put_tag_colour (TtStore     *self,
                         gint64       tag_id,
                         const char  *colour,
                         GError     **error)
{
  if (!tt_rules_check_tag_colour (colour, error) ||
      !tt_store_forget_tag_colour (self, tag_id, error))
    return FALSE;

  return colour == NULL || insert_colour (self, tag_id, colour, error);
}

static void
bind_colour (gpointer     data,
             TtRowWriter *writer,
             guint        row)
{
  const TtTagColour *colour = &g_array_index ((GArray *) data, TtTagColour, row);

  tt_row_writer_add_int64 (writer, colour->tag_id);
  tt_row_writer_add_string (writer, colour->colour);
}

/* @colours: TtTagColour, for new tags (no row of theirs in the table),
 * checked by the caller: it knows which record to name. */
gboolean
tt_store_insert_tag_colours (TtStore  *self,
                             GArray   *colours,
                             GError  **error)
{
  return tt_store_insert_batches (self,
                                  "INSERT INTO tt_tag_colour (tag_id, colour) VALUES",
                                  "(##tag@::int64, ##colour@::string)",
                                  colours->len, TT_BATCH_ROWS, bind_colour, colours, NULL, error);
}

gboolean
tt_store_forget_tag_colour (TtStore  *self,
                            gint64    tag_id,
                            GError  **error)
{
  return exec_for_tag (self, "DELETE FROM tt_tag_colour WHERE tag_id = ##tag::int64", tag_id, error);
}

static gboolean
set_colour_body (TtStore   *self,
                 gpointer   data,
                 GError   **error)
{
  SetColour *set = data;
  gboolean exists = FALSE;

  /* A try the server rolled back may have filled it in. */
  g_clear_pointer (&set->old_colour, g_free);
  if (!read_colour (self, set->tag_id, &exists, &set->old_colour, error))
    return FALSE;
  if (!exists)
    return tt_store_tag_not_found (error, set->tag_id);
  if (g_strcmp0 (set->old_colour, set->colour) == 0)
    return TRUE;

  return tt_store_put_tag_colour (self, set->tag_id, set->colour, error) &&
         journal_tag_update (self, set->tag_id, error);
}

/**
 * tt_store_set_tag_colour:
 * @colour: (nullable): a palette name (tt_rules_tag_colours()), or %NULL
 *   (or "") for none
 * @old_colour: (out) (optional) (nullable): the colour the tag had
 *
 * Gives the tag @colour, in one transaction with its journal row.
 * Setting the colour it has changes nothing. An unknown colour is
 * %TT_STORE_ERROR_INVALID_INPUT, a missing tag %TT_STORE_ERROR_NOT_FOUND.
 */
gboolean
tt_store_set_tag_colour (TtStore     *self,
                         gint64       tag_id,
                         const char  *colour,
                         char       **old_colour,
                         GError     **error)
{
  SetColour set = { tag_id, colour != NULL && *colour != '\0' ? colour : NULL, NULL };

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  if (!tt_rules_check_tag_colour (set.colour, error))
    return FALSE;

  LOCKED (self);
  if (!tt_store_run_atomically (self, set_colour_body, &set, error))
    {
      g_free (set.old_colour);
      return FALSE;
    }

  if (old_colour != NULL)
    *old_colour = set.old_colour;
  else
    g_free (set.old_colour);
  return TRUE;
}
