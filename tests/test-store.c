/* test-store.c: the store's operations, on SQLite and on MariaDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "tt-error-table.h"
#include "tt-gda-autocleanups.h"
#include "tt-store-copy.h"
#include "tt-test-cli.h"
#include "tt-rules.h"
#include "tt-test-fixture.h"

static TtTutorial *
add_tutorial (TtStore    *store,
              const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = g_strdup_printf ("%s Description", title);
  TtTutorial *tutorial = tt_store_create_tutorial (store, title, description, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tutorial);
  return tutorial;
}

static TtTag *
add_tag (TtStore    *store,
         const char *name)
{
  g_autoptr(GError) error = NULL;
  TtTag *tag = tt_store_create_tag (store, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tag);
  return tag;
}

static void
link_ok (TtStore *store,
         gint64   tutorial_id,
         gint64   tag_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_store_link (store, tutorial_id, tag_id, &error));
  g_assert_no_error (error);
}

/* The ids of a model's items, as "1,2,3", for compact assertions. */
static char *
ids_of (GListModel *model)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      gint64 id = TT_IS_TAG (item) ? tt_tag_get_id (TT_TAG (item))
                                   : tt_tutorial_get_id (TT_TUTORIAL (item));

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", id);
    }

  return g_string_free (out, FALSE);
}

#define assert_ids(model, expected) G_STMT_START { \
  g_autofree char *_ids = ids_of (G_LIST_MODEL (model)); \
  g_assert_cmpstr (_ids, ==, expected); \
} G_STMT_END

/* The tutorial's scenario: Tut#1..4, Tag#1..2 and six links. */
static void
seed (TtStore *store)
{
  static const gint64 links[][2] = { {1, 1}, {1, 2}, {1, 3}, {2, 3}, {2, 4}, {2, 1} };

  for (int i = 1; i <= 4; i++)
    {
      g_autofree char *title = g_strdup_printf ("Tut#%d", i);
      g_autoptr(TtTutorial) tutorial = add_tutorial (store, title);

      g_assert_cmpint (tt_tutorial_get_id (tutorial), ==, i);
    }
  g_object_unref (add_tag (store, "Tag#1"));
  g_object_unref (add_tag (store, "Tag#2"));

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    link_ok (store, links[i][1], links[i][0]);
}

static void
test_seed_scenario (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(GListModel) tutorials = NULL;
  TtTutorialQuery query = { .with_tags = TRUE };
  gint64 n_tutorials = -1;
  gint64 n_tags = -1;
  OPEN_STORE_OR_SKIP (store);

  seed (store);

  g_assert_true (tt_store_count (store, &n_tutorials, &n_tags, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_tutorials, ==, 4);
  g_assert_cmpint (n_tags, ==, 2);

  tag = tt_store_get_tag (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tag_get_name (tag), ==, "Tag#1");
  assert_ids (tt_tag_get_tutorials (tag), "1,2,3");
  g_assert_cmpuint (tt_tag_get_tutorial_count (tag), ==, 3);

  tags = tt_store_list_tags (store, TRUE, &error);
  g_assert_no_error (error);
  assert_ids (tags, "1,2");
  {
    g_autoptr(TtTag) tag2 = g_list_model_get_item (tags, 1);
    assert_ids (tt_tag_get_tutorials (tag2), "1,3,4");
  }

  tutorial = tt_store_get_tutorial (store, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tutorial_get_title (tutorial), ==, "Tut#3");
  g_assert_cmpstr (tt_tutorial_get_description (tutorial), ==, "Tut#3 Description");
  assert_ids (tt_tutorial_get_tags (tutorial), "1,2");
  g_assert_nonnull (tt_tutorial_get_created_at (tutorial));

  tutorials = tt_store_list_tutorials (store, &query, &error);
  g_assert_no_error (error);
  assert_ids (tutorials, "1,2,3,4");
  {
    g_autoptr(TtTutorial) t1 = g_list_model_get_item (tutorials, 0);
    g_autoptr(TtTutorial) t2 = g_list_model_get_item (tutorials, 1);
    g_autoptr(TtTutorial) t4 = g_list_model_get_item (tutorials, 3);
    assert_ids (tt_tutorial_get_tags (t1), "1,2");
    assert_ids (tt_tutorial_get_tags (t2), "1");
    assert_ids (tt_tutorial_get_tags (t4), "2");
  }
}

static void
assert_invalid_title (TtStore    *store,
                      const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tutorial = tt_store_create_tutorial (store, title, NULL, &error);

  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
  g_assert_null (tutorial);
}

static void
test_tutorial_input_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *max_title = g_strnfill (255, 'a');
  g_autofree char *long_title = g_strnfill (256, 'a');
  g_autofree char *max_description = g_strnfill (TT_MAX_DESCRIPTION_BYTES, 'd');
  g_autofree char *long_description = g_strnfill (TT_MAX_DESCRIPTION_BYTES + 1, 'd');
  g_autoptr(TtTutorial) ok = NULL;
  g_autoptr(TtTutorial) ok_desc = NULL;
  g_autoptr(TtTutorial) too_long = NULL;
  g_autoptr(TtTutorial) read = NULL;
  g_autoptr(GListModel) all = NULL;
  OPEN_STORE_OR_SKIP (store);

  assert_invalid_title (store, "");
  assert_invalid_title (store, "  \t ");
  assert_invalid_title (store, long_title);
  assert_invalid_title (store, "bad \xff\xfe utf-8");

  ok = tt_store_create_tutorial (store, max_title, NULL, &error);
  g_assert_no_error (error);
  ok_desc = tt_store_create_tutorial (store, "Long", max_description, &error);
  g_assert_no_error (error);
  read = tt_store_get_tutorial (store, tt_tutorial_get_id (ok_desc), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tutorial_get_description (read), ==, max_description);

  too_long = tt_store_create_tutorial (store, "Too long", long_description, &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
  g_assert_null (too_long);
  g_clear_error (&error);

  all = tt_store_list_tutorials (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 2);
}

static const char * const tricky_texts[] = {
  "'); DROP TABLE tags; --",
  "Robert\"; DELETE FROM tutorials WHERE \"1\"=\"1",
  "emoji 🦀🐍 👩‍👩‍👧 ok",
  "שלום עולם — RTL",
  "مرحبا بالعالم",
  "back\\slash %percent_ under_score 'quote' `tick`",
  "combining e\xcc\x81 vs \xc3\xa9",
  "tab\tnew\nline",
};

static void
test_unicode_round_trip (void)
{
  OPEN_STORE_OR_SKIP (store);

  for (guint i = 0; i < G_N_ELEMENTS (tricky_texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TtTutorial) created = NULL;
      g_autoptr(TtTutorial) read = NULL;
      g_autoptr(TtTag) tag = NULL;
      g_autoptr(TtTag) tag_read = NULL;

      created = tt_store_create_tutorial (store, tricky_texts[i], tricky_texts[i], &error);
      g_assert_no_error (error);
      read = tt_store_get_tutorial (store, tt_tutorial_get_id (created), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (tt_tutorial_get_title (read), ==, tricky_texts[i]);
      g_assert_cmpstr (tt_tutorial_get_description (read), ==, tricky_texts[i]);

      tag = tt_store_create_tag (store, tricky_texts[i], &error);
      g_assert_no_error (error);
      tag_read = tt_store_get_tag (store, tt_tag_get_id (tag), &error);
      g_assert_no_error (error);
      /* Tag names are trimmed; none of these has outer white space. */
      g_assert_cmpstr (tt_tag_get_name (tag_read), ==, tricky_texts[i]);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) tags = tt_store_list_tags (store, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (tags), ==, G_N_ELEMENTS (tricky_texts));
  }
}

static void
assert_invalid_tag (TtStore    *store,
                    const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) tag = tt_store_create_tag (store, name, &error);

  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
  g_assert_null (tag);
}

static void
test_tag_input_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *max_name = g_strnfill (255, 'x');
  g_autofree char *long_name = g_strnfill (256, 'x');
  g_autofree char *max_emoji = NULL;
  g_autoptr(TtTag) trimmed = NULL;
  g_autoptr(TtTag) max = NULL;
  g_autoptr(TtTag) emoji = NULL;
  GString *emoji_name = g_string_new (NULL);
  OPEN_STORE_OR_SKIP (store);

  assert_invalid_tag (store, "");
  assert_invalid_tag (store, " \t\n ");
  assert_invalid_tag (store, "\xc2\xa0");  /* a no-break space alone */
  assert_invalid_tag (store, long_name);
  assert_invalid_tag (store, "\xc3\x28");

  trimmed = tt_store_create_tag (store, "  GTK 4 \n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tag_get_name (trimmed), ==, "GTK 4");

  max = tt_store_create_tag (store, max_name, &error);
  g_assert_no_error (error);

  /* 255 characters, 1020 bytes: the limit counts characters. */
  for (int i = 0; i < 255; i++)
    g_string_append (emoji_name, "🦀");
  max_emoji = g_string_free (emoji_name, FALSE);
  emoji = tt_store_create_tag (store, max_emoji, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tag_get_name (emoji), ==, max_emoji);
}

