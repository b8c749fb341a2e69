/* tt-tutorial-editor.h: the pane that edits one tutorial
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tt-tutorial.h"

G_BEGIN_DECLS

#define TT_TYPE_TUTORIAL_EDITOR (tt_tutorial_editor_get_type ())

G_DECLARE_FINAL_TYPE (TtTutorialEditor, tt_tutorial_editor, TT, TUTORIAL_EDITOR, GtkWidget)

GtkWidget  *tt_tutorial_editor_new          (void);
TtTutorial *tt_tutorial_editor_get_tutorial (TtTutorialEditor *self);
void        tt_tutorial_editor_set_tutorial (TtTutorialEditor *self,
                                             TtTutorial       *tutorial);
void        tt_tutorial_editor_set_all_tags (TtTutorialEditor *self,
                                             GListModel       *tags);
void        tt_tutorial_editor_save_now     (TtTutorialEditor *self);
/* Another catalogue: sends what is typed to the current one, then shows
 * nothing and forgets every draft, whose ids mean nothing in the next. */
void        tt_tutorial_editor_forget       (TtTutorialEditor *self);
void        tt_tutorial_editor_focus_title  (TtTutorialEditor *self);
void        tt_tutorial_editor_focus_tags   (TtTutorialEditor *self);

G_END_DECLS
