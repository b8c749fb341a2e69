/* tt-window-private.h: what tt-window.c and tt-window-tags.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tt-controller.h"
#include "tt-search-completion.h"
#include "tt-search-syntax.h"
#include "tt-tag-sidebar.h"
#include "tt-tutorial-editor.h"
#include "tt-window.h"

G_BEGIN_DECLS

struct _TtWindow
{
  AdwApplicationWindow  parent_instance;

  TtController         *controller;
  /* NULL when the schema is not installed: nothing is remembered then. */
  GSettings            *settings;

  GtkMultiSelection    *tutorial_selection;
  TtTagSidebar         *sidebar;             /* owns the tag filter */
  TtTutorialEditor     *editor;

  /* The query is the sidebar's filter and these. The selection is rebuilt
   * from the ids after each reload, since the controller replaces every
   * item then. */
  char                 *sort_key;            /* "title", "created", "updated" */
  char                 *sort_direction;      /* "ascending", "descending" */
  char                 *search_text;
  /* search_text read (tt-window-search.c): its tag words' tags, each
   * once, and the first word that names no tag. */
  TtSearchSyntax       *search;
  GArray               *search_tag_ids;
  char                 *search_unknown_tag;
  TtSearchCompletion   *search_completion;
  GHashTable           *selected_ids;        /* gint64 → NULL: tutorials */
  /* Where the deleted tutorials were: their neighbour is selected next. */
  guint                 select_after_delete;
  guint                 keys_in_list_at_delete : 1;  /* and the keyboard was in the list */

  guint                 syncing_tutorials : 1;
  guint                 loaded : 1;
  /* The sidebar or the search is being set to follow the other. */
  guint                 syncing_search : 1;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwToast             *undo_toast;  /* weak: the Undo toast shown, if any */
  gboolean              undoing_from_toast;
  GtkRevealer          *offline_revealer;
  GtkLabel             *offline_label;
  GtkStack             *main_stack;
  AdwStatusPage        *status_page;
  GtkWidget            *status_buttons;
  GtkWidget            *retry_button;
  GtkWidget            *salvage_button;
  GMenu                *history_section;
  AdwLeaflet           *leaflet;
  AdwLeaflet           *content_leaflet;
  AdwBin               *sidebar_slot;
  AdwWindowTitle       *list_title;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *list_stack;
  GtkGridView          *tutorial_list;
  AdwStatusPage        *no_results_page;
  GtkStack             *editor_stack;
  AdwBin               *editor_slot;
  AdwStatusPage        *many_page;
};

/* tt-window.c */
void      tt_window_add_toast             (TtWindow   *self,
                                           AdwToast   *toast);
GArray   *tt_window_get_selected_tutorial_ids (TtWindow *self);
/* A toast with Undo, which undoes the last @n_commands. */
void      tt_window_undo_toast            (TtWindow   *self,
                                           const char *title,
                                           guint       n_commands);

/* tt-window-damaged.c */
gboolean  tt_window_is_damage             (const GError   *error);
void      tt_window_export_readable       (TtWindow       *self,
                                           GFile          *file);
void      tt_window_damaged_class_init    (GtkWidgetClass *widget_class);

/* tt-window-search.c */
void      tt_window_search_init           (TtWindow        *self);
void      tt_window_search_finalize       (TtWindow        *self);
void      tt_window_search_set_tags       (TtWindow        *self,
                                           GListModel      *tags);
void      tt_window_search_text_changed   (TtWindow        *self,
                                           gboolean         select_tags);
void      tt_window_search_sidebar_changed (TtWindow       *self);
gboolean  tt_window_search_fill_query     (TtWindow        *self,
                                           TtTutorialQuery *query);
char     *tt_window_search_describe_no_results (TtWindow   *self);

/* tt-window-tags.c */
void      tt_window_tags_class_init       (GtkWidgetClass *widget_class);

G_END_DECLS
