/* tt-window-private.h: what tt-window.c and tt-window-tags.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tt-controller.h"
#include "tt-tutorial-editor.h"
#include "tt-window.h"

G_BEGIN_DECLS

/* Which tutorials the list shows, chosen in the sidebar. */
typedef enum
{
  TT_FILTER_ALL,
  TT_FILTER_UNTAGGED,
  TT_FILTER_TAGS,
} TtFilter;

/* The sidebar model starts with the two filter entries, then the tags. */
#define TT_N_FILTER_ROWS 2

struct _TtWindow
{
  AdwApplicationWindow  parent_instance;

  TtStore              *store;
  TtController         *controller;
  /* NULL when the schema is not installed: nothing is remembered then. */
  GSettings            *settings;

  GListStore           *filter_rows;
  GtkMultiSelection    *tag_selection;
  GtkMultiSelection    *tutorial_selection;
  TtTutorialEditor     *editor;

  /* The query; the selections are rebuilt from these after each reload,
   * since the controller replaces every item then. */
  TtFilter              filter;
  GArray               *filter_tag_ids;      /* gint64 */
  char                 *tag_match;           /* "any" or "all" */
  char                 *sort_key;            /* "title", "created", "updated" */
  char                 *search_text;
  GHashTable           *selected_ids;        /* gint64 → NULL: tutorials */
  /* Where the deleted tutorials were: their neighbour is selected next. */
  guint                 select_after_delete;

  guint                 syncing_tags : 1;
  guint                 syncing_tutorials : 1;
  guint                 loaded : 1;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *status_page;
  GtkWidget            *status_buttons;
  GMenu                *history_section;
  AdwLeaflet           *leaflet;
  AdwLeaflet           *content_leaflet;
  GtkListView          *tag_list;
  GtkScrolledWindow    *tag_scroller;
  AdwStatusPage        *no_tags_page;
  GtkRevealer          *match_revealer;
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
void      tt_window_update_query          (TtWindow   *self);
void      tt_window_update_list_title     (TtWindow   *self);
void      tt_window_undo_toast            (TtWindow   *self,
                                           const char *title,
                                           guint       n_commands);
void      tt_window_add_toast             (TtWindow   *self,
                                           AdwToast   *toast);
GArray   *tt_window_get_selected_tutorial_ids (TtWindow *self);

/* tt-window-tags.c */
void      tt_window_tags_class_init       (GtkWidgetClass *widget_class);
void      tt_window_tags_init             (TtWindow   *self);
void      tt_window_tags_attach           (TtWindow   *self);
void      tt_window_tags_set_filter       (TtWindow   *self,
                                           TtFilter    filter,
                                           const gint64 *tag_ids,
                                           guint       n_tag_ids);
char     *tt_window_tags_describe_filter  (TtWindow   *self);
TtTag    *tt_window_tags_find             (TtWindow   *self,
                                           gint64      tag_id);
void      tt_window_tags_update_actions   (TtWindow   *self);

G_END_DECLS
