/* tt-tag-sidebar.h: the tag sidebar of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Which tutorials the sidebar asks for. */
typedef enum
{
  TT_TAG_FILTER_ALL,
  TT_TAG_FILTER_UNTAGGED,
  TT_TAG_FILTER_TAGS,
} TtTagFilter;

#define TT_TYPE_TAG_SIDEBAR (tt_tag_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (TtTagSidebar, tt_tag_sidebar, TT, TAG_SIDEBAR, GtkWidget)

GtkWidget    *tt_tag_sidebar_new               (void);
GListModel   *tt_tag_sidebar_get_tags          (TtTagSidebar *self);
void          tt_tag_sidebar_set_tags          (TtTagSidebar *self,
                                                GListModel   *tags);
TtTagFilter   tt_tag_sidebar_get_filter        (TtTagSidebar *self);
const gint64 *tt_tag_sidebar_get_tag_ids       (TtTagSidebar *self,
                                                guint        *n_tag_ids);
void          tt_tag_sidebar_set_filter        (TtTagSidebar *self,
                                                TtTagFilter   filter,
                                                const gint64 *tag_ids,
                                                guint         n_tag_ids);
const char   *tt_tag_sidebar_get_tag_match     (TtTagSidebar *self);
void          tt_tag_sidebar_set_tag_match     (TtTagSidebar *self,
                                                const char   *tag_match);
const char   *tt_tag_sidebar_get_filter_title  (TtTagSidebar *self);
gboolean      tt_tag_sidebar_get_folded        (TtTagSidebar *self);
void          tt_tag_sidebar_set_folded        (TtTagSidebar *self,
                                                gboolean      folded);
const char   *tt_tag_sidebar_get_tag_sort      (TtTagSidebar *self);
void          tt_tag_sidebar_set_tag_sort      (TtTagSidebar *self,
                                                const char   *tag_sort);
gint64        tt_tag_sidebar_get_untagged_count (TtTagSidebar *self);
void          tt_tag_sidebar_set_untagged_count (TtTagSidebar *self,
                                                 gint64        count);

GtkDropDown  *tt_tag_sidebar_new_tag_chooser   (GListModel   *tags);

G_END_DECLS
