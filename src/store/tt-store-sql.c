/* tt-store-sql.c: the store's conversation with libgda
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Statements are parsed once with ##name::type placeholders and kept with
 * their GdaSet, so every value is bound, never pasted into SQL. Errors from
 * either backend are mapped to TtStoreError codes here, and a MySQL
 * connection that the server dropped is reopened here.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "tt-store-private.h"

/* Native MySQL error codes (mysqld_error.h, errmsg.h). */
enum {
  MYSQL_NODE_NOT_READY   = 1047,  /* Galera: not synced with its cluster */
  MYSQL_ACCESS_DENIED_DB = 1044,
  MYSQL_ACCESS_DENIED    = 1045,
  MYSQL_BAD_DB           = 1049,
  MYSQL_SERVER_SHUTDOWN  = 1053,
  MYSQL_BAD_FIELD        = 1054,  /* a column that is not there */
  MYSQL_DUP_ENTRY        = 1062,
  MYSQL_NO_SUCH_TABLE    = 1146,
  MYSQL_TABLE_ACCESS     = 1142,
  MYSQL_SPECIFIC_ACCESS  = 1227,
  MYSQL_BINLOG_ROUTINE   = 1419,  /* a trigger, binary logging, no SUPER */
  MYSQL_COLUMN_ACCESS    = 1143,
  MYSQL_NO_REFERENCED    = 1452,
  MYSQL_READ_ONLY        = 1290,
  MYSQL_LOCK_DEADLOCK    = 1213,
  MYSQL_CANT_CONNECT_SOCK = 2002,
  MYSQL_CANT_CONNECT     = 2003,
  MYSQL_UNKNOWN_HOST     = 2005,
  MYSQL_SSL_CONNECTION_ERROR = 2026,
  MYSQL_GONE_AWAY        = 2006,
  MYSQL_LOST             = 2013,
};

/* A connection idle for longer than this is checked before a write, so that
 * a write after a server restart goes to a fresh connection instead of
 * failing as "may not have been saved". */
#define IDLE_CHECK_USEC (2 * G_USEC_PER_SEC)

/* The longest wait before the second try after a conflict; it doubles
 * for each try after, up to CONFLICT_BACKOFF_MAX_USEC (20, 40, 80, then
 * 160 ms at most: 1.1 s in all over nine waits, 0.7 s on average). */
#define CONFLICT_BACKOFF_USEC     (20 * 1000)
#define CONFLICT_BACKOFF_MAX_USEC (160 * 1000)

static GError   *corrupt_error     (TtStore *self, const char *detail);

typedef struct
{
  GdaStatement *stmt;
  GdaSet       *params;
} TtPrepared;

static void
tt_prepared_free (gpointer data)
{
  TtPrepared *prepared = data;

  g_clear_object (&prepared->stmt);
  g_clear_object (&prepared->params);
  g_free (prepared);
}

void
tt_store_sql_init (TtStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            tt_prepared_free);
  self->parser = gda_sql_parser_new ();
  self->delimiter = g_object_new (GDA_TYPE_SQL_PARSER, "mode", GDA_SQL_PARSER_MODE_DELIMIT, NULL);
  self->control = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

void
tt_store_sql_clear (TtStore *self)
{
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_object (&self->parser);
  g_clear_object (&self->delimiter);
  g_clear_pointer (&self->control, g_hash_table_unref);
}

gboolean
tt_store_is_mysql (TtStore *self)
{
  return self->location->backend == TT_DB_BACKEND_MYSQL;
}

/* ---- connecting ------------------------------------------------------ */

static char *
encode (const char *value)
{
  return gda_rfc1738_encode (value != NULL ? value : "");
}

/* libgda takes a folder and a name and appends ".db" to the name, so a
 * file called something.db is given as DB_NAME=something. */
static char *
sqlite_cnc_string (const TtDbLocation *location)
{
  g_autofree char *dir = g_path_get_dirname (location->path);
  g_autofree char *base = g_path_get_basename (location->path);
  g_autofree char *enc_dir = NULL;
  g_autofree char *enc_name = NULL;

  if (g_str_has_suffix (base, ".db"))
    base[strlen (base) - strlen (".db")] = '\0';

  enc_dir = encode (dir);
  enc_name = encode (base);
  return g_strdup_printf ("DB_DIR=%s;DB_NAME=%s", enc_dir, enc_name);
}

/* The server of the location's list that the store connects to, or
 * tried last: the one a message about a connection names. */
static const char *
server_in_use (TtStore *self)
{
  guint port;

  return tt_db_location_get_host (self->location, self->host_index, &port);
}

/* Server @index of the location's list. */
static char *
mysql_cnc_string (const TtDbLocation *location,
                  guint               index)
{
  guint port;
  g_autofree char *host = encode (tt_db_location_get_host (location, index, &port));
  g_autofree char *db = encode (location->database);
  g_autofree char *socket = encode (location->socket);

  if (location->socket != NULL)
    return g_strdup_printf ("DB_NAME=%s;UNIX_SOCKET=%s", db, socket);

  return g_strdup_printf ("HOST=%s;PORT=%u;DB_NAME=%s", host, port, db);
}

static char *
mysql_auth_string (TtStore *self)
{
  g_autofree char *user = encode (self->location->user);
  g_autofree char *password = encode (self->password);

  return g_strdup_printf ("USERNAME=%s;PASSWORD=%s", user, password);
}

/* Nothing here writes to the file: a file that is then refused (damaged,
 * from a newer version) must be left exactly as it was. The journal mode,
 * which is written into the file's header, is set by
 * tt_store_prepare_writing() once the file was found fit. */
static const char * const sqlite_setup[] = {
  "PRAGMA foreign_keys = ON",
  "PRAGMA busy_timeout = 10000",
  /* WAL with NORMAL keeps every commit across an application crash; only
   * a power cut can lose the last commits. */
  "PRAGMA synchronous = NORMAL",
  /* 16 MiB of page cache instead of 2: a large import otherwise spills
   * dirty pages to the file in the middle of its transaction. */
  "PRAGMA cache_size = -16384",
  NULL
};

static const char * const mysql_setup[] = {
  /* The provider sets 3-byte utf8; emoji need utf8mb4. */
  "SET NAMES utf8mb4",
  "SET time_zone = '+00:00'",
  /* A tag's tutorial ids come as one GROUP_CONCAT: 1 KiB by default. */
  "SET SESSION group_concat_max_len = 16777216",
  NULL
};

/* A probe changes nothing: not even the journal mode, which
 * sqlite_setup's WAL would write into the file. The database refuses
 * writes on such a connection. */
static const char * const sqlite_read_only_setup[] = {
  "PRAGMA query_only = ON",
  "PRAGMA busy_timeout = 5000",
  NULL
};

/* A file we may not write: a change fails in SQLite itself instead of
 * going into the empty in-memory database of open_immutable(). */
static const char * const sqlite_file_read_only_setup[] = {
  "PRAGMA query_only = ON",
  NULL
};

static const char * const mysql_read_only_setup[] = {
  "SET SESSION TRANSACTION READ ONLY",
  NULL
};

static gboolean
exec_setup (TtStore            *self,
            const char * const *setup,
            GError            **error)
{
  for (guint i = 0; setup[i] != NULL; i++)
    {
      if (!tt_store_exec_sql (self, setup[i], error))
        return FALSE;
    }

  return TRUE;
}

static char *
select_status_value (TtStore     *self,
                     const char  *sql,
                     GError     **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;

  rows = tt_store_select_rows (self, tt_store_prepare (self, sql, NULL, error), NULL, types, error);
  if (rows == NULL || !tt_rows_next (rows))
    return NULL;

  return g_strdup (tt_value_get_string (tt_rows_get (rows, 1)));
}

/* MariaDB 11.6.2 and later have innodb_snapshot_isolation (on in Debian
 * 13's 11.8): a locking read of a row that another client committed after
 * our transaction's first read then fails with "Record has changed since
 * last read" (1020) instead of returning it, and that is how a tag just
 * made by someone else is found (find_tag_by_key_full()). Off, as on
 * MariaDB 10.11 and MySQL. Servers without the variable have no row. */
/* The value of the variable that @show asks for, NULL in *@value when
 * the server has no such variable; FALSE when it could not be asked. */
static gboolean
read_variable (TtStore     *self,
               const char  *show,
               char       **value,
               GError     **error)
{
  GError *local_error = NULL;

  *value = select_status_value (self, show, &local_error);
  if (local_error == NULL)
    return TRUE;

  g_propagate_error (error, local_error);
  return FALSE;
}

