/* bench-lookup.c: one tutorial with its tags, through the store and
 * through the MySQL client library, side by side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: run by hand on a large catalogue (bench-copy fill makes one).
 *
 *   TUTORIAL_TAGS_DB_PASSWORD=… bench-lookup mysql://USER@HOST:PORT/DB [N]
 *
 * N lookups of random tutorials (xorshift32 seeded 42, ids read from the
 * catalogue), each made twice in turn: by tt_store_get_tutorial(), and by
 * the join the `mysql` client would send for the same answer, as text,
 * its rows fetched whole, on a connection of the client library's own.
 * Taking them in turn keeps the ratio fair when the machine's speed
 * drifts. Prints JSON: the median and the 99th percentile of each, in
 * microseconds, the ratio of the medians, and a checksum of the tags
 * each side found (they must be equal).
 */

#include "config.h"

#include <mysql.h>
#include <stdlib.h>

#include "tt-store.h"

#define JOIN_SQL \
  "SELECT tu.id, tu.title, tu.description, tu.createdAt, tu.updatedAt," \
  " t.id, t.name, t.createdAt, t.updatedAt FROM tutorials tu" \
  " LEFT JOIN tutorial_tag x ON x.tutorial_id = tu.id" \
  " LEFT JOIN tags t ON t.id = x.tag_id" \
  " WHERE tu.id = %" G_GINT64_FORMAT " ORDER BY x.tag_id"

static guint32
xorshift32 (guint32 *state)
{
  guint32 x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

static MYSQL *
connect_client (const TtDbLocation *location,
                const char         *password)
{
  MYSQL *mysql = mysql_init (NULL);
  guint port = 0;
  const char *host = tt_db_location_get_host (location, 0, &port);

  if (mysql_real_connect (mysql, host, location->user, password, location->database, port,
                          location->socket, 0) == NULL)
    g_error ("mysql_real_connect: %s", mysql_error (mysql));
  return mysql;
}

static GArray *
tutorial_ids (MYSQL *mysql)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  MYSQL_RES *result;
  MYSQL_ROW row;

  if (mysql_query (mysql, "SELECT id FROM tutorials ORDER BY id") != 0 ||
      (result = mysql_store_result (mysql)) == NULL)
    g_error ("reading the ids: %s", mysql_error (mysql));
  while ((row = mysql_fetch_row (result)) != NULL)
    {
      gint64 id = g_ascii_strtoll (row[0], NULL, 10);

      g_array_append_val (ids, id);
    }
  mysql_free_result (result);
  if (ids->len == 0)
    g_error ("the catalogue has no tutorials: fill it first (bench-copy fill)");
  return ids;
}

/* The tag ids found, summed, as the checksum. */
static gint64
lookup_by_client (MYSQL  *mysql,
                  gint64  id)
{
  g_autofree char *sql = g_strdup_printf (JOIN_SQL, id);
  MYSQL_RES *result;
  MYSQL_ROW row;
  gint64 sum = 0;

  if (mysql_query (mysql, sql) != 0 || (result = mysql_store_result (mysql)) == NULL)
    g_error ("the join: %s", mysql_error (mysql));
  while ((row = mysql_fetch_row (result)) != NULL)
    sum += row[5] != NULL ? g_ascii_strtoll (row[5], NULL, 10) : 0;
  mysql_free_result (result);
  return sum;
}

static gint64
lookup_by_store (TtStore *store,
                 gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tutorial = tt_store_get_tutorial (store, id, &error);
  GListModel *tags;
  gint64 sum = 0;

  if (tutorial == NULL)
    g_error ("tt_store_get_tutorial: %s", error->message);
  tags = tt_tutorial_get_tags (tutorial);
  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      sum += tt_tag_get_id (tag);
    }
  return sum;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *micros,
            double  fraction)
{
  g_array_sort (micros, compare_doubles);
  return g_array_index (micros, double, (guint) (fraction * (micros->len - 1)));
}

int
main (int    argc,
      char **argv)
{
  const char *password = g_getenv ("TUTORIAL_TAGS_DB_PASSWORD");
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) by_store = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) by_client = g_array_new (FALSE, FALSE, sizeof (double));
  guint n = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 2000;
  gint64 sum_store = 0, sum_client = 0;
  guint32 seed = 42;
  MYSQL *mysql;

  if (argc < 2 || n == 0)
    g_error ("usage: bench-lookup mysql://USER@HOST:PORT/DB [N]");
  location = tt_db_location_parse (argv[1], &error);
  if (location == NULL || location->backend != TT_DB_BACKEND_MYSQL)
    g_error ("%s: a mysql:// location, please%s%s", argv[1], error ? ": " : "", error ? error->message : "");
  store = tt_store_open (location, password, &error);
  if (store == NULL)
    g_error ("%s: %s", argv[1], error->message);
  mysql = connect_client (location, password);
  ids = tutorial_ids (mysql);

  for (guint i = 0; i < n; i++)
    {
      gint64 id = g_array_index (ids, gint64, xorshift32 (&seed) % ids->len);
      gint64 start = g_get_monotonic_time ();
      double micros;

      sum_store += lookup_by_store (store, id);
      micros = g_get_monotonic_time () - start;
      g_array_append_val (by_store, micros);

      start = g_get_monotonic_time ();
      sum_client += lookup_by_client (mysql, id);
      micros = g_get_monotonic_time () - start;
      g_array_append_val (by_client, micros);
    }

  g_print ("{\"lookups\": %u, \"tutorials\": %u,\n"
           " \"store_us\": {\"median\": %.0f, \"p99\": %.0f},\n"
           " \"client_join_us\": {\"median\": %.0f, \"p99\": %.0f},\n"
           " \"median_ratio\": %.2f, \"checksums_equal\": %s}\n",
           n, ids->len,
           percentile (by_store, 0.5), percentile (by_store, 0.99),
           percentile (by_client, 0.5), percentile (by_client, 0.99),
           percentile (by_store, 0.5) / percentile (by_client, 0.5),
           sum_store == sum_client ? "true" : "false");
  mysql_close (mysql);
  return sum_store == sum_client ? 0 : 1;
}
