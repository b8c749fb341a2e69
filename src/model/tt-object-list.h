/* tt-object-list.h: a small GListModel over an array
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TT_TYPE_OBJECT_LIST (tt_object_list_get_type ())

G_DECLARE_FINAL_TYPE (TtObjectList, tt_object_list, TT, OBJECT_LIST, GObject)

TtObjectList *tt_object_list_new    (GType         item_type);
void          tt_object_list_splice (TtObjectList *self,
                                     guint         position,
                                     guint         n_removals,
                                     gpointer     *additions,
                                     guint         n_additions);

G_END_DECLS
