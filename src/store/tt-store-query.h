/* tt-store-query.h: what a tutorial list selects, and in which order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TT_TAG_MATCH_ANY,
  TT_TAG_MATCH_ALL,
  TT_TAG_MATCH_UNTAGGED,
} TtTagMatch;

typedef enum
{
  TT_SORT_BY_ID,
  TT_SORT_BY_TITLE,
  TT_SORT_BY_CREATED,
  TT_SORT_BY_UPDATED,
} TtSortKey;

/* What tt_store_list_tutorials() returns. A zeroed query lists every
 * tutorial in creation (id) order, without tags.
 */
typedef struct
{
  const char   *text;       /* substring of title, description or a tag name, or NULL */
  const gint64 *tag_ids;    /* filter by these tags, with @match */
  guint         n_tag_ids;
  TtTagMatch    match;      /* UNTAGGED ignores @tag_ids */
  TtSortKey     sort;
  gboolean      descending;
  gboolean      with_tags;  /* fill each tutorial's tags */
} TtTutorialQuery;

TtTutorialQuery *tt_tutorial_query_copy (const TtTutorialQuery *query);
void             tt_tutorial_query_free (TtTutorialQuery       *query);
gboolean         tt_tutorial_query_equal (const TtTutorialQuery *a,
                                          const TtTutorialQuery *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtTutorialQuery, tt_tutorial_query_free)

G_END_DECLS
