/* test-galera.c: clients on the nodes of a Galera cluster race each other
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * build-aux/run-tests.sh starts a 3-node cluster (build-aux/mariadb-galera.sh)
 * and exports TT_TEST_GALERA_URI (all three nodes), TT_TEST_GALERA_URI_1..3
 * and the commands that stop and start each node. N_CLIENTS threads, each
 * with a store of its own whose list of servers starts at another node,
 * race the same tags: they add them by name (so they race to create them),
 * link and unlink them on tutorials, and retitle one shared tutorial (the
 * same row changed on several nodes at once: certification conflicts).
 * Each client writes down what the store reported as done.
 *
 * In the end no client saw an error, every node holds the same rows, and
 * each link is as the last report on it said (each client links only its
 * own tutorial, so the last report on a link is its client's last).
 * /galera/node-stopped stops a node in the middle: the clients that were
 * on it carry on on the others.
 */

#include "config.h"

#include <stdio.h>

#include "tt-test-fixture.h"

#define N_CLIENTS 3
#define N_OPS     100
#define N_NAMES   4

static const char * const names[N_NAMES] = { "Rust", "GTK", "Galera", "Straße" };

typedef enum { LINK_UNKNOWN, LINK_ABSENT, LINK_PRESENT } LinkState;

typedef struct
{
  guint      index;
  TtStore   *store;
  gint64     own_tutorial;
  gint64     shared_tutorial;
  GRand     *rand;
  /* What the reports say, for this client's tutorial and each name. */
  LinkState  links[N_NAMES];
  GPtrArray *titles_done;     /* titles reported as saved */
  GString   *problems;
  guint      n_lost;          /* writes cut off: may or may not have happened */
  guint      n_done;
  /* Ran when this client reaches the middle of its run, or NULL. */
  void     (*at_middle) (void);
} Client;

/* The cluster's servers from node @first on, as a location of the test
 * database. */
static TtDbLocation *
cluster_location (guint first)
{
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) all = NULL;
  g_autofree char *uri = NULL;

  uri = g_strdup_printf ("%s/tt_galera", g_getenv ("TT_TEST_GALERA_URI"));
  all = tt_db_location_parse (uri, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->n_hosts, ==, N_CLIENTS);
  for (guint i = 0; i < all->n_hosts; i++)
    {
      const TtDbHost *host = &all->hosts[(first + i) % all->n_hosts];

      g_string_append_printf (list, "%s%s:%u", i > 0 ? "," : "", host->name, host->port);
    }
  g_assert_true (tt_db_location_set_hosts (all, list->str, TT_DB_MYSQL_DEFAULT_PORT, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&all);
}

/* A write that failed: only a cut-off connection is expected (when a
 * node stops), and then the outcome is unknown. */
static gboolean
note_failure (Client       *client,
              const char   *what,
              const GError *error)
{
  if (g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST))
    {
      client->n_lost++;
      return FALSE;
    }
  g_string_append_printf (client->problems, "client %u, %s: %s\n", client->index, what,
                          error->message);
  return FALSE;
}

static void
op_tag_add (Client *client,
            guint   name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) asked = tt_tag_new (0, names[name]);
  g_autoptr(TtTag) tag = tt_store_tag_tutorial (client->store, client->own_tutorial, asked, NULL, &error);

  client->links[name] = tag != NULL ? LINK_PRESENT : LINK_UNKNOWN;
  if (tag == NULL)
    note_failure (client, "tag add", error);
}

static void
op_untag (Client *client,
          guint   name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) asked = tt_tag_new (0, names[name]);
  g_autoptr(TtTag) tag = tt_store_untag_tutorial (client->store, client->own_tutorial, asked, &error);

  /* Untagging a tag that is not there yet is "not found": still absent. */
  if (tag != NULL || g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND))
    client->links[name] = LINK_ABSENT;
  else
    client->links[name] = LINK_UNKNOWN, note_failure (client, "untag", error);
}

static void
op_retitle (Client *client,
            guint   op)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strdup_printf ("Shared, by client %u, op %u", client->index, op);
  g_autoptr(TtTutorial) done = tt_store_update_tutorial (client->store, client->shared_tutorial,
                                                         title, NULL, &error);

  if (done != NULL)
    g_ptr_array_add (client->titles_done, g_steal_pointer (&title));
  else if (g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST))
    g_ptr_array_add (client->titles_done, g_steal_pointer (&title)), client->n_lost++;
  else
    note_failure (client, "retitle", error);
}

