/* tt-undo-command.c: the commands behind the controller's actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command keeps, while it applies, what the store says it did: a
 * snapshot of what it deletes (restored with the same id, so that the
 * commands above it on the undo stack still name the right rows), whether
 * it made a tag (removed again on undo when nothing else uses it), the
 * exact links it added or removed. Redo applies again, putting back by id
 * what undo deleted instead of creating it anew, for the same reason.
 *
 * Apply and revert each run inside one transaction, so a command has no
 * clean-up code: a failure anywhere leaves the catalogue as it was. A
 * command changes its own fields only once its store calls succeeded.
 */

#define G_LOG_DOMAIN "tt-undo-command"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

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
  /* Optional: whether this apply (revert) is a single statement, atomic
   * by itself, so that it needs no transaction around it. */
  gboolean (*alone)    (TtUndoCommand  *self,
                        gboolean        reverting);
} TtUndoCommandClass;

struct _TtUndoCommand
{
  const TtUndoCommandClass *klass;

  /* What the first apply created (a TtTutorial or TtTag), if anything. */
  GObject *created;
  /* An apply was committed: a later one is a redo. Until then, each try
   * of the first apply (the store runs it again after a conflict) starts
   * afresh, whatever a try the server rolled back left here. */
  gboolean applied;
  /* The first apply found everything already as asked. */
  gboolean noop;
  /* What the last step did, when it only changed links. */
  TtLinkChange *link_change;
};

static gpointer
command_new (const TtUndoCommandClass *klass)
{
  TtUndoCommand *self = g_malloc0 (klass->size);

  self->klass = klass;
  return self;
}

static gboolean
apply_body (TtStore   *store,
            gpointer   data,
            GError   **error)
{
  TtUndoCommand *self = data;

  return self->klass->apply (self, store, error);
}

static gboolean
revert_body (TtStore   *store,
             gpointer   data,
             GError   **error)
{
  TtUndoCommand *self = data;

  return self->klass->revert (self, store, error);
}

static void
clear_link_change (TtUndoCommand *self)
{
  if (self->link_change == NULL)
    return;

  g_clear_object (&self->link_change->tag);
  g_clear_pointer (&self->link_change->tutorial_ids, g_array_unref);
  g_clear_pointer (&self->link_change, g_free);
}

/* Called by a step that changed links only, once it has succeeded;
 * @ids NULL means @tutorial_id alone. */
static void
set_link_change (TtUndoCommand *self,
                 TtTag         *tag,
                 const GArray  *ids,
                 gint64         tutorial_id,
                 gboolean       added)
{
  TtLinkChange *change = g_new0 (TtLinkChange, 1);

  clear_link_change (self);
  change->tag = g_object_ref (tag);
  change->tutorial_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (ids != NULL)
    g_array_append_vals (change->tutorial_ids, ids->data, ids->len);
  else
    g_array_append_val (change->tutorial_ids, tutorial_id);
  change->added = added;
  self->link_change = change;
}

static gboolean
run_step (TtUndoCommand      *self,
          TtStore            *store,
          gboolean            reverting,
          GError            **error)
{
  TtStoreAtomicFunc body = reverting ? revert_body : apply_body;
  gboolean done;

  clear_link_change (self);
  if (self->klass->alone != NULL && self->klass->alone (self, reverting))
    done = body (store, self, error);
  else
    done = tt_store_run_atomically (store, body, self, error);

  if (done && !reverting)
    self->applied = TRUE;
  return done;
}

gboolean
tt_undo_command_apply (TtUndoCommand  *self,
                       TtStore        *store,
                       GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (TT_IS_STORE (store), FALSE);

  return run_step (self, store, FALSE, error);
}

