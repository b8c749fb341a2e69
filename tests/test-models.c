/* test-models.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tt-db-location.h"
#include "tt-object-list.h"
#include "tt-store.h"
#include "tt-tag.h"
#include "tt-tutorial.h"

typedef struct
{
  guint emissions;
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

typedef void (*SetListFunc) (gpointer    owner,
                             GListModel *list);

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *counter)
{
  (*counter)++;
}

static void
record_items_changed (GListModel   *model,
                      guint         position,
                      guint         removed,
                      guint         added,
                      ItemsChanged *record)
{
  record->emissions++;
  record->position = position;
  record->removed = removed;
  record->added = added;
}

static gulong
watch_property (gpointer    object,
                const char *property,
                guint      *counter)
{
  g_autofree char *detailed = g_strdup_printf ("notify::%s", property);

  return g_signal_connect (object, detailed, G_CALLBACK (count_notify), counter);
}

static void
assert_items_changed (const ItemsChanged *record,
                      guint               emissions,
                      guint               removed,
                      guint               added)
{
  g_assert_cmpuint (record->emissions, ==, emissions);
  g_assert_cmpuint (record->position, ==, 0);
  g_assert_cmpuint (record->removed, ==, removed);
  g_assert_cmpuint (record->added, ==, added);
}

static void
assert_model_holds (GListModel *model,
                    GPtrArray  *items)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, items->len);

  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (items, i));
    }
}

static GListModel *
make_list (GType      item_type,
           GPtrArray *items,
           guint      n_items)
{
  GListStore *store = g_list_store_new (item_type);

  for (guint i = 0; i < n_items; i++)
    g_list_store_append (store, g_ptr_array_index (items, i));

  return G_LIST_MODEL (store);
}

static void
set_tags (gpointer    owner,
          GListModel *list)
{
  tt_tutorial_set_tags (owner, list);
}

static void
set_tutorials (gpointer    owner,
               GListModel *list)
{
  tt_tag_set_tutorials (owner, list);
}

static void
test_tag_new (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (42, "Tag#1");
  g_autoptr(GListModel) tutorials = NULL;
  g_autofree char *name = NULL;
  gint64 id = 0;
  guint count = 1;

  g_assert_cmpint (tt_tag_get_id (tag), ==, 42);
  g_assert_cmpstr (tt_tag_get_name (tag), ==, "Tag#1");
  g_assert_null (tt_tag_get_created_at (tag));
  g_assert_null (tt_tag_get_updated_at (tag));
  g_assert_cmpuint (tt_tag_get_tutorial_count (tag), ==, 0);
  g_assert_true (TT_IS_OBJECT_LIST (tt_tag_get_tutorials (tag)));
  g_assert_true (g_list_model_get_item_type (tt_tag_get_tutorials (tag)) == TT_TYPE_TUTORIAL);
  g_assert_cmpuint (g_list_model_get_n_items (tt_tag_get_tutorials (tag)), ==, 0);

  g_object_get (tag,
                "id", &id,
                "name", &name,
                "tutorial-count", &count,
                "tutorials", &tutorials,
                NULL);
  g_assert_cmpint (id, ==, 42);
  g_assert_cmpstr (name, ==, "Tag#1");
  g_assert_cmpuint (count, ==, 0);
  g_assert_true (tutorials == tt_tag_get_tutorials (tag));
}

static void
test_tag_new_large_id (void)
{
  /* Ids are 64-bit in the database; a 32-bit slip would truncate this. */
  g_autoptr(TtTag) tag = tt_tag_new (G_GINT64_CONSTANT (1) << 40, NULL);

  g_assert_cmpint (tt_tag_get_id (tag), ==, G_GINT64_CONSTANT (1) << 40);
  g_assert_null (tt_tag_get_name (tag));
}

static void
test_tutorial_new (void)
{
  g_autoptr(TtTutorial) tutorial = tt_tutorial_new (7, "Tut#1", "Tut#1 Description");
  g_autoptr(GListModel) tags = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  gint64 id = 0;

  g_assert_cmpint (tt_tutorial_get_id (tutorial), ==, 7);
  g_assert_cmpstr (tt_tutorial_get_title (tutorial), ==, "Tut#1");
  g_assert_cmpstr (tt_tutorial_get_description (tutorial), ==, "Tut#1 Description");
  g_assert_null (tt_tutorial_get_created_at (tutorial));
  g_assert_null (tt_tutorial_get_updated_at (tutorial));
  g_assert_true (TT_IS_OBJECT_LIST (tt_tutorial_get_tags (tutorial)));
  g_assert_true (g_list_model_get_item_type (tt_tutorial_get_tags (tutorial)) == TT_TYPE_TAG);
  g_assert_cmpuint (g_list_model_get_n_items (tt_tutorial_get_tags (tutorial)), ==, 0);

  g_object_get (tutorial,
                "id", &id,
                "title", &title,
                "description", &description,
                "tags", &tags,
                NULL);
  g_assert_cmpint (id, ==, 7);
  g_assert_cmpstr (title, ==, "Tut#1");
  g_assert_cmpstr (description, ==, "Tut#1 Description");
  g_assert_true (tags == tt_tutorial_get_tags (tutorial));
}

