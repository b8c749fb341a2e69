/* tt-bench.c: how fast the store is on this backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One fixed workload, so that figures compare across backends, machines
 * and other programs on the same schema: N tutorials, N/10 tags, each
 * tutorial linked to up to three tags chosen by a formula, then reads,
 * random lookups and a bulk import of the same data. Every one-by-one
 * write goes through the public store API and commits on its own, as an
 * edit in the application does.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gi18n.h>

#include "tt-bench.h"

#define BENCH_LOOKUPS     1000
#define BENCH_SEED        42
#define BENCH_LIST_RUNS   3
#define BENCH_MAX_LINKS   3

/* Ids are small positive numbers: they fit a pointer as hash keys. */
#define ID_KEY(id) GSIZE_TO_POINTER ((gsize) (id))

typedef struct
{
  TtStore     *store;
  JsonBuilder *builder;       /* inside the "phases" object */
  guint        n_tutorials;
  guint        n_tags;
  guint64      n_links;
  GArray      *tutorial_ids;  /* gint64, in creation order */
  GArray      *tag_ids;       /* gint64, in creation order */
  gint64       lookup_id_sum;
  gint64       tag_id_sum;
  double       rss_after_lists_mb;
} Bench;

/* What a listing phase saw, so a reader can tell all the data came back. */
typedef struct
{
  guint       n_items;
  guint64     n_links;
  GHashTable *distinct;       /* ids of the items' children */
} Seen;

typedef GListModel *(*ListAll)   (TtStore     *store,
                                  GError     **error);
typedef void        (*CountList) (GListModel  *list,
                                  Seen        *seen);

/* ---- the workload ------------------------------------------------------ */

/* The same sequence in every program that runs this benchmark. */
static guint32
xorshift32 (guint32 *state)
{
  guint32 x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

/* The tags tutorial @i gets, in link order, a repeated one dropped. */
static guint
tutorial_tag_indices (guint i,
                      guint n_tags,
                      guint indices[BENCH_MAX_LINKS])
{
  static const guint64 factors[BENCH_MAX_LINKS] = { 7, 13, 31 };
  guint n = 0;

  for (guint k = 0; k < BENCH_MAX_LINKS; k++)
    {
      guint index = (guint) ((i * factors[k] + k) % n_tags);
      gboolean seen = FALSE;

      for (guint m = 0; m < n; m++)
        seen = seen || indices[m] == index;
      if (!seen)
        indices[n++] = index;
    }

  return n;
}

static guint64
count_links (guint n_tutorials,
             guint n_tags)
{
  guint indices[BENCH_MAX_LINKS];
  guint64 n = 0;

  for (guint i = 0; i < n_tutorials; i++)
    n += tutorial_tag_indices (i, n_tags, indices);

  return n;
}

static char *
tutorial_title (guint i)
{
  return g_strdup_printf ("Tutorial %u", i);
}

static char *
tutorial_description (guint i)
{
  return g_strdup_printf ("Description of tutorial %u", i);
}

static char *
tag_name (guint j)
{
  return g_strdup_printf ("tag-%u", j);
}

/* ---- timings ----------------------------------------------------------- */

static GArray *
timings_new (guint reserve)
{
  return g_array_sized_new (FALSE, FALSE, sizeof (gint64), reserve);
}

static void
timings_add (GArray *timings,
             gint64  op_start)
{
  gint64 us = g_get_monotonic_time () - op_start;

  g_array_append_val (timings, us);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Nearest rank: the value at index ceil(percent/100 × n) − 1, in integers
 * so that 99 % of 100 is exactly rank 99. */
static gint64
percentile (GArray *sorted,
            guint   percent)
{
  guint64 rank = ((guint64) percent * sorted->len + 99) / 100;

  if (sorted->len == 0)
    return 0;

  return g_array_index (sorted, gint64, rank > 0 ? rank - 1 : 0);
}

static void
add_int_member (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_double_member (JsonBuilder *builder,
                   const char  *name,
                   double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

/* Ends a one-by-one phase: its total time and the spread of its calls. */
static void
add_timed_phase (Bench      *bench,
                 const char *name,
                 GArray     *timings,
                 gint64      start)
{
  gint64 total_us = g_get_monotonic_time () - start;

  g_array_sort (timings, compare_int64);

  json_builder_set_member_name (bench->builder, name);
  json_builder_begin_object (bench->builder);
  add_double_member (bench->builder, "ms", total_us / 1000.0);
  add_int_member (bench->builder, "count", timings->len);
  add_int_member (bench->builder, "median_us", percentile (timings, 50));
  add_int_member (bench->builder, "p99_us", percentile (timings, 99));
  json_builder_end_object (bench->builder);
}

/* ---- memory ------------------------------------------------------------ */

static double
peak_rss_mb (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;

  /* Linux counts ru_maxrss in KiB. */
  return usage.ru_maxrss / 1024.0;
}

/* The high-water mark so far, which is what a listing costs at worst;
 * outside Linux, the same figure from getrusage(). */
static double
vm_hwm_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;
  guint64 kib;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "\nVmHWM:")) == NULL)
    return peak_rss_mb ();

  kib = g_ascii_strtoull (line + strlen ("\nVmHWM:"), NULL, 10);
  return kib / 1024.0;
}

