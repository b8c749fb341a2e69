/* bench-window.c: how the main window copes with a large catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run by build-aux/bench-window.sh, which fills a SQLite catalogue through
 * the CLI first. Opens the real window on the catalogue given as the only
 * argument, then measures, and prints as JSON:
 *  - launch: from main() until the window shows its first rows, and
 *    until everything is in (the tag sidebar too);
 *  - each search keystroke: the time the new result took to put in the
 *    list on the main thread (the list views' handlers included), the
 *    longest time the main loop was blocked (drawing included), the
 *    total blocked time, and the time until the list shows the result;
 *  - scrolling through the list a page at a time and by jumps: the
 *    longest block and the frames slower than 16 ms;
 *  - each keystroke in the tag sidebar's filter: the time the sidebar
 *    took to change its rows (the call that changed the text), and the
 *    longest block until the next frame was painted (drawing included);
 *  - peak RSS.
 * The main loop's blocked time is read off a 1 ms high-priority timer:
 * whatever delays it is main-thread work.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tt-controller.h"
#include "tt-tag-sidebar.h"
#include "tt-tutorial-results.h"
#include "tt-window.h"

#define TICK_MS 1

typedef struct
{
  gint64  last_tick;
  gint64  max_block;  /* µs */
  gint64  blocked;    /* µs, summed */
  guint   ticks;
} StallMeter;

static StallMeter meter;
static gint64 frame_start;      /* µs, when the frame being painted began */
static gint64 max_frame;        /* µs, the longest frame since meter_reset() */
static gint64 start_time;
static TtWindow *window;
static TtStore *store;
static guint frames;

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 block = now - meter.last_tick - TICK_MS * 1000;

  if (block > 1000)
    {
      meter.max_block = MAX (meter.max_block, block);
      meter.blocked += block;
    }
  meter.last_tick = now;
  meter.ticks++;
  return G_SOURCE_CONTINUE;
}

static void
meter_reset (void)
{
  meter.last_tick = g_get_monotonic_time ();
  meter.max_block = 0;
  meter.blocked = 0;
  max_frame = 0;
}

static double
ms (gint64 usec)
{
  return usec / 1000.0;
}

static TtController *
controller (void)
{
  return tt_window_get_controller (window);
}

static gboolean
settled (void)
{
  return controller () != NULL && !tt_controller_get_busy (controller ()) &&
         !tt_tutorial_results_is_loading (TT_TUTORIAL_RESULTS (tt_controller_get_tutorials (controller ())));
}

static void
before_paint_cb (GdkFrameClock *clock,
                 gpointer       user_data)
{
  frame_start = g_get_monotonic_time ();
}

/* A frame's layout, drawing and rendering: how much of the longest
 * block after a keystroke is the frame rather than the list update. */
static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  max_frame = MAX (max_frame, g_get_monotonic_time () - frame_start);
  frames++;
}

/* Runs the loop until the next frame is painted. A frame comes only
 * when something needs drawing: asks for one. */
static void
wait_frame (void)
{
  guint seen = frames;

  gtk_widget_queue_draw (GTK_WIDGET (window));
  while (frames < seen + 1)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the loop until everything asked for is in and one more frame
 * has been painted with it. */
static void
wait_shown (void)
{
  guint seen;

  while (!settled ())
    g_main_context_iteration (NULL, TRUE);
  wait_frame ();
  /* Rows the new frame showed may have asked for more. */
  while (!settled ())
    g_main_context_iteration (NULL, TRUE);
  /* The meter sees a block at the tick after it: let one come. */
  seen = meter.ticks;
  while (meter.ticks < seen + 2)
    g_main_context_iteration (NULL, TRUE);
}

/* The list has rows, the first one read. */
static gboolean
first_rows_in (void)
{
  GListModel *tutorials;
  g_autoptr(TtTutorial) first = NULL;

  if (controller () == NULL)
    return FALSE;
  tutorials = tt_controller_get_tutorials (controller ());
  if (g_list_model_get_n_items (tutorials) == 0)
    return FALSE;
  first = g_list_model_get_item (tutorials, 0);
  return tt_tutorial_get_title (first) != NULL;
}

static GtkWidget *
child (const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), TT_TYPE_WINDOW, name));
}

