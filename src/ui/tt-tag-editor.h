/* tt-tag-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tt-tag.h"

G_BEGIN_DECLS

#define TT_TYPE_TAG_EDITOR (tt_tag_editor_get_type ())

G_DECLARE_FINAL_TYPE (TtTagEditor, tt_tag_editor, TT, TAG_EDITOR, GtkWidget)

GtkWidget  *tt_tag_editor_new                (void);
GListModel *tt_tag_editor_get_tags           (TtTagEditor *self);
void        tt_tag_editor_set_tags           (TtTagEditor *self,
                                              GListModel  *tags);
GListModel *tt_tag_editor_get_suggestions    (TtTagEditor *self);
void        tt_tag_editor_set_suggestions    (TtTagEditor *self,
                                              GListModel  *suggestions);
const char *tt_tag_editor_get_placeholder_text (TtTagEditor *self);
void        tt_tag_editor_set_placeholder_text (TtTagEditor *self,
                                                const char  *placeholder_text);
gboolean    tt_tag_editor_grab_entry_focus   (TtTagEditor *self);

void        tt_tag_suggestion_setup          (GtkListItem *list_item);
void        tt_tag_suggestion_bind           (GtkListItem *list_item);


G_END_DECLS
