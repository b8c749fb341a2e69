/* test-search-syntax.c: the search field's `tag:` words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tt-object-list.h"
#include "tt-search-syntax.h"

/* "[tag|tag] text": what a parse found, to compare in one go. */
static char *
describe_parse (const char *text)
{
  g_autoptr(TtSearchSyntax) syntax = tt_search_syntax_parse (text);
  g_autofree char *tags = NULL;

  if (syntax == NULL)
    return g_strdup ("(invalid)");

  tags = g_strjoinv ("|", syntax->tags);
  return g_strdup_printf ("[%s] %s", tags, syntax->text);
}

static void
assert_parse (const char *text,
              const char *expected)
{
  g_autofree char *described = describe_parse (text);

  g_test_message ("parse «%s»", text);
  g_assert_cmpstr (described, ==, expected);
}

static void
test_parse_plain (void)
{
  assert_parse ("", "[] ");
  assert_parse ("gtk", "[] gtk");
  assert_parse ("tag:rust gtk", "[rust] gtk");
  assert_parse ("gtk tag:rust", "[rust] gtk");
  assert_parse ("tag:\"GNOME HIG\"", "[GNOME HIG] ");
  assert_parse ("tag:a meson tag:b build", "[a|b] meson build");
  /* "tag:" in any case; only at the start of a word. */
  assert_parse ("TAG:a Tag:b tAg:c", "[a|b|c] ");
  assert_parse ("xtag:a", "[] xtag:a");
  assert_parse ("\"tag:a\"", "[] \"tag:a\"");
  /* The words of the text keep their order, one space apart. */
  assert_parse ("  one \t two\n\nthree  ", "[] one two three");
  assert_parse ("one tag:x   two", "[x] one two");
  /* A word may hold a colon without being a tag. */
  assert_parse ("tags:a ta:b", "[] tags:a ta:b");
}

static void
test_parse_empty_and_open (void)
{
  /* "tag:" alone asks for nothing, and is no error. */
  assert_parse ("tag:", "[] ");
  assert_parse ("tag: rust", "[] rust");
  assert_parse ("gtk tag:", "[] gtk");
  assert_parse ("tag:\"\"", "[] ");
  assert_parse ("tag:\"   \" x", "[] x");
  /* A quote left open runs to the end. */
  assert_parse ("tag:\"GNOME HIG", "[GNOME HIG] ");
  assert_parse ("gtk tag:\"GNOME  HIG  tag:x", "[GNOME  HIG  tag:x] gtk");
  assert_parse ("tag:\"", "[] ");
  /* Names are trimmed as stored names are. */
  assert_parse ("tag:\" rust \"", "[rust] ");
  /* A closing quote ends the word even with no space after it. */
  assert_parse ("tag:\"a b\"c", "[a b] c");
}

static void
test_parse_hostile (void)
{
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *long_search = g_strdup_printf ("tag:%s end", long_name);
  g_autofree char *long_expected = g_strdup_printf ("[%s] end", long_name);

  assert_parse (long_search, long_expected);
  /* Quotes inside a name: as typed when unquoted, escaped when quoted. */
  assert_parse ("tag:say\"hi\" x", "[say\"hi\"] x");
  assert_parse ("tag:\"a \\\"b\\\" c\"", "[a \"b\" c] ");
  assert_parse ("tag:\"back\\\\slash\"", "[back\\slash] ");
  assert_parse ("tag:\"C:\\path\"", "[C:\\path] ");
  assert_parse ("tag:\"ends with \\", "[ends with \\] ");
  /* Emoji, right-to-left text, other spaces. */
  assert_parse ("tag:🦀 crab 🦀", "[🦀] crab 🦀");
  assert_parse ("tag:\"עברית עם רווח\" مرحبا بالعالم",
                "[עברית עם רווח] مرحبا بالعالم");
  assert_parse ("tag:שלום\u2003x", "[שלום] x");
  assert_parse ("a\u00a0tag:b", "[b] a");
  assert_parse ("tag:a\u3000b", "[a] b");
  /* Not text at all. */
  assert_parse ("tag:\xff\xfe", "(invalid)");
}

static void
assert_round_trip (const char * const *tags,
                   const char         *text,
                   const char         *expected)
{
  g_autofree char *formatted = tt_search_syntax_format (tags, text);
  g_autoptr(TtSearchSyntax) syntax = tt_search_syntax_parse (formatted);

  g_assert_cmpstr (formatted, ==, expected);
  g_assert_nonnull (syntax);
  g_assert_cmpstrv (syntax->tags, tags);
  g_assert_cmpstr (syntax->text, ==, text);
}

static void
test_format (void)
{
  const char *plain[] = { "rust", NULL };
  const char *spaced[] = { "GNOME HIG", "gtk", NULL };
  const char *quotes[] = { "a\"b c", "\"lead", "say\"hi\"", "back\\slash x", NULL };
  const char *others[] = { "🦀 crab", "עברית", "ends\\", "tab\tin", NULL };
  const char *none[] = { NULL };

  assert_round_trip (plain, "gtk", "tag:rust gtk");
  assert_round_trip (spaced, "", "tag:\"GNOME HIG\" tag:gtk");
  assert_round_trip (quotes, "x y",
                     "tag:\"a\\\"b c\" tag:\"\\\"lead\" tag:say\"hi\" tag:\"back\\\\slash x\" x y");
  assert_round_trip (others, "", "tag:\"🦀 crab\" tag:עברית tag:ends\\ tag:\"tab\tin\"");
  assert_round_trip (none, "only text", "only text");
  assert_round_trip (none, "", "");
}