/* Types the end of @text as a person would: gtk_editable_set_text()
 * would empty the entry first, a search of its own. */
static void
type_next (GtkEditable *entry,
           const char  *text)
{
  const char *shown = gtk_editable_get_text (entry);
  int position = (int) strlen (shown);

  g_assert_true (g_str_has_prefix (text, shown));
  gtk_editable_insert_text (entry, text + position, -1, &position);
}

static void
measure_search (GString *json)
{
  static const char * const typed[] = { "p", "py", "pyt", "pyth", "pytho", "python", "python g", "python gu" };
  GtkWidget *entry = child ("search_entry");
  GtkWidget *bar = child ("search_bar");

  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (bar), TRUE);
  g_object_set (entry, "search-delay", 0, NULL);
  wait_shown ();

  g_string_append (json, "  \"search\": [\n");
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      gint64 t0;

      meter_reset ();
      t0 = g_get_monotonic_time ();
      type_next (GTK_EDITABLE (entry), typed[i]);
      wait_shown ();
      g_string_append_printf (json,
                              "    {\"text\": \"%s\", \"rows\": %u, \"result_ms\": %.1f,"
                              " \"list_update_ms\": %.1f,"
                              " \"max_main_thread_block_ms\": %.1f, \"main_thread_blocked_ms\": %.1f,"
                              " \"max_frame_ms\": %.1f}%s\n",
                              typed[i],
                              g_list_model_get_n_items (tt_controller_get_tutorials (controller ())),
                              ms (g_get_monotonic_time () - t0),
                              ms (tt_tutorial_results_get_apply_usec (TT_TUTORIAL_RESULTS (tt_controller_get_tutorials (controller ())))),
                              ms (meter.max_block), ms (meter.blocked), ms (max_frame),
                              i + 1 < G_N_ELEMENTS (typed) ? "," : "");
    }
  g_string_append (json, "  ],\n");

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait_shown ();
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Types, then takes back, a filter in the tag sidebar, a key at a time. */
static void
measure_sidebar_filter (GString *json)
{
  static const char * const typed[] = { "1", "12", "123", "1234", "123", "12", "1", "", "x", "" };
  GtkWidget *sidebar = find_descendant (GTK_WIDGET (window), TT_TYPE_TAG_SIDEBAR);
  GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (sidebar, TT_TYPE_TAG_SIDEBAR, "filter_entry"));
  GListModel *rows = G_LIST_MODEL (gtk_grid_view_get_model (GTK_GRID_VIEW (gtk_widget_get_template_child (sidebar, TT_TYPE_TAG_SIDEBAR, "tag_list"))));

  g_object_set (entry, "search-delay", 0, NULL);
  wait_shown ();
  g_string_append (json, "  \"sidebar_filter\": [\n");
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      const char *shown = gtk_editable_get_text (GTK_EDITABLE (entry));
      gint64 t0, changed;

      meter_reset ();
      t0 = g_get_monotonic_time ();
      if (g_str_has_prefix (typed[i], shown))
        type_next (GTK_EDITABLE (entry), typed[i]);
      else
        gtk_editable_delete_text (GTK_EDITABLE (entry), (int) strlen (typed[i]), -1);
      changed = g_get_monotonic_time ();
      wait_frame ();
      wait_shown ();
      g_string_append_printf (json,
                              "    {\"text\": \"%s\", \"rows\": %u, \"rows_changed_ms\": %.1f,"
                              " \"until_painted_ms\": %.1f, \"max_main_thread_block_ms\": %.1f}%s\n",
                              typed[i], g_list_model_get_n_items (rows), ms (changed - t0),
                              ms (g_get_monotonic_time () - t0), ms (meter.max_block),
                              i + 1 < G_N_ELEMENTS (typed) ? "," : "");
    }
  g_string_append (json, "  ],\n");
}