/* Runs @set when the server has the variable that @show asks for and its
 * value is not @wanted (in any case). */
static gboolean
set_variable_unless (TtStore     *self,
                     const char  *show,
                     const char  *wanted,
                     const char  *set,
                     GError     **error)
{
  g_autofree char *value = NULL;

  if (!read_variable (self, show, &value, error))
    return FALSE;
  if (value == NULL || g_ascii_strcasecmp (value, wanted) == 0)
    return TRUE;

  return tt_store_exec_sql (self, set, error);
}

static gboolean
turn_off_snapshot_isolation (TtStore  *self,
                             GError  **error)
{
  return set_variable_unless (self, "SHOW VARIABLES LIKE 'innodb_snapshot_isolation'", "OFF",
                              "SET SESSION innodb_snapshot_isolation = OFF", error);
}

/* A Galera node applies what the other nodes committed a moment after
 * they did: a client would not find the tutorial another one had just
 * made on another node, nor, after moving to the next server, its own
 * last change. With wsrep_sync_wait=1 each read (and each transaction's
 * start) first waits until the node has applied everything the cluster
 * had committed. Only on a Galera node (wsrep_on): other servers have no
 * such variable (MySQL) or nothing to wait for. */
static gboolean
read_causally_on_cluster (TtStore  *self,
                          GError  **error)
{
  g_autofree char *wsrep = NULL;

  if (!read_variable (self, "SHOW VARIABLES LIKE 'wsrep_on'", &wsrep, error))
    return FALSE;
  if (g_strcmp0 (wsrep, "ON") != 0)
    return TRUE;

  return tt_store_exec_sql (self, "SET SESSION wsrep_sync_wait = 1", error);
}

/* Whether this SQLite has its JSON functions, which many rows go in by
 * (tt-store-insert.c): built in since 3.38, but a build may leave them
 * out. */
static gboolean
sqlite_has_json (TtStore *self)
{
  g_autoptr(GError) error = NULL;

  return tt_store_select_int64 (self, "SELECT json_array_length('[1]')", &error) == 1;
}

static gboolean
run_setup (TtStore  *self,
           GError  **error)
{
  self->sqlite_json = !tt_store_is_mysql (self) && sqlite_has_json (self);

  if (!tt_store_is_mysql (self) && self->read_only)
    return exec_setup (self, sqlite_read_only_setup, error);
  if (!tt_store_is_mysql (self))
    return exec_setup (self, sqlite_setup, error) &&
           (!self->file_read_only || exec_setup (self, sqlite_file_read_only_setup, error));

  return exec_setup (self, mysql_setup, error) &&
         turn_off_snapshot_isolation (self, error) &&
         read_causally_on_cluster (self, error) &&
         (!self->read_only || exec_setup (self, mysql_read_only_setup, error));
}

/* Sets the journal mode unless the file has it already: most opens find
 * it, and need not write (nor check the file first) to learn it. */
static gboolean
set_journal_mode (TtStore     *self,
                  const char  *mode,
                  GError     **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_NONE };
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = %s", mode);
  g_autoptr(TtRows) rows = tt_store_select_rows (self, tt_store_prepare (self, "PRAGMA journal_mode", NULL, error),
                                                 NULL, types, error);

  if (rows == NULL)
    return FALSE;
  if (tt_rows_next (rows) && g_ascii_strcasecmp (tt_value_get_string (tt_rows_get (rows, 0)), mode) == 0)
    return TRUE;
  return tt_store_exec_sql (self, sql, error);
}

gboolean
tt_store_prepare_writing (TtStore  *self,
                          GError  **error)
{
  if (tt_store_is_mysql (self) || self->read_only || self->file_read_only)
    return TRUE;

  /* A rollback journal needs no shared memory (see sqlite_file_on_fuse()). */
  return set_journal_mode (self, self->on_fuse ? "delete" : "wal", error);
}

/* The tables the open checks: the catalogue's, ours, and SQLite's own,
 * not the search index's (FTS5's tables tt_search_text_*), which is most
 * of a large file (1.0 of 1.6 GB at 1 000 000 tutorials: the check took
 * 6.5 s with it, 1.5 s without) and is read, and found damaged, by the
 * first search. */
static const char * const checked_tables[] = {
  "tutorials", "tags", "tutorial_tag", "tt_schema_version", "tt_change_journal",
  "tt_tag_colour", "tt_search_stale", "sqlite_sequence",
};

static gboolean
is_checked_table (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (checked_tables); i++)
    if (g_strcmp0 (name, checked_tables[i]) == 0)
      return TRUE;
  return FALSE;
}

/* quick_check's verdict on @table (one of checked_tables): "ok", or
 * the first problem. */
static char *
quick_check_table (TtStore     *self,
                   const char  *table,
                   GError     **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_NONE };
  g_autofree char *sql = g_strdup_printf ("PRAGMA quick_check(%s)", table);
  g_autoptr(TtRows) rows = tt_store_select_rows (self, tt_store_prepare (self, sql, NULL, error),
                                                 NULL, types, error);

  if (rows == NULL)
    return NULL;
  return g_strdup (tt_rows_next (rows) ? tt_value_get_string (tt_rows_get (rows, 0)) : "quick_check");
}

/* PRAGMA quick_check reads every page of a table and checks the
 * structure of the table and its indexes (not that an index matches its
 * table, which integrity_check adds at about four times the cost).
 * Measured on a catalogue of 100 000 tutorials (36 MB): see README.md,
 * "Damaged files". */
gboolean
tt_store_check_file (TtStore  *self,
                     GError  **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) tables = NULL;

  if (tt_store_is_mysql (self))
    return TRUE;

  tables = tt_store_select_rows (self, tt_store_prepare (self, "SELECT name FROM sqlite_master WHERE type = 'table'",
                                                         NULL, error),
                                 NULL, types, error);
  if (tables == NULL)
    return FALSE;

  while (tt_rows_next (tables))
    {
      const char *name = tt_value_get_string (tt_rows_get (tables, 0));
      g_autofree char *verdict = NULL;
      const char *page;

      if (!is_checked_table (name))
        continue;
      if (!(verdict = quick_check_table (self, name, error)))
        return FALSE;
      if (g_strcmp0 (verdict, "ok") == 0)
        continue;

      /* "*** in database main ***\nPage 433: btreeInitPage() returns error
       * code 11": the page is what a person can pass on. */
      page = strrchr (verdict, '\n') != NULL ? strrchr (verdict, '\n') + 1 : verdict;
      g_propagate_error (error, corrupt_error (self, page));
      return FALSE;
    }
  return TRUE;
}

/* libgda 5.2's MySQL provider cannot ask for TLS itself; the store's
 * request does, through tt-store-mysql-client.c. Before anything of ours
 * goes over the connection it is asked whether it is encrypted, so that a
 * client library that did not take the request (a build where the
 * provider's call does not land in ours) is found out, not trusted. A
 * Unix socket never leaves the machine: like MySQL's
 * require_secure_transport, it counts as secure. */
static gboolean
check_tls (TtStore  *self,
           GError  **error)
{
  g_autofree char *cipher = NULL;

  if (!tt_store_is_mysql (self) || !self->location->require_tls || self->location->socket != NULL)
    return TRUE;

  cipher = select_status_value (self, "SHOW STATUS LIKE 'Ssl_cipher'", error);
  if (cipher != NULL && *cipher != '\0')
    return TRUE;

  if (error != NULL && *error == NULL)
    g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TLS_UNAVAILABLE,
                 _("The connection to %s is not encrypted although an encrypted connection is required (the MySQL client library did not take the TLS settings); it was closed unused"),
                 server_in_use (self));
  return FALSE;
}

static gboolean
ensure_sqlite_folder (TtStore  *self,
                      GError  **error)
{
  g_autofree char *dir = g_path_get_dirname (self->location->path);

  if (g_mkdir_with_parents (dir, 0700) == 0)
    return TRUE;

  g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_READ_ONLY,
               _("Cannot create the folder “%s”: %s"), dir,
               g_strerror (errno));
  return FALSE;
}

static GError *map_open_error (TtStore                 *self,
                               GError                  *gda_error,
                               const TtMysqlTlsRequest *request);

/* @request: what a MySQL open asks about TLS (NULL for SQLite); the
 * client library's answer is written into it. */
