/* test-concurrency.c: several CLI processes on one catalogue at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * N_WORKERS threads each run a sequence of real tutorial-tags-cli
 * processes, all started together: first they race to create the same
 * tag names, each in a case (and ß/ss spelling) of its own, then each
 * sets, links and unlinks tags on two tutorials that only it touches.
 * Every worker writes down what each process reported as done. The
 * catalogue must end exactly as those reports say: one tag per name
 * regardless of case, the links of every successful link and none of
 * every successful unlink, and no failure but the documented ones.
 * /store/racing-tag-creators races two connections of one process in a
 * chosen order; this races whole processes as they come.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tt-test-cli.h"
#include "tt-test-fixture.h"

#define N_WORKERS 6
#define N_ROUNDS  4
#define N_NAMES   3

/* The exit statuses tutorial-tags-cli --help documents. */
enum {
  EXIT_OK        = 0,
  EXIT_DUPLICATE = 4,
};

static const char * const names[N_NAMES] = { "rust", "gtk", "straße" };

typedef struct
{
  guint                index;
  const char          *db;
  GSubprocessLauncher *launcher;
  gint64               tutorials[2];
  /* What the processes reported: the tag each name is, and the tag a
   * "tag add" made (0 when the name was taken). */
  gint64               tag_ids[N_NAMES];
  gint64               created[N_NAMES];
  /* "TUTORIAL:TAG" of this worker's tutorials, as reported so far. */
  GHashTable          *links;
  GString             *problems;
  guint                n_runs;
} Worker;

/* ---- starting together ---------------------------------------------------- */

static GMutex start_mutex;
static GCond  start_cond;
static guint  n_ready;

static void
wait_for_all_workers (void)
{
  g_mutex_lock (&start_mutex);
  if (++n_ready == N_WORKERS)
    g_cond_broadcast (&start_cond);
  while (n_ready < N_WORKERS)
    g_cond_wait (&start_cond, &start_mutex);
  g_mutex_unlock (&start_mutex);
}

/* ---- what a worker types --------------------------------------------------- */

/* @name in worker @index's own case; odd workers write ß as ss. */
static char *
variant (const char *name,
         guint       index)
{
  g_auto(GStrv) parts = g_strsplit (name, "ß", -1);
  g_autofree char *spelt = g_strjoinv (index % 2 == 1 ? "ss" : "ß", parts);
  GString *out = g_string_new (NULL);
  guint i = 0;

  for (const char *p = spelt; *p != '\0'; p = g_utf8_next_char (p), i++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, ((index + 1) >> (i % 3)) & 1 ? g_unichar_toupper (c) : c);
    }
  return g_string_free (out, FALSE);
}

static int
name_index (const char *name)
{
  g_autofree char *key = tt_tag_name_key (name);

  for (int k = 0; k < N_NAMES; k++)
    {
      g_autofree char *wanted = tt_tag_name_key (names[k]);

      if (g_strcmp0 (key, wanted) == 0)
        return k;
    }
  return -1;
}

static char *
pair_key (gint64 tutorial,
          gint64 tag)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, tutorial, tag);
}

/* Runs one CLI process. TRUE when it reported success; a refusal with
 * @refusal (a documented status, nothing changed) is FALSE; anything
 * else is written down as a problem. */
