/* tt-store-probe.c: what a database holds, for "Test connection"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Connects as opening would, on a connection the database itself keeps
 * read-only (SQLite's query_only, MySQL's READ ONLY session), and looks:
 * no migration, no adoption, no file or folder created. Failures are the
 * same TtStoreError codes opening gives, so the Preferences can say what
 * happened before anything is switched.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tt-store-private.h"
#include "tt-store-probe.h"

typedef struct
{
  TtDbLocation *location;
  char         *password;
} ProbeData;

static void
probe_data_free (gpointer data)
{
  ProbeData *probe_data = data;

  tt_db_location_free (probe_data->location);
  if (probe_data->password != NULL)
    memset (probe_data->password, 0, strlen (probe_data->password));
  g_free (probe_data->password);
  g_free (probe_data);
}

void
tt_store_probe_free (TtStoreProbe *probe)
{
  if (probe == NULL)
    return;

  g_strfreev (probe->other_tables);
  g_free (probe->server_version);
  g_free (probe->change_check_text);
  g_free (probe);
}

/* ---- SQLite: what the file system says -------------------------------- */

static gboolean fail (GError       **error,
                      TtStoreError   code,
                      const char    *format,
                      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError       **error,
      TtStoreError   code,
      const char    *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, TT_STORE_ERROR, code, message);
  return FALSE;
}

/* Opening creates the missing folders too: the nearest one that exists
 * must be writable. */
static gboolean
check_can_create (const char  *path,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  while (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      char *parent = g_path_get_dirname (dir);

      g_free (dir);
      dir = parent;
    }

  if (g_access (dir, W_OK | X_OK) != 0)
    return fail (error, TT_STORE_ERROR_READ_ONLY,
                 _("Cannot create the catalogue in “%s”: that folder is read-only"), dir);

  return TRUE;
}

/* The app writes to the catalogue, and SQLite writes its journal next to
 * it: a file or folder that is read-only is a failure here already. */
static gboolean
check_sqlite_file (const char  *path,
                   gboolean    *exists,
                   GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  *exists = g_file_test (path, G_FILE_TEST_EXISTS);
  if (!*exists)
    return check_can_create (path, error);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return fail (error, TT_STORE_ERROR_CORRUPT, _("“%s” is a folder, not a database file"), path);
  if (g_access (path, R_OK) != 0)
    return fail (error, TT_STORE_ERROR_NO_PERMISSION, _("You are not allowed to read “%s”"), path);
  if (g_access (path, W_OK) != 0)
    return fail (error, TT_STORE_ERROR_READ_ONLY,
                 _("“%s” is read-only, and Tutorial Tags needs to write to its catalogue"), path);
  if (g_access (dir, W_OK | X_OK) != 0)
    return fail (error, TT_STORE_ERROR_READ_ONLY,
                 _("The folder “%s” is read-only, and the database needs to write its journal there"), dir);

  return TRUE;
}

/* ---- what the database holds ----------------------------------------- */

typedef enum
{
  TABLE_TUTORIALS     = 1 << 0,
  TABLE_TAGS          = 1 << 1,
  TABLE_LINKS         = 1 << 2,
  TABLE_VERSION       = 1 << 3,
  TABLE_JOURNAL       = 1 << 4,
  TABLE_COLOURS       = 1 << 5,
  TABLE_SEARCH        = 1 << 6,
} KnownTable;

#define SEED_TABLES (TABLE_TUTORIALS | TABLE_TAGS | TABLE_LINKS)
#define OUR_OWN_TABLES (TABLE_JOURNAL | TABLE_COLOURS | TABLE_SEARCH)

