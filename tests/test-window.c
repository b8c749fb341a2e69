/* test-window.c: the main window on a fresh catalogue, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test opens a window on an empty SQLite catalogue and drives it as
 * a person does: through the window's actions and its widgets. After each
 * step it waits for the controller to settle (its ::changed with nothing
 * left to do) and checks what the lists show. Every window must be
 * finalized at the end.
 *
 * The tag sidebar is also tested on its own, on a list of tags made here:
 * it needs no catalogue.
 */

#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tt-clock.h"
#include "tt-error-table.h"
#include "tt-format.h"
#include "tt-gda-autocleanups.h"
#include "tt-tag-editor-private.h"
#include "tt-tag-row.h"
#include "tt-tag-sidebar.h"
#include "tt-test-display.h"
#include "tt-test-window.h"
#include "tt-tutorial-editor.h"
#include "tt-tutorial-results.h"
#include "tt-tutorial-row.h"
#include "tt-window.h"

/* ---- looking at the window ------------------------------------------- */

static TtTutorialEditor *
get_editor (Harness *h)
{
  AdwBin *slot = template_child (h->window, TT_TYPE_WINDOW, "editor_slot");

  return TT_TUTORIAL_EDITOR (adw_bin_get_child (slot));
}

/* "Title[tag,tag] Title[]": the tutorial list, in order, with tags. */
static char *
describe_tutorials (Harness *h)
{
  GListModel *tutorials = tt_controller_get_tutorials (h->controller);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);
      GListModel *tags = tt_tutorial_get_tags (tutorial);

      g_string_append_printf (text, "%s%s[", i > 0 ? " " : "", tt_tutorial_get_title (tutorial));
      for (guint j = 0; tags != NULL && j < g_list_model_get_n_items (tags); j++)
        {
          g_autoptr(TtTag) tag = g_list_model_get_item (tags, j);

          g_string_append_printf (text, "%s%s", j > 0 ? "," : "", tt_tag_get_name (tag));
        }
      g_string_append_c (text, ']');
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define assert_tutorials(h, expected) \
  G_STMT_START { \
    g_autofree char *_described = describe_tutorials (h); \
    g_assert_cmpstr (_described, ==, expected); \
  } G_STMT_END

static const char *
list_page (Harness *h)
{
  GtkStack *stack = template_child (h->window, TT_TYPE_WINDOW, "list_stack");

  return gtk_stack_get_visible_child_name (stack);
}

static const char *
shown_title (Harness *h)
{
  TtTutorial *tutorial = tt_tutorial_editor_get_tutorial (get_editor (h));

  return tutorial != NULL ? tt_tutorial_get_title (tutorial) : NULL;
}

static void
new_tutorial (Harness    *h,
              const char *title)
{
  GtkEditable *title_row;

  gtk_widget_activate_action (GTK_WIDGET (h->window), "win.new-tutorial", NULL);
  wait_settled (h);

  /* Typed into the editor, saved after the pause. */
  title_row = template_child (get_editor (h), TT_TYPE_TUTORIAL_EDITOR, "title_row");
  gtk_editable_set_text (title_row, title);
  spin (600);
  wait_settled (h);
}

/* What the chip editor says when a name is typed and Enter pressed (its
 * own tests cover the typing). */
static void
add_tag (Harness    *h,
         const char *name)
{
  AdwBin *slot = template_child (get_editor (h), TT_TYPE_TUTORIAL_EDITOR, "tags_slot");
  GtkWidget *tag_editor = adw_bin_get_child (slot);

  g_assert_true (TT_IS_TAG_EDITOR (tag_editor));
  g_signal_emit_by_name (tag_editor, "tag-created", name);
  wait_settled (h);
}

/* The chip's close button. */
static void
remove_tag (Harness    *h,
            const char *name)
{
  AdwBin *slot = template_child (get_editor (h), TT_TYPE_TUTORIAL_EDITOR, "tags_slot");
  GListModel *tags = tt_tag_editor_get_tags (TT_TAG_EDITOR (adw_bin_get_child (slot)));

  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      if (g_str_equal (tt_tag_get_name (tag), name))
        {
          g_signal_emit_by_name (adw_bin_get_child (slot), "tag-removed", tag);
          wait_settled (h);
          return;
        }
    }

  g_error ("The tutorial has no tag %s", name);
}

/* A key the tutorial list handles itself (End, Page Up…), delivered as
 * GTK does once the key reaches the list: through the list's shortcut
 * for it, so the list moves its cursor and selection as for a person. */
static void
press_list_key (Harness *h,
                guint    keyval)
{
  GtkWidget *list = template_child (h->window, TT_TYPE_WINDOW, "tutorial_list");
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (list);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      for (guint j = 0; GTK_IS_SHORTCUT_CONTROLLER (controller) &&
                        j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            {
              gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, list,
                                            gtk_shortcut_get_arguments (shortcut));
              return;
            }
        }
    }

  g_error ("The tutorial list has no shortcut for %s", gdk_keyval_name (keyval));
}

/* Every tutorial of the catalogue as the store reads it now, one line
 * each: id, title, description and when it was last changed. */
static char *
describe_catalogue (Harness *h)
{
  TtTutorialQuery query = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tutorials = tt_store_list_tutorials (h->store, &query, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);
      g_autofree char *updated = g_date_time_format_iso8601 (tt_tutorial_get_updated_at (tutorial));

      g_string_append_printf (text, "%" G_GINT64_FORMAT " %s | %s | %s\n",
                              tt_tutorial_get_id (tutorial), tt_tutorial_get_title (tutorial),
                              tt_tutorial_get_description (tutorial), updated);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The lines of @after (taken) that differ from @before's, "was -> is",
 * so that a failure names the tutorials changed rather than printing
 * the whole catalogue twice. */
static char *
catalogue_changes (const char *before,
                   char       *after)
{
  g_auto(GStrv) was = g_strsplit (before, "\n", -1);
  g_auto(GStrv) is = g_strsplit (after, "\n", -1);
  g_autoptr(GString) changes = g_string_new (NULL);

  g_assert_cmpuint (g_strv_length (is), ==, g_strv_length (was));
  for (guint i = 0; was[i] != NULL; i++)
    if (!g_str_equal (was[i], is[i]))
      g_string_append_printf (changes, "%s -> %s; ", was[i], is[i]);

  g_free (after);
  return g_string_free (g_steal_pointer (&changes), FALSE);
}

static TtTagEditor *
get_tag_editor (Harness *h)
{
  AdwBin *slot = template_child (get_editor (h), TT_TYPE_TUTORIAL_EDITOR, "tags_slot");

  return TT_TAG_EDITOR (adw_bin_get_child (slot));
}

/* Text typed into the chip editor's field, as an input method puts it,
 * after a click into the field. */
static void
type_in_tags (Harness    *h,
              const char *text)
{
  tt_tag_editor_grab_entry_focus (get_tag_editor (h));
  gtk_editable_set_text (GTK_EDITABLE (_tt_tag_editor_get_text (get_tag_editor (h))), text);
}

/* A key on the chip editor. The main loop does not run: nothing the
 * store does in the meantime can come back before the next step. */
static void
press_tag_key (Harness *h,
               guint    keyval)
{
  tt_test_press_key (GTK_WIDGET (get_tag_editor (h)), "tt-tag-editor-keys", keyval);
}

/* "name,name": the chips the editor shows. */
static char *
describe_chips (Harness *h)
{
  GListModel *tags = tt_tag_editor_get_tags (get_tag_editor (h));
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      g_string_append_printf (text, "%s%s", i > 0 ? "," : "", tt_tag_get_name (tag));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define assert_chips(h, expected) \
  G_STMT_START { \
    g_autofree char *_chips = describe_chips (h); \
    g_assert_cmpstr (_chips, ==, expected); \
  } G_STMT_END

/* ---- the sidebar's dialogs ------------------------------------------ */

/* The message dialog open with @heading. */
static const char *
tt_str_or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static AdwMessageDialog *
lookup_dialog (const char *heading)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      /* No heading reads as NULL or "", by libadwaita version. */
      if (ADW_IS_MESSAGE_DIALOG (l->data) &&
          g_strcmp0 (tt_str_or_empty (adw_message_dialog_get_heading (l->data)),
                     tt_str_or_empty (heading)) == 0)
        return l->data;
    }

  return NULL;
}

static AdwMessageDialog *
find_dialog (const char *heading)
{
  AdwMessageDialog *dialog = lookup_dialog (heading);

  if (dialog == NULL)
    g_error ("No dialog “%s” is open", heading);
  return dialog;
}

/* The dialog called @heading, once a key pressed in another one opened
 * it (its response runs in a later main loop iteration). */
static AdwMessageDialog *
wait_for_dialog (const char *heading)
{
  for (guint i = 0; i < 250 && lookup_dialog (heading) == NULL; i++)
    spin (20);
  return find_dialog (heading);
}

/* Answers the dialog called @heading as a click on @response does. */
static void
answer_dialog (const char *heading,
               const char *response)
{
  AdwMessageDialog *dialog = find_dialog (heading);

  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Deleting asks nothing: the Undo toast takes a confirmation's place. */
static void
assert_no_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    g_assert_false (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data));
}

/* Runs the window's shortcut for @accelerator ("F2") as the key does,
 * whichever widget has the focus. */
static void
press_shortcut (Harness    *h,
                const char *accelerator)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (h->window));
  g_autoptr(GtkShortcutTrigger) trigger = gtk_shortcut_trigger_parse_string (accelerator);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      for (guint j = 0; GTK_IS_SHORTCUT_CONTROLLER (controller) &&
                        j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (!gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), trigger))
            continue;
          g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                       GTK_WIDGET (h->window),
                                                       gtk_shortcut_get_arguments (shortcut)));
          return;
        }
    }

  g_error ("The window has no shortcut %s", accelerator);
}

static const char *
list_title (Harness *h)
{
  return adw_window_title_get_title (template_child (h->window, TT_TYPE_WINDOW, "list_title"));
}

/* ---- the sidebar on its own ----------------------------------------- */

typedef struct
{
  TtTagSidebar *sidebar;
  GListStore   *tags;
  guint         n_changed;     /* ::filter-changed */
} Sidebar;

static void
filter_changed_cb (TtTagSidebar *sidebar,
                   Sidebar      *s)
{
  s->n_changed++;
}

/* A sidebar on the tags GTK (id 1), Meson (2) and Rust (3): rows 2 to
 * 4 (by name), below "All Tutorials" and "Untagged". */
static void
sidebar_open (Sidebar *s)
{
  static const char * const names[] = { "GTK", "Meson", "Rust" };

  s->tags = g_list_store_new (TT_TYPE_TAG);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TtTag) tag = tt_tag_new (i + 1, names[i]);

      g_list_store_append (s->tags, tag);
    }

  s->sidebar = g_object_ref_sink (TT_TAG_SIDEBAR (tt_tag_sidebar_new ()));
  tt_tag_sidebar_set_tags (s->sidebar, G_LIST_MODEL (s->tags));
  g_signal_connect (s->sidebar, "filter-changed", G_CALLBACK (filter_changed_cb), s);
}

static void
sidebar_close (Sidebar *s)
{
  g_assert_finalize_object (s->sidebar);
  g_assert_finalize_object (s->tags);
}

/* Clicks row @position; with @add, Ctrl+clicks it. */
static void
sidebar_click (Sidebar  *s,
               guint     position,
               gboolean  add)
{
  GtkWidget *tag_list = template_child (s->sidebar, TT_TYPE_TAG_SIDEBAR, "tag_list");

  gtk_widget_activate_action (tag_list, "list.select-item", "(ubb)", position, add, FALSE);
}

/* "all", "untagged" or "tags 1 3 (any)": the filter; then "|" and the
 * selected rows ("| 2 4"), which must say the same. */
