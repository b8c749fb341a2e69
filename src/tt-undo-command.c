/* tt-undo-command.c: the commands behind the controller's actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command captures, while it applies, what it needs to revert: a
 * snapshot of what it deletes (restored with the same id, so that the
 * commands above it on the undo stack still name the right rows), the
 * tags it created (removed again on undo when nothing else uses them), the
 * exact links it added or removed. Redo applies again, putting back by id
 * what undo deleted instead of creating it anew, for the same reason.
 *
 * The store has no transaction that spans several of its calls, so a
 * command that makes two calls undoes the first itself when the second
 * fails.
 */

#define G_LOG_DOMAIN "tt-undo-command"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-undo-command.h"

typedef struct
{
  gsize      size;
  gboolean (*apply)    (TtUndoCommand  *self,
                        TtStore        *store,
                        GError        **error);
  gboolean (*revert)   (TtUndoCommand  *self,
                        TtStore        *store,
                        GError        **error);
  char    *(*describe) (TtUndoCommand  *self);
  void     (*clear)    (TtUndoCommand  *self);
} TtUndoCommandClass;

struct _TtUndoCommand
{
  const TtUndoCommandClass *klass;

  /* What the first apply created (a TtTutorial or TtTag), if anything. */
  GObject *created;
  /* The first apply found everything already as asked. */
  gboolean noop;
};

static gpointer
command_new (const TtUndoCommandClass *klass)
{
  TtUndoCommand *self = g_malloc0 (klass->size);

  self->klass = klass;
  return self;
}

gboolean
tt_undo_command_apply (TtUndoCommand  *self,
                       TtStore        *store,
                       GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (TT_IS_STORE (store), FALSE);

  return self->klass->apply (self, store, error);
}

gboolean
tt_undo_command_revert (TtUndoCommand  *self,
                        TtStore        *store,
                        GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (TT_IS_STORE (store), FALSE);

  return self->klass->revert (self, store, error);
}

/* A short, translated name of what the command did, such as
 * "Delete “Tut#1”", for "Undo …" and "Redo …". */
char *
tt_undo_command_describe (TtUndoCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->klass->describe (self);
}

gboolean
tt_undo_command_changed_nothing (TtUndoCommand *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->noop;
}

GObject *
tt_undo_command_get_created (TtUndoCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->created;
}

void
tt_undo_command_free (TtUndoCommand *self)
{
  if (self == NULL)
    return;

  if (self->klass->clear != NULL)
    self->klass->clear (self);
  g_clear_object (&self->created);
  g_free (self);
}

/* ---- helpers (worker thread) ---------------------------------------- */

static gboolean
is_not_found (const GError *error)
{
  return g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
}

/* The tag called @name in any case, created when there is none. */
static TtTag *
resolve_tag (TtStore     *store,
             const char  *name,
             gboolean    *created,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  TtTag *tag;

  *created = FALSE;
  tag = tt_store_find_tag_by_name (store, name, &local_error);
  if (tag == NULL && is_not_found (local_error))
    {
      g_clear_error (&local_error);
      tag = tt_store_create_tag (store, name, &local_error);
      *created = tag != NULL;
    }

  /* Another client created it between our look and our insert. */
  if (g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE))
    return tt_store_find_tag_by_name (store, name, error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return tag;
}

/* Puts back a tag an undo deleted, unless it is still there. */
static gboolean
ensure_tag_restored (TtStore  *store,
                     TtTag    *snapshot,
                     GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TtTag) current = tt_store_get_tag (store, tt_tag_get_id (snapshot), &local_error);
  g_autoptr(TtTag) restored = NULL;

  if (current != NULL)
    return TRUE;
  if (!is_not_found (local_error))
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;

  restored = tt_store_restore_tag (store, snapshot, error);
  return restored != NULL;
}

/* Deletes a tag a command created once nothing uses it. Something may
 * have been tagged with it since (another client, say): then it stays.
 * When it goes, *@snapshot becomes what a redo restores. */
static gboolean
drop_tag_if_unused (TtStore  *store,
                    gint64    tag_id,
                    TtTag   **snapshot,
                    GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TtTag) tag = tt_store_get_tag (store, tag_id, &local_error);

  /* Gone already: the old snapshot is still the one to restore. */
  if (tag == NULL && is_not_found (local_error))
    return TRUE;
  if (tag == NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  if (tt_tag_get_tutorial_count (tag) > 0)
    return TRUE;
  if (!tt_store_delete_tag (store, tag_id, error))
    return FALSE;

  if (snapshot != NULL)
    g_set_object (snapshot, tag);
  return TRUE;
}

/* For cleaning up after a failure that is already being reported. */
static void
drop_tag_quietly (TtStore *store,
                  TtTag   *tag)
{
  g_autoptr(GError) error = NULL;

  if (!drop_tag_if_unused (store, tt_tag_get_id (tag), NULL, &error))
    g_warning ("Could not remove tag “%s” again: %s", tt_tag_get_name (tag), error->message);
}