static void
test_tutorial_null_description (void)
{
  g_autoptr(TtTutorial) tutorial = tt_tutorial_new (1, "Tut#1", NULL);
  g_autofree char *description = NULL;

  g_assert_nonnull (tt_tutorial_get_description (tutorial));
  g_assert_cmpstr (tt_tutorial_get_description (tutorial), ==, "");

  g_object_get (tutorial, "description", &description, NULL);
  g_assert_cmpstr (description, ==, "");
}

static void
test_tag_notify_name (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (1, "Tag#1");
  guint count = 0;

  watch_property (tag, "name", &count);

  tt_tag_set_name (tag, "Tag#1");
  g_assert_cmpuint (count, ==, 0);

  tt_tag_set_name (tag, "Rust");
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (tt_tag_get_name (tag), ==, "Rust");

  /* Setting the name it already has, from its own buffer, is a no-op. */
  tt_tag_set_name (tag, tt_tag_get_name (tag));
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (tt_tag_get_name (tag), ==, "Rust");

  /* Without G_PARAM_EXPLICIT_NOTIFY, g_object_set() would notify here. */
  g_object_set (tag, "name", "Rust", NULL);
  g_assert_cmpuint (count, ==, 1);

  g_object_set (tag, "name", "GTK", NULL);
  g_assert_cmpuint (count, ==, 2);

  tt_tag_set_name (tag, NULL);
  g_assert_cmpuint (count, ==, 3);
  g_assert_null (tt_tag_get_name (tag));

  tt_tag_set_name (tag, NULL);
  g_assert_cmpuint (count, ==, 3);
}

static void
test_tutorial_notify_title (void)
{
  g_autoptr(TtTutorial) tutorial = tt_tutorial_new (1, "Tut#1", NULL);
  guint title_count = 0;
  guint description_count = 0;

  watch_property (tutorial, "title", &title_count);
  watch_property (tutorial, "description", &description_count);

  tt_tutorial_set_title (tutorial, "Tut#1");
  g_assert_cmpuint (title_count, ==, 0);

  tt_tutorial_set_title (tutorial, "Tut#2");
  g_assert_cmpuint (title_count, ==, 1);
  g_assert_cmpstr (tt_tutorial_get_title (tutorial), ==, "Tut#2");

  g_object_set (tutorial, "title", "Tut#2", NULL);
  g_assert_cmpuint (title_count, ==, 1);

  g_object_set (tutorial, "title", "Tut#3", NULL);
  g_assert_cmpuint (title_count, ==, 2);

  /* Only the changed property notifies. */
  g_assert_cmpuint (description_count, ==, 0);
}

static void
test_tutorial_notify_description (void)
{
  g_autoptr(TtTutorial) tutorial = tt_tutorial_new (1, "Tut#1", NULL);
  guint count = 0;

  watch_property (tutorial, "description", &count);

  /* NULL and "" are the same description. */
  tt_tutorial_set_description (tutorial, "");
  tt_tutorial_set_description (tutorial, NULL);
  g_assert_cmpuint (count, ==, 0);

  tt_tutorial_set_description (tutorial, "Tut#1 Description");
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (tt_tutorial_get_description (tutorial), ==, "Tut#1 Description");

  tt_tutorial_set_description (tutorial, "Tut#1 Description");
  g_object_set (tutorial, "description", "Tut#1 Description", NULL);
  g_assert_cmpuint (count, ==, 1);

  tt_tutorial_set_description (tutorial, NULL);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpstr (tt_tutorial_get_description (tutorial), ==, "");

  tt_tutorial_set_description (tutorial, "");
  g_object_set (tutorial, "description", NULL, NULL);
  g_assert_cmpuint (count, ==, 2);
}

/* Runs through the property so that the setter and the
 * G_PARAM_EXPLICIT_NOTIFY flag are both exercised.
 */
static void
check_date_time_notify (gpointer    object,
                        const char *property)
{
  g_autoptr(GTimeZone) plus_one = g_time_zone_new_offset (3600);
  g_autoptr(GDateTime) first = g_date_time_new_utc (2024, 1, 2, 3, 4, 5);
  g_autoptr(GDateTime) first_again = g_date_time_new_utc (2024, 1, 2, 3, 4, 5);
  g_autoptr(GDateTime) first_elsewhere = g_date_time_to_timezone (first, plus_one);
  g_autoptr(GDateTime) second = g_date_time_add_seconds (first, 1);
  g_autoptr(GDateTime) read_back = NULL;
  guint count = 0;

  watch_property (object, property, &count);

  g_object_set (object, property, (GDateTime *)NULL, NULL);
  g_assert_cmpuint (count, ==, 0);

  g_object_set (object, property, first, NULL);
  g_assert_cmpuint (count, ==, 1);
  g_object_get (object, property, &read_back, NULL);
  g_assert_nonnull (read_back);
  g_assert_true (g_date_time_equal (read_back, first));

  /* The same instant, however it is spelled, is no change. */
  g_object_set (object, property, first, NULL);
  g_object_set (object, property, first_again, NULL);
  g_object_set (object, property, first_elsewhere, NULL);
  g_assert_cmpuint (count, ==, 1);

  g_object_set (object, property, second, NULL);
  g_assert_cmpuint (count, ==, 2);

  g_object_set (object, property, (GDateTime *)NULL, NULL);
  g_assert_cmpuint (count, ==, 3);

  g_signal_handlers_disconnect_by_data (object, &count);
}