static char *
describe_sidebar (Sidebar *s)
{
  GtkWidget *tag_list = template_child (s->sidebar, TT_TYPE_TAG_SIDEBAR, "tag_list");
  GtkSelectionModel *rows = gtk_grid_view_get_model (GTK_GRID_VIEW (tag_list));
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (rows);
  g_autoptr(GString) text = g_string_new (NULL);
  TtTagFilter filter = tt_tag_sidebar_get_filter (s->sidebar);
  guint n;
  const gint64 *ids = tt_tag_sidebar_get_tag_ids (s->sidebar, &n);

  if (filter == TT_TAG_FILTER_ALL)
    g_string_append (text, "all");
  else if (filter == TT_TAG_FILTER_UNTAGGED)
    g_string_append (text, "untagged");
  else
    g_string_append (text, "tags");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, " %" G_GINT64_FORMAT, ids[i]);
  if (filter == TT_TAG_FILTER_TAGS)
    g_string_append_printf (text, " (%s)", tt_tag_sidebar_get_tag_match (s->sidebar));

  g_string_append (text, " |");
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (rows)); i++)
    if (gtk_bitset_contains (selected, i))
      g_string_append_printf (text, " %u", i);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define assert_sidebar(s, expected) \
  G_STMT_START { \
    g_autofree char *_described = describe_sidebar (s); \
    g_assert_cmpstr (_described, ==, expected); \
  } G_STMT_END

static gboolean
match_revealed (Sidebar *s)
{
  GtkRevealer *revealer = template_child (s->sidebar, TT_TYPE_TAG_SIDEBAR, "match_revealer");

  return gtk_revealer_get_reveal_child (revealer);
}

/* Ctrl+click adds a tag to the filter; Any/All appears for two. */
static void
test_sidebar_ctrl_click (void)
{
  Sidebar s = { 0 };

  sidebar_open (&s);
  assert_sidebar (&s, "all | 0");
  g_assert_cmpstr (tt_tag_sidebar_get_filter_title (s.sidebar), ==, "All Tutorials");
  g_assert_false (match_revealed (&s));

  sidebar_click (&s, 2, FALSE);
  assert_sidebar (&s, "tags 1 (any) | 2");
  g_assert_cmpuint (s.n_changed, ==, 1);
  g_assert_false (match_revealed (&s));

  sidebar_click (&s, 4, TRUE);
  assert_sidebar (&s, "tags 1 3 (any) | 2 4");
  g_assert_cmpuint (s.n_changed, ==, 2);
  g_assert_cmpstr (tt_tag_sidebar_get_filter_title (s.sidebar), ==, "GTK, Rust");
  g_assert_true (match_revealed (&s));

  gtk_widget_activate_action (GTK_WIDGET (s.sidebar), "sidebar.tag-match", "s", "all");
  assert_sidebar (&s, "tags 1 3 (all) | 2 4");
  g_assert_cmpuint (s.n_changed, ==, 3);

  /* Ctrl+click on a selected tag takes it out again. */
  sidebar_click (&s, 2, TRUE);
  assert_sidebar (&s, "tags 3 (all) | 4");
  g_assert_cmpuint (s.n_changed, ==, 4);
  g_assert_false (match_revealed (&s));

  sidebar_close (&s);
}

/* "All Tutorials" and "Untagged" replace the tags, and the other way
 * round; unselecting everything is "All Tutorials" again. */
static void
test_sidebar_stand_alone (void)
{
  Sidebar s = { 0 };

  sidebar_open (&s);
  sidebar_click (&s, 2, FALSE);
  sidebar_click (&s, 3, TRUE);
  assert_sidebar (&s, "tags 1 2 (any) | 2 3");

  sidebar_click (&s, 1, TRUE);
  assert_sidebar (&s, "untagged | 1");
  g_assert_cmpstr (tt_tag_sidebar_get_filter_title (s.sidebar), ==, "Untagged");

  sidebar_click (&s, 4, TRUE);
  assert_sidebar (&s, "tags 3 (any) | 4");

  sidebar_click (&s, 0, TRUE);
  assert_sidebar (&s, "all | 0");
  g_assert_cmpuint (s.n_changed, ==, 5);

  /* The same filter: nothing to ask for again. */
  sidebar_click (&s, 0, TRUE);
  assert_sidebar (&s, "all | 0");
  g_assert_cmpuint (s.n_changed, ==, 5);

  sidebar_close (&s);
}

/* The tags are replaced after every change: a renamed tag stays in the
 * filter under its new name, a deleted one leaves it. */
static void
test_sidebar_tags_replaced (void)
{
  Sidebar s = { 0 };
  g_autoptr(TtTag) renamed = tt_tag_new (3, "Rust 2021");
  GtkWidget *no_tags;

  sidebar_open (&s);
  sidebar_click (&s, 2, FALSE);
  sidebar_click (&s, 4, TRUE);
  g_assert_cmpuint (s.n_changed, ==, 2);

  g_list_store_splice (s.tags, 2, 1, (gpointer *) &renamed, 1);
  assert_sidebar (&s, "tags 1 3 (any) | 2 4");
  g_assert_cmpstr (tt_tag_sidebar_get_filter_title (s.sidebar), ==, "GTK, Rust 2021");
  g_assert_cmpuint (s.n_changed, ==, 2);

  g_list_store_remove (s.tags, 0);
  assert_sidebar (&s, "tags 3 (any) | 3");
  g_assert_cmpstr (tt_tag_sidebar_get_filter_title (s.sidebar), ==, "Rust 2021");
  g_assert_cmpuint (s.n_changed, ==, 3);

  no_tags = template_child (s.sidebar, TT_TYPE_TAG_SIDEBAR, "no_tags_page");
  g_assert_false (gtk_widget_get_visible (no_tags));
  g_list_store_remove_all (s.tags);
  assert_sidebar (&s, "all | 0");
  g_assert_cmpuint (s.n_changed, ==, 4);
  g_assert_true (gtk_widget_get_visible (no_tags));

  sidebar_close (&s);
}

/* The names of the tags the sidebar lists, in order, joined with commas. */
static char *
sidebar_names (Sidebar *s)
{
  GtkWidget *tag_list = template_child (s->sidebar, TT_TYPE_TAG_SIDEBAR, "tag_list");
  GListModel *rows = G_LIST_MODEL (gtk_grid_view_get_model (GTK_GRID_VIEW (tag_list)));
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 2; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (rows, i);

      g_string_append_printf (names, "%s%s", i > 2 ? "," : "", tt_tag_get_name (tag));
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

#define assert_sidebar_names(s, expected) \
  G_STMT_START { \
    g_autofree char *_names = sidebar_names (s); \
    g_assert_cmpstr (_names, ==, expected); \
  } G_STMT_END

static void
sidebar_type_filter (Sidebar    *s,
                     const char *text)
{
  gtk_editable_set_text (template_child (s->sidebar, TT_TYPE_TAG_SIDEBAR, "filter_entry"), text);
}

/* The field filters as the tag suggestions match: case and accents do
 * not count; the tags of the filter stay listed, so the selection is
 * always in view; Escape clears the field. */
static void
test_sidebar_filter (void)
{
  Sidebar s = { 0 };
  GtkEditable *entry;
  g_autofree char *placeholder = NULL;

  sidebar_open (&s);
  entry = template_child (s.sidebar, TT_TYPE_TAG_SIDEBAR, "filter_entry");
  g_object_get (entry, "placeholder-text", &placeholder, NULL);
  g_assert_cmpstr (placeholder, ==, "Filter Tags");
  assert_sidebar_names (&s, "GTK,Meson,Rust");

  sidebar_type_filter (&s, "  MÉS ");
  assert_sidebar_names (&s, "Meson");
  sidebar_type_filter (&s, "u");
  assert_sidebar_names (&s, "Rust");
  sidebar_type_filter (&s, "nothing");
  assert_sidebar_names (&s, "");
  /* "All Tutorials" and "Untagged" stay. */
  assert_sidebar (&s, "all | 0");

  sidebar_type_filter (&s, "");
  sidebar_click (&s, 4, FALSE);
  assert_sidebar (&s, "tags 3 (any) | 4");
  sidebar_type_filter (&s, "g");
  assert_sidebar_names (&s, "GTK,Rust");
  assert_sidebar (&s, "tags 3 (any) | 3");
  g_assert_cmpuint (s.n_changed, ==, 1);

  g_signal_emit_by_name (entry, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  assert_sidebar_names (&s, "GTK,Meson,Rust");

  sidebar_close (&s);
}

static void
set_tag_use (Sidebar    *s,
             guint       position,
             guint       count,
             const char *last_linked)
{
  g_autoptr(TtTag) tag = g_list_model_get_item (G_LIST_MODEL (s->tags), position);
  g_autoptr(GDateTime) when = last_linked != NULL ? g_date_time_new_from_iso8601 (last_linked, NULL) : NULL;

  tt_tag_set_tutorial_count (tag, count);
  tt_tag_set_last_linked_at (tag, when);
}

/* By name, by count (most first), by recent use (newest first, never
 * used last); ties by name. The menu's action sets it. */
static void
test_sidebar_sort (void)
{
  Sidebar s = { 0 };
  g_autoptr(TtTag) cafe = tt_tag_new (4, "café");

  sidebar_open (&s);
  g_list_store_append (s.tags, cafe);
  set_tag_use (&s, 0, 5, "2024-01-01T00:00:00Z");   /* GTK */
  set_tag_use (&s, 1, 9, NULL);                     /* Meson */
  set_tag_use (&s, 2, 5, "2025-06-01T00:00:00Z");   /* Rust */
  set_tag_use (&s, 3, 1, "2024-01-01T00:00:00Z");   /* café */
  assert_sidebar_names (&s, "café,GTK,Meson,Rust");

  gtk_widget_activate_action (GTK_WIDGET (s.sidebar), "sidebar.tag-sort", "s", "count");
  g_assert_cmpstr (tt_tag_sidebar_get_tag_sort (s.sidebar), ==, "count");
  assert_sidebar_names (&s, "Meson,GTK,Rust,café");

  gtk_widget_activate_action (GTK_WIDGET (s.sidebar), "sidebar.tag-sort", "s", "recent");
  assert_sidebar_names (&s, "Rust,café,GTK,Meson");

  /* A tag that changes moves to its place. */
  set_tag_use (&s, 1, 9, "2026-01-01T00:00:00Z");
  g_list_store_remove (s.tags, 1);
  {
    g_autoptr(TtTag) meson = tt_tag_new (2, "Meson");
    g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);

    tt_tag_set_last_linked_at (meson, when);
    g_list_store_insert (s.tags, 1, meson);
  }
  assert_sidebar_names (&s, "Meson,Rust,café,GTK");

  sidebar_close (&s);
}

/* The text of the count label of the sidebar row showing @item. */
static const char *
row_count_text (Sidebar *s,
                guint    position)
{
  GtkWidget *tag_list = template_child (s->sidebar, TT_TYPE_TAG_SIDEBAR, "tag_list");
  g_autoptr(GtkWidget) window = NULL;
  GListModel *rows = G_LIST_MODEL (gtk_grid_view_get_model (GTK_GRID_VIEW (tag_list)));
  g_autoptr(GObject) item = g_list_model_get_item (rows, position);
  TtTagRow *row = TT_TAG_ROW (tt_tag_row_new ());
  GtkLabel *label;
  static char text[64];

  g_object_ref_sink (row);
  tt_tag_row_set_item (row, item);
  label = GTK_LABEL (gtk_widget_get_last_child (GTK_WIDGET (row)));
  g_strlcpy (text, gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_label (label) : "(hidden)",
             sizeof text);
  tt_tag_row_set_item (row, NULL);
  g_assert_finalize_object (row);
  return text;
}

/* "Untagged" shows its count once it is known; every count has the
 * locale's thousands separator (en_US here: build-aux/install-deps.sh
 * test generates it). */
static void
test_sidebar_counts (void)
{
  Sidebar s = { 0 };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));

  if (setlocale (LC_NUMERIC, "en_US.UTF-8") == NULL)
    {
      if (g_getenv ("CI") != NULL)
        g_error ("No locale en_US.UTF-8 here (build-aux/install-deps.sh test makes it)");
      g_test_skip ("en_US.UTF-8 is not generated here");
      return;
    }

  sidebar_open (&s);
  set_tag_use (&s, 0, 12345, NULL);
  g_assert_cmpstr (row_count_text (&s, 1), ==, "(hidden)");
  g_assert_cmpstr (row_count_text (&s, 0), ==, "(hidden)");
  tt_tag_sidebar_set_untagged_count (s.sidebar, 100000);
  g_assert_cmpstr (row_count_text (&s, 1), ==, "100,000");
  g_assert_cmpstr (row_count_text (&s, 2), ==, "12,345");
  g_assert_cmpstr (row_count_text (&s, 3), ==, "0");
  tt_tag_sidebar_set_untagged_count (s.sidebar, -1);
  g_assert_cmpstr (row_count_text (&s, 1), ==, "(hidden)");

  setlocale (LC_NUMERIC, saved);
  sidebar_close (&s);
}