/* ---- one-by-one writes ------------------------------------------------- */

static gboolean
bench_create_tutorials (Bench   *bench,
                        GError **error)
{
  g_autoptr(GArray) timings = timings_new (bench->n_tutorials);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < bench->n_tutorials; i++)
    {
      g_autofree char *title = tutorial_title (i);
      g_autofree char *description = tutorial_description (i);
      g_autoptr(TtTutorial) tutorial = NULL;
      gint64 op_start = g_get_monotonic_time ();
      gint64 id;

      tutorial = tt_store_create_tutorial (bench->store, title, description, error);
      if (tutorial == NULL)
        return FALSE;
      timings_add (timings, op_start);

      id = tt_tutorial_get_id (tutorial);
      g_array_append_val (bench->tutorial_ids, id);
    }

  add_timed_phase (bench, "create_tutorials", timings, start);
  return TRUE;
}

static gboolean
bench_create_tags (Bench   *bench,
                   GError **error)
{
  g_autoptr(GArray) timings = timings_new (bench->n_tags);
  gint64 start = g_get_monotonic_time ();

  for (guint j = 0; j < bench->n_tags; j++)
    {
      g_autofree char *name = tag_name (j);
      g_autoptr(TtTag) tag = NULL;
      gint64 op_start = g_get_monotonic_time ();
      gint64 id;

      if ((tag = tt_store_create_tag (bench->store, name, error)) == NULL)
        return FALSE;
      timings_add (timings, op_start);

      id = tt_tag_get_id (tag);
      g_array_append_val (bench->tag_ids, id);
    }

  add_timed_phase (bench, "create_tags", timings, start);
  return TRUE;
}

static gboolean
bench_link (Bench   *bench,
            GError **error)
{
  g_autoptr(GArray) timings = timings_new (bench->n_links);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < bench->n_tutorials; i++)
    {
      gint64 tutorial_id = g_array_index (bench->tutorial_ids, gint64, i);
      guint indices[BENCH_MAX_LINKS];
      guint n = tutorial_tag_indices (i, bench->n_tags, indices);

      for (guint k = 0; k < n; k++)
        {
          gint64 tag_id = g_array_index (bench->tag_ids, gint64, indices[k]);
          gint64 op_start = g_get_monotonic_time ();

          if (!tt_store_link (bench->store, tutorial_id, tag_id, error))
            return FALSE;
          timings_add (timings, op_start);
        }
    }

  add_timed_phase (bench, "link", timings, start);
  return TRUE;
}

/* ---- whole-catalogue reads --------------------------------------------- */

static GListModel *
list_tags_with_tutorials (TtStore  *store,
                          GError  **error)
{
  return tt_store_list_tags (store, TRUE, error);
}

static GListModel *
list_tutorials_with_tags (TtStore  *store,
                          GError  **error)
{
  TtTutorialQuery query = { .with_tags = TRUE };

  return tt_store_list_tutorials (store, &query, error);
}