static void
assert_word_at (const char *text,
                gsize       cursor,
                gssize      start,
                gsize       end,
                const char *name)
{
  g_auto(TtSearchTagWord) word = { 0 };
  gboolean found = tt_search_syntax_tag_word_at (text, cursor, &word);

  g_test_message ("«%s» at %" G_GSIZE_FORMAT, text, cursor);
  if (start < 0)
    {
      g_assert_false (found);
      g_assert_null (word.name);
      return;
    }
  g_assert_true (found);
  g_assert_cmpuint (word.start, ==, start);
  g_assert_cmpuint (word.end, ==, end);
  g_assert_cmpstr (word.name, ==, name);
}

static void
test_word_at (void)
{
  assert_word_at ("gtk tag:ru", 10, 4, 10, "ru");
  assert_word_at ("gtk tag:ru", 8, 4, 10, "ru");
  assert_word_at ("gtk tag:ru", 9, 4, 10, "ru");
  /* Before or inside "tag:" the word is still being typed as text. */
  assert_word_at ("gtk tag:ru", 4, -1, 0, NULL);
  assert_word_at ("gtk tag:ru", 6, -1, 0, NULL);
  assert_word_at ("gtk tag:ru", 3, -1, 0, NULL);
  assert_word_at ("tag:", 4, 0, 4, "");
  assert_word_at ("tag:\"GNOME H", 12, 0, 12, "GNOME H");
  assert_word_at ("tag:\"GNOME HIG\" x", 15, 0, 15, "GNOME HIG");
  assert_word_at ("tag:\"GNOME HIG\" x", 16, -1, 0, NULL);
  assert_word_at ("tag:a TAG:bc", 12, 6, 12, "bc");
  assert_word_at ("tag:🦀", strlen ("tag:🦀"), 0, strlen ("tag:🦀"), "🦀");
  assert_word_at ("plain words", 5, -1, 0, NULL);
}

static GListModel *
make_tags (const char * const *names)
{
  GListStore *tags = g_list_store_new (TT_TYPE_TAG);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(TtTag) tag = tt_tag_new (i + 1, names[i]);

      g_list_store_append (tags, tag);
    }

  return G_LIST_MODEL (tags);
}

static void
assert_found (GListModel *tags,
              const char *name,
              const char *expected)
{
  g_autoptr(TtTag) tag = tt_search_syntax_find_tag (tags, name);

  g_test_message ("find «%s»", name);
  g_assert_cmpstr (tag != NULL ? tt_tag_get_name (tag) : NULL, ==, expected);
}

static void
test_find_tag (void)
{
  const char *names[] = { "Rust", "GNOME HIG", "Café", "Cafè", "Zürich", "ﬁle", "🦀", NULL };
  g_autoptr(GListModel) tags = make_tags (names);

  assert_found (tags, "rust", "Rust");
  assert_found (tags, "RUST", "Rust");
  assert_found (tags, "gnome hig", "GNOME HIG");
  assert_found (tags, "café", "Café");
  assert_found (tags, "CAFÈ", "Cafè");
  /* No tag is named so, but one alone folds the same way. */
  assert_found (tags, "zurich", "Zürich");
  assert_found (tags, "file", "ﬁle");
  /* Two do: which one was meant cannot be told. */
  assert_found (tags, "cafe", NULL);
  assert_found (tags, "🦀", "🦀");
  assert_found (tags, "rus", NULL);
  assert_found (tags, "nothing", NULL);
  assert_found (tags, "", NULL);
}

static void
test_match_tag (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (1, "Zürich Rust");

  g_assert_cmpint (tt_search_syntax_match_tag (tag, ""), ==, TT_SEARCH_MATCH_START);
  g_assert_cmpint (tt_search_syntax_match_tag (tag, "zu"), ==, TT_SEARCH_MATCH_START);
  g_assert_cmpint (tt_search_syntax_match_tag (tag, "rust"), ==, TT_SEARCH_MATCH_INSIDE);
  g_assert_cmpint (tt_search_syntax_match_tag (tag, "go"), ==, TT_SEARCH_MATCH_NONE);
}

/* A tag word is resolved on each query: at 10 000 tags it finds the one
 * meant, and says how long that took (the figure in the report). */
static void
test_find_tag_10000 (void)
{
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(TtTag) warm_up = NULL;
  gint64 start, took;

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Tägliches Thema %05u", i);
      g_autoptr(TtTag) tag = tt_tag_new (i + 1, name);

      g_list_store_append (tags, tag);
    }
  /* The keys are made once per tag, on the first search. */
  warm_up = tt_search_syntax_find_tag (G_LIST_MODEL (tags), "x");
  g_assert_null (warm_up);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(TtTag) tag = tt_search_syntax_find_tag (G_LIST_MODEL (tags), "TAGLICHES thema 09999");

      g_assert_nonnull (tag);
      g_assert_cmpint (tt_tag_get_id (tag), ==, 10000);
    }
  took = (g_get_monotonic_time () - start) / 100;
  g_test_message ("a tag word resolved among 10 000 tags: %" G_GINT64_FORMAT " us", took);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search-syntax/parse/plain", test_parse_plain);
  g_test_add_func ("/search-syntax/parse/empty-and-open", test_parse_empty_and_open);
  g_test_add_func ("/search-syntax/parse/hostile", test_parse_hostile);
  g_test_add_func ("/search-syntax/format", test_format);
  g_test_add_func ("/search-syntax/word-at", test_word_at);
  g_test_add_func ("/search-syntax/find-tag", test_find_tag);
  g_test_add_func ("/search-syntax/match-tag", test_match_tag);
  g_test_add_func ("/search-syntax/find-tag-10000", test_find_tag_10000);

  return g_test_run ();
}