/* Filtering 10 000 tags: each keystroke's main-thread time, which must
 * stay within a frame (16 ms). Printed for the record. */
static void
test_sidebar_filter_10000 (void)
{
  Sidebar s = { 0 };
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_object_unref);
  static const char * const keystrokes[] = { "t", "ta", "tag", "tag 1", "tag 12", "tag 123", "tag 12", "x", "" };
  gint64 worst = 0;

  sidebar_open (&s);
  /* Half with an accent, as names in many languages have. */
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf (i % 2 ? "Tag %u" : "Étiquette %u", i);

      g_ptr_array_add (many, tt_tag_new (100 + i, name));
    }
  g_list_store_splice (s.tags, 0, 0, many->pdata, many->len);
  /* Sorting and the first folding of the names: once, when the tags come. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (s.tags)), ==, 10003);
  for (guint i = 0; i < G_N_ELEMENTS (keystrokes); i++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 took;

      sidebar_type_filter (&s, keystrokes[i]);
      took = g_get_monotonic_time () - start;
      worst = MAX (worst, took);
      g_test_message ("filter \"%s\": %.2f ms", keystrokes[i], took / 1000.0);
    }
  g_test_message ("worst keystroke over 10 000 tags: %.2f ms", worst / 1000.0);
  sidebar_close (&s);
}

/* The list makes the rows it shows and some more (a one-column grid
 * view: about twice as many), not the 200 of GTK 4.8's list view: a filter keystroke makes them all again, so their
 * number is its cost (tests/bench-window.c times it at 10 000 tags). */
static void
test_sidebar_rows_made (void)
{
  Sidebar s = { 0 };
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *tag_list;
  guint made = 0, fit;

  sidebar_open (&s);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Tag %04u", i);

      g_ptr_array_add (many, tt_tag_new (100 + i, name));
    }
  g_list_store_splice (s.tags, 0, 0, many->pdata, many->len);
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 600);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (s.sidebar));
  gtk_window_present (GTK_WINDOW (window));
  spin (300);
  /* 271 of the tags have a 1: the list makes its rows again. */
  sidebar_type_filter (&s, "1");
  spin (300);

  tag_list = template_child (s.sidebar, TT_TYPE_TAG_SIDEBAR, "tag_list");
  for (GtkWidget *item = gtk_widget_get_first_child (tag_list); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    made += TT_IS_TAG_ROW (gtk_widget_get_first_child (item));
  /* Rows are at least 36 pixels high (the style's min-height). */
  fit = gtk_widget_get_height (tag_list) / 36 + 1;
  g_test_message ("%u rows made, %u fit", made, fit);
  g_assert_cmpuint (fit, >, 5);
  g_assert_cmpuint (made, >=, fit);
  g_assert_cmpuint (made, <=, 3 * fit);

  gtk_window_set_child (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  sidebar_close (&s);
}

/* ---- tests ----------------------------------------------------------- */

static void
test_window_smoke (void)
{
  Harness h = { 0 };

  if (!harness_open (&h))
    return;

  g_assert_cmpstr (list_page (&h), ==, "empty");

  new_tutorial (&h, "Getting Started with GTK");
  assert_tutorials (&h, "Getting Started with GTK[]");
  g_assert_cmpstr (shown_title (&h), ==, "Getting Started with GTK");
  g_assert_cmpstr (list_page (&h), ==, "list");

  add_tag (&h, "GTK");
  add_tag (&h, "Beginner");
  assert_tutorials (&h, "Getting Started with GTK[GTK,Beginner]");
  g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tags (h.controller)), ==, 2);

  new_tutorial (&h, "Rust Bindings");
  add_tag (&h, "GTK");
  assert_tutorials (&h, "Getting Started with GTK[GTK,Beginner] Rust Bindings[GTK]");

  click_tag (&h, "Beginner", FALSE);
  wait_settled (&h);
  assert_tutorials (&h, "Getting Started with GTK[GTK,Beginner]");

  click_tag (&h, "GTK", FALSE);
  wait_settled (&h);
  assert_tutorials (&h, "Getting Started with GTK[GTK,Beginner] Rust Bindings[GTK]");

  /* The tutorial filtered out of the list went from the editor too. */
  g_assert_null (shown_title (&h));
  click_tutorial (&h, 0);
  g_assert_cmpstr (shown_title (&h), ==, "Getting Started with GTK");
  remove_tag (&h, "GTK");
  assert_tutorials (&h, "Rust Bindings[GTK]");
  g_assert_null (shown_title (&h));

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* Ctrl+click adds a tag to the filter; Any/All decides. */
static void
test_window_filter_many (void)
{
  Harness h = { 0 };

  if (!harness_open (&h))
    return;

  new_tutorial (&h, "One");
  add_tag (&h, "a");
  add_tag (&h, "b");
  new_tutorial (&h, "Two");
  add_tag (&h, "b");
  new_tutorial (&h, "Three");

  click_tag (&h, "a", FALSE);
  wait_settled (&h);
  click_tag (&h, "b", TRUE);
  wait_settled (&h);
  assert_tutorials (&h, "One[a,b] Two[b]");

  gtk_widget_activate_action (GTK_WIDGET (get_sidebar (&h)), "sidebar.tag-match", "s", "all");
  wait_settled (&h);
  assert_tutorials (&h, "One[a,b]");

  /* "Untagged" replaces the tags. */
  gtk_widget_activate_action (GTK_WIDGET (get_tag_list (&h)),
                              "list.select-item", "(ubb)", 1, TRUE, FALSE);
  wait_settled (&h);
  assert_tutorials (&h, "Three[]");

  harness_close (&h);
}

static void
test_window_search (void)
{
  Harness h = { 0 };
  GtkEditable *entry;

  if (!harness_open (&h))
    return;

  new_tutorial (&h, "Building with Meson");
  new_tutorial (&h, "Packaging with Flatpak");

  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.search", NULL);
  entry = template_child (h.window, TT_TYPE_WINDOW, "search_entry");
  gtk_editable_set_text (entry, "meson");
  spin (300);
  wait_settled (&h);
  assert_tutorials (&h, "Building with Meson[]");

  gtk_editable_set_text (entry, "nothing like it");
  spin (300);
  wait_settled (&h);
  assert_tutorials (&h, "");
  g_assert_cmpstr (list_page (&h), ==, "no-results");

  harness_close (&h);
}

/* A title the rules refuse is not sent: the row says why and keeps what
 * was typed; the next valid one is saved. */
static void
test_window_edit_keeps_text (void)
{
  Harness h = { 0 };
  g_autofree char *too_long = g_strnfill (300, 'x');
  GtkEditable *title_row;

  if (!harness_open (&h))
    return;

  new_tutorial (&h, "Short");
  title_row = template_child (get_editor (&h), TT_TYPE_TUTORIAL_EDITOR, "title_row");

  gtk_editable_set_text (title_row, too_long);
  spin (600);
  wait_settled (&h);
  g_assert_cmpuint (h.n_errors, ==, 0);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (title_row), "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (title_row)), ==,
                   "A title can have at most 255 characters");
  assert_tutorials (&h, "Short[]");
  g_assert_cmpstr (gtk_editable_get_text (title_row), ==, too_long);

  gtk_editable_set_text (title_row, "Shorter again");
  spin (600);
  wait_settled (&h);
  assert_tutorials (&h, "Shorter again[]");

  harness_close (&h);
}

/* Delete, then Undo from the toast: the tutorial is back with its tags.
 * In between, the next tutorial is selected in its place. */
static void
test_window_delete_undo (void)
{
  Harness h = { 0 };
  g_autofree char *undo_label = NULL;
  GMenuModel *history;

  if (!harness_open (&h))
    return;

  new_tutorial (&h, "Next");
  new_tutorial (&h, "Doomed");
  add_tag (&h, "kept");
  assert_tutorials (&h, "Doomed[kept] Next[]");

  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.delete-selection", NULL);
  wait_settled (&h);
  assert_tutorials (&h, "Next[]");
  g_assert_cmpstr (shown_title (&h), ==, "Next");
  /* The menu says what Undo would do. */
  history = template_child (h.window, TT_TYPE_WINDOW, "history_section");
  g_assert_true (g_menu_model_get_item_attribute (history, 0, "label", "s", &undo_label));
  g_assert_true (g_str_has_prefix (undo_label, "Undo "));
  g_assert_nonnull (strstr (undo_label, "Doomed"));

  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.undo-many", "u", 1);
  wait_settled (&h);
  assert_tutorials (&h, "Doomed[kept] Next[]");

  /* The last one: the empty state. */
  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.delete-selection", NULL);
  wait_settled (&h);
  click_tutorial (&h, 0);
  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.delete-selection", NULL);
  wait_settled (&h);
  assert_tutorials (&h, "");
  g_assert_cmpstr (list_page (&h), ==, "empty");

  harness_close (&h);
}

/* Closing the window right after typing still saves what was typed: the
 * window waits, hidden, for the catalogue. */
static void
test_window_close_saves (void)
{
  Harness h = { 0 };
  g_autoptr(TtTutorial) saved = NULL;
  g_autoptr(GError) error = NULL;
  GtkEditable *title_row;
  TtWindow *window;
  gint64 id;

  if (!harness_open (&h))
    return;

  new_tutorial (&h, "Draft");
  id = tt_tutorial_get_id (tt_tutorial_editor_get_tutorial (get_editor (&h)));
  title_row = template_child (get_editor (&h), TT_TYPE_TUTORIAL_EDITOR, "title_row");
  gtk_editable_set_text (title_row, "Typed just before closing");

  window = h.window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &h.window);
  gtk_window_close (GTK_WINDOW (window));
  while (h.window != NULL)
    g_main_context_iteration (NULL, TRUE);

  saved = tt_store_get_tutorial (h.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tutorial_get_title (saved), ==, "Typed just before closing");

  g_signal_handlers_disconnect_by_data (h.controller, &h);
  g_assert_finalize_object (h.controller);
  tt_store_close (h.store);
  g_assert_finalize_object (h.store);
}

static gboolean
is_label_starting (GtkWidget     *widget,
                   gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix);
}

/* A label (a toast's, say) on show that starts with @prefix, if any. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *prefix)
{
  return tt_test_find_widget (root, is_label_starting, prefix);
}

/* Until a label starting with @prefix is on show (@shown) or gone, for
 * at most 10 s: toasts queue behind each other and animate in and out,
 * and on a loaded machine a key is handled late. Returns the label. */
static GtkWidget *
wait_label (Harness    *h,
            const char *prefix,
            gboolean    shown)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((find_label (GTK_WIDGET (h->window), prefix) != NULL) != shown &&
         g_get_monotonic_time () < deadline)
    spin (50);
  return find_label (GTK_WIDGET (h->window), prefix);
}

static gboolean
shows_title_from_elsewhere (Harness *h)
{
  GtkEditable *title_row = template_child (get_editor (h), TT_TYPE_TUTORIAL_EDITOR, "title_row");

  return g_strcmp0 (gtk_editable_get_text (title_row), "Renamed elsewhere") == 0 &&
         find_label (GTK_WIDGET (h->window), "Someone else changed this tutorial") != NULL;
}

/* Another client renames the tutorial on screen: the editor shows the new
 * title, and a toast says who did it (the last write wins). */
static void
test_window_changed_elsewhere (void)
{
  Harness h = { 0 };
  g_autoptr(TtStore) other = NULL;
  g_autoptr(TtTutorial) renamed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "Mine");
  g_assert_cmpstr (shown_title (&h), ==, "Mine");
  g_assert_null (find_label (GTK_WIDGET (h.window), "Someone else"));

  other = tt_test_reopen_store ();
  renamed = tt_store_update_tutorial (other, tt_tutorial_get_id (tt_tutorial_editor_get_tutorial (get_editor (&h))),
                                      "Renamed elsewhere", "", &error);
  g_assert_no_error (error);

  /* The change check runs every 2 s. */
  deadline = g_get_monotonic_time () + 6 * G_USEC_PER_SEC;
  while (!shows_title_from_elsewhere (&h) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
  g_assert_true (shows_title_from_elsewhere (&h));

  harness_close (&h);
}