static gboolean
list_has_tag (GListModel *tags,
              gint64      tag_id,
              char      **name)
{
  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      if (tt_tag_get_id (tag) != tag_id)
        continue;
      if (name != NULL)
        *name = g_strdup (tt_tag_get_name (tag));
      return TRUE;
    }

  return FALSE;
}

static GHashTable *
tutorial_ids_of (TtTag *tag)
{
  GListModel *tutorials = tt_tag_get_tutorials (tag);
  GHashTable *ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);
      gint64 id = tt_tutorial_get_id (tutorial);

      g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
    }

  return ids;
}

static GArray *
id_array_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
clear_id_array (GArray **ids)
{
  g_clear_pointer (ids, g_array_unref);
}

/* ---- records: what creating and deleting have in common ------------- */

/* How a tutorial or a tag is read (with its links), deleted and put back:
 * undoing a create and doing a delete are the same steps for both. */
typedef struct
{
  GObject  *(*get)     (TtStore *store, gint64 id, GError **error);
  gboolean  (*remove)  (TtStore *store, gint64 id, GError **error);
  GObject  *(*restore) (TtStore *store, GObject *snapshot, GError **error);
} RecordOps;

static GObject *
get_tutorial (TtStore  *store,
              gint64    id,
              GError  **error)
{
  return G_OBJECT (tt_store_get_tutorial (store, id, error));
}

static GObject *
restore_tutorial (TtStore  *store,
                  GObject  *snapshot,
                  GError  **error)
{
  return G_OBJECT (tt_store_restore_tutorial (store, TT_TUTORIAL (snapshot), error));
}

static GObject *
get_tag (TtStore  *store,
         gint64    id,
         GError  **error)
{
  return G_OBJECT (tt_store_get_tag (store, id, error));
}

static GObject *
restore_tag (TtStore  *store,
             GObject  *snapshot,
             GError  **error)
{
  return G_OBJECT (tt_store_restore_tag (store, TT_TAG (snapshot), error));
}

static const RecordOps tutorial_ops = { get_tutorial, tt_store_delete_tutorial, restore_tutorial };
static const RecordOps tag_ops = { get_tag, tt_store_delete_tag, restore_tag };

/* Deletes record @id, keeping in @snapshot what restores it. */
static gboolean
delete_record (const RecordOps  *ops,
               TtStore          *store,
               gint64            id,
               gpointer          snapshot,
               GError          **error)
{
  g_autoptr(GObject) taken = ops->get (store, id, error);

  if (taken == NULL || !ops->remove (store, id, error))
    return FALSE;

  g_set_object ((GObject **) snapshot, taken);
  return TRUE;
}

static gboolean
restore_record (const RecordOps  *ops,
                TtStore          *store,
                gpointer          snapshot,
                GError          **error)
{
  g_autoptr(GObject) restored = ops->restore (store, snapshot, error);

  return restored != NULL;
}

/* ---- tutorial.create ------------------------------------------------ */

typedef struct
{
  TtUndoCommand  parent;
  char          *title;
  char          *description;
  TtTutorial    *snapshot;  /* as created, then as undo deleted it */
} CreateTutorial;

static gboolean
create_tutorial_apply (TtUndoCommand  *cmd,
                       TtStore        *store,
                       GError        **error)
{
  CreateTutorial *self = (CreateTutorial *) cmd;
  TtTutorial *tutorial;

  if (self->snapshot != NULL)
    tutorial = tt_store_restore_tutorial (store, self->snapshot, error);
  else
    tutorial = tt_store_create_tutorial (store, self->title, self->description, error);
  if (tutorial == NULL)
    return FALSE;

  if (cmd->created == NULL)
    cmd->created = g_object_ref (G_OBJECT (tutorial));
  g_set_object (&self->snapshot, tutorial);
  g_object_unref (tutorial);
  return TRUE;
}

static gboolean
create_tutorial_revert (TtUndoCommand  *cmd,
                        TtStore        *store,
                        GError        **error)
{
  CreateTutorial *self = (CreateTutorial *) cmd;

  return delete_record (&tutorial_ops, store, tt_tutorial_get_id (self->snapshot),
                        &self->snapshot, error);
}

static char *
create_tutorial_describe (TtUndoCommand *cmd)
{
  CreateTutorial *self = (CreateTutorial *) cmd;

  return g_strdup_printf (_("Create “%s”"), self->title);
}

static void
create_tutorial_clear (TtUndoCommand *cmd)
{
  CreateTutorial *self = (CreateTutorial *) cmd;

  g_free (self->title);
  g_free (self->description);
  g_clear_object (&self->snapshot);
}