static void
count_tags_with_tutorials (GListModel *tags,
                           Seen       *seen)
{
  seen->n_items = g_list_model_get_n_items (tags);
  for (guint i = 0; i < seen->n_items; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);
      GListModel *tutorials = tt_tag_get_tutorials (tag);
      guint n = g_list_model_get_n_items (tutorials);

      seen->n_links += n;
      for (guint k = 0; k < n; k++)
        {
          g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, k);

          g_hash_table_add (seen->distinct, ID_KEY (tt_tutorial_get_id (tutorial)));
        }
    }
}

static void
count_tutorials_with_tags (GListModel *tutorials,
                           Seen       *seen)
{
  seen->n_items = g_list_model_get_n_items (tutorials);
  for (guint i = 0; i < seen->n_items; i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);
      GListModel *tags = tt_tutorial_get_tags (tutorial);
      guint n = g_list_model_get_n_items (tags);

      seen->n_links += n;
      for (guint k = 0; k < n; k++)
        {
          g_autoptr(TtTag) tag = g_list_model_get_item (tags, k);

          g_hash_table_add (seen->distinct, ID_KEY (tt_tag_get_id (tag)));
        }
    }
}

/* Lists everything BENCH_LIST_RUNS times and reports the median time, and
 * what the last run held. Each result is freed before the next run so the
 * process never holds two: the peak memory is that of one listing. */
static gboolean
bench_list_all (Bench       *bench,
                const char  *name,
                ListAll      list_all,
                CountList    count,
                const char  *item_name,
                const char  *child_name,
                GError     **error)
{
  gint64 runs_us[BENCH_LIST_RUNS];
  g_autoptr(GHashTable) distinct = g_hash_table_new (NULL, NULL);
  Seen seen = { 0 };

  for (guint run = 0; run < BENCH_LIST_RUNS; run++)
    {
      g_autoptr(GListModel) list = NULL;
      gint64 start = g_get_monotonic_time ();

      if ((list = list_all (bench->store, error)) == NULL)
        return FALSE;
      runs_us[run] = g_get_monotonic_time () - start;

      g_hash_table_remove_all (distinct);
      seen = (Seen) { .distinct = distinct };
      count (list, &seen);
    }

  qsort (runs_us, BENCH_LIST_RUNS, sizeof runs_us[0], compare_int64);

  json_builder_set_member_name (bench->builder, name);
  json_builder_begin_object (bench->builder);
  add_double_member (bench->builder, "ms", runs_us[BENCH_LIST_RUNS / 2] / 1000.0);
  add_int_member (bench->builder, "runs", BENCH_LIST_RUNS);
  add_int_member (bench->builder, item_name, seen.n_items);
  add_int_member (bench->builder, child_name, g_hash_table_size (distinct));
  add_int_member (bench->builder, "links", seen.n_links);
  json_builder_end_object (bench->builder);
  return TRUE;
}

/* ---- random lookups ---------------------------------------------------- */

static gint64
sum_tag_ids (GListModel *tags)
{
  guint n = g_list_model_get_n_items (tags);
  gint64 sum = 0;

  for (guint k = 0; k < n; k++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, k);

      sum += tt_tag_get_id (tag);
    }

  return sum;
}

/* The checksum is over what the store returned, so a lookup that comes
 * back with the wrong tutorial or tags shows. */
static gboolean
bench_lookups (Bench   *bench,
               GError **error)
{
  g_autoptr(GArray) timings = timings_new (BENCH_LOOKUPS);
  guint32 state = BENCH_SEED;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < BENCH_LOOKUPS; i++)
    {
      guint index = xorshift32 (&state) % bench->n_tutorials;
      gint64 id = g_array_index (bench->tutorial_ids, gint64, index);
      gint64 op_start = g_get_monotonic_time ();
      g_autoptr(TtTutorial) tutorial = tt_store_get_tutorial (bench->store, id, error);

      if (tutorial == NULL)
        return FALSE;
      timings_add (timings, op_start);

      bench->lookup_id_sum += tt_tutorial_get_id (tutorial);
      bench->tag_id_sum += sum_tag_ids (tt_tutorial_get_tags (tutorial));
    }

  add_timed_phase (bench, "lookups", timings, start);
  return TRUE;
}

/* ---- bulk import ------------------------------------------------------- */