static void
test_tag_case_insensitive (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) rust = NULL;
  g_autoptr(TtTag) dup = NULL;
  g_autoptr(TtTag) ensured = NULL;
  g_autoptr(TtTag) found = NULL;
  g_autoptr(TtTag) cafe = NULL;
  g_autoptr(TtTag) cafe_accent = NULL;
  g_autoptr(TtTag) strasse = NULL;
  g_autoptr(TtTag) missing = NULL;
  OPEN_STORE_OR_SKIP (store);

  rust = add_tag (store, "Rust");

  dup = tt_store_create_tag (store, "rust", &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE);
  g_assert_null (dup);
  g_clear_error (&error);

  ensured = tt_store_ensure_tag (store, " RUST ", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (ensured), ==, tt_tag_get_id (rust));
  g_assert_cmpstr (tt_tag_get_name (ensured), ==, "Rust");

  found = tt_store_find_tag_by_name (store, "rUsT", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (found), ==, tt_tag_get_id (rust));

  missing = tt_store_find_tag_by_name (store, "Go", &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_clear_error (&error);

  /* Case, not accents: café and cafe are two tags. */
  cafe = add_tag (store, "cafe");
  cafe_accent = add_tag (store, "Café");
  g_assert_cmpint (tt_tag_get_id (cafe), !=, tt_tag_get_id (cafe_accent));

  strasse = add_tag (store, "Straße");
  g_assert_null (tt_store_create_tag (store, "STRASSE", &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE);
}

static void
test_link_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(TtTag) read = NULL;
  OPEN_STORE_OR_SKIP (store);

  tutorial = add_tutorial (store, "One");
  tag = add_tag (store, "T");

  g_assert_false (tt_store_link (store, 999, tt_tag_get_id (tag), &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "999"));
  g_clear_error (&error);

  g_assert_false (tt_store_link (store, tt_tutorial_get_id (tutorial), 998, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Linking twice is fine and leaves one link. */
  link_ok (store, tt_tutorial_get_id (tutorial), tt_tag_get_id (tag));
  link_ok (store, tt_tutorial_get_id (tutorial), tt_tag_get_id (tag));
  read = tt_store_get_tag (store, tt_tag_get_id (tag), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tt_tag_get_tutorial_count (read), ==, 1);

  g_assert_true (tt_store_unlink (store, tt_tutorial_get_id (tutorial), tt_tag_get_id (tag), &error));
  g_assert_no_error (error);
  g_assert_false (tt_store_unlink (store, tt_tutorial_get_id (tutorial), tt_tag_get_id (tag), &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (tt_store_get_tutorial (store, 12345, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (tt_store_get_tag (store, 12345, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
}

static void
test_update_and_delete_tutorial (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) updated = NULL;
  g_autoptr(TtTutorial) kept = NULL;
  g_autoptr(TtTag) tag = NULL;
  OPEN_STORE_OR_SKIP (store);

  seed (store);

  updated = tt_store_update_tutorial (store, 1, "Tut#1 revised", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tutorial_get_title (updated), ==, "Tut#1 revised");
  g_assert_cmpstr (tt_tutorial_get_description (updated), ==, "Tut#1 Description");
  assert_ids (tt_tutorial_get_tags (updated), "1,2");

  g_assert_null (tt_store_update_tutorial (store, 1, "", NULL, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  kept = tt_store_get_tutorial (store, 1, &error);
  g_assert_cmpstr (tt_tutorial_get_title (kept), ==, "Tut#1 revised");

  g_assert_null (tt_store_update_tutorial (store, 77, "x", NULL, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (tt_store_delete_tutorial (store, 1, &error));
  g_assert_no_error (error);
  g_assert_false (tt_store_delete_tutorial (store, 1, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Its links went with it; the tags stay. */
  tag = tt_store_get_tag (store, 1, &error);
  g_assert_no_error (error);
  assert_ids (tt_tag_get_tutorials (tag), "2,3");
}

static void
test_delete_tag (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(GListModel) tags = NULL;
  OPEN_STORE_OR_SKIP (store);

  seed (store);
  g_assert_true (tt_store_delete_tag (store, 1, &error));
  g_assert_no_error (error);

  tutorial = tt_store_get_tutorial (store, 1, &error);
  g_assert_no_error (error);
  assert_ids (tt_tutorial_get_tags (tutorial), "2");

  tags = tt_store_list_tags (store, FALSE, &error);
  assert_ids (tags, "2");

  g_assert_false (tt_store_delete_tag (store, 1, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
}

static void
test_rename_and_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) renamed = NULL;
  g_autoptr(TtTag) respelled = NULL;
  g_autoptr(TtTag) merged = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(TtTag) taken = NULL;
  OPEN_STORE_OR_SKIP (store);

  seed (store);

  renamed = tt_store_rename_tag (store, 1, "GTK", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (renamed), ==, 1);
  g_assert_cmpstr (tt_tag_get_name (renamed), ==, "GTK");

  /* Only the spelling changes: still the same tag. */
  respelled = tt_store_rename_tag (store, 1, "gtk", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (respelled), ==, 1);
  g_assert_cmpstr (tt_tag_get_name (respelled), ==, "gtk");

  /* Tag#2 onto "GTK": Tag#1 had 1,2,3, Tag#2 had 1,3,4 → 1,2,3,4 once each. */
  merged = tt_store_rename_tag (store, 2, "GTK", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (merged), ==, 1);
  g_assert_cmpstr (tt_tag_get_name (merged), ==, "gtk");
  assert_ids (tt_tag_get_tutorials (merged), "1,2,3,4");
  g_assert_cmpuint (tt_tag_get_tutorial_count (merged), ==, 4);

  tags = tt_store_list_tags (store, FALSE, &error);
  assert_ids (tags, "1");

  g_assert_null (tt_store_rename_tag (store, 1, "", NULL, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (tt_store_rename_tag (store, 42, "x", NULL, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  taken = tt_store_get_tag (store, 1, &error);
  g_assert_cmpstr (tt_tag_get_name (taken), ==, "gtk");
}

static void
test_set_tutorial_tags (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(TtTutorial) after = NULL;
  g_autoptr(TtTutorial) unchanged = NULL;
  g_autoptr(GListModel) tags = NULL;
  const char *names[] = { "tag#2", "Rust", "rust", "  GNOME ", NULL };
  const char *bad[] = { "Valid", "", NULL };
  g_autofree char *too_long = g_strnfill (300, 'z');
  const char *bad_long[] = { "Fine", too_long, NULL };
  OPEN_STORE_OR_SKIP (store);

  seed (store);

  tutorial = tt_store_set_tutorial_tags (store, 1, names, &error);
  g_assert_no_error (error);
  /* Tag#1 removed, Tag#2 kept (any case), Rust once, GNOME new. */
  g_assert_cmpuint (g_list_model_get_n_items (tt_tutorial_get_tags (tutorial)), ==, 3);
  assert_ids (tt_tutorial_get_tags (tutorial), "2,3,4");

  tags = tt_store_list_tags (store, FALSE, &error);
  assert_ids (tags, "1,2,3,4");

  /* A bad name: nothing changes, not even the tag "Valid". */
  g_assert_null (tt_store_set_tutorial_tags (store, 1, bad, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (tt_store_set_tutorial_tags (store, 1, bad_long, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  unchanged = tt_store_get_tutorial (store, 1, &error);
  assert_ids (tt_tutorial_get_tags (unchanged), "2,3,4");
  g_clear_object (&tags);
  tags = tt_store_list_tags (store, FALSE, &error);
  assert_ids (tags, "1,2,3,4");

  after = tt_store_set_tutorial_tags (store, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tt_tutorial_get_tags (after)), ==, 0);

  g_assert_null (tt_store_set_tutorial_tags (store, 99, names, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
}

static void
test_usage_counts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(TtTag) unused = NULL;
  OPEN_STORE_OR_SKIP (store);

  seed (store);
  unused = add_tag (store, "Unused");

  tags = tt_store_list_tags (store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);
      guint expected = i < 2 ? 3 : 0;

      g_assert_cmpuint (tt_tag_get_tutorial_count (tag), ==, expected);
      g_assert_cmpuint (g_list_model_get_n_items (tt_tag_get_tutorials (tag)), ==, 0);
    }
}

/* "Untagged" counts the tutorials without any link: one with two tags
 * counts nowhere, one losing its only tag counts. */
static void
test_count_untagged (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) lone = NULL;
  OPEN_STORE_OR_SKIP (store);

  g_assert_cmpint (tt_store_count_untagged (store, &error), ==, 0);
  g_assert_no_error (error);
  seed (store);
  g_assert_cmpint (tt_store_count_untagged (store, &error), ==, 0);
  lone = add_tutorial (store, "Lone");
  g_assert_cmpint (tt_store_count_untagged (store, &error), ==, 1);

  /* Tut#2 has Tag#1 only, Tut#1 has both. */
  g_assert_true (tt_store_unlink (store, 2, 1, &error));
  g_assert_true (tt_store_unlink (store, 1, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tt_store_count_untagged (store, &error), ==, 2);
  g_assert_no_error (error);
}

/* A tag's last use is its newest link's updatedAt (the sidebar sorts by
 * it); a tag without links has none. */
static void
test_last_linked (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtTag) unused = NULL;
  static const char * const expected[] = { "2024-03-05T08:09:10Z", "2023-12-31T23:59:59Z", NULL };
  OPEN_STORE_OR_SKIP (store);

  seed (store);
  unused = add_tag (store, "Unused");
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "UPDATE tutorial_tag SET updatedAt = '2023-01-01 00:00:00'");
  tt_test_raw_exec (raw, "UPDATE tutorial_tag SET updatedAt = '2024-03-05 08:09:10'"
                         " WHERE tag_id = 1 AND tutorial_id = 2");
  tt_test_raw_exec (raw, "UPDATE tutorial_tag SET updatedAt = '2023-12-31 23:59:59'"
                         " WHERE tag_id = 2 AND tutorial_id = 4");

  tags = tt_store_list_tags (store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);
      GDateTime *last = tt_tag_get_last_linked_at (tag);
      g_autofree char *iso = last != NULL ? g_date_time_format_iso8601 (last) : NULL;

      g_assert_cmpstr (iso, ==, expected[i]);
    }
}

/* The tutorials @q lists; the ids alone (what the window reads, by
 * other SQL) must be the same, in the same order. */
static GListModel *
query (TtStore               *store,
       const TtTutorialQuery *q)
{
  g_autoptr(GError) error = NULL;
  GListModel *result = tt_store_list_tutorials (store, q, &error);
  g_autoptr(GArray) ids = NULL;

  g_assert_no_error (error);
  ids = tt_store_list_tutorial_ids (store, q, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, g_list_model_get_n_items (result));
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (result, i);

      g_assert_cmpint (g_array_index (ids, gint64, i), ==, tt_tutorial_get_id (tutorial));
    }
  return result;
}

static void
test_search_and_filters (void)
{
  g_autoptr(GError) error = NULL;
  gint64 tag1[] = { 1 };
  gint64 both[] = { 1, 2, 2 };
  g_autoptr(TtTutorial) odd = NULL;
  g_autoptr(TtTutorial) untagged = NULL;
  OPEN_STORE_OR_SKIP (store);

  seed (store);
  odd = tt_store_create_tutorial (store, "100% pure_C", "Uses GLib", &error);
  g_assert_no_error (error);
  untagged = tt_store_create_tutorial (store, "Zebra", NULL, &error);
  g_assert_no_error (error);

  {
    TtTutorialQuery q = { .text = "tut#2" };
    g_autoptr(GListModel) r = query (store, &q);
    assert_ids (r, "2");
  }
  {
    TtTutorialQuery q = { .text = "DESCRIPTION" };
    g_autoptr(GListModel) r = query (store, &q);
    assert_ids (r, "1,2,3,4");
  }
  {
    /* Tag names count too: Tag#2 is on 1, 3 and 4. */
    TtTutorialQuery q = { .text = "g#2" };
    g_autoptr(GListModel) r = query (store, &q);
    assert_ids (r, "1,3,4");
  }
  {
    /* % and _ are literal characters, not wildcards. */
    TtTutorialQuery q = { .text = "0% p" };
    g_autoptr(GListModel) r = query (store, &q);
    TtTutorialQuery q2 = { .text = "e_C" };
    g_autoptr(GListModel) r2 = query (store, &q2);
    TtTutorialQuery q3 = { .text = "%" };
    g_autoptr(GListModel) r3 = query (store, &q3);
    assert_ids (r, "5");
    assert_ids (r2, "5");
    assert_ids (r3, "5");
  }
  {
    TtTutorialQuery q = { .tag_ids = tag1, .n_tag_ids = 1, .match = TT_TAG_MATCH_ANY };
    g_autoptr(GListModel) r = query (store, &q);
    assert_ids (r, "1,2,3");
  }
  {
    TtTutorialQuery q = { .tag_ids = both, .n_tag_ids = 3, .match = TT_TAG_MATCH_ANY };
    g_autoptr(GListModel) r = query (store, &q);
    assert_ids (r, "1,2,3,4");
  }
  {
    TtTutorialQuery q = { .tag_ids = both, .n_tag_ids = 3, .match = TT_TAG_MATCH_ALL, .with_tags = TRUE };
    g_autoptr(GListModel) r = query (store, &q);
    g_autoptr(TtTutorial) first = NULL;
    assert_ids (r, "1,3");
    first = g_list_model_get_item (r, 0);
    assert_ids (tt_tutorial_get_tags (first), "1,2");
  }
  {
    TtTutorialQuery q = { .match = TT_TAG_MATCH_UNTAGGED };
    g_autoptr(GListModel) r = query (store, &q);
    assert_ids (r, "5,6");
  }
  {
    TtTutorialQuery q = { .text = "tut", .tag_ids = tag1, .n_tag_ids = 1, .match = TT_TAG_MATCH_ANY,
                          .sort = TT_SORT_BY_TITLE, .descending = TRUE };
    g_autoptr(GListModel) r = query (store, &q);
    assert_ids (r, "3,2,1");
  }
  {
    TtTutorialQuery q = { .sort = TT_SORT_BY_TITLE };
    g_autoptr(GListModel) r = query (store, &q);
    assert_ids (r, "5,1,2,3,4,6");
  }
}

/* ---- search that ignores case and accents ---------------------------- */

typedef struct
{
  const char *title;
  const char *description;
  const char *tags;          /* names, "|" between them, or NULL */
} SearchRow;

/* Titles, descriptions and tags in many scripts and spellings: precomposed
 * and decomposed accents, ß, the Turkish İ, the Ångström sign, ligatures,
 * Greek with a final sigma, full-width letters, superscripts. */
static const SearchRow search_rows[] = {
  { "Café au lait", "Paris, France", NULL },
  { "CAFE\xcc\x81 NOIR", "decomposed accent", "Kaffee" },
  { "cafe", "plain ASCII", NULL },
  { "Zürich", "Z\xc3\x9c" "RICH in capitals", "Schweiz" },
  { "Straße", "STRASSE", NULL },
  { "İstanbul", "istanbul ISTANBUL", "Türkiye" },
  { "\xe2\x84\xab" "ngstr\xc3\xb6m", "Ångström, the unit", NULL },
  { "\xef\xac\x81le systems", "the ﬁ ligature", "ﬂow" },
  { "ΟΔΥΣΣΕΥΣ", "Ὀδυσσεύς the traveller, οδυσσευς", "Ελληνικά" },
  { "λόγος", "final sigma: λόγος ΛΌΓΟΣ", NULL },
  { "\xef\xbc\xa7\xef\xbc\xb4\xef\xbc\xab 4", "full-width GTK", "x\xc2\xb2" },
  { "100% pure_C!", "percent, underscore, exclamation", "C" },
  { "Rust", NULL, "rust-lang|Systems" },
  { "Łódź", "Polish: łódź", "Polska" },
  { "naïve Bayes", NULL, "Café" },
  /* The separators of the store's own lists, in a text it folds itself. */
  { "Ça: va; bien", "1:2;3, ÿ", "a;b:c" },
};

static const char * const search_queries[] = {
  "cafe", "CAFÉ", "café", "Cafe\xcc\x81", "ZÜRICH", "zurich", "rich", "ü", "u",
  "strasse", "STRAßE", "ß", "ss", "İstanbul", "istanbul", "ISTANBUL", "i", "İ", "ı",
  "ångström", "angstrom", "Å", "\xe2\x84\xab", "å", "a",
  "file", "ﬁle", "fi", "ﬁ", "flow", "ﬂ",
  "οδυσσευς", "ΟΔΥΣΣΕΎΣ", "Ὀδυσσεύς", "σ", "ς", "Σ", "λογος", "ΛΟΓΟΣ", "λόγος",
  "gtk", "ＧＴＫ", "x2", "²", "2", "4",
  "%", "_", "!", "0% p", "e_c", "pure_c!",
  "łódź", "lodz", "ł", "o", "naive", "ï", "bayes",
  "ça: va;", ";", ":", "2;3", "a;b", "kaffee", "schweiz", "TÜRKIYE", "turkiye", "ελληνικα", "systems", "Rust-Lang",
  " ", "e", "é", "É", "\xcc\x81", "nothing like it",
};

/* The fold the search and the tag suggestions promise, worked out here
 * on the whole text at once: NFKD, case folding, NFKD again (folding
 * makes marks: "İ" is "i̇"), without the marks. (The store folds a
 * character at a time, and must come to the same.) */
static char *
reference_fold (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  g_autofree char *folded = g_utf8_casefold (decomposed, -1);
  g_autofree char *refolded = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  GString *key = g_string_new (NULL);

  for (const char *p = refolded; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_ismark (g_utf8_get_char (p)))
      g_string_append_unichar (key, g_utf8_get_char (p));

  return g_string_free (key, FALSE);
}

/* What the search must find: the ids of the rows whose title,
 * description or a tag name holds @text, all folded. */
static char *
expected_search (const SearchRow *rows,
                 guint            n_rows,
                 const char      *text)
{
  g_autofree char *needle = reference_fold (text);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_rows; i++)
    {
      g_auto(GStrv) tags = rows[i].tags != NULL ? g_strsplit (rows[i].tags, "|", -1) : g_new0 (char *, 1);
      const char *texts[] = { rows[i].title, rows[i].description };
      gboolean found = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (texts) && !found; j++)
        {
          g_autofree char *key = texts[j] != NULL ? reference_fold (texts[j]) : NULL;

          found = key != NULL && strstr (key, needle) != NULL;
        }
      for (guint j = 0; tags[j] != NULL && !found; j++)
        {
          g_autofree char *key = reference_fold (tags[j]);

          found = strstr (key, needle) != NULL;
        }
      if (found)
        g_string_append_printf (out, "%s%u", out->len > 0 ? "," : "", i + 1);
    }

  return g_string_free (out, FALSE);
}

static void
assert_folds_as_promised (const char *text)
{
  g_autofree char *key = tt_rules_search_key (text);
  g_autofree char *reference = reference_fold (text);

  g_assert_cmpstr (key, ==, reference);
}

/* Searching @text finds what expected_search() says, in id order, both
 * as tutorials and as ids (query()). */
static void
assert_search_folds (TtStore    *store,
                     const char *text)
{
  TtTutorialQuery q = { .text = text, .sort = TT_SORT_BY_ID };
  g_autoptr(GListModel) r = query (store, &q);
  g_autofree char *expected = expected_search (search_rows, G_N_ELEMENTS (search_rows), text);
  g_autofree char *found = ids_of (r);

  if (g_strcmp0 (found, expected) != 0)
    g_error ("Searching “%s” found [%s], not [%s]", text, found, expected);
}

static void
fill_search_rows (TtStore *store)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (search_rows); i++)
    {
      g_autoptr(TtTutorial) tutorial = tt_store_create_tutorial (store, search_rows[i].title,
                                                                 search_rows[i].description, &error);
      g_auto(GStrv) tags = search_rows[i].tags != NULL ? g_strsplit (search_rows[i].tags, "|", -1) : NULL;

      g_assert_no_error (error);
      g_assert_cmpint (tt_tutorial_get_id (tutorial), ==, i + 1);
      if (tags != NULL)
        {
          g_autoptr(TtTutorial) tagged = tt_store_set_tutorial_tags (store, i + 1,
                                                                     (const char * const *) tags, &error);

          g_assert_no_error (error);
        }
    }
}

/* Search ignores case, accents and compatibility forms, the same on
 * SQLite and MariaDB: every query finds exactly the rows the fold says,
 * on both (this test runs on each), through both ways of listing. */
static void
test_search_folds (void)
{
  OPEN_STORE_OR_SKIP (store);

  fill_search_rows (store);

  /* The store's fold is the promised one on every text here. */
  for (guint i = 0; i < G_N_ELEMENTS (search_queries); i++)
    assert_folds_as_promised (search_queries[i]);
  for (guint i = 0; i < G_N_ELEMENTS (search_rows); i++)
    {
      assert_folds_as_promised (search_rows[i].title);
      if (search_rows[i].description != NULL)
        assert_folds_as_promised (search_rows[i].description);
    }

  /* What the issue names outright. */
  {
    TtTutorialQuery q = { .text = "cafe" };
    g_autoptr(GListModel) r = query (store, &q);
    assert_ids (r, "1,2,3,15");
  }
  {
    TtTutorialQuery q = { .text = "ZÜRICH" };
    g_autoptr(GListModel) r = query (store, &q);
    assert_ids (r, "4");
  }

  for (guint i = 0; i < G_N_ELEMENTS (search_queries); i++)
    assert_search_folds (store, search_queries[i]);

  /* Every piece of every text, as typed and as its capitals. */
  for (guint i = 0; i < G_N_ELEMENTS (search_rows); i++)
    for (const char *p = search_rows[i].title; *p != '\0'; p = g_utf8_next_char (p))
      {
        g_autofree char *piece = g_strndup (p, g_utf8_offset_to_pointer (p, MIN (3, g_utf8_strlen (p, -1))) - p);
        g_autofree char *upper = g_utf8_strup (piece, -1);
        const char *texts[] = { piece, upper };

        for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
          assert_search_folds (store, texts[j]);
      }
}

static void
test_bulk_links (void)
{
  g_autoptr(GError) error = NULL;
  gint64 some[] = { 2, 4, 4 };
  gint64 with_missing[] = { 1, 999 };
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(TtTag) after = NULL;
  g_autoptr(TtTag) still = NULL;
  OPEN_STORE_OR_SKIP (store);

  seed (store);
  tag = add_tag (store, "Bulk");

  g_assert_true (tt_store_link_many (store, some, G_N_ELEMENTS (some), tt_tag_get_id (tag), TT_LINK_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  after = tt_store_get_tag (store, tt_tag_get_id (tag), &error);
  assert_ids (tt_tag_get_tutorials (after), "2,4");

  /* A missing tutorial: nothing of the batch is applied. */
  g_assert_false (tt_store_link_many (store, with_missing, 2, tt_tag_get_id (tag), TT_LINK_DEFAULT, NULL, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  still = tt_store_get_tag (store, tt_tag_get_id (tag), &error);
  assert_ids (tt_tag_get_tutorials (still), "2,4");

  g_assert_true (tt_store_unlink_many (store, some, G_N_ELEMENTS (some), tt_tag_get_id (tag), TT_LINK_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&still);
  still = tt_store_get_tag (store, tt_tag_get_id (tag), &error);
  g_assert_cmpuint (tt_tag_get_tutorial_count (still), ==, 0);

  g_assert_false (tt_store_link_many (store, some, 1, 555, TT_LINK_DEFAULT, NULL, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
}

static TtTutorial *
import_item (const char         *title,
             const char * const *tag_names)
{
  TtTutorial *tutorial = tt_tutorial_new (0, title, "imported");
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);

  for (guint i = 0; tag_names != NULL && tag_names[i] != NULL; i++)
    {
      g_autoptr(TtTag) tag = tt_tag_new (0, tag_names[i]);
      g_list_store_append (tags, tag);
    }
  tt_tutorial_set_tags (tutorial, G_LIST_MODEL (tags));
  return tutorial;
}

static void
append_import (GListStore         *store,
               const char         *title,
               const char * const *tag_names)
{
  g_autoptr(TtTutorial) tutorial = import_item (title, tag_names);

  g_list_store_append (store, tutorial);
}

static void
test_import (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(GListStore) bad = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) all_tags = NULL;
  g_autoptr(TtTag) lonely = tt_tag_new (0, "Lonely");
  g_autoptr(GDateTime) long_ago = g_date_time_new_utc (2019, 5, 6, 7, 8, 9);
  const char *a[] = { "tag#1", "New", "NEW", NULL };
  const char *b[] = { "New", NULL };
  const char *c[] = { "", NULL };
  TtTutorialQuery q = { .with_tags = TRUE };
  OPEN_STORE_OR_SKIP (store);

  seed (store);
  append_import (tutorials, "I1", a);
  append_import (tutorials, "I2", b);
  tt_tag_set_created_at (lonely, long_ago);
  g_list_store_append (tags, lonely);

  g_assert_true (tt_store_import (store, G_LIST_MODEL (tutorials), G_LIST_MODEL (tags), &error));
  g_assert_no_error (error);

  all = tt_store_list_tutorials (store, &q, &error);
  assert_ids (all, "1,2,3,4,5,6");
  {
    g_autoptr(TtTutorial) i1 = g_list_model_get_item (all, 4);
    g_autoptr(TtTutorial) i2 = g_list_model_get_item (all, 5);
    g_assert_cmpstr (tt_tutorial_get_title (i1), ==, "I1");
    /* tag#1 is the existing Tag#1; New once; Lonely has no tutorial. */
    assert_ids (tt_tutorial_get_tags (i1), "1,4");
    assert_ids (tt_tutorial_get_tags (i2), "4");
  }
  all_tags = tt_store_list_tags (store, FALSE, &error);
  g_assert_cmpuint (g_list_model_get_n_items (all_tags), ==, 4);
  {
    /* Times from the file are kept. */
    g_autoptr(TtTag) imported = g_list_model_get_item (all_tags, 2);
    g_assert_cmpstr (tt_tag_get_name (imported), ==, "Lonely");
    g_assert_true (g_date_time_equal (tt_tag_get_created_at (imported), long_ago));
  }

  /* One bad tag name: nothing of the import lands. */
  append_import (bad, "OK", b);
  append_import (bad, "Bad", c);
  g_assert_false (tt_store_import (store, G_LIST_MODEL (bad), NULL, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Tutorial 2"));
  g_clear_error (&error);
  g_clear_object (&all);
  all = tt_store_list_tutorials (store, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 6);
}

/* Texts that JSON and SQL quote: an import keeps them exactly, also on
 * SQLite, where its rows go in as one JSON document
 * (tt-store-insert.c), and without that, as multi-row INSERTs. */
static void
import_any_text (TtStore *store)
{
  static const struct { const char *title; const char *description; } texts[] = {
    { "quote \" and backslash \\ and \\u0041 written out", "\\\"\\" },
    { "'; DROP TABLE tutorials; --", "tab\there, new line\n, return\r, \x01 and \x1f" },
    { "emoji \xf0\x9f\x98\x80, clef \xf0\x9d\x84\x9e, caf\xc3\xa9", NULL },
    { "[\"not\", \"rows\"]", "" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GListModel) all = NULL;
  TtTutorialQuery q = { .sort = TT_SORT_BY_CREATED };
  guint n_before;

  all = tt_store_list_tutorials (store, &q, &error);
  g_assert_no_error (error);
  n_before = g_list_model_get_n_items (all);
  g_clear_object (&all);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, texts[i].title, texts[i].description);

      g_list_store_append (tutorials, tutorial);
    }
  g_assert_true (tt_store_import (store, G_LIST_MODEL (tutorials), NULL, &error));
  g_assert_no_error (error);

  all = tt_store_list_tutorials (store, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, n_before + G_N_ELEMENTS (texts));
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (all, n_before + i);

      g_assert_cmpstr (tt_tutorial_get_title (tutorial), ==, texts[i].title);
      /* A tutorial's NULL description reads as "". */
      g_assert_cmpstr (tt_tutorial_get_description (tutorial), ==,
                       texts[i].description != NULL ? texts[i].description : "");
    }
}

static void
test_import_any_text (void)
{
  OPEN_STORE_OR_SKIP (store);

  import_any_text (store);
  if (tt_test_is_mysql ())
    return;
  tt_store_debug_set_json_rows (store, FALSE);
  import_any_text (store);
}

/* 100 tutorials with 60 KiB descriptions: on SQLite more than one JSON
 * document (each ends at 4 MiB), and every tutorial still gets its own
 * text and tag, which follow the ids each document gave. */
static void
test_import_long_texts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GListModel) all = NULL;
  TtTutorialQuery q = { .sort = TT_SORT_BY_ID, .with_tags = TRUE };
  OPEN_STORE_OR_SKIP (store);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *title = g_strdup_printf ("Long %u", i);
      g_autofree char *filler = g_strnfill (60 * 1024, 'a' + i % 26);
      g_autofree char *description = g_strdup_printf ("%u %s", i, filler);
      g_autofree char *tag_name = g_strdup_printf ("t%u", i % 7);
      const char * const tag_names[] = { tag_name, NULL };
      g_autoptr(TtTutorial) tutorial = import_item (title, tag_names);

      tt_tutorial_set_description (tutorial, description);
      g_list_store_append (tutorials, tutorial);
    }
  g_assert_true (tt_store_import (store, G_LIST_MODEL (tutorials), NULL, &error));
  g_assert_no_error (error);

  all = tt_store_list_tutorials (store, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 100);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (all, i);
      g_autoptr(TtTag) tag = g_list_model_get_item (tt_tutorial_get_tags (tutorial), 0);
      g_autofree char *title = g_strdup_printf ("Long %u", i);
      g_autofree char *start = g_strdup_printf ("%u %c", i, 'a' + i % 26);
      g_autofree char *tag_name = g_strdup_printf ("t%u", i % 7);

      g_assert_cmpstr (tt_tutorial_get_title (tutorial), ==, title);
      g_assert_true (g_str_has_prefix (tt_tutorial_get_description (tutorial), start));
      g_assert_cmpuint (strlen (tt_tutorial_get_description (tutorial)), ==, strlen (start) - 1 + 60 * 1024);
      g_assert_cmpuint (g_list_model_get_n_items (tt_tutorial_get_tags (tutorial)), ==, 1);
      g_assert_cmpstr (tt_tag_get_name (tag), ==, tag_name);
    }
}

typedef struct
{
  TtStore *store;
  GCond   *cond;
  GMutex  *mutex;
  int     *ready;
  gboolean ok;
} Racer;

static gpointer
race_link (gpointer data)
{
  Racer *racer = data;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (racer->mutex);
  (*racer->ready)++;
  g_cond_broadcast (racer->cond);
  while (*racer->ready < 2)
    g_cond_wait (racer->cond, racer->mutex);
  g_mutex_unlock (racer->mutex);

  racer->ok = tt_store_link (racer->store, 1, 1, &error);
  if (error != NULL)
    g_printerr ("race: %s\n", error->message);
  return NULL;
}

static char *
stamp_of (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  char *stamp = tt_store_get_change_stamp (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stamp);
  return stamp;
}

/* Asserts that the stamp moved since *last, and keeps the new one. */
static void
assert_stamp_moved (TtStore    *store,
                    char      **last,
                    const char *after)
{
  g_autofree char *now = stamp_of (store);

  g_test_message ("after %s: %s", after, now);
  if (g_strcmp0 (now, *last) == 0)
    g_error ("the change stamp did not move after %s: %s", after, now);
  g_free (*last);
  *last = g_steal_pointer (&now);
}

/* Every kind of change another client makes moves the change stamp, edits
 * included: they only move an updatedAt, which has whole seconds. */
static void
test_change_stamp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(TtTutorial) edited = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(TtTag) renamed = NULL;
  g_autoptr(TtStore) other = NULL;
  g_autofree char *last = NULL;
  g_autofree char *again = NULL;
  OPEN_STORE_OR_SKIP (store);

  last = stamp_of (store);
  g_assert_null (strstr (last, "(null)"));
  other = tt_test_reopen_store ();
  tutorial = add_tutorial (other, "Stamped");
  assert_stamp_moved (store, &last, "a new tutorial");
  tag = add_tag (other, "Stamp");
  assert_stamp_moved (store, &last, "a new tag");
  link_ok (other, tt_tutorial_get_id (tutorial), tt_tag_get_id (tag));
  assert_stamp_moved (store, &last, "a link");
  again = stamp_of (store);
  g_assert_cmpstr (again, ==, last);

  g_usleep (1100 * 1000);
  edited = tt_store_update_tutorial (other, tt_tutorial_get_id (tutorial), "Stamped again", "", &error);
  g_assert_no_error (error);
  assert_stamp_moved (store, &last, "a title edit");
  g_usleep (1100 * 1000);
  renamed = tt_store_rename_tag (other, tt_tag_get_id (tag), "Restamped", NULL, &error);
  g_assert_no_error (error);
  assert_stamp_moved (store, &last, "a tag rename");

  g_assert_true (tt_store_unlink_many (other, (gint64[]) { tt_tutorial_get_id (tutorial) }, 1,
                                       tt_tag_get_id (tag), TT_LINK_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  assert_stamp_moved (store, &last, "an unlink");
  g_assert_true (tt_store_delete_tutorial (other, tt_tutorial_get_id (tutorial), &error));
  g_assert_no_error (error);
  assert_stamp_moved (store, &last, "a deletion");
}

/* Once the list of ids is there, nothing of its read stays open (a
 * libgda cursor would keep it), so another client's write followed by
 * one of ours does not fail with "database is locked". */
static void
test_ids_leave_no_read_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) other = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(TtTutorial) theirs = NULL;
  g_autoptr(TtTutorial) ours = NULL;
  OPEN_STORE_OR_SKIP (store);

  for (int i = 0; i < 120; i++)
    {
      g_autofree char *title = g_strdup_printf ("Listed %d", i);
      g_autoptr(TtTutorial) tutorial = add_tutorial (store, title);
    }
  other = tt_test_reopen_store ();

  ids = tt_store_list_tutorial_ids (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 120);
  theirs = tt_store_create_tutorial (other, "Theirs", "", &error);
  g_assert_no_error (error);
  ours = tt_store_create_tutorial (store, "Ours", "", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ours);
}

/* Two clients link the same pair at the same moment: one link, no error. */
static void
test_two_connections_link_same_pair (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(TtStore) second = NULL;
  g_autoptr(TtTag) read = NULL;
  GMutex mutex;
  GCond cond;
  int ready = 0;
  OPEN_STORE_OR_SKIP (store);

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  tutorial = add_tutorial (store, "Shared");
  tag = add_tag (store, "Both");
  second = tt_test_reopen_store ();

  for (int round = 0; round < 5; round++)
    {
      Racer a = { store, &cond, &mutex, &ready, FALSE };
      Racer b = { second, &cond, &mutex, &ready, FALSE };
      GThread *ta, *tb;

      ready = 0;
      tt_store_unlink_many (store, (gint64[]) { 1 }, 1, 1, TT_LINK_DEFAULT, NULL, &error);
      g_assert_no_error (error);
      ta = g_thread_new ("a", race_link, &a);
      tb = g_thread_new ("b", race_link, &b);
      g_thread_join (ta);
      g_thread_join (tb);
      g_assert_true (a.ok);
      g_assert_true (b.ok);
    }

  read = tt_store_get_tag (store, 1, &error);
  g_assert_no_error (error);
  assert_ids (tt_tag_get_tutorials (read), "1");
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GListModel **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tt_store_list_tutorials_finish (TT_STORE (source), result, &error);
  g_assert_no_error (error);
}

/* The async API answers on the caller's main context, after what was
 * asked before it. */
static void
test_async_in_order (void)
{
  g_autoptr(GListModel) listed = NULL;
  g_autoptr(TtTutorial) created = NULL;
  TtTutorialQuery q = { .text = "Tut#3", .with_tags = TRUE };
  OPEN_STORE_OR_SKIP (store);

  seed (store);
  created = add_tutorial (store, "Extra");

  tt_store_list_tutorials_async (store, &q, NULL, on_listed, &listed);
  q.text = "changed after the call";  /* the store copied the query */
  while (listed == NULL)
    g_main_context_iteration (NULL, TRUE);

  assert_ids (listed, "3");
}

typedef struct
{
  TtStore  *other;
  TtTag    *theirs;
  TtTag    *ours;
  gboolean  created;
} TagRace;

static gboolean
tag_race_body (TtStore   *store,
               gpointer   data,
               GError   **error)
{
  TagRace *race = data;
  g_autoptr(GListModel) before = tt_store_list_tags (store, FALSE, error);

  /* The read above fixed this transaction's snapshot; now the other
   * client makes the tag and commits. */
  if (before == NULL || !(race->theirs = tt_store_create_tag (race->other, "Rust", error)))
    return FALSE;

  race->ours = tt_store_ensure_tag (store, "rust", &race->created, error);
  return race->ours != NULL;
}

/* U+FDFA is one character that NFKC spells out in 18: the longest
 * expansion of any, which a key has to survive. */
#define FDFA "\xef\xb7\xba"

/* @n times @unit, then @tail: a tag name built to a given length. */
static char *
repeat_then (const char *unit,
             guint       n,
             const char *tail)
{
  GString *name = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (name, unit);
  g_string_append (name, tail);
  return g_string_free (name, FALSE);
}

/* A valid tag name whose folded key is long, accepted on both backends.
 * 43 × U+FDFA folds to 774 characters and failed on MySQL with "Data too
 * long for column 'name_key'" (a VARCHAR(768)), and succeeded on SQLite. */
static void
test_tag_long_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = repeat_then (FDFA, 43, "");
  g_autofree char *longest = repeat_then (FDFA, 255, "");
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(TtTag) max = NULL;
  g_autoptr(TtTag) found = NULL;
  g_autoptr(TtTag) again = NULL;
  OPEN_STORE_OR_SKIP (store);

  tag = tt_store_create_tag (store, name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tag_get_name (tag), ==, name);

  max = tt_store_create_tag (store, longest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (max), !=, tt_tag_get_id (tag));

  /* The key still finds the tag and still keeps it unique. */
  found = tt_store_find_tag_by_name (store, name, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (found), ==, tt_tag_get_id (tag));
  again = tt_store_create_tag (store, longest, &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE);
  g_assert_null (again);
}

/* Long names that differ only near their end (past any prefix a key may
 * keep) are two tags; case variants and compatibility forms (ß and SS,
 * the ligature ﬃ and FFI) of one long name are one tag. */
static void
test_tag_long_key_variants (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ending_a = repeat_then (FDFA, 43, "a");
  g_autofree char *ending_b = repeat_then (FDFA, 43, "b");
  g_autofree char *strasse = repeat_then (FDFA, 43, "Stra\xc3\x9f" "e");
  g_autofree char *strasse_upper = repeat_then (FDFA, 43, "STRASSE");
  g_autofree char *ligatures = repeat_then (FDFA, 42, "\xef\xac\x83\xef\xac\x83\xef\xac\x83\xef\xac\x83\xef\xac\x83");
  g_autofree char *spelt_out = repeat_then (FDFA, 42, "FFIffiFfiFFiFFI");
  g_autoptr(TtTag) a = NULL;
  g_autoptr(TtTag) b = NULL;
  g_autoptr(TtTag) street = NULL;
  g_autoptr(TtTag) street_again = NULL;
  g_autoptr(TtTag) ligature = NULL;
  g_autoptr(TtTag) ligature_again = NULL;
  gboolean created = TRUE;
  OPEN_STORE_OR_SKIP (store);

  a = add_tag (store, ending_a);
  b = add_tag (store, ending_b);
  g_assert_cmpint (tt_tag_get_id (a), !=, tt_tag_get_id (b));

  street = add_tag (store, strasse);
  street_again = tt_store_ensure_tag (store, strasse_upper, &created, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpint (tt_tag_get_id (street_again), ==, tt_tag_get_id (street));
  g_assert_cmpstr (tt_tag_get_name (street_again), ==, strasse);

  ligature = add_tag (store, ligatures);
  g_assert_null (tt_store_create_tag (store, spelt_out, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);
  ligature_again = tt_store_find_tag_by_name (store, spelt_out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (ligature_again), ==, tt_tag_get_id (ligature));
}

/* Renaming onto a long name that another tag has, in another case,
 * merges as with short names. */
static void
test_tag_long_key_rename (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lower = repeat_then (FDFA, 50, "rust");
  g_autofree char *upper = repeat_then (FDFA, 50, "RUST");
  g_autoptr(TtTag) target = NULL;
  g_autoptr(TtTag) other = NULL;
  g_autoptr(TtTag) merged = NULL;
  OPEN_STORE_OR_SKIP (store);

  target = add_tag (store, lower);
  other = add_tag (store, "Go");
  merged = tt_store_rename_tag (store, tt_tag_get_id (other), upper, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (merged), ==, tt_tag_get_id (target));
}

/* The key the catalogue holds for tag @id, read past the store. */
static char *
stored_key (GdaConnection *raw,
            gint64         id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT name_key FROM tags WHERE id = %" G_GINT64_FORMAT, id);
  g_autoptr(GdaDataModel) model = gda_connection_execute_select_command (raw, sql, &error);
  const GValue *value;

  g_assert_no_error (error);
  g_assert_cmpint (gda_data_model_get_n_rows (model), ==, 1);
  value = gda_data_model_get_value_at (model, 0, 0, &error);
  g_assert_no_error (error);
  return G_VALUE_HOLDS_STRING (value) ? g_value_dup_string (value) : NULL;
}

/* What is stored: a key that fits the column, the same as the model's;
 * short keys are kept whole, and the separator of a shortened key is
 * one that no folded name contains. */
static void
test_tag_long_key_stored (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = repeat_then (FDFA, 255, "");
  g_autofree char *short_key = NULL;
  g_autofree char *long_key = NULL;
  g_autofree char *expected = tt_tag_name_key (name);
  g_autofree char *ellipsis = tt_tag_name_key ("\xe2\x80\xa6");
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtTag) rust = NULL;
  g_autoptr(TtTag) longest = NULL;
  OPEN_STORE_OR_SKIP (store);

  rust = add_tag (store, "Rust");
  longest = add_tag (store, name);
  raw = tt_test_raw_open ();
  short_key = stored_key (raw, tt_tag_get_id (rust));
  long_key = stored_key (raw, tt_tag_get_id (longest));

  g_assert_cmpstr (short_key, ==, "rust");
  g_assert_cmpstr (long_key, ==, expected);
  g_assert_cmpint (g_utf8_strlen (long_key, -1), ==, TT_TAG_NAME_KEY_MAX_CHARS);
  g_assert_cmpstr (ellipsis, ==, "...");
  g_assert_nonnull (strstr (long_key, "\xe2\x80\xa6"));
}

/* A SQLite catalogue of an earlier version holds whole keys of any
 * length (MySQL's column could not): opening it shortens them, so that
 * the same name in another case is still the same tag. */
static void
test_tag_long_key_rewritten_at_open_sqlite (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = repeat_then (FDFA, 43, "Go");
  g_autofree char *upper = repeat_then (FDFA, 43, "GO");
  g_autofree char *lower = repeat_then (FDFA, 43, "go");
  g_autofree char *whole_key = g_utf8_normalize (lower, -1, G_NORMALIZE_NFKC);
  g_autofree char *sql = NULL;
  g_autofree char *key = NULL;
  g_autofree char *expected = tt_tag_name_key (name);
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(TtStore) reopened = NULL;
  OPEN_STORE_OR_SKIP (store);

  tag = add_tag (store, name);
  g_assert_cmpint (g_utf8_strlen (whole_key, -1), >, TT_TAG_NAME_KEY_MAX_CHARS);
  raw = tt_test_raw_open ();
  sql = g_strdup_printf ("UPDATE tags SET name_key = '%s' WHERE id = %" G_GINT64_FORMAT,
                         whole_key, tt_tag_get_id (tag));
  tt_test_raw_exec (raw, sql);

  reopened = tt_test_reopen_store ();
  key = stored_key (raw, tt_tag_get_id (tag));
  /* Not g_assert_cmpstr(): it would print kilobytes of Arabic. */
  g_assert_true (g_strcmp0 (key, expected) == 0);
  g_assert_null (tt_store_create_tag (reopened, upper, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE);
}

/* How SQLite would read the tutorials in title order, as the list reads
 * them: EXPLAIN QUERY PLAN's steps, one per line. */
static char *
title_order_plan (GdaConnection *raw)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaDataModel) model = gda_connection_execute_select_command (
    raw, "EXPLAIN QUERY PLAN SELECT tu.id FROM tutorials tu ORDER BY COALESCE(tu.title, ''), tu.id", &error);
  GString *plan = g_string_new (NULL);

  g_assert_no_error (error);
  for (int row = 0; row < gda_data_model_get_n_rows (model); row++)
    {
      const GValue *detail = gda_data_model_get_value_at (model, 3, row, &error);

      g_assert_no_error (error);
      g_string_append_printf (plan, "%s\n", g_value_get_string (detail));
    }
  return g_string_free (plan, FALSE);
}

/* The list's default order comes from an index, not a sort at every open
 * (0.6 s of the first rows at 1 000 000 tutorials): made at the open, and
 * again after Sequelize made the tables again (it goes with the table). */
static void
test_title_order_index_sqlite (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GdaConnection) raw_again = NULL;
  g_autoptr(TtStore) again = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *plan_again = NULL;
  OPEN_STORE_OR_SKIP (store);

  raw = tt_test_raw_open ();
  plan = title_order_plan (raw);
  g_assert_nonnull (strstr (plan, "USING INDEX tt_tutorials_by_title"));
  g_assert_null (strstr (plan, "TEMP B-TREE"));
  tt_store_close (store);

  tt_test_make_tables_again (raw);
  again = tt_test_reopen_store ();
  /* A new connection: EXPLAIN reads no table, so an older one would plan
   * with the schema it read before. */
  raw_again = tt_test_raw_open ();
  plan_again = title_order_plan (raw_again);
  g_assert_nonnull (strstr (plan_again, "USING INDEX tt_tutorials_by_title"));
}

/* ---- a large import sets indexes aside (SQLite) ---------------------- */

typedef struct
{
  TtStore  *store;
  gboolean  fail_at_end;
  char     *indexes_after[2];   /* the plain indexes left after each batch */
  char     *triggers_after[2];  /* the triggers left after each batch */
} LargeImport;

/* The names of the tables' plain indexes or triggers (@type). */
static char *
names_seen_by_store (TtStore    *store,
                     const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT 1, COALESCE(group_concat(name, ','), '') FROM"
                                          " (SELECT name FROM sqlite_master WHERE type = '%s'"
                                          " AND tbl_name IN ('tutorials', 'tutorial_tag')"
                                          " AND sql IS NOT NULL ORDER BY name)", type);
  char *names = tt_store_debug_show_value (store, sql, &error);

  g_assert_no_error (error);
  return names;
}

/* Two batches of two tutorials, each with the tags "red" and "blue". */
static gboolean
two_tagged_batches (gpointer       data,
                    TtImportSink   sink,
                    gpointer       sink_data,
                    GError       **error)
{
  LargeImport *import = data;

  for (guint batch = 0; batch < 2; batch++)
    {
      g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
      g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
      g_autoptr(TtTag) red = tt_tag_new (0, "red");
      g_autoptr(TtTag) blue = tt_tag_new (0, "blue");

      g_list_store_append (tags, red);
      g_list_store_append (tags, blue);
      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *title = g_strdup_printf ("%c imported", "dbca"[2 * batch + i]);
          g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, NULL);

          tt_tutorial_set_tags (tutorial, G_LIST_MODEL (tags));
          g_list_store_append (tutorials, tutorial);
        }
      if (!sink (sink_data, G_LIST_MODEL (tutorials), NULL, error))
        return FALSE;
      import->indexes_after[batch] = names_seen_by_store (import->store, "index");
      import->triggers_after[batch] = names_seen_by_store (import->store, "trigger");
    }

  if (import->fail_at_end)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The input ends badly");
  return !import->fail_at_end;
}

static void
large_import_clear (LargeImport *import)
{
  for (guint i = 0; i < 2; i++)
    {
      g_free (import->indexes_after[i]);
      g_free (import->triggers_after[i]);
    }
}

#define PLAIN_INDEXES "tt_tutorials_by_title,tutorial_tag_tag_id"
#define ALL_TRIGGERS_ON_TUTORIALS_AND_LINKS \
  "audit_tutorials,tt_journal_tutorial_tag_delete,tt_journal_tutorial_tag_insert," \
  "tt_journal_tutorial_tag_update,tt_journal_tutorials_delete,tt_journal_tutorials_insert," \
  "tt_journal_tutorials_update,tt_search_tutorials_delete,tt_search_tutorials_insert," \
  "tt_search_tutorials_update"
/* Of tutorials and tutorial_tag: the plain indexes and the triggers. */
#define SET_ASIDE_SQL \
  "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger')" \
  " AND tbl_name IN ('tutorials', 'tutorial_tag') AND sql IS NOT NULL ORDER BY name)"

/* Someone else's trigger: it must fire for every row an import adds. */
#define FOREIGN_TRIGGER \
  "CREATE TRIGGER audit_tutorials AFTER INSERT ON tutorials BEGIN" \
  " INSERT INTO audit_log (tutorial_id) VALUES (NEW.id); END"

static void
assert_journal_reader_resyncs (TtStore         *store,
                               TtJournalReader *reader)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) changes = NULL;
  gboolean resync = FALSE;

  changes = tt_store_read_changes (store, reader, &resync, &error);
  g_assert_no_error (error);
  g_assert_true (resync);
}

/* An import that has added as many tutorials as the catalogue had (and
 * the store's threshold, lowered here from 50 000 to 2) drops, for the
 * rest of it, the plain indexes of tutorials and tutorial_tag and our
 * own triggers on them, and makes them again, the same, before it
 * commits; a failed one gets them back with the rollback. Without the
 * journal's triggers it prunes the journal, so that a reader reads
 * everything again; without the search index's, it indexes the
 * tutorials itself. Someone else's trigger stays. */
static void
test_large_import_sets_indexes_aside_sqlite (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = NULL;
  g_autofree char *index_sql = NULL;
  g_autofree char *index_sql_after = NULL;
  g_autofree char *integrity = NULL;
  TtJournalReader *reader = tt_journal_reader_new ();
  TtTutorialQuery q = { .text = "imported" };
  gboolean resync;
  LargeImport failing = { 0 };
  LargeImport import = { 0 };
  OPEN_STORE_OR_SKIP (store);

  tt_test_import_tutorials (store, "existing", 3);
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "CREATE TABLE audit_log (tutorial_id INTEGER)");
  tt_test_raw_exec (raw, FOREIGN_TRIGGER);
  index_sql = tt_test_raw_string (raw, SET_ASIDE_SQL);
  tt_store_debug_set_large_import (store, 2);
  g_array_unref (tt_store_read_changes (store, reader, &resync, &error));
  g_assert_no_error (error);

  failing.store = store;
  failing.fail_at_end = TRUE;
  g_assert_false (tt_store_import_stream (store, two_tagged_batches, &failing, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_cmpstr (failing.indexes_after[1], ==, "");
  g_assert_cmpstr (failing.triggers_after[1], ==, "audit_tutorials");
  index_sql_after = tt_test_raw_string (raw, SET_ASIDE_SQL);
  g_assert_cmpstr (index_sql_after, ==, index_sql);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tutorials"), ==, 3);
  g_clear_pointer (&index_sql_after, g_free);

  import.store = store;
  g_assert_true (tt_store_import_stream (store, two_tagged_batches, &import, NULL, NULL, &error));
  g_assert_no_error (error);
  /* 2 of 3: not yet; 4 of 3: set aside. */
  g_assert_cmpstr (import.indexes_after[0], ==, PLAIN_INDEXES);
  g_assert_cmpstr (import.indexes_after[1], ==, "");
  g_assert_cmpstr (import.triggers_after[0], ==, ALL_TRIGGERS_ON_TUTORIALS_AND_LINKS);
  g_assert_cmpstr (import.triggers_after[1], ==, "audit_tutorials");
  index_sql_after = tt_test_raw_string (raw, SET_ASIDE_SQL);
  g_assert_cmpstr (index_sql_after, ==, index_sql);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM audit_log"), ==, 4);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_change_journal WHERE id > 0"), ==, 0);
  assert_journal_reader_resyncs (store, reader);
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_search_stale"), ==, 0);
  found = tt_store_list_tutorial_ids (store, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 4);
  integrity = tt_test_raw_string (raw, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tutorial_tag INDEXED BY tutorial_tag_tag_id"
                                           " WHERE tag_id = (SELECT id FROM tags WHERE name = 'blue')"), ==, 4);

  large_import_clear (&failing);
  large_import_clear (&import);
  tt_journal_reader_free (reader);
}

/* Two clients make the same tag (any case) at the same moment: they end
 * with one tag, and the second one says it found it, without an error.
 * It used to fail with "Unknown error" on MySQL (the lookup after the
 * duplicate key ran in the transaction's old snapshot). MySQL only:
 * SQLite lets one writer at a time, so the race cannot happen there. */
static void
test_racing_tag_creators_mysql (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) other = NULL;
  TagRace race = { NULL };
  OPEN_STORE_OR_SKIP (store);

  other = tt_test_reopen_store ();
  race.other = other;
  g_assert_true (tt_store_run_atomically (store, tag_race_body, &race, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (race.ours), ==, tt_tag_get_id (race.theirs));
  g_assert_false (race.created);
  g_clear_object (&race.ours);
  g_clear_object (&race.theirs);
}

/* ---- a deadlock the server breaks by rolling our transaction back ---- */

/* One step of a two-thread choreography: a thread waits until the other
 * has passed the step. */
typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean passed;
} Step;

static void
step_pass (Step *step)
{
  g_mutex_lock (&step->lock);
  step->passed = TRUE;
  g_cond_broadcast (&step->cond);
  g_mutex_unlock (&step->lock);
}

static void
step_wait (Step *step)
{
  g_mutex_lock (&step->lock);
  while (!step->passed)
    g_cond_wait (&step->cond, &step->lock);
  g_mutex_unlock (&step->lock);
}

typedef struct
{
  GdaConnection *raw;
  gint64         first_id;
  gint64         second_id;
  Step           other_holds_second;
  Step           store_holds_first;
  guint          n_tries;
} Deadlock;

/* The other client: locks the second tag behind many changes of its own
 * (so the server picks the store's lighter transaction as the victim),
 * then waits for the first tag, which the store holds. */
static gpointer
deadlock_other_client (gpointer data)
{
  Deadlock *deadlock = data;
  g_autofree char *second = g_strdup_printf ("UPDATE tags SET updatedAt = NOW() WHERE id = %" G_GINT64_FORMAT,
                                            deadlock->second_id);
  g_autofree char *first = g_strdup_printf ("UPDATE tags SET updatedAt = NOW() WHERE id = %" G_GINT64_FORMAT,
                                           deadlock->first_id);

  tt_test_raw_exec (deadlock->raw, "START TRANSACTION");
  for (guint i = 0; i < 50; i++)
    tt_test_raw_exec (deadlock->raw,
                      "INSERT INTO tutorials (title, description, createdAt, updatedAt)"
                      " VALUES ('heavy', '', NOW(), NOW())");
  tt_test_raw_exec (deadlock->raw, second);
  step_pass (&deadlock->other_holds_second);
  step_wait (&deadlock->store_holds_first);
  tt_test_raw_exec (deadlock->raw, first);
  tt_test_raw_exec (deadlock->raw, "COMMIT");
  return NULL;
}

/* The store's command: renames the first tag, then the second. On the
 * first try the other client holds the second and then asks for the
 * first: a deadlock, which the server ends by rolling the store's
 * transaction back (error 1213). */
static gboolean
deadlock_body (TtStore   *store,
               gpointer   data,
               GError   **error)
{
  Deadlock *deadlock = data;
  g_autoptr(TtTag) first = tt_store_rename_tag (store, deadlock->first_id, "First renamed", NULL, error);
  g_autoptr(TtTag) second = NULL;

  if (first == NULL)
    return FALSE;
  if (deadlock->n_tries++ == 0)
    {
      step_pass (&deadlock->store_holds_first);
      /* Long enough for the other client's UPDATE to be waiting. */
      g_usleep (300 * 1000);
    }
  second = tt_store_rename_tag (store, deadlock->second_id, "Second renamed", NULL, error);
  return second != NULL;
}

/* The command that the server rolled back is run again from the start,
 * and succeeds: nobody sees the deadlock. It used to fail with
 * "Deadlock found when trying to get lock; try restarting transaction".
 * MySQL only: SQLite has one writer at a time, so no deadlock. */
static void
test_deadlock_retried_mysql (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) first = NULL;
  g_autoptr(TtTag) second = NULL;
  gint64 n_tutorials = 0;
  gboolean done;
  g_autoptr(GThread) other = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  Deadlock deadlock = { NULL };
  OPEN_STORE_OR_SKIP (store);

  first = add_tag (store, "First");
  second = add_tag (store, "Second");
  raw = tt_test_raw_open ();
  deadlock.raw = raw;
  deadlock.first_id = tt_tag_get_id (first);
  deadlock.second_id = tt_tag_get_id (second);
  other = g_thread_new ("other-client", deadlock_other_client, &deadlock);
  step_wait (&deadlock.other_holds_second);

  done = tt_store_run_atomically (store, deadlock_body, &deadlock, &error);
  g_assert_no_error (error);
  g_assert_true (done);
  g_thread_join (g_steal_pointer (&other));

  /* Tried twice: the deadlock did happen, and the second try worked. */
  g_assert_cmpuint (deadlock.n_tries, ==, 2);
  g_clear_object (&first);
  g_clear_object (&second);
  first = tt_store_get_tag (store, deadlock.first_id, &error);
  g_assert_no_error (error);
  second = tt_store_get_tag (store, deadlock.second_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tag_get_name (first), ==, "First renamed");
  g_assert_cmpstr (tt_tag_get_name (second), ==, "Second renamed");
  /* And the other client's transaction was kept whole. */
  g_assert_true (tt_store_count (store, &n_tutorials, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_tutorials, ==, 50);
}

typedef struct
{
  GdaConnection *raw;
  gint64         first_id;
  guint          n_tries;
} CutOff;

/* Ends every connection to this test's database but @raw's own. */
static void
kill_other_connections (GdaConnection *raw)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaDataModel) ids =
    gda_connection_execute_select_command (raw,
                                           "SELECT ID FROM information_schema.PROCESSLIST"
                                           " WHERE ID <> CONNECTION_ID() AND DB = DATABASE()",
                                           &error);

  g_assert_no_error (error);
  g_assert_cmpint (gda_data_model_get_n_rows (ids), >, 0);
  for (int row = 0; row < gda_data_model_get_n_rows (ids); row++)
    {
      const GValue *id = gda_data_model_get_value_at (ids, 0, row, &error);
      g_autofree char *sql = NULL;
      GValue text = G_VALUE_INIT;

      g_assert_no_error (error);
      g_value_init (&text, G_TYPE_STRING);
      g_assert_true (g_value_transform (id, &text));
      sql = g_strdup_printf ("KILL CONNECTION %s", g_value_get_string (&text));
      g_value_unset (&text);
      tt_test_raw_exec (raw, sql);
    }
}