static const TtUndoCommandClass create_tutorial_class = {
  sizeof (CreateTutorial), create_tutorial_apply, create_tutorial_revert,
  create_tutorial_describe, create_tutorial_clear,
};

TtUndoCommand *
tt_undo_command_create_tutorial (const char *title,
                                 const char *description)
{
  CreateTutorial *self = command_new (&create_tutorial_class);

  self->title = g_strdup (title);
  self->description = g_strdup (description);
  return &self->parent;
}

/* ---- tutorial.update ------------------------------------------------ */

typedef struct
{
  TtUndoCommand  parent;
  gint64         id;
  char          *title;
  char          *description;
  char          *old_title;
  char          *old_description;
} UpdateTutorial;

static gboolean
update_tutorial_apply (TtUndoCommand  *cmd,
                       TtStore        *store,
                       GError        **error)
{
  UpdateTutorial *self = (UpdateTutorial *) cmd;
  g_autoptr(TtTutorial) before = tt_store_get_tutorial (store, self->id, error);
  g_autoptr(TtTutorial) after = NULL;

  if (before == NULL ||
      !(after = tt_store_update_tutorial (store, self->id, self->title, self->description, error)))
    return FALSE;

  g_free (self->old_title);
  g_free (self->old_description);
  self->old_title = g_strdup (tt_tutorial_get_title (before));
  self->old_description = g_strdup (tt_tutorial_get_description (before));
  cmd->noop = g_strcmp0 (self->old_title, tt_tutorial_get_title (after)) == 0 &&
              g_strcmp0 (self->old_description, tt_tutorial_get_description (after)) == 0;
  return TRUE;
}

static gboolean
update_tutorial_revert (TtUndoCommand  *cmd,
                        TtStore        *store,
                        GError        **error)
{
  UpdateTutorial *self = (UpdateTutorial *) cmd;
  g_autoptr(TtTutorial) after = NULL;

  /* The store cannot set a description back to NULL (a row the Node.js
   * app wrote may have one); an empty one is the closest. */
  after = tt_store_update_tutorial (store, self->id, self->old_title,
                                    self->old_description != NULL ? self->old_description : "",
                                    error);
  return after != NULL;
}

static char *
update_tutorial_describe (TtUndoCommand *cmd)
{
  UpdateTutorial *self = (UpdateTutorial *) cmd;

  return g_strdup_printf (_("Edit “%s”"), self->old_title != NULL ? self->old_title : "");
}

static void
update_tutorial_clear (TtUndoCommand *cmd)
{
  UpdateTutorial *self = (UpdateTutorial *) cmd;

  g_free (self->title);
  g_free (self->description);
  g_free (self->old_title);
  g_free (self->old_description);
}

static const TtUndoCommandClass update_tutorial_class = {
  sizeof (UpdateTutorial), update_tutorial_apply, update_tutorial_revert,
  update_tutorial_describe, update_tutorial_clear,
};

/* A NULL @title or @description keeps the current one. */
TtUndoCommand *
tt_undo_command_update_tutorial (gint64      tutorial_id,
                                 const char *title,
                                 const char *description)
{
  UpdateTutorial *self = command_new (&update_tutorial_class);

  self->id = tutorial_id;
  self->title = g_strdup (title);
  self->description = g_strdup (description);
  return &self->parent;
}

/* ---- tutorial.delete, tag.delete ------------------------------------ */

/* The same steps for both kinds (see RecordOps); only the label differs. */
typedef struct
{
  TtUndoCommand    parent;
  const RecordOps *ops;
  GArray          *ids;        /* gint64 */
  GPtrArray       *snapshots;  /* each with its links, in delete order */
  guint            n_gone;     /* of those, how many are deleted now */
} DeleteRecords;

/* Puts back what was deleted, newest first. */
static gboolean
restore_all (DeleteRecords  *self,
             TtStore        *store,
             GError        **error)
{
  for (; self->n_gone > 0; self->n_gone--)
    if (!restore_record (self->ops, store, g_ptr_array_index (self->snapshots, self->n_gone - 1), error))
      return FALSE;
  return TRUE;
}

/* All or nothing: a failure part way puts back what was deleted. */
static gboolean
delete_records_apply (TtUndoCommand  *cmd,
                      TtStore        *store,
                      GError        **error)
{
  DeleteRecords *self = (DeleteRecords *) cmd;

  g_ptr_array_set_size (self->snapshots, 0);
  self->n_gone = 0;
  for (guint i = 0; i < self->ids->len; i++)
    {
      g_autoptr(GObject) snapshot = NULL;

      if (!delete_record (self->ops, store, g_array_index (self->ids, gint64, i), &snapshot, error))
        {
          restore_all (self, store, NULL);
          return FALSE;
        }
      g_ptr_array_add (self->snapshots, g_steal_pointer (&snapshot));
      self->n_gone++;
    }

  return TRUE;
}

