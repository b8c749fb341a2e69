/* tt-search-completion.h: tag names completed inside the search field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TT_TYPE_SEARCH_COMPLETION (tt_search_completion_get_type ())

G_DECLARE_FINAL_TYPE (TtSearchCompletion, tt_search_completion, TT, SEARCH_COMPLETION, GtkWidget)

GtkWidget          *tt_search_completion_new            (GtkWidget          *entry);
GtkWidget          *tt_search_completion_get_entry      (TtSearchCompletion *self);
void                tt_search_completion_set_tags       (TtSearchCompletion *self,
                                                         GListModel         *tags);

/* What the widget tests look at. */
GtkPopover         *_tt_search_completion_get_popover   (TtSearchCompletion *self);
GtkSingleSelection *_tt_search_completion_get_selection (TtSearchCompletion *self);

G_END_DECLS
