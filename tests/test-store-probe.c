/* test-store-probe.c: "Test connection", and giving up on a silent server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe on each kind of database (empty, ours, the Node.js app's, too
 * new, someone else's) must say what is there and change nothing; each
 * kind of failure must come back with its own error code. Then the
 * deadline: a server that accepts the connection and never says a word
 * must be given up on in TT_STORE_CONNECT_TIMEOUT_SECONDS, with the main
 * loop running all the while.
 */

#define _GNU_SOURCE /* RTLD_DEFAULT */

#include "config.h"

#include <dlfcn.h>
#include <grp.h>
#include <unistd.h>

#include <mysql.h>

#include <glib/gstdio.h>

#include "tt-gda-autocleanups.h"
#include "tt-error-table.h"
#include "tt-test-fixture.h"
#include "tt-store-probe.h"

/* ---- waiting for an answer ---------------------------------------------- */

typedef struct
{
  GAsyncResult *result;
  guint         ticks;   /* of a 100 ms timer while waiting */
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->ticks++;
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @wait has its answer; returns the seconds it
 * took. */
static double
wait_for (Wait *wait)
{
  gint64 start = g_get_monotonic_time ();
  guint tick = g_timeout_add (100, tick_cb, wait);

  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static TtStoreProbe *
probe (const TtDbLocation  *location,
       const char          *password,
       GError             **error)
{
  Wait wait = { NULL, 0 };
  TtStoreProbe *result;

  tt_store_probe_async (location, password, NULL, done_cb, &wait);
  wait_for (&wait);
  result = tt_store_probe_finish (wait.result, error);
  g_object_unref (wait.result);
  return result;
}

static TtStore *
open_async (const TtDbLocation  *location,
            const char          *password,
            GError             **error)
{
  Wait wait = { NULL, 0 };
  TtStore *store;

  tt_store_open_async (location, password, NULL, done_cb, &wait);
  wait_for (&wait);
  store = tt_store_open_finish (wait.result, error);
  g_object_unref (wait.result);
  return store;
}

/* What Preferences says when connecting fails: a sentence of ours and
 * the way forward, each ending in a full stop; the store's or the
 * server's own text (often without one) only as the detail. */
static void
assert_said_in_our_words (const GError *error)
{
  g_autofree char *detail = NULL;
  g_autofree char *said = tt_error_describe_connection (error, &detail);

  g_test_message ("Said: %s | Detail: %s", said, detail);
  g_assert_true (g_str_has_suffix (said, "."));
  g_assert_null (strstr (said, error->message));
  g_assert_nonnull (strstr (said, tt_error_get_hint (error)));
  g_assert_nonnull (detail);
  g_assert_true (g_str_has_prefix (detail, error->message));
  g_assert_true (g_str_has_suffix (detail, ".") || g_str_has_suffix (detail, ".”"));
}

/* The probe fails with @code, and there is a way forward to show. */
static void
assert_probe_fails (const TtDbLocation *location,
                    const char         *password,
                    TtStoreError        code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreProbe) result = probe (location, password, &error);

  g_assert_null (result);
  g_assert_error (error, TT_STORE_ERROR, code);
  g_test_message ("%s — %s", error->message, tt_error_get_hint (error));
  g_assert_nonnull (tt_error_get_hint (error));
  assert_said_in_our_words (error);
}

/* ---- plain SQL beside the store ----------------------------------------- */

static char *
raw_string (GdaConnection *connection,
            const char    *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaDataModel) model = gda_connection_execute_select_command (connection, sql, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  /* Every value of every row, so that a whole schema can be compared. */
  for (int row = 0; row < gda_data_model_get_n_rows (model); row++)
    for (int col = 0; col < gda_data_model_get_n_columns (model); col++)
      {
        g_autofree char *value = gda_value_stringify (gda_data_model_get_value_at (model, col, row, NULL));

        g_string_append_printf (text, "%s\n", value);
      }

  return g_string_free (text, FALSE);
}

static const char *
tables_sql (void)
{
  return tt_test_is_mysql ()
    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1"
    : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1";
}

/* The definition of every table, to show that nothing changed. */
static char *
schema_text (GdaConnection *raw)
{
  g_autofree char *tables = raw_string (raw, tables_sql ());
  g_auto(GStrv) names = g_strsplit (tables, "\n", -1);
  GString *text = g_string_new (NULL);

  if (!tt_test_is_mysql ())
    return raw_string (raw, "SELECT sql FROM sqlite_master ORDER BY name");

  for (guint i = 0; names[i] != NULL && *names[i] != '\0'; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SHOW CREATE TABLE `%s`", names[i]);
      g_autofree char *create = raw_string (raw, sql);

      g_string_append (text, create);
    }

  return g_string_free (text, FALSE);
}

/* A database without a table: the fixture's, with the table of another
 * program some tests add dropped too. */
static GdaConnection *
empty_database (void)
{
  GdaConnection *raw = tt_test_raw_empty_database ();

  if (raw != NULL)
    tt_test_raw_exec (raw, "DROP TABLE IF EXISTS probe_other_program");
  return raw;
}

/* ---- what the database holds -------------------------------------------- */

/* Tables of ours left behind when the catalogue's own were dropped by
 * hand: the database is empty to a user (before, it was "tables of
 * another program ()", naming none), and a catalogue made there works. */
static void
test_leftovers_of_ours_are_empty (void)
{
  g_autoptr(GdaConnection) raw = empty_database ();
  g_autoptr(TtStoreProbe) result = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(GError) error = NULL;

  if (raw == NULL)
    return;

  tt_test_raw_exec (raw, tt_test_is_mysql ()
                           ? "CREATE TABLE tt_search_stale (seq BIGINT NOT NULL auto_increment PRIMARY KEY,"
                             " tutorial_id INTEGER NOT NULL)"
                           : "CREATE TABLE tt_search_stale (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                             " tutorial_id INTEGER NOT NULL)");
  tt_test_raw_exec (raw, "INSERT INTO tt_search_stale (seq, tutorial_id) VALUES (1, 1)");
  result = probe (tt_test_location (), tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->content, ==, TT_STORE_PROBE_EMPTY);
  g_assert_cmpstrv (result->other_tables, ((const char * const[]) { NULL }));

  store = tt_store_open (tt_test_location (), tt_test_password (), &error);
  g_assert_no_error (error);
  tutorial = tt_store_create_tutorial (store, "Made here", NULL, &error);
  g_assert_no_error (error);
}

static void
test_empty (void)
{
  g_autoptr(GdaConnection) raw = empty_database ();
  g_autoptr(TtStoreProbe) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tables = NULL;

  if (raw == NULL)
    return;

  result = probe (tt_test_location (), tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->content, ==, TT_STORE_PROBE_EMPTY);
  g_assert_true (result->exists);
  g_assert_cmpstrv (result->other_tables, ((const char * const[]) { NULL }));
  g_assert_nonnull (result->server_version);

  /* Looking created nothing. */
  tables = raw_string (raw, tables_sql ());
  g_assert_cmpstr (tables, ==, "");
}

static void
test_catalogue (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtStoreProbe) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(TtTag) tag = NULL;
  const char *titles[] = { "One", "Two", "Three" };

  if (store == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autoptr(TtTutorial) tutorial = tt_store_create_tutorial (store, titles[i], NULL, &error);

      g_assert_no_error (error);
    }
  tag = tt_store_create_tag (store, "GTK", &error);
  g_assert_no_error (error);
  tt_store_close (store);

  raw = tt_test_raw_open ();
  before = schema_text (raw);
  result = probe (tt_test_location (), tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->content, ==, TT_STORE_PROBE_CATALOGUE);
  g_assert_cmpint (result->schema_version, ==, TT_SCHEMA_VERSION);
  g_assert_cmpint (result->n_tutorials, ==, 3);
  g_assert_cmpint (result->n_tags, ==, 1);
  after = schema_text (raw);
  g_assert_cmpstr (before, ==, after);
}