static gboolean
delete_records_revert (TtUndoCommand  *cmd,
                       TtStore        *store,
                       GError        **error)
{
  return restore_all ((DeleteRecords *) cmd, store, error);
}

static void
delete_records_clear (TtUndoCommand *cmd)
{
  DeleteRecords *self = (DeleteRecords *) cmd;

  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->snapshots, g_ptr_array_unref);
}

static char *
delete_tutorials_describe (TtUndoCommand *cmd)
{
  DeleteRecords *self = (DeleteRecords *) cmd;

  if (self->snapshots->len == 1)
    return g_strdup_printf (_("Delete “%s”"),
                            tt_tutorial_get_title (g_ptr_array_index (self->snapshots, 0)));
  return g_strdup_printf (ngettext ("Delete %u Tutorial", "Delete %u Tutorials", self->ids->len),
                          self->ids->len);
}

static char *
delete_tag_describe (TtUndoCommand *cmd)
{
  DeleteRecords *self = (DeleteRecords *) cmd;

  return g_strdup_printf (_("Delete Tag “%s”"), tt_tag_get_name (g_ptr_array_index (self->snapshots, 0)));
}

static const TtUndoCommandClass delete_tutorials_class = {
  sizeof (DeleteRecords), delete_records_apply, delete_records_revert,
  delete_tutorials_describe, delete_records_clear,
};

static const TtUndoCommandClass delete_tag_class = {
  sizeof (DeleteRecords), delete_records_apply, delete_records_revert,
  delete_tag_describe, delete_records_clear,
};

static TtUndoCommand *
delete_records_new (const TtUndoCommandClass *klass,
                    const RecordOps          *ops,
                    const gint64             *ids,
                    guint                     n_ids)
{
  DeleteRecords *self = command_new (klass);

  self->ops = ops;
  self->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (self->ids, ids, n_ids);
  self->snapshots = g_ptr_array_new_with_free_func (g_object_unref);
  return &self->parent;
}

/* One command, so one Undo puts them all back. */
TtUndoCommand *
tt_undo_command_delete_tutorials (const gint64 *tutorial_ids,
                                  guint         n_tutorial_ids)
{
  return delete_records_new (&delete_tutorials_class, &tutorial_ops, tutorial_ids, n_tutorial_ids);
}

TtUndoCommand *
tt_undo_command_delete_tag (gint64 tag_id)
{
  return delete_records_new (&delete_tag_class, &tag_ops, &tag_id, 1);
}

/* ---- tutorial.add-tag ----------------------------------------------- */

typedef struct
{
  TtUndoCommand  parent;
  gint64         tutorial_id;
  char          *name;
  TtTag         *tag;           /* resolved by the first apply */
  gboolean       created_tag;   /* ... which created it */
  gboolean       link_existed;
} AddTag;

/* The tag to link: found or made by name the first time; after an undo,
 * the same tag again, put back with its id if the undo removed it. */
static gboolean
add_tag_resolve (AddTag   *self,
                 TtStore  *store,
                 GError  **error)
{
  if (self->tag != NULL)
    return !self->created_tag || ensure_tag_restored (store, self->tag, error);

  self->tag = resolve_tag (store, self->name, &self->created_tag, error);
  return self->tag != NULL;
}

static gboolean
tutorial_has_tag (TtStore   *store,
                  gint64     tutorial_id,
                  gint64     tag_id,
                  gboolean  *has,
                  GError   **error)
{
  g_autoptr(TtTutorial) tutorial = tt_store_get_tutorial (store, tutorial_id, error);

  if (tutorial == NULL)
    return FALSE;

  *has = list_has_tag (tt_tutorial_get_tags (tutorial), tag_id, NULL);
  return TRUE;
}

static gboolean
add_tag_apply (TtUndoCommand  *cmd,
               TtStore        *store,
               GError        **error)
{
  AddTag *self = (AddTag *) cmd;
  gint64 tag_id;
  gboolean has = FALSE;

  if (!add_tag_resolve (self, store, error))
    return FALSE;

  tag_id = tt_tag_get_id (self->tag);
  if (!tutorial_has_tag (store, self->tutorial_id, tag_id, &has, error) ||
      (!has && !tt_store_link (store, self->tutorial_id, tag_id, error)))
    {
      if (self->created_tag)
        drop_tag_quietly (store, self->tag);
      return FALSE;
    }

  self->link_existed = has;
  cmd->noop = has && !self->created_tag;
  return TRUE;
}

static gboolean
add_tag_revert (TtUndoCommand  *cmd,
                TtStore        *store,
                GError        **error)
{
  AddTag *self = (AddTag *) cmd;
  gint64 tag_id = tt_tag_get_id (self->tag);

  if (!self->link_existed && !tt_store_unlink (store, self->tutorial_id, tag_id, error))
    return FALSE;

  return !self->created_tag || drop_tag_if_unused (store, tag_id, &self->tag, error);
}

