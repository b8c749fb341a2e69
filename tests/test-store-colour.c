/* test-store-colour.c: tag colours in the store (tt_tag_colour)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tt-gda-autocleanups.h"
#include "tt-rules.h"
#include "tt-test-fixture.h"

/* ---- helpers ---------------------------------------------------------- */

static TtTag *
tag_named (GListModel *tags,
           const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      if (g_strcmp0 (tt_tag_get_name (tag), name) == 0)
        return g_steal_pointer (&tag);
    }
  g_error ("no tag %s", name);
}

static gint64
tag_id_named (TtStore    *store,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) tag = tt_store_find_tag_by_name (store, name, &error);

  g_assert_no_error (error);
  return tt_tag_get_id (tag);
}

/* The colour of @name in the sidebar's list. */
static char *
listed_colour (TtStore    *store,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tags = tt_store_list_tags (store, FALSE, &error);
  g_autoptr(TtTag) tag = NULL;

  g_assert_no_error (error);
  tag = tag_named (tags, name);
  return g_strdup (tt_tag_get_colour (tag));
}

/* The colour of @name among the tags of the tutorial @tutorial_id, read
 * as the tutorial list reads them. */
static char *
tutorial_tag_colour (TtStore    *store,
                     gint64      tutorial_id,
                     const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = tt_store_load_tutorials (store, &tutorial_id, 1, &error);
  g_autoptr(TtTutorial) single = tt_store_get_tutorial (store, tutorial_id, &error);
  g_autoptr(TtTag) from_list = NULL;
  g_autoptr(TtTag) from_single = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 1);
  from_list = tag_named (tt_tutorial_get_tags (loaded->pdata[0]), name);
  from_single = tag_named (tt_tutorial_get_tags (single), name);
  /* Both ways of reading a tutorial agree. */
  g_assert_cmpstr (tt_tag_get_colour (from_list), ==, tt_tag_get_colour (from_single));
  return g_strdup (tt_tag_get_colour (from_list));
}

static gint64
first_tutorial_id (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tags = tt_store_list_tags (store, TRUE, &error);
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;

  g_assert_no_error (error);
  tag = tag_named (tags, "Tag#1");
  tutorial = g_list_model_get_item (tt_tag_get_tutorials (tag), 0);
  return tt_tutorial_get_id (tutorial);
}

/* ---- tests ------------------------------------------------------------ */

/* A colour set is read back with the tag everywhere tags are read, and
 * clearing it (NULL or "") leaves none. */
static void
test_set_read_back_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *on_tutorial = NULL;
  g_autofree char *other = NULL;
  gint64 tag_id;
  gint64 tutorial_id;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  tag_id = tag_id_named (store, "Tag#1");
  tutorial_id = first_tutorial_id (store);

  g_assert_true (tt_store_set_tag_colour (store, tag_id, "red", &old, &error));
  g_assert_no_error (error);
  g_assert_null (old);
  listed = listed_colour (store, "Tag#1");
  on_tutorial = tutorial_tag_colour (store, tutorial_id, "Tag#1");
  other = listed_colour (store, "Tag#2");
  g_assert_cmpstr (listed, ==, "red");
  g_assert_cmpstr (on_tutorial, ==, "red");
  g_assert_null (other);

  g_assert_true (tt_store_set_tag_colour (store, tag_id, "green", &old, &error));
  g_assert_cmpstr (old, ==, "red");
  g_clear_pointer (&listed, g_free);
  listed = listed_colour (store, "Tag#1");
  g_assert_cmpstr (listed, ==, "green");

  g_clear_pointer (&old, g_free);
  g_assert_true (tt_store_set_tag_colour (store, tag_id, "", &old, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (old, ==, "green");
  g_clear_pointer (&listed, g_free);
  g_clear_pointer (&on_tutorial, g_free);
  listed = listed_colour (store, "Tag#1");
  on_tutorial = tutorial_tag_colour (store, tutorial_id, "Tag#1");
  g_assert_null (listed);
  g_assert_null (on_tutorial);

  /* NULL is none as well, and clearing twice is fine. */
  g_assert_true (tt_store_set_tag_colour (store, tag_id, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Only the palette's names; nothing stored changes on a refusal. */
static void
test_invalid_colour_refused (void)
{
  static const char * const bad[] = { "pink", "Red", "red ", "#ff0000", "blue; DROP TABLE tags" };
  g_autoptr(GError) error = NULL;
  g_autofree char *listed = NULL;
  gint64 tag_id;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  tag_id = tag_id_named (store, "Tag#2");
  g_assert_true (tt_store_set_tag_colour (store, tag_id, "purple", NULL, &error));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (tt_store_set_tag_colour (store, tag_id, bad[i], NULL, &error));
      g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "blue, green, yellow, orange, red, purple or brown"));
      g_clear_error (&error);
    }

  g_assert_false (tt_store_set_tag_colour (store, 999999, "red", NULL, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);

  listed = listed_colour (store, "Tag#2");
  g_assert_cmpstr (listed, ==, "purple");
}

/* Deleting a tag deletes its colour row; putting the tag back (undo)
 * brings its colour back. */
static void
test_delete_tag_removes_colour (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtTag) snapshot = NULL;
  g_autoptr(TtTag) restored = NULL;
  gint64 tag_id;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  tag_id = tag_id_named (store, "Tag#1");
  g_assert_true (tt_store_set_tag_colour (store, tag_id, "orange", NULL, &error));
  snapshot = tt_store_get_tag (store, tag_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tag_get_colour (snapshot), ==, "orange");

  g_assert_true (tt_store_delete_tag (store, tag_id, &error));
  g_assert_no_error (error);
  raw = tt_test_raw_open ();
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_tag_colour"), ==, 0);

  restored = tt_store_restore_tag (store, snapshot, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tag_get_colour (restored), ==, "orange");
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_tag_colour"), ==, 1);
}

/* A merge deletes the merged tag's colour; the target keeps its own. */
static void
test_merge_keeps_target_colour (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtTag) merged = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  g_assert_true (tt_store_set_tag_colour (store, tag_id_named (store, "Tag#1"), "red", NULL, &error));
  g_assert_true (tt_store_set_tag_colour (store, tag_id_named (store, "Tag#2"), "blue", NULL, &error));

  merged = tt_store_rename_tag (store, tag_id_named (store, "Tag#1"), "tag#2", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tag_get_colour (merged), ==, "blue");
  raw = tt_test_raw_open ();
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_tag_colour"), ==, 1);
}

