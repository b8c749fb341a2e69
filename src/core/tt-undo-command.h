/* tt-undo-command.h: one change to the catalogue that can be undone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A command is what one user action does to the store, with what it needs
 * to take it back. tt_undo_command_apply() and tt_undo_command_revert()
 * each run as one transaction (tt_store_run_atomically()): they happen
 * whole or not at all, so a failed one can be tried again or dropped.
 * They make synchronous store calls: run them on the store's worker
 * thread (as TtController does with tt_store_run_async()), one at a time.
 * The other functions are for the main thread while neither runs.
 */

#pragma once

#include "tt-store.h"

G_BEGIN_DECLS

typedef struct _TtUndoCommand TtUndoCommand;

TtUndoCommand *tt_undo_command_create_tutorial (const char          *title,
                                                const char          *description);
TtUndoCommand *tt_undo_command_update_tutorial (gint64               tutorial_id,
                                                const char          *title,
                                                const char          *description);
TtUndoCommand *tt_undo_command_delete_tutorials (const gint64       *tutorial_ids,
                                                guint               n_tutorial_ids);
/* @tag: a tag with its id, or only a name (id 0) for the tag of that
 * name in any case, made when there is none. */
TtUndoCommand *tt_undo_command_add_tag         (gint64               tutorial_id,
                                                TtTag               *tag);
TtUndoCommand *tt_undo_command_remove_tag      (gint64               tutorial_id,
                                                TtTag               *tag);
TtUndoCommand *tt_undo_command_create_tag      (const char          *name);
TtUndoCommand *tt_undo_command_rename_tag      (gint64               tag_id,
                                                const char          *new_name);
TtUndoCommand *tt_undo_command_delete_tag      (gint64               tag_id);
TtUndoCommand *tt_undo_command_set_tag_colour  (gint64               tag_id,
                                                const char          *tag_name,
                                                const char          *colour);
TtUndoCommand *tt_undo_command_delete_unused_tags (const gint64       *tag_ids,
                                                guint               n_tag_ids);
TtUndoCommand *tt_undo_command_link_many       (const gint64        *tutorial_ids,
                                                guint                n_tutorial_ids,
                                                gint64               tag_id,
                                                gboolean             add);
TtUndoCommand *tt_undo_command_link_many_by_name (const gint64   *tutorial_ids,
                                               guint           n_tutorial_ids,
                                               const char     *name);

/* Worker thread. Apply is the first run and every redo. */
gboolean       tt_undo_command_apply           (TtUndoCommand       *self,
                                                TtStore             *store,
                                                GError             **error);
gboolean       tt_undo_command_revert          (TtUndoCommand       *self,
                                                TtStore             *store,
                                                GError             **error);

/* What the last apply or revert did to links, so that the lists can
 * show it without being read again: each tutorial of @tutorial_ids
 * gained (@added) or lost @tag. */
typedef struct
{
  TtTag    *tag;           /* with its id and name */
  GArray   *tutorial_ids;  /* gint64 */
  gboolean  added;
  gboolean  tag_created;   /* the catalogue did not have the tag before */
  gboolean  tag_deleted;   /* ... or does not have it any more */
} TtLinkChange;

/* Main thread, after an apply. */
char          *tt_undo_command_describe        (TtUndoCommand       *self);
gboolean       tt_undo_command_changed_nothing (TtUndoCommand       *self);
GObject       *tt_undo_command_get_created     (TtUndoCommand       *self);
/* NULL when the last apply or revert changed more than links. */
const TtLinkChange *tt_undo_command_get_link_change (TtUndoCommand   *self);
void           tt_undo_command_free            (TtUndoCommand       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtUndoCommand, tt_undo_command_free)

G_END_DECLS
