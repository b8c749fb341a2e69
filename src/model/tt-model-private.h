/* tt-model-private.h: what the model objects share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tt-object-list.h"

G_BEGIN_DECLS

gboolean      tt_model_set_str       (char          **ptr,
                                      const char     *value);
gboolean      tt_model_set_date_time (GDateTime     **ptr,
                                      GDateTime      *value);
gboolean      tt_model_date_time_equal (GDateTime   *a,
                                        GDateTime   *b);
gboolean      tt_model_holds_only    (GListModel     *items,
                                      GType           item_type);
TtObjectList *tt_model_ensure_list   (TtObjectList  **list,
                                      GType           item_type);
void          tt_model_replace_items (TtObjectList  **list,
                                      GType           item_type,
                                      GListModel     *items);

G_END_DECLS
