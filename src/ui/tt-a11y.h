/* tt-a11y.h: what a screen reader needs that GTK does not give by itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void tt_a11y_name_list_item (GtkWidget *row,
                             GtkWidget *label,
                             GtkWidget *detail);
void tt_a11y_announce_error (GtkWidget  *field,
                             const char *message);

G_END_DECLS
