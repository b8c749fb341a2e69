/* tt-tag-chip.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tt-tag.h"

G_BEGIN_DECLS

#define TT_TYPE_TAG_CHIP (tt_tag_chip_get_type ())

G_DECLARE_FINAL_TYPE (TtTagChip, tt_tag_chip, TT, TAG_CHIP, GtkWidget)

GtkWidget *tt_tag_chip_new          (TtTag     *tag);
TtTag     *tt_tag_chip_get_tag      (TtTagChip *self);
void       tt_tag_chip_set_tag      (TtTagChip *self,
                                     TtTag     *tag);
gboolean   tt_tag_chip_get_selected (TtTagChip *self);
void       tt_tag_chip_set_selected (TtTagChip *self,
                                     gboolean   selected);

/* A tag's colour on any widget that shows the tag (a chip, a tutorial
 * row's chip, a sidebar row's icon): the CSS class "tag-colour-NAME"
 * (style.css) instead of any other colour's, and the colour's name as
 * the accessible description ("Rust", "Red"), so that the colour is
 * never the only cue. NULL: none. */
void       tt_tag_chip_show_colour  (GtkWidget  *widget,
                                     const char *colour);

G_END_DECLS