static char *
add_tag_describe (TtUndoCommand *cmd)
{
  AddTag *self = (AddTag *) cmd;

  return g_strdup_printf (_("Add Tag “%s”"),
                          self->tag != NULL ? tt_tag_get_name (self->tag) : self->name);
}

static void
add_tag_clear (TtUndoCommand *cmd)
{
  AddTag *self = (AddTag *) cmd;

  g_free (self->name);
  g_clear_object (&self->tag);
}

static const TtUndoCommandClass add_tag_class = {
  sizeof (AddTag), add_tag_apply, add_tag_revert, add_tag_describe, add_tag_clear,
};

/* Links the tag called @name in any case, created when there is none. */
TtUndoCommand *
tt_undo_command_add_tag (gint64      tutorial_id,
                         const char *name)
{
  AddTag *self = command_new (&add_tag_class);

  self->tutorial_id = tutorial_id;
  self->name = g_strdup (name);
  return &self->parent;
}

/* ---- tutorial.remove-tag -------------------------------------------- */

typedef struct
{
  TtUndoCommand  parent;
  gint64         tutorial_id;
  gint64         tag_id;
  char          *tag_name;
} RemoveTag;

static gboolean
remove_tag_apply (TtUndoCommand  *cmd,
                  TtStore        *store,
                  GError        **error)
{
  RemoveTag *self = (RemoveTag *) cmd;
  g_autoptr(TtTutorial) tutorial = tt_store_get_tutorial (store, self->tutorial_id, error);

  if (tutorial == NULL)
    return FALSE;

  /* Unlinking a tag the tutorial does not have fails with NOT_FOUND. */
  g_clear_pointer (&self->tag_name, g_free);
  list_has_tag (tt_tutorial_get_tags (tutorial), self->tag_id, &self->tag_name);
  return tt_store_unlink (store, self->tutorial_id, self->tag_id, error);
}

static gboolean
remove_tag_revert (TtUndoCommand  *cmd,
                   TtStore        *store,
                   GError        **error)
{
  RemoveTag *self = (RemoveTag *) cmd;

  return tt_store_link (store, self->tutorial_id, self->tag_id, error);
}

static char *
remove_tag_describe (TtUndoCommand *cmd)
{
  RemoveTag *self = (RemoveTag *) cmd;

  return g_strdup_printf (_("Remove Tag “%s”"), self->tag_name != NULL ? self->tag_name : "");
}

static void
remove_tag_clear (TtUndoCommand *cmd)
{
  RemoveTag *self = (RemoveTag *) cmd;

  g_free (self->tag_name);
}

static const TtUndoCommandClass remove_tag_class = {
  sizeof (RemoveTag), remove_tag_apply, remove_tag_revert, remove_tag_describe, remove_tag_clear,
};

TtUndoCommand *
tt_undo_command_remove_tag (gint64 tutorial_id,
                            gint64 tag_id)
{
  RemoveTag *self = command_new (&remove_tag_class);

  self->tutorial_id = tutorial_id;
  self->tag_id = tag_id;
  return &self->parent;
}

/* ---- tutorial.set-tags ---------------------------------------------- */

typedef struct
{
  TtUndoCommand  parent;
  gint64         tutorial_id;
  GStrv          names;
  GStrv          old_names;
  char          *title;
  GPtrArray     *created;  /* TtTag: the tags the first apply made */
} SetTags;

static GStrv
tag_names_of (GListModel *tags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      g_strv_builder_add (builder, tt_tag_get_name (tag));
    }

  return g_strv_builder_end (builder);
}

static gboolean
same_tag_ids (GListModel *a,
              GListModel *b)
{
  guint n = g_list_model_get_n_items (a);

  if (n != g_list_model_get_n_items (b))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtTag) x = g_list_model_get_item (a, i);

      if (!list_has_tag (b, tt_tag_get_id (x), NULL))
        return FALSE;
    }

  return TRUE;
}

static void
set_tags_drop_created (SetTags *self,
                       TtStore *store)
{
  for (guint i = 0; i < self->created->len; i++)
    drop_tag_quietly (store, g_ptr_array_index (self->created, i));
}

/* Makes the tags that do not exist yet before the store links them, so
 * that a redo can put them back with the ids they had. */
static gboolean
set_tags_make_tags (SetTags  *self,
                    TtStore  *store,
                    GError  **error)
{
  if (self->created != NULL)
    {
      for (guint i = 0; i < self->created->len; i++)
        if (!ensure_tag_restored (store, g_ptr_array_index (self->created, i), error))
          return set_tags_drop_created (self, store), FALSE;
      return TRUE;
    }

  self->created = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; self->names[i] != NULL; i++)
    {
      gboolean created = FALSE;
      TtTag *tag = resolve_tag (store, self->names[i], &created, error);

      if (tag == NULL)
        return set_tags_drop_created (self, store), FALSE;
      if (created)
        g_ptr_array_add (self->created, tag);
      else
        g_object_unref (tag);
    }

  return TRUE;
}