/* Two tutorials and a tag as the Node.js app writes them (its own
 * timestamp text on SQLite). */
static const char * const node_rows_mysql[] = {
  "INSERT INTO tutorials (title, description, createdAt, updatedAt) VALUES ('Tut#1', 'Tut#1 Description', NOW(), NOW())",
  "INSERT INTO tutorials (title, description, createdAt, updatedAt) VALUES ('Tut#2', 'Tut#2 Description', NOW(), NOW())",
  "INSERT INTO tags (name, createdAt, updatedAt) VALUES ('Tag#1', NOW(), NOW())",
  NULL
};

static const char * const node_rows_sqlite[] = {
  "INSERT INTO tutorials (title, description, createdAt, updatedAt) VALUES ('Tut#1', 'Tut#1 Description', '2020-04-24 03:27:52.123 +00:00', '2020-04-24 03:27:52.123 +00:00')",
  "INSERT INTO tutorials (title, description, createdAt, updatedAt) VALUES ('Tut#2', 'Tut#2 Description', '2020-04-24 03:27:52.123 +00:00', '2020-04-24 03:27:52.123 +00:00')",
  "INSERT INTO tags (name, createdAt, updatedAt) VALUES ('Tag#1', '2020-04-24 03:27:52.123 +00:00', '2020-04-24 03:27:52.123 +00:00')",
  NULL
};