static gpointer
client_run (gpointer data)
{
  Client *client = data;

  for (guint op = 0; op < N_OPS; op++)
    {
      guint name = g_rand_int_range (client->rand, 0, N_NAMES);

      if (op == N_OPS / 2 && client->at_middle != NULL)
        client->at_middle ();
      switch (g_rand_int_range (client->rand, 0, 3))
        {
        case 0: op_tag_add (client, name); break;
        case 1: op_untag (client, name); break;
        default: op_retitle (client, op); break;
        }
      client->n_done++;
    }
  return NULL;
}

static gint64
add_tutorial (TtStore    *store,
              const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tutorial = tt_store_create_tutorial (store, title, "", &error);

  g_assert_no_error (error);
  return tt_tutorial_get_id (tutorial);
}

static void
client_init (Client  *client,
             guint    index,
             TtStore *setup)
{
  g_autoptr(TtDbLocation) location = cluster_location (index);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strdup_printf ("Own tutorial of client %u", index);

  memset (client, 0, sizeof *client);
  client->index = index;
  client->store = tt_store_open (location, tt_test_password (), &error);
  g_assert_no_error (error);
  client->own_tutorial = add_tutorial (setup, title);
  client->rand = g_rand_new_with_seed (g_test_rand_int ());
  client->titles_done = g_ptr_array_new_with_free_func (g_free);
  client->problems = g_string_new (NULL);
}

static void
client_clear (Client *client)
{
  g_clear_object (&client->store);
  g_rand_free (client->rand);
  g_ptr_array_unref (client->titles_done);
  g_string_free (client->problems, TRUE);
}

/* Each node answers alone: a store on node @node only. */
static TtStore *
open_node (guint node)
{
  g_autofree char *variable = g_strdup_printf ("TT_TEST_GALERA_URI_%u", node);
  g_autofree char *uri = g_strdup_printf ("%s/tt_galera", g_getenv (variable));
  g_autoptr(TtDbLocation) location = tt_db_location_parse (uri, NULL);
  g_autoptr(GError) error = NULL;
  TtStore *store;

  g_assert_nonnull (location);
  store = tt_store_open (location, tt_test_password (), &error);
  g_assert_no_error (error);
  return store;
}

/* Galera applies another node's commits a moment later (they are
 * certified at once, applied after): a node may lag behind for a while. */
static char *
dump_node_when_equal (guint       node,
                      const char *expected)
{
  g_autoptr(TtStore) store = open_node (node);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  char *dump = tt_test_dump_catalogue (store, TRUE);

  while (g_strcmp0 (dump, expected) != 0 && g_get_monotonic_time () < deadline)
    {
      g_usleep (200 * 1000);
      g_free (dump);
      dump = tt_test_dump_catalogue (store, TRUE);
    }
  return dump;
}

static void
assert_nodes_agree (void)
{
  g_autoptr(TtStore) first = open_node (1);
  g_autofree char *expected = tt_test_dump_catalogue (first, TRUE);

  for (guint node = 2; node <= N_CLIENTS; node++)
    {
      g_autofree char *dump = dump_node_when_equal (node, expected);

      g_assert_cmpstr (dump, ==, expected);
    }
}

/* Each link is as the last report on it said; the shared title is one
 * that was reported saved (or cut off). */
static void
assert_reports_kept (TtStore *store,
                     Client  *clients)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) shared = tt_store_get_tutorial (store, clients[0].shared_tutorial, &error);
  gboolean title_reported = FALSE;

  g_assert_no_error (error);
  for (guint c = 0; c < N_CLIENTS; c++)
    {
      g_autoptr(TtTutorial) own = tt_store_get_tutorial (store, clients[c].own_tutorial, &error);
      GListModel *tags = tt_tutorial_get_tags (own);

      g_assert_no_error (error);
      for (guint name = 0; name < N_NAMES; name++)
        {
          gboolean present = FALSE;

          for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
            {
              g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

              present |= g_strcmp0 (tt_tag_get_name (tag), names[name]) == 0;
            }
          if (clients[c].links[name] != LINK_UNKNOWN)
            g_assert_cmpint (present, ==, clients[c].links[name] == LINK_PRESENT);
        }
      for (guint i = 0; i < clients[c].titles_done->len; i++)
        title_reported |= g_strcmp0 (g_ptr_array_index (clients[c].titles_done, i),
                                     tt_tutorial_get_title (shared)) == 0;
    }
  g_assert_true (title_reported || g_strcmp0 (tt_tutorial_get_title (shared), "Shared") == 0);
}