static gboolean
open_connection (TtStore           *self,
                 const char        *provider,
                 const char        *cnc_string,
                 const char        *auth,
                 TtMysqlTlsRequest *request,
                 GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  tt_store_mysql_client_set_request (request);
  self->cnc = gda_connection_open_from_string (provider, cnc_string, auth,
                                               GDA_CONNECTION_OPTIONS_NONE,
                                               &local_error);
  tt_store_mysql_client_set_request (NULL);
  if (self->cnc == NULL)
    {
      g_propagate_error (error, map_open_error (self, local_error, request));
      return FALSE;
    }

  self->in_transaction = FALSE;
  self->connection_generation++;
  self->last_used_usec = g_get_monotonic_time ();
  return TRUE;
}

/* An existing file that we may not write, or whose folder we may not
 * write (where SQLite makes its journal, or the -wal and -shm files):
 * a read-only medium, a file of another user, chmod 444. */
static gboolean
sqlite_file_is_read_only (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return g_file_test (path, G_FILE_TEST_EXISTS) &&
         (g_access (path, W_OK) != 0 || g_access (dir, W_OK) != 0);
}

/* Reads the file with SQLite's immutable=1, which needs no -shm file.
 * libgda builds the file name from DB_DIR and DB_NAME and does not pass
 * a URI, so the file is attached to an empty in-memory database, the
 * URI bound as a value; unqualified table names find it there. Without
 * URI support SQLite would take the URI for a file name and create it. */
static gboolean
open_immutable (TtStore  *self,
                GError  **error)
{
  g_autofree char *escaped = g_uri_escape_string (self->location->path, "/", FALSE);
  g_autofree char *uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
  GdaSet *params = NULL;
  GdaStatement *stmt;

  if (!open_connection (self, "SQLite", "DB_NAME=:memory:", NULL, NULL, error))
    return FALSE;

  if (tt_store_select_int64 (self, "SELECT sqlite_compileoption_used('USE_URI')", error) != 1)
    {
      g_clear_error (error);
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_READ_ONLY,
                   _("Cannot read the catalogue “%s”: it needs its folder to be writable, and this SQLite cannot open it otherwise"),
                   self->location->path);
      return FALSE;
    }

  stmt = tt_store_prepare (self, "ATTACH DATABASE ##uri::string AS catalogue", &params, error);
  if (stmt == NULL)
    return FALSE;
  tt_params_set_string (params, "uri", uri);
  return tt_store_exec (self, stmt, params, NULL, error);
}

/* Bytes 18 and 19 of a SQLite file's header: 2 and 2 in WAL mode. */
static gboolean
sqlite_file_in_wal_mode (const char *path)
{
  guchar header[20];
  FILE *file = g_fopen (path, "rb");
  gboolean wal;

  if (file == NULL)
    return FALSE;
  wal = fread (header, 1, sizeof header, file) == sizeof header && header[18] == 2 && header[19] == 2;
  fclose (file);
  return wal;
}

/* SQLite opens a file it may not write read-only by itself. But a file
 * in WAL mode (as the store leaves it) is read through its -shm file,
 * which SQLite cannot make in a folder it may not write: opening it
 * fails ("unable to open database file"), and libgda then leaves the
 * file open (its half-made connection cannot be closed). Such a file is
 * read as immutable. Only then: an immutable file is taken never to
 * change, so another program's later changes are not seen; while a
 * writer has it open, its -shm file is there and SQLite reads through it. */
static gboolean
sqlite_needs_immutable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  return g_access (dir, W_OK) != 0 && !g_file_test (shm, G_FILE_TEST_EXISTS) &&
         sqlite_file_in_wal_mode (path);
}

/* statfs(2)'s f_type of FUSE file systems. */
#define FUSE_SUPER_MAGIC 0x65735546

/* WAL keeps its index in the -shm file, mapped shared. FUSE file systems
 * that cannot map a file shared (the document portal's, where a file
 * chosen in the Flatpak opens: flatpak/xdg-desktop-portal#1117) fail
 * every read of a WAL file with "disk I/O error". On any FUSE file system
 * the store uses a rollback journal instead. @path is the file, or when
 * it is yet to be made, its folder. */
static gboolean
sqlite_file_on_fuse (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  struct statfs info;

  if (statfs (path, &info) != 0 && statfs (dir, &info) != 0)
    return FALSE;
  return info.f_type == FUSE_SUPER_MAGIC;
}

/* A file left in WAL mode elsewhere (the store's own default), now on
 * FUSE: libgda reads it as it opens it, which fails there. In exclusive
 * locking mode SQLite keeps the WAL index in its own memory instead of
 * the -shm file, so the file is attached to an empty in-memory database
 * in that mode and turned into a rollback-journal file (which first
 * copies any committed WAL content into it). Only the journal mode in
 * the header changes. */
static gboolean
leave_wal_mode (TtStore  *self,
                GError  **error)
{
  GdaSet *params = NULL;
  GdaStatement *stmt;
  gboolean done;

  if (!open_connection (self, "SQLite", "DB_NAME=:memory:", NULL, NULL, error))
    return FALSE;

  /* Without a schema name, the locking mode is also that of the
   * databases attached later: ATTACH already reads the file. */
  stmt = tt_store_prepare (self, "ATTACH DATABASE ##path::string AS wal_file", &params, error);
  if (stmt != NULL)
    tt_params_set_string (params, "path", self->location->path);
  done = stmt != NULL && tt_store_exec_sql (self, "PRAGMA locking_mode = EXCLUSIVE", error) &&
         tt_store_exec (self, stmt, params, NULL, error) &&
         tt_store_exec_sql (self, "PRAGMA wal_file.journal_mode = DELETE", error);
  tt_store_disconnect (self);
  return done;
}

static gboolean
open_sqlite (TtStore  *self,
             GError  **error)
{
  g_autofree char *cnc_string = sqlite_cnc_string (self->location);

  /* A probe creates nothing; it has checked that the file exists. */
  if (!self->read_only && !ensure_sqlite_folder (self, error))
    return FALSE;

  self->file_read_only = FALSE;
  self->on_fuse = sqlite_file_on_fuse (self->location->path);
  /* A probe changes nothing: it reads such a file as immutable. */
  if (self->on_fuse && sqlite_file_in_wal_mode (self->location->path))
    {
      if (self->read_only)
        return open_immutable (self, error);
      if (!leave_wal_mode (self, error))
        return FALSE;
    }
  if (!sqlite_file_is_read_only (self->location->path))
    return open_connection (self, "SQLite", cnc_string, NULL, NULL, error);

  if (sqlite_needs_immutable (self->location->path)
        ? !open_immutable (self, error)
        : !open_connection (self, "SQLite", cnc_string, NULL, NULL, error))
    return FALSE;
  self->file_read_only = TRUE;
  return TRUE;
}

/* MariaDB (10.11, measured) answers a connection without TLS to a server
 * with require_secure_transport=ON exactly as it answers a wrong password:
 * 1045 "Access denied". Only trying the same account again over TLS
 * tells the two apart. That attempt checks no certificate, but it is
 * closed at once and carries nothing the plain attempt did not. */
static gboolean
server_requires_tls (TtStore    *self,
                     const char *cnc_string,
                     const char *auth)
{
  TtMysqlTlsRequest request = { .require = TRUE, .verify = FALSE };
  g_autoptr(GdaConnection) cnc = NULL;

  tt_store_mysql_client_set_request (&request);
  cnc = gda_connection_open_from_string ("MySQL", cnc_string, auth, GDA_CONNECTION_OPTIONS_NONE, NULL);
  tt_store_mysql_client_set_request (NULL);
  if (cnc == NULL)
    return FALSE;
  gda_connection_close (cnc);
  return TRUE;
}

/* The CA file is read by the client library, whose error for a missing
 * one is about TLS in general; this one names the file. */
static gboolean
check_ca_file (TtStore  *self,
               GError  **error)
{
  const char *ca = self->location->tls_ca;
  g_autofree char *contents = NULL;
  g_autoptr(GError) read_error = NULL;

  if (!self->location->require_tls || ca == NULL ||
      g_file_get_contents (ca, &contents, NULL, &read_error))
    return TRUE;

  g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TLS_CERTIFICATE,
               _("Cannot read the CA certificate: %s"), read_error->message);
  return FALSE;
}