static GPtrArray *
build_import_tags (Bench *bench)
{
  GPtrArray *tags = g_ptr_array_new_full (bench->n_tags, g_object_unref);

  for (guint j = 0; j < bench->n_tags; j++)
    {
      g_autofree char *name = tag_name (j);

      g_ptr_array_add (tags, tt_tag_new (0, name));
    }

  return tags;
}

/* The tutorials of phase 1 again, each with its tags of phase 3 by name. */
static GListModel *
build_import_tutorials (Bench     *bench,
                        GPtrArray *tags)
{
  GListStore *tutorials = g_list_store_new (TT_TYPE_TUTORIAL);

  for (guint i = 0; i < bench->n_tutorials; i++)
    {
      g_autofree char *title = tutorial_title (i);
      g_autofree char *description = tutorial_description (i);
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, description);
      g_autoptr(GListStore) chosen = g_list_store_new (TT_TYPE_TAG);
      guint indices[BENCH_MAX_LINKS];
      guint n = tutorial_tag_indices (i, bench->n_tags, indices);

      for (guint k = 0; k < n; k++)
        g_list_store_append (chosen, tags->pdata[indices[k]]);
      tt_tutorial_set_tags (tutorial, G_LIST_MODEL (chosen));
      g_list_store_append (tutorials, tutorial);
    }

  return G_LIST_MODEL (tutorials);
}

static guint64
sum_tutorial_counts (GListModel *tags)
{
  guint n = g_list_model_get_n_items (tags);
  guint64 sum = 0;

  for (guint j = 0; j < n; j++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, j);

      sum += tt_tag_get_tutorial_count (tag);
    }

  return sum;
}

/* An import that lost rows would make its time meaningless: fail. */
static gboolean
verify_import (Bench   *bench,
               GError **error)
{
  TtTutorialQuery all = { 0 };
  g_autoptr(GListModel) tutorials = tt_store_list_tutorials (bench->store, &all, error);
  g_autoptr(GListModel) tags = NULL;
  guint n_tutorials, n_tags;
  guint64 n_links;

  if (tutorials == NULL || (tags = tt_store_list_tags (bench->store, FALSE, error)) == NULL)
    return FALSE;

  n_tutorials = g_list_model_get_n_items (tutorials);
  n_tags = g_list_model_get_n_items (tags);
  n_links = sum_tutorial_counts (tags);
  if (n_tutorials != bench->n_tutorials || n_tags != bench->n_tags || n_links != bench->n_links)
    {
      /* Numbers formatted first: xgettext cannot read G_GUINT64_FORMAT. */
      g_autofree char *got = g_strdup_printf ("%" G_GUINT64_FORMAT, n_links);
      g_autofree char *wanted = g_strdup_printf ("%" G_GUINT64_FORMAT, bench->n_links);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The bulk import wrote %u tutorials, %u tags and %s links instead of %u, %u and %s"),
                   n_tutorials, n_tags, got, bench->n_tutorials, bench->n_tags, wanted);
      return FALSE;
    }

  add_int_member (bench->builder, "tutorials", n_tutorials);
  add_int_member (bench->builder, "tags", n_tags);
  add_int_member (bench->builder, "links", n_links);
  return TRUE;
}

/* Only the import itself is timed: building the objects to import is
 * the caller's work, not the store's. */
static gboolean
bench_bulk_import (Bench   *bench,
                   GError **error)
{
  g_autoptr(GPtrArray) tags = build_import_tags (bench);
  g_autoptr(GListModel) tutorials = build_import_tutorials (bench, tags);
  g_autoptr(GListStore) tag_list = g_list_store_new (TT_TYPE_TAG);
  gint64 start;

  g_list_store_splice (tag_list, 0, 0, tags->pdata, tags->len);

  if (!tt_store_reset (bench->store, error))
    return FALSE;

  start = g_get_monotonic_time ();
  if (!tt_store_import (bench->store, tutorials, G_LIST_MODEL (tag_list), error))
    return FALSE;

  json_builder_set_member_name (bench->builder, "bulk_import");
  json_builder_begin_object (bench->builder);
  add_double_member (bench->builder, "ms", (g_get_monotonic_time () - start) / 1000.0);
  if (!verify_import (bench, error))
    return FALSE;
  json_builder_end_object (bench->builder);
  return TRUE;
}

