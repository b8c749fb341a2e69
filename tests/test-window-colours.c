/* test-window-colours.c: tag colours in the window: the sidebar row's
 * Colour menu, the coloured icon, chips and order, and what a screen
 * reader hears
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tt-tag-chip.h"
#include "tt-tag-row.h"
#include "tt-test-display.h"
#include "tt-test-window.h"
#include "tt-tutorial-row.h"

/* ---- the catalogue and the window ------------------------------------ */

/* The Node.js tutorial's catalogue (Tag#1 on Tut#1-3, Tag#2 on Tut#1,3,4),
 * and "Rust" and "GTK" on Tut#4 for the pictures. */
static gboolean
open_seeded_sized (Harness *h,
                   int      width,
                   int      height)
{
  static const char * const more[] = { "Rust", "GTK" };
  g_autoptr(GError) error = NULL;

  h->store = tt_test_open_store ();
  if (h->store == NULL)
    return FALSE;

  tt_test_seed (h->store);
  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    {
      g_autoptr(TtTag) tag = tt_store_create_tag (h->store, more[i], &error);

      g_assert_no_error (error);
      tt_store_link (h->store, 4, tt_tag_get_id (tag), &error);
      g_assert_no_error (error);
    }

  if (width > 0)
    harness_show_sized (h, width, height);
  else
    harness_show (h);
  return TRUE;
}

static gboolean
open_seeded (Harness *h)
{
  return open_seeded_sized (h, 0, 0);
}

static void
select_tutorial (Harness *h,
                 guint    position)
{
  click_tutorial (h, position);
  wait_settled (h);
}

/* Through the row's Colour menu item, as a click on it does. */
static void
choose_colour (Harness    *h,
               const char *name,
               const char *colour)
{
  gtk_widget_activate_action (tag_row (h, name), "tag-row.colour", "s", colour);
  wait_settled (h);
}

static gboolean
is_row_chip_of (GtkWidget     *widget,
                gconstpointer  name)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "tag-chip") &&
         gtk_widget_get_visible (widget) &&
         g_str_equal (gtk_label_get_label (GTK_LABEL (widget)), name);
}

/* A chip of the tag @name on a row of the tutorial list. */
static GtkWidget *
row_chip (Harness    *h,
          const char *name)
{
  GtkWidget *list = template_child (h->window, TT_TYPE_WINDOW, "tutorial_list");
  GtkWidget *chip;

  wait_frame (h);
  chip = tt_test_find_widget (list, is_row_chip_of, name);
  g_assert_nonnull (chip);
  return chip;
}

static gboolean
is_editor_chip_of (GtkWidget     *widget,
                   gconstpointer  name)
{
  return TT_IS_TAG_CHIP (widget) &&
         g_str_equal (tt_tag_get_name (tt_tag_chip_get_tag (TT_TAG_CHIP (widget))), name);
}

/* The chip of the tag @name in the selected tutorial's tag editor. */
static GtkWidget *
editor_chip (Harness    *h,
             const char *name)
{
  GtkWidget *chip;

  wait_frame (h);
  chip = tt_test_find_widget (GTK_WIDGET (h->window), is_editor_chip_of, name);
  g_assert_nonnull (chip);
  return chip;
}

/* @widget's accessible description is @expected (NULL: it has none). */
static void
assert_description (GtkWidget  *widget,
                    const char *expected)
{
  g_autofree char *mismatch = NULL;

  if (expected == NULL)
    {
      g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
      return;
    }
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
  if (mismatch != NULL)
    g_error ("accessible description: %s", mismatch);
}

/* ---- tests ------------------------------------------------------------ */

/* The Colour submenu: "None", then the seven colours, radio items of
 * the row's tag-row.colour; opened from the keyboard with the rest. */
static void
test_colours_menu (void)
{
  g_autoptr(GMenuModel) submenu = NULL;
  GMenuModel *menu;
  GtkWidget *row;
  Harness h = { 0 };
  guint n_items = 0;

  if (!open_seeded (&h))
    return;

  row = tag_row (&h, "Tag#2");
  gtk_widget_grab_focus (gtk_widget_get_parent (row));
  press_keys (&h, "<Shift>F10");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tag_row_menu (&h, "Tag#2"))));
  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (tag_row_menu (&h, "Tag#2")));

  /* The last section holds the submenu. */
  for (int i = 0; i < g_menu_model_get_n_items (menu) && submenu == NULL; i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL)
        submenu = g_menu_model_get_item_link (section, 0, G_MENU_LINK_SUBMENU);
    }
  g_assert_nonnull (submenu);
  for (int s = 0; s < g_menu_model_get_n_items (submenu); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (submenu, s, G_MENU_LINK_SECTION);

      for (int i = 0; i < g_menu_model_get_n_items (section); i++, n_items++)
        {
          g_autofree char *action = NULL;
          g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (section, i, "target",
                                                                              G_VARIANT_TYPE_STRING);

          g_assert_true (g_menu_model_get_item_attribute (section, i, "action", "s", &action));
          g_assert_cmpstr (action, ==, "tag-row.colour");
          g_assert_nonnull (target);
          if (n_items == 0)
            g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "");
        }
    }
  g_assert_cmpuint (n_items, ==, 8);
  save_screen_screenshot ("tag-colour-menu.png");
  gtk_popover_popdown (GTK_POPOVER (tag_row_menu (&h, "Tag#2")));

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* A colour chosen in the menu: the row's icon and the chips take its
 * class, the tag moves to the top of the sidebar, a screen reader hears
 * its name; Ctrl+Z takes all of it back. */