static gboolean
open_mysql (TtStore  *self,
            GError  **error)
{
  g_autofree char *cnc_string = mysql_cnc_string (self->location, self->host_index);
  g_autofree char *auth = mysql_auth_string (self);
  /* A Unix socket counts as secure (see check_tls()): only TCP asks. */
  TtMysqlTlsRequest request = {
    .require = self->location->require_tls && self->location->socket == NULL,
    .ca = self->location->tls_ca,
    .verify = self->location->tls_verify,
  };

  g_autoptr(GError) local_error = NULL;

  if (!check_ca_file (self, error))
    return FALSE;
  if (open_connection (self, "MySQL", cnc_string, auth, &request, &local_error))
    return TRUE;

  if (g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_ACCESS_DENIED) &&
      !request.require && self->location->socket == NULL &&
      server_requires_tls (self, cnc_string, auth))
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TLS_REQUIRED_BY_SERVER,
                   _("The server %s requires an encrypted connection, and none was asked for (it answered “Access denied”, but the password is right)"),
                   server_in_use (self));
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
connect_once (TtStore  *self,
              GError  **error)
{
  gboolean opened;

  if (tt_store_is_mysql (self))
    opened = open_mysql (self, error);
  else
    opened = open_sqlite (self, error);

  if (!opened)
    {
      tt_store_disconnect (self);
      return FALSE;
    }

  if (!check_tls (self, error) || !run_setup (self, error))
    {
      tt_store_disconnect (self);
      return FALSE;
    }

  return TRUE;
}

/* Whether another server of a cluster may answer where this one did not
 * (a wrong password or database would be wrong on every one). */
static gboolean
server_unreachable (const GError *error)
{
  return g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_FAILED) ||
         g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST) ||
         g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_TIMED_OUT) ||
         g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_UNKNOWN_HOST);
}

/* The servers of the location in turn, from the current one, until one
 * answers; the error is the last server's. */
gboolean
tt_store_connect (TtStore  *self,
                  GError  **error)
{
  guint n_hosts = tt_store_is_mysql (self) ? tt_db_location_get_n_hosts (self->location) : 1;

  for (guint tried = 1; ; tried++)
    {
      g_autoptr(GError) local_error = NULL;

      if (connect_once (self, &local_error))
        return TRUE;
      if (tried >= n_hosts || !server_unreachable (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Server %u of %u did not answer (%s), trying the next", self->host_index + 1,
               n_hosts, local_error->message);
      self->host_index = (self->host_index + 1) % n_hosts;
    }
}

void
tt_store_disconnect (TtStore *self)
{
  if (self->cnc == NULL)
    return;

  gda_connection_close (self->cnc);
  g_clear_object (&self->cnc);
}

/* ---- errors ---------------------------------------------------------- */

static GdaConnectionEvent *
last_error_event (GdaConnection *cnc)
{
  const GList *events;
  GdaConnectionEvent *found = NULL;

  if (cnc == NULL)
    return NULL;

  events = gda_connection_get_events (cnc);
  for (const GList *l = events; l != NULL; l = l->next)
    {
      if (gda_connection_event_get_event_type (l->data) == GDA_CONNECTION_EVENT_ERROR)
        found = l->data;
    }

  return found;
}

static int
mysql_code_to_error (glong code)
{
  switch (code)
    {
    case MYSQL_DUP_ENTRY:
      return TT_STORE_ERROR_DUPLICATE;
    case MYSQL_NO_REFERENCED:
      return TT_STORE_ERROR_NOT_FOUND;
    case MYSQL_ACCESS_DENIED:
      return TT_STORE_ERROR_ACCESS_DENIED;
    case MYSQL_ACCESS_DENIED_DB:
    case MYSQL_TABLE_ACCESS:
    case MYSQL_COLUMN_ACCESS:
    case MYSQL_SPECIFIC_ACCESS:
    case MYSQL_BINLOG_ROUTINE:
      return TT_STORE_ERROR_NO_PERMISSION;
    case MYSQL_BAD_DB:
      return TT_STORE_ERROR_NO_DATABASE;
    case MYSQL_READ_ONLY:
      return TT_STORE_ERROR_READ_ONLY;
    case MYSQL_CANT_CONNECT_SOCK:
    case MYSQL_CANT_CONNECT:
      return TT_STORE_ERROR_CONNECTION_FAILED;
    case MYSQL_UNKNOWN_HOST:
      return TT_STORE_ERROR_UNKNOWN_HOST;
    case MYSQL_GONE_AWAY:
    case MYSQL_LOST:
    case MYSQL_SERVER_SHUTDOWN:
    /* Whatever was asked did not run; "may not have been saved" is more
     * than the truth, and the next statement goes to another server. */
    case MYSQL_NODE_NOT_READY:
      return TT_STORE_ERROR_CONNECTION_LOST;
    case MYSQL_LOCK_DEADLOCK:
      return TT_STORE_ERROR_CONFLICT;
    case MYSQL_BAD_FIELD:
    case MYSQL_NO_SUCH_TABLE:
      return TT_STORE_ERROR_TABLES_CHANGED;
    default:
      return TT_STORE_ERROR_FAILED;
    }
}

/* SQLite's provider gives no native code, only the message. */
static int
sqlite_message_to_error (const char *message)
{
  static const struct { const char *text; int code; } table[] = {
    { "UNIQUE constraint failed", TT_STORE_ERROR_DUPLICATE },
    { "PRIMARY KEY must be unique", TT_STORE_ERROR_DUPLICATE },
    { "FOREIGN KEY constraint failed", TT_STORE_ERROR_NOT_FOUND },
    { "readonly database", TT_STORE_ERROR_READ_ONLY },
    { "unable to open database", TT_STORE_ERROR_CONNECTION_FAILED },
    { "disk is full", TT_STORE_ERROR_DISK_FULL },
    { "disk I/O error", TT_STORE_ERROR_DISK_FULL },
    { "not a database", TT_STORE_ERROR_CORRUPT },
    { "malformed", TT_STORE_ERROR_CORRUPT },
    { "no such table", TT_STORE_ERROR_TABLES_CHANGED },
    { "no such column", TT_STORE_ERROR_TABLES_CHANGED },
    { "has no column named", TT_STORE_ERROR_TABLES_CHANGED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      if (message != NULL && strstr (message, table[i].text) != NULL)
        return table[i].code;
    }

  return TT_STORE_ERROR_FAILED;
}

/* Once SQLite has said the file is damaged, nothing more is written to
 * it: a write could spread the damage over pages that are sound. */
static GError *
note_damage (TtStore *self,
             GError  *error)
{
  if (g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT))
    self->damaged = TRUE;
  return error;
}

static GError *
corrupt_error (TtStore    *self,
               const char *detail)
{
  return note_damage (self, g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT,
                                         _("The catalogue file “%s” is damaged (%s)"),
                                         self->location->path, detail));
}

/* SQLite waited PRAGMA busy_timeout (10 s) for another connection's
 * write lock: its bare "database is locked" says neither who nor what to
 * do. A reader never holds that lock in WAL mode, so it is a writer. */
static GError *
locked_error (TtStore *self)
{
  return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                      _("Another program has the catalogue “%s” open for writing and did not finish within 10 seconds; nothing was changed. Close that program or wait for it to finish, then try again."),
                      self->location->path);
}

static GError *
read_only_error (TtStore *self)
{
  return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_READ_ONLY,
                      _("The catalogue “%s” is opened read-only: you cannot write to the file or to its folder. Nothing was changed."),
                      self->location->path);
}

static GError *
disk_full_error (TtStore *self)
{
  return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_DISK_FULL,
                      _("The disk that holds the catalogue “%s” is full; nothing was changed. Free some disk space, then try again."),
                      self->location->path);
}

static GError *
error_from_message (TtStore    *self,
                    const char *message)
{
  int code = sqlite_message_to_error (message);

  if (code == TT_STORE_ERROR_CORRUPT)
    return corrupt_error (self, message);
  if (code == TT_STORE_ERROR_READ_ONLY)
    return read_only_error (self);
  /* "database or disk is full" (a "disk I/O error" is the same code but
   * not the same thing). */
  if (message != NULL && strstr (message, "disk is full") != NULL)
    return disk_full_error (self);
  if (message != NULL && strstr (message, "database is locked") != NULL)
    return locked_error (self);
  return g_error_new_literal (TT_STORE_ERROR, code, message);
}

static GError *
map_error (TtStore *self,
           GError  *gda_error)
{
  GdaConnectionEvent *event = last_error_event (self->cnc);
  const char *message = gda_error != NULL ? gda_error->message : NULL;
  int code;

  if (event != NULL && gda_connection_event_get_description (event) != NULL)
    message = gda_connection_event_get_description (event);
  if (message == NULL)
    message = _("Unknown database error");

  if (!tt_store_is_mysql (self))
    return error_from_message (self, message);

  code = mysql_code_to_error (event != NULL ? gda_connection_event_get_code (event) : 0);
  /* The server has rolled the transaction back: what follows would run
   * outside it, each statement committed on its own. */
  if (code == TT_STORE_ERROR_CONFLICT && self->in_transaction)
    self->tx_conflict = TRUE;
  return g_error_new_literal (TT_STORE_ERROR, code, message);
}