static void
test_tag_notify_timestamps (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (1, "Tag#1");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2023, 5, 6, 7, 8, 9);
  g_autoptr(GDateTime) same = g_date_time_new_utc (2023, 5, 6, 7, 8, 9);
  guint count = 0;

  check_date_time_notify (tag, "created-at");
  check_date_time_notify (tag, "updated-at");

  /* And straight through the public setters. */
  watch_property (tag, "updated-at", &count);
  tt_tag_set_updated_at (tag, when);
  tt_tag_set_updated_at (tag, same);
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (tt_tag_get_updated_at (tag) == when);
  g_assert_null (tt_tag_get_created_at (tag));
}

static void
test_tutorial_notify_timestamps (void)
{
  g_autoptr(TtTutorial) tutorial = tt_tutorial_new (1, "Tut#1", NULL);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2023, 5, 6, 7, 8, 9);
  g_autoptr(GDateTime) same = g_date_time_new_utc (2023, 5, 6, 7, 8, 9);
  guint count = 0;

  check_date_time_notify (tutorial, "created-at");
  check_date_time_notify (tutorial, "updated-at");

  watch_property (tutorial, "created-at", &count);
  tt_tutorial_set_created_at (tutorial, when);
  tt_tutorial_set_created_at (tutorial, same);
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (tt_tutorial_get_created_at (tutorial) == when);
  g_assert_null (tt_tutorial_get_updated_at (tutorial));
}

static void
test_tag_notify_tutorial_count (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (1, "Tag#1");
  guint count = 0;

  watch_property (tag, "tutorial-count", &count);

  tt_tag_set_tutorial_count (tag, 0);
  g_assert_cmpuint (count, ==, 0);

  tt_tag_set_tutorial_count (tag, 3);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpuint (tt_tag_get_tutorial_count (tag), ==, 3);

  tt_tag_set_tutorial_count (tag, 3);
  g_object_set (tag, "tutorial-count", 3, NULL);
  g_assert_cmpuint (count, ==, 1);

  g_object_set (tag, "tutorial-count", 0, NULL);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpuint (tt_tag_get_tutorial_count (tag), ==, 0);
}

/* @items holds three objects of the list's item type. */
static void
check_replace_list (gpointer     owner,
                    const char  *property,
                    SetListFunc  set,
                    GPtrArray   *items)
{
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GListModel) three = NULL;
  g_autoptr(GListModel) two = NULL;
  g_autoptr(GPtrArray) last_two = g_ptr_array_new ();
  ItemsChanged record = { 0 };
  guint notified = 0;
  GType item_type;

  g_object_get (owner, property, &model, NULL);
  item_type = g_list_model_get_item_type (model);
  three = make_list (item_type, items, 3);
  g_ptr_array_add (last_two, g_ptr_array_index (items, 1));
  g_ptr_array_add (last_two, g_ptr_array_index (items, 2));
  two = make_list (item_type, last_two, 2);

  g_signal_connect (model, "items-changed", G_CALLBACK (record_items_changed), &record);
  watch_property (owner, property, &notified);

  set (owner, NULL);
  assert_items_changed (&record, 0, 0, 0);

  set (owner, three);
  assert_items_changed (&record, 1, 0, 3);
  assert_model_holds (model, items);

  /* The same items again must not make a list view rebuild its rows. */
  set (owner, three);
  set (owner, model);
  assert_items_changed (&record, 1, 0, 3);
  assert_model_holds (model, items);

  set (owner, two);
  assert_items_changed (&record, 2, 3, 2);
  assert_model_holds (model, last_two);

  set (owner, NULL);
  assert_items_changed (&record, 3, 2, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  /* The caller's lists are copied from, never changed. */
  g_assert_cmpuint (g_list_model_get_n_items (three), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (two), ==, 2);

  /* The list object itself never changes, so nothing to notify. */
  g_assert_cmpuint (notified, ==, 0);

  g_signal_handlers_disconnect_by_data (model, &record);
  g_signal_handlers_disconnect_by_data (owner, &notified);
}

/* A placeholder says so; a real tutorial without a title (the Node.js
 * app allows one) is not a placeholder. A copy keeps content and tags. */
static void
test_tutorial_placeholder (void)
{
  g_autoptr(TtTutorial) placeholder = tt_tutorial_new_placeholder (7);
  g_autoptr(TtTutorial) untitled = tt_tutorial_new (8, NULL, NULL);
  g_autoptr(TtTutorial) copy = NULL;
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(TtTag) tag = tt_tag_new (3, "Rust");

  g_assert_true (tt_tutorial_is_placeholder (placeholder));
  g_assert_cmpint (tt_tutorial_get_id (placeholder), ==, 7);
  g_assert_null (tt_tutorial_get_title (placeholder));
  g_assert_false (tt_tutorial_is_placeholder (untitled));

  g_list_store_append (tags, tag);
  tt_tutorial_set_title (untitled, "Now titled");
  tt_tutorial_set_tags (untitled, G_LIST_MODEL (tags));
  copy = tt_tutorial_dup (untitled);
  g_assert_true (copy != untitled);
  g_assert_true (tt_tutorial_equal (copy, untitled));
  g_assert_false (tt_tutorial_is_placeholder (copy));
  g_assert_true (tt_tutorial_get_tags (copy) != tt_tutorial_get_tags (untitled));
  g_assert_cmpuint (g_list_model_get_n_items (tt_tutorial_get_tags (copy)), ==, 1);
}

