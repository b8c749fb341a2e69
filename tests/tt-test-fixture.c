/* tt-test-fixture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <unistd.h>

#include <glib/gstdio.h>

#include "tt-gda-autocleanups.h"
#include "tt-secret.h"
#include "tt-test-fixture.h"

static TtDbLocation *current;
static char *tmp_dir;
static guint n_opened;

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (tmp_dir == NULL || !(dir = g_dir_open (tmp_dir, 0, NULL)))
    return;

  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tmp_dir);
}

void
tt_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmp_dir = g_dir_make_tmp ("tt-test-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  atexit (remove_tmp_dir);
}

gboolean
tt_test_is_mysql (void)
{
  return g_strcmp0 (g_getenv ("TT_TEST_BACKEND"), "mysql") == 0;
}

const char *
tt_test_password (void)
{
  return tt_test_is_mysql () ? g_getenv ("TT_TEST_MYSQL_PASSWORD") : NULL;
}

/* Outside CI a missing server is a skip, so a developer without MariaDB
 * can still run the SQLite half; in CI it is a failure. */
static TtDbLocation *
mysql_location (void)
{
  const char *base = g_getenv ("TT_TEST_MYSQL_URI");
  const char *database = g_getenv ("TT_TEST_MYSQL_DATABASE");
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  TtDbLocation *location;

  if (base == NULL || database == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("CI=true but TT_TEST_MYSQL_URI is not set: the MariaDB tests must run in CI");
      g_test_skip ("TT_TEST_MYSQL_URI is not set (run build-aux/run-tests.sh)");
      return NULL;
    }

  uri = g_strdup_printf ("%s/%s", base, database);
  location = tt_db_location_parse (uri, &error);
  g_assert_no_error (error);
  return location;
}

TtDbLocation *
tt_test_location (void)
{
  if (current != NULL)
    return current;

  if (tt_test_is_mysql ())
    current = mysql_location ();
  else
    {
      g_autofree char *name = g_strdup_printf ("catalogue-%u.db", ++n_opened);
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

      current = tt_db_location_new_sqlite (path);
    }

  return current;
}

char *
tt_test_location_uri (const TtDbLocation *location)
{
  return tt_db_location_to_string (location);
}

/* A plain libgda connection beside the store, for what only a test (or
 * another program, such as the Node.js app) would do. */
GdaConnection *
tt_test_raw_open (void)
{
  const TtDbLocation *location = tt_test_location ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cnc = NULL;
  g_autofree char *auth = NULL;
  GdaConnection *connection;

  if (location->backend == TT_DB_BACKEND_SQLITE)
    {
      g_autofree char *dir = g_path_get_dirname (location->path);
      g_autofree char *base = g_path_get_basename (location->path);

      base[strlen (base) - strlen (".db")] = '\0';
      cnc = g_strdup_printf ("DB_DIR=%s;DB_NAME=%s", dir, base);
    }
  else
    {
      cnc = g_strdup_printf ("HOST=%s;PORT=%u;DB_NAME=%s", location->host,
                             location->port, location->database);
      auth = g_strdup_printf ("USERNAME=%s;PASSWORD=%s", location->user, tt_test_password ());
    }

  gda_init ();
  connection = gda_connection_open_from_string (location->backend == TT_DB_BACKEND_SQLITE ? "SQLite" : "MySQL",
                                                cnc, auth, GDA_CONNECTION_OPTIONS_NONE, &error);
  g_assert_no_error (error);
  if (location->backend == TT_DB_BACKEND_MYSQL)
    gda_connection_execute_non_select_command (connection, "SET NAMES utf8mb4", &error);
  g_assert_no_error (error);
  return connection;
}

/* Each test program has a database of its own (TT_TEST_MYSQL_DATABASE):
 * made here, so a new test needs no change to the server script. */