/* Opening fails before there is a connection to ask for events, and the
 * MySQL provider keeps only mysql_error()'s text, so the message is all
 * there is. These are MariaDB's and Connector/C's (and MySQL's) texts. */
static int
mysql_open_message_to_error (TtStore    *self,
                             const char *message)
{
  static const struct { const char *text; int code; } table[] = {
    /* 1044 "… to database 'x'" before 1045 "Access denied for user …" */
    { "' to database '", TT_STORE_ERROR_NO_PERMISSION },
    { "Access denied for user", TT_STORE_ERROR_ACCESS_DENIED },
    { "Unknown database", TT_STORE_ERROR_NO_DATABASE },
    { "Unknown server host", TT_STORE_ERROR_UNKNOWN_HOST },
    { "Unknown MySQL server host", TT_STORE_ERROR_UNKNOWN_HOST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      if (strstr (message, table[i].text) != NULL)
        return table[i].code;
    }

  return TT_STORE_ERROR_CONNECTION_FAILED;
}

/* Whether @message holds one of @words (lower case), in any case. */
static gboolean
contains_any (const char         *message,
              const char * const *words)
{
  g_autofree char *lower = g_ascii_strdown (message, -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Connector/C's text when the certificate is signed by the CA but names
 * another server (3.3: "Validation of SSL server certificate failed";
 * 3.4: "Hostname verification failed"). */
static gboolean
is_name_problem (const char *message)
{
  static const char * const words[] = { "validation of ssl server", "hostname", "host name", NULL };

  return contains_any (message, words);
}

/* OpenSSL's texts (through Connector/C) when the certificate's signature
 * cannot be traced to a trusted CA, e.g. "self-signed certificate in
 * certificate chain", "unable to get local issuer certificate". */
static gboolean
is_signature_problem (const char *message)
{
  static const char * const words[] = { "certificate", "issuer", "self-signed", "self signed", NULL };

  return contains_any (message, words);
}

/* The errors of a connection that was to be encrypted, or NULL when
 * @message is about something else. */
static GError *
tls_open_error (TtStore                 *self,
                const char              *message,
                const TtMysqlTlsRequest *request)
{
  const char *host = server_in_use (self);

  /* MySQL's 3159, from a server with require_secure_transport=ON. */
  if (strstr (message, "insecure transport") != NULL)
    return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_TLS_REQUIRED_BY_SERVER,
                        _("The server %s requires an encrypted connection, and none was asked for: %s"),
                        host, message);
  if (request == NULL || !request->require || request->native_error != MYSQL_SSL_CONNECTION_ERROR)
    return NULL;

  if (!request->server_offers_tls)
    return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_TLS_UNAVAILABLE,
                        _("The server %s offers no encryption (TLS), and an encrypted connection is required; nothing was sent to it: %s"),
                        host, message);
  if (is_name_problem (message))
    return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_TLS_CERTIFICATE,
                        _("The server’s certificate does not name %s (connect by a name or address it gives): %s"),
                        host, message);
  if (is_signature_problem (message) && request->ca != NULL)
    return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_TLS_CERTIFICATE,
                        _("The server’s certificate is not signed by this CA (“%s”): %s"),
                        request->ca, message);
  if (is_signature_problem (message))
    return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_TLS_CERTIFICATE,
                        _("The server’s certificate is not signed by an authority this system trusts: %s"),
                        message);
  return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_TLS_UNAVAILABLE,
                      _("The encrypted connection to %s could not be set up: %s"), host, message);
}

static GError *
map_open_error (TtStore                 *self,
                GError                  *gda_error,
                const TtMysqlTlsRequest *request)
{
  const char *message = gda_error != NULL ? gda_error->message : _("Unknown error");
  int code = TT_STORE_ERROR_CONNECTION_FAILED;
  GError *tls_error;

  if (tt_store_is_mysql (self) && (tls_error = tls_open_error (self, message, request)) != NULL)
    return tls_error;
  if (tt_store_is_mysql (self))
    code = mysql_open_message_to_error (self, message);
  else if (sqlite_message_to_error (message) != TT_STORE_ERROR_FAILED)
    code = sqlite_message_to_error (message);

  return g_error_new (TT_STORE_ERROR, code, _("Cannot open the database: %s"), message);
}

static gboolean
is_connection_lost (const GError *error)
{
  return g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST);
}

/* Called when the server went away: a fresh connection for what follows,
 * to the next server of a cluster first (this one may be down). Whatever
 * was in flight is not repeated here. */
static gboolean
reconnect (TtStore  *self,
           GError  **error)
{
  g_debug ("Connection lost, reconnecting");
  tt_store_disconnect (self);
  if (tt_store_is_mysql (self))
    self->host_index = (self->host_index + 1) % tt_db_location_get_n_hosts (self->location);
  return tt_store_connect (self, error);
}

/* ---- statements ------------------------------------------------------ */

/* libgda 5.2's MySQL provider reads a 64-bit parameter with
 * g_value_get_long() and sends 0 (plus a critical). MySQL ids are 32-bit
 * INTEGER columns (as Sequelize makes them), so there they are bound as
 * int; tt_params_set_int64() follows the holder's type. */
static char *
provider_sql (TtStore    *self,
              const char *sql)
{
  g_auto(GStrv) parts = NULL;

  if (!tt_store_is_mysql (self))
    return g_strdup (sql);

  parts = g_strsplit (sql, "::int64", -1);
  return g_strjoinv ("::int", parts);
}

GdaStatement *
tt_store_prepare (TtStore      *self,
                  const char   *sql,
                  GdaSet      **params,
                  GError      **error)
{
  TtPrepared *prepared = g_hash_table_lookup (self->statements, sql);

  if (prepared == NULL)
    {
      g_autoptr(GdaStatement) stmt = NULL;
      g_autoptr(GdaSet) set = NULL;

      g_autofree char *text = provider_sql (self, sql);

      stmt = gda_sql_parser_parse_string (self->parser, text, NULL, error);
      if (stmt == NULL)
        return NULL;
      if (!gda_statement_get_parameters (stmt, &set, error))
        return NULL;

      prepared = g_new0 (TtPrepared, 1);
      prepared->stmt = g_steal_pointer (&stmt);
      prepared->params = g_steal_pointer (&set);
      g_hash_table_insert (self->statements, g_strdup (sql), prepared);
    }

  if (params != NULL)
    *params = prepared->params;

  return prepared->stmt;
}

void
tt_holder_set_int64 (GdaHolder *holder,
                     gint64     value)
{
  GValue v = G_VALUE_INIT;

  if (gda_holder_get_g_type (holder) == G_TYPE_INT)
    {
      /* An id beyond 32 bits cannot exist there: -1 finds nothing. */
      g_value_init (&v, G_TYPE_INT);
      g_value_set_int (&v, value >= G_MININT && value <= G_MAXINT ? (int) value : -1);
    }
  else
    {
      g_value_init (&v, G_TYPE_INT64);
      g_value_set_int64 (&v, value);
    }

  if (!gda_holder_set_value (holder, &v, NULL))
    g_critical ("Cannot bind %s", gda_holder_get_id (holder));
  g_value_unset (&v);
}

void
tt_holder_set_string (GdaHolder  *holder,
                      const char *value)
{
  GValue v = G_VALUE_INIT;

  if (value == NULL)
    {
      gda_holder_set_value (holder, NULL, NULL);
      return;
    }

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_static_string (&v, value);
  if (!gda_holder_set_value (holder, &v, NULL))
    g_critical ("Cannot bind %s", gda_holder_get_id (holder));
  g_value_unset (&v);
}

void
tt_params_set_int64 (GdaSet     *params,
                     const char *name,
                     gint64      value)
{
  GdaHolder *holder = gda_set_get_holder (params, name);

  g_return_if_fail (holder != NULL);
  tt_holder_set_int64 (holder, value);
}

void
tt_params_set_string (GdaSet     *params,
                      const char *name,
                      const char *value)
{
  GdaHolder *holder = gda_set_get_holder (params, name);

  g_return_if_fail (holder != NULL);
  tt_holder_set_string (holder, value);
}

/* The ids of a set (ID_KEY keys), in no order. */
GArray *
tt_id_set_to_array (GHashTable *set)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), g_hash_table_size (set));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint64 id = KEY_ID (key);

      g_array_append_val (ids, id);
    }
  return ids;
}

