/* tt-test-window.c: the main window on a test catalogue, driven as a
 * person does (shared by the widget tests)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <dlfcn.h>
#include <gdk/x11/gdkx.h>

#include "tt-test-display.h"
#include "tt-tag-row.h"
#include "tt-tag-sidebar.h"
#include "tt-test-window.h"
#include "tt-tutorial-results.h"

#define WAIT_SECONDS 20

/* ---- waiting --------------------------------------------------------- */

static gboolean
timed_out_cb (gpointer user_data)
{
  g_error ("The controller did not settle within %d s", WAIT_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
settled_cb (TtController *controller,
            GMainLoop    *loop)
{
  if (!tt_controller_get_busy (controller))
    g_main_loop_quit (loop);
}

/* ::error has the error before the user data. */
static void
settled_with_error_cb (TtController *controller,
                       const GError *error,
                       GMainLoop    *loop)
{
  settled_cb (controller, loop);
}

/* Runs the main loop until the controller has done everything asked of
 * it and reported so. Whatever the window asks for is queued at once, so
 * a controller that is not busy has nothing left to report. */
void
wait_settled (Harness *h)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  TtTutorialResults *results = TT_TUTORIAL_RESULTS (tt_controller_get_tutorials (h->controller));
  gulong changed_id, error_id;
  guint timeout_id;

  if (tt_controller_get_busy (h->controller))
    {
      changed_id = g_signal_connect (h->controller, "changed", G_CALLBACK (settled_cb), loop);
      error_id = g_signal_connect (h->controller, "error", G_CALLBACK (settled_with_error_cb), loop);
      timeout_id = g_timeout_add_seconds (WAIT_SECONDS, timed_out_cb, NULL);

      g_main_loop_run (loop);

      g_source_remove (timeout_id);
      g_signal_handler_disconnect (h->controller, changed_id);
      g_signal_handler_disconnect (h->controller, error_id);
    }

  /* Then the rows the list asked for on the way. */
  timeout_id = g_timeout_add_seconds (WAIT_SECONDS, timed_out_cb, NULL);
  while (tt_tutorial_results_is_loading (results))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Lets timers (the search entry's, the editor's save delay) run out. */
void
spin (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_cb, loop);
  g_main_loop_run (loop);
}

static void
painted_cb (GdkFrameClock *clock,
            gboolean      *painted)
{
  *painted = TRUE;
}

/* Runs the loop until the window has painted a frame: the lists lay out
 * what the last step changed, and a key that moves by a page knows
 * where the rows are. */
void
wait_frame (Harness *h)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (h->window));
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);

  gtk_widget_queue_draw (GTK_WIDGET (h->window));
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
}

/* ---- the harness ----------------------------------------------------- */

static void
error_cb (TtController *controller,
          const GError *error,
          Harness      *h)
{
  g_clear_error (&h->error);
  h->error = g_error_copy (error);
  h->n_errors++;
}

/* The window on the store opened already, @width × @height. */
/* What AdwApplication and GtkApplication would give the window in the
 * app: its style sheet and its icons. Tests then measure and show what a
 * user sees (a chip's size depends on the style sheet, and without the
 * icons every tag showed a missing-image icon). */
static void
look_like_the_app (void)
{
  static GtkCssProvider *stylesheet;

  if (stylesheet != NULL)
    return;
  stylesheet = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (stylesheet, "/com/example/TutorialTags/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (stylesheet),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/com/example/TutorialTags/icons");
}

void
harness_show_sized (Harness *h,
                    int      width,
                    int      height)
{
  look_like_the_app ();
  h->window = g_object_new (TT_TYPE_WINDOW,
                            "default-width", width,
                            "default-height", height,
                            NULL);
  h->controller = tt_controller_new (h->store);
  tt_window_set_controller (h->window, h->controller);
  g_signal_connect (h->controller, "error", G_CALLBACK (error_cb), h);
  gtk_window_present (GTK_WINDOW (h->window));
  wait_settled (h);
}

void
harness_show (Harness *h)
{
  harness_show_sized (h, 1200, 800);
}

gboolean
harness_open (Harness *h)
{
  h->store = tt_test_open_store ();
  if (h->store == NULL)
    return FALSE;

  harness_show (h);
  return TRUE;
}