static void
copy_changed_cb (TtTutorialEditor *editor,
                 gboolean          kept_typing,
                 int              *said)
{
  *said = kept_typing ? 1 : 0;
}

/* A newer copy while the person types: their text stays, and the editor
 * says it kept it; a copy with the same texts says nothing. */
static void
test_window_copy_while_typing (void)
{
  Harness h = { 0 };
  TtTutorialEditor *editor;
  GtkEditable *title_row;
  g_autoptr(TtTutorial) theirs = NULL;
  g_autoptr(TtTutorial) same = NULL;
  int said = -1;
  gint64 id;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "Mine");
  editor = get_editor (&h);
  g_signal_connect (editor, "copy-changed", G_CALLBACK (copy_changed_cb), &said);
  id = tt_tutorial_get_id (tt_tutorial_editor_get_tutorial (editor));

  same = tt_tutorial_new (id, "Mine", "");
  tt_tutorial_editor_set_tutorial (editor, same);
  g_assert_cmpint (said, ==, -1);

  title_row = template_child (editor, TT_TYPE_TUTORIAL_EDITOR, "title_row");
  gtk_editable_set_text (title_row, "Typed here");
  theirs = tt_tutorial_new (id, "Theirs", "");
  tt_tutorial_editor_set_tutorial (editor, theirs);
  g_assert_cmpint (said, ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (title_row), ==, "Typed here");

  spin (600);
  wait_settled (&h);
  assert_tutorials (&h, "Typed here[]");
  harness_close (&h);
}

#define BIG_CATALOGUE 3000

static void
press_list_keys (Harness *h,
                 guint    keyval,
                 guint    times)
{
  for (guint i = 0; i < times; i++)
    {
      press_list_key (h, keyval);
      wait_frame (h);
    }
}

/* A tutorial not loaded yet is shown as such: nothing in the fields,
 * nothing to type in. */
static void
assert_shows_unloaded (Harness *h)
{
  TtTutorialEditor *editor = get_editor (h);
  GtkWidget *title_row = template_child (editor, TT_TYPE_TUTORIAL_EDITOR, "title_row");

  g_assert_nonnull (tt_tutorial_editor_get_tutorial (editor));
  g_assert_null (shown_title (h));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title_row)), ==, "");
  g_assert_false (gtk_widget_is_sensitive (title_row));
}

/* The title field shows the title of the tutorial shown, once loaded. */
static void
assert_shows_loaded (Harness *h)
{
  GtkWidget *title_row = template_child (get_editor (h), TT_TYPE_TUTORIAL_EDITOR, "title_row");

  g_assert_nonnull (shown_title (h));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title_row)), ==, shown_title (h));
  g_assert_true (gtk_widget_is_sensitive (title_row));
}

/* Moving the selection onto rows not loaded yet, in every direction, and
 * on again before or after they load, writes nothing (issue "navigation
 * must never write"). Sorted by creation, newest first, only the first
 * rows are loaded when the window opens. */
static void
test_window_navigation_never_writes (void)
{
  Harness h = { 0 };
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *before = NULL;
  g_autofree char *changes = NULL;

  g_settings_set_string (settings, "sort-key", "created");
  if (!harness_open_filled (&h, BIG_CATALOGUE))
    return;
  before = describe_catalogue (&h);

  click_tutorial (&h, 4);
  press_list_key (&h, GDK_KEY_End);
  assert_shows_unloaded (&h);
  wait_settled (&h);
  assert_shows_loaded (&h);
  press_list_keys (&h, GDK_KEY_Page_Up, 10);
  wait_settled (&h);
  press_list_key (&h, GDK_KEY_Home);
  press_list_keys (&h, GDK_KEY_Page_Down, 10);
  wait_settled (&h);

  /* From one row not loaded to another, with no time to load either. */
  click_tutorial (&h, BIG_CATALOGUE / 2);
  assert_shows_unloaded (&h);
  click_tutorial (&h, BIG_CATALOGUE / 3);
  wait_settled (&h);
  assert_shows_loaded (&h);
  spin (600);
  wait_settled (&h);

  changes = catalogue_changes (before, describe_catalogue (&h));
  g_assert_cmpstr (changes, ==, "");
  g_assert_false (tt_controller_get_can_undo (h.controller));
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
  g_settings_reset (settings, "sort-key");
  /* Choosing "created" turned the list to newest first. */
  g_settings_reset (settings, "sort-direction");
}

/* Typed, then straight to a row not loaded yet: what was typed is sent
 * for the tutorial it was typed for, and the next one stays as it was. */
static void
test_window_typed_then_unloaded (void)
{
  Harness h = { 0 };
  g_autoptr(TtTutorial) typed_for = NULL;
  g_autoptr(TtTutorial) next = NULL;
  g_autoptr(GError) error = NULL;
  GtkEditable *title_row;
  gint64 typed_id, next_id;

  if (!harness_open_filled (&h, 400))
    return;

  click_tutorial (&h, 4);
  typed_id = tt_tutorial_get_id (tt_tutorial_editor_get_tutorial (get_editor (&h)));
  title_row = template_child (get_editor (&h), TT_TYPE_TUTORIAL_EDITOR, "title_row");
  gtk_editable_set_text (title_row, "Typed, then away");
  click_tutorial (&h, 350);
  assert_shows_unloaded (&h);
  next_id = tt_tutorial_get_id (tt_tutorial_editor_get_tutorial (get_editor (&h)));
  wait_settled (&h);
  assert_shows_loaded (&h);
  spin (600);
  wait_settled (&h);

  typed_for = tt_store_get_tutorial (h.store, typed_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tutorial_get_title (typed_for), ==, "Typed, then away");
  next = tt_store_get_tutorial (h.store, next_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tutorial_get_title (next), ==, "Tutorial 0350");
  g_assert_cmpstr (tt_tutorial_get_description (next), ==, "All about number 350");
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* Undo in a field takes back typing done for the tutorial shown, never
 * what was typed for the one before, even when both say the same. */
static void
test_window_undo_stays_with_tutorial (void)
{
  Harness h = { 0 };
  GtkTextView *description_view;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "First");
  new_tutorial (&h, "Second");
  description_view = template_child (get_editor (&h), TT_TYPE_TUTORIAL_EDITOR, "description_view");
  buffer = gtk_text_view_get_buffer (description_view);

  click_tutorial (&h, 0);
  gtk_text_buffer_insert_at_cursor (buffer, "typed for First", -1);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  g_assert_true (gtk_text_buffer_get_can_undo (buffer));
  click_tutorial (&h, 1);
  g_assert_cmpstr (shown_title (&h), ==, "Second");
  g_assert_false (gtk_text_buffer_get_can_undo (buffer));

  harness_close (&h);
}

/* Deleting a tutorial before its row is loaded: the toast cannot name
 * it, and says how many instead. */
static void
test_window_delete_unloaded (void)
{
  Harness h = { 0 };

  if (!harness_open_filled (&h, 400))
    return;

  click_tutorial (&h, 350);
  assert_shows_unloaded (&h);
  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.delete-selection", NULL);
  g_assert_nonnull (find_label (GTK_WIDGET (h.window), "1 tutorial deleted"));
  wait_settled (&h);
  g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tutorials (h.controller)), ==, 399);
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* A new tag's chip removed before the store has made the tag: the
 * removal goes by name, after the add, so the tutorial ends without the
 * tag, nothing fails, and the chip is not back once all is done. */
static void
test_window_remove_new_tag_at_once (void)
{
  Harness h = { 0 };
  g_autoptr(TtTag) chip_tag = NULL;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "Tagged");

  type_in_tags (&h, "Brand new");
  press_tag_key (&h, GDK_KEY_Return);
  assert_chips (&h, "Brand new");
  chip_tag = g_list_model_get_item (tt_tag_editor_get_tags (get_tag_editor (&h)), 0);
  g_assert_cmpint (tt_tag_get_id (chip_tag), ==, 0);
  press_tag_key (&h, GDK_KEY_BackSpace);
  press_tag_key (&h, GDK_KEY_BackSpace);
  assert_chips (&h, "");
  wait_settled (&h);

  assert_tutorials (&h, "Tagged[]");
  assert_chips (&h, "");
  g_assert_cmpuint (h.n_errors, ==, 0);
  g_assert_null (find_label (GTK_WIDGET (h.window), "It was deleted"));
  harness_close (&h);
}

/* A tag taken from the suggestions is the catalogue's own, id and all,
 * from the start: removing its chip at once removes that tag. */
static void
test_window_remove_suggested_tag_at_once (void)
{
  Harness h = { 0 };
  g_autoptr(TtTag) gtk_tag = NULL;
  g_autoptr(TtTag) chip_tag = NULL;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "First");
  add_tag (&h, "GTK");
  gtk_tag = g_list_model_get_item (tt_controller_get_tags (h.controller), 0);
  new_tutorial (&h, "Second");

  type_in_tags (&h, "gt");
  press_tag_key (&h, GDK_KEY_Down);
  press_tag_key (&h, GDK_KEY_Return);
  assert_chips (&h, "GTK");
  chip_tag = g_list_model_get_item (tt_tag_editor_get_tags (get_tag_editor (&h)), 0);
  g_assert_cmpint (tt_tag_get_id (chip_tag), ==, tt_tag_get_id (gtk_tag));
  press_tag_key (&h, GDK_KEY_BackSpace);
  press_tag_key (&h, GDK_KEY_BackSpace);
  wait_settled (&h);

  assert_tutorials (&h, "First[GTK] Second[]");
  assert_chips (&h, "");
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* The sidebar's dialogs, reached as a person reaches them: F2 renames
 * the tag chosen, Delete with the focus on it deletes it, and its row's
 * menu and Ctrl+Shift+N open theirs wherever the focus is. */
static gboolean
is_entry (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_ENTRY (widget);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static void
test_window_tag_dialogs (void)
{
  Harness h = { 0 };
  GtkWidget *undo;

  if (!harness_open (&h))
    return;

  new_tutorial (&h, "One");
  add_tag (&h, "GTK");
  new_tutorial (&h, "Two");
  click_tag (&h, "GTK", FALSE);
  wait_settled (&h);
  assert_tutorials (&h, "One[GTK]");

  press_shortcut (&h, "F2");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (find_dialog ("Rename Tag"))),
                         "GTK 4");
  answer_dialog ("Rename Tag", "apply");
  wait_settled (&h);
  assert_tutorials (&h, "One[GTK 4]");
  g_assert_cmpstr (list_title (&h), ==, "GTK 4");

  gtk_widget_activate_action (tag_row (&h, "GTK 4"), "tag-row.rename", NULL);
  answer_dialog ("Rename Tag", "cancel");

  click_tutorial (&h, 0);
  gtk_widget_grab_focus (gtk_widget_get_parent (tag_row (&h, "GTK 4")));
  press_keys (&h, "Delete");
  assert_no_dialog ();
  wait_settled (&h);
  assert_tutorials (&h, "One[] Two[]");
  g_assert_cmpstr (list_title (&h), ==, "All Tutorials");

  /* The toast's Undo button, clicked: it undoes, and the toast goes once
   * (dismissed twice, libadwaita 1.2 freed it twice). */
  undo = tt_test_find_widget (GTK_WIDGET (h.window), is_button_labelled, "_Undo");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  wait_settled (&h);
  assert_tutorials (&h, "One[GTK 4] Two[]");
  g_assert_null (wait_label (&h, "Tag “GTK 4” deleted", FALSE));

  press_shortcut (&h, "<Control><Shift>n");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (find_dialog ("New Tag"))),
                         "Rust");
  answer_dialog ("New Tag", "apply");
  wait_settled (&h);
  g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tags (h.controller)), ==, 2);

  /* Renaming onto an existing name merges, after a question in the
   * dialog's body (a heading does not wrap a long name). */
  gtk_widget_activate_action (tag_row (&h, "Rust"), "tag-row.rename", NULL);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (find_dialog ("Rename Tag"))),
                         "GTK 4");
  answer_dialog ("Rename Tag", "apply");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (find_dialog (NULL)),
                                   "Merge into “GTK 4”? “Rust” goes away"));
  answer_dialog (NULL, "merge");
  wait_settled (&h);
  g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tags (h.controller)), ==, 1);

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* Add a Tag… on a multi-selection can make a new tag: typed into the
 * dialog's entry, made and given to every selected tutorial at once,
 * one Undo takes it all back. With no tags yet, the dialog still opens. */