/* The decimal number at *@p, which must end with ':' before @end; moves
 * on past the ':'. */
gboolean
tt_read_number (const char **p,
                const char  *end,
                guint64     *n)
{
  const char *q = *p;

  for (*n = 0; q < end && g_ascii_isdigit (*q) && *n < G_MAXUINT64 / 10 - 10; q++)
    *n = *n * 10 + (guint64) (*q - '0');
  if (q == *p || q >= end || *q != ':')
    return FALSE;
  *p = q + 1;
  return TRUE;
}

/* "N:TEXT:" at *@p, before @end (TEXT's length in bytes first, so that no
 * byte of it is taken for a separator): TEXT's start and length, moving
 * on past it. */
gboolean
tt_read_counted (const char **p,
                 const char  *end,
                 const char **text,
                 gsize       *length)
{
  guint64 n;

  if (!tt_read_number (p, end, &n) || n >= (guint64) (end - *p) || (*p)[n] != ':')
    return FALSE;
  *text = *p;
  *length = n;
  *p += n + 1;
  return TRUE;
}

/* Binds ##i0 … ##i(@batch - 1) to @ids[0 .. @n); a short batch repeats
 * its first id, so that every batch is the same statement (one cache
 * entry). */
void
tt_params_set_id_batch (GdaSet       *params,
                        const gint64 *ids,
                        guint         n,
                        guint         batch)
{
  for (guint i = 0; i < batch; i++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "i%u", i);
      tt_params_set_int64 (params, name, ids[i < n ? i : 0]);
    }
}

/* After a failed reconnect there is no connection: try again now. */
static gboolean
ensure_connection (TtStore  *self,
                   GError  **error)
{
  return self->cnc != NULL || reconnect (self, error);
}

/* Every statement sent is counted (tests and benchmarks read the count),
 * and a test can make the Nth one from now fail as a server would. */
static gboolean
count_round_trip (TtStore  *self,
                  GError  **error)
{
  /* After the server rolled our transaction back (a conflict), nothing
   * more of it is sent: it would be committed statement by statement. */
  if (self->in_transaction && self->tx_conflict)
    {
      g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_CONFLICT,
                           _("The server rolled the transaction back after a conflict with another client"));
      return FALSE;
    }

  self->n_round_trips++;
  if (self->fail_countdown == 0 || --self->fail_countdown > 0)
    return TRUE;

  g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                       "Failure injected by a test");
  return FALSE;
}

/* libgda's SQLite data model stops at the first row sqlite3_step() cannot
 * give (SQLITE_CORRUPT, SQLITE_IOERR, SQLITE_BUSY…), keeps the error as an
 * "exception" of the model and reports the rows before it as the whole
 * result; only a plain SQLITE_ERROR reaches the caller's GError, and a
 * SQLITE_BUSY leaves the row count unknown (-1) without any exception
 * (fetch_next_sqlite_row() in gda-sqlite-recordset.c, libgda 5.2.10).
 * So the result is read to its end here, which a random-access model does
 * anyway, and its exceptions are errors: a read is complete or it fails. */
static gboolean
check_complete (TtStore       *self,
                GdaDataModel  *model,
                GError       **error)
{
  int n_rows = gda_data_model_get_n_rows (model);
  GError **exceptions = gda_data_model_get_exceptions (model);

  if (exceptions != NULL && exceptions[0] != NULL)
    {
      g_propagate_error (error, error_from_message (self, exceptions[0]->message));
      return FALSE;
    }
  if (n_rows < 0)
    {
      g_propagate_error (error, locked_error (self));
      return FALSE;
    }

  return TRUE;
}

static GdaDataModel *
select_once (TtStore       *self,
             GdaStatement  *stmt,
             GdaSet        *params,
             const GType   *col_types,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GdaDataModel *model;

  if (!ensure_connection (self, error) || !count_round_trip (self, error))
    return NULL;

  /* SQLite reads INTEGER as 32-bit unless told; the MySQL provider
   * refuses to be told ("Type gint64 not mapped") and reads BIGINT as
   * glong, INT as gint on its own. */
  if (tt_store_is_mysql (self))
    col_types = NULL;

  /* Random access reads the whole result at once. A cursor model keeps
   * SQLite's statement (and so its read transaction) open after the last
   * row, and another connection's write then makes ours fail at once with
   * "database is locked" instead of waiting. */
  model = gda_connection_statement_execute_select_full (self->cnc, stmt, params,
                                                        GDA_STATEMENT_MODEL_RANDOM_ACCESS,
                                                        (GType *) col_types,
                                                        &local_error);
  if (model == NULL)
    {
      g_propagate_error (error, map_error (self, local_error));
      return NULL;
    }
  if (!check_complete (self, model, error))
    {
      g_object_unref (model);
      return NULL;
    }

  self->last_used_usec = g_get_monotonic_time ();
  return model;
}

static gboolean
tables_changed (const GError *error)
{
  return g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_TABLES_CHANGED);
}

/* Adopts the tables again after an error said they changed. When that
 * fails the caller reports the first error; the adoption's own, logged
 * here, says why the tables could not be put right. */
static gboolean
readopt (TtStore *self)
{
  g_autoptr(GError) adopt_error = NULL;

  if (tt_store_readopt (self, &adopt_error))
    return TRUE;
  if (adopt_error != NULL)
    g_message ("Could not adopt the catalogue’s tables again: %s", adopt_error->message);
  return FALSE;
}

/* A read is safe to repeat, so one that met a dropped connection is tried
 * once more on a fresh one (unless a transaction was open: that is gone),
 * and one that met tables made again by another program (see
 * tt_store_readopt()) once more after adopting them. */
GdaDataModel *
tt_store_select (TtStore       *self,
                 GdaStatement  *stmt,
                 GdaSet        *params,
                 const GType   *col_types,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GdaDataModel *model;

  model = select_once (self, stmt, params, col_types, &local_error);
  if (model != NULL)
    return model;

  if (!self->in_transaction && is_connection_lost (local_error))
    return reconnect (self, error) ? select_once (self, stmt, params, col_types, error) : NULL;
  if (!self->in_transaction && !self->reading && tables_changed (local_error) && readopt (self))
    return select_once (self, stmt, params, col_types, error);

  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* NULL, with @error set, when the select failed (a NULL @stmt means
 * preparing it failed and set @error already). */
TtRows *
tt_store_select_rows (TtStore       *self,
                      GdaStatement  *stmt,
                      GdaSet        *params,
                      const GType   *col_types,
                      GError       **error)
{
  GdaDataModel *model;
  TtRows *rows;

  if (stmt == NULL)
    return NULL;

  model = tt_store_select (self, stmt, params, col_types, error);
  if (model == NULL)
    return NULL;

  rows = g_new0 (TtRows, 1);
  rows->model = model;
  rows->n_rows = gda_data_model_get_n_rows (model);
  rows->row = -1;
  return rows;
}

/* For tt_store_salvage(): the rows SQLite could give before it stopped,
 * with @error set when it stopped early. NULL only when the statement
 * could not run at all. */
TtRows *
tt_store_select_rows_partial (TtStore       *self,
                              GdaStatement  *stmt,
                              GdaSet        *params,
                              const GType   *col_types,
                              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GdaDataModel *model;
  TtRows *rows;

  if (!count_round_trip (self, error))
    return NULL;

  model = gda_connection_statement_execute_select_full (self->cnc, stmt, params,
                                                        GDA_STATEMENT_MODEL_RANDOM_ACCESS,
                                                        (GType *) col_types, &local_error);
  if (model == NULL)
    {
      g_propagate_error (error, map_error (self, local_error));
      return NULL;
    }

  check_complete (self, model, error);
  rows = g_new0 (TtRows, 1);
  rows->model = model;
  rows->n_rows = MAX (gda_data_model_get_n_rows (model), 0);
  rows->row = -1;
  return rows;
}

gboolean
tt_rows_next (TtRows *rows)
{
  if (rows->row + 1 >= rows->n_rows)
    return FALSE;

  rows->row++;
  return TRUE;
}

const GValue *
tt_rows_get (TtRows *rows,
             int     col)
{
  return gda_data_model_get_value_at (rows->model, col, rows->row, NULL);
}

void
tt_rows_free (TtRows *rows)
{
  if (rows == NULL)
    return;

  g_clear_object (&rows->model);
  g_free (rows);
}

/* Runs the integrity check the open left for later, if it has not run
 * yet. It stays due when it could not finish (an I/O error), so that
 * the next write tries again rather than writing unchecked. */
static gboolean
run_pending_check (TtStore  *self,
                   GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!self->check_pending)
    return TRUE;

  if (tt_store_check_file (self, &local_error) ||
      g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT))
    self->check_pending = FALSE;
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  return TRUE;
}

