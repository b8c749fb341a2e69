/* test-window-search.c: the search field's `tag:` words in the window, the
 * sidebar kept in step with them, and their completion
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tt-search-completion.h"
#include "tt-tag-sidebar.h"
#include "tt-test-display.h"
#include "tt-test-window.h"

/* ---- the catalogue and the window ------------------------------------ */

/* The Node.js tutorial's catalogue (Tag#1 on Tut#1-3, Tag#2 on Tut#1,3,4)
 * and "GNOME HIG" on Tut#4. */
static gboolean
open_seeded (Harness *h)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) hig = NULL;

  h->store = tt_test_open_store ();
  if (h->store == NULL)
    return FALSE;

  tt_test_seed (h->store);
  hig = tt_store_create_tag (h->store, "GNOME HIG", &error);
  g_assert_no_error (error);
  tt_store_link (h->store, 4, tt_tag_get_id (hig), &error);
  g_assert_no_error (error);

  harness_show (h);
  return TRUE;
}

static GtkEditable *
search_entry (Harness *h)
{
  return template_child (h->window, TT_TYPE_WINDOW, "search_entry");
}

static TtSearchCompletion *
completion (Harness *h)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (search_entry (h)));

  g_assert_true (TT_IS_SEARCH_COMPLETION (parent));
  return TT_SEARCH_COMPLETION (parent);
}

static gboolean
popover_shown (Harness *h)
{
  return gtk_widget_get_visible (GTK_WIDGET (_tt_search_completion_get_popover (completion (h))));
}

/* Ctrl+F, then @text as if typed: the cursor at its end, and the
 * entry's pause before it searches. */
static void
type_search (Harness    *h,
             const char *text)
{
  GtkEditable *entry = search_entry (h);

  if (!gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (entry))))
    press_keys (h, "<Control>f");
  gtk_editable_set_text (entry, text);
  gtk_editable_set_position (entry, -1);
  spin (400);
  wait_settled (h);
}

/* Clicks the sidebar row at @position (0 is All Tutorials); with @add,
 * Ctrl+clicks it. */
static void
click_row (Harness *h,
           guint    position,
           gboolean add)
{
  gtk_widget_activate_action (GTK_WIDGET (get_tag_list (h)), "list.select-item", "(ubb)",
                              position, add, FALSE);
  spin (100);
  wait_settled (h);
}

/* "All", "Untagged" or the names of the selected tags, "|" between. */
static char *
describe_sidebar (Harness *h)
{
  TtTagSidebar *sidebar = get_sidebar (h);
  GListModel *tags = tt_controller_get_tags (h->controller);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  guint n_ids = 0;
  const gint64 *ids = tt_tag_sidebar_get_tag_ids (sidebar, &n_ids);

  if (tt_tag_sidebar_get_filter (sidebar) == TT_TAG_FILTER_ALL)
    return g_strdup ("All");
  if (tt_tag_sidebar_get_filter (sidebar) == TT_TAG_FILTER_UNTAGGED)
    return g_strdup ("Untagged");

  for (guint i = 0; i < n_ids; i++)
    for (guint j = 0; j < g_list_model_get_n_items (tags); j++)
      {
        g_autoptr(TtTag) tag = g_list_model_get_item (tags, j);

        if (tt_tag_get_id (tag) == ids[i])
          g_strv_builder_add (names, tt_tag_get_name (tag));
      }
  strv = g_strv_builder_end (names);
  return g_strjoinv ("|", strv);
}

/* The titles the list shows, " " between. */
static char *
describe_titles (Harness *h)
{
  GListModel *tutorials = tt_controller_get_tutorials (h->controller);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);

      g_string_append_printf (text, "%s%s", i > 0 ? " " : "", tt_tutorial_get_title (tutorial));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define assert_described(describe, h, expected) \
  G_STMT_START { \
    g_autofree char *_described = describe (h); \
    g_assert_cmpstr (_described, ==, expected); \
  } G_STMT_END

#define assert_titles(h, expected) assert_described (describe_titles, h, expected)
#define assert_sidebar(h, expected) assert_described (describe_sidebar, h, expected)

