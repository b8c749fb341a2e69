/* tt-text-undo.h: which Ctrl+Z a text field gets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     tt_text_undo_forget          (GtkWidget *field);
gboolean tt_text_undo_has_own_typing  (GtkWidget *focus);

G_END_DECLS
