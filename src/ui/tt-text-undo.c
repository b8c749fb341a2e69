/* tt-text-undo.c: which Ctrl+Z a text field gets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ctrl+Z undoes the window's last command wherever the focus is, except
 * in a text field with typing of its own that is not a command yet:
 * there it takes back the typing, as in any text field. Typing becomes a
 * command when the editor saves it or the tag field makes a chip of it;
 * the field then forgets its own history (tt_text_undo_forget()) and
 * remembers the text it had, so that typing taken back to that text
 * hands Ctrl+Z to the window again.
 *
 * GtkText keeps its "text.undo" action enabled even with nothing to
 * undo, so it would take every Ctrl+Z: the window asks here first
 * (tt_text_undo_has_own_typing()), before the key reaches the field.
 */

#define G_LOG_DOMAIN "tt-text-undo"

#include "config.h"

#include "tt-text-undo.h"

#define COMMITTED_KEY "tt-text-undo-committed"

/* The widget that holds the text: the innermost delegate of an editable
 * (the GtkText inside an AdwEntryRow or a GtkSearchEntry), or a text
 * view. NULL for anything else. */
static GtkWidget *
text_holder (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return widget;
  if (!GTK_IS_EDITABLE (widget))
    return NULL;

  for (GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (widget));
       delegate != NULL;
       delegate = gtk_editable_get_delegate (delegate))
    widget = GTK_WIDGET (delegate);

  return widget;
}

/* Returns: (transfer full): what @holder shows */
static char *
dup_text (GtkWidget *holder)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (GTK_IS_EDITABLE (holder))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (holder)));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (holder));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/**
 * tt_text_undo_forget:
 * @field: a #GtkEditable or a #GtkTextView
 *
 * What @field shows is a command now (or the catalogue's text): its own
 * history goes, and Ctrl+Z in it is the window's until it is typed in.
 */
void
tt_text_undo_forget (GtkWidget *field)
{
  GtkWidget *holder = text_holder (field);

  g_return_if_fail (holder != NULL);

  /* Turning undo off empties the history. */
  if (GTK_IS_TEXT_VIEW (holder))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (holder));

      gtk_text_buffer_set_enable_undo (buffer, FALSE);
      gtk_text_buffer_set_enable_undo (buffer, TRUE);
    }
  else
    {
      gtk_editable_set_enable_undo (GTK_EDITABLE (holder), FALSE);
      gtk_editable_set_enable_undo (GTK_EDITABLE (holder), TRUE);
    }
  g_object_set_data_full (G_OBJECT (holder), COMMITTED_KEY, dup_text (holder), g_free);
}

/**
 * tt_text_undo_has_own_typing:
 * @focus: (nullable): the widget with the keyboard focus
 *
 * Returns: whether @focus is a text field whose text differs from what
 *   it had when it last forgot its history (empty, if it never did):
 *   then Ctrl+Z is the field's
 */
gboolean
tt_text_undo_has_own_typing (GtkWidget *focus)
{
  GtkWidget *holder = focus != NULL ? text_holder (focus) : NULL;
  const char *committed;
  g_autofree char *text = NULL;

  if (holder == NULL)
    return FALSE;

  committed = g_object_get_data (G_OBJECT (holder), COMMITTED_KEY);
  text = dup_text (holder);
  return g_strcmp0 (text, committed != NULL ? committed : "") != 0;
}