static void
ensure_mysql_database (void)
{
  const TtDbLocation *location = tt_test_location ();
  g_autofree char *cnc = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(GError) error = NULL;

  /* A name is an identifier, which cannot be bound: allow only these. */
  for (const char *p = location->database; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '_');

  cnc = g_strdup_printf ("HOST=%s;PORT=%u;DB_NAME=mysql", location->host, location->port);
  auth = g_strdup_printf ("USERNAME=%s;PASSWORD=%s", location->user, tt_test_password ());
  gda_init ();
  raw = gda_connection_open_from_string ("MySQL", cnc, auth, GDA_CONNECTION_OPTIONS_NONE, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4", location->database);
  gda_connection_execute_non_select_command (raw, sql, &error);
  g_assert_no_error (error);
}

/* Every table a catalogue has, in an order that drops tutorial_tag
 * before the tables it refers to. */
static const char * const catalogue_tables[] = {
  "tutorial_tag", "tags", "tutorials", "tt_schema_version", "tt_change_journal",
  "tt_tag_colour", "tt_search_text", "tt_search_stale",
};

static void
drop_catalogue_tables (GdaConnection *raw)
{
  for (guint i = 0; i < G_N_ELEMENTS (catalogue_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS %s", catalogue_tables[i]);
      g_autoptr(GError) error = NULL;

      gda_connection_execute_non_select_command (raw, sql, &error);
      g_assert_no_error (error);
    }
}

/* The shared MySQL test database may hold anything a failed run left,
 * even a schema too new to open: drop it all with a plain connection. */
void
tt_test_drop_mysql_tables (void)
{
  g_autoptr(GdaConnection) raw = tt_test_raw_open ();

  drop_catalogue_tables (raw);
}

/* A fresh catalogue: a new file on SQLite; the test database emptied on
 * MySQL. */
TtStore *
tt_test_open_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;

  g_clear_pointer (&current, tt_db_location_free);
  if (tt_test_location () == NULL)
    return NULL;

  if (tt_test_is_mysql ())
    {
      ensure_mysql_database ();
      tt_test_drop_mysql_tables ();
    }

  store = tt_store_open (current, tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return g_steal_pointer (&store);
}

TtStore *
tt_test_reopen_store (void)
{
  g_autoptr(GError) error = NULL;
  TtStore *store;

  g_assert_nonnull (current);
  store = tt_store_open (current, tt_test_password (), &error);
  g_assert_no_error (error);
  return store;
}

/* GLib 2.84's tests get a temporary folder of their own, open to its
 * owner only (GLib 2.74's is /tmp itself). Search permission only:
 * nothing in them can be listed. */
void
tt_test_make_ancestors_passable (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  GStatBuf info;

  while (g_stat (folder, &info) == 0 && info.st_uid == getuid () && (info.st_mode & S_IXOTH) == 0)
    {
      char *parent = g_path_get_dirname (folder);

      g_assert_cmpint (g_chmod (folder, (info.st_mode & 07777) | S_IXOTH), ==, 0);
      g_free (folder);
      folder = parent;
    }
}

void
tt_test_keep_result (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void
tt_test_wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* Stores and removes an entry of its own: a keyring that is there but
 * locked is of no use to a test either. Such a keyring asks to be
 * unlocked (or created) in a window that nobody will answer here, so the
 * question is withdrawn after a few seconds. NULL when it worked. */
static GError *
check_keyring (void)
{
  g_autoptr(TtDbLocation) nowhere = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint timer;

  nowhere = tt_db_location_parse ("mysql://tt-keyring-check@keyring-check.invalid:1/none", &error);
  g_assert_no_error (error);
  timer = g_timeout_add_seconds (5, cancel_cb, cancellable);
  tt_secret_store_async (nowhere, "keyring-check", cancellable, tt_test_keep_result, &stored);
  tt_test_wait_for (&stored);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (timer);

  if (tt_secret_store_finish (stored, &error))
    {
      tt_secret_clear_async (nowhere, NULL, tt_test_keep_result, &cleared);
      tt_test_wait_for (&cleared);
      tt_secret_clear_finish (cleared, &error);
      g_assert_no_error (error);
      return NULL;
    }

  g_assert_true (error->domain == TT_SECRET_ERROR ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  return g_steal_pointer (&error);
}

/* Checked once per test program. */
gboolean
tt_test_keyring_available (void)
{
  static gsize checked;
  static GError *problem;

  if (g_once_init_enter (&checked))
    {
      problem = check_keyring ();
      g_once_init_leave (&checked, 1);
    }

  if (problem == NULL)
    return TRUE;

  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("CI=true but the keyring cannot be used: %s", problem->message);
  g_test_skip_printf ("No usable keyring (run build-aux/run-tests.sh, or dbus-run-session"
                      " with gnome-keyring-daemon --unlock): %s", problem->message);
  return FALSE;
}

void
tt_test_import_tutorials (TtStore    *store,
                          const char *prefix,
                          guint       n)
{
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("%s %04u", prefix, i);
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, "");

      g_list_store_append (tutorials, tutorial);
    }
  g_assert_true (tt_store_import (store, G_LIST_MODEL (tutorials), NULL, &error));
  g_assert_no_error (error);
}

/* The Node.js tutorial's scenario: Tut#1..4 (descriptions D1..D4),
 * Tag#1 on Tut#1..3 and Tag#2 on Tut#3, Tut#4, Tut#1. Linked by the ids
 * the database gave, which are 1..4 and 1..2 on a fresh catalogue of one
 * server (the tests that compare ids count on it), not on a Galera
 * cluster (auto-increment steps by the number of nodes). */
void
tt_test_seed (TtStore *store)
{
  static const int links[][2] = { {1, 1}, {1, 2}, {1, 3}, {2, 3}, {2, 4}, {2, 1} };
  g_autoptr(GError) error = NULL;
  gint64 tutorial_ids[5] = { 0 };
  gint64 tag_ids[3] = { 0 };

  for (int i = 1; i <= 4; i++)
    {
      g_autofree char *title = g_strdup_printf ("Tut#%d", i);
      g_autofree char *description = g_strdup_printf ("D%d", i);
      g_autoptr(TtTutorial) tutorial = tt_store_create_tutorial (store, title, description, &error);

      g_assert_no_error (error);
      tutorial_ids[i] = tt_tutorial_get_id (tutorial);
    }
  for (int i = 1; i <= 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("Tag#%d", i);
      g_autoptr(TtTag) tag = tt_store_create_tag (store, name, &error);

      g_assert_no_error (error);
      tag_ids[i] = tt_tag_get_id (tag);
    }
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      tt_store_link (store, tutorial_ids[links[i][1]], tag_ids[links[i][0]], &error);
      g_assert_no_error (error);
    }
}

static void
dump_time (GString   *out,
           GDateTime *time)
{
  g_autofree char *text = time != NULL ? g_date_time_format_iso8601 (time) : NULL;

  g_string_append_printf (out, "@%s", text != NULL ? text : "-");
}

static void
dump_tutorials (GString  *out,
                TtStore  *store,
                gboolean  with_updated)
{
  TtTutorialQuery query = { .with_tags = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tutorials = tt_store_list_tutorials (store, &query, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);
      GListModel *tags = tt_tutorial_get_tags (tutorial);

      g_string_append_printf (out, "tutorial %" G_GINT64_FORMAT " %s/%s", tt_tutorial_get_id (tutorial),
                              tt_tutorial_get_title (tutorial), tt_tutorial_get_description (tutorial));
      dump_time (out, tt_tutorial_get_created_at (tutorial));
      if (with_updated)
        dump_time (out, tt_tutorial_get_updated_at (tutorial));
      g_string_append (out, " [");
      for (guint j = 0; j < g_list_model_get_n_items (tags); j++)
        {
          g_autoptr(TtTag) tag = g_list_model_get_item (tags, j);

          g_string_append_printf (out, " %" G_GINT64_FORMAT, tt_tag_get_id (tag));
        }
      g_string_append (out, " ]\n");
    }
}

static void
dump_tags (GString  *out,
           TtStore  *store,
           gboolean  with_updated)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tags = tt_store_list_tags (store, FALSE, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      g_string_append_printf (out, "tag %" G_GINT64_FORMAT " %s (%u)", tt_tag_get_id (tag),
                              tt_tag_get_name (tag), tt_tag_get_tutorial_count (tag));
      dump_time (out, tt_tag_get_created_at (tag));
      if (with_updated)
        dump_time (out, tt_tag_get_updated_at (tag));
      if (tt_tag_get_colour (tag) != NULL)
        g_string_append_printf (out, " colour %s", tt_tag_get_colour (tag));
      g_string_append_c (out, '\n');
    }
}