static gboolean
cut_off_body (TtStore   *store,
              gpointer   data,
              GError   **error)
{
  CutOff *cut = data;
  g_autoptr(TtTag) first = tt_store_rename_tag (store, cut->first_id, "First renamed", NULL, error);
  g_autoptr(TtTutorial) added = NULL;

  cut->n_tries++;
  if (first == NULL)
    return FALSE;
  kill_other_connections (cut->raw);
  /* A write first, which meets the dead connection (a read would too). */
  added = tt_store_create_tutorial (store, "Added", NULL, error);
  return added != NULL;
}

/* The connection dies in the middle of a command: it is reported as
 * maybe not saved and not run again (here it was not saved: the server
 * rolled back what the dead connection had begun). */
static void
test_cut_off_not_repeated_mysql (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) first = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  gint64 n_tutorials = -1;
  CutOff cut = { NULL };
  OPEN_STORE_OR_SKIP (store);

  first = add_tag (store, "First");
  raw = tt_test_raw_open ();
  cut = (CutOff) { raw, tt_tag_get_id (first), 0 };

  g_assert_false (tt_store_run_atomically (store, cut_off_body, &cut, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST);
  g_assert_cmpuint (cut.n_tries, ==, 1);
  g_clear_object (&first);
  g_clear_error (&error);
  first = tt_store_get_tag (store, cut.first_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tag_get_name (first), ==, "First");
  g_assert_true (tt_store_count (store, &n_tutorials, NULL, &error));
  g_assert_cmpint (n_tutorials, ==, 0);
}