/* ---- the whole run ----------------------------------------------------- */

/* The benchmark creates and then resets: it must not touch real data. */
static gboolean
check_empty (TtStore  *store,
             GError  **error)
{
  TtTutorialQuery all = { 0 };
  g_autoptr(GListModel) tags = tt_store_list_tags (store, FALSE, error);
  g_autoptr(GListModel) tutorials = NULL;

  if (tags == NULL || (tutorials = tt_store_list_tutorials (store, &all, error)) == NULL)
    return FALSE;

  if (g_list_model_get_n_items (tags) > 0 || g_list_model_get_n_items (tutorials) > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("The benchmark needs an empty catalogue and this one is not: "
                             "empty it first with “reset --yes”"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
bench_run_phases (Bench   *bench,
                  GError **error)
{
  if (!bench_create_tutorials (bench, error) ||
      !bench_create_tags (bench, error) ||
      !bench_link (bench, error) ||
      !bench_list_all (bench, "all_tags_with_tutorials", list_tags_with_tutorials,
                       count_tags_with_tutorials, "tags", "tutorials", error) ||
      !bench_list_all (bench, "all_tutorials_with_tags", list_tutorials_with_tags,
                       count_tutorials_with_tags, "tutorials", "tags", error))
    return FALSE;

  bench->rss_after_lists_mb = vm_hwm_mb ();

  return bench_lookups (bench, error) && bench_bulk_import (bench, error);
}

static void
add_header (Bench *bench)
{
  gboolean mysql = tt_store_get_backend (bench->store) == TT_DB_BACKEND_MYSQL;

  json_builder_set_member_name (bench->builder, "backend");
  json_builder_add_string_value (bench->builder, mysql ? "mysql" : "sqlite");
  add_int_member (bench->builder, "tutorials", bench->n_tutorials);
  add_int_member (bench->builder, "tags", bench->n_tags);
  add_int_member (bench->builder, "links", bench->n_links);
}

static void
add_footer (Bench *bench)
{
  json_builder_set_member_name (bench->builder, "checksum");
  json_builder_begin_object (bench->builder);
  add_int_member (bench->builder, "lookup_ids", bench->lookup_id_sum);
  add_int_member (bench->builder, "tag_ids", bench->tag_id_sum);
  json_builder_end_object (bench->builder);

  add_double_member (bench->builder, "rss_after_all_tutorials_with_tags_mb",
                     bench->rss_after_lists_mb);
  add_double_member (bench->builder, "peak_rss_mb", peak_rss_mb ());
}

/**
 * tt_bench_run:
 * @store: a store on an empty catalogue
 * @n_tutorials: how many tutorials to create; a tenth as many tags
 *
 * Runs the benchmark workload and leaves @store holding its imported copy.
 *
 * Returns: (transfer full): the figures as one JSON object, or %NULL with
 *   @error set
 */
JsonNode *
tt_bench_run (TtStore  *store,
              guint     n_tutorials,
              GError  **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GArray) tutorial_ids = NULL;
  g_autoptr(GArray) tag_ids = NULL;
  Bench bench = { 0 };

  g_return_val_if_fail (TT_IS_STORE (store), NULL);
  g_return_val_if_fail (n_tutorials > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_empty (store, error))
    return NULL;

  builder = json_builder_new ();
  tutorial_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_tutorials);
  tag_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), MAX (n_tutorials / 10, 1));
  bench = (Bench) {
    .store = store, .builder = builder,
    .n_tutorials = n_tutorials, .n_tags = MAX (n_tutorials / 10, 1),
    .tutorial_ids = tutorial_ids, .tag_ids = tag_ids,
  };
  bench.n_links = count_links (bench.n_tutorials, bench.n_tags);

  json_builder_begin_object (builder);
  add_header (&bench);
  json_builder_set_member_name (builder, "phases");
  json_builder_begin_object (builder);
  if (!bench_run_phases (&bench, error))
    return NULL;
  json_builder_end_object (builder);
  add_footer (&bench);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
