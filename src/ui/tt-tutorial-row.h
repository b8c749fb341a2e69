/* tt-tutorial-row.h: one tutorial in the tutorial list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tt-tutorial.h"

G_BEGIN_DECLS

#define TT_TYPE_TUTORIAL_ROW (tt_tutorial_row_get_type ())

/* What a drag of tutorials carries: a GArray of their gint64 ids, as a
 * type of our own so that only our drop targets take it. */
typedef GArray TtTutorialIds;
#define TT_TYPE_TUTORIAL_IDS (tt_tutorial_ids_get_type ())
GType tt_tutorial_ids_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (TtTutorialRow, tt_tutorial_row, TT, TUTORIAL_ROW, GtkWidget)

GtkWidget  *tt_tutorial_row_new          (void);
TtTutorial *tt_tutorial_row_get_tutorial (TtTutorialRow *self);
void        tt_tutorial_row_set_tutorial (TtTutorialRow *self,
                                          TtTutorial    *tutorial);

GtkListItemFactory *tt_tutorial_row_factory_new (void);

G_END_DECLS