/* A list of servers whose first does not answer (nothing listens on
 * port 1): the store opens on the second, and works there. It used to
 * try only the first ("Can't connect to server"). */
static void
test_host_list_skips_dead_server_mysql (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) cluster = NULL;
  g_autoptr(TtStore) second = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autofree char *list = NULL;
  OPEN_STORE_OR_SKIP (store);

  cluster = tt_db_location_copy (tt_test_location ());
  list = g_strdup_printf ("127.0.0.1:1,%s:%u", cluster->host, cluster->port);
  g_assert_true (tt_db_location_set_hosts (cluster, list, TT_DB_MYSQL_DEFAULT_PORT, &error));
  g_assert_no_error (error);

  second = tt_store_open (cluster, tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  tag = tt_store_create_tag (second, "Reached", &error);
  g_assert_no_error (error);
  g_clear_object (&tag);
  tag = tt_store_find_tag_by_name (store, "Reached", &error);
  g_assert_no_error (error);
  g_assert_nonnull (tag);
}

static void
test_reset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tutorials = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(TtTutorial) again = NULL;
  OPEN_STORE_OR_SKIP (store);

  seed (store);
  g_assert_true (tt_store_reset (store, &error));
  g_assert_no_error (error);

  tutorials = tt_store_list_tutorials (store, NULL, &error);
  tags = tt_store_list_tags (store, FALSE, &error);
  g_assert_cmpuint (g_list_model_get_n_items (tutorials), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 0);

  /* Ids start again at 1, as after Sequelize's sync({force: true}). */
  again = add_tutorial (store, "First again");
  g_assert_cmpint (tt_tutorial_get_id (again), ==, 1);
  g_assert_cmpint (tt_store_get_schema_version (store), ==, TT_SCHEMA_VERSION);
}

