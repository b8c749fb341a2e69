/* test-models.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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
  g_assert_true (G_IS_LIST_STORE (tt_tag_get_tutorials (tag)));
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
  g_assert_true (G_IS_LIST_STORE (tt_tutorial_get_tags (tutorial)));
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/tag/new", test_tag_new);
  g_test_add_func ("/models/tag/new-large-id", test_tag_new_large_id);
  g_test_add_func ("/models/tag/notify-name", test_tag_notify_name);
  g_test_add_func ("/models/tag/notify-timestamps", test_tag_notify_timestamps);
  g_test_add_func ("/models/tag/notify-tutorial-count", test_tag_notify_tutorial_count);
  g_test_add_func ("/models/tag/set-tutorials", test_tag_set_tutorials);
  g_test_add_func ("/models/tag/finalize", test_tag_finalize);
  g_test_add_func ("/models/tag/list-outlives-owner", test_list_outlives_owner);
  g_test_add_func ("/models/tutorial/new", test_tutorial_new);
  g_test_add_func ("/models/tutorial/null-description", test_tutorial_null_description);
  g_test_add_func ("/models/tutorial/notify-title", test_tutorial_notify_title);
  g_test_add_func ("/models/tutorial/notify-description", test_tutorial_notify_description);
  g_test_add_func ("/models/tutorial/notify-timestamps", test_tutorial_notify_timestamps);
  g_test_add_func ("/models/tutorial/set-tags", test_tutorial_set_tags);
  g_test_add_func ("/models/tutorial/set-tags-wrong-type", test_tutorial_set_tags_wrong_type);
  g_test_add_func ("/models/tutorial/finalize", test_tutorial_finalize);

  return g_test_run ();
}