/* "Tag#1|Tag#2": the suggestions the popover shows. */
static char *
describe_suggestions (Harness *h)
{
  GListModel *suggestions = G_LIST_MODEL (_tt_search_completion_get_selection (completion (h)));
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (suggestions); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (suggestions, i);

      g_string_append_printf (text, "%s%s", i > 0 ? "|" : "", tt_tag_get_name (tag));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- tests ----------------------------------------------------------- */

/* Tag words filter with the text, all of them must match, and the
 * sidebar shows their tags selected. */
static void
test_search_tag_words_filter (void)
{
  Harness h = { 0 };

  if (!open_seeded (&h))
    return;

  type_search (&h, "tag:tag#1 tut");
  assert_titles (&h, "Tut#1 Tut#2 Tut#3");
  assert_sidebar (&h, "Tag#1");

  type_search (&h, "tag:tag#1 TAG:\"Tag#2\"");
  assert_titles (&h, "Tut#1 Tut#3");
  assert_sidebar (&h, "Tag#1|Tag#2");

  type_search (&h, "tag:\"gnome hig\" D4");
  assert_titles (&h, "Tut#4");
  assert_sidebar (&h, "GNOME HIG");

  /* "tag:" with no name asks for nothing. */
  type_search (&h, "tag: d2");
  assert_titles (&h, "Tut#2");
  assert_sidebar (&h, "All");

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* A choice in the sidebar while the search is open becomes its tag
 * words, and nothing comes back from the search to the sidebar. */
static void
test_search_sidebar_rewrites (void)
{
  Harness h = { 0 };

  if (!open_seeded (&h))
    return;

  type_search (&h, "tag:tag#1 tut");
  click_row (&h, sidebar_position (&h, "Tag#2"), FALSE);
  g_assert_cmpstr (gtk_editable_get_text (search_entry (&h)), ==, "tag:Tag#2 tut");
  assert_titles (&h, "Tut#1 Tut#3 Tut#4");

  click_row (&h, sidebar_position (&h, "GNOME HIG"), TRUE);
  g_assert_cmpstr (gtk_editable_get_text (search_entry (&h)), ==, "tag:\"GNOME HIG\" tag:Tag#2 tut");
  assert_titles (&h, "Tut#4");

  /* The entry's own pause runs out on the text it has: no change. */
  spin (400);
  wait_settled (&h);
  g_assert_cmpstr (gtk_editable_get_text (search_entry (&h)), ==, "tag:\"GNOME HIG\" tag:Tag#2 tut");
  assert_sidebar (&h, "GNOME HIG|Tag#2");

  /* All Tutorials takes the tag words away, and the text stays. */
  click_row (&h, 0, FALSE);
  g_assert_cmpstr (gtk_editable_get_text (search_entry (&h)), ==, "tut");
  assert_titles (&h, "Tut#1 Tut#2 Tut#3 Tut#4");

  /* Typing the tag word away selects All Tutorials again. */
  type_search (&h, "tag:tag#2");
  assert_sidebar (&h, "Tag#2");
  type_search (&h, "tut#");
  assert_sidebar (&h, "All");

  /* Ending the search leaves what the sidebar shows. (The space ends the
   * tag word, so no suggestions are open for Escape to close first.) */
  type_search (&h, "tag:tag#2 ");
  g_assert_false (popover_shown (&h));
  press_keys (&h, "Escape");
  wait_settled (&h);
  g_assert_false (gtk_search_bar_get_search_mode (template_child (h.window, TT_TYPE_WINDOW, "search_bar")));
  assert_sidebar (&h, "Tag#2");
  assert_titles (&h, "Tut#1 Tut#3 Tut#4");

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

static void
test_search_unknown_tag (void)
{
  Harness h = { 0 };
  AdwStatusPage *page;

  if (!open_seeded (&h))
    return;

  type_search (&h, "tag:nope tut");
  assert_titles (&h, "");
  page = template_child (h.window, TT_TYPE_WINDOW, "no_results_page");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (h.window, TT_TYPE_WINDOW, "list_stack")),
                   ==, "no-results");
  g_assert_cmpstr (adw_status_page_get_description (page), ==, "No tag named “nope”");
  assert_sidebar (&h, "All");

  /* One known and one unknown: still nothing. */
  type_search (&h, "tag:tag#1 tag:\"tag#9\"");
  assert_titles (&h, "");
  g_assert_cmpstr (adw_status_page_get_description (page), ==, "No tag named “tag#9”");

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* The popover lists the matching tags while the cursor is in a tag word;
 * Tab takes the first, quoting a name with a space. */
static void
test_search_complete_tab (void)
{
  Harness h = { 0 };

  if (!open_seeded (&h))
    return;

  type_search (&h, "gtk tag:hig");
  g_assert_true (popover_shown (&h));
  assert_described (describe_suggestions, &h, "GNOME HIG");
  press_keys (&h, "Tab");
  g_assert_cmpstr (gtk_editable_get_text (search_entry (&h)), ==, "gtk tag:\"GNOME HIG\" ");
  g_assert_cmpint (gtk_editable_get_position (search_entry (&h)), ==, 20);
  g_assert_false (popover_shown (&h));
  /* The focus stayed in the search. */
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (search_entry (&h)))));

  spin (400);
  wait_settled (&h);
  assert_sidebar (&h, "GNOME HIG");

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* Up/Down move, Enter takes; Escape closes the popover, a second one
 * ends the search. */