gboolean
tt_undo_command_revert (TtUndoCommand  *self,
                        TtStore        *store,
                        GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (TT_IS_STORE (store), FALSE);

  return run_step (self, store, TRUE, error);
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

const TtLinkChange *
tt_undo_command_get_link_change (TtUndoCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->link_change;
}

void
tt_undo_command_free (TtUndoCommand *self)
{
  if (self == NULL)
    return;

  if (self->klass->clear != NULL)
    self->klass->clear (self);
  clear_link_change (self);
  g_clear_object (&self->created);
  g_free (self);
}

/* ---- helpers (worker thread, inside the command's transaction) ------ */

static gboolean
is_not_found (const GError *error)
{
  return g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
}

/* Puts back a tag an undo deleted, unless it is still there. */
static gboolean
ensure_tag_restored (TtStore   *store,
                     TtTag     *snapshot,
                     gboolean  *restored,
                     GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TtTag) current = tt_store_get_tag (store, tt_tag_get_id (snapshot), &local_error);
  g_autoptr(TtTag) put_back = NULL;

  *restored = FALSE;
  if (current != NULL)
    return TRUE;
  if (!is_not_found (local_error))
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;

  put_back = tt_store_restore_tag (store, snapshot, error);
  *restored = put_back != NULL;
  return put_back != NULL;
}

/* Deletes a tag a command made once nothing uses it. Something may have
 * been tagged with it since (another client, say): then it stays. When
 * it goes, *@snapshot becomes what a redo restores. */
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

  g_set_object (snapshot, tag);
  return TRUE;
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
  /* Nullable: whether a record read just before deleting it stays after
   * all (another client gave an unused tag a tutorial meanwhile). */
  gboolean  (*keep)    (GObject *record);
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

static gboolean
tag_is_used (GObject *tag)
{
  return tt_tag_get_tutorial_count (TT_TAG (tag)) > 0;
}

static const RecordOps tutorial_ops = { get_tutorial, tt_store_delete_tutorial, restore_tutorial, NULL };
static const RecordOps tag_ops = { get_tag, tt_store_delete_tag, restore_tag, NULL };
static const RecordOps unused_tag_ops = { get_tag, tt_store_delete_tag, restore_tag, tag_is_used };

/* Deletes record @id; returns what restores it, with its links. */
static GObject *
delete_record (const RecordOps  *ops,
               TtStore          *store,
               gint64            id,
               GError          **error)
{
  g_autoptr(GObject) taken = ops->get (store, id, error);

  if (taken == NULL || !ops->remove (store, id, error))
    return NULL;

  return g_steal_pointer (&taken);
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
  g_autoptr(TtTutorial) tutorial = NULL;

  if (cmd->applied)
    tutorial = tt_store_restore_tutorial (store, self->snapshot, error);
  else
    tutorial = tt_store_create_tutorial (store, self->title, self->description, error);
  if (tutorial == NULL)
    return FALSE;

  if (!cmd->applied)
    g_set_object (&cmd->created, G_OBJECT (tutorial));
  g_set_object (&self->snapshot, tutorial);
  return TRUE;
}

static gboolean
create_tutorial_revert (TtUndoCommand  *cmd,
                        TtStore        *store,
                        GError        **error)
{
  CreateTutorial *self = (CreateTutorial *) cmd;
  g_autoptr(GObject) taken = delete_record (&tutorial_ops, store,
                                            tt_tutorial_get_id (self->snapshot), error);

  if (taken == NULL)
    return FALSE;

  g_set_object (&self->snapshot, TT_TUTORIAL (taken));
  return TRUE;
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
  create_tutorial_describe, create_tutorial_clear, NULL,
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
  update_tutorial_describe, update_tutorial_clear, NULL,
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
} DeleteRecords;

static gboolean
delete_records_apply (TtUndoCommand  *cmd,
                      TtStore        *store,
                      GError        **error)
{
  DeleteRecords *self = (DeleteRecords *) cmd;
  g_autoptr(GPtrArray) snapshots = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->ids->len; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);
      g_autoptr(GObject) record = self->ops->get (store, id, error);

      if (record == NULL)
        return FALSE;
      if (self->ops->keep != NULL && self->ops->keep (record))
        continue;
      if (!self->ops->remove (store, id, error))
        return FALSE;
      g_ptr_array_add (snapshots, g_steal_pointer (&record));
    }

  g_ptr_array_unref (self->snapshots);
  self->snapshots = g_steal_pointer (&snapshots);
  return TRUE;
}