/* Nothing is written before the file was checked, nor after it was found
 * damaged. */
gboolean
tt_store_refuse_if_damaged (TtStore  *self,
                            GError  **error)
{
  if (!run_pending_check (self, error))
    return FALSE;
  if (!self->damaged)
    return TRUE;

  g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT,
               _("The catalogue file “%s” is damaged; nothing more is written to it"),
               self->location->path);
  return FALSE;
}

/* Before a write on a connection that has been idle, check the server is
 * still there; a read is safe to retry, a write is not. Every write passes
 * here, so a damaged or read-only file is refused here too. */
gboolean
tt_store_ensure_alive (TtStore  *self,
                       GError  **error)
{
  gint64 idle = g_get_monotonic_time () - self->last_used_usec;

  if (!tt_store_refuse_if_damaged (self, error))
    return FALSE;
  if (self->file_read_only)
    {
      g_propagate_error (error, read_only_error (self));
      return FALSE;
    }

  if (self->cnc == NULL)
    return ensure_connection (self, error);

  if (!tt_store_is_mysql (self) || self->in_transaction || idle < IDLE_CHECK_USEC)
    return TRUE;

  /* A select reconnects by itself when the server went away. */
  return tt_store_select_int64 (self, "SELECT 1", error) == 1;
}

static gboolean
exec_once (TtStore       *self,
           GdaStatement  *stmt,
           GdaSet        *params,
           int           *n_rows,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  int rows;

  if (!tt_store_ensure_alive (self, error) || !count_round_trip (self, error))
    return FALSE;

  /* -2 means "count unknown" (SQLite DDL) without an error: only a set
   * GError says the statement failed. */
  rows = gda_connection_statement_execute_non_select (self->cnc, stmt, params,
                                                      NULL, &local_error);
  if (local_error != NULL || rows == -1)
    {
      GError *mapped = map_error (self, local_error);

      if (is_connection_lost (mapped))
        {
          g_clear_error (&mapped);
          mapped = g_error_new_literal (TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST,
                                        _("The connection to the database server was lost; the last change may not have been saved"));
          reconnect (self, NULL);
        }
      g_propagate_error (error, mapped);
      return FALSE;
    }

  self->last_used_usec = g_get_monotonic_time ();
  if (n_rows != NULL)
    *n_rows = rows;
  tt_store_journal_prune_maybe (self);
  return TRUE;
}

/* A statement outside a transaction that met a conflict was rolled back
 * by the server, alone: it is sent again (inside one, the whole
 * transaction is: see tt_store_run_atomically()). */
gboolean
tt_store_exec (TtStore       *self,
               GdaStatement  *stmt,
               GdaSet        *params,
               int           *n_rows,
               GError       **error)
{
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (exec_once (self, stmt, params, n_rows, &local_error))
        return TRUE;
      if (self->in_transaction || !tt_store_wait_before_retry (self, local_error, attempt))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}

/* Whether to run again what met @error on try @attempt: a conflict
 * (the server rolled it back) up to TT_STORE_CONFLICT_TRIES times. Waits
 * first, a random time that doubles with each try, so that two clients
 * that collided do not collide again in step. Tables made again by
 * another program are adopted again, and the work run once more. */
gboolean
tt_store_wait_before_retry (TtStore      *self,
                            const GError *error,
                            guint         attempt)
{
  gint64 ceiling;

  if (tables_changed (error))
    return attempt == 1 && readopt (self);
  if (!g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONFLICT) ||
      attempt >= TT_STORE_CONFLICT_TRIES)
    return FALSE;

  ceiling = MIN (CONFLICT_BACKOFF_USEC << MIN (attempt - 1, 8), CONFLICT_BACKOFF_MAX_USEC);
  g_debug ("Conflict (%s), trying again (%u)", error->message, attempt + 1);
  g_usleep (g_random_int_range (ceiling / 4, ceiling));
  self->n_conflict_retries++;
  return TRUE;
}

/* A NULL @stmt means preparing it failed and set @error already. */
static gboolean
exec_without_values (TtStore       *self,
                     GdaStatement  *stmt,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GObject) result = NULL;

  if (stmt == NULL || !ensure_connection (self, error) || !count_round_trip (self, error))
    return FALSE;

  result = gda_connection_statement_execute (self->cnc, stmt, NULL,
                                             GDA_STATEMENT_MODEL_RANDOM_ACCESS,
                                             NULL, &local_error);
  if (result == NULL)
    {
      g_propagate_error (error, map_error (self, local_error));
      return FALSE;
    }

  self->last_used_usec = g_get_monotonic_time ();
  return TRUE;
}

/* Whether @sql runs, e.g. whether a table or a column exists: a query
 * that returns nothing works the same on both backends and needs no
 * metadata store (slow in libgda). */
gboolean
tt_store_query_works (TtStore    *self,
                      const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaDataModel) model = NULL;
  GdaStatement *stmt = tt_store_prepare (self, sql, NULL, &error);

  if (stmt == NULL)
    return FALSE;

  model = tt_store_select (self, stmt, NULL, NULL, &error);
  return model != NULL;
}

/* @text in double quotes, a quote in it doubled: how SQL writes an
 * identifier and FTS5 a phrase. */
char *
tt_store_double_quoted (const char *text)
{
  GString *quoted = g_string_new ("\"");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (quoted, '"');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

/* For statements without values: DDL, PRAGMAs (some return a row). */
gboolean
tt_store_exec_sql (TtStore     *self,
                   const char  *sql,
                   GError     **error)
{
  if (!tt_store_refuse_if_damaged (self, error))
    return FALSE;

  return exec_without_values (self, tt_store_prepare (self, sql, NULL, error), error);
}

/* Transaction control goes to the server as text that libgda does not
 * look into. After a BEGIN it recognises, libgda keeps the text of every
 * statement until the COMMIT, values written out: 37 MB for a copy of
 * 100 000 tutorials with 300 000 links, for nothing, since the store
 * keeps track of its transaction itself. Kept like the other statements:
 * the connection prepares each statement object once. */
static gboolean
exec_transaction_sql (TtStore     *self,
                      const char  *sql,
                      GError     **error)
{
  GdaStatement *stmt = g_hash_table_lookup (self->control, sql);

  if (stmt == NULL)
    {
      stmt = gda_sql_parser_parse_string (self->delimiter, sql, NULL, error);
      if (stmt == NULL)
        return FALSE;
      g_hash_table_insert (self->control, g_strdup (sql), stmt);
    }

  return exec_without_values (self, stmt, error);
}

gint64
tt_store_select_int64 (TtStore     *self,
                       const char  *sql,
                       GError     **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;

  rows = tt_store_select_rows (self, tt_store_prepare (self, sql, NULL, error), NULL, types, error);
  if (rows == NULL)
    return -1;

  return tt_rows_next (rows) ? tt_value_get_int64 (tt_rows_get (rows, 0)) : 0;
}

/* Asking libgda for the inserted row costs extra round trips; the
 * backend's own function on the same connection does not. */
gint64
tt_store_last_insert_id (TtStore  *self,
                         GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  id = tt_store_select_int64 (self,
                              tt_store_is_mysql (self)
                                ? "SELECT LAST_INSERT_ID()"
                                : "SELECT last_insert_rowid()",
                              &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (id <= 0)
    g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                         _("The database did not say which id it gave the new row"));
  return id;
}

/* ---- transactions ---------------------------------------------------- */

/* Flat transactions only: on MySQL a nested BEGIN commits the outer one.
 * SQLite takes the write lock at once (IMMEDIATE) so that two writers
 * wait for each other instead of failing on a lock upgrade. */
gboolean
tt_store_begin (TtStore  *self,
                GError  **error)
{
  const char *begin = tt_store_is_mysql (self) ? "START TRANSACTION" : "BEGIN IMMEDIATE";
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!tt_store_ensure_alive (self, error))
    return FALSE;

  /* Nothing of the transaction was sent yet: a BEGIN that met a dropped
   * connection is safe to send again on a fresh one. */
  if (!exec_transaction_sql (self, begin, &local_error) &&
      (!is_connection_lost (local_error) || !reconnect (self, error) ||
       !exec_transaction_sql (self, begin, error)))
    {
      if (!is_connection_lost (local_error))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->in_transaction = TRUE;
  self->tx_conflict = FALSE;
  return TRUE;
}

/* SQLite: the selects until tt_store_end_reading() read one state of the
 * file (a deferred transaction, which takes no write lock); self->reading
 * says whether this began one. Inside the store's own transaction they
 * do already. MySQL: nothing (each statement reads on its own). */
gboolean
tt_store_begin_reading (TtStore  *self,
                        GError  **error)
{
  if (self->in_transaction || tt_store_is_mysql (self))
    return TRUE;

  self->reading = exec_transaction_sql (self, "BEGIN DEFERRED", error);
  return self->reading;
}

/* FALSE when the read could not be ended: SQLite may say only then that
 * the file is damaged (a damaged FTS5 structure fails the table's
 * constructor, whose error names no cause). */
gboolean
tt_store_end_reading (TtStore  *self,
                      GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!self->reading)
    return TRUE;
  self->reading = FALSE;
  if (exec_transaction_sql (self, "COMMIT", &local_error))
    return TRUE;

  g_debug ("Ending a read: %s", local_error->message);
  exec_transaction_sql (self, "ROLLBACK", NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
tt_store_commit (TtStore  *self,
                 GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self->in_transaction, FALSE);

  self->in_transaction = FALSE;
  if (exec_transaction_sql (self, "COMMIT", &local_error))
    {
      tt_store_journal_prune_maybe (self);
      return TRUE;
    }

  if (is_connection_lost (local_error))
    {
      reconnect (self, NULL);
      g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST,
                           _("The connection to the database server was lost; the last change may not have been saved"));
      return FALSE;
    }

  tt_store_rollback (self);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* SQLite rolls a transaction back itself after some errors (SQLITE_FULL,
 * SQLITE_IOERR, SQLITE_NOMEM…: sqlite3_get_autocommit() is true again),
 * and our ROLLBACK then finds none, as expected. libgda does not give
 * the sqlite3 handle; its message says it. */
static gboolean
rolled_back_already (TtStore      *self,
                     const GError *error)
{
  return !tt_store_is_mysql (self) && error != NULL &&
         strstr (error->message, "no transaction is active") != NULL;
}

/* An injected failure is kept for the statement after: a rollback is
 * what a test of failures wants to see work. */
void
tt_store_rollback (TtStore *self)
{
  g_autoptr(GError) error = NULL;
  guint fail_countdown = self->fail_countdown;

  self->in_transaction = FALSE;
  if (self->cnc == NULL)
    return;

  self->fail_countdown = 0;
  /* A conflict reported to the ROLLBACK itself (a Galera node aborted
   * the transaction for another node's commit) means it is rolled back. */
  if (!exec_transaction_sql (self, "ROLLBACK", &error) && !is_connection_lost (error) &&
      !rolled_back_already (self, error) &&
      !g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONFLICT))
    g_warning ("Rollback failed: %s", error->message);
  self->fail_countdown = fail_countdown;
}