/* One tag per name, whoever made it first. */
static void
assert_one_tag_per_name (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tags = tt_store_list_tags (store, FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tags), <=, N_NAMES);
  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    for (guint j = i + 1; j < g_list_model_get_n_items (tags); j++)
      {
        g_autoptr(TtTag) a = g_list_model_get_item (tags, i);
        g_autoptr(TtTag) b = g_list_model_get_item (tags, j);

        g_assert_cmpstr (tt_tag_get_name (a), !=, tt_tag_get_name (b));
      }
}

static guint64
race (TtStore *store,
      Client  *clients)
{
  GThread *threads[N_CLIENTS];
  gint64 shared = add_tutorial (store, "Shared");
  gint64 started = g_get_monotonic_time ();
  guint64 retries = 0;
  guint n_ops = 0;

  for (guint c = 0; c < N_CLIENTS; c++)
    {
      clients[c].shared_tutorial = shared;
      threads[c] = g_thread_new ("client", client_run, &clients[c]);
    }
  for (guint c = 0; c < N_CLIENTS; c++)
    {
      g_thread_join (threads[c]);
      retries += tt_store_debug_get_conflict_retries (clients[c].store);
      n_ops += clients[c].n_done;
    }
  g_test_message ("%u operations on %u nodes in %.1f s; %" G_GUINT64_FORMAT
                  " conflicts (1213) retried, none surfaced",
                  n_ops, N_CLIENTS, (g_get_monotonic_time () - started) / 1e6, retries);
  return retries;
}

static void
assert_no_problems (Client *clients,
                    guint   max_lost)
{
  for (guint c = 0; c < N_CLIENTS; c++)
    {
      g_assert_cmpstr (clients[c].problems->str, ==, "");
      g_assert_cmpuint (clients[c].n_done, ==, N_OPS);
      g_assert_cmpuint (clients[c].n_lost, <=, c == 1 ? max_lost : 0);
    }
}

static void
test_race (void)
{
  Client clients[N_CLIENTS];
  OPEN_STORE_OR_SKIP (store);

  for (guint c = 0; c < N_CLIENTS; c++)
    client_init (&clients[c], c, store);
  race (store, clients);

  assert_no_problems (clients, 0);
  assert_reports_kept (store, clients);
  assert_one_tag_per_name (store);
  assert_nodes_agree ();
  for (guint c = 0; c < N_CLIENTS; c++)
    client_clear (&clients[c]);
}

static void
run_command (const char *variable)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (g_getenv (variable));
  g_spawn_command_line_sync (g_getenv (variable), NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
}

static void
stop_node_2 (void)
{
  run_command ("TT_TEST_GALERA_STOP_2");
}

/* Node 2, where client 1 starts, stops in the middle of its run: client
 * 1 carries on on node 3; a write cut off at that moment is reported as
 * such (at most one), nothing else fails. The node comes back, catches
 * up, and agrees with the others. */
static void
test_node_stopped (void)
{
  Client clients[N_CLIENTS];
  OPEN_STORE_OR_SKIP (store);

  for (guint c = 0; c < N_CLIENTS; c++)
    client_init (&clients[c], c, store);
  clients[1].at_middle = stop_node_2;
  race (store, clients);
  run_command ("TT_TEST_GALERA_START_2");

  assert_no_problems (clients, 1);
  assert_reports_kept (store, clients);
  assert_one_tag_per_name (store);
  assert_nodes_agree ();
  for (guint c = 0; c < N_CLIENTS; c++)
    client_clear (&clients[c]);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names of @tutorial's tags, sorted, joined by ",". */
static char *
tag_names_of (TtTutorial *tutorial)
{
  GListModel *tags = tt_tutorial_get_tags (tutorial);
  g_autoptr(GPtrArray) names_found = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      g_ptr_array_add (names_found, (gpointer) tt_tag_get_name (tag));
    }
  g_ptr_array_sort (names_found, compare_names);
  g_ptr_array_add (names_found, NULL);
  return g_strjoinv (",", (char **) names_found->pdata);
}