/* Puts back what was deleted, newest first. */
static gboolean
delete_records_revert (TtUndoCommand  *cmd,
                       TtStore        *store,
                       GError        **error)
{
  DeleteRecords *self = (DeleteRecords *) cmd;

  for (guint i = self->snapshots->len; i > 0; i--)
    if (!restore_record (self->ops, store, g_ptr_array_index (self->snapshots, i - 1), error))
      return FALSE;
  return TRUE;
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
  delete_tutorials_describe, delete_records_clear, NULL,
};

static const TtUndoCommandClass delete_tag_class = {
  sizeof (DeleteRecords), delete_records_apply, delete_records_revert,
  delete_tag_describe, delete_records_clear, NULL,
};

static char *
delete_unused_tags_describe (TtUndoCommand *cmd)
{
  DeleteRecords *self = (DeleteRecords *) cmd;
  /* Once run, what it deleted: a tag used meanwhile stayed. */
  guint n = self->snapshots->len > 0 ? self->snapshots->len : self->ids->len;

  return g_strdup_printf (ngettext ("Delete %u Unused Tag", "Delete %u Unused Tags", n), n);
}

static const TtUndoCommandClass delete_unused_tags_class = {
  sizeof (DeleteRecords), delete_records_apply, delete_records_revert,
  delete_unused_tags_describe, delete_records_clear, NULL,
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

/* The tags of @tag_ids that no tutorial has when the command runs: one
 * that got a tutorial since the list was shown stays. One Undo puts
 * back all that went. */
TtUndoCommand *
tt_undo_command_delete_unused_tags (const gint64 *tag_ids,
                                    guint         n_tag_ids)
{
  return delete_records_new (&delete_unused_tags_class, &unused_tag_ops, tag_ids, n_tag_ids);
}

/* ---- tutorial.add-tag ----------------------------------------------- */

typedef struct
{
  TtUndoCommand  parent;
  gint64         tutorial_id;
  TtTag         *asked;         /* as the caller gave it: id or name */
  TtTag         *tag;           /* as asked; after the first apply, with its id */
  gboolean       created_tag;   /* the first apply made the tag */
  gboolean       linked;        /* ... and the link (FALSE: it was there) */
} AddTag;

/* A tag known by id and name, not one this command made (which a redo
 * may have to put back first, an undo to delete): a single statement
 * either way. */
static gboolean
add_tag_alone (TtUndoCommand *cmd,
               gboolean       reverting)
{
  AddTag *self = (AddTag *) cmd;

  return !self->created_tag &&
         tt_tag_get_id (self->tag) > 0 && tt_tag_get_name (self->tag) != NULL;
}

static gboolean
add_tag_apply (TtUndoCommand  *cmd,
               TtStore        *store,
               GError        **error)
{
  AddTag *self = (AddTag *) cmd;
  TtTagging did = { 0 };
  g_autoptr(TtTag) tag = NULL;
  gboolean restored = FALSE;

  /* A redo after the undo deleted the tag this command made. */
  if (cmd->applied && self->created_tag &&
      !ensure_tag_restored (store, self->tag, &restored, error))
    return FALSE;

  /* Until an apply is committed, not the tag a rolled-back try found
   * (or made: then its id does not exist). */
  tag = tt_store_tag_tutorial (store, self->tutorial_id,
                               cmd->applied ? self->tag : self->asked, &did, error);
  if (tag == NULL)
    return FALSE;

  /* The first apply made it; a redo put it back. */
  if (!cmd->applied)
    self->created_tag = did.tag_created;
  self->linked = did.linked;
  g_set_object (&self->tag, tag);
  cmd->noop = !did.linked && !did.tag_created;
  if (did.linked)
    set_link_change (cmd, tag, NULL, self->tutorial_id, TRUE);
  if (cmd->link_change != NULL)
    cmd->link_change->tag_created = did.tag_created || restored;
  return TRUE;
}

static gboolean
add_tag_revert (TtUndoCommand  *cmd,
                TtStore        *store,
                GError        **error)
{
  AddTag *self = (AddTag *) cmd;
  g_autoptr(TtTag) untagged = NULL;
  g_autoptr(TtTag) snapshot = NULL;

  if (self->linked &&
      !(untagged = tt_store_untag_tutorial (store, self->tutorial_id, self->tag, error)))
    return FALSE;
  if (self->created_tag &&
      !drop_tag_if_unused (store, tt_tag_get_id (self->tag), &snapshot, error))
    return FALSE;

  if (self->linked)
    set_link_change (cmd, self->tag, NULL, self->tutorial_id, FALSE);
  if (snapshot != NULL)
    g_set_object (&self->tag, snapshot);
  if (cmd->link_change != NULL)
    cmd->link_change->tag_deleted = snapshot != NULL;
  return TRUE;
}

static char *
add_tag_describe (TtUndoCommand *cmd)
{
  AddTag *self = (AddTag *) cmd;

  return g_strdup_printf (_("Add Tag “%s”"), tt_tag_get_name (self->tag));
}

static void
add_tag_clear (TtUndoCommand *cmd)
{
  AddTag *self = (AddTag *) cmd;

  g_clear_object (&self->asked);
  g_clear_object (&self->tag);
}

static const TtUndoCommandClass add_tag_class = {
  sizeof (AddTag), add_tag_apply, add_tag_revert, add_tag_describe, add_tag_clear,
  add_tag_alone,
};

TtUndoCommand *
tt_undo_command_add_tag (gint64  tutorial_id,
                         TtTag  *tag)
{
  AddTag *self;

  g_return_val_if_fail (TT_IS_TAG (tag), NULL);

  self = command_new (&add_tag_class);
  self->tutorial_id = tutorial_id;
  self->asked = g_object_ref (tag);
  self->tag = g_object_ref (tag);
  return &self->parent;
}

/* ---- tutorial.remove-tag -------------------------------------------- */

typedef struct
{
  TtUndoCommand  parent;
  gint64         tutorial_id;
  TtTag         *tag;  /* as asked; after the first apply, with its id */
} RemoveTag;

/* A tag known by id and name: each way is one statement. */
static gboolean
remove_tag_alone (TtUndoCommand *cmd,
                  gboolean       reverting)
{
  RemoveTag *self = (RemoveTag *) cmd;

  return tt_tag_get_id (self->tag) > 0 && tt_tag_get_name (self->tag) != NULL;
}

static gboolean
remove_tag_apply (TtUndoCommand  *cmd,
                  TtStore        *store,
                  GError        **error)
{
  RemoveTag *self = (RemoveTag *) cmd;
  g_autoptr(TtTag) tag = tt_store_untag_tutorial (store, self->tutorial_id, self->tag, error);

  if (tag == NULL)
    return FALSE;

  g_set_object (&self->tag, tag);
  set_link_change (cmd, tag, NULL, self->tutorial_id, FALSE);
  return TRUE;
}

static gboolean
remove_tag_revert (TtUndoCommand  *cmd,
                   TtStore        *store,
                   GError        **error)
{
  RemoveTag *self = (RemoveTag *) cmd;

  if (!tt_store_link (store, self->tutorial_id, tt_tag_get_id (self->tag), error))
    return FALSE;

  set_link_change (cmd, self->tag, NULL, self->tutorial_id, TRUE);
  return TRUE;
}

static char *
remove_tag_describe (TtUndoCommand *cmd)
{
  RemoveTag *self = (RemoveTag *) cmd;
  const char *name = tt_tag_get_name (self->tag);

  return g_strdup_printf (_("Remove Tag “%s”"), name != NULL ? name : "");
}

static void
remove_tag_clear (TtUndoCommand *cmd)
{
  RemoveTag *self = (RemoveTag *) cmd;

  g_clear_object (&self->tag);
}

static const TtUndoCommandClass remove_tag_class = {
  sizeof (RemoveTag), remove_tag_apply, remove_tag_revert, remove_tag_describe, remove_tag_clear,
  remove_tag_alone,
};

TtUndoCommand *
tt_undo_command_remove_tag (gint64  tutorial_id,
                            TtTag  *tag)
{
  RemoveTag *self;

  g_return_val_if_fail (TT_IS_TAG (tag), NULL);

  self = command_new (&remove_tag_class);
  self->tutorial_id = tutorial_id;
  self->tag = g_object_ref (tag);
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
  g_autoptr(TtTag) tag = NULL;

  if (self->snapshot != NULL)
    tag = tt_store_restore_tag (store, self->snapshot, error);
  else
    tag = tt_store_create_tag (store, self->name, error);
  if (tag == NULL)
    return FALSE;

  if (cmd->created == NULL)
    cmd->created = g_object_ref (G_OBJECT (tag));
  g_set_object (&self->snapshot, tag);
  return TRUE;
}

static gboolean
create_tag_revert (TtUndoCommand  *cmd,
                   TtStore        *store,
                   GError        **error)
{
  CreateTag *self = (CreateTag *) cmd;
  g_autoptr(GObject) taken = delete_record (&tag_ops, store, tt_tag_get_id (self->snapshot), error);

  if (taken == NULL)
    return FALSE;

  g_set_object (&self->snapshot, TT_TAG (taken));
  return TRUE;
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
  NULL,
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
  char          *result_name;
  gint64         target_id;  /* a merge: the tag it went into */
  TtTagRename    did;        /* what the store says the last apply did */
} RenameTag;

static gboolean
rename_tag_apply (TtUndoCommand  *cmd,
                  TtStore        *store,
                  GError        **error)
{
  RenameTag *self = (RenameTag *) cmd;
  g_auto(TtTagRename) did = { 0 };
  g_autoptr(TtTag) after = tt_store_rename_tag (store, self->id, self->new_name, &did, error);

  if (after == NULL)
    return FALSE;

  tt_tag_rename_clear (&self->did);
  self->did = did;
  memset (&did, 0, sizeof did);
  self->target_id = tt_tag_get_id (after);
  g_free (self->result_name);
  self->result_name = g_strdup (tt_tag_get_name (after));
  cmd->noop = self->did.merged == NULL && g_strcmp0 (self->did.old_name, self->result_name) == 0;
  return TRUE;
}

/* The merged tag comes back with the links it had to tutorials that
 * still exist; the target loses the tutorials that gained it and still
 * exist. Someone else may have deleted some meanwhile: that is fine. */
static gboolean
rename_tag_revert_merge (RenameTag  *self,
                         TtStore    *store,
                         GError    **error)
{
  g_autoptr(TtTag) restored = tt_store_restore_tag (store, self->did.merged, error);
  GArray *gained = self->did.gained;

  return restored != NULL &&
         tt_store_unlink_many (store, (const gint64 *) gained->data, gained->len,
                               self->target_id, TT_LINK_SKIP_MISSING, NULL, error);
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

  if (self->did.merged != NULL)
    return rename_tag_revert_merge (self, store, error);

  /* Renaming back onto a name another tag has taken since would merge
   * the two: refuse instead. */
  other = tt_store_find_tag_by_name (store, self->did.old_name, &local_error);
  if (other == NULL && !is_not_found (local_error))
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  if (other != NULL && tt_tag_get_id (other) != self->id)
    return g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE,
                        _("A tag named “%s” already exists"), tt_tag_get_name (other)), FALSE;

  after = tt_store_rename_tag (store, self->id, self->did.old_name, NULL, error);
  return after != NULL;
}

