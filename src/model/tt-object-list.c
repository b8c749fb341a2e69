/* tt-object-list.c: a small GListModel over an array
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The relation lists of TtTag and TtTutorial. A big listing builds one per
 * object, 100 000 and more, each filled once and then read by index. A
 * GListStore pays for that with a GSequence and a tree node per item; a
 * plain array of references costs one pointer per item.
 */

#define G_LOG_DOMAIN "tt-object-list"

#include "config.h"

#include <string.h>

#include "tt-object-list.h"

struct _TtObjectList
{
  GObject    parent_instance;

  GType      item_type;
  /* Holds a reference to each item. */
  GPtrArray *items;
};

static GType
tt_object_list_get_item_type (GListModel *model)
{
  return TT_OBJECT_LIST (model)->item_type;
}

static guint
tt_object_list_get_n_items (GListModel *model)
{
  return TT_OBJECT_LIST (model)->items->len;
}

static gpointer
tt_object_list_get_item (GListModel *model,
                         guint       position)
{
  TtObjectList *self = TT_OBJECT_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = tt_object_list_get_item_type;
  iface->get_n_items = tt_object_list_get_n_items;
  iface->get_item = tt_object_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TtObjectList, tt_object_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
tt_object_list_dispose (GObject *object)
{
  TtObjectList *self = (TtObjectList *)object;

  /* Drops the references but keeps the array, so that the list still
   * answers (as empty) if someone holds it across g_object_run_dispose().
   */
  g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (tt_object_list_parent_class)->dispose (object);
}

static void
tt_object_list_finalize (GObject *object)
{
  TtObjectList *self = (TtObjectList *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (tt_object_list_parent_class)->finalize (object);
}

static void
tt_object_list_class_init (TtObjectListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tt_object_list_dispose;
  object_class->finalize = tt_object_list_finalize;
}

static void
tt_object_list_init (TtObjectList *self)
{
  /* A valid item type even for a bare g_object_new(). */
  self->item_type = G_TYPE_OBJECT;
  /* Allocates no storage until the first item arrives. */
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

TtObjectList *
tt_object_list_new (GType item_type)
{
  TtObjectList *self;

  g_return_val_if_fail (g_type_is_a (item_type, G_TYPE_OBJECT), NULL);

  self = g_object_new (TT_TYPE_OBJECT_LIST, NULL);
  self->item_type = item_type;

  return self;
}

static gboolean
all_of_type (gpointer *items,
             guint     n_items,
             GType     item_type)
{
  for (guint i = 0; i < n_items; i++)
    {
      if (!G_TYPE_CHECK_INSTANCE_TYPE (items[i], item_type))
        return FALSE;
    }

  return TRUE;
}

/* Extra references to the items about to be removed, dropped only after
 * items-changed: an item's finalizer must not run while the array and the
 * signal disagree, and an addition may be one of these very items.
 */
static GPtrArray *
hold_range (GPtrArray *items,
            guint      position,
            guint      n_items)
{
  GPtrArray *held = g_ptr_array_new_full (n_items, g_object_unref);

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (held, g_object_ref (g_ptr_array_index (items, position + i)));

  return held;
}

/* Grows the array once and opens a gap, rather than one
 * g_ptr_array_insert() per item, each moving the whole tail.
 */
static void
insert_refs (GPtrArray *items,
             guint      position,
             gpointer  *additions,
             guint      n_additions)
{
  guint tail = items->len - position;

  g_ptr_array_set_size (items, items->len + n_additions);
  memmove (&items->pdata[position + n_additions],
           &items->pdata[position],
           tail * sizeof (gpointer));

  for (guint i = 0; i < n_additions; i++)
    items->pdata[position + i] = g_object_ref (additions[i]);
}

/**
 * tt_object_list_splice:
 * @additions: (array length=n_additions): the items to insert
 *
 * Removes @n_removals items at @position and inserts @additions there, the
 * way g_list_store_splice() does, with one #GListModel::items-changed. Unlike
 * it, an addition of the wrong type is found before anything changes, and
 * a splice that changes nothing emits nothing.
 */
void
tt_object_list_splice (TtObjectList *self,
                       guint         position,
                       guint         n_removals,
                       gpointer     *additions,
                       guint         n_additions)
{
  g_autoptr(GPtrArray) removed = NULL;

  g_return_if_fail (TT_IS_OBJECT_LIST (self));
  g_return_if_fail (position <= self->items->len);
  g_return_if_fail (n_removals <= self->items->len - position);
  g_return_if_fail (additions != NULL || n_additions == 0);
  g_return_if_fail (all_of_type (additions, n_additions, self->item_type));

  if (n_removals == 0 && n_additions == 0)
    return;

  if (n_removals > 0)
    {
      removed = hold_range (self->items, position, n_removals);
      g_ptr_array_remove_range (self->items, position, n_removals);
    }
  insert_refs (self->items, position, additions, n_additions);

  g_list_model_items_changed (G_LIST_MODEL (self), position, n_removals, n_additions);
}