/* ---- for tests and benchmarks --------------------------------------- */

char *
tt_store_debug_show_value (TtStore     *self,
                           const char  *sql,
                           GError     **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  return select_status_value (self, sql, error);
}

guint64
tt_store_debug_get_round_trips (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), 0);

  return self->n_round_trips;
}

guint64
tt_store_debug_get_conflict_retries (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), 0);

  return self->n_conflict_retries;
}

void
tt_store_debug_fail_statement (TtStore *self,
                               guint    nth)
{
  g_return_if_fail (TT_IS_STORE (self));

  self->fail_countdown = nth;
}

void
tt_store_debug_set_large_import (TtStore *self,
                                 guint    n_tutorials)
{
  g_return_if_fail (TT_IS_STORE (self));

  self->large_import = n_tutorials;
}

void
tt_store_debug_set_json_rows (TtStore  *self,
                              gboolean  json_rows)
{
  g_return_if_fail (TT_IS_STORE (self));

  self->sqlite_json = json_rows && !tt_store_is_mysql (self);
}

guint
tt_store_large_import (TtStore *self)
{
  return self->large_import > 0 ? self->large_import : TT_LARGE_IMPORT;
}

/* ---- values ---------------------------------------------------------- */

gint64
tt_value_get_int64 (const GValue *value)
{
  GValue converted = G_VALUE_INIT;
  gint64 result;

  if (value == NULL)
    return 0;
  if (G_VALUE_HOLDS_INT64 (value))
    return g_value_get_int64 (value);
  if (G_VALUE_HOLDS_INT (value))
    return g_value_get_int (value);
  /* The MySQL provider gives a bound value selected back as text, and
   * a DECIMAL (a SUM()) as a GdaNumeric. */
  if (G_VALUE_HOLDS_STRING (value))
    return g_value_get_string (value) != NULL ? g_ascii_strtoll (g_value_get_string (value), NULL, 10) : 0;
  if (G_VALUE_HOLDS (value, GDA_TYPE_NUMERIC))
    {
      g_autofree char *text = gda_numeric_get_string (gda_value_get_numeric (value));

      return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
    }

  g_value_init (&converted, G_TYPE_INT64);
  if (!g_value_type_transformable (G_VALUE_TYPE (value), G_TYPE_INT64) ||
      !g_value_transform (value, &converted))
    return 0;

  result = g_value_get_int64 (&converted);
  g_value_unset (&converted);
  return result;
}

const char *
tt_value_get_string (const GValue *value)
{
  if (value == NULL || !G_VALUE_HOLDS_STRING (value))
    return NULL;

  return g_value_get_string (value);
}

static GDateTime *
date_time_from_timestamp (const GdaTimestamp *ts)
{
  return g_date_time_new_utc (ts->year, ts->month, ts->day, ts->hour,
                              ts->minute, ts->second + ts->fraction / 1e6);
}

/* Reads @n digits; -1 when one is not a digit. */
static int
read_digits (const char *p,
             int         n)
{
  int value = 0;

  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return -1;
      value = value * 10 + (p[i] - '0');
    }

  return value;
}

/* What tt_format_sql_time() writes, "2026-11-25 17:46:18", or what it
 * wrote before it padded the year ("999-03-04 05:06:07"): read by hand,
 * since a large list reads two a row and the ISO 8601 parser is slow.
 * NULL for anything else. */
static GDateTime *
date_time_from_sql_text (const char *text)
{
  /* After the year, "-MM-DD HH:MM:SS": where each field starts. */
  static const int offsets[5] = { 1, 4, 7, 10, 13 };
  static const char separators[] = "-- ::";
  const char *dash = strchr (text, '-');
  int fields[6];
  int year_digits = dash != NULL ? dash - text : 0;

  if (year_digits < 1 || year_digits > 4 || strlen (dash) != 15)
    return NULL;
  for (int i = 0; i < 5; i++)
    {
      if (dash[offsets[i] - 1] != separators[i])
        return NULL;
    }

  if ((fields[0] = read_digits (text, year_digits)) < 0)
    return NULL;
  for (int i = 0; i < 5; i++)
    {
      if ((fields[i + 1] = read_digits (dash + offsets[i], 2)) < 0)
        return NULL;
    }

  return g_date_time_new_utc (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
}

/* "2026-11-25 17:46:18", maybe with a fraction and an offset (SQLite
 * stores what was written; Sequelize writes "… 17:46:18.123 +00:00"). */
static GDateTime *
date_time_from_string (const char *text)
{
  g_autofree char *iso = g_strdup (text);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  char *space;

  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  space = strchr (iso, ' ');
  if (space != NULL)
    memmove (space, space + 1, strlen (space));

  return g_date_time_new_from_iso8601 (iso, utc);
}

GDateTime *
tt_value_get_date_time (const GValue *value)
{
  if (value == NULL)
    return NULL;
  if (G_VALUE_HOLDS (value, GDA_TYPE_TIMESTAMP))
    return date_time_from_timestamp (gda_value_get_timestamp (value));
  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    {
      GDateTime *fast = date_time_from_sql_text (g_value_get_string (value));

      return fast != NULL ? fast : date_time_from_string (g_value_get_string (value));
    }

  return NULL;
}

/* DATETIME keeps whole seconds on MySQL; both backends get the same text.
 * The year has four digits: "%Y" writes year 999 as "999", which SQLite
 * then sorts after "2026" and MariaDB reads "99-…" as 1999. NULL when the
 * time is outside what tt_rules_check_time() allows. */
char *
tt_format_sql_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  if (utc == NULL)
    return NULL;

  return g_strdup_printf ("%04d-%02d-%02d %02d:%02d:%02d",
                          g_date_time_get_year (utc),
                          g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}
