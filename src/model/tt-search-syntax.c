/* tt-search-syntax.c: what the search field's text asks for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One scanner reads the text word by word (next_word()); parsing, finding
 * the word under the cursor and the completion all use it, so that what
 * is completed is what is searched for.
 */

#define G_LOG_DOMAIN "tt-search-syntax"

#include "config.h"

#include <string.h>

#include "tt-rules.h"
#include "tt-search-syntax.h"

#define TAG_PREFIX     "tag:"
#define TAG_PREFIX_LEN 4

/* One word of the text: where it lies (bytes) and what it holds (for a
 * tag, the name without its quotes). */
typedef struct
{
  gsize     start;
  gsize     end;
  gboolean  is_tag;
  GString  *value;
} Word;

static gboolean
is_space (const char *p)
{
  return g_unichar_isspace (g_utf8_get_char (p));
}

static const char *
skip_spaces (const char *p)
{
  while (*p != '\0' && is_space (p))
    p = g_utf8_next_char (p);

  return p;
}

/* Up to the next space: quotes and backslashes there are the name's own. */
static const char *
scan_plain (const char *p,
            GString    *value)
{
  const char *start = p;

  while (*p != '\0' && !is_space (p))
    p = g_utf8_next_char (p);
  g_string_append_len (value, start, p - start);

  return p;
}

/* Up to the closing quote, or to the end when there is none (the person
 * is still typing). \" and \\ stand for a quote and a backslash; any
 * other backslash is itself ("C:\path"). */
static const char *
scan_quoted (const char *p,
             GString    *value)
{
  for (; *p != '\0'; p++)
    {
      if (*p == '"')
        return p + 1;
      if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
        p++;
      g_string_append_c (value, *p);
    }

  return p;
}

static gboolean
next_word (const char *text,
           const char *from,
           Word       *word)
{
  const char *p = skip_spaces (from);

  if (*p == '\0')
    return FALSE;

  word->start = p - text;
  word->is_tag = g_ascii_strncasecmp (p, TAG_PREFIX, TAG_PREFIX_LEN) == 0;
  g_string_truncate (word->value, 0);
  if (!word->is_tag)
    p = scan_plain (p, word->value);
  else if (p[TAG_PREFIX_LEN] == '"')
    p = scan_quoted (p + TAG_PREFIX_LEN + 1, word->value);
  else
    p = scan_plain (p + TAG_PREFIX_LEN, word->value);
  word->end = p - text;

  return TRUE;
}

/**
 * tt_search_syntax_parse:
 * @text: what was typed in the search field
 *
 * Returns: (transfer full) (nullable): the tags and text it asks for, or
 *   %NULL when @text is not UTF-8
 */
TtSearchSyntax *
tt_search_syntax_parse (const char *text)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  g_autoptr(GString) words = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);
  Word word = { .value = value };
  TtSearchSyntax *syntax;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  for (const char *p = text; next_word (text, p, &word); p = text + word.end)
    {
      if (!word.is_tag)
        g_string_append_printf (words, "%s%s", words->len > 0 ? " " : "", value->str);
      else
        {
          /* Names are stored trimmed; "tag:" with no name asks for nothing. */
          g_autofree char *name = tt_rules_strip (value->str);

          if (name != NULL && name[0] != '\0')
            g_ptr_array_add (tags, g_steal_pointer (&name));
        }
    }

  syntax = g_new0 (TtSearchSyntax, 1);
  syntax->tags = (char **) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
  syntax->text = g_string_free (g_steal_pointer (&words), FALSE);

  return syntax;
}

void
tt_search_syntax_free (TtSearchSyntax *syntax)
{
  if (syntax == NULL)
    return;

  g_strfreev (syntax->tags);
  g_free (syntax->text);
  g_free (syntax);
}

static gboolean
needs_quotes (const char *name)
{
  if (name[0] == '\0' || name[0] == '"')
    return TRUE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (is_space (p))
      return TRUE;

  return FALSE;
}

/**
 * tt_search_syntax_quote_tag:
 * @name: a tag name
 *
 * Returns: (transfer full): the word that asks for @name: `tag:rust`,
 *   `tag:"GNOME HIG"`
 */
char *
tt_search_syntax_quote_tag (const char *name)
{
  GString *word;

  g_return_val_if_fail (name != NULL, NULL);

  if (!needs_quotes (name))
    return g_strconcat (TAG_PREFIX, name, NULL);

  word = g_string_new (TAG_PREFIX "\"");
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (word, '\\');
      g_string_append_c (word, *p);
    }
  g_string_append_c (word, '"');

  return g_string_free (word, FALSE);
}