static void
test_tutorial_set_tags (void)
{
  g_autoptr(TtTutorial) tutorial = tt_tutorial_new (1, "Tut#1", NULL);
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *before = tt_tutorial_get_tags (tutorial);

  g_ptr_array_add (tags, tt_tag_new (1, "Tag#1"));
  g_ptr_array_add (tags, tt_tag_new (2, "Tag#2"));
  g_ptr_array_add (tags, tt_tag_new (3, "Tag#3"));

  check_replace_list (tutorial, "tags", set_tags, tags);

  g_assert_true (tt_tutorial_get_tags (tutorial) == before);
}

static void
test_tag_set_tutorials (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (1, "Tag#1");
  g_autoptr(GPtrArray) tutorials = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *before = tt_tag_get_tutorials (tag);

  g_ptr_array_add (tutorials, tt_tutorial_new (1, "Tut#1", "Tut#1 Description"));
  g_ptr_array_add (tutorials, tt_tutorial_new (2, "Tut#2", "Tut#2 Description"));
  g_ptr_array_add (tutorials, tt_tutorial_new (3, "Tut#3", "Tut#3 Description"));

  check_replace_list (tag, "tutorials", set_tutorials, tutorials);

  g_assert_true (tt_tag_get_tutorials (tag) == before);
}

static void
test_tutorial_set_tags_wrong_type (void)
{
  g_autoptr(TtTutorial) tutorial = tt_tutorial_new (1, "Tut#1", NULL);
  g_autoptr(TtTag) tag = tt_tag_new (1, "Tag#1");
  g_autoptr(TtTutorial) stray = tt_tutorial_new (2, "Tut#2", NULL);
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(GListStore) mixed = g_list_store_new (G_TYPE_OBJECT);
  ItemsChanged record = { 0 };

  g_list_store_append (tags, tag);
  tt_tutorial_set_tags (tutorial, G_LIST_MODEL (tags));

  g_list_store_append (mixed, tag);
  g_list_store_append (mixed, stray);

  g_signal_connect (tt_tutorial_get_tags (tutorial), "items-changed",
                    G_CALLBACK (record_items_changed), &record);

  g_test_expect_message ("tt-tutorial", G_LOG_LEVEL_CRITICAL, "*TYPE*");
  tt_tutorial_set_tags (tutorial, G_LIST_MODEL (mixed));
  g_test_assert_expected_messages ();

  /* A rejected list leaves the old one in place. */
  assert_items_changed (&record, 0, 0, 0);
  g_assert_cmpuint (g_list_model_get_n_items (tt_tutorial_get_tags (tutorial)), ==, 1);

  g_signal_handlers_disconnect_by_data (tt_tutorial_get_tags (tutorial), &record);
}

static void
test_tag_finalize (void)
{
  TtTag *tag = tt_tag_new (1, "Tag#1");
  TtTutorial *tutorial = tt_tutorial_new (1, "Tut#1", NULL);
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  GListModel *list = tt_tag_get_tutorials (tag);

  g_list_store_append (tutorials, tutorial);
  tt_tag_set_tutorials (tag, G_LIST_MODEL (tutorials));
  g_list_store_remove_all (tutorials);

  g_object_add_weak_pointer (G_OBJECT (tutorial), (gpointer *)&tutorial);
  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *)&list);
  g_object_unref (tutorial);
  g_assert_nonnull (tutorial);

  /* The tag's list held the last reference to the tutorial. */
  g_assert_finalize_object (tag);
  g_assert_null (list);
  g_assert_null (tutorial);
}

static void
test_tutorial_finalize (void)
{
  TtTutorial *tutorial = tt_tutorial_new (1, "Tut#1", "Tut#1 Description");
  TtTag *tag = tt_tag_new (1, "Tag#1");
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(GDateTime) when = g_date_time_new_now_utc ();
  GListModel *list = tt_tutorial_get_tags (tutorial);

  tt_tutorial_set_created_at (tutorial, when);
  tt_tutorial_set_updated_at (tutorial, when);
  g_list_store_append (tags, tag);
  tt_tutorial_set_tags (tutorial, G_LIST_MODEL (tags));
  g_list_store_remove_all (tags);

  g_object_add_weak_pointer (G_OBJECT (tag), (gpointer *)&tag);
  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *)&list);
  g_object_unref (tag);
  g_assert_nonnull (tag);

  g_assert_finalize_object (tutorial);
  g_assert_null (list);
  g_assert_null (tag);
}

static void
test_list_outlives_owner (void)
{
  /* A list view may still hold the list when the tag goes away. */
  TtTag *tag = tt_tag_new (1, "Tag#1");
  g_autoptr(TtTutorial) tutorial = tt_tutorial_new (1, "Tut#1", NULL);
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GListModel) list = g_object_ref (tt_tag_get_tutorials (tag));
  g_autoptr(TtTutorial) item = NULL;

  g_list_store_append (tutorials, tutorial);
  tt_tag_set_tutorials (tag, G_LIST_MODEL (tutorials));

  g_assert_finalize_object (tag);

  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  item = g_list_model_get_item (list, 0);
  g_assert_true (item == tutorial);
}