static void
test_window_add_new_tag_to_selection (void)
{
  Harness h = { 0 };
  GtkGridView *tutorial_list;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  new_tutorial (&h, "Two");
  tutorial_list = template_child (h.window, TT_TYPE_WINDOW, "tutorial_list");
  gtk_widget_activate_action (GTK_WIDGET (tutorial_list), "list.select-all", NULL);
  wait_settled (&h);

  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.add-tag-to-selection", NULL);
  dialog = find_dialog ("Add a Tag to 2 Tutorials");
  entry = tt_test_find_widget (adw_message_dialog_get_extra_child (dialog), is_entry, NULL);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "  Brand new ");
  answer_dialog ("Add a Tag to 2 Tutorials", "apply");
  wait_settled (&h);
  assert_tutorials (&h, "One[Brand new] Two[Brand new]");
  g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tags (h.controller)), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (h.window), "edit.undo", NULL);
  wait_settled (&h);
  assert_tutorials (&h, "One[] Two[]");
  g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tags (h.controller)), ==, 0);
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* The main menu's Delete Unused Tags…: the question lists them, one
 * command deletes them, the toast's Undo brings them all back; with
 * every tag in use it says so and asks nothing. */
static void
test_window_delete_unused_tags (void)
{
  Harness h = { 0 };
  GListModel *tags;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  add_tag (&h, "GTK");
  gtk_widget_activate_action (GTK_WIDGET (h.window), "tag.create", "s", "Old");
  gtk_widget_activate_action (GTK_WIDGET (h.window), "tag.create", "s", "Older");
  wait_settled (&h);
  tags = tt_controller_get_tags (h.controller);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 3);

  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.delete-unused-tags", NULL);
  g_assert_cmpstr (adw_message_dialog_get_body (find_dialog (NULL)), ==,
                   "Delete the 2 tags no tutorial has? “Old”, “Older”. Undo brings them back.");
  spin (300);
  save_screen_screenshot ("delete-unused-tags.png");
  answer_dialog (NULL, "delete");
  wait_settled (&h);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 1);
  assert_tutorials (&h, "One[GTK]");
  g_assert_nonnull (wait_label (&h, "2 unused tags deleted", TRUE));

  g_signal_emit_by_name (tt_test_find_widget (GTK_WIDGET (h.window), is_button_labelled, "_Undo"),
                         "clicked");
  wait_settled (&h);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 3);

  /* Nothing unused once they are used. */
  add_tag (&h, "Old");
  add_tag (&h, "Older");
  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.delete-unused-tags", NULL);
  assert_no_dialog ();
  /* Once the toast before it has gone (toasts queue). */
  g_assert_nonnull (wait_label (&h, "Every tag is in use", TRUE));
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* The focus is on the sidebar's row of the tag called @name. */
static gboolean
focus_is_on_tag (Harness    *h,
                 const char *name)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (h->window));
  GtkWidget *item = gtk_widget_get_parent (tag_row (h, name));

  g_test_message ("The focus is on a %s", focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "nothing");
  return focus != NULL && (focus == item || gtk_widget_is_ancestor (focus, item));
}

/* Whether the focus comes to the row of @name within 5 s (the list
 * makes the row where the new name sorts it on a later frame). */
static gboolean
focus_comes_to_tag (Harness    *h,
                    const char *name)
{
  for (guint i = 0; i < 250 && !focus_is_on_tag (h, name); i++)
    spin (20);
  return focus_is_on_tag (h, name);
}

/* Until the window has a tag called @name (a dialog answers later). */
static void
wait_for_tag (Harness    *h,
              const char *name)
{
  GListModel *tags = tt_controller_get_tags (h->controller);

  for (guint tries = 0; tries < 100; tries++)
    {
      for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
        {
          g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

          if (g_str_equal (tt_tag_get_name (tag), name))
            {
              wait_settled (h);
              return;
            }
        }
      spin (20);
    }
  g_error ("No tag “%s” came", name);
}

static void
type_in_dialog (const char *heading,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (find_dialog (heading))), text);
}

/* Renaming onto another tag's name says it merges while the name is
 * typed; after the rename or the merge the focus is on the tag's row,
 * where F2 left it, wherever the new name sorts it. */
static void
test_window_rename_merge_hint_and_focus (void)
{
  Harness h = { 0 };

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  add_tag (&h, "GTK");
  add_tag (&h, "Rust");
  wait_settled (&h);

  click_tag (&h, "Rust", FALSE);
  wait_settled (&h);
  gtk_widget_grab_focus (gtk_widget_get_parent (tag_row (&h, "Rust")));
  press_keys (&h, "F2");
  wait_for_dialog ("Rename Tag");
  type_in_dialog ("Rename Tag", "gtk");
  g_assert_cmpstr (adw_message_dialog_get_body (find_dialog ("Rename Tag")), ==, "Will merge into “GTK”.");
  type_in_dialog ("Rename Tag", "Ada");
  g_assert_cmpstr (adw_message_dialog_get_body (find_dialog ("Rename Tag")), ==, "");
  press_keys_in (GTK_WINDOW (find_dialog ("Rename Tag")), "Return");
  wait_for_tag (&h, "Ada");
  g_assert_true (focus_comes_to_tag (&h, "Ada"));

  /* From the row's menu with the mouse, the focus in the tutorials. */
  click_tutorial (&h, 0);
  gtk_widget_grab_focus (template_child (h.window, TT_TYPE_WINDOW, "tutorial_list"));
  gtk_widget_activate_action (tag_row (&h, "Ada"), "tag-row.rename", NULL);
  type_in_dialog ("Rename Tag", "Zig");
  press_keys_in (GTK_WINDOW (find_dialog ("Rename Tag")), "Return");
  wait_for_tag (&h, "Zig");
  g_assert_true (focus_comes_to_tag (&h, "Zig"));

  /* From the row's menu by keyboard (Shift+F10, Rename…), a merge. */
  press_keys (&h, "<Shift>F10");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tag_row_menu (&h, "Zig"))));
  press_keys (&h, "Return");
  wait_for_dialog ("Rename Tag");
  type_in_dialog ("Rename Tag", "GTK");
  press_keys_in (GTK_WINDOW (find_dialog ("Rename Tag")), "Return");
  press_keys_in (GTK_WINDOW (wait_for_dialog (NULL)), "Return");
  for (guint i = 0; i < 100 && g_list_model_get_n_items (tt_controller_get_tags (h.controller)) > 1; i++)
    spin (20);
  wait_settled (&h);
  g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tags (h.controller)), ==, 1);
  g_assert_true (focus_comes_to_tag (&h, "GTK"));

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* The narrowest the window goes (the leaflets folded): a phone's 360 px,
 * whichever window buttons the desktop shows in the header bars. */
static void
test_window_narrow_any_buttons (void)
{
  static const char * const layouts[] = {
    "menu:close",
    "menu:minimize,maximize,close",
    "close,minimize,maximize:menu",
    "icon:minimize,maximize,close",
  };
  GtkSettings *settings = gtk_settings_get_default ();
  g_autofree char *before = NULL;
  Harness h = { 0 };

  h.store = tt_test_open_store ();
  if (h.store == NULL)
    return;
  g_object_get (settings, "gtk-decoration-layout", &before, NULL);
  harness_show_sized (&h, 360, 720);
  new_tutorial (&h, "One");
  add_tag (&h, "GTK");

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      int minimum = 0, window_minimum = 0;

      g_object_set (settings, "gtk-decoration-layout", layouts[i], NULL);
      wait_frame (&h);
      /* Its content: the frame around it is the window's own (Xvfb,
       * without a compositor, gets GTK's 5 px solid-CSD frame; a phone
       * shows the window maximized, without one). */
      gtk_widget_measure (gtk_window_get_child (GTK_WINDOW (h.window)), GTK_ORIENTATION_HORIZONTAL, -1,
                          &minimum, NULL, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (h.window), GTK_ORIENTATION_HORIZONTAL, -1,
                          &window_minimum, NULL, NULL, NULL);
      g_test_message ("%s: at least %d px wide (the window with its frame: %d)",
                      layouts[i], minimum, window_minimum);
      g_assert_cmpint (minimum, <=, 360);
      if (g_str_equal (layouts[i], "menu:minimize,maximize,close"))
        {
          save_screenshot (&h, "narrow-360-editor.png");
          gtk_widget_activate_action (GTK_WIDGET (h.window), "win.show-list", NULL);
          save_screenshot (&h, "narrow-360-list.png");
        }
    }

  g_object_set (settings, "gtk-decoration-layout", before, NULL);
  harness_close (&h);
}

/* The tag field's placeholder ("Add a tag…", in German "Schlagwort
 * hinzufügen …") is read whole after each chip, wherever the chips leave
 * the field: not cut short while there is room for it. */
static void
test_window_tag_placeholder_fits (void)
{
  static const char * const tags[] = {
    "GTK", "C", "Rust", "Python", "Databases", "GNOME", "Accessibility",
    "Meson", "libadwaita", "SQL", "Performance", "Testing", "i18n",
  };
  g_autofree char *placeholder = NULL;
  Harness h = { 0 };

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  placeholder = g_strdup (tt_tag_editor_get_placeholder_text (get_tag_editor (&h)));
  g_test_message ("The placeholder: %s", placeholder);
  tt_test_assert_translated (placeholder, "Add a tag…");

  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      GtkWidget *label;

      add_tag (&h, tags[i]);
      wait_frame (&h);
      label = tt_test_find_widget (GTK_WIDGET (get_tag_editor (&h)), tt_test_is_label_of, placeholder);
      g_assert_nonnull (label);
      g_test_message ("%u chips: the placeholder %d px wide", i + 1, gtk_widget_get_width (label));
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
    }
  save_screenshot (&h, "tag-placeholder.png");

  harness_close (&h);
}

/* A tutorial the Node.js app wrote without a title is a tutorial, not a
 * placeholder for a row not read yet: it can be given a title. */
static void
test_window_untitled_is_editable (void)
{
  Harness h = { 0 };
  g_autoptr(GdaConnection) raw = NULL;
  GtkEditable *title_row;

  h.store = tt_test_open_store ();
  if (h.store == NULL)
    return;

  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "INSERT INTO tutorials (title, description, createdAt, updatedAt)"
                         " VALUES (NULL, 'From Node', '2026-01-01 00:00:00', '2026-01-01 00:00:00')");
  harness_show (&h);
  click_tutorial (&h, 0);
  wait_settled (&h);

  title_row = template_child (get_editor (&h), TT_TYPE_TUTORIAL_EDITOR, "title_row");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (title_row)));
  gtk_editable_set_text (title_row, "Named at last");
  spin (600);
  wait_settled (&h);
  assert_tutorials (&h, "Named at last[]");
  g_assert_cmpuint (h.n_errors, ==, 0);

  harness_close (&h);
}


/* ---- the keyboard ---------------------------------------------------- */

static const char *
tag_field_text (Harness *h)
{
  return gtk_editable_get_text (GTK_EDITABLE (_tt_tag_editor_get_text (get_tag_editor (h))));
}

/* Typed one key at a time, as a person types. */
static void
type_keys (Harness    *h,
           const char *text)
{
  for (const char *c = text; *c != '\0'; c++)
    {
      char key[2] = { *c, '\0' };

      press_keys (h, key);
    }
}

/* Ctrl+Z in the tag field after Enter: the typing became a command (the
 * chip), so Ctrl+Z undoes the command and does not bring the text back. */
static void
test_window_keys_undo_in_tag_field (void)
{
  Harness h = { 0 };

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "Tagged");

  tt_tag_editor_grab_entry_focus (get_tag_editor (&h));
  type_keys (&h, "zzz");
  press_keys (&h, "Return");
  wait_settled (&h);
  assert_chips (&h, "zzz");
  assert_tutorials (&h, "Tagged[zzz]");

  press_keys (&h, "<Control>z");
  wait_settled (&h);
  assert_tutorials (&h, "Tagged[]");
  assert_chips (&h, "");
  g_assert_cmpstr (tag_field_text (&h), ==, "");
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* In the title field, Ctrl+Z takes back typing not saved yet, as any
 * text field does; once the typing is saved (a command), Ctrl+Z undoes
 * that command, and Redo can bring it back. */