/**
 * tt_search_syntax_format:
 * @tags: (array zero-terminated=1): tag names
 * @text: (nullable): the other words
 *
 * The search text that tt_search_syntax_parse() reads back as @tags and
 * @text: the tags first, then the text.
 *
 * Returns: (transfer full): the search text
 */
char *
tt_search_syntax_format (const char * const *tags,
                         const char         *text)
{
  GString *formatted = g_string_new (NULL);

  g_return_val_if_fail (tags != NULL, NULL);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      g_autofree char *word = tt_search_syntax_quote_tag (tags[i]);

      g_string_append_printf (formatted, "%s%s", i > 0 ? " " : "", word);
    }
  if (text != NULL && text[0] != '\0')
    g_string_append_printf (formatted, "%s%s", formatted->len > 0 ? " " : "", text);

  return g_string_free (formatted, FALSE);
}

/**
 * tt_search_syntax_tag_word_at:
 * @text: the search text
 * @cursor: a byte offset in @text
 * @word: (out caller-allocates): set when %TRUE is returned; clear it with
 *   tt_search_tag_word_clear()
 *
 * Whether @cursor is in the name of a `tag:` word (from just after the
 * colon to the end of the word): that is what completion completes.
 */
gboolean
tt_search_syntax_tag_word_at (const char      *text,
                              gsize            cursor,
                              TtSearchTagWord *word)
{
  g_autoptr(GString) value = g_string_new (NULL);
  Word scanned = { .value = value };

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (word != NULL, FALSE);

  for (const char *p = text; next_word (text, p, &scanned); p = text + scanned.end)
    {
      if (scanned.start > cursor)
        break;
      if (scanned.is_tag &&
          cursor >= scanned.start + TAG_PREFIX_LEN && cursor <= scanned.end)
        {
          word->start = scanned.start;
          word->end = scanned.end;
          word->name = g_strdup (value->str);
          return TRUE;
        }
    }

  return FALSE;
}

void
tt_search_tag_word_clear (TtSearchTagWord *word)
{
  g_clear_pointer (&word->name, g_free);
}

/**
 * tt_search_syntax_find_tag:
 * @tags: (element-type TtTag): the tags of the catalogue
 * @name: a name from a `tag:` word
 *
 * The tag @name means: the one that is the same tag (tt_tag_name_key():
 * "rust" is "Rust"), or else the only one whose name folds the same way
 * as search does (tt_rules_search_key(): "zurich" is "Zürich" when no
 * other tag folds so; "cafe" is neither of "Café" and "Cafè").
 *
 * Returns: (transfer full) (nullable): the tag, or %NULL
 */
TtTag *
tt_search_syntax_find_tag (GListModel *tags,
                           const char *name)
{
  g_autofree char *search_key = NULL;
  g_autofree char *name_key = NULL;
  g_autoptr(TtTag) alike = NULL;
  guint n_alike = 0;
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (tags), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  search_key = tt_rules_search_key (name);
  name_key = tt_tag_name_key (name);
  if (name[0] == '\0' || search_key == NULL || name_key == NULL)
    return NULL;

  /* Names that are the same tag also fold the same way, so the search
   * key (made once per tag) sorts out nearly every tag first. */
  n_items = g_list_model_get_n_items (tags);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);
      g_autofree char *tag_key = NULL;

      if (strcmp (tt_tag_get_search_key (tag), search_key) != 0)
        continue;
      tag_key = tt_tag_name_key (tt_tag_get_name (tag));
      if (g_strcmp0 (tag_key, name_key) == 0)
        return g_steal_pointer (&tag);
      n_alike++;
      g_set_object (&alike, tag);
    }

  return n_alike == 1 ? g_steal_pointer (&alike) : NULL;
}

/**
 * tt_search_syntax_match_tag:
 * @tag: a tag that could be suggested
 * @typed_key: tt_rules_search_key() of what was typed
 *
 * How suggestions are matched, in the search field as in the tag editor:
 * case and accents do not count.
 */
TtSearchMatch
tt_search_syntax_match_tag (TtTag      *tag,
                            const char *typed_key)
{
  const char *key;

  g_return_val_if_fail (TT_IS_TAG (tag), TT_SEARCH_MATCH_NONE);
  g_return_val_if_fail (typed_key != NULL, TT_SEARCH_MATCH_NONE);

  key = tt_tag_get_search_key (tag);
  if (g_str_has_prefix (key, typed_key))
    return TT_SEARCH_MATCH_START;
  if (strstr (key, typed_key) != NULL)
    return TT_SEARCH_MATCH_INSIDE;

  return TT_SEARCH_MATCH_NONE;
}