static void
test_colour_shown_everywhere (void)
{
  GtkWidget *row;
  g_autofree char *state = NULL;
  Harness h = { 0 };

  if (!open_seeded (&h))
    return;
  select_tutorial (&h, 3);  /* Tut#4: Tag#2, Rust, GTK */
  g_assert_cmpuint (sidebar_position (&h, "Tag#1"), <, sidebar_position (&h, "Tag#2"));
  g_assert_cmpuint (sidebar_position (&h, "GTK"), <, sidebar_position (&h, "Tag#2"));

  choose_colour (&h, "Tag#2", "red");
  row = tag_row (&h, "Tag#2");
  g_assert_true (gtk_widget_has_css_class (row, "tag-colour-red"));
  g_object_get (row, "colour", &state, NULL);
  g_assert_cmpstr (state, ==, "red");
  assert_description (gtk_widget_get_parent (row), "Red");
  g_assert_true (gtk_widget_has_css_class (row_chip (&h, "Tag#2"), "tag-colour-red"));
  assert_description (row_chip (&h, "Tag#2"), "Red");
  g_assert_true (gtk_widget_has_css_class (editor_chip (&h, "Tag#2"), "tag-colour-red"));
  assert_description (editor_chip (&h, "Tag#2"), "Red");
  g_assert_false (gtk_widget_has_css_class (row_chip (&h, "Rust"), "tag-colour-red"));
  /* Coloured first, whatever the names say. */
  g_assert_cmpuint (sidebar_position (&h, "Tag#2"), <, sidebar_position (&h, "GTK"));
  g_assert_cmpuint (sidebar_position (&h, "Tag#2"), <, sidebar_position (&h, "Tag#1"));

  /* A second colour: coloured ones by the chosen sort (by name). */
  choose_colour (&h, "Tag#1", "blue");
  g_assert_cmpuint (sidebar_position (&h, "Tag#1"), <, sidebar_position (&h, "Tag#2"));
  g_assert_cmpuint (sidebar_position (&h, "Tag#2"), <, sidebar_position (&h, "GTK"));

  press_keys (&h, "<Control>z");
  wait_settled (&h);
  press_keys (&h, "<Control>z");
  wait_settled (&h);
  row = tag_row (&h, "Tag#2");
  g_assert_false (gtk_widget_has_css_class (row, "tag-colour-red"));
  assert_description (gtk_widget_get_parent (row), NULL);
  g_assert_false (gtk_widget_has_css_class (row_chip (&h, "Tag#2"), "tag-colour-red"));
  assert_description (row_chip (&h, "Tag#2"), NULL);
  g_assert_cmpuint (sidebar_position (&h, "Tag#1"), <, sidebar_position (&h, "Tag#2"));
  g_assert_cmpuint (sidebar_position (&h, "GTK"), <, sidebar_position (&h, "Tag#2"));

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

/* Pictures of a few coloured tags, light, dark and high contrast, and
 * with a filter typed in the sidebar, when TT_TEST_SCREENSHOT_DIR is set;
 * the filter keeps the coloured tags it matches first. */
static void
test_colour_pictures (void)
{
  static const struct { const char *tag, *colour; } colours[] = {
    { "Rust", "orange" }, { "GTK", "blue" }, { "Tag#2", "green" }, { "Tag#1", "purple" },
  };
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkEditable *filter;
  Harness h = { 0 };

  if (!open_seeded_sized (&h, 1100, 520))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (colours); i++)
    choose_colour (&h, colours[i].tag, colours[i].colour);
  select_tutorial (&h, 3);

  save_screenshot (&h, "tag-colours-light.png");

  filter = template_child (get_sidebar (&h), TT_TYPE_TAG_SIDEBAR, "filter_entry");
  gtk_widget_grab_focus (GTK_WIDGET (filter));
  gtk_editable_set_text (filter, "ta");
  gtk_editable_set_position (filter, -1);
  wait_frame (&h);
  g_assert_cmpuint (sidebar_position (&h, "Tag#1"), ==, 2);
  g_assert_cmpuint (sidebar_position (&h, "Tag#2"), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_grid_view_get_model (get_tag_list (&h)))), ==, 4);
  save_screenshot (&h, "tag-colours-filter.png");
  gtk_editable_set_text (filter, "");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  save_screenshot (&h, "tag-colours-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_object_set (gtk_settings_get_default (), "gtk-theme-name", "Adwaita-hc", NULL);
  save_screenshot (&h, "tag-colours-high-contrast.png");
  g_object_set (gtk_settings_get_default (), "gtk-theme-name", "Adwaita", NULL);

  g_assert_cmpuint (h.n_errors, ==, 0);
  harness_close (&h);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init_with_display (&argc, &argv);

  g_test_add_func ("/window-colours/menu", test_colours_menu);
  g_test_add_func ("/window-colours/shown-everywhere", test_colour_shown_everywhere);
  g_test_add_func ("/window-colours/pictures", test_colour_pictures);

  return g_test_run ();
}