/* The ids of a list of tags, "1,2,3", so a failure shows the whole list. */
static char *
tag_ids (GListModel *model)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (model, i);

      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", tt_tag_get_id (tag));
    }

  return g_string_free (ids, FALSE);
}

static void
assert_tag_ids (GListModel *model,
                const char *expected)
{
  g_autofree char *ids = tag_ids (model);

  g_assert_cmpstr (ids, ==, expected);
}

static void
assert_change (const ItemsChanged *record,
               guint               emissions,
               guint               position,
               guint               removed,
               guint               added)
{
  g_assert_cmpuint (record->emissions, ==, emissions);
  g_assert_cmpuint (record->position, ==, position);
  g_assert_cmpuint (record->removed, ==, removed);
  g_assert_cmpuint (record->added, ==, added);
}

/* Tags 1..@n_tags; the array holds the only references. */
static GPtrArray *
make_tags (guint n_tags)
{
  GPtrArray *tags = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 1; i <= n_tags; i++)
    g_ptr_array_add (tags, tt_tag_new (i, NULL));

  return tags;
}

static void
test_object_list_new (void)
{
  g_autoptr(TtObjectList) list = tt_object_list_new (TT_TYPE_TAG);
  GListModel *model = G_LIST_MODEL (list);

  g_assert_true (G_IS_LIST_MODEL (list));
  g_assert_true (g_list_model_get_item_type (model) == TT_TYPE_TAG);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (g_list_model_get_item (model, 0));
  g_assert_null (g_list_model_get_item (model, G_MAXUINT));
}

static void
test_object_list_splice (void)
{
  g_autoptr(TtObjectList) list = tt_object_list_new (TT_TYPE_TAG);
  g_autoptr(GPtrArray) tags = make_tags (6);
  GListModel *model = G_LIST_MODEL (list);
  gpointer *t = tags->pdata;
  ItemsChanged record = { 0 };

  g_signal_connect (list, "items-changed", G_CALLBACK (record_items_changed), &record);

  tt_object_list_splice (list, 0, 0, t, 3);
  assert_change (&record, 1, 0, 0, 3);
  assert_tag_ids (model, "1,2,3");

  /* Into the middle: the tail moves up. */
  tt_object_list_splice (list, 1, 0, &t[3], 2);
  assert_change (&record, 2, 1, 0, 2);
  assert_tag_ids (model, "1,4,5,2,3");

  /* Fewer in than out, and at the very end. */
  tt_object_list_splice (list, 2, 3, &t[5], 1);
  assert_change (&record, 3, 2, 3, 1);
  assert_tag_ids (model, "1,4,6");

  tt_object_list_splice (list, 3, 0, t, 1);
  assert_change (&record, 4, 3, 0, 1);
  assert_tag_ids (model, "1,4,6,1");

  tt_object_list_splice (list, 0, 4, NULL, 0);
  assert_change (&record, 5, 0, 4, 0);
  assert_tag_ids (model, "");

  /* Nothing changed, nothing to tell. */
  tt_object_list_splice (list, 0, 0, NULL, 0);
  tt_object_list_splice (list, 0, 0, t, 0);
  assert_change (&record, 5, 0, 4, 0);

  g_signal_handlers_disconnect_by_data (list, &record);
}

static void
test_object_list_get_item (void)
{
  g_autoptr(TtObjectList) list = tt_object_list_new (TT_TYPE_TAG);
  g_autoptr(GPtrArray) tags = make_tags (2);
  g_autoptr(GObject) first = NULL;
  g_autoptr(GObject) second = NULL;

  tt_object_list_splice (list, 0, 0, tags->pdata, tags->len);

  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  second = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_true (first == g_ptr_array_index (tags, 0));
  g_assert_true (second == g_ptr_array_index (tags, 1));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 2));

  /* A new reference each time: the array's, the list's and ours. */
  g_assert_cmpuint (G_OBJECT (first)->ref_count, ==, 3);
}

static void
test_object_list_splice_wrong_type (void)
{
  g_autoptr(TtObjectList) list = tt_object_list_new (TT_TYPE_TAG);
  g_autoptr(GPtrArray) tags = make_tags (2);
  g_autoptr(TtTutorial) stray = tt_tutorial_new (9, "Tut#9", NULL);
  gpointer mixed[] = { g_ptr_array_index (tags, 1), stray };
  ItemsChanged record = { 0 };

  tt_object_list_splice (list, 0, 0, tags->pdata, 1);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_items_changed), &record);

  /* Unlike GListStore, nothing has changed by the time it says so. */
  g_test_expect_message ("tt-object-list", G_LOG_LEVEL_CRITICAL, "*all_of_type*");
  tt_object_list_splice (list, 0, 1, mixed, G_N_ELEMENTS (mixed));
  g_test_assert_expected_messages ();

  assert_change (&record, 0, 0, 0, 0);
  assert_tag_ids (G_LIST_MODEL (list), "1");
  g_assert_cmpuint (G_OBJECT (stray)->ref_count, ==, 1);

  g_signal_handlers_disconnect_by_data (list, &record);
}