static char *
rename_tag_describe (TtUndoCommand *cmd)
{
  RenameTag *self = (RenameTag *) cmd;
  const char *old_name = self->did.old_name != NULL ? self->did.old_name : "";
  const char *new_name = self->result_name != NULL ? self->result_name : self->new_name;

  if (self->did.merged != NULL)
    return g_strdup_printf (_("Merge “%s” into “%s”"), old_name, new_name);

  return g_strdup_printf (_("Rename “%s” to “%s”"), old_name, new_name);
}

static void
rename_tag_clear (TtUndoCommand *cmd)
{
  RenameTag *self = (RenameTag *) cmd;

  g_free (self->new_name);
  g_free (self->result_name);
  tt_tag_rename_clear (&self->did);
}

static const TtUndoCommandClass rename_tag_class = {
  sizeof (RenameTag), rename_tag_apply, rename_tag_revert, rename_tag_describe, rename_tag_clear,
  NULL,
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

/* ---- tag.set-colour ------------------------------------------------- */

typedef struct
{
  TtUndoCommand  parent;
  gint64         tag_id;
  char          *tag_name;    /* for the label only */
  char          *colour;      /* NULL: none */
  char          *old_colour;  /* what the last apply found */
} SetColour;

static gboolean
set_colour_apply (TtUndoCommand  *cmd,
                  TtStore        *store,
                  GError        **error)
{
  SetColour *self = (SetColour *) cmd;
  g_autofree char *old = NULL;

  if (!tt_store_set_tag_colour (store, self->tag_id, self->colour, &old, error))
    return FALSE;

  g_free (self->old_colour);
  self->old_colour = g_steal_pointer (&old);
  cmd->noop = g_strcmp0 (self->old_colour, self->colour) == 0;
  return TRUE;
}

static gboolean
set_colour_revert (TtUndoCommand  *cmd,
                   TtStore        *store,
                   GError        **error)
{
  SetColour *self = (SetColour *) cmd;

  return tt_store_set_tag_colour (store, self->tag_id, self->old_colour, NULL, error);
}

static char *
set_colour_describe (TtUndoCommand *cmd)
{
  SetColour *self = (SetColour *) cmd;

  return g_strdup_printf (_("Set Colour of “%s”"), self->tag_name);
}

static void
set_colour_clear (TtUndoCommand *cmd)
{
  SetColour *self = (SetColour *) cmd;

  g_free (self->tag_name);
  g_free (self->colour);
  g_free (self->old_colour);
}

/* One statement each way would do, but the journal row goes with it:
 * the store makes it one transaction. */
static const TtUndoCommandClass set_colour_class = {
  sizeof (SetColour), set_colour_apply, set_colour_revert, set_colour_describe, set_colour_clear,
  NULL,
};

/* @colour: a palette name, or NULL (or "") for none; @tag_name names the
 * tag in the Undo label. */
TtUndoCommand *
tt_undo_command_set_tag_colour (gint64      tag_id,
                                const char *tag_name,
                                const char *colour)
{
  SetColour *self = command_new (&set_colour_class);

  self->tag_id = tag_id;
  self->tag_name = g_strdup (tag_name != NULL ? tag_name : "");
  self->colour = colour != NULL && *colour != '\0' ? g_strdup (colour) : NULL;
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
  /* Added by name (tt_undo_command_link_many_by_name()): the tag as the
   * first apply found or made it, or as the undo deleted it. */
  TtTag         *named_tag;
  gboolean       created_tag;
} LinkMany;

static gboolean
link_many_run (TtStore       *store,
               gboolean       add,
               const GArray  *ids,
               gint64         tag_id,
               TtLinkFlags    flags,
               GArray        *changed,
               GError       **error)
{
  const gint64 *data = (const gint64 *) ids->data;

  return add ? tt_store_link_many (store, data, ids->len, tag_id, flags, changed, error)
             : tt_store_unlink_many (store, data, ids->len, tag_id, flags, changed, error);
}

/* Only the tutorials that did not have the tag (that had it, for a
 * removal) change, each once, and the store says which: undo touches
 * those only. */
/* A tag given by name: found or made on the first apply; on a redo,
 * put back if the undo deleted it. */
static gboolean
link_many_find_named_tag (LinkMany  *self,
                          TtStore   *store,
                          gboolean  *made,
                          GError   **error)
{
  g_autoptr(TtTag) tag = NULL;

  *made = FALSE;
  if (self->created_tag)
    return ensure_tag_restored (store, self->named_tag, made, error);

  tag = tt_store_ensure_tag (store, tt_tag_get_name (self->named_tag), made, error);
  if (tag == NULL)
    return FALSE;
  self->created_tag = *made;
  self->tag_id = tt_tag_get_id (tag);
  g_set_object (&self->named_tag, tag);
  return TRUE;
}

static gboolean
link_many_apply (TtUndoCommand  *cmd,
                 TtStore        *store,
                 GError        **error)
{
  LinkMany *self = (LinkMany *) cmd;
  g_autoptr(GArray) changed = id_array_new ();
  g_autoptr(TtTag) tag = NULL;
  gboolean made = FALSE;

  if (self->named_tag != NULL && !link_many_find_named_tag (self, store, &made, error))
    return FALSE;
  tag = tt_store_get_tag (store, self->tag_id, error);
  if (tag == NULL ||
      !link_many_run (store, self->add, self->requested, self->tag_id, TT_LINK_DEFAULT, changed, error))
    return FALSE;

  clear_id_array (&self->changed);
  self->changed = g_steal_pointer (&changed);
  g_free (self->tag_name);
  self->tag_name = g_strdup (tt_tag_get_name (tag));
  cmd->noop = self->changed->len == 0 && !made;
  set_link_change (cmd, tag, self->changed, 0, self->add);
  cmd->link_change->tag_created = made;
  return TRUE;
}

static gboolean
link_many_revert (TtUndoCommand  *cmd,
                  TtStore        *store,
                  GError        **error)
{
  LinkMany *self = (LinkMany *) cmd;
  g_autoptr(GArray) changed = id_array_new ();
  g_autoptr(TtTag) tag = tt_tag_new (self->tag_id, self->tag_name);

  g_autoptr(TtTag) snapshot = NULL;

  if (!link_many_run (store, !self->add, self->changed, self->tag_id,
                      TT_LINK_SKIP_MISSING, changed, error))
    return FALSE;
  if (self->created_tag && !drop_tag_if_unused (store, self->tag_id, &snapshot, error))
    return FALSE;

  set_link_change (cmd, tag, changed, 0, !self->add);
  if (snapshot != NULL)
    g_set_object (&self->named_tag, snapshot);
  cmd->link_change->tag_deleted = snapshot != NULL;
  return TRUE;
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
  g_clear_object (&self->named_tag);
}

static const TtUndoCommandClass link_many_class = {
  sizeof (LinkMany), link_many_apply, link_many_revert, link_many_describe, link_many_clear,
  NULL,
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

/* Adds the tag called @name to the tutorials, making it when there is
 * none (in any case); an undo deletes a tag it made, if nothing else
 * uses it by then. */
TtUndoCommand *
tt_undo_command_link_many_by_name (const gint64 *tutorial_ids,
                                   guint         n_tutorial_ids,
                                   const char   *name)
{
  TtUndoCommand *cmd = tt_undo_command_link_many (tutorial_ids, n_tutorial_ids, 0, TRUE);
  LinkMany *self = (LinkMany *) cmd;

  self->named_tag = tt_tag_new (0, name);
  self->tag_name = g_strdup (name);
  return cmd;
}