/* @n tutorials straight into the store, one minute apart, before the
 * window opens: a catalogue whose list has rows not loaded yet. */
void
fill_catalogue (TtStore *store,
                guint    n)
{
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Tutorial %04u", i);
      g_autofree char *description = g_strdup_printf ("All about number %u", i);
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, description);
      g_autoptr(GDateTime) when = g_date_time_add_minutes (start, i);

      tt_tutorial_set_created_at (tutorial, when);
      tt_tutorial_set_updated_at (tutorial, when);
      g_list_store_append (tutorials, tutorial);
    }

  g_assert_true (tt_store_import (store, G_LIST_MODEL (tutorials), NULL, &error));
  g_assert_no_error (error);
}

/* A window on a catalogue of @n tutorials. */
gboolean
harness_open_filled (Harness *h,
                     guint    n)
{
  h->store = tt_test_open_store ();
  if (h->store == NULL)
    return FALSE;

  fill_catalogue (h->store, n);
  harness_show (h);
  return TRUE;
}

void
harness_close (Harness *h)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  TtWindow *window = h->window;

  wait_settled (h);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &h->window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (h->window != NULL && g_main_context_iteration (NULL, FALSE))
    ;
  /* Nothing may keep the window alive once it is destroyed. */
  g_assert_null (h->window);

  /* Closing may still send something (the editor's last typing, a
   * search the window ends), and rows may still be loading: a job holds
   * the controller or the list, and its GTask the store, until its
   * callback has run. Closing the store waits for the jobs; their
   * callbacks are then due on this context. Nothing else may hold
   * either object. (On a loaded machine such a job was still on its way
   * here now and then.) */
  while (tt_controller_get_busy (h->controller))
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (h->controller, h);
  tt_store_close (h->store);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (h->controller);
  g_assert_finalize_object (h->store);
  g_clear_error (&h->error);
}

/* ---- looking at the window ------------------------------------------- */

gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}


/* ---- the sidebar ------------------------------------------------------ */

TtTagSidebar *
get_sidebar (Harness *h)
{
  AdwBin *slot = template_child (h->window, TT_TYPE_WINDOW, "sidebar_slot");

  return TT_TAG_SIDEBAR (adw_bin_get_child (slot));
}

GtkGridView *
get_tag_list (Harness *h)
{
  return template_child (get_sidebar (h), TT_TYPE_TAG_SIDEBAR, "tag_list");
}

/* The sidebar position of the tag called @name. */
guint
sidebar_position (Harness    *h,
                  const char *name)
{
  GtkGridView *tag_list = get_tag_list (h);
  GListModel *rows = G_LIST_MODEL (gtk_grid_view_get_model (tag_list));

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (rows, i);

      if (TT_IS_TAG (row) && g_str_equal (tt_tag_get_name (TT_TAG (row)), name))
        return i;
    }

  g_error ("The sidebar has no tag %s", name);
}

/* Clicks a row of the sidebar; with @add, Ctrl+clicks it. */
void
click_tag (Harness    *h,
           const char *name,
           gboolean    add)
{
  GtkGridView *tag_list = get_tag_list (h);

  gtk_widget_activate_action (GTK_WIDGET (tag_list), "list.select-item", "(ubb)",
                              sidebar_position (h, name), add, FALSE);
}

/* ---- real keys --------------------------------------------------------- */

/* XTestFakeKeyEvent(), from libXtst: loaded at run time, as only the
 * library (not its headers) comes with the X libraries GTK pulls in. */
typedef int (*FakeKeyEvent) (Display *display, unsigned int keycode, Bool is_press,
                             unsigned long delay);

static FakeKeyEvent
fake_key_event (void)
{
  static FakeKeyEvent fake;

  if (fake == NULL)
    {
      void *xtst = dlopen ("libXtst.so.6", RTLD_NOW);

      if (xtst == NULL)
        g_error ("Cannot load libXtst to press real keys: %s", dlerror ());
      fake = (FakeKeyEvent) dlsym (xtst, "XTestFakeKeyEvent");
      g_assert_nonnull (fake);
    }

  return fake;
}

static void
fake_key (Display *display,
          guint    keysym,
          gboolean press)
{
  KeyCode keycode = XKeysymToKeycode (display, keysym);

  g_assert_cmpuint (keycode, !=, 0);
  fake_key_event () (display, keycode, press, CurrentTime);
}

