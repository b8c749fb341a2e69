/* tt-tag-editor-private.h: what the widget tests look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tt-tag-editor.h"

G_BEGIN_DECLS

GtkText            *_tt_tag_editor_get_text        (TtTagEditor *self);
GtkPopover         *_tt_tag_editor_get_popover     (TtTagEditor *self);
/* The suggestions the popover shows, in the order it shows them. */
GtkSingleSelection *_tt_tag_editor_get_selection   (TtTagEditor *self);
/* The chip showing the tag at @position of the tags model, or NULL. */
GtkWidget          *_tt_tag_editor_get_chip        (TtTagEditor *self,
                                                    guint        position);

G_END_DECLS
