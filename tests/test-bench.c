/* test-bench.c: the benchmark's figures describe the workload it claims
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Timings cannot be checked, but everything around them can: the shape of
 * the report, the counts, and a checksum recomputed here through the store.
 */

#include "config.h"

#include "tt-bench.h"
#include "tt-test-fixture.h"

#define N_TUTORIALS 200
#define N_LOOKUPS   1000

static const char * const one_by_one_phases[] = {
  "create_tutorials", "create_tags", "link", "lookups",
};
static const char * const list_phases[] = {
  "all_tags_with_tutorials", "all_tutorials_with_tags",
};

/* Written out on its own rather than shared with tt-bench.c, so that a
 * mistake in one does not hide in the other. */
static guint64
expected_links (guint n_tutorials,
                guint n_tags)
{
  guint64 n = 0;

  for (guint64 i = 0; i < n_tutorials; i++)
    {
      guint64 a = (i * 7) % n_tags;
      guint64 b = (i * 13 + 1) % n_tags;
      guint64 c = (i * 31 + 2) % n_tags;

      n += 1 + (b != a) + (c != a && c != b);
    }

  return n;
}

static JsonObject *
run_bench (TtStore *store,
           guint    n_tutorials)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = tt_bench_run (store, n_tutorials, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
assert_non_negative (JsonObject *object,
                     const char *name,
                     JsonNode   *node,
                     gpointer    user_data)
{
  GType type;

  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  type = json_node_get_value_type (node);
  g_assert_true (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), >=, 0);
}

static JsonObject *
get_phase (JsonObject *report,
           const char *name)
{
  JsonObject *phases = json_object_get_object_member (report, "phases");
  JsonObject *phase;

  g_assert_nonnull (phases);
  /* Compared as strings so that a failure names what is missing. */
  g_assert_cmpstr (json_object_has_member (phases, name) ? name : NULL, ==, name);
  phase = json_object_get_object_member (phases, name);
  g_assert_nonnull (phase);
  json_object_foreach_member (phase, assert_non_negative, NULL);
  g_assert_true (json_object_has_member (phase, "ms"));
  return phase;
}

static void
assert_member (JsonObject *object,
               const char *name,
               gint64      expected)
{
  g_assert_cmpstr (json_object_has_member (object, name) ? name : NULL, ==, name);
  g_assert_cmpint (json_object_get_int_member (object, name), ==, expected);
}

static void
assert_one_by_one (JsonObject *report,
                   const char *name,
                   gint64      count)
{
  JsonObject *phase = get_phase (report, name);

  assert_member (phase, "count", count);
  g_assert_true (json_object_has_member (phase, "median_us"));
  g_assert_true (json_object_has_member (phase, "p99_us"));
  g_assert_cmpint (json_object_get_int_member (phase, "median_us"), <=,
                   json_object_get_int_member (phase, "p99_us"));
}

static void
assert_header (JsonObject *report,
               guint       n_tutorials,
               guint       n_tags,
               guint64     n_links)
{
  g_assert_cmpstr (json_object_get_string_member (report, "backend"), ==,
                   tt_test_is_mysql () ? "mysql" : "sqlite");
  assert_member (report, "tutorials", n_tutorials);
  assert_member (report, "tags", n_tags);
  assert_member (report, "links", n_links);
}

/* Every phase the workload names is there, with the counts it implies. */
static void
assert_phases (JsonObject *report,
               guint       n_tutorials,
               guint       n_tags,
               guint64     n_links)
{
  gint64 counts[] = { n_tutorials, n_tags, n_links, N_LOOKUPS };
  JsonObject *phases = json_object_get_object_member (report, "phases");
  JsonObject *phase;

  g_assert_cmpuint (json_object_get_size (phases), ==,
                    G_N_ELEMENTS (one_by_one_phases) + G_N_ELEMENTS (list_phases) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (one_by_one_phases); i++)
    assert_one_by_one (report, one_by_one_phases[i], counts[i]);

  for (guint i = 0; i < G_N_ELEMENTS (list_phases); i++)
    {
      phase = get_phase (report, list_phases[i]);
      assert_member (phase, "runs", 3);
      assert_member (phase, "tutorials", n_tutorials);
      assert_member (phase, "tags", n_tags);
      assert_member (phase, "links", n_links);
    }

  phase = get_phase (report, "bulk_import");
  assert_member (phase, "tutorials", n_tutorials);
  assert_member (phase, "tags", n_tags);
  assert_member (phase, "links", n_links);
}