static KnownTable
known_table (const char *name)
{
  static const struct { const char *name; KnownTable table; } known[] = {
    { "tutorials", TABLE_TUTORIALS },
    { "tags", TABLE_TAGS },
    { "tutorial_tag", TABLE_LINKS },
    { "tt_schema_version", TABLE_VERSION },
    { "tt_change_journal", TABLE_JOURNAL },
    { "tt_tag_colour", TABLE_COLOURS },
    /* SQLite lists the FTS5 table as a virtual one, not here. */
    { "tt_search_text", TABLE_SEARCH },
    { "tt_search_stale", TABLE_SEARCH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      if (g_strcmp0 (name, known[i].name) == 0)
        return known[i].table;
    }

  return 0;
}

/* Which of ours are there; the names of the rest go to @others. */
static gboolean
list_tables (TtStore     *store,
             KnownTable  *found,
             GPtrArray   *others,
             GError     **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  const char *sql = tt_store_is_mysql (store)
    ? "SELECT table_name FROM information_schema.tables"
      " WHERE table_schema = DATABASE() ORDER BY table_name"
    /* Every schema but temp: a file read as immutable is attached to an
     * empty in-memory main database (tt-store-sql.c, open_immutable()). */
    : "SELECT name FROM pragma_table_list"
      " WHERE schema <> 'temp' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";

  rows = tt_store_select_rows (store, tt_store_prepare (store, sql, NULL, error), NULL, types, error);
  if (rows == NULL)
    return FALSE;

  *found = 0;
  while (tt_rows_next (rows))
    {
      const char *name = tt_value_get_string (tt_rows_get (rows, 0));
      KnownTable table = known_table (name);

      if (table != 0)
        *found |= table;
      else if (name != NULL)
        g_ptr_array_add (others, g_strdup (name));
    }

  return TRUE;
}

static char *
select_string (TtStore     *store,
               const char  *sql,
               GError     **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;

  rows = tt_store_select_rows (store, tt_store_prepare (store, sql, NULL, error), NULL, types, error);
  if (rows == NULL || !tt_rows_next (rows))
    return NULL;

  return g_strdup (tt_value_get_string (tt_rows_get (rows, 0)));
}

/* The columns the Node.js tutorial's Sequelize models have. */
static gboolean
has_seed_columns (TtStore *store)
{
  return tt_store_query_works (store, "SELECT id, title, description, createdAt, updatedAt FROM tutorials WHERE 1 = 0") &&
         tt_store_query_works (store, "SELECT id, name, createdAt, updatedAt FROM tags WHERE 1 = 0") &&
         tt_store_query_works (store, "SELECT tutorial_id, tag_id, createdAt, updatedAt FROM tutorial_tag WHERE 1 = 0");
}

static gboolean
count_rows (TtStore       *store,
            KnownTable     found,
            TtStoreProbe  *probe,
            GError       **error)
{
  if (found & TABLE_TUTORIALS &&
      (probe->n_tutorials = tt_store_select_int64 (store, "SELECT COUNT(*) FROM tutorials", error)) < 0)
    return FALSE;
  if (found & TABLE_TAGS &&
      (probe->n_tags = tt_store_select_int64 (store, "SELECT COUNT(*) FROM tags", error)) < 0)
    return FALSE;

  return TRUE;
}

static gboolean
read_catalogue (TtStore       *store,
                KnownTable     found,
                TtStoreProbe  *probe,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 version = tt_store_select_int64 (store, "SELECT MAX(version) FROM tt_schema_version", &local_error);

  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;

  probe->schema_version = (int) CLAMP (version, 0, G_MAXINT);
  if (probe->schema_version > TT_SCHEMA_VERSION)
    {
      /* Its tables may mean something else now: nothing more is read. */
      probe->content = TT_STORE_PROBE_TOO_NEW;
      return TRUE;
    }

  probe->content = TT_STORE_PROBE_CATALOGUE;
  return count_rows (store, found, probe, error);
}

static gboolean
read_contents (TtStore       *store,
               TtStoreProbe  *probe,
               GError       **error)
{
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  KnownTable found;

  probe->server_version = select_string (store,
                                         tt_store_is_mysql (store) ? "SELECT VERSION()" : "SELECT sqlite_version()",
                                         error);
  if (probe->server_version == NULL || !list_tables (store, &found, others, error))
    return FALSE;

  g_ptr_array_add (others, NULL);
  probe->other_tables = (char **) g_ptr_array_steal (others, NULL);

  if (found & TABLE_VERSION)
    return read_catalogue (store, found, probe, error);

  if ((found & SEED_TABLES) == SEED_TABLES && has_seed_columns (store))
    {
      probe->content = TT_STORE_PROBE_ADOPTABLE;
      return count_rows (store, found, probe, error);
    }

  /* Tables of ours left without the catalogue's (its tables dropped by
   * hand): the catalogue made here takes them over. */
  probe->content = (found & ~OUR_OWN_TABLES) == 0 && probe->other_tables[0] == NULL
    ? TT_STORE_PROBE_EMPTY
    : TT_STORE_PROBE_FOREIGN;
  return TRUE;
}

/* ---- how changes will be found ---------------------------------------- */

/* The journal's triggers are all there (MariaDB shows them to a user
 * with any privilege on the tables), or this user may make them: the
 * TRIGGER privilege, and with binary logging also SUPER or
 * log_bin_trust_function_creators (else error 1419). A user who may read
 * the mysql schema sees everyone's privileges: only ours count.
 * Table-level grants are not looked at. */
#define OWN_PRIVILEGE(type) \
  "(SELECT COUNT(*) FROM information_schema.user_privileges WHERE privilege_type = '" type "'" \
  "  AND grantee = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), ''''))"
#define MAY_USE_JOURNAL_SQL \
  "SELECT (SELECT COUNT(*) FROM information_schema.triggers" \
  "  WHERE trigger_schema = DATABASE() AND trigger_name LIKE 'tt\\_journal\\_%') = 9" \
  " OR ((" OWN_PRIVILEGE ("TRIGGER") \
  "      + (SELECT COUNT(*) FROM information_schema.schema_privileges" \
  "         WHERE privilege_type = 'TRIGGER' AND DATABASE() LIKE table_schema)) > 0" \
  "     AND (@@log_bin = 0 OR @@log_bin_trust_function_creators = 1 OR " OWN_PRIVILEGE ("SUPER") " > 0))"

static gboolean
read_change_check (TtStore       *store,
                   TtStoreProbe  *probe,
                   GError       **error)
{
  gint64 may;

  probe->change_check = TT_STORE_PROBE_JOURNAL;
  if (!tt_store_is_mysql (store))
    return TRUE;

  if ((may = tt_store_select_int64 (store, MAY_USE_JOURNAL_SQL, error)) < 0)
    return FALSE;
  if (may > 0)
    {
      probe->change_check_text = g_strdup (_("Changes made by others are read from the change journal."));
      return TRUE;
    }

  probe->change_check = TT_STORE_PROBE_SCAN;
  probe->change_check_text = g_strdup (_("This account may not create triggers, so changes made by others are found by reading the whole catalogue every 2 seconds, which costs the server more (see “Running it for a team” in the README)."));
  return TRUE;
}

/* ---- the probe ------------------------------------------------------- */

/* On the attempt's thread. The deadline covers all of it: the answer is
 * for a person waiting after pressing a button. */
static gpointer
probe_attempt (TtAttempt  *attempt,
               gpointer    data,
               GError    **error)
{
  ProbeData *probe_data = data;
  const TtDbLocation *location = probe_data->location;
  g_autoptr(TtStoreProbe) probe = g_new0 (TtStoreProbe, 1);
  g_autoptr(TtStore) store = NULL;

  probe->exists = TRUE;
  if (location->backend == TT_DB_BACKEND_SQLITE &&
      !check_sqlite_file (location->path, &probe->exists, error))
    return NULL;

  if (!probe->exists)
    {
      /* Opening it would create it; looking must not. */
      probe->content = TT_STORE_PROBE_EMPTY;
      probe->other_tables = g_new0 (char *, 1);
      return g_steal_pointer (&probe);
    }

  store = tt_store_new_unopened (location, probe_data->password);
  store->read_only = TRUE;
  if (!tt_store_connect (store, error) || !read_contents (store, probe, error) ||
      !read_change_check (store, probe, error))
    return NULL;

  return g_steal_pointer (&probe);
}

/* Answers within TT_STORE_CONNECT_TIMEOUT_SECONDS whatever the server
 * does (TT_STORE_ERROR_TIMED_OUT). */
void
tt_store_probe_async (const TtDbLocation  *location,
                      const char          *password,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ProbeData *probe_data;

  g_return_if_fail (location != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_store_probe_async);

  probe_data = g_new0 (ProbeData, 1);
  probe_data->location = tt_db_location_copy (location);
  probe_data->password = g_strdup (password);
  tt_attempt_start (task, location, probe_attempt, probe_data, probe_data_free,
                    (GDestroyNotify) tt_store_probe_free);
}

TtStoreProbe *
tt_store_probe_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tt_store_probe_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