static void
test_object_list_splice_out_of_range (void)
{
  g_autoptr(TtObjectList) list = tt_object_list_new (TT_TYPE_TAG);
  g_autoptr(GPtrArray) tags = make_tags (2);

  tt_object_list_splice (list, 0, 0, tags->pdata, 2);

  g_test_expect_message ("tt-object-list", G_LOG_LEVEL_CRITICAL, "*position*");
  tt_object_list_splice (list, 3, 0, tags->pdata, 1);
  g_test_assert_expected_messages ();

  g_test_expect_message ("tt-object-list", G_LOG_LEVEL_CRITICAL, "*n_removals*");
  tt_object_list_splice (list, 1, 2, NULL, 0);
  g_test_assert_expected_messages ();

  assert_tag_ids (G_LIST_MODEL (list), "1,2");
}

typedef struct
{
  gpointer watched;
  gboolean alive_in_handler;
} RemovedWatch;

static void
check_still_alive (GListModel   *model,
                   guint         position,
                   guint         removed,
                   guint         added,
                   RemovedWatch *watch)
{
  watch->alive_in_handler = watch->watched != NULL;
}

/* The list may hold the last reference to what it removes. */
static void
test_object_list_splice_last_reference (void)
{
  g_autoptr(TtObjectList) list = tt_object_list_new (TT_TYPE_TAG);
  g_autoptr(GPtrArray) tags = make_tags (2);
  RemovedWatch watch = { 0 };
  gpointer first;

  tt_object_list_splice (list, 0, 0, tags->pdata, 2);
  first = g_ptr_array_steal_index (tags, 0);
  g_object_unref (first);

  /* Put back in the place it is taken from: it must survive. */
  tt_object_list_splice (list, 0, 1, &first, 1);
  assert_tag_ids (G_LIST_MODEL (list), "1,2");
  g_assert_cmpuint (G_OBJECT (first)->ref_count, ==, 1);

  /* Finalized only once items-changed has been told. */
  watch.watched = first;
  g_object_add_weak_pointer (first, &watch.watched);
  g_signal_connect (list, "items-changed", G_CALLBACK (check_still_alive), &watch);
  tt_object_list_splice (list, 0, 1, NULL, 0);
  g_assert_true (watch.alive_in_handler);
  g_assert_null (watch.watched);
  assert_tag_ids (G_LIST_MODEL (list), "2");

  g_signal_handlers_disconnect_by_data (list, &watch);
}

static void
test_object_list_finalize (void)
{
  TtObjectList *list = tt_object_list_new (TT_TYPE_TAG);
  g_autoptr(GPtrArray) tags = make_tags (3);
  gpointer weak[3];

  tt_object_list_splice (list, 0, 0, tags->pdata, tags->len);
  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      weak[i] = g_ptr_array_index (tags, i);
      g_object_add_weak_pointer (weak[i], &weak[i]);
    }
  g_ptr_array_set_size (tags, 0);
  g_assert_nonnull (weak[0]);

  g_assert_finalize_object (list);
  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    g_assert_null (weak[i]);
}

/* Most objects of a big listing never get a relation list; asking for
 * one, though, must always give the same valid model.
 */
static void
test_tutorial_tags_on_demand (void)
{
  g_autoptr(TtTutorial) tutorial = tt_tutorial_new (1, "Tut#1", NULL);
  g_autoptr(GListModel) by_property = NULL;

  tt_tutorial_set_tags (tutorial, NULL);
  g_object_get (tutorial, "tags", &by_property, NULL);
  g_assert_nonnull (by_property);
  g_assert_true (by_property == tt_tutorial_get_tags (tutorial));
  g_assert_cmpuint (g_list_model_get_n_items (by_property), ==, 0);
}

/* Tags by name ignore case and accents, as the suggestions match them,
 * and the order is total: equal keys fall back to the name, then the id.
 * A renamed tag is sorted by its new name. */
static void
test_tag_compare_by_name (void)
{
  static const char * const names[] = { "rust", "Zürich", "Café", "Rust", "cafe", "Zebra", "ÉTÉ", "Rust" };
  g_autoptr(GListStore) unsorted = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GString) order = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TtTag) tag = tt_tag_new (i + 1, names[i]);

      g_list_store_append (unsorted, tag);
    }

  tags = tt_tag_sorted_by_name (G_LIST_MODEL (unsorted));
  g_assert_cmpstr (tt_tag_get_search_key (tags->pdata[7]), ==, "zurich");
  for (guint i = 0; i < tags->len; i++)
    g_string_append_printf (order, "%s%s#%" G_GINT64_FORMAT, i > 0 ? " " : "",
                            tt_tag_get_name (tags->pdata[i]), tt_tag_get_id (tags->pdata[i]));
  g_assert_cmpstr (order->str, ==, "Café#3 cafe#5 ÉTÉ#7 Rust#4 Rust#8 rust#1 Zebra#6 Zürich#2");

  tt_tag_set_name (tags->pdata[0], "Zz");
  g_assert_cmpstr (tt_tag_get_search_key (tags->pdata[0]), ==, "zz");
  g_assert_cmpint (tt_tag_compare_by_name (tags->pdata[0], tags->pdata[1]), >, 0);
}