static TtTutorial *
import_item (const char *title,
             const char *tag_a,
             const char *tag_b)
{
  TtTutorial *tutorial = tt_tutorial_new (0, title, "imported");
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(TtTag) a = tt_tag_new (0, tag_a);
  g_autoptr(TtTag) b = tt_tag_new (0, tag_b);

  g_list_store_append (tags, a);
  g_list_store_append (tags, b);
  tt_tutorial_set_tags (tutorial, G_LIST_MODEL (tags));
  return tutorial;
}

/* On a cluster the ids step by the number of nodes: the seed scenario
 * and an import (whose batched inserts take consecutive ids elsewhere)
 * still link what they say, by name. */
static void
test_ids_not_contiguous (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GListModel) all = NULL;
  TtTutorialQuery query = { .with_tags = TRUE };
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *title = g_strdup_printf ("Imported %02u", i);
      g_autofree char *a = g_strdup_printf ("Imported tag %u", i % 7);
      g_autoptr(TtTutorial) item = import_item (title, a, "Tag#2");

      g_list_store_append (tutorials, item);
    }
  g_assert_true (tt_store_import (store, G_LIST_MODEL (tutorials), NULL, &error));
  g_assert_no_error (error);

  all = tt_store_list_tutorials (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 34);
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (all, i);
      g_autofree char *found = tag_names_of (tutorial);
      const char *title = tt_tutorial_get_title (tutorial);
      g_autofree char *expected = NULL;
      guint n;

      if (g_str_equal (title, "Tut#1"))
        expected = g_strdup ("Tag#1,Tag#2");
      else if (g_str_equal (title, "Tut#2"))
        expected = g_strdup ("Tag#1");
      else if (g_str_equal (title, "Tut#3"))
        expected = g_strdup ("Tag#1,Tag#2");
      else if (g_str_equal (title, "Tut#4"))
        expected = g_strdup ("Tag#2");
      else
        {
          g_assert_cmpint (sscanf (title, "Imported %u", &n), ==, 1);
          expected = g_strdup_printf ("Imported tag %u,Tag#2", n % 7);
        }
      g_assert_cmpstr (found, ==, expected);
    }
}

/* What one client saved on node 1 is there for another on node 2 at
 * once (Galera applies it there a moment later, and reads wait for it).
 * Without waiting, some of these reads found nothing. */
static void
test_read_after_write_elsewhere (void)
{
  g_autoptr(TtStore) node_2 = NULL;
  OPEN_STORE_OR_SKIP (store);

  node_2 = open_node (2);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *title = g_strdup_printf ("Written on node 1, %u", i);
      gint64 id = add_tutorial (store, title);
      g_autoptr(TtTutorial) read = tt_store_get_tutorial (node_2, id, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (tt_tutorial_get_title (read), ==, title);
    }
}

/* The fixture opens "the MySQL test server": here, node 1. */
static gboolean
use_cluster (void)
{
  g_autofree char *node_1 = NULL;

  if (g_getenv ("TT_TEST_GALERA_URI") == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("CI=true but TT_TEST_GALERA_URI is not set: the Galera tests must run in CI");
      return FALSE;
    }

  g_setenv ("TT_TEST_BACKEND", "mysql", TRUE);
  g_setenv ("TT_TEST_MYSQL_URI", g_getenv ("TT_TEST_GALERA_URI_1"), TRUE);
  g_setenv ("TT_TEST_MYSQL_PASSWORD", g_getenv ("TT_TEST_GALERA_PASSWORD"), TRUE);
  g_setenv ("TT_TEST_MYSQL_DATABASE", "tt_galera", TRUE);
  return TRUE;
}

static void
test_no_cluster (void)
{
  g_test_skip ("TT_TEST_GALERA_URI is not set (run build-aux/run-tests.sh)");
}

int
main (int    argc,
      char **argv)
{
  gboolean cluster = use_cluster ();

  tt_test_init (&argc, &argv);
  g_test_add_func ("/galera/race", cluster ? test_race : test_no_cluster);
  g_test_add_func ("/galera/node-stopped", cluster ? test_node_stopped : test_no_cluster);
  g_test_add_func ("/galera/ids-not-contiguous", cluster ? test_ids_not_contiguous : test_no_cluster);
  g_test_add_func ("/galera/read-after-write-elsewhere",
                   cluster ? test_read_after_write_elsewhere : test_no_cluster);
  return g_test_run ();
}