static void
test_window_keys_undo_in_title (void)
{
  Harness h = { 0 };
  GtkEditable *title_row;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "Old");
  title_row = template_child (get_editor (&h), TT_TYPE_TUTORIAL_EDITOR, "title_row");
  gtk_widget_grab_focus (GTK_WIDGET (title_row));
  gtk_editable_set_position (title_row, -1);

  /* Unsaved: the field's own undo, and nothing is sent. */
  type_keys (&h, "x");
  press_keys (&h, "<Control>z");
  g_assert_cmpstr (gtk_editable_get_text (title_row), ==, "Old");
  spin (600);
  wait_settled (&h);
  assert_tutorials (&h, "Old[]");

  /* Saved: the command. */
  type_keys (&h, "er");
  spin (600);
  wait_settled (&h);
  assert_tutorials (&h, "Older[]");
  press_keys (&h, "<Control>z");
  wait_settled (&h);
  spin (600);
  wait_settled (&h);
  assert_tutorials (&h, "Old[]");
  g_assert_cmpstr (gtk_editable_get_text (title_row), ==, "Old");
  g_assert_nonnull (tt_controller_get_redo_label (h.controller));

  press_keys (&h, "<Control><Shift>z");
  wait_settled (&h);
  assert_tutorials (&h, "Older[]");
  g_assert_cmpstr (gtk_editable_get_text (title_row), ==, "Older");
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

static gboolean
is_all_tutorials_row (GtkWidget     *widget,
                      gconstpointer  data)
{
  GObject *item = TT_IS_TAG_ROW (widget) ? tt_tag_row_get_item (TT_TAG_ROW (widget)) : NULL;

  return GTK_IS_STRING_OBJECT (item) &&
         g_str_equal (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), TT_TAG_ROW_ALL);
}

static GtkWidget *
all_tutorials_row (Harness *h)
{
  GtkWidget *row;

  wait_frame (h);
  row = tt_test_find_widget (GTK_WIDGET (get_tag_list (h)), is_all_tutorials_row, NULL);
  g_assert_nonnull (row);
  return row;
}

/* Delete on a tag of the sidebar that has the focus asks to delete it. */
static void
test_window_keys_delete_tag (void)
{
  Harness h = { 0 };

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  add_tag (&h, "GTK");
  new_tutorial (&h, "Two");

  /* To the tag with the keyboard, as a person without a mouse does
   * (the list may take the first Down to focus its first row). */
  gtk_widget_grab_focus (GTK_WIDGET (get_tag_list (&h)));
  for (guint i = 0; i < 4 && g_strcmp0 (list_title (&h), "GTK") != 0; i++)
    press_keys (&h, "Down");
  wait_settled (&h);
  g_assert_cmpstr (list_title (&h), ==, "GTK");
  assert_tutorials (&h, "One[GTK]");
  press_keys (&h, "Delete");
  assert_no_dialog ();
  wait_settled (&h);
  assert_tutorials (&h, "One[] Two[]");
  g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tags (h.controller)), ==, 0);
  g_assert_nonnull (wait_label (&h, "Tag “GTK” deleted", TRUE));

  /* Ctrl+Z undoes it, and the toast's Undo would now undo something
   * else: the toast goes. */
  press_keys (&h, "<Control>z");
  wait_settled (&h);
  assert_tutorials (&h, "One[GTK] Two[]");
  g_assert_null (wait_label (&h, "Tag “GTK” deleted", FALSE));

  /* On "All Tutorials" Delete deletes nothing: not the tutorial selected
   * in the list, which the person is not looking at. */
  click_tutorial (&h, 0);
  gtk_widget_grab_focus (gtk_widget_get_parent (all_tutorials_row (&h)));
  press_keys (&h, "Delete");
  wait_settled (&h);
  assert_tutorials (&h, "One[GTK] Two[]");
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* Up, Down, Home and End move along the sidebar's rows from the one
 * chosen, choosing each, however the list got the focus: Escape in an
 * empty filter gives it to the list as a whole (GTK 4.8's grid view
 * then focused no row, and Down moved nothing). */
static void
test_window_keys_sidebar_rows (void)
{
  Harness h = { 0 };

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  add_tag (&h, "GTK");
  add_tag (&h, "Rust");
  click_tag (&h, "GTK", FALSE);
  g_assert_cmpstr (list_title (&h), ==, "GTK");

  gtk_widget_grab_focus (template_child (get_sidebar (&h), TT_TYPE_TAG_SIDEBAR, "filter_entry"));
  press_keys (&h, "Escape");
  press_keys (&h, "Down");
  g_assert_cmpstr (list_title (&h), ==, "Rust");
  press_keys (&h, "Up");
  press_keys (&h, "Up");
  g_assert_cmpstr (list_title (&h), ==, "Untagged");
  press_keys (&h, "End");
  g_assert_cmpstr (list_title (&h), ==, "Rust");
  press_keys (&h, "Home");
  g_assert_cmpstr (list_title (&h), ==, "All Tutorials");
  press_keys (&h, "Up");
  g_assert_cmpstr (list_title (&h), ==, "All Tutorials");
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

static GtkWidget *tutorial_row (Harness    *h,
                                const char *title);

/* The position of the first selected tutorial, or -1. */
static int
selected_tutorial (Harness *h)
{
  GtkGridView *list = template_child (h->window, TT_TYPE_WINDOW, "tutorial_list");
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (gtk_grid_view_get_model (list));

  return gtk_bitset_is_empty (selected) ? -1 : (int) gtk_bitset_get_minimum (selected);
}

/* A window with the tutorials One, Two, Three (and Four with @four);
 * FALSE when the test must skip. */
static gboolean
open_with_tutorials (Harness  *h,
                     gboolean  four)
{
  if (!harness_open (h))
    return FALSE;
  new_tutorial (h, "One");
  new_tutorial (h, "Two");
  new_tutorial (h, "Three");
  if (four)
    new_tutorial (h, "Four");
  return TRUE;
}

/* Up and Down move along the tutorials from the one chosen, however the
 * list got the focus: Escape in the search gives it to the list as a
 * whole, the window having chosen the row itself (a new tutorial). (The
 * tag sidebar's grid view lost its Up/Down in such cases,
 * tt-tag-sidebar.c; the tutorial list keeps them, and this holds it to
 * that.) */
static void
test_window_keys_tutorial_rows (void)
{
  Harness h = { 0 };
  int chosen;

  if (!open_with_tutorials (&h, FALSE))
    return;
  chosen = selected_tutorial (&h);
  g_assert_cmpint (chosen, >=, 0);
  g_assert_cmpint (chosen, <, 2);

  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.search", NULL);
  gtk_widget_grab_focus (template_child (h.window, TT_TYPE_WINDOW, "search_entry"));
  /* Until the search bar is shown: Escape ends the search then. */
  spin (100);
  press_keys (&h, "Escape");
  g_assert_false (gtk_search_bar_get_search_mode (template_child (h.window, TT_TYPE_WINDOW, "search_bar")));
  press_keys (&h, "Down");
  wait_settled (&h);
  g_assert_cmpint (selected_tutorial (&h), ==, chosen + 1);
  press_keys (&h, "Up");
  wait_settled (&h);
  g_assert_cmpint (selected_tutorial (&h), ==, chosen);

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* The focused row deleted: its neighbour is chosen, and Down goes on
 * from there. On GTK 4.18 (the Debian 13 leg) Down moved from another
 * row until the window set the list's own keyboard position too. */
static void
test_window_keys_tutorial_rows_after_delete (void)
{
  Harness h = { 0 };
  int chosen;

  if (!open_with_tutorials (&h, TRUE))
    return;
  click_tutorial (&h, 1);
  wait_settled (&h);
  gtk_widget_grab_focus (gtk_widget_get_parent (tutorial_row (&h, shown_title (&h))));
  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.delete-selection", NULL);
  wait_settled (&h);
  spin (100);
  chosen = selected_tutorial (&h);
  g_assert_cmpint (chosen, >=, 0);
  g_assert_cmpint (chosen, <, 2);
  press_keys (&h, "Down");
  wait_settled (&h);
  g_assert_cmpint (selected_tutorial (&h), ==, chosen + 1);
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* Shift+F10 and the Menu key open a tag's context menu, at its row. */
static void
test_window_keys_context_menu (void)
{
  static const char * const keys[] = { "<Shift>F10", "Menu" };
  Harness h = { 0 };

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  add_tag (&h, "GTK");

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *row = tag_row (&h, "GTK");
      GtkPopover *menu;
      GdkRectangle at;

      gtk_widget_grab_focus (gtk_widget_get_parent (row));
      press_keys (&h, keys[i]);
      menu = tag_row_menu (&h, "GTK");
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu)));
      /* At the row, not where a pointer happened to be. */
      g_assert_true (gtk_popover_get_pointing_to (menu, &at));
      g_assert_cmpint (at.y, >=, 0);
      g_assert_cmpint (at.y + at.height, <=, gtk_widget_get_height (row));
      if (i == 0)
        save_screen_screenshot ("tag-menu-from-keyboard.png");
      gtk_popover_popdown (menu);
      spin (100);
    }

  harness_close (&h);
}


/* ---- the tutorial row's time ----------------------------------------- */

/* What hovering the row's time shows (as GTK asks when the pointer
 * rests on it), or NULL when it shows nothing. */
static char *
row_time_tooltip (GtkWidget *row)
{
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (row, TT_TYPE_TUTORIAL_ROW, "time_label"));
  g_autoptr(GObject) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  if (!gtk_widget_get_has_tooltip (label))
    return NULL;
  g_signal_emit_by_name (label, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  return shown ? g_strdup (gtk_widget_get_tooltip_text (label)) : NULL;
}

static char *
full_time (GDateTime *time)
{
  return tt_format_full_time (time, tt_clock_get_format (tt_clock_get_default ()));
}

/* The time's tooltip is the full date and time of the tutorial the row
 * shows now: rows are used again for other tutorials as the list
 * scrolls and searches, and one not read yet has no time at all. */
static void
test_window_row_time_tooltip (void)
{
  g_autoptr(GDateTime) march = g_date_time_new_local (2026, 3, 14, 9, 26, 53);
  g_autoptr(GDateTime) june = g_date_time_new_local (2025, 6, 1, 18, 5, 0);
  g_autoptr(TtTutorial) one = tt_tutorial_new (1, "One", "");
  g_autoptr(TtTutorial) two = tt_tutorial_new (2, "Two", "");
  g_autoptr(TtTutorial) unread = tt_tutorial_new_placeholder (3);
  GtkWidget *row = g_object_ref_sink (tt_tutorial_row_new ());
  g_autofree char *march_text = full_time (march);
  g_autofree char *june_text = full_time (june);
  g_autofree char *shown = NULL;

  tt_tutorial_set_updated_at (one, march);
  tt_tutorial_set_updated_at (two, june);
  g_assert_cmpstr (march_text, !=, june_text);

  tt_tutorial_row_set_tutorial (TT_TUTORIAL_ROW (row), one);
  shown = row_time_tooltip (row);
  g_assert_cmpstr (shown, ==, march_text);

  tt_tutorial_row_set_tutorial (TT_TUTORIAL_ROW (row), two);
  g_clear_pointer (&shown, g_free);
  shown = row_time_tooltip (row);
  g_assert_cmpstr (shown, ==, june_text);

  /* Changed in place (the row follows its tutorial's notify). */
  tt_tutorial_set_updated_at (two, march);
  g_clear_pointer (&shown, g_free);
  shown = row_time_tooltip (row);
  g_assert_cmpstr (shown, ==, march_text);

  tt_tutorial_row_set_tutorial (TT_TUTORIAL_ROW (row), unread);
  g_clear_pointer (&shown, g_free);
  shown = row_time_tooltip (row);
  g_assert_null (shown);

  tt_tutorial_row_set_tutorial (TT_TUTORIAL_ROW (row), NULL);
  g_assert_finalize_object (row);
}

/* The rows the tutorial list shows that it had not shown before (made
 * since the last call), each checked to show its own tutorial. */
