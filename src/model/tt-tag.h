/* tt-tag.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TT_TYPE_TAG (tt_tag_get_type ())

G_DECLARE_FINAL_TYPE (TtTag, tt_tag, TT, TAG, GObject)

TtTag      *tt_tag_new                (gint64        id,
                                       const char   *name);
gint64      tt_tag_get_id             (TtTag        *self);
const char *tt_tag_get_name           (TtTag        *self);
void        tt_tag_set_name           (TtTag        *self,
                                       const char   *name);
GDateTime  *tt_tag_get_created_at     (TtTag        *self);
void        tt_tag_set_created_at     (TtTag        *self,
                                       GDateTime    *created_at);
GDateTime  *tt_tag_get_updated_at     (TtTag        *self);
void        tt_tag_set_updated_at     (TtTag        *self,
                                       GDateTime    *updated_at);
guint       tt_tag_get_tutorial_count (TtTag        *self);
void        tt_tag_set_tutorial_count (TtTag        *self,
                                       guint         count);
GDateTime  *tt_tag_get_last_linked_at (TtTag        *self);
void        tt_tag_set_last_linked_at (TtTag        *self,
                                       GDateTime    *last_linked_at);
const char *tt_tag_get_colour         (TtTag        *self);
void        tt_tag_set_colour         (TtTag        *self,
                                       const char   *colour);
GListModel *tt_tag_get_tutorials      (TtTag        *self);
void        tt_tag_set_tutorials      (TtTag        *self,
                                       GListModel   *tutorials);

gboolean    tt_tag_equal              (TtTag        *a,
                                       TtTag        *b);
const char *tt_tag_get_search_key     (TtTag        *self);
int         tt_tag_compare_by_name    (TtTag        *a,
                                       TtTag        *b);
int         tt_tag_compare_by_name_data (gconstpointer a,
                                         gconstpointer b,
                                         gpointer      unused);
GPtrArray  *tt_tag_sorted_by_name     (GListModel   *tags);

/* The most characters a name key has: what the store's key column holds.
 * On MySQL a unique index covers at most 3072 bytes, and utf8mb4 counts
 * 4 bytes a character. A plain number: the schema's SQL spells it out. */
#define TT_TAG_NAME_KEY_MAX_CHARS 768

char       *tt_tag_name_key           (const char   *name);

G_END_DECLS