static gboolean
run (Worker             *worker,
     const char * const *args,
     int                 refusal,
     char              **out)
{
  g_autoptr(CliRun) result = tt_test_run_cli (worker->launcher, worker->db, NULL, args);
  g_autofree char *command = g_strjoinv (" ", (char **) args);

  worker->n_runs++;
  if (strstr (result->err, "Unknown error") != NULL ||
      (result->status != EXIT_OK && result->status != refusal))
    {
      g_string_append_printf (worker->problems, "worker %u: %s: exit %d: %s",
                              worker->index, command, result->status, result->err);
      return FALSE;
    }

  if (out != NULL)
    *out = g_steal_pointer (&result->out);
  return result->status == EXIT_OK;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* "tag add" of each name in this worker's case: made here, or taken. */
static void
race_tag_adds (Worker *worker)
{
  for (int k = 0; k < N_NAMES; k++)
    {
      g_autofree char *name = variant (names[k], worker->index);
      g_autofree char *out = NULL;
      const char * const args[] = { "tag", "add", name, NULL };

      if (run (worker, args, EXIT_DUPLICATE, &out))
        {
          g_autoptr(JsonObject) tag = parse_object (out);

          worker->created[k] = json_object_get_int_member (tag, "id");
        }
    }
}

/* "tutorial tags" on the first tutorial, every name in this worker's
 * case: the tags it reports are the ones the names are. */
static void
set_tags (Worker *worker)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, worker->tutorials[0]);
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) tutorial = NULL;
  const char *args[4 + N_NAMES] = { "tutorial", "tags", id };
  g_autoptr(GPtrArray) typed = g_ptr_array_new_with_free_func (g_free);
  JsonArray *tags;

  for (int k = 0; k < N_NAMES; k++)
    {
      g_ptr_array_add (typed, variant (names[k], worker->index));
      args[3 + k] = typed->pdata[k];
    }
  if (!run (worker, args, -1, &out))
    return;

  tutorial = parse_object (out);
  tags = json_object_get_array_member (tutorial, "tags");
  for (guint i = 0; i < json_array_get_length (tags); i++)
    {
      JsonObject *tag = json_array_get_object_element (tags, i);
      int k = name_index (json_object_get_string_member (tag, "name"));
      gint64 tag_id = json_object_get_int_member (tag, "id");

      g_assert_cmpint (k, >=, 0);
      worker->tag_ids[k] = tag_id;
      g_hash_table_add (worker->links, pair_key (worker->tutorials[0], tag_id));
    }
}

typedef struct
{
  const char *command;
  guint       tutorial;  /* 0 or 1: the worker's first or second */
  guint       name;
} Step;

/* One round; the last round stops before its last step, so that the
 * second tutorial ends with a link. */
static const Step round_steps[] = {
  { "link", 1, 0 }, { "link", 1, 2 }, { "unlink", 1, 0 },
  { "unlink", 0, 1 }, { "link", 0, 1 }, { "unlink", 1, 2 },
};

static void
run_step (Worker     *worker,
          const Step *step)
{
  gint64 tutorial = worker->tutorials[step->tutorial];
  gint64 tag = worker->tag_ids[step->name];
  g_autofree char *tutorial_arg = g_strdup_printf ("%" G_GINT64_FORMAT, tutorial);
  g_autofree char *tag_arg = g_strdup_printf ("%" G_GINT64_FORMAT, tag);
  const char * const args[] = { step->command, tutorial_arg, tag_arg, NULL };
  g_autofree char *key = pair_key (tutorial, tag);

  if (!run (worker, args, -1, NULL))
    return;
  /* The set owns its keys: a link adds a copy, an unlink looks up ours. */
  if (g_str_equal (step->command, "link"))
    g_hash_table_add (worker->links, g_steal_pointer (&key));
  else
    g_hash_table_remove (worker->links, key);
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  wait_for_all_workers ();
  race_tag_adds (worker);
  set_tags (worker);
  for (guint r = 0; r < N_ROUNDS && worker->problems->len == 0; r++)
    {
      guint n_steps = G_N_ELEMENTS (round_steps) - (r == N_ROUNDS - 1 ? 1 : 0);

      for (guint s = 0; s < n_steps; s++)
        run_step (worker, &round_steps[s]);
    }
  return NULL;
}

/* ---- checking the catalogue against the reports ------------------------ */

/* One tag per name: every worker was told the same tag, and at most one
 * "tag add" made it (then with that worker's spelling). */