static void
measure_scroll (GString *json)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (child ("tutorial_list")));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint slow_frames = 0, steps = 0;
  gint64 worst = 0, last_frame, t0;

  meter_reset ();
  t0 = g_get_monotonic_time ();
  for (int i = 0; i < 300; i++, steps++)
    {
      double upper = gtk_adjustment_get_upper (adjustment);
      double page = gtk_adjustment_get_page_size (adjustment);
      /* Page by page for a while, then jumps anywhere (a dragged scrollbar). */
      double value = i < 200 ? gtk_adjustment_get_value (adjustment) + page
                             : g_rand_double_range (rand, 0, MAX (upper - page, 1));

      last_frame = g_get_monotonic_time ();
      gtk_adjustment_set_value (adjustment, value);
      wait_frame ();
      worst = MAX (worst, g_get_monotonic_time () - last_frame);
      if (g_get_monotonic_time () - last_frame > 16667)
        slow_frames++;
    }
  wait_shown ();

  g_string_append_printf (json,
                          "  \"scroll\": {\"steps\": %u, \"seconds\": %.2f, \"slowest_frame_ms\": %.1f,"
                          " \"frames_over_16ms\": %u, \"max_main_thread_block_ms\": %.1f,"
                          " \"cached_rows\": %u},\n",
                          steps, (g_get_monotonic_time () - t0) / 1e6, ms (worst), slow_frames,
                          ms (meter.max_block),
                          tt_tutorial_results_get_n_cached (TT_TUTORIAL_RESULTS (tt_controller_get_tutorials (controller ()))));
  (void) clock;
}

static long
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, field)) == NULL)
    return -1;
  return strtol (line + strlen (field) + 1, NULL, 10);
}

static void
run (void)
{
  g_autoptr(GString) json = g_string_new ("{\n");
  gint64 first_rows, shown;

  while (!first_rows_in ())
    g_main_context_iteration (NULL, TRUE);
  wait_frame ();
  first_rows = g_get_monotonic_time ();
  wait_shown ();
  shown = g_get_monotonic_time ();
  g_string_append_printf (json, "  \"tutorials\": %u,\n  \"tags\": %u,\n",
                          g_list_model_get_n_items (tt_controller_get_tutorials (controller ())),
                          g_list_model_get_n_items (tt_controller_get_tags (controller ())));
  g_string_append_printf (json, "  \"launch_to_first_rows_ms\": %.1f,\n", ms (first_rows - start_time));
  g_string_append_printf (json, "  \"launch_to_all_loaded_ms\": %.1f,\n", ms (shown - start_time));
  g_string_append_printf (json, "  \"peak_rss_at_first_rows_mb\": %.1f,\n", status_kb ("VmHWM:") / 1024.0);

  /* TT_BENCH_ONLY=sidebar: the sidebar's filter alone, for a profile. */
  if (g_strcmp0 (g_getenv ("TT_BENCH_ONLY"), "sidebar") != 0)
    {
      measure_search (json);
      g_string_append_printf (json, "  \"peak_rss_after_search_mb\": %.1f,\n", status_kb ("VmHWM:") / 1024.0);
      measure_scroll (json);
    }
  measure_sidebar_filter (json);

  g_string_append_printf (json, "  \"peak_rss_mb\": %.1f,\n  \"rss_mb\": %.1f\n}\n",
                          status_kb ("VmHWM:") / 1024.0, status_kb ("VmRSS:") / 1024.0);
  g_print ("%s", json->str);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtController) controller = NULL;

  store = tt_store_open_finish (result, &error);
  if (store == NULL)
    g_error ("Cannot open the catalogue: %s", error->message);

  controller = tt_controller_new (store);
  tt_window_set_controller (window, controller);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TtDbLocation) location = NULL;
  GdkFrameClock *clock;

  start_time = g_get_monotonic_time ();
  if (argc != 2)
    {
      g_printerr ("Usage: %s CATALOGUE.db\n", argv[0]);
      return 2;
    }

  gtk_init ();
  adw_init ();
  g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick_cb, NULL, NULL);

  window = g_object_new (TT_TYPE_WINDOW, "default-width", 1400, "default-height", 900, NULL);
  gtk_window_present (GTK_WINDOW (window));
  location = tt_db_location_new_sqlite (argv[1]);
  tt_store_open_async (location, NULL, NULL, opened_cb, NULL);

  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  while (controller () == NULL)
    g_main_context_iteration (NULL, TRUE);

  run ();
  return 0;
}