static void
test_sequelize_database (void)
{
  g_autoptr(GdaConnection) raw = empty_database ();
  g_autoptr(TtStoreProbe) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (raw == NULL)
    return;

  tt_test_create_sequelize_tables (raw);
  for (const char * const *sql = tt_test_is_mysql () ? node_rows_mysql : node_rows_sqlite; *sql; sql++)
    tt_test_raw_exec (raw, *sql);

  before = schema_text (raw);
  result = probe (tt_test_location (), tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->content, ==, TT_STORE_PROBE_ADOPTABLE);
  g_assert_cmpint (result->schema_version, ==, 0);
  g_assert_cmpint (result->n_tutorials, ==, 2);
  g_assert_cmpint (result->n_tags, ==, 1);

  /* Not adopted: the description is still Sequelize's VARCHAR(255), the
   * utf8mb3 table still 3-byte, and there is no table of ours. */
  after = schema_text (raw);
  g_assert_cmpstr (before, ==, after);
  g_assert_null (strstr (after, "tt_schema_version"));
  g_assert_null (strstr (after, "name_key"));
}

static void
test_newer_schema (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtStoreProbe) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autofree char *version = NULL;

  if (store == NULL)
    return;

  tt_store_close (store);
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "UPDATE tt_schema_version SET version = 99");

  result = probe (tt_test_location (), tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->content, ==, TT_STORE_PROBE_TOO_NEW);
  g_assert_cmpint (result->schema_version, ==, 99);
  version = raw_string (raw, "SELECT version FROM tt_schema_version");
  g_assert_cmpstr (version, ==, "99\n");

  tt_test_raw_exec (raw, "UPDATE tt_schema_version SET version = 1");
}

static void
test_foreign_tables (void)
{
  g_autoptr(GdaConnection) raw = empty_database ();
  g_autoptr(TtStoreProbe) result = NULL;
  g_autoptr(GError) error = NULL;

  if (raw == NULL)
    return;

  /* Someone else's table, and one called like ours with other columns. */
  tt_test_raw_exec (raw, "CREATE TABLE probe_other_program (x INTEGER)");
  tt_test_raw_exec (raw, "CREATE TABLE tags (label VARCHAR(20))");

  result = probe (tt_test_location (), tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->content, ==, TT_STORE_PROBE_FOREIGN);
  g_assert_cmpstrv (result->other_tables, ((const char * const[]) { "probe_other_program", NULL }));

  /* The next program on this database finds none of it. */
  tt_test_raw_exec (raw, "DROP TABLE probe_other_program");
  tt_test_raw_exec (raw, "DROP TABLE tags");
}

/* ---- SQLite files --------------------------------------------------------- */

static char *
sqlite_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tt-probe-XXXXXX", &error);

  g_assert_no_error (error);
  /* Reachable by the unprivileged user of test_sqlite_permissions(). */
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  tt_test_make_ancestors_passable (dir);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  g_chmod (path, 0700);
  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      remove_tree (child);
      g_object_unref (info);
    }
  g_remove (path);
}

