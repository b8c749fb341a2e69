/* demo-tag-editor.c: the tag editor in a window, for screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * demo-tag-editor [light|dark] shows the editor with three chips, then
 * types "ru" and highlights the first suggestion, so that a screenshot
 * (tests/shoot-tag-editor.sh) shows the chips and the open popover.
 */

#include "config.h"

#include <adwaita.h>

#include "tt-tag-chip.h"
#include "tt-tag-editor-private.h"

static void
add_tag (GListStore *store,
         gint64      id,
         const char *name,
         guint       count)
{
  g_autoptr(TtTag) tag = tt_tag_new (id, name);

  tt_tag_set_tutorial_count (tag, count);
  g_list_store_append (store, tag);
}

static GListModel *
make_suggestions (void)
{
  GListStore *store = g_list_store_new (TT_TYPE_TAG);

  add_tag (store, 1, "Rust", 12);
  add_tag (store, 2, "Rubber Duck Debugging", 3);
  add_tag (store, 3, "GNOME", 7);
  add_tag (store, 4, "Café", 1);
  add_tag (store, 5, "GTK", 9);
  add_tag (store, 6, "Meson", 4);
  add_tag (store, 7, "Async Rust", 2);

  return G_LIST_MODEL (store);
}

static GListModel *
make_tags (GListModel *suggestions)
{
  GListStore *store = g_list_store_new (TT_TYPE_TAG);
  guint positions[] = { 2, 4, 5 };

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (suggestions, positions [i]);

      g_list_store_append (store, tag);
    }

  return G_LIST_MODEL (store);
}

static GtkWidget *
make_field (const char *title,
            GtkWidget  *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);

  return box;
}

static GtkWidget *
make_window (TtTagEditor *editor)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *title = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (title), "Writing a GTK 4 app in C");
  gtk_widget_set_margin_top (page, 24);
  gtk_widget_set_margin_bottom (page, 24);
  gtk_widget_set_margin_start (page, 24);
  gtk_widget_set_margin_end (page, 24);
  gtk_box_append (GTK_BOX (page), make_field ("Title", title));
  gtk_box_append (GTK_BOX (page), make_field ("Tags", GTK_WIDGET (editor)));

  gtk_box_append (GTK_BOX (content), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (content), page);
  adw_window_set_content (ADW_WINDOW (window), content);
  gtk_window_set_title (GTK_WINDOW (window), "Tag Editor");
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 380);

  return window;
}

static gboolean
type_query (gpointer data)
{
  TtTagEditor *editor = data;
  GtkEditable *text = GTK_EDITABLE (_tt_tag_editor_get_text (editor));

  tt_tag_editor_grab_entry_focus (editor);
  gtk_editable_set_text (text, "ru");
  gtk_editable_set_position (text, -1);
  gtk_single_selection_set_selected (_tt_tag_editor_get_selection (editor), 0);

  return G_SOURCE_REMOVE;
}

/* More editors, to look at the states a screenshot of the popover does
 * not show: wrapped lines, a selected chip, a focused chip, an error. */
static void
show_states (GtkBox     *page,
             GListModel *suggestions)
{
  GtkWidget *many = tt_tag_editor_new ();
  GtkWidget *error = tt_tag_editor_new ();
  g_autoptr(GListModel) tags = make_tags (suggestions);

  tt_tag_editor_set_tags (TT_TAG_EDITOR (many), suggestions);
  tt_tag_chip_set_selected (TT_TAG_CHIP (_tt_tag_editor_get_chip (TT_TAG_EDITOR (many), 6)), TRUE);
  gtk_box_append (page, make_field ("Selected", many));

  tt_tag_editor_set_tags (TT_TAG_EDITOR (error), tags);
  gtk_editable_set_text (GTK_EDITABLE (_tt_tag_editor_get_text (TT_TAG_EDITOR (error))), "   ");
  gtk_widget_add_css_class (error, "error");
  gtk_box_append (page, make_field ("Error", error));

  gtk_window_set_focus_visible (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))), TRUE);
  gtk_widget_grab_focus (_tt_tag_editor_get_chip (TT_TAG_EDITOR (many), 1));
}

static void
load_css (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/com/example/TutorialTags/tt-tag-editor.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GListModel) suggestions = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  TtTagEditor *editor;
  GtkWidget *window;

  gtk_init ();
  adw_init ();
  load_css ();

  if (argc > 1 && g_str_equal (argv [1], "dark"))
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_LIGHT);

  suggestions = make_suggestions ();
  tags = make_tags (suggestions);
  editor = TT_TAG_EDITOR (tt_tag_editor_new ());
  tt_tag_editor_set_suggestions (editor, suggestions);
  tt_tag_editor_set_tags (editor, tags);
  tt_tag_editor_set_placeholder_text (editor, "Add tags…");

  window = make_window (editor);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (g_main_loop_quit), loop);
  tt_tag_editor_grab_entry_focus (editor);
  gtk_window_present (GTK_WINDOW (window));

  if (argc > 2 && g_str_equal (argv [2], "states"))
    show_states (GTK_BOX (gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (editor)))),
                 suggestions);
  else
    g_timeout_add (500, type_query, editor);

  g_main_loop_run (loop);

  return 0;
}