static guint
count_rows_made (Harness *h)
{
  GtkWidget *list = template_child (h->window, TT_TYPE_WINDOW, "tutorial_list");
  guint made = 0;

  wait_frame (h);
  for (GtkWidget *item = gtk_widget_get_first_child (list); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      GtkWidget *title = TT_IS_TUTORIAL_ROW (row) ? template_child (row, TT_TYPE_TUTORIAL_ROW, "title_label")
                                                  : NULL;
      TtTutorial *tutorial = title != NULL ? tt_tutorial_row_get_tutorial (TT_TUTORIAL_ROW (row)) : NULL;

      if (tutorial == NULL)
        continue;
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, tt_tutorial_get_title (tutorial));
      if (g_object_get_data (G_OBJECT (row), "tt-test-seen") == NULL)
        made++;
      g_object_set_data (G_OBJECT (row), "tt-test-seen", GINT_TO_POINTER (TRUE));
    }
  return made;
}

/* A search that changes the rows on screen uses the rows the list let
 * go for the new ones (GTK 4.8 makes them again for every new item, the
 * most of a keystroke's main-thread time at 100 000 tutorials): from the
 * second search on, no row is made. */
static void
test_window_search_rows_made (void)
{
  static const char * const searches[] = { "Tutorial 01", "Tutorial 00", "Tutorial 01", "Tutorial 00" };
  Harness h = { 0 };
  GtkEditable *entry;
  guint made;

  if (!harness_open_filled (&h, 200))
    return;
  made = count_rows_made (&h);
  g_test_message ("%u rows at first", made);
  g_assert_cmpuint (made, >, 5);

  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.search", NULL);
  entry = template_child (h.window, TT_TYPE_WINDOW, "search_entry");
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      gtk_editable_set_text (entry, searches[i]);
      spin (300);
      wait_settled (&h);
      g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tutorials (h.controller)), ==, 100);
      made = count_rows_made (&h);
      g_test_message ("%u rows made for \"%s\"", made, searches[i]);
      if (i > 0)
        g_assert_cmpuint (made, ==, 0);
    }

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* ---- drag and drop --------------------------------------------------- */

/* Real drags cannot be made under Xvfb: the tests drive GTK's own
 * objects as a drag does, the drag source's ::prepare for what it
 * carries and the drop target's ::drop with that. */

/* By id: a row may show an older copy of its tutorial (the title typed
 * since is saved into the controller's). */
static gboolean
is_tutorial_row_of (GtkWidget     *widget,
                    gconstpointer  tutorial)
{
  TtTutorial *shown = TT_IS_TUTORIAL_ROW (widget) ? tt_tutorial_row_get_tutorial (TT_TUTORIAL_ROW (widget))
                                                  : NULL;

  return shown != NULL && tt_tutorial_get_id (shown) == tt_tutorial_get_id ((TtTutorial *) tutorial);
}

static TtTutorial *tutorial_titled (Harness    *h,
                                    const char *title,
                                    guint      *position);

/* The tutorial list's row of @title, once it is drawn. */
static GtkWidget *
tutorial_row (Harness    *h,
              const char *title)
{
  GtkWidget *row;

  wait_frame (h);
  row = tt_test_find_widget (template_child (h->window, TT_TYPE_WINDOW, "tutorial_list"),
                             is_tutorial_row_of, tutorial_titled (h, title, NULL));
  g_assert_nonnull (row);
  return row;
}

static gboolean
is_filter_row_of (GtkWidget     *widget,
                  gconstpointer  filter)
{
  GObject *item = TT_IS_TAG_ROW (widget) ? tt_tag_row_get_item (TT_TAG_ROW (widget)) : NULL;

  return GTK_IS_STRING_OBJECT (item) &&
         g_str_equal (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), filter);
}

/* Returns: (transfer none): @widget's event controller of @type */
static gpointer
controller_of_type (GtkWidget *widget,
                    GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;  /* the widget keeps it */
    }
  g_error ("A %s has no %s", G_OBJECT_TYPE_NAME (widget), g_type_name (type));
}

/* What a drag from @row carries, as @type, into @value (unset); FALSE
 * when the row offers no drag. */
static gboolean
drag_value (GtkWidget *row,
            GType      type,
            GValue    *value)
{
  g_autoptr(GdkContentProvider) content = NULL;

  g_signal_emit_by_name (controller_of_type (row, GTK_TYPE_DRAG_SOURCE), "prepare", 4.0, 4.0, &content);
  if (content == NULL)
    return FALSE;
  g_value_init (value, type);
  g_assert_true (gdk_content_provider_get_value (content, value, NULL));
  return TRUE;
}

/* Returns: whether @row took the drop of @value */
static gboolean
drop_on (GtkWidget    *row,
         const GValue *value)
{
  gboolean accepted = FALSE;

  g_signal_emit_by_name (controller_of_type (row, GTK_TYPE_DROP_TARGET), "drop", value, 4.0, 4.0,
                         &accepted);
  return accepted;
}

static TtTutorial *
tutorial_titled (Harness    *h,
                 const char *title,
                 guint      *position)
{
  GListModel *tutorials = tt_controller_get_tutorials (h->controller);

  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);

      if (g_str_equal (tt_tutorial_get_title (tutorial), title))
        {
          if (position != NULL)
            *position = i;
          return tutorial;  /* the list keeps it */
        }
    }
  g_error ("No tutorial %s", title);
}

static guint
position_of (Harness    *h,
             const char *title)
{
  guint position;

  tutorial_titled (h, title, &position);
  return position;
}

/* Ctrl+clicks the tutorial @title: added to the selection. */
static void
ctrl_click_tutorial (Harness    *h,
                     const char *title)
{
  GtkGridView *tutorial_list = template_child (h->window, TT_TYPE_WINDOW, "tutorial_list");

  gtk_widget_activate_action (GTK_WIDGET (tutorial_list), "list.select-item", "(ubb)",
                              position_of (h, title), TRUE, FALSE);
}

/* "One[GTK] Two[]": the tags of these tutorials as the store has them
 * now, by name. */
static char *
describe_stored (Harness            *h,
                 const char * const *titles)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; titles[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TtTutorial) stored = tt_store_get_tutorial (h->store,
                                                            tt_tutorial_get_id (tutorial_titled (h, titles[i], NULL)),
                                                            &error);
      g_autoptr(GPtrArray) tags = NULL;

      g_assert_no_error (error);
      tags = tt_tag_sorted_by_name (tt_tutorial_get_tags (stored));
      g_string_append_printf (text, "%s%s[", i > 0 ? " " : "", titles[i]);
      for (guint j = 0; j < tags->len; j++)
        g_string_append_printf (text, "%s%s", j > 0 ? "," : "", tt_tag_get_name (g_ptr_array_index (tags, j)));
      g_string_append_c (text, ']');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define assert_stored(h, expected) \
  G_STMT_START { \
    static const char * const _titles[] = { "One", "Two", "Three", NULL }; \
    g_autofree char *_stored = describe_stored (h, _titles); \
    g_assert_cmpstr (_stored, ==, expected); \
  } G_STMT_END

/* Dragged from a selected row, the whole selection is tagged; from
 * another row, that tutorial alone. Each drop is one command: one Undo
 * takes it back. "All Tutorials" and "Untagged" take no drop, and Ctrl+T
 * (Add a Tag…) is the keyboard's way to do it. */
static void
test_window_drop_tutorials_on_tag (void)
{
  Harness h = { 0 };
  g_auto(GValue) selection = G_VALUE_INIT;
  g_auto(GValue) one = G_VALUE_INIT;
  GArray *ids;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  new_tutorial (&h, "Two");
  new_tutorial (&h, "Three");
  gtk_widget_activate_action (GTK_WIDGET (h.window), "tag.create", "s", "GTK");
  wait_settled (&h);
  click_tutorial (&h, position_of (&h, "Two"));
  ctrl_click_tutorial (&h, "Three");
  wait_settled (&h);

  g_assert_true (drag_value (tutorial_row (&h, "Two"), TT_TYPE_TUTORIAL_IDS, &selection));
  ids = g_value_get_boxed (&selection);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_true (drop_on (tag_row (&h, "GTK"), &selection));
  wait_settled (&h);
  assert_stored (&h, "One[] Two[GTK] Three[GTK]");
  gtk_widget_activate_action (GTK_WIDGET (h.window), "edit.undo", NULL);
  wait_settled (&h);
  assert_stored (&h, "One[] Two[] Three[]");

  g_assert_true (drag_value (tutorial_row (&h, "One"), TT_TYPE_TUTORIAL_IDS, &one));
  g_assert_cmpuint (((GArray *) g_value_get_boxed (&one))->len, ==, 1);
  g_assert_false (drop_on (tt_test_find_widget (GTK_WIDGET (get_tag_list (&h)), is_filter_row_of,
                                                TT_TAG_ROW_ALL), &one));
  g_assert_false (drop_on (tt_test_find_widget (GTK_WIDGET (get_tag_list (&h)), is_filter_row_of,
                                                TT_TAG_ROW_UNTAGGED), &one));
  g_assert_true (drop_on (tag_row (&h, "GTK"), &one));
  wait_settled (&h);
  assert_stored (&h, "One[GTK] Two[] Three[]");

  /* The keyboard's way: Ctrl+T asks which tag for the selection. */
  press_shortcut (&h, "<Control>t");
  answer_dialog ("Add a Tag to 2 Tutorials", "cancel");

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* A tag dropped on another asks as a rename onto its name does, then
 * merges; one Undo brings it back. Onto itself, or dragged from "All
 * Tutorials", nothing happens. */
static void
test_window_drop_tag_on_tag (void)
{
  Harness h = { 0 };
  g_auto(GValue) rust = G_VALUE_INIT;
  g_auto(GValue) nothing = G_VALUE_INIT;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  add_tag (&h, "GTK");
  new_tutorial (&h, "Two");
  add_tag (&h, "Rust");
  new_tutorial (&h, "Three");

  g_assert_false (drag_value (tt_test_find_widget (GTK_WIDGET (get_tag_list (&h)), is_filter_row_of,
                                                   TT_TAG_ROW_ALL), TT_TYPE_TAG, &nothing));
  g_assert_true (drag_value (tag_row (&h, "Rust"), TT_TYPE_TAG, &rust));
  g_assert_false (drop_on (tag_row (&h, "Rust"), &rust));
  assert_no_dialog ();

  /* How a row under a drag looks (GTK sets this flag then). */
  gtk_widget_set_state_flags (tag_row (&h, "GTK"), GTK_STATE_FLAG_DROP_ACTIVE, FALSE);
  save_screenshot (&h, "drag-and-drop.png");
  gtk_widget_unset_state_flags (tag_row (&h, "GTK"), GTK_STATE_FLAG_DROP_ACTIVE);

  g_assert_true (drop_on (tag_row (&h, "GTK"), &rust));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (find_dialog (NULL)),
                                   "Merge into “GTK”? “Rust” goes away"));
  answer_dialog (NULL, "merge");
  wait_settled (&h);
  g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tags (h.controller)), ==, 1);
  assert_stored (&h, "One[GTK] Two[GTK] Three[]");

  gtk_widget_activate_action (GTK_WIDGET (h.window), "edit.undo", NULL);
  wait_settled (&h);
  g_assert_cmpuint (g_list_model_get_n_items (tt_controller_get_tags (h.controller)), ==, 2);
  assert_stored (&h, "One[GTK] Two[Rust] Three[]");
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* The keyboard's drop of a tag on another: Shift+F10, Merge Into…, the
 * tag chosen, then the same question as for a drop. */
static void
test_window_keys_merge_into (void)
{
  Harness h = { 0 };

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  add_tag (&h, "GTK");
  new_tutorial (&h, "Two");
  add_tag (&h, "Rust");
  new_tutorial (&h, "Three");

  gtk_widget_grab_focus (gtk_widget_get_parent (tag_row (&h, "Rust")));
  press_keys (&h, "<Shift>F10");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tag_row_menu (&h, "Rust"))));
  press_keys (&h, "Down");
  press_keys (&h, "Return");
  wait_for_dialog ("Merge Into Another Tag");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (find_dialog ("Merge Into Another Tag"))), ==,
                   "Choose the tag that “Rust” goes into.");
  g_assert_cmpstr (tt_tag_get_name (gtk_drop_down_get_selected_item (
                     GTK_DROP_DOWN (adw_message_dialog_get_extra_child (find_dialog ("Merge Into Another Tag"))))),
                   ==, "GTK");
  save_screen_screenshot ("merge-into.png");
  /* Return on the drop-down opens its list; Tab goes on to the buttons. */
  press_keys_in (GTK_WINDOW (find_dialog ("Merge Into Another Tag")), "Tab");
  press_keys_in (GTK_WINDOW (find_dialog ("Merge Into Another Tag")), "Tab");
  press_keys_in (GTK_WINDOW (find_dialog ("Merge Into Another Tag")), "Return");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (wait_for_dialog (NULL)),
                                   "Merge into “GTK”? “Rust” goes away"));
  press_keys_in (GTK_WINDOW (find_dialog (NULL)), "Return");
  for (guint i = 0; i < 100 && g_list_model_get_n_items (tt_controller_get_tags (h.controller)) > 1; i++)
    spin (20);
  wait_settled (&h);
  assert_stored (&h, "One[GTK] Two[GTK] Three[]");
  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* ---- the connection -------------------------------------------------- */