static gboolean
set_tags_apply (TtUndoCommand  *cmd,
                TtStore        *store,
                GError        **error)
{
  SetTags *self = (SetTags *) cmd;
  g_autoptr(TtTutorial) before = tt_store_get_tutorial (store, self->tutorial_id, error);
  g_autoptr(TtTutorial) after = NULL;

  if (before == NULL || !set_tags_make_tags (self, store, error))
    return FALSE;

  after = tt_store_set_tutorial_tags (store, self->tutorial_id,
                                      (const char * const *) self->names, error);
  if (after == NULL)
    return set_tags_drop_created (self, store), FALSE;

  g_strfreev (self->old_names);
  self->old_names = tag_names_of (tt_tutorial_get_tags (before));
  g_free (self->title);
  self->title = g_strdup (tt_tutorial_get_title (before));
  cmd->noop = self->created->len == 0 &&
              same_tag_ids (tt_tutorial_get_tags (before), tt_tutorial_get_tags (after));
  return TRUE;
}

static gboolean
set_tags_revert (TtUndoCommand  *cmd,
                 TtStore        *store,
                 GError        **error)
{
  SetTags *self = (SetTags *) cmd;
  g_autoptr(TtTutorial) after = NULL;

  after = tt_store_set_tutorial_tags (store, self->tutorial_id,
                                      (const char * const *) self->old_names, error);
  if (after == NULL)
    return FALSE;

  for (guint i = 0; i < self->created->len; i++)
    {
      TtTag **tag = (TtTag **) &g_ptr_array_index (self->created, i);

      if (!drop_tag_if_unused (store, tt_tag_get_id (*tag), tag, error))
        return FALSE;
    }

  return TRUE;
}

static char *
set_tags_describe (TtUndoCommand *cmd)
{
  SetTags *self = (SetTags *) cmd;

  return g_strdup_printf (_("Change Tags of “%s”"), self->title != NULL ? self->title : "");
}

static void
set_tags_clear (TtUndoCommand *cmd)
{
  SetTags *self = (SetTags *) cmd;

  g_strfreev (self->names);
  g_strfreev (self->old_names);
  g_free (self->title);
  g_clear_pointer (&self->created, g_ptr_array_unref);
}

static const TtUndoCommandClass set_tags_class = {
  sizeof (SetTags), set_tags_apply, set_tags_revert, set_tags_describe, set_tags_clear,
};

TtUndoCommand *
tt_undo_command_set_tags (gint64              tutorial_id,
                          const char * const *names)
{
  static const char * const none[] = { NULL };
  SetTags *self = command_new (&set_tags_class);

  self->tutorial_id = tutorial_id;
  self->names = g_strdupv ((char **) (names != NULL ? names : none));
  return &self->parent;
}

/* ---- tag.create ----------------------------------------------------- */

typedef struct
{
  TtUndoCommand  parent;
  char          *name;
  TtTag         *snapshot;  /* as created, then as undo deleted it */
} CreateTag;

static gboolean
create_tag_apply (TtUndoCommand  *cmd,
                  TtStore        *store,
                  GError        **error)
{
  CreateTag *self = (CreateTag *) cmd;
  TtTag *tag;

  if (self->snapshot != NULL)
    tag = tt_store_restore_tag (store, self->snapshot, error);
  else
    tag = tt_store_create_tag (store, self->name, error);
  if (tag == NULL)
    return FALSE;

  if (cmd->created == NULL)
    cmd->created = g_object_ref (G_OBJECT (tag));
  g_set_object (&self->snapshot, tag);
  g_object_unref (tag);
  return TRUE;
}

static gboolean
create_tag_revert (TtUndoCommand  *cmd,
                   TtStore        *store,
                   GError        **error)
{
  CreateTag *self = (CreateTag *) cmd;

  return delete_record (&tag_ops, store, tt_tag_get_id (self->snapshot), &self->snapshot, error);
}

static char *
create_tag_describe (TtUndoCommand *cmd)
{
  CreateTag *self = (CreateTag *) cmd;

  return g_strdup_printf (_("Create Tag “%s”"),
                          self->snapshot != NULL ? tt_tag_get_name (self->snapshot) : self->name);
}

static void
create_tag_clear (TtUndoCommand *cmd)
{
  CreateTag *self = (CreateTag *) cmd;

  g_free (self->name);
  g_clear_object (&self->snapshot);
}