static void
check_one_tag_per_name (Worker  *workers,
                        TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tags = tt_store_list_tags (store, FALSE, &error);
  g_autoptr(GPtrArray) duplicates = tt_store_find_case_duplicates (store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, N_NAMES);
  g_assert_cmpuint (duplicates->len, ==, 0);
  for (int k = 0; k < N_NAMES; k++)
    {
      gint64 id = workers[0].tag_ids[k];
      g_autoptr(TtTag) tag = tt_store_get_tag (store, id, &error);
      guint n_created = 0;

      g_assert_no_error (error);
      g_assert_cmpint (name_index (tt_tag_get_name (tag)), ==, k);
      for (guint w = 0; w < N_WORKERS; w++)
        {
          g_autofree char *spelling = variant (names[k], w);

          g_assert_cmpint (workers[w].tag_ids[k], ==, id);
          if (workers[w].created[k] == 0)
            continue;
          n_created++;
          g_assert_cmpint (workers[w].created[k], ==, id);
          g_assert_cmpstr (tt_tag_get_name (tag), ==, spelling);
        }
      g_assert_cmpuint (n_created, <=, 1);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static char *
sorted_lines (GPtrArray *lines)
{
  g_ptr_array_sort (lines, compare_strings);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* Every link the catalogue holds is one the reports say is there, and
 * the other way round. */
static void
check_links (Worker  *workers,
             TtStore *store)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *expected_text = NULL;
  g_autofree char *found_text = NULL;

  for (guint w = 0; w < N_WORKERS; w++)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, workers[w].links);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (expected, g_strdup (key));

      for (guint t = 0; t < 2; t++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(TtTutorial) tutorial = tt_store_get_tutorial (store, workers[w].tutorials[t], &error);
          GListModel *tags;

          g_assert_no_error (error);
          tags = tt_tutorial_get_tags (tutorial);
          for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
            {
              g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

              g_ptr_array_add (found, pair_key (workers[w].tutorials[t], tt_tag_get_id (tag)));
            }
        }
    }

  expected_text = sorted_lines (expected);
  found_text = sorted_lines (found);
  g_assert_cmpstr (found_text, ==, expected_text);
}

/* ---- the test --------------------------------------------------------------- */

static void
worker_init (Worker     *worker,
             guint       index,
             const char *db,
             TtStore    *store)
{
  memset (worker, 0, sizeof *worker);
  worker->index = index;
  worker->db = db;
  worker->launcher = tt_test_cli_launcher ();
  if (tt_test_is_mysql ())
    g_subprocess_launcher_setenv (worker->launcher, TT_TEST_DB_PASSWORD_VARIABLE,
                                  tt_test_password (), TRUE);
  worker->links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  worker->problems = g_string_new (NULL);
  for (guint t = 0; t < 2; t++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *title = g_strdup_printf ("Worker %u, tutorial %u", index, t);
      g_autoptr(TtTutorial) tutorial = tt_store_create_tutorial (store, title, NULL, &error);

      g_assert_no_error (error);
      worker->tutorials[t] = tt_tutorial_get_id (tutorial);
    }
}

static void
worker_clear (Worker *worker)
{
  g_clear_object (&worker->launcher);
  g_clear_pointer (&worker->links, g_hash_table_unref);
  g_string_free (worker->problems, TRUE);
}

static void
test_processes_race (void)
{
  Worker workers[N_WORKERS];
  GThread *threads[N_WORKERS];
  g_autofree char *db = NULL;
  g_autoptr(TtStore) after = NULL;
  gint64 started = g_get_monotonic_time ();
  guint n_runs = 0;
  OPEN_STORE_OR_SKIP (store);

  db = tt_test_location_uri (tt_test_location ());
  for (guint w = 0; w < N_WORKERS; w++)
    worker_init (&workers[w], w, db, store);
  tt_store_close (store);

  for (guint w = 0; w < N_WORKERS; w++)
    threads[w] = g_thread_new ("worker", worker_thread, &workers[w]);
  for (guint w = 0; w < N_WORKERS; w++)
    g_thread_join (threads[w]);

  for (guint w = 0; w < N_WORKERS; w++)
    {
      n_runs += workers[w].n_runs;
      g_assert_cmpstr (workers[w].problems->str, ==, "");
    }
  g_test_message ("%u CLI processes, %d at a time, in %.1f s", n_runs, N_WORKERS,
                  (g_get_monotonic_time () - started) / 1e6);

  after = tt_test_reopen_store ();
  check_one_tag_per_name (workers, after);
  check_links (workers, after);
  for (guint w = 0; w < N_WORKERS; w++)
    worker_clear (&workers[w]);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/concurrency/processes-race", test_processes_race);

  return g_test_run ();
}
