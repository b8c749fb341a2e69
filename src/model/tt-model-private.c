/* tt-model-private.c: what the model objects share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TtTag and TtTutorial keep their values and their relation lists the same
 * way; the setters return TRUE when the value changed, so that the caller
 * notifies its own property.
 */

#define G_LOG_DOMAIN "tt-model"

#include "config.h"

#include "tt-model-private.h"

/* GLib 2.74 has no g_set_str(). */
gboolean
tt_model_set_str (char       **ptr,
                  const char  *value)
{
  char *copy;

  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;

  /* Copy before freeing: @value may point into *ptr. */
  copy = g_strdup (value);
  g_free (*ptr);
  *ptr = copy;

  return TRUE;
}

/* Equal instants count as unchanged even in another time zone: the database
 * stores instants, so a reload must not look like an edit.
 */
gboolean
tt_model_set_date_time (GDateTime **ptr,
                        GDateTime  *value)
{
  if (tt_model_date_time_equal (*ptr, value))
    return FALSE;

  if (value != NULL)
    g_date_time_ref (value);
  g_clear_pointer (ptr, g_date_time_unref);
  *ptr = value;

  return TRUE;
}

/* The precondition of tt_model_replace_items(), checked by the public
 * setter so that a critical carries that setter's name and log domain.
 * %NULL stands for an empty list.
 */
gboolean
tt_model_date_time_equal (GDateTime *a,
                          GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

gboolean
tt_model_holds_only (GListModel *items,
                     GType       item_type)
{
  guint n_items = items != NULL ? g_list_model_get_n_items (items) : 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (items, i);

      if (!G_TYPE_CHECK_INSTANCE_TYPE (item, item_type))
        return FALSE;
    }

  return TRUE;
}

static gboolean
same_items (GListModel *model,
           GPtrArray  *items)
{
  if (g_list_model_get_n_items (model) != items->len)
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item != g_ptr_array_index (items, i))
        return FALSE;
    }

  return TRUE;
}

/* The relation list is made on first use: a big listing fills only one
 * side of the relation, so most objects in it never need theirs. Like the
 * rest of a model object, not for two threads at once.
 */
TtObjectList *
tt_model_ensure_list (TtObjectList **list,
                      GType          item_type)
{
  if (*list == NULL)
    *list = tt_object_list_new (item_type);

  return *list;
}

/* One splice, so a bound list view sees a single items-changed. The items
 * are copied out first because @items may be *@list itself. Every item is
 * of @item_type (see tt_model_holds_only()).
 */
void
tt_model_replace_items (TtObjectList **list,
                        GType          item_type,
                        GListModel    *items)
{
  guint n_items = items != NULL ? g_list_model_get_n_items (items) : 0;
  g_autoptr(GPtrArray) additions = NULL;

  /* Emptying a list nobody has made yet: no list to make. */
  if (*list == NULL && n_items == 0)
    return;

  additions = g_ptr_array_new_full (n_items, g_object_unref);

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (additions, g_list_model_get_item (items, i));

  tt_model_ensure_list (list, item_type);

  /* An unchanged list must not rebuild rows and lose the selection. */
  if (same_items (G_LIST_MODEL (*list), additions))
    return;

  tt_object_list_splice (*list,
                         0,
                         g_list_model_get_n_items (G_LIST_MODEL (*list)),
                         additions->pdata,
                         additions->len);
}