/* Undo of a delete: the same ids, texts, times and links come back. */
static void
test_restore (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) snapshot = NULL;
  g_autoptr(TtTutorial) restored = NULL;
  g_autoptr(TtTag) tag_snapshot = NULL;
  g_autoptr(TtTag) tag_restored = NULL;
  g_autoptr(TtTag) again = NULL;
  OPEN_STORE_OR_SKIP (store);

  seed (store);
  snapshot = tt_store_get_tutorial (store, 3, &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_delete_tutorial (store, 3, &error));

  restored = tt_store_restore_tutorial (store, snapshot, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tutorial_get_id (restored), ==, 3);
  g_assert_cmpstr (tt_tutorial_get_title (restored), ==, "Tut#3");
  assert_ids (tt_tutorial_get_tags (restored), "1,2");
  g_assert_true (g_date_time_equal (tt_tutorial_get_created_at (restored),
                                    tt_tutorial_get_created_at (snapshot)));

  /* A tag comes back with the tutorials that still exist. */
  tag_snapshot = tt_store_get_tag (store, 2, &error);
  g_assert_true (tt_store_delete_tag (store, 2, &error));
  g_assert_true (tt_store_delete_tutorial (store, 4, &error));
  tag_restored = tt_store_restore_tag (store, tag_snapshot, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (tag_restored), ==, 2);
  assert_ids (tt_tag_get_tutorials (tag_restored), "1,3");

  /* Not twice: the id is taken. */
  again = tt_store_restore_tag (store, tag_snapshot, &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE);
  g_assert_null (again);
}