static gboolean
skip_unless_sqlite (void)
{
  if (!tt_test_is_mysql ())
    return FALSE;

  g_test_skip ("SQLite only");
  return TRUE;
}

static void
test_sqlite_missing_file (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(TtStoreProbe) result = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_unless_sqlite ())
    return;

  dir = sqlite_tmp_dir ();
  path = g_build_filename (dir, "not", "yet", "catalogue.db", NULL);
  folder = g_build_filename (dir, "not", NULL);
  location = tt_db_location_new_sqlite (path);
  result = probe (location, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->content, ==, TT_STORE_PROBE_EMPTY);
  g_assert_false (result->exists);
  /* Neither the file nor its folders were made. */
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

static void
test_sqlite_not_a_database (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *folder_path = NULL;
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(TtDbLocation) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const char *text = "These are my notes, not a database. They go on for a while so that "
                     "SQLite reads a whole header's worth of them.\n";

  if (skip_unless_sqlite ())
    return;

  dir = sqlite_tmp_dir ();
  path = g_build_filename (dir, "notes.db", NULL);
  folder_path = g_build_filename (dir, "folder.db", NULL);
  location = tt_db_location_new_sqlite (path);
  folder = tt_db_location_new_sqlite (folder_path);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  assert_probe_fails (location, NULL, TT_STORE_ERROR_CORRUPT);

  /* Untouched. */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, text);

  g_assert_cmpint (g_mkdir (folder_path, 0755), ==, 0);
  assert_probe_fails (folder, NULL, TT_STORE_ERROR_CORRUPT);
  remove_tree (dir);
}

/* Root may read and write anything, so as root the checks run in a child
 * process that has become "nobody". */
static void
become_unprivileged (void)
{
  if (getuid () != 0)
    return;

  g_assert_cmpint (setgroups (0, NULL), ==, 0);
  g_assert_cmpint (setgid (65534), ==, 0);
  g_assert_cmpint (setuid (65534), ==, 0);
}

static void
probe_permissions_unprivileged (const char *dir)
{
  g_autofree char *read_only = g_build_filename (dir, "read-only.db", NULL);
  g_autofree char *unreadable = g_build_filename (dir, "unreadable.db", NULL);
  g_autofree char *in_locked = g_build_filename (dir, "locked", "catalogue.db", NULL);
  g_autofree char *new_in_locked = g_build_filename (dir, "locked", "new.db", NULL);
  g_autoptr(TtDbLocation) read_only_location = tt_db_location_new_sqlite (read_only);
  g_autoptr(TtDbLocation) unreadable_location = tt_db_location_new_sqlite (unreadable);
  g_autoptr(TtDbLocation) in_locked_location = tt_db_location_new_sqlite (in_locked);
  g_autoptr(TtDbLocation) new_in_locked_location = tt_db_location_new_sqlite (new_in_locked);

  become_unprivileged ();
  assert_probe_fails (read_only_location, NULL, TT_STORE_ERROR_READ_ONLY);
  assert_probe_fails (unreadable_location, NULL, TT_STORE_ERROR_NO_PERMISSION);
  /* A writable file in a folder where SQLite cannot write its journal. */
  assert_probe_fails (in_locked_location, NULL, TT_STORE_ERROR_READ_ONLY);
  assert_probe_fails (new_in_locked_location, NULL, TT_STORE_ERROR_READ_ONLY);
}