/* Every tutorial with its tags, every tag with its count, and their
 * times (updatedAt only @with_updated): two dumps are equal when the
 * catalogue is. */
char *
tt_test_dump_catalogue (TtStore  *store,
                        gboolean  with_updated)
{
  GString *out = g_string_new (NULL);

  dump_tutorials (out, store, with_updated);
  dump_tags (out, store, with_updated);
  return g_string_free (out, FALSE);
}

/* ---- a second client that speaks plain SQL, as the Node.js app does ---- */

/* Any statement, with or without rows; a failure ends the test. */
void
tt_test_raw_exec (GdaConnection *raw,
                  const char    *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaSqlParser) parser = gda_connection_create_parser (raw);
  g_autoptr(GdaStatement) stmt = NULL;
  g_autoptr(GObject) result = NULL;

  if (parser == NULL)
    parser = gda_sql_parser_new ();
  stmt = gda_sql_parser_parse_string (parser, sql, NULL, &error);
  g_assert_no_error (error);
  result = gda_connection_statement_execute (raw, stmt, NULL,
                                             GDA_STATEMENT_MODEL_RANDOM_ACCESS, NULL, &error);
  if (error != NULL)
    g_error ("%s: %s", sql, error->message);
}

/* The fixture's catalogue with every table of ours dropped, through a
 * plain connection; NULL when the test must skip. */