/* Presses @accelerator ("<Control>z", "Delete", "<Shift>F10") as the
 * keyboard does: the X server sends it to the window, and GTK takes it
 * through every handler on the way to the focus and back, as it does for
 * a person. (Calling the window's shortcut directly would skip whatever
 * takes the key first.) */
void
press_keys_in (GtkWindow  *window,
               const char *accelerator)
{
  GdkDisplay *gdk_display = gtk_widget_get_display (GTK_WIDGET (window));
  Display *display = gdk_x11_display_get_xdisplay (gdk_display);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GdkModifierType modifiers;
  guint keyval;

  g_assert_true (gtk_accelerator_parse (accelerator, &keyval, &modifiers));
  /* The keys go where the X server's focus is: to this window, once GTK
   * knows it has it (the window of a test before may have had it). */
  XSetInputFocus (display, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XSync (display, False);
  for (guint i = 0; i < 100 && !gtk_window_is_active (window); i++)
    spin (20);
  g_assert_true (gtk_window_is_active (window));
  if (modifiers & GDK_CONTROL_MASK)
    fake_key (display, XK_Control_L, TRUE);
  if (modifiers & GDK_SHIFT_MASK)
    fake_key (display, XK_Shift_L, TRUE);
  fake_key (display, keyval, TRUE);
  fake_key (display, keyval, FALSE);
  if (modifiers & GDK_SHIFT_MASK)
    fake_key (display, XK_Shift_L, FALSE);
  if (modifiers & GDK_CONTROL_MASK)
    fake_key (display, XK_Control_L, FALSE);
  XSync (display, False);
  /* Until GTK has read and handled them all. */
  spin (200);
}

/* The same, to the test's window. */
void
press_keys (Harness    *h,
            const char *accelerator)
{
  press_keys_in (GTK_WINDOW (h->window), accelerator);
}

/* The window as a PNG in $TT_TEST_SCREENSHOT_DIR, when set: for looking
 * at what a test showed. */
void
save_screenshot (Harness    *h,
                 const char *name)
{
  if (g_getenv ("TT_TEST_SCREENSHOT_DIR") == NULL)
    return;

  spin (500);
  wait_frame (h);
  tt_test_save_screenshot (GTK_WIDGET (h->window), name);
}

/* The whole screen, popovers included (they are windows of their own),
 * as a PNG in $TT_TEST_SCREENSHOT_DIR, when set. */
void
save_screen_screenshot (const char *name)
{
  const char *dir = g_getenv ("TT_TEST_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "import", "-window", "root", NULL, NULL };

  if (dir == NULL)
    return;

  spin (300);
  path = g_build_filename (dir, name, NULL);
  argv[3] = path;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     NULL, NULL, NULL, &error))
    g_printerr ("No screenshot %s: %s\n", name, error->message);
}

static gboolean
is_tag_row_of (GtkWidget     *widget,
               gconstpointer  name)
{
  GObject *item = TT_IS_TAG_ROW (widget) ? tt_tag_row_get_item (TT_TAG_ROW (widget)) : NULL;

  return TT_IS_TAG (item) && g_str_equal (tt_tag_get_name (TT_TAG (item)), name);
}

/* The sidebar's row of the tag called @name, once it is drawn. */
GtkWidget *
tag_row (Harness    *h,
         const char *name)
{
  GtkWidget *row;

  wait_frame (h);
  row = tt_test_find_widget (GTK_WIDGET (get_tag_list (h)), is_tag_row_of, name);
  g_assert_nonnull (row);
  return row;
}

/* The row's context menu, made the first time it opened. */
GtkPopover *
tag_row_menu (Harness    *h,
              const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (tag_row (h, name)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return GTK_POPOVER (child);
  g_assert_not_reached ();
}

/* Selects the tutorial at @position of the list, as a click does. */
void
click_tutorial (Harness *h,
                guint    position)
{
  GtkGridView *tutorial_list = template_child (h->window, TT_TYPE_WINDOW, "tutorial_list");

  gtk_widget_activate_action (GTK_WIDGET (tutorial_list), "list.select-item", "(ubb)",
                              position, FALSE, FALSE);
}
