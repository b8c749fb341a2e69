/* tt-search-syntax.h: what the search field's text asks for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The search text is words; a word that starts with "tag:" (in any case)
 * names a tag instead: `tag:rust gtk` asks for the tutorials tagged "rust"
 * whose text holds "gtk". A name with spaces is quoted, `tag:"GNOME HIG"`;
 * inside quotes \" is a quote and \\ a backslash. A quote left open runs
 * to the end of the text, and `tag:` with no name asks for nothing.
 */

#pragma once

#include <gio/gio.h>

#include "tt-tag.h"

G_BEGIN_DECLS

typedef struct
{
  /* The tag names, as typed (trimmed, unquoted), in order; NULL-ended. */
  char  **tags;
  /* The other words, in order, joined by one space; "" when none. */
  char   *text;
} TtSearchSyntax;

/* Where a `tag:` word lies in the text, in bytes, and the name it holds. */
typedef struct
{
  gsize  start;        /* at "tag:" */
  gsize  end;          /* after the word (and its closing quote) */
  char  *name;         /* unquoted, untrimmed */
} TtSearchTagWord;

/* How a tag's name meets what was typed: suggestions that start with it
 * come before those that only contain it. */
typedef enum
{
  TT_SEARCH_MATCH_NONE,
  TT_SEARCH_MATCH_START,
  TT_SEARCH_MATCH_INSIDE,
} TtSearchMatch;

TtSearchSyntax *tt_search_syntax_parse      (const char           *text);
void            tt_search_syntax_free       (TtSearchSyntax       *syntax);
char           *tt_search_syntax_format     (const char * const   *tags,
                                             const char           *text);
char           *tt_search_syntax_quote_tag  (const char           *name);
gboolean        tt_search_syntax_tag_word_at (const char          *text,
                                              gsize                cursor,
                                              TtSearchTagWord     *word);
void            tt_search_tag_word_clear    (TtSearchTagWord      *word);

TtTag          *tt_search_syntax_find_tag   (GListModel           *tags,
                                             const char           *name);
TtSearchMatch   tt_search_syntax_match_tag  (TtTag                *tag,
                                             const char           *typed_key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtSearchSyntax, tt_search_syntax_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TtSearchTagWord, tt_search_tag_word_clear)

G_END_DECLS