/* More rows than one page (the store reads 5000 at a time), with many
 * ties on the sort key: every tutorial comes exactly once, in order. */
static void
assert_listed_in_order (TtStore  *store,
                        TtSortKey sort,
                        gboolean  descending,
                        guint     expected)
{
  TtTutorialQuery q = { .sort = sort, .descending = descending, .with_tags = TRUE };
  g_autoptr(GListModel) all = query (store, &q);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(TtTutorial) previous = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (all), ==, expected);
  for (guint i = 0; i < expected; i++)
    {
      g_autoptr(TtTutorial) t = g_list_model_get_item (all, i);
      gint64 id = tt_tutorial_get_id (t);

      g_assert_true (g_hash_table_add (seen, GSIZE_TO_POINTER ((gsize) id)));
      if (previous != NULL)
        {
          int c = sort == TT_SORT_BY_TITLE ? strcmp (tt_tutorial_get_title (previous), tt_tutorial_get_title (t))
                : sort == TT_SORT_BY_CREATED ? g_date_time_compare (tt_tutorial_get_created_at (previous),
                                                                    tt_tutorial_get_created_at (t))
                : 0;
          if (c == 0)
            c = tt_tutorial_get_id (previous) < id ? -1 : 1;
          g_assert_cmpint (descending ? -c : c, <, 0);
        }
      g_set_object (&previous, t);
    }
}

