/* tt-test-display.h: GTK for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <stdlib.h>

#include "tt-i18n.h"
#include "tt-test-fixture.h"

/* tt_test_init(), then the display; without one the whole test program
 * is skipped, except in CI, which runs it on Xvfb (run-tests.sh). */
static inline void
tt_test_init_with_display (int    *argc,
                           char ***argv)
{
  /* The icons are SVG: loading them needs the system's MIME database,
   * which the isolated directories of each test do not have: first. */
  g_content_type_set_mime_dirs (NULL);
  tt_test_init (argc, argv);
  /* Translated where a test asks for it (LANGUAGE=de with TT_LOCALEDIR,
   * tests/meson.build); English otherwise. */
  tt_i18n_init ();

  if (!gtk_init_check ())
    {
      if (g_getenv ("CI") != NULL)
        g_error ("No display to open the window on");
      g_print ("1..0 # SKIP no display\n");
      exit (77);
    }
  adw_init ();
}

typedef gboolean (*TtTestWidgetMatch) (GtkWidget     *widget,
                                       gconstpointer  data);

/* The German runs of a test (tests/meson.build): @english, a string of
 * ours, must not be what the window shows then. */
static inline void
tt_test_assert_translated (const char *shown,
                           const char *english)
{
  if (g_str_has_prefix (g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "", "de"))
    g_assert_cmpstr (shown, !=, english);
}

/* A TtTestWidgetMatch: a label on screen that reads @text. */
static inline gboolean
tt_test_is_label_of (GtkWidget     *widget,
                     gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text);
}

/* @widget as drawn now, as a PNG in $TT_TEST_SCREENSHOT_DIR, when set:
 * for looking at what a test showed. */
static inline void
tt_test_save_screenshot (GtkWidget  *widget,
                         const char *name)
{
  const char *dir = g_getenv ("TT_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node, NULL);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The first widget at or below @root, depth first, that @match accepts. */
static inline GtkWidget *
tt_test_find_widget (GtkWidget         *root,
                     TtTestWidgetMatch  match,
                     gconstpointer      data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = tt_test_find_widget (c, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Delivers a key press the way GTK does once the event reaches @widget
 * and nothing nearer the root handled it: through the "key-pressed"
 * signal of its key controller called @controller_name. Returns whether
 * it was handled. */
static inline gboolean
tt_test_press_key (GtkWidget  *widget,
                   const char *controller_name,
                   guint       keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GtkEventController *keys = NULL;
  gboolean handled = FALSE;

  for (guint i = 0; keys == NULL && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), controller_name) == 0)
        keys = controller;
    }

  g_assert_true (GTK_IS_EVENT_CONTROLLER_KEY (keys));
  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, 0, &handled);

  return handled;
}
