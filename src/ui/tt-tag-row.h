/* tt-tag-row.h: one entry of the tag sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The two entries above the tags, as GtkStringObjects of these strings. */
#define TT_TAG_ROW_ALL      "all"
#define TT_TAG_ROW_UNTAGGED "untagged"

#define TT_TYPE_TAG_ROW (tt_tag_row_get_type ())

G_DECLARE_FINAL_TYPE (TtTagRow, tt_tag_row, TT, TAG_ROW, GtkWidget)

GtkWidget *tt_tag_row_new      (void);
GObject   *tt_tag_row_get_item (TtTagRow *self);
void       tt_tag_row_set_item (TtTagRow *self,
                                GObject  *item);
gboolean   tt_tag_row_popup_menu (TtTagRow *self);
void       tt_tag_row_count_filter_from (GtkStringObject *filter,
                                         GObject         *source,
                                         const char      *property);

G_END_DECLS