static void
test_large_list_pages (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  const char *tagged[] = { "Paged", NULL };
  const guint n = 12001;
  OPEN_STORE_OR_SKIP (store);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("T%u", i % 7);
      g_autoptr(TtTutorial) t = import_item (title, i % 3 == 0 ? tagged : NULL);
      g_autoptr(GDateTime) created = g_date_time_new_utc (2020, 1, 1 + i % 5, 0, 0, 0);

      tt_tutorial_set_created_at (t, created);
      g_list_store_append (tutorials, t);
    }
  g_assert_true (tt_store_import (store, G_LIST_MODEL (tutorials), NULL, &error));
  g_assert_no_error (error);

  assert_listed_in_order (store, TT_SORT_BY_ID, FALSE, n);
  assert_listed_in_order (store, TT_SORT_BY_ID, TRUE, n);
  assert_listed_in_order (store, TT_SORT_BY_TITLE, FALSE, n);
  assert_listed_in_order (store, TT_SORT_BY_TITLE, TRUE, n);
  assert_listed_in_order (store, TT_SORT_BY_CREATED, FALSE, n);
  assert_listed_in_order (store, TT_SORT_BY_CREATED, TRUE, n);
  {
    gint64 paged_id = 1;
    TtTutorialQuery q = { .tag_ids = &paged_id, .n_tag_ids = 1, .with_tags = TRUE };
    g_autoptr(GListModel) some = tt_store_list_tutorials (store, &q, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (some), ==, (n + 2) / 3);
  }
  {
    /* The tags' side reads every tutorial in pages too. */
    g_autoptr(GListModel) tags = tt_store_list_tags (store, TRUE, &error);
    g_autoptr(TtTag) paged = NULL;

    g_assert_no_error (error);
    paged = g_list_model_get_item (tags, 0);
    g_assert_cmpuint (g_list_model_get_n_items (tt_tag_get_tutorials (paged)), ==, (n + 2) / 3);
  }
}

/* ---- timestamps ------------------------------------------------------ */

/* The edges of what both backends hold (MariaDB stores years below 1000
 * although its documentation starts DATETIME at 1000), as
 * {created, updated} pairs of ISO 8601 texts. */
static const char * const edge_times[][2] = {
  { "0001-01-01T00:00:00Z", "0999-03-04T05:06:07Z" },
  { "1000-01-01T00:00:00Z", "9999-12-31T23:59:59Z" },
  { "0099-12-31T23:59:59Z", "0009-09-09T09:09:09Z" },
};

static GDateTime *
time_from_iso (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GDateTime *time = g_date_time_new_from_iso8601 (text, utc);

  g_assert_nonnull (time);
  return time;
}

/* The same instant, to the microsecond (in whatever zone it is given). */
#define assert_same_time(actual, iso) G_STMT_START { \
  g_autoptr(GDateTime) _expected = time_from_iso (iso); \
  g_autoptr(GDateTime) _utc = (actual) != NULL ? g_date_time_to_utc (actual) : NULL; \
  g_autofree char *_got = _utc != NULL ? g_date_time_format_iso8601 (_utc) : g_strdup ("(null)"); \
  g_autofree char *_want = g_date_time_format_iso8601 (_expected); \
  g_assert_cmpstr (_got, ==, _want); \
} G_STMT_END

static TtTutorial *
tutorial_at (const char *title,
             const char *created,
             const char *updated)
{
  g_autoptr(GDateTime) c = time_from_iso (created);
  g_autoptr(GDateTime) u = time_from_iso (updated);
  TtTutorial *tutorial = tt_tutorial_new (0, title, NULL);

  tt_tutorial_set_created_at (tutorial, c);
  tt_tutorial_set_updated_at (tutorial, u);
  return tutorial;
}

/* Imports one tutorial per edge_times row, titled "E0", "E1", … */
static void
import_edge_tutorials (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);

  for (guint i = 0; i < G_N_ELEMENTS (edge_times); i++)
    {
      g_autofree char *title = g_strdup_printf ("E%u", i);
      g_autoptr(TtTutorial) tutorial = tutorial_at (title, edge_times[i][0], edge_times[i][1]);

      g_list_store_append (tutorials, tutorial);
    }
  g_assert_true (tt_store_import (store, G_LIST_MODEL (tutorials), NULL, &error));
  g_assert_no_error (error);
}

/* The tutorials titled "E0", "E1", … carry edge_times exactly. */
static void
assert_edge_tutorials (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = tt_store_list_tutorials (store, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, G_N_ELEMENTS (edge_times));
  for (guint i = 0; i < G_N_ELEMENTS (edge_times); i++)
    {
      g_autoptr(TtTutorial) t = g_list_model_get_item (all, i);
      g_autofree char *title = g_strdup_printf ("E%u", i);

      g_assert_cmpstr (tt_tutorial_get_title (t), ==, title);
      assert_same_time (tt_tutorial_get_created_at (t), edge_times[i][0]);
      assert_same_time (tt_tutorial_get_updated_at (t), edge_times[i][1]);
    }
}