static const TtUndoCommandClass create_tag_class = {
  sizeof (CreateTag), create_tag_apply, create_tag_revert, create_tag_describe, create_tag_clear,
};

TtUndoCommand *
tt_undo_command_create_tag (const char *name)
{
  CreateTag *self = command_new (&create_tag_class);

  self->name = g_strdup (name);
  return &self->parent;
}

/* ---- tag.rename ----------------------------------------------------- */

typedef struct
{
  TtUndoCommand  parent;
  gint64         id;
  char          *new_name;
  char          *old_name;
  char          *result_name;
  /* A merge: the renamed tag as it was, with its tutorials, the tag it
   * went into, and the tutorials that gained that tag. */
  TtTag         *merged;
  gint64         target_id;
  GArray        *gained;
} RenameTag;

/* The other tag @name belongs to, or NULL (then no error) when it names
 * none or @id itself. */
static TtTag *
other_tag_named (TtStore     *store,
                 const char  *name,
                 gint64       id,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TtTag) tag = tt_store_find_tag_by_name (store, name, &local_error);

  if (tag == NULL && !is_not_found (local_error))
    g_propagate_error (error, g_steal_pointer (&local_error));
  if (tag == NULL || tt_tag_get_id (tag) == id)
    return NULL;

  return g_steal_pointer (&tag);
}

static gboolean
rename_tag_plan_merge (RenameTag  *self,
                       TtStore    *store,
                       TtTag      *before,
                       TtTag      *target,
                       GError    **error)
{
  g_autoptr(TtTag) full_target = tt_store_get_tag (store, tt_tag_get_id (target), error);
  g_autoptr(GHashTable) had = NULL;
  GListModel *tutorials = tt_tag_get_tutorials (before);

  if (full_target == NULL)
    return FALSE;

  had = tutorial_ids_of (full_target);
  self->target_id = tt_tag_get_id (target);
  self->gained = id_array_new ();
  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);
      gint64 id = tt_tutorial_get_id (tutorial);

      if (!g_hash_table_contains (had, &id))
        g_array_append_val (self->gained, id);
    }

  g_set_object (&self->merged, before);
  return TRUE;
}

static gboolean
rename_tag_apply (TtUndoCommand  *cmd,
                  TtStore        *store,
                  GError        **error)
{
  RenameTag *self = (RenameTag *) cmd;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TtTag) before = tt_store_get_tag (store, self->id, error);
  g_autoptr(TtTag) target = NULL;
  g_autoptr(TtTag) after = NULL;

  if (before == NULL)
    return FALSE;

  target = other_tag_named (store, self->new_name, self->id, &local_error);
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;

  g_clear_object (&self->merged);
  clear_id_array (&self->gained);
  self->target_id = 0;
  if ((target != NULL && !rename_tag_plan_merge (self, store, before, target, error)) ||
      !(after = tt_store_rename_tag (store, self->id, self->new_name, error)))
    return FALSE;

  g_free (self->old_name);
  g_free (self->result_name);
  self->old_name = g_strdup (tt_tag_get_name (before));
  self->result_name = g_strdup (tt_tag_get_name (after));
  cmd->noop = target == NULL && g_strcmp0 (self->old_name, self->result_name) == 0;
  return TRUE;
}

static gboolean
rename_tag_revert_merge (RenameTag  *self,
                         TtStore    *store,
                         GError    **error)
{
  g_autoptr(TtTag) restored = tt_store_restore_tag (store, self->merged, error);

  if (restored == NULL)
    return FALSE;
  if (self->gained->len == 0)
    return TRUE;

  return tt_store_unlink_many (store, (const gint64 *) self->gained->data, self->gained->len,
                               self->target_id, error);
}

static gboolean
rename_tag_revert (TtUndoCommand  *cmd,
                   TtStore        *store,
                   GError        **error)
{
  RenameTag *self = (RenameTag *) cmd;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TtTag) other = NULL;
  g_autoptr(TtTag) after = NULL;

  if (self->merged != NULL)
    return rename_tag_revert_merge (self, store, error);

  /* Renaming back onto a name another tag has taken since would merge
   * the two: refuse instead. */
  other = other_tag_named (store, self->old_name, self->id, &local_error);
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  if (other != NULL)
    return g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE,
                        _("A tag named “%s” already exists"), tt_tag_get_name (other)), FALSE;

  after = tt_store_rename_tag (store, self->id, self->old_name, error);
  return after != NULL;
}

static char *
rename_tag_describe (TtUndoCommand *cmd)
{
  RenameTag *self = (RenameTag *) cmd;
  const char *old_name = self->old_name != NULL ? self->old_name : "";
  const char *new_name = self->result_name != NULL ? self->result_name : self->new_name;

  if (self->merged != NULL)
    return g_strdup_printf (_("Merge “%s” into “%s”"), old_name, new_name);

  return g_strdup_printf (_("Rename “%s” to “%s”"), old_name, new_name);
}