/* Queries that list the same rows compare equal, so the controller does
 * not read 100 000 ids again for a "changed" that changed nothing. */
static void
test_query_equal (void)
{
  static const gint64 two[] = { 3, 7 };
  static const gint64 other[] = { 3, 8 };
  TtTutorialQuery a = { .text = "", .sort = TT_SORT_BY_TITLE };
  TtTutorialQuery b = { .text = NULL, .sort = TT_SORT_BY_TITLE };
  g_autoptr(TtTutorialQuery) copy = NULL;

  g_assert_true (tt_tutorial_query_equal (&a, &b));
  g_assert_true (tt_tutorial_query_equal (NULL, NULL));
  g_assert_false (tt_tutorial_query_equal (&a, NULL));

  b.text = "gtk";
  g_assert_false (tt_tutorial_query_equal (&a, &b));
  a.text = "gtk";
  a.descending = TRUE;
  g_assert_false (tt_tutorial_query_equal (&a, &b));
  b.descending = TRUE;
  a.tag_ids = two;
  a.n_tag_ids = 2;
  g_assert_false (tt_tutorial_query_equal (&a, &b));
  b.tag_ids = other;
  b.n_tag_ids = 2;
  g_assert_false (tt_tutorial_query_equal (&a, &b));
  b.tag_ids = two;
  g_assert_true (tt_tutorial_query_equal (&a, &b));
  b.match = TT_TAG_MATCH_ALL;
  g_assert_false (tt_tutorial_query_equal (&a, &b));

  copy = tt_tutorial_query_copy (&a);
  g_assert_true (tt_tutorial_query_equal (copy, &a));
}

/* ---- database locations as people write them ---------------------------- */

/* @uri is refused, with a message that names @what is wrong and never
 * repeats @secret (when given). */
static void
assert_location_refused (const char *uri,
                         const char *what,
                         const char *secret)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) location = tt_db_location_parse (uri, &error);

  g_assert_null (location);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, what) == NULL)
    g_error ("“%s”: “%s” does not say “%s”", uri, error->message, what);
  if (secret != NULL)
    g_assert_null (strstr (error->message, secret));
}

/* A password in the location would be sent as part of the user name,
 * land in the server's log and in our messages: refused, unrepeated. */
static void
test_location_password (void)
{
  assert_location_refused ("mysql://tt:secret@db.example.org/tutorials", "password", "secret");
  assert_location_refused ("mariadb://tt:secret@db.example.org:3306/tutorials?tls=required",
                           "password", "secret");
  assert_location_refused ("mysql://tt:@db.example.org/tutorials", "password", NULL);
  /* Refused for its port, still without the secret in the message. */
  assert_location_refused ("mysql://tt:secret@db.example.org:99999/tutorials", "port", "secret");
  assert_location_refused ("mysql://tt:s%40cret@db.example.org/tutorials", "password", "cret");
}

/* Each mistake is named, not reported as a missing server name. */
static void
test_location_malformed (void)
{
  static const struct { const char *uri; const char *what; } cases[] = {
    { "mysql://tt@db.example.org:99999/tutorials", "1 to 65535" },
    { "mysql://tt@db.example.org:abc/tutorials", "1 to 65535" },
    { "mysql://tt@db.example.org:0/tutorials", "1 to 65535" },
    { "mysql://tt@db.example.org:-1/tutorials", "1 to 65535" },
    { "mysql://tt@:3306/tutorials", "server name" },
    { "mysql://tt@db.example.org:3306", "database name" },
    { "mysql://tt@db.example.org/a/b", "“/”" },
    { "mysql://db.example.org/tutorials", "user name" },
    { "mysql://tt@db.example.org/tutorials?colour=red", "colour" },
    { "mysql://tt@db.example.org/tutorials?socket=", "socket" },
    { "mysql://tt@db.example.org/tutorials#top", "#" },
    { "mysql://tt@db.example.org/tut%00orials", "%" },
    { "mysql://tt@db.exa mple.org/tutorials", "server name" },
    { "postgres://tt@db.example.org/tutorials", "unknown kind" },
    { "sqlite:", "file name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_location_refused (cases[i].uri, cases[i].what, NULL);
}

/* A cluster: several servers, tried in order. Each is parsed like the
 * one server of a plain location, the first stays in host and port. */
static void
test_location_host_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) location =
    tt_db_location_parse ("mysql://tt@db1.example.org:3307,10.0.0.2,[::1]:3309/team?tls=required", &error);
  g_autoptr(TtDbLocation) copy = NULL;
  g_autoptr(TtDbLocation) reordered = NULL;
  g_autoptr(TtDbLocation) single = NULL;
  g_autofree char *text = NULL;
  guint port = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (location->n_hosts, ==, 3);
  g_assert_cmpstr (location->hosts[0].name, ==, "db1.example.org");
  g_assert_cmpuint (location->hosts[0].port, ==, 3307);
  g_assert_cmpstr (location->hosts[1].name, ==, "10.0.0.2");
  g_assert_cmpuint (location->hosts[1].port, ==, TT_DB_MYSQL_DEFAULT_PORT);
  g_assert_cmpstr (location->hosts[2].name, ==, "::1");
  g_assert_cmpuint (location->hosts[2].port, ==, 3309);
  g_assert_cmpstr (location->host, ==, "db1.example.org");
  g_assert_cmpuint (location->port, ==, 3307);
  g_assert_cmpstr (location->database, ==, "team");
  g_assert_true (location->require_tls);

  text = tt_db_location_to_string (location);
  g_assert_cmpstr (text, ==, "mysql://tt@db1.example.org:3307,10.0.0.2:3306,[::1]:3309/team?tls=required");
  copy = tt_db_location_copy (location);
  g_assert_true (tt_db_location_equal (location, copy));
  g_assert_cmpuint (copy->n_hosts, ==, 3);
  g_assert_cmpstr (copy->hosts[2].name, ==, "::1");

  /* Another order is another location: the first is the one used. */
  reordered = tt_db_location_parse ("mysql://tt@10.0.0.2:3306,db1.example.org:3307,[::1]:3309/team?tls=required", &error);
  g_assert_no_error (error);
  g_assert_false (tt_db_location_equal (location, reordered));

  /* One server is a list of one: host and port. */
  single = tt_db_location_parse ("mysql://tt@db1.example.org/team", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tt_db_location_get_n_hosts (single), ==, 1);
  g_assert_cmpstr (tt_db_location_get_host (single, 0, &port), ==, "db1.example.org");
  g_assert_cmpuint (port, ==, TT_DB_MYSQL_DEFAULT_PORT);
  /* Changing those changes the server used. */
  single->port = 3310;
  g_assert_cmpstr (tt_db_location_get_host (single, 0, &port), ==, "db1.example.org");
  g_assert_cmpuint (port, ==, 3310);
}