/* Years 1 to 9999 come back exactly, sort in time order, and survive a
 * copy into a SQLite file (SQLite once stored year 999 as "999-…", read
 * it back as no time at all, and the copy then put its own time there). */
static void
test_time_edges_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) by_created = NULL;
  g_autoptr(TtStore) target = NULL;
  g_autoptr(TtDbLocation) target_location = NULL;
  g_autofree char *target_path = NULL;
  TtTutorialQuery q = { .sort = TT_SORT_BY_CREATED };
  TtCopyReport report;
  OPEN_STORE_OR_SKIP (store);

  import_edge_tutorials (store);
  assert_edge_tutorials (store);

  by_created = tt_store_list_tutorials (store, &q, &error);
  g_assert_no_error (error);
  assert_ids (by_created, "1,3,2");

  target_path = g_build_filename (g_get_user_data_dir (), "copy-target.db", NULL);
  target_location = tt_db_location_new_sqlite (target_path);
  target = tt_store_open (target_location, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_copy_into (store, target, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.tutorials_copied, ==, G_N_ELEMENTS (edge_times));
  assert_edge_tutorials (target);
}

/* A time whose UTC form falls outside 0001..9999 is refused as invalid
 * input, and nothing of the import lands. */
static void
test_time_out_of_range_refused (void)
{
  static const struct { int year, month, day, hour; double offset_hours; } outside[] = {
    { 1, 1, 1, 0, 1.0 },      /* 0000-12-31 23:00 UTC */
    { 9999, 12, 31, 23, -1.0 }, /* 10000-01-01 00:00 UTC */
  };
  OPEN_STORE_OR_SKIP (store);

  for (guint i = 0; i < G_N_ELEMENTS (outside); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GTimeZone) zone = g_time_zone_new_offset ((gint32) (outside[i].offset_hours * 3600));
      g_autoptr(GDateTime) time = g_date_time_new (zone, outside[i].year, outside[i].month,
                                                   outside[i].day, outside[i].hour, 0, 0);
      g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
      g_autoptr(TtTutorial) fine = tutorial_at ("Fine", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z");
      g_autoptr(TtTutorial) outlier = tt_tutorial_new (0, "Outlier", NULL);
      g_autoptr(GListModel) all = NULL;

      g_assert_nonnull (time);
      tt_tutorial_set_created_at (outlier, time);
      g_list_store_append (tutorials, fine);
      g_list_store_append (tutorials, outlier);
      g_assert_false (tt_store_import (store, G_LIST_MODEL (tutorials), NULL, &error));
      g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "9999"));
      all = tt_store_list_tutorials (store, NULL, &error);
      g_assert_cmpuint (g_list_model_get_n_items (all), ==, 0);
    }
}

/* Rows another program wrote: earlier versions of ours ("999-…" on
 * SQLite), Sequelize on SQLite ("… .250 +00:00"), any SQLite client
 * ("…T…Z"), and on MariaDB a year below 1000. */
static void
test_time_written_by_others (void)
{
  static const char * const sqlite_texts[][2] = {
    { "999-03-04 05:06:07", "0999-03-04T05:06:07Z" },
    { "1-01-01 00:00:00", "0001-01-01T00:00:00Z" },
    { "0999-03-04 05:06:07.250 +00:00", "0999-03-04T05:06:07.250Z" },
    { "2020-01-01T10:00:00.123+02:00", "2020-01-01T08:00:00.123Z" },
  };
  static const char * const mysql_texts[][2] = {
    { "0999-03-04 05:06:07", "0999-03-04T05:06:07Z" },
    { "0001-01-01 00:00:00", "0001-01-01T00:00:00Z" },
  };
  const char * const (*texts)[2] = tt_test_is_mysql () ? mysql_texts : sqlite_texts;
  guint n = tt_test_is_mysql () ? G_N_ELEMENTS (mysql_texts) : G_N_ELEMENTS (sqlite_texts);
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL;
  OPEN_STORE_OR_SKIP (store);

  raw = tt_test_raw_open ();
  for (guint i = 0; i < n; i++)
    {
      /* Test data of our own: nothing to bind against. */
      g_autofree char *sql = g_strdup_printf ("INSERT INTO tutorials (title, createdAt, updatedAt)"
                                              " VALUES ('R%u', '%s', '%s')", i, texts[i][0], texts[i][0]);
      tt_test_raw_exec (raw, sql);
    }

  all = tt_store_list_tutorials (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtTutorial) t = g_list_model_get_item (all, i);

      assert_same_time (tt_tutorial_get_created_at (t), texts[i][1]);
      assert_same_time (tt_tutorial_get_updated_at (t), texts[i][1]);
    }
}

static CliRun *
run_cli_on (const char         *input,
            const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = tt_test_cli_launcher ();
  g_autofree char *db = tt_test_location_uri (tt_test_location ());

  if (tt_test_password () != NULL)
    g_subprocess_launcher_setenv (launcher, TT_TEST_DB_PASSWORD_VARIABLE, tt_test_password (), TRUE);
  return tt_test_run_cli (launcher, db, input, args);
}

/* The createdAt and updatedAt of each tutorial of an export, in order. */
static char *
export_times (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new (NULL);
  JsonArray *tutorials;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  tutorials = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "tutorials");
  for (guint i = 0; i < json_array_get_length (tutorials); i++)
    {
      JsonObject *t = json_array_get_object_element (tutorials, i);

      g_string_append_printf (out, "%s %s\n", json_object_get_string_member (t, "createdAt"),
                              json_object_get_string_member (t, "updatedAt"));
    }
  return g_string_free (out, FALSE);
}

/* Through the CLI, the same on both backends: edge years come back as
 * they went in; a fraction is cut to whole seconds (MariaDB's DATETIME
 * has none) and an offset becomes UTC; a time outside 0001..9999 UTC is
 * invalid input (it crashed the import before) and changes nothing. */
static void
test_time_cli_round_trip (void)
{
  static const char * const import_args[] = { "import", "-", NULL };
  static const char * const export_args[] = { "export", NULL };
  static const char input[] =
    "[ { \"title\": \"A\", \"createdAt\": \"0001-01-01T00:00:00.000Z\", \"updatedAt\": \"0999-03-04T05:06:07.000Z\" },"
    "  { \"title\": \"B\", \"createdAt\": \"9999-12-31T23:59:59.000Z\", \"updatedAt\": \"2020-01-01T10:00:00.789+02:00\" } ]";
  static const char * const outside[] = {
    "[ { \"title\": \"C\", \"createdAt\": \"0001-01-01T00:30:00+01:00\" } ]",
    "[ { \"title\": \"C\", \"createdAt\": \"9999-12-31T23:30:00-01:00\" } ]",
  };
  g_autoptr(CliRun) imported = NULL;
  g_autoptr(CliRun) exported = NULL;
  g_autofree char *times = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_store_close (store);
  imported = run_cli_on (input, import_args);
  g_assert_cmpint (imported->status, ==, TT_EXIT_OK);
  exported = run_cli_on (NULL, export_args);
  g_assert_cmpint (exported->status, ==, TT_EXIT_OK);
  times = export_times (exported->out);
  g_assert_cmpstr (times, ==,
                   "0001-01-01T00:00:00.000Z 0999-03-04T05:06:07.000Z\n"
                   "9999-12-31T23:59:59.000Z 2020-01-01T08:00:00.000Z\n");

  for (guint i = 0; i < G_N_ELEMENTS (outside); i++)
    {
      g_autoptr(CliRun) refused = run_cli_on (outside[i], import_args);
      g_autoptr(CliRun) after = run_cli_on (NULL, export_args);

      g_assert_cmpint (refused->status, ==, TT_EXIT_INVALID_INPUT);
      g_assert_nonnull (strstr (refused->err, "createdAt"));
      g_assert_cmpstr (after->out, ==, exported->out);
    }
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/store/seed-scenario", test_seed_scenario);
  g_test_add_func ("/store/tutorial-input-rules", test_tutorial_input_rules);
  g_test_add_func ("/store/unicode-round-trip", test_unicode_round_trip);
  g_test_add_func ("/store/tag-input-rules", test_tag_input_rules);
  g_test_add_func ("/store/tag-case-insensitive", test_tag_case_insensitive);
  g_test_add_func ("/store/tag-long-key", test_tag_long_key);
  g_test_add_func ("/store/tag-long-key-variants", test_tag_long_key_variants);
  g_test_add_func ("/store/tag-long-key-rename", test_tag_long_key_rename);
  g_test_add_func ("/store/tag-long-key-stored", test_tag_long_key_stored);
  if (!tt_test_is_mysql ())
    g_test_add_func ("/store/tag-long-key-rewritten-at-open", test_tag_long_key_rewritten_at_open_sqlite);
  g_test_add_func ("/store/link-errors", test_link_errors);
  g_test_add_func ("/store/update-and-delete-tutorial", test_update_and_delete_tutorial);
  g_test_add_func ("/store/delete-tag", test_delete_tag);
  g_test_add_func ("/store/rename-and-merge", test_rename_and_merge);
  g_test_add_func ("/store/set-tutorial-tags", test_set_tutorial_tags);
  g_test_add_func ("/store/usage-counts", test_usage_counts);
  g_test_add_func ("/store/last-linked", test_last_linked);
  g_test_add_func ("/store/count-untagged", test_count_untagged);
  g_test_add_func ("/store/search-and-filters", test_search_and_filters);
  g_test_add_func ("/store/search-folds", test_search_folds);
  g_test_add_func ("/store/bulk-links", test_bulk_links);
  g_test_add_func ("/store/import", test_import);
  g_test_add_func ("/store/import/any-text", test_import_any_text);
  g_test_add_func ("/store/import/long-texts", test_import_long_texts);
  g_test_add_func ("/store/change-stamp", test_change_stamp);
  g_test_add_func ("/store/ids-leave-no-read-open", test_ids_leave_no_read_open);
  g_test_add_func ("/store/two-connections-link-same-pair", test_two_connections_link_same_pair);
  g_test_add_func ("/store/async-in-order", test_async_in_order);
  if (tt_test_is_mysql ())
    g_test_add_func ("/store/racing-tag-creators", test_racing_tag_creators_mysql);
  if (tt_test_is_mysql ())
    g_test_add_func ("/store/deadlock-retried", test_deadlock_retried_mysql);
  if (tt_test_is_mysql ())
    g_test_add_func ("/store/host-list-skips-dead-server", test_host_list_skips_dead_server_mysql);
  if (tt_test_is_mysql ())
    g_test_add_func ("/store/cut-off-not-repeated", test_cut_off_not_repeated_mysql);
  g_test_add_func ("/store/reset", test_reset);
  g_test_add_func ("/store/restore", test_restore);
  g_test_add_func ("/store/large-list-pages", test_large_list_pages);
  if (!tt_test_is_mysql ())
    {
      g_test_add_func ("/store/title-order-index", test_title_order_index_sqlite);
      g_test_add_func ("/store/import/large-sets-indexes-aside", test_large_import_sets_indexes_aside_sqlite);
    }
  g_test_add_func ("/store/time/edges-round-trip", test_time_edges_round_trip);
  g_test_add_func ("/store/time/out-of-range-refused", test_time_out_of_range_refused);
  g_test_add_func ("/store/time/written-by-others", test_time_written_by_others);
  g_test_add_func ("/store/time/cli-round-trip", test_time_cli_round_trip);

  return g_test_run ();
}