/* ---- long names ------------------------------------------------------ */

/* The label of item @index of the window's Undo/Redo menu section. */
static char *
history_label (Harness *h,
               guint    index)
{
  GMenuModel *section = G_MENU_MODEL (gtk_widget_get_template_child (GTK_WIDGET (h->window),
                                                                     TT_TYPE_WINDOW,
                                                                     "history_section"));
  char *label = NULL;

  g_assert_true (g_menu_model_get_item_attribute (section, index, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  return label;
}

/* At most @max characters, ending in an ellipsis. */
#define assert_shortened(text, max) \
  G_STMT_START { \
    g_assert_cmpint (g_utf8_strlen ((text), -1), <=, (max)); \
    g_assert_true (strstr ((text), "…") != NULL); \
  } G_STMT_END

/* A 255-character tag name is quoted shortened wherever the window
 * quotes it: a GMenu label cannot ellipsize itself, and the main menu
 * ran off the screen, and a toast wraps to many lines. */
static void
test_window_long_names_shortened (void)
{
  Harness h = { 0 };
  g_autofree char *name = g_strnfill (255, 'w');
  g_autofree char *undo = NULL;
  GtkWidget *toast;

  if (!harness_open (&h))
    return;
  new_tutorial (&h, "One");
  add_tag (&h, name);

  undo = history_label (&h, 0);
  g_assert_true (g_str_has_prefix (undo, "Undo Add Tag “wwww"));
  assert_shortened (undo, 60);

  click_tag (&h, name, FALSE);
  wait_settled (&h);
  /* Shown shortened as the list's title, and the panes stay side by
   * side (its whole width made the window fold to one pane). */
  assert_shortened (list_title (&h), 20);
  g_assert_false (adw_leaflet_get_folded (template_child (h.window, TT_TYPE_WINDOW, "leaflet")));
  gtk_widget_grab_focus (gtk_widget_get_parent (tag_row (&h, name)));
  press_keys (&h, "Delete");
  wait_settled (&h);

  toast = wait_label (&h, "Tag “www", TRUE);
  g_assert_nonnull (toast);
  assert_shortened (gtk_label_get_label (GTK_LABEL (toast)), 60);
  save_screenshot (&h, "long-tag-toast.png");
  harness_close (&h);
}


static const char *
offline_banner (Harness *h)
{
  GtkRevealer *revealer = template_child (h->window, TT_TYPE_WINDOW, "offline_revealer");
  GtkLabel *label = template_child (h->window, TT_TYPE_WINDOW, "offline_label");

  return gtk_revealer_get_reveal_child (revealer) ? gtk_label_get_text (label) : NULL;
}

static gboolean
keep_ticking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates until the banner is shown (@shown) or gone, for at most 20 s. */
static void
wait_banner (Harness  *h,
             gboolean  shown)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (100, keep_ticking, NULL);

  while ((offline_banner (h) != NULL) != shown && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_true ((offline_banner (h) != NULL) == shown);
}

static void
type_title (Harness    *h,
            const char *title)
{
  GtkEditable *title_row = template_child (get_editor (h), TT_TYPE_TUTORIAL_EDITOR, "title_row");

  gtk_editable_set_text (title_row, title);
  spin (600);
  wait_settled (h);
}

static gboolean
stored_title_is (gint64      id,
                 const char *title)
{
  g_autoptr(TtStore) fresh = tt_test_reopen_store ();
  g_autoptr(TtTutorial) tutorial = tt_store_get_tutorial (fresh, id, NULL);

  return tutorial != NULL && g_strcmp0 (tt_tutorial_get_title (tutorial), title) == 0;
}

/* With the server stopped the window says what is true: offline (no
 * "change not saved" when none was made), then how many changes wait,
 * then, once the server is back, that they are saved. MySQL only. */
static void
test_window_offline (void)
{
  Harness h = { 0 };
  const char *banner;
  gint64 id;

  if (!tt_test_can_stop_server ())
    return;
  if (!harness_open (&h))
    return;
  new_tutorial (&h, "Before the outage");
  id = tt_tutorial_get_id (tt_tutorial_editor_get_tutorial (get_editor (&h)));
  g_assert_null (offline_banner (&h));

  g_assert_true (tt_test_server_control ("TT_TEST_MYSQL_STOP"));
  wait_banner (&h, TRUE);
  g_assert_nonnull (strstr (offline_banner (&h), "Cannot reach the database"));
  g_assert_cmpuint (h.n_errors, ==, 0);

  type_title (&h, "Typed offline");
  banner = offline_banner (&h);
  g_assert_nonnull (strstr (banner, "1 change waits to be saved"));
  /* The toast says the change is kept, in the controller's words (the
   * store's error would say "not saved"). */
  g_assert_error (h.error, TT_CONTROLLER_ERROR, TT_CONTROLLER_ERROR_NOT_SAVED_YET);
  g_assert_null (tt_error_get_summary (h.error));
  save_screenshot (&h, "offline.png");

  g_assert_true (tt_test_server_control ("TT_TEST_MYSQL_START"));
  wait_banner (&h, FALSE);
  wait_settled (&h);
  g_assert_cmpstr (shown_title (&h), ==, "Typed offline");
  g_assert_true (stored_title_is (id, "Typed offline"));
  harness_close (&h);
}

/* ---- a damaged catalogue file ---------------------------------------- */

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* As another program would: a write through a connection of its own
 * (which makes ours read the file again rather than its cache), then
 * 40 KB of junk in the middle of the file. */
static void
damage_catalogue (const char *path)
{
  g_autoptr(GdaConnection) raw = tt_test_raw_open ();
  g_autofree guchar *junk = g_malloc (40 * 1024);
  struct stat info;
  int fd;

  tt_test_raw_exec (raw, "UPDATE tutorials SET title = title WHERE id = 1");
  tt_test_raw_exec (raw, "PRAGMA wal_checkpoint(TRUNCATE)");
  gda_connection_close (raw);

  memset (junk, 0xA5, 40 * 1024);
  g_assert_cmpint (stat (path, &info), ==, 0);
  fd = open (path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, junk, 40 * 1024, (info.st_size / 2) & ~(off_t) 4095), ==, 40 * 1024);
  close (fd);
}

/* Damage found while the window shows the catalogue: the window says
 * so instead of the lists, offers to export what can still be read, and
 * writes nothing more to the file. SQLite only. */
static void
test_window_damaged (void)
{
  Harness h = { 0 };
  const char *path;
  GtkWidget *salvage_button, *retry_button;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (tt_test_is_mysql ())
    {
      g_test_skip ("a damaged file is SQLite's");
      return;
    }
  if (!harness_open_filled (&h, 3000))
    return;
  path = tt_test_location ()->path;
  damage_catalogue (path);
  before = file_checksum (path);

  /* The next read (here: a search) meets the damage. */
  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.search", NULL);
  gtk_editable_set_text (template_child (h.window, TT_TYPE_WINDOW, "search_entry"), "Tutorial 2");
  spin (600);
  wait_settled (&h);

  g_assert_error (h.error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT);
  g_assert_null (tt_window_get_controller (h.window));
  g_assert_cmpstr (adw_status_page_get_title (template_child (h.window, TT_TYPE_WINDOW, "status_page")),
                   ==, "The Catalogue Is Damaged");
  salvage_button = template_child (h.window, TT_TYPE_WINDOW, "salvage_button");
  retry_button = template_child (h.window, TT_TYPE_WINDOW, "retry_button");
  g_assert_true (gtk_widget_get_visible (salvage_button));
  g_assert_false (gtk_widget_get_visible (retry_button));
  save_screenshot (&h, "damaged.png");

  /* Closing the window (which sends what the editor holds) writes
   * nothing into the damaged file. */
  harness_close (&h);
  after = file_checksum (path);
  g_assert_cmpstr (after, ==, before);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init_with_display (&argc, &argv);

  g_test_add_func ("/window/smoke", test_window_smoke);
  g_test_add_func ("/window/offline", test_window_offline);
  g_test_add_func ("/window/damaged", test_window_damaged);
  g_test_add_func ("/window/changed-elsewhere", test_window_changed_elsewhere);
  g_test_add_func ("/window/copy-while-typing", test_window_copy_while_typing);
  g_test_add_func ("/window/filter-many", test_window_filter_many);
  g_test_add_func ("/window/search", test_window_search);
  g_test_add_func ("/window/edit-keeps-text", test_window_edit_keeps_text);
  g_test_add_func ("/window/delete-undo", test_window_delete_undo);
  g_test_add_func ("/window/close-saves", test_window_close_saves);
  g_test_add_func ("/window/navigation-never-writes", test_window_navigation_never_writes);
  g_test_add_func ("/window/typed-then-unloaded", test_window_typed_then_unloaded);
  g_test_add_func ("/window/undo-stays-with-tutorial", test_window_undo_stays_with_tutorial);
  g_test_add_func ("/window/delete-unloaded", test_window_delete_unloaded);
  g_test_add_func ("/window/remove-new-tag-at-once", test_window_remove_new_tag_at_once);
  g_test_add_func ("/window/remove-suggested-tag-at-once", test_window_remove_suggested_tag_at_once);
  g_test_add_func ("/window/tag-dialogs", test_window_tag_dialogs);
  g_test_add_func ("/window/delete-unused-tags", test_window_delete_unused_tags);
  g_test_add_func ("/window/add-new-tag-to-selection", test_window_add_new_tag_to_selection);
  g_test_add_func ("/window/rename-merge-hint-and-focus", test_window_rename_merge_hint_and_focus);
  g_test_add_func ("/window/narrow-any-buttons", test_window_narrow_any_buttons);
  g_test_add_func ("/window/labels/tag-placeholder", test_window_tag_placeholder_fits);
  g_test_add_func ("/window/untitled-is-editable", test_window_untitled_is_editable);
  g_test_add_func ("/window/keys/undo-in-tag-field", test_window_keys_undo_in_tag_field);
  g_test_add_func ("/window/keys/undo-in-title", test_window_keys_undo_in_title);
  g_test_add_func ("/window/keys/delete-tag", test_window_keys_delete_tag);
  g_test_add_func ("/window/keys/tutorial-rows", test_window_keys_tutorial_rows);
  g_test_add_func ("/window/keys/tutorial-rows-after-delete", test_window_keys_tutorial_rows_after_delete);
  g_test_add_func ("/window/keys/sidebar-rows", test_window_keys_sidebar_rows);
  g_test_add_func ("/window/keys/context-menu", test_window_keys_context_menu);
  g_test_add_func ("/window/keys/merge-into", test_window_keys_merge_into);
  g_test_add_func ("/window/drop/tutorials-on-tag", test_window_drop_tutorials_on_tag);
  g_test_add_func ("/window/drop/tag-on-tag", test_window_drop_tag_on_tag);
  g_test_add_func ("/window/search-rows-made", test_window_search_rows_made);
  g_test_add_func ("/window/row/time-tooltip", test_window_row_time_tooltip);
  g_test_add_func ("/window/long-names-shortened", test_window_long_names_shortened);
  g_test_add_func ("/window/sidebar/ctrl-click", test_sidebar_ctrl_click);
  g_test_add_func ("/window/sidebar/stand-alone", test_sidebar_stand_alone);
  g_test_add_func ("/window/sidebar/tags-replaced", test_sidebar_tags_replaced);
  g_test_add_func ("/window/sidebar/filter", test_sidebar_filter);
  g_test_add_func ("/window/sidebar/sort", test_sidebar_sort);
  g_test_add_func ("/window/sidebar/counts", test_sidebar_counts);
  g_test_add_func ("/window/sidebar/filter-10000", test_sidebar_filter_10000);
  g_test_add_func ("/window/sidebar/rows-made", test_sidebar_rows_made);

  return g_test_run ();
}