GdaConnection *
tt_test_raw_empty_database (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  GdaConnection *raw;

  if (store == NULL)
    return NULL;

  tt_store_close (store);
  raw = tt_test_raw_open ();
  drop_catalogue_tables (raw);
  return raw;
}

/* What Sequelize 6's sync() creates for the tutorial's models (tests/node
 * runs the real thing). */
static const char * const sequelize_mysql[] = {
  "CREATE TABLE IF NOT EXISTS `tutorials` (`id` INTEGER NOT NULL auto_increment , `title` VARCHAR(255),"
  " `description` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL,"
  " PRIMARY KEY (`id`)) ENGINE=InnoDB",
  /* An older server default: 3-byte utf8. */
  "CREATE TABLE IF NOT EXISTS `tags` (`id` INTEGER NOT NULL auto_increment , `name` VARCHAR(255),"
  " `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, PRIMARY KEY (`id`))"
  " ENGINE=InnoDB DEFAULT CHARSET=utf8mb3",
  "CREATE TABLE IF NOT EXISTS `tutorial_tag` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL,"
  " `tutorial_id` INTEGER , `tag_id` INTEGER , PRIMARY KEY (`tutorial_id`, `tag_id`),"
  " FOREIGN KEY (`tutorial_id`) REFERENCES `tutorials` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,"
  " FOREIGN KEY (`tag_id`) REFERENCES `tags` (`id`) ON DELETE CASCADE ON UPDATE CASCADE) ENGINE=InnoDB",
  NULL
};

static const char * const sequelize_sqlite[] = {
  "CREATE TABLE IF NOT EXISTS `tutorials` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(255),"
  " `description` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL)",
  "CREATE TABLE IF NOT EXISTS `tags` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255),"
  " `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL)",
  "CREATE TABLE IF NOT EXISTS `tutorial_tag` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL,"
  " `tutorial_id` INTEGER NOT NULL REFERENCES `tutorials` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,"
  " `tag_id` INTEGER NOT NULL REFERENCES `tags` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,"
  " PRIMARY KEY (`tutorial_id`, `tag_id`))",
  NULL
};

void
tt_test_create_sequelize_tables (GdaConnection *raw)
{
  for (const char * const *sql = tt_test_is_mysql () ? sequelize_mysql : sequelize_sqlite; *sql; sql++)
    tt_test_raw_exec (raw, *sql);
}

/* Runs the test command's stop/start/restart script for the MySQL
 * server named by @variable; without one the test skips (fails in CI). */
gboolean
tt_test_can_stop_server (void)
{
  if (!tt_test_is_mysql ())
    {
      g_test_skip ("needs the MySQL test server");
      return FALSE;
    }
  if (g_getenv ("TT_TEST_MYSQL_STOP") == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("TT_TEST_MYSQL_STOP is not set: run the tests through build-aux/run-tests.sh");
      g_test_skip ("needs control over the MySQL test server");
      return FALSE;
    }
  return TRUE;
}

gboolean
tt_test_server_control (const char *variable)
{
  const char *command = g_getenv (variable);
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (command == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("%s is not set: run the tests through build-aux/run-tests.sh", variable);
      g_test_skip ("no control over the test server");
      return FALSE;
    }

  g_spawn_command_line_sync (command, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return TRUE;
}

/* The first column of the first row of @sql, as a number. */
gint64
tt_test_raw_int64 (GdaConnection *raw,
                   const char    *sql)
{
  g_autofree char *text = tt_test_raw_string (raw, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

/* The first value of the first row, as text. */
char *
tt_test_raw_string (GdaConnection *raw,
                    const char    *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaDataModel) model = gda_connection_execute_select_command (raw, sql, &error);
  const GValue *value;

  g_assert_no_error (error);
  value = gda_data_model_get_value_at (model, 0, 0, &error);
  g_assert_no_error (error);
  return gda_value_stringify (value);
}

void
tt_test_make_tables_again (GdaConnection *raw)
{
  tt_test_raw_exec (raw, "DROP TABLE tutorial_tag");
  tt_test_raw_exec (raw, "DROP TABLE tags");
  tt_test_raw_exec (raw, "DROP TABLE tutorials");
  tt_test_create_sequelize_tables (raw);
}