static void
test_search_complete_keys (void)
{
  Harness h = { 0 };
  GtkSearchBar *search_bar;

  if (!open_seeded (&h))
    return;

  search_bar = template_child (h.window, TT_TYPE_WINDOW, "search_bar");
  type_search (&h, "TAG:ta");
  assert_described (describe_suggestions, &h, "Tag#1|Tag#2");
  press_keys (&h, "Down");
  press_keys (&h, "Down");
  press_keys (&h, "Return");
  g_assert_cmpstr (gtk_editable_get_text (search_entry (&h)), ==, "tag:Tag#2 ");

  /* Only the name counts: the tag word in the middle is completed there. */
  gtk_editable_set_text (search_entry (&h), "tag:1 x");
  gtk_editable_set_position (search_entry (&h), 5);
  spin (100);
  assert_described (describe_suggestions, &h, "Tag#1");
  press_keys (&h, "Tab");
  g_assert_cmpstr (gtk_editable_get_text (search_entry (&h)), ==, "tag:Tag#1 x");

  type_search (&h, "tag:g");
  g_assert_true (popover_shown (&h));
  press_keys (&h, "Escape");
  g_assert_false (popover_shown (&h));
  g_assert_true (gtk_search_bar_get_search_mode (search_bar));
  g_assert_cmpstr (gtk_editable_get_text (search_entry (&h)), ==, "tag:g");
  press_keys (&h, "Escape");
  g_assert_false (gtk_search_bar_get_search_mode (search_bar));

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* The popover is a list of list items, each showing a tag's name (the
 * rows of the tag editor's suggestions, which test-a11y hears through
 * AT-SPI); the entry says it completes from a list, and whether it is
 * open. The screenshot of the README is taken here, when
 * $TT_TEST_SCREENSHOT_DIR is set. */
static void
test_search_complete_accessible (void)
{
  Harness h = { 0 };
  GtkPopover *popover;
  GtkWidget *list, *row, *box;

  if (!open_seeded (&h))
    return;

  type_search (&h, "tag:");
  g_assert_true (popover_shown (&h));
  assert_described (describe_suggestions, &h, "GNOME HIG|Tag#1|Tag#2");
  wait_frame (&h);

  popover = _tt_search_completion_get_popover (completion (&h));
  list = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (gtk_popover_get_child (popover)));
  g_assert_true (GTK_IS_LIST_VIEW (list));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (list)), ==, GTK_ACCESSIBLE_ROLE_LIST);
  row = gtk_widget_get_first_child (list);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (row)), ==, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  box = gtk_widget_get_first_child (row);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (box))), ==, "GNOME HIG");

  /* The list still shows what the text finds: "tag:" alone asks for no tag. */
  type_search (&h, "tut tag:");
  g_assert_true (popover_shown (&h));
  press_keys (&h, "Down");
  save_screen_screenshot ("search-tags.png");

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init_with_display (&argc, &argv);

  g_test_add_func ("/window-search/tag-words-filter", test_search_tag_words_filter);
  g_test_add_func ("/window-search/sidebar-rewrites", test_search_sidebar_rewrites);
  g_test_add_func ("/window-search/unknown-tag", test_search_unknown_tag);
  g_test_add_func ("/window-search/complete-tab", test_search_complete_tab);
  g_test_add_func ("/window-search/complete-keys", test_search_complete_keys);
  g_test_add_func ("/window-search/complete-accessible", test_search_complete_accessible);

  return g_test_run ();
}
