/* tt-controller.h: turns user actions into store operations, with undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_CONTROLLER (tt_controller_get_type ())

/* What the controller itself reports through ::error, besides the
 * store's errors. */
#define TT_CONTROLLER_ERROR (tt_controller_error_quark ())

typedef enum
{
  /* The catalogue could not be reached: the change is kept, and sent
   * when the connection is back (TtController:n-unsent). */
  TT_CONTROLLER_ERROR_NOT_SAVED_YET,
} TtControllerError;

GQuark tt_controller_error_quark (void);

G_DECLARE_FINAL_TYPE (TtController, tt_controller, TT, CONTROLLER, GObject)

TtController *tt_controller_new                    (TtStore               *store);
TtStore      *tt_controller_get_store              (TtController          *self);
GActionGroup *tt_controller_get_action_group       (TtController          *self,
                                                    const char            *prefix);

GListModel   *tt_controller_get_tutorials          (TtController          *self);
GListModel   *tt_controller_get_tags               (TtController          *self);
gint64        tt_controller_get_untagged_count     (TtController          *self);
void          tt_controller_set_query              (TtController          *self,
                                                    const TtTutorialQuery *query);

gboolean      tt_controller_get_busy               (TtController          *self);
gboolean      tt_controller_is_refreshing_external (TtController          *self);
gboolean      tt_controller_get_offline            (TtController          *self);
guint         tt_controller_get_n_unsent           (TtController          *self);
gboolean      tt_controller_get_can_undo           (TtController          *self);
gboolean      tt_controller_get_can_redo           (TtController          *self);
const char   *tt_controller_get_undo_label         (TtController          *self);
const char   *tt_controller_get_redo_label         (TtController          *self);

/* What the actions call; each queues one command. */
void          tt_controller_create_tutorial        (TtController          *self,
                                                    const char            *title,
                                                    const char            *description);
void          tt_controller_update_tutorial        (TtController          *self,
                                                    gint64                 tutorial_id,
                                                    const char            *title,
                                                    const char            *description);
void          tt_controller_delete_tutorial        (TtController          *self,
                                                    gint64                 tutorial_id);
void          tt_controller_delete_tutorials       (TtController          *self,
                                                    const gint64          *tutorial_ids,
                                                    guint                  n_tutorial_ids);
/* By @tag_id, or by @name (in any case) when @tag_id is 0. */
void          tt_controller_add_tag                (TtController          *self,
                                                    gint64                 tutorial_id,
                                                    gint64                 tag_id,
                                                    const char            *name);
void          tt_controller_remove_tag             (TtController          *self,
                                                    gint64                 tutorial_id,
                                                    gint64                 tag_id,
                                                    const char            *name);
void          tt_controller_create_tag             (TtController          *self,
                                                    const char            *name);
void          tt_controller_rename_tag             (TtController          *self,
                                                    gint64                 tag_id,
                                                    const char            *new_name);
void          tt_controller_delete_tag             (TtController          *self,
                                                    gint64                 tag_id);
void          tt_controller_set_tag_colour         (TtController          *self,
                                                    gint64                 tag_id,
                                                    const char            *colour);
void          tt_controller_add_named_tag_to_tutorials (TtController      *self,
                                                        const gint64      *tutorial_ids,
                                                        guint              n_tutorial_ids,
                                                        const char        *name);
void          tt_controller_delete_unused_tags     (TtController          *self,
                                                    const gint64          *tag_ids,
                                                    guint                  n_tag_ids);
void          tt_controller_add_tag_to_tutorials   (TtController          *self,
                                                    const gint64          *tutorial_ids,
                                                    guint                  n_tutorial_ids,
                                                    gint64                 tag_id);
void          tt_controller_remove_tag_from_tutorials (TtController       *self,
                                                    const gint64          *tutorial_ids,
                                                    guint                  n_tutorial_ids,
                                                    gint64                 tag_id);
void          tt_controller_undo                   (TtController          *self);
void          tt_controller_redo                   (TtController          *self);

G_END_DECLS