static void
assert_memory (JsonObject *report)
{
  double after_lists = json_object_get_double_member (report, "rss_after_all_tutorials_with_tags_mb");
  double peak = json_object_get_double_member (report, "peak_rss_mb");

  g_assert_cmpfloat (after_lists, >, 0);
  g_assert_cmpfloat (peak, >=, after_lists);
}

/* The tutorials' ids in creation order, checking that order by title. */
static GArray *
tutorial_ids (TtStore *store,
              guint    n_tutorials)
{
  g_autoptr(GError) error = NULL;
  TtTutorialQuery all = { 0 };
  g_autoptr(GListModel) tutorials = tt_store_list_tutorials (store, &all, &error);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tutorials), ==, n_tutorials);
  for (guint i = 0; i < n_tutorials; i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);
      g_autofree char *title = g_strdup_printf ("Tutorial %u", i);
      gint64 id = tt_tutorial_get_id (tutorial);

      g_assert_cmpstr (tt_tutorial_get_title (tutorial), ==, title);
      g_array_append_val (ids, id);
    }

  return ids;
}

/* The lookups again, on the imported copy the benchmark leaves behind:
 * on a freshly reset catalogue it has the ids the creates had. */
static void
assert_checksum (TtStore    *store,
                 JsonObject *report,
                 guint       n_tutorials)
{
  g_autoptr(GArray) ids = tutorial_ids (store, n_tutorials);
  JsonObject *checksum = json_object_get_object_member (report, "checksum");
  gint64 id_sum = 0, tag_sum = 0;
  guint32 x = 42;

  for (guint i = 0; i < N_LOOKUPS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TtTutorial) tutorial = NULL;
      GListModel *tags;

      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      tutorial = tt_store_get_tutorial (store, g_array_index (ids, gint64, x % n_tutorials), &error);
      g_assert_no_error (error);

      id_sum += tt_tutorial_get_id (tutorial);
      tags = tt_tutorial_get_tags (tutorial);
      for (guint k = 0; k < g_list_model_get_n_items (tags); k++)
        {
          g_autoptr(TtTag) tag = g_list_model_get_item (tags, k);
          tag_sum += tt_tag_get_id (tag);
        }
    }

  g_assert_nonnull (checksum);
  assert_member (checksum, "lookup_ids", id_sum);
  assert_member (checksum, "tag_ids", tag_sum);
}

static void
test_bench_report (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(JsonObject) report = NULL;
  guint n_tags = N_TUTORIALS / 10;
  guint64 n_links = expected_links (N_TUTORIALS, n_tags);

  if (store == NULL)
    return;

  report = run_bench (store, N_TUTORIALS);
  assert_header (report, N_TUTORIALS, n_tags, n_links);
  assert_phases (report, N_TUTORIALS, n_tags, n_links);
  assert_memory (report);
  assert_checksum (store, report, N_TUTORIALS);
}

/* Under ten tutorials there is still one tag, and every tutorial's three
 * links fall on it: two of them are repeats that must be dropped. */
static void
test_bench_one_tag (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(JsonObject) report = NULL;

  if (store == NULL)
    return;

  report = run_bench (store, 5);
  assert_header (report, 5, 1, 5);
  assert_phases (report, 5, 1, 5);
  assert_checksum (store, report, 5);
}

/* The benchmark creates and resets: on real data it must do nothing. */
static void
test_bench_refuses_non_empty (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(GListModel) tutorials = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  TtTutorialQuery all = { 0 };

  if (store == NULL)
    return;

  tutorial = tt_store_create_tutorial (store, "Mine", "Keep me", &error);
  g_assert_no_error (error);

  root = tt_bench_run (store, 10, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (root);
  g_clear_error (&error);

  tutorials = tt_store_list_tutorials (store, &all, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tutorials), ==, 1);
}

/* A catalogue with tags but no tutorials is not empty either. */
static void
test_bench_refuses_tags_only (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;

  tag = tt_store_create_tag (store, "mine", &error);
  g_assert_no_error (error);

  root = tt_bench_run (store, 10, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (root);
  g_clear_error (&error);

  tags = tt_store_list_tags (store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/bench/report", test_bench_report);
  g_test_add_func ("/bench/one-tag", test_bench_one_tag);
  g_test_add_func ("/bench/refuses-non-empty", test_bench_refuses_non_empty);
  g_test_add_func ("/bench/refuses-tags-only", test_bench_refuses_tags_only);

  return g_test_run ();
}