static void
make_catalogue (const char *dir,
                const char *name,
                int         mode)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(TtDbLocation) location = tt_db_location_new_sqlite (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (location, NULL, &error);

  g_assert_no_error (error);
  tt_store_close (store);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static void
test_sqlite_permissions (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *locked = NULL;

  if (g_test_subprocess ())
    {
      probe_permissions_unprivileged (g_getenv ("TT_PROBE_DIR"));
      return;
    }
  if (skip_unless_sqlite ())
    return;

  dir = sqlite_tmp_dir ();
  locked = g_build_filename (dir, "locked", NULL);
  make_catalogue (dir, "read-only.db", 0444);
  make_catalogue (dir, "unreadable.db", 0000);
  g_assert_cmpint (g_mkdir (locked, 0755), ==, 0);
  make_catalogue (locked, "catalogue.db", 0666);
  g_assert_cmpint (g_chmod (locked, 0555), ==, 0);

  g_setenv ("TT_PROBE_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  remove_tree (dir);
}

/* ---- MySQL failures -------------------------------------------------------- */

static TtDbLocation *
mysql_location (void)
{
  TtDbLocation *location;

  if (!tt_test_is_mysql ())
    {
      g_test_skip ("MySQL only");
      return NULL;
    }
  if ((location = tt_test_location ()) == NULL)
    return NULL;

  return tt_db_location_copy (location);
}

/* A name of our own for what a test creates beside its database: the
 * database's name (from tests/meson.build) with a suffix. */
static char *
test_name (const char *suffix)
{
  const char *database = g_getenv ("TT_TEST_MYSQL_DATABASE");

  /* It is pasted into SQL below: only plain names. */
  g_assert_true (g_regex_match_simple ("^[a-z0-9_]+$", database, 0, 0));
  return g_strconcat (database, suffix, NULL);
}

static void
test_mysql_wrong_password (void)
{
  g_autoptr(TtDbLocation) location = mysql_location ();

  if (location == NULL)
    return;

  assert_probe_fails (location, "not-the-password", TT_STORE_ERROR_ACCESS_DENIED);
}

static void
test_mysql_no_database (void)
{
  g_autoptr(TtDbLocation) location = mysql_location ();

  if (location == NULL)
    return;

  g_free (location->database);
  location->database = test_name ("_missing");
  assert_probe_fails (location, tt_test_password (), TT_STORE_ERROR_NO_DATABASE);
}

static void
test_mysql_no_permission (void)
{
  g_autoptr(TtDbLocation) location = mysql_location ();
  g_autoptr(GdaConnection) raw = NULL;
  g_autofree char *user = NULL;
  g_autofree char *create = NULL;
  g_autofree char *drop = NULL;

  if (location == NULL)
    return;

  /* A user that may log in and do nothing else. */
  raw = tt_test_raw_open ();
  user = test_name ("_nogrant");
  create = g_strdup_printf ("CREATE USER IF NOT EXISTS '%s'@'%%' IDENTIFIED BY 'tt-nogrant'", user);
  drop = g_strdup_printf ("DROP USER IF EXISTS '%s'@'%%'", user);
  tt_test_raw_exec (raw, create);

  g_free (location->user);
  location->user = g_strdup (user);
  assert_probe_fails (location, "tt-nogrant", TT_STORE_ERROR_NO_PERMISSION);
  /* Not to be confused with a wrong password. */
  assert_probe_fails (location, "not-the-password", TT_STORE_ERROR_ACCESS_DENIED);
  tt_test_raw_exec (raw, drop);
}

/* A port nobody listens on: bound, then closed again. */
static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

/* Whether the resolver says at once that @name does not exist: without a
 * reachable name server it may take longer than the deadline. */
static gboolean
resolver_answers_quickly (const char *name)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autolist(GInetAddress) addresses = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  addresses = g_resolver_lookup_by_name (resolver, name, NULL, &error);
  return g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) &&
         g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC;
}

static void
test_mysql_unreachable (void)
{
  /* .invalid is reserved for names that do not exist. */
  const char *unknown = "no-such-server.invalid";
  g_autoptr(TtDbLocation) location = mysql_location ();

  if (location == NULL)
    return;

  location->port = free_port ();
  assert_probe_fails (location, tt_test_password (), TT_STORE_ERROR_CONNECTION_FAILED);

  if (!resolver_answers_quickly (unknown))
    {
      g_test_message ("The resolver is slow or unreachable: unknown host not checked");
      return;
    }
  g_free (location->host);
  location->host = g_strdup (unknown);
  assert_probe_fails (location, tt_test_password (), TT_STORE_ERROR_UNKNOWN_HOST);
}

/* Our server has no TLS, and a location that does not ask for TLS must
 * still reach it. Connector/C 3.4 (Debian 13, the Flatpak) refuses such a
 * server unless told otherwise (tt-store-mysql-client.c). */