/* Another client's reader learns of the change from the journal: a tag
 * update of that tag. */
static void
test_colour_change_is_journalled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) other = NULL;
  g_autoptr(GArray) start = NULL;
  g_autoptr(GArray) changes = NULL;
  TtJournalReader *reader = tt_journal_reader_new ();
  gboolean resync = FALSE;
  gint64 tag_id;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  tag_id = tag_id_named (store, "Tag#2");
  other = tt_test_reopen_store ();
  g_assert_true (tt_store_has_journal (other));
  start = tt_store_read_changes (other, reader, &resync, &error);
  g_assert_no_error (error);

  g_assert_true (tt_store_set_tag_colour (store, tag_id, "yellow", NULL, &error));
  changes = tt_store_read_changes (other, reader, &resync, &error);
  g_assert_no_error (error);
  g_assert_false (resync);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (g_array_index (changes, TtChange, 0).kind, ==, "tag");
  g_assert_cmpstr (g_array_index (changes, TtChange, 0).op, ==, "update");
  g_assert_cmpint (g_array_index (changes, TtChange, 0).tag_id, ==, tag_id);

  /* The same colour again changes nothing, and writes nothing. */
  g_clear_pointer (&changes, g_array_unref);
  g_assert_true (tt_store_set_tag_colour (store, tag_id, "yellow", NULL, &error));
  changes = tt_store_read_changes (other, reader, &resync, &error);
  g_assert_cmpuint (changes->len, ==, 0);
  tt_journal_reader_free (reader);
}

/* A colour whose tag another program deleted is dropped at the next
 * open, before a new tag could be mistaken for its owner. */
static void
test_orphan_colour_dropped_at_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtStore) again = NULL;
  g_autofree char *kept = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  g_assert_true (tt_store_set_tag_colour (store, tag_id_named (store, "Tag#1"), "brown", NULL, &error));
  g_assert_true (tt_store_set_tag_colour (store, tag_id_named (store, "Tag#2"), "red", NULL, &error));
  tt_store_close (store);

  raw = tt_test_raw_open ();
  /* As the Node.js app deletes a tag: it knows nothing of colours. */
  tt_test_raw_exec (raw, "DELETE FROM tutorial_tag WHERE tag_id = (SELECT id FROM tags WHERE name = 'Tag#2')");
  tt_test_raw_exec (raw, "DELETE FROM tags WHERE name = 'Tag#2'");
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_tag_colour"), ==, 2);

  again = tt_test_reopen_store ();
  g_assert_cmpint (tt_test_raw_int64 (raw, "SELECT COUNT(*) FROM tt_tag_colour"), ==, 1);
  kept = listed_colour (again, "Tag#1");
  g_assert_cmpstr (kept, ==, "brown");
}

/* The palette: seven names, each with a label, and nothing else. */
static void
test_palette (void)
{
  const char * const *colours = tt_rules_tag_colours ();

  g_assert_cmpuint (g_strv_length ((char **) colours), ==, TT_N_TAG_COLOURS);
  for (guint i = 0; colours[i] != NULL; i++)
    {
      g_assert_nonnull (tt_rules_tag_colour_label (colours[i]));
      g_assert_cmpint (tt_rules_tag_colour_index (colours[i]), ==, i);
      g_assert_true (tt_rules_check_tag_colour (colours[i], NULL));
    }
  g_assert_true (tt_rules_check_tag_colour (NULL, NULL));
  g_assert_null (tt_rules_tag_colour_label ("pink"));
  g_assert_cmpint (tt_rules_tag_colour_index (NULL), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/colour/palette", test_palette);
  g_test_add_func ("/colour/set-read-back-clear", test_set_read_back_clear);
  g_test_add_func ("/colour/invalid-refused", test_invalid_colour_refused);
  g_test_add_func ("/colour/delete-tag-removes-colour", test_delete_tag_removes_colour);
  g_test_add_func ("/colour/merge-keeps-target-colour", test_merge_keeps_target_colour);
  g_test_add_func ("/colour/change-is-journalled", test_colour_change_is_journalled);
  g_test_add_func ("/colour/orphan-dropped-at-open", test_orphan_colour_dropped_at_open);

  return g_test_run ();
}