static void
rename_tag_clear (TtUndoCommand *cmd)
{
  RenameTag *self = (RenameTag *) cmd;

  g_free (self->new_name);
  g_free (self->old_name);
  g_free (self->result_name);
  g_clear_object (&self->merged);
  clear_id_array (&self->gained);
}

static const TtUndoCommandClass rename_tag_class = {
  sizeof (RenameTag), rename_tag_apply, rename_tag_revert, rename_tag_describe, rename_tag_clear,
};

/* Renaming onto another tag's name (in any case) merges into that tag. */
TtUndoCommand *
tt_undo_command_rename_tag (gint64      tag_id,
                            const char *new_name)
{
  RenameTag *self = command_new (&rename_tag_class);

  self->id = tag_id;
  self->new_name = g_strdup (new_name);
  return &self->parent;
}

/* ---- tag.add-to-tutorials, tag.remove-from-tutorials ------------------ */

typedef struct
{
  TtUndoCommand  parent;
  GArray        *requested;
  gint64         tag_id;
  gboolean       add;
  GArray        *changed;  /* the tutorials that gained (lost) the tag */
  char          *tag_name;
} LinkMany;

static gboolean
link_many_run (TtStore       *store,
               gboolean       add,
               const GArray  *ids,
               gint64         tag_id,
               GError       **error)
{
  if (ids->len == 0)
    return TRUE;

  return add ? tt_store_link_many (store, (const gint64 *) ids->data, ids->len, tag_id, error)
             : tt_store_unlink_many (store, (const gint64 *) ids->data, ids->len, tag_id, error);
}

/* Only the tutorials that do not have the tag yet (that have it, for a
 * removal) change, each once: undo must not touch the others. */
static void
link_many_plan (LinkMany *self,
                TtTag    *tag)
{
  g_autoptr(GHashTable) had = tutorial_ids_of (tag);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  clear_id_array (&self->changed);
  self->changed = id_array_new ();
  for (guint i = 0; i < self->requested->len; i++)
    {
      gint64 *id = &g_array_index (self->requested, gint64, i);

      if (g_hash_table_contains (had, id) != self->add && g_hash_table_add (seen, id))
        g_array_append_val (self->changed, *id);
    }
}

static gboolean
link_many_apply (TtUndoCommand  *cmd,
                 TtStore        *store,
                 GError        **error)
{
  LinkMany *self = (LinkMany *) cmd;
  g_autoptr(TtTag) tag = tt_store_get_tag (store, self->tag_id, error);

  if (tag == NULL)
    return FALSE;

  link_many_plan (self, tag);
  if (!link_many_run (store, self->add, self->changed, self->tag_id, error))
    return FALSE;

  g_free (self->tag_name);
  self->tag_name = g_strdup (tt_tag_get_name (tag));
  cmd->noop = self->changed->len == 0;
  return TRUE;
}

static gboolean
link_many_revert (TtUndoCommand  *cmd,
                  TtStore        *store,
                  GError        **error)
{
  LinkMany *self = (LinkMany *) cmd;

  return link_many_run (store, !self->add, self->changed, self->tag_id, error);
}

static char *
link_many_describe (TtUndoCommand *cmd)
{
  LinkMany *self = (LinkMany *) cmd;
  guint n = self->changed != NULL ? self->changed->len : 0;
  const char *name = self->tag_name != NULL ? self->tag_name : "";

  if (self->add)
    return g_strdup_printf (ngettext ("Add “%s” to %u Tutorial",
                                      "Add “%s” to %u Tutorials", n), name, n);

  return g_strdup_printf (ngettext ("Remove “%s” from %u Tutorial",
                                    "Remove “%s” from %u Tutorials", n), name, n);
}

static void
link_many_clear (TtUndoCommand *cmd)
{
  LinkMany *self = (LinkMany *) cmd;

  clear_id_array (&self->requested);
  clear_id_array (&self->changed);
  g_free (self->tag_name);
}

static const TtUndoCommandClass link_many_class = {
  sizeof (LinkMany), link_many_apply, link_many_revert, link_many_describe, link_many_clear,
};

/* Adds the tag to (@add FALSE: removes it from) the tutorials. */
TtUndoCommand *
tt_undo_command_link_many (const gint64 *tutorial_ids,
                           guint         n_tutorial_ids,
                           gint64        tag_id,
                           gboolean      add)
{
  LinkMany *self;

  g_return_val_if_fail (tutorial_ids != NULL || n_tutorial_ids == 0, NULL);

  self = command_new (&link_many_class);
  self->requested = id_array_new ();
  if (n_tutorial_ids > 0)
    g_array_append_vals (self->requested, tutorial_ids, n_tutorial_ids);
  self->tag_id = tag_id;
  self->add = add;
  return &self->parent;
}