static void
test_location_host_list_malformed (void)
{
  static const struct { const char *uri; const char *what; } cases[] = {
    { "mysql://tt@db1:3306,,db3/team", "empty" },
    { "mysql://tt@db1:3306,/team", "empty" },
    { "mysql://tt@,db2/team", "no server name" },
    { "mysql://tt@db1,db2:99999/team", "1 to 65535" },
    { "mysql://tt@db1,db2:0/team", "1 to 65535" },
    { "mysql://tt@db1,db2:x/team", "1 to 65535" },
    { "mysql://tt@db1,db 2/team", "server name" },
    { "mysql://tt@db1,[::1/team", "server name" },
    { "mysql://tt:secret@db1,db2/team", "password" },
    { "mysql://tt@db1,db2/team?socket=/run/my.sock", "socket" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_location_refused (cases[i].uri, cases[i].what, "secret");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/query/equal", test_query_equal);
  g_test_add_func ("/models/location/password", test_location_password);
  g_test_add_func ("/models/location/malformed", test_location_malformed);
  g_test_add_func ("/models/location/host-list", test_location_host_list);
  g_test_add_func ("/models/location/host-list-malformed", test_location_host_list_malformed);
  g_test_add_func ("/models/tag/new", test_tag_new);
  g_test_add_func ("/models/tag/new-large-id", test_tag_new_large_id);
  g_test_add_func ("/models/tag/notify-name", test_tag_notify_name);
  g_test_add_func ("/models/tag/notify-timestamps", test_tag_notify_timestamps);
  g_test_add_func ("/models/tag/notify-tutorial-count", test_tag_notify_tutorial_count);
  g_test_add_func ("/models/tag/set-tutorials", test_tag_set_tutorials);
  g_test_add_func ("/models/tag/finalize", test_tag_finalize);
  g_test_add_func ("/models/tag/compare-by-name", test_tag_compare_by_name);
  g_test_add_func ("/models/tag/list-outlives-owner", test_list_outlives_owner);
  g_test_add_func ("/models/tutorial/new", test_tutorial_new);
  g_test_add_func ("/models/tutorial/null-description", test_tutorial_null_description);
  g_test_add_func ("/models/tutorial/notify-title", test_tutorial_notify_title);
  g_test_add_func ("/models/tutorial/notify-description", test_tutorial_notify_description);
  g_test_add_func ("/models/tutorial/notify-timestamps", test_tutorial_notify_timestamps);
  g_test_add_func ("/models/tutorial/placeholder", test_tutorial_placeholder);
  g_test_add_func ("/models/tutorial/set-tags", test_tutorial_set_tags);
  g_test_add_func ("/models/tutorial/set-tags-wrong-type", test_tutorial_set_tags_wrong_type);
  g_test_add_func ("/models/tutorial/finalize", test_tutorial_finalize);
  g_test_add_func ("/models/tutorial/tags-on-demand", test_tutorial_tags_on_demand);
  g_test_add_func ("/models/object-list/new", test_object_list_new);
  g_test_add_func ("/models/object-list/splice", test_object_list_splice);
  g_test_add_func ("/models/object-list/get-item", test_object_list_get_item);
  g_test_add_func ("/models/object-list/splice-wrong-type", test_object_list_splice_wrong_type);
  g_test_add_func ("/models/object-list/splice-out-of-range", test_object_list_splice_out_of_range);
  g_test_add_func ("/models/object-list/splice-last-reference", test_object_list_splice_last_reference);
  g_test_add_func ("/models/object-list/finalize", test_object_list_finalize);

  return g_test_run ();
}
