/* tt-test-window.h: the main window on a test catalogue, driven as a
 * person does (shared by the widget tests)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tt-tag-sidebar.h"
#include "tt-test-fixture.h"
#include "tt-window.h"

G_BEGIN_DECLS

typedef struct
{
  TtStore      *store;
  TtWindow     *window;
  TtController *controller;
  guint         n_errors;
  GError       *error;      /* the last ::error */
} Harness;

void     wait_settled        (Harness    *h);
void     spin                (guint       ms);
void     wait_frame          (Harness    *h);
void     harness_show        (Harness    *h);
void     harness_show_sized  (Harness    *h,
                              int         width,
                              int         height);
gboolean harness_open        (Harness    *h);
void     fill_catalogue      (TtStore    *store,
                              guint       n);
gboolean harness_open_filled (Harness    *h,
                              guint       n);
void     harness_close       (Harness    *h);
gpointer template_child      (gpointer    widget,
                              GType       type,
                              const char *name);
void     press_keys          (Harness    *h,
                              const char *accelerator);
void     press_keys_in       (GtkWindow  *window,
                              const char *accelerator);
void     save_screenshot     (Harness    *h,
                              const char *name);
void     save_screen_screenshot (const char *name);

TtTagSidebar *get_sidebar      (Harness    *h);
GtkGridView  *get_tag_list     (Harness    *h);
/* The sidebar position of the tag called @name. */
guint         sidebar_position (Harness    *h,
                                const char *name);
/* Clicks the sidebar row of the tag @name; with @add, Ctrl+clicks it. */
void          click_tag        (Harness    *h,
                                const char *name,
                                gboolean    add);

void          click_tutorial   (Harness    *h,
                                guint       position);
/* The sidebar's row of the tag called @name, once it is drawn, and its
 * context menu (made the first time it opened). */
GtkWidget    *tag_row          (Harness    *h,
                                const char *name);
GtkPopover   *tag_row_menu     (Harness    *h,
                                const char *name);

G_END_DECLS
