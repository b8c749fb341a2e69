/* tt-a11y.c: what a screen reader needs that GTK does not give by itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checked through AT-SPI, as a screen reader reads the window, by
 * tests/test-a11y.c.
 */

#define G_LOG_DOMAIN "tt-a11y"

#include "config.h"

#include "tt-a11y.h"

typedef struct
{
  GtkWidget *label;
  GtkWidget *detail;      /* or NULL */
  GtkWidget *list_item;   /* the row's parent, named after them */
} ListItemNames;

static void
name_parent_cb (GtkWidget     *row,
                GParamSpec    *pspec,
                ListItemNames *names)
{
  /* A parent that lets the row go (it is still alive while told so)
   * must not keep pointing at labels that may go before it. */
  if (names->list_item != NULL)
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (names->list_item),
                                   GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  names->list_item = gtk_widget_get_parent (row);
  if (names->list_item == NULL)
    return;

  /* The list of labels ends at the first NULL: a missing detail must
   * not become the end of the relations as well. */
  if (names->detail != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (names->list_item),
                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                    names->label, names->detail, NULL,
                                    -1);
  else
    gtk_accessible_update_relation (GTK_ACCESSIBLE (names->list_item),
                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                    names->label, NULL,
                                    -1);
}

/**
 * tt_a11y_name_list_item:
 * @row: the child a list item factory gives a list item
 * @label: the label that names the row
 * @detail: (nullable): a label read after it (a count)
 *
 * Names the list item that holds @row after @label (and @detail), as
 * they read whenever asked. The list item widget around a factory's row
 * is what a screen reader lands on; GTK 4.8 gives it no name, so it is
 * read as "GtkListItemWidget" (GtkListItem:accessible-label is 4.12's).
 * The row's parent is that widget once the list has placed it.
 */
void
tt_a11y_name_list_item (GtkWidget *row,
                        GtkWidget *label,
                        GtkWidget *detail)
{
  ListItemNames *names = g_new0 (ListItemNames, 1);

  g_return_if_fail (GTK_IS_WIDGET (row));
  g_return_if_fail (GTK_IS_WIDGET (label));

  /* Both labels are the row's children: they live as long as it does. */
  names->label = label;
  names->detail = detail;
  g_signal_connect_data (row, "notify::parent", G_CALLBACK (name_parent_cb),
                         names, (GClosureNotify) g_free, 0);
  name_parent_cb (row, NULL, names);
}

/**
 * tt_a11y_announce_error:
 * @field: the field the text was typed into
 * @message: (nullable): why it is refused, or %NULL once it is not
 *
 * Tells a screen reader why what was typed into @field is refused: the
 * message becomes the field's description (read with the field, and
 * announced as it changes), and from GTK 4.14 on it is announced as
 * well. A tooltip alone reaches only the mouse.
 */
void
tt_a11y_announce_error (GtkWidget  *field,
                        const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (field));

  if (message == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);
  /* Built against the GTK it runs with: the API is used where the
   * headers have it, although the code otherwise keeps to 4.8's. */
#if GTK_CHECK_VERSION (4, 14, 0)
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_accessible_announce (GTK_ACCESSIBLE (field), message,
                           GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);
  G_GNUC_END_IGNORE_DEPRECATIONS
#endif
}