static void
test_mysql_plain_server (void)
{
  g_autoptr(TtDbLocation) location = mysql_location ();
  g_autoptr(TtStoreProbe) result = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *have_ssl = NULL;

  if (location == NULL)
    return;

  g_assert_false (location->require_tls);
  result = probe (location, tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  store = open_async (location, tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  /* The premise, without which this test would prove nothing. */
  raw = tt_test_raw_open ();
  have_ssl = raw_string (raw, "SHOW VARIABLES LIKE 'have_ssl'");
  g_assert_cmpstr (have_ssl, ==, "have_ssl\nDISABLED\n");
}

/* The same on a client library built as upstream builds Connector/C 3.4
 * (the Flatpak's): it verifies certificates by default, and so refuses a
 * server without TLS. Debian 13 builds it with verification off, so the
 * handle is set up here as that library makes it, then connected the way
 * libgda's MySQL provider does it. The call must land in this program's
 * mysql_real_connect() (tt-store-mysql-client.c), as the provider's does. */
static void
test_mysql_plain_server_strict_client (void)
{
  g_autoptr(TtDbLocation) location = mysql_location ();
  MYSQL *mysql;
  my_bool verify = 1;
  unsigned int protocol = MYSQL_PROTOCOL_TCP;
  gboolean connected;

  if (location == NULL)
    return;

  /* What a module loaded at run time (the provider) gets for the name. */
  g_assert_true (dlsym (RTLD_DEFAULT, "mysql_real_connect") == (void *) mysql_real_connect);

  mysql = mysql_init (NULL);
  mysql_optionsv (mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  mysql_optionsv (mysql, MYSQL_OPT_PROTOCOL, &protocol);
  connected = mysql_real_connect (mysql, location->host, location->user, tt_test_password (),
                                  location->database, location->port, NULL, CLIENT_FOUND_ROWS) != NULL;
  if (!connected)
    g_test_message ("refused: %s", mysql_error (mysql));
  g_assert_true (connected);
  g_assert_null (mysql_get_ssl_cipher (mysql));
  mysql_close (mysql);
}

/* Our server has no TLS: a location that requires it must be refused,
 * never served in plain text. */
static void
test_mysql_require_tls (void)
{
  g_autoptr(TtDbLocation) location = mysql_location ();
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (location == NULL)
    return;

  location->require_tls = TRUE;
  assert_probe_fails (location, tt_test_password (), TT_STORE_ERROR_TLS_UNAVAILABLE);

  store = open_async (location, tt_test_password (), &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TLS_UNAVAILABLE);
  g_assert_null (store);
}

/* A Unix socket never leaves the machine: it counts as secure, as for
 * MySQL's require_secure_transport. */
static void
test_mysql_require_tls_socket (void)
{
  g_autoptr(TtDbLocation) location = mysql_location ();
  g_autoptr(TtStoreProbe) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *socket = g_getenv ("TT_TEST_MYSQL_SOCKET");

  if (location == NULL)
    return;
  if (socket == NULL)
    {
      g_test_skip ("TT_TEST_MYSQL_SOCKET is not set");
      return;
    }

  location->socket = g_strdup (socket);
  location->require_tls = TRUE;
  result = probe (location, tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

/* ---- a server that never answers ----------------------------------------- */

/* Accepts connections and keeps them open without writing a byte (a MySQL
 * server greets first, so the client waits forever). */
typedef struct
{
  GSocketListener *listener;
  GPtrArray       *connections;
  guint16          port;
} SilentServer;

static void
accepted_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SilentServer *server = user_data;
  GSocketConnection *connection;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, NULL);
  if (connection == NULL)
    return;

  g_ptr_array_add (server->connections, connection);
  g_socket_listener_accept_async (server->listener, NULL, accepted_cb, server);
}

static void
silent_server_start (SilentServer *server)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  server->listener = g_socket_listener_new ();
  server->connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_socket_listener_add_address (server->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_listener_accept_async (server->listener, NULL, accepted_cb, server);
}

/* Closing the connections lets the abandoned attempt's thread finish. */
static void
silent_server_stop (SilentServer *server)
{
  g_socket_listener_close (server->listener);
  g_clear_object (&server->listener);
  g_clear_pointer (&server->connections, g_ptr_array_unref);
}

static TtDbLocation *
silent_location (SilentServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("mysql://tt@127.0.0.1:%u/tt_silent", server->port);
  TtDbLocation *location = tt_db_location_parse (uri, &error);

  g_assert_no_error (error);
  return location;
}

/* Given up on in 10 ± 1 seconds, and the main loop ran meanwhile (a 100 ms
 * timer ticked). */
static void
assert_timed_out (Wait   *wait,
                  double  seconds)
{
  g_test_message ("Gave up after %.2f s; the 100 ms timer ticked %u times", seconds, wait->ticks);
  g_assert_cmpfloat (seconds, >=, TT_STORE_CONNECT_TIMEOUT_SECONDS - 1);
  g_assert_cmpfloat (seconds, <=, TT_STORE_CONNECT_TIMEOUT_SECONDS + 1);
  g_assert_cmpuint (wait->ticks, >=, (TT_STORE_CONNECT_TIMEOUT_SECONDS - 1) * 8);
}

/* The next attempt is not held up by the one still stuck: each has its
 * own thread. */
static void
assert_next_open_works (void)
{
  g_autoptr(TtStore) probe_store = tt_test_open_store ();
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (probe_store == NULL)
    return;

  tt_store_close (probe_store);
  store = open_async (tt_test_location (), tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_probe_timeout (void)
{
  SilentServer server = { NULL };
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(TtStoreProbe) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL, 0 };
  double seconds;

  silent_server_start (&server);
  location = silent_location (&server);

  tt_store_probe_async (location, "secret", NULL, done_cb, &wait);
  seconds = wait_for (&wait);
  result = tt_store_probe_finish (wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TIMED_OUT);
  g_assert_null (result);
  g_assert_nonnull (tt_error_get_hint (error));
  assert_timed_out (&wait, seconds);
  /* The silent server really had the connection all that time. */
  g_assert_cmpuint (server.connections->len, ==, 1);

  assert_next_open_works ();
  silent_server_stop (&server);
}

static void
test_open_timeout (void)
{
  SilentServer server = { NULL };
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL, 0 };
  double seconds;

  silent_server_start (&server);
  location = silent_location (&server);

  tt_store_open_async (location, "secret", NULL, done_cb, &wait);
  seconds = wait_for (&wait);
  store = tt_store_open_finish (wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TIMED_OUT);
  g_assert_cmpstr (error->message, ==, "The server did not answer within 10 seconds");
  g_assert_null (store);
  assert_timed_out (&wait, seconds);

  assert_next_open_works ();
  silent_server_stop (&server);
}

/* The synchronous open (the CLI's) has the same deadline: it used to
 * wait as long as the network did. */
static void
test_open_sync_timeout (void)
{
  SilentServer server = { NULL };
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  double seconds;

  silent_server_start (&server);
  location = silent_location (&server);

  start = g_get_monotonic_time ();
  store = tt_store_open (location, "secret", &error);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TIMED_OUT);
  g_assert_null (store);
  g_test_message ("Gave up after %.2f s", seconds);
  g_assert_cmpfloat (seconds, >=, TT_STORE_CONNECT_TIMEOUT_SECONDS - 1);
  g_assert_cmpfloat (seconds, <=, TT_STORE_CONNECT_TIMEOUT_SECONDS + 1);
  silent_server_stop (&server);
}

static void
test_cancel (void)
{
  SilentServer server = { NULL };
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL, 0 };
  double seconds;

  silent_server_start (&server);
  location = silent_location (&server);

  tt_store_probe_async (location, "secret", cancellable, done_cb, &wait);
  g_timeout_add_once (300, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  seconds = wait_for (&wait);
  g_assert_null (tt_store_probe_finish (wait.result, &error));
  g_clear_object (&wait.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (seconds, <, 2);
  silent_server_stop (&server);
}

/* ---- hints ------------------------------------------------------------------ */

static void
test_hints (void)
{
  static const TtStoreError codes[] = {
    TT_STORE_ERROR_CONNECTION_FAILED, TT_STORE_ERROR_ACCESS_DENIED,
    TT_STORE_ERROR_NO_DATABASE, TT_STORE_ERROR_NO_PERMISSION,
    TT_STORE_ERROR_UNKNOWN_HOST, TT_STORE_ERROR_TIMED_OUT,
    TT_STORE_ERROR_TLS_UNAVAILABLE, TT_STORE_ERROR_READ_ONLY,
    TT_STORE_ERROR_CORRUPT, TT_STORE_ERROR_DISK_FULL,
    TT_STORE_ERROR_SCHEMA_TOO_NEW, TT_STORE_ERROR_CONNECTION_LOST,
  };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  /* Each failure has a way forward of its own. */
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (TT_STORE_ERROR, codes[i], "x");
      const char *hint = tt_error_get_hint (error);

      g_assert_nonnull (hint);
      g_assert_false (g_hash_table_contains (seen, hint));
      g_hash_table_add (seen, (gpointer) hint);
    }

  g_assert_null (tt_error_get_hint (other));
  g_assert_null (tt_error_get_summary (other));
  /* Connecting failed for another reason: its own text, as a sentence. */
  {
    g_autofree char *detail = NULL;
    g_autofree char *said = tt_error_describe_connection (other, &detail);

    g_assert_cmpstr (said, ==, "x.");
    g_assert_null (detail);
  }
  g_assert_cmpint (tt_error_get_exit_status (other), ==, TT_EXIT_FAILED);

  /* The one table also gives the toast's sentence (invalid input says
   * what is wrong in its own message) and the CLI's exit status. */
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (TT_STORE_ERROR, codes[i], "x");

      g_assert_true ((tt_error_get_summary (error) == NULL) ==
                     (codes[i] == TT_STORE_ERROR_INVALID_INPUT));
    }
  {
    g_autoptr(GError) lost = g_error_new_literal (TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST, "x");
    g_autoptr(GError) newer = g_error_new_literal (TT_STORE_ERROR, TT_STORE_ERROR_SCHEMA_TOO_NEW, "x");

    g_assert_cmpint (tt_error_get_exit_status (lost), ==, TT_EXIT_CONNECTION);
    g_assert_cmpint (tt_error_get_exit_status (newer), ==, TT_EXIT_SCHEMA_TOO_NEW);
  }
}

int
main (int    argc,
      char **argv)
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/probe/empty", test_empty);
  g_test_add_func ("/probe/leftovers-of-ours", test_leftovers_of_ours_are_empty);
  g_test_add_func ("/probe/catalogue", test_catalogue);
  g_test_add_func ("/probe/sequelize-database", test_sequelize_database);
  g_test_add_func ("/probe/newer-schema", test_newer_schema);
  g_test_add_func ("/probe/foreign-tables", test_foreign_tables);
  g_test_add_func ("/probe/sqlite/missing-file", test_sqlite_missing_file);
  g_test_add_func ("/probe/sqlite/not-a-database", test_sqlite_not_a_database);
  g_test_add_func ("/probe/sqlite/permissions", test_sqlite_permissions);
  g_test_add_func ("/probe/mysql/wrong-password", test_mysql_wrong_password);
  g_test_add_func ("/probe/mysql/no-database", test_mysql_no_database);
  g_test_add_func ("/probe/mysql/no-permission", test_mysql_no_permission);
  g_test_add_func ("/probe/mysql/unreachable", test_mysql_unreachable);
  g_test_add_func ("/probe/mysql/plain-server", test_mysql_plain_server);
  g_test_add_func ("/probe/mysql/plain-server-strict-client", test_mysql_plain_server_strict_client);
  g_test_add_func ("/probe/mysql/require-tls", test_mysql_require_tls);
  g_test_add_func ("/probe/mysql/require-tls-socket", test_mysql_require_tls_socket);
  g_test_add_func ("/probe/timeout", test_probe_timeout);
  g_test_add_func ("/probe/open-timeout", test_open_timeout);
  g_test_add_func ("/probe/open-sync-timeout", test_open_sync_timeout);
  g_test_add_func ("/probe/cancel", test_cancel);
  g_test_add_func ("/probe/hints", test_hints);

  return g_test_run ();
}
