/* tt-store-schema.c: creating, adopting and migrating the catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The three tables are exactly what the Node.js/Sequelize tutorial's
 * sync() creates, so a database shared with that app keeps working for it.
 * What is ours (the schema version, the tag name key) is added so that a
 * program knowing only those columns is not disturbed: a table of our own
 * and a nullable column.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tt-store-private.h"

static const char * const mysql_tables[] = {
  "CREATE TABLE IF NOT EXISTS tutorials ("
  " id INTEGER NOT NULL auto_increment,"
  " title VARCHAR(255),"
  " description MEDIUMTEXT,"
  " createdAt DATETIME NOT NULL,"
  " updatedAt DATETIME NOT NULL,"
  " PRIMARY KEY (id)"
  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",

  "CREATE TABLE IF NOT EXISTS tags ("
  " id INTEGER NOT NULL auto_increment,"
  " name VARCHAR(255),"
  " createdAt DATETIME NOT NULL,"
  " updatedAt DATETIME NOT NULL,"
  " PRIMARY KEY (id)"
  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",

  "CREATE TABLE IF NOT EXISTS tutorial_tag ("
  " createdAt DATETIME NOT NULL,"
  " updatedAt DATETIME NOT NULL,"
  " tutorial_id INTEGER NOT NULL,"
  " tag_id INTEGER NOT NULL,"
  " PRIMARY KEY (tutorial_id, tag_id),"
  " INDEX tag_id (tag_id),"
  " FOREIGN KEY (tutorial_id) REFERENCES tutorials (id) ON DELETE CASCADE ON UPDATE CASCADE,"
  " FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE ON UPDATE CASCADE"
  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
  NULL
};

static const char * const sqlite_tables[] = {
  "CREATE TABLE IF NOT EXISTS tutorials ("
  " id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " title VARCHAR(255),"
  " description TEXT,"
  " createdAt DATETIME NOT NULL,"
  " updatedAt DATETIME NOT NULL)",

  "CREATE TABLE IF NOT EXISTS tags ("
  " id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " name VARCHAR(255),"
  " createdAt DATETIME NOT NULL,"
  " updatedAt DATETIME NOT NULL)",

  "CREATE TABLE IF NOT EXISTS tutorial_tag ("
  " createdAt DATETIME NOT NULL,"
  " updatedAt DATETIME NOT NULL,"
  " tutorial_id INTEGER NOT NULL REFERENCES tutorials (id) ON DELETE CASCADE ON UPDATE CASCADE,"
  " tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE ON UPDATE CASCADE,"
  " PRIMARY KEY (tutorial_id, tag_id))",

  /* tag_id first, as Sequelize's index; tutorial_id too, so that a tag's
   * tutorials are read from the index alone (InnoDB's secondary index
   * carries the primary key by itself). */
  "CREATE INDEX IF NOT EXISTS tutorial_tag_tag_id ON tutorial_tag (tag_id, tutorial_id)",
  NULL
};

/* Case-insensitive tag names: the key (tt_tag_name_key()) is compared byte
 * for byte (utf8mb4_bin on MySQL), so "Rust" and "rust" meet, "café" and
 * "cafe" do not. The key is never longer than the column. */
static const char * const mysql_name_key[] = {
  "ALTER TABLE tags ADD COLUMN name_key VARCHAR(" G_STRINGIFY (TT_TAG_NAME_KEY_MAX_CHARS) ")"
  " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL",
  "CREATE UNIQUE INDEX tags_name_key ON tags (name_key)",
  NULL
};

static const char * const sqlite_name_key[] = {
  "ALTER TABLE tags ADD COLUMN name_key TEXT",
  "CREATE UNIQUE INDEX tags_name_key ON tags (name_key)",
  NULL
};

static gboolean
exec_all (TtStore            *self,
          const char * const *statements,
          GError            **error)
{
  for (guint i = 0; statements[i] != NULL; i++)
    {
      if (!tt_store_exec_sql (self, statements[i], error))
        return FALSE;
    }

  return TRUE;
}

static int
read_schema_version (TtStore  *self,
                     GError  **error)
{
  if (!tt_store_query_works (self, "SELECT version FROM tt_schema_version WHERE 1 = 0"))
    return 0;

  return (int) tt_store_select_int64 (self, "SELECT MAX(version) FROM tt_schema_version", error);
}

static gboolean
write_schema_version (TtStore  *self,
                      int       version,
                      GError  **error)
{
  GdaSet *params;
  GdaStatement *stmt;

  if (!tt_store_exec_sql (self, "CREATE TABLE IF NOT EXISTS tt_schema_version (version INTEGER NOT NULL PRIMARY KEY)", error) ||
      !tt_store_exec_sql (self, "DELETE FROM tt_schema_version", error))
    return FALSE;

  stmt = tt_store_prepare (self, "INSERT INTO tt_schema_version (version) VALUES (##version::int64)",
                           &params, error);
  if (stmt == NULL)
    return FALSE;

  tt_params_set_int64 (params, "version", version);
  return tt_store_exec (self, stmt, params, NULL, error);
}

/* A table Sequelize made may have a 3-byte charset: emoji need utf8mb4. */
static gboolean
convert_to_utf8mb4 (TtStore  *self,
                    GError  **error)
{
  static const char * const tables[] = { "tutorials", "tags", "tutorial_tag" };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *probe = NULL;
      g_autofree char *convert = NULL;

      probe = g_strdup_printf ("SELECT COUNT(*) FROM information_schema.tables"
                               " WHERE table_schema = DATABASE() AND table_name = '%s'"
                               " AND table_collation LIKE 'utf8mb4%%'", tables[i]);
      if (tt_store_select_int64 (self, probe, error) != 0)
        continue;

      convert = g_strdup_printf ("ALTER TABLE %s CONVERT TO CHARACTER SET utf8mb4"
                                 " COLLATE utf8mb4_unicode_ci", tables[i]);
      if (!tt_store_exec_sql (self, convert, error))
        return FALSE;
    }

  return TRUE;
}

/* Sequelize makes description a VARCHAR(255); we keep up to 64 KiB.
 * Widening keeps every value, and the Node.js app does not mind. */
static gboolean
adopt_mysql_tables (TtStore  *self,
                    GError  **error)
{
  return convert_to_utf8mb4 (self, error) &&
         tt_store_exec_sql (self, "ALTER TABLE tutorials MODIFY description MEDIUMTEXT", error);
}

/* Gives every tag without a key its key. A tag whose key is taken (a case
 * duplicate, e.g. from the Node.js app) keeps none: it is reported by
 * tt_store_find_case_duplicates() and never deleted. */
gboolean
tt_store_backfill_name_keys (TtStore  *self,
                             GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  GdaStatement *stmt;
  GdaSet *params;

  stmt = tt_store_prepare (self, "SELECT id, name FROM tags WHERE name_key IS NULL ORDER BY id",
                           NULL, error);
  if (!(rows = tt_store_select_rows (self, stmt, NULL, types, error)))
    return FALSE;

  while (tt_rows_next (rows))
    {
      const char *name = tt_value_get_string (tt_rows_get (rows, 1));
      gint64 id = tt_value_get_int64 (tt_rows_get (rows, 0));
      char *key = name != NULL && *name != '\0' ? tt_tag_name_key (name) : NULL;

      if (key == NULL)
        continue;
      g_array_append_val (ids, id);
      g_ptr_array_add (keys, key);
    }

  stmt = tt_store_prepare (self, "UPDATE tags SET name_key = ##key::string"
                                 " WHERE id = ##id::int64 AND name_key IS NULL",
                           &params, error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      tt_params_set_string (params, "key", keys->pdata[i]);
      tt_params_set_int64 (params, "id", g_array_index (ids, gint64, i));
      if (!tt_store_exec (self, stmt, params, NULL, &local_error) &&
          !g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
add_name_keys (TtStore  *self,
               GError  **error)
{
  gboolean ok;

  if (!tt_store_query_works (self, "SELECT name_key FROM tags WHERE 1 = 0") &&
      !exec_all (self, tt_store_is_mysql (self) ? mysql_name_key : sqlite_name_key, error))
    return FALSE;

  if (!tt_store_begin (self, error))
    return FALSE;

  ok = tt_store_backfill_name_keys (self, error);
  if (!ok)
    {
      tt_store_rollback (self);
      return FALSE;
    }

  return tt_store_commit (self, error);
}

/* Keys that an earlier version stored whole, longer than tt_tag_name_key()
 * makes them now (SQLite's column took any length; MySQL's refused them),
 * are given again: cleared, then backfilled. The first query only reads,
 * and finds nothing in every catalogue but such an old one. */
static gboolean
shorten_long_name_keys (TtStore  *self,
                        GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *length = tt_store_is_mysql (self) ? "CHAR_LENGTH" : "LENGTH";
  g_autofree char *over = g_strdup_printf ("%s(name_key) > %d", length, TT_TAG_NAME_KEY_MAX_CHARS);
  g_autofree char *count = g_strconcat ("SELECT COUNT(*) FROM tags WHERE ", over, NULL);
  g_autofree char *clear = g_strconcat ("UPDATE tags SET name_key = NULL WHERE ", over, NULL);
  gint64 n_long = tt_store_select_int64 (self, count, &local_error);
  gboolean ok;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (n_long == 0)
    return TRUE;

  if (!tt_store_begin (self, error))
    return FALSE;
  ok = tt_store_exec_sql (self, clear, error) && tt_store_backfill_name_keys (self, error);
  if (!ok)
    {
      tt_store_rollback (self);
      return FALSE;
    }

  return tt_store_commit (self, error);
}

/* A tags table without our name key was made anew (Sequelize's
 * sync({force: true}) drops and makes it again): its ids start from 1
 * again, so colours kept for the old ids would land on other tags. */
static gboolean
forget_colours_of_new_tags (TtStore  *self,
                            GError  **error)
{
  if (!tt_store_query_works (self, "SELECT tag_id FROM tt_tag_colour WHERE 1 = 0") ||
      tt_store_query_works (self, "SELECT name_key FROM tags WHERE 1 = 0"))
    return TRUE;

  return tt_store_exec_sql (self, "DELETE FROM tt_tag_colour", error);
}

/* The seed tables, created or adopted from Sequelize, with our name key.
 * Every step can run again: MySQL DDL commits as it goes, so an adoption
 * cut short is finished on the next open. */
static gboolean
adopt_seed_tables (TtStore  *self,
                   GError  **error)
{
  gboolean mysql = tt_store_is_mysql (self);

  if (!forget_colours_of_new_tags (self, error) ||
      !exec_all (self, mysql ? mysql_tables : sqlite_tables, error))
    return FALSE;
  if (mysql && !adopt_mysql_tables (self, error))
    return FALSE;

  return add_name_keys (self, error);
}

/* Version 1: the adopted seed tables and the version table. */
static gboolean
migrate_to_1 (TtStore  *self,
              GError  **error)
{
  return adopt_seed_tables (self, error) && write_schema_version (self, 1, error);
}

/* The tutorial's server.js runs sync({force: true}) at every start in
 * development: Sequelize drops and re-creates its three tables, and our
 * version table survives. So at every open, one query checks that what
 * the adoption changed is still there (the same tests adopt_mysql_tables()
 * makes, so that its ALTERs do not run at every open). */
static gboolean
adoption_intact (TtStore *self)
{
  g_autoptr(GError) error = NULL;

  /* All three there: a table dropped part-way (by hand, or a sync cut
   * short) made the journal's triggers fail to be made, and the open. */
  if (!tt_store_query_works (self, "SELECT name_key FROM tags WHERE 1 = 0") ||
      !tt_store_query_works (self, "SELECT id FROM tutorials WHERE 1 = 0") ||
      !tt_store_query_works (self, "SELECT tutorial_id FROM tutorial_tag WHERE 1 = 0"))
    return FALSE;
  if (!tt_store_is_mysql (self))
    return TRUE;

  return tt_store_select_int64 (self,
                                "SELECT (SELECT COUNT(*) FROM information_schema.columns"
                                " WHERE table_schema = DATABASE() AND table_name = 'tutorials'"
                                " AND column_name = 'description' AND data_type <> 'mediumtext')"
                                " + (SELECT COUNT(*) FROM information_schema.tables"
                                " WHERE table_schema = DATABASE()"
                                " AND table_name IN ('tutorials', 'tags', 'tutorial_tag')"
                                " AND table_collation NOT LIKE 'utf8mb4%')",
                                &error) == 0 && error == NULL;
}

/* Version 2: the change journal (see tt-store-journal.c), and a primary
 * key for the version table (a Galera cluster replicates only tables with
 * one). Each step can run again: MySQL commits DDL as it goes. */
static const char * const mysql_journal[] = {
  "CREATE TABLE IF NOT EXISTS tt_change_journal ("
  " id INTEGER NOT NULL auto_increment,"
  " kind VARCHAR(8) NOT NULL,"
  " op VARCHAR(8) NOT NULL,"
  " tutorial_id INTEGER NULL,"
  " tag_id INTEGER NULL,"
  " changed_at DATETIME(3) NOT NULL,"
  " PRIMARY KEY (id),"
  " INDEX tt_change_journal_changed_at (changed_at)"
  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
  NULL
};

static const char * const sqlite_journal[] = {
  "CREATE TABLE IF NOT EXISTS tt_change_journal ("
  " id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " kind VARCHAR(8) NOT NULL,"
  " op VARCHAR(8) NOT NULL,"
  " tutorial_id INTEGER NULL,"
  " tag_id INTEGER NULL,"
  " changed_at DATETIME NOT NULL)",
  "CREATE INDEX IF NOT EXISTS tt_change_journal_changed_at ON tt_change_journal (changed_at)",
  NULL
};

/* MySQL adds a key in place; SQLite cannot, so the one-row table is made
 * again (write_schema_version() creates it with its key). */
static gboolean
key_version_table (TtStore  *self,
                   GError  **error)
{
  if (tt_store_is_mysql (self))
    {
      if (tt_store_select_int64 (self,
                                 "SELECT COUNT(*) FROM information_schema.statistics"
                                 " WHERE table_schema = DATABASE() AND table_name = 'tt_schema_version'"
                                 " AND index_name = 'PRIMARY'", error) != 0)
        return TRUE;
      return tt_store_exec_sql (self, "DELETE FROM tt_schema_version", error) &&
             tt_store_exec_sql (self, "ALTER TABLE tt_schema_version ADD PRIMARY KEY (version)", error);
    }

  return tt_store_exec_sql (self, "DROP TABLE IF EXISTS tt_schema_version", error);
}

/* SQLite's DDL is transactional: the version table is never missing. */
static gboolean
key_and_write_version (TtStore  *self,
                       GError  **error)
{
  gboolean ok;

  if (tt_store_is_mysql (self))
    return key_version_table (self, error) && write_schema_version (self, 2, error);

  if (!tt_store_begin (self, error))
    return FALSE;
  ok = key_version_table (self, error) && write_schema_version (self, 2, error);
  if (!ok)
    {
      tt_store_rollback (self);
      return FALSE;
    }
  return tt_store_commit (self, error);
}

static gboolean
migrate_to_2 (TtStore  *self,
              GError  **error)
{
  return exec_all (self, tt_store_is_mysql (self) ? mysql_journal : sqlite_journal, error) &&
         tt_store_journal_ensure_marker (self, error) &&
         key_and_write_version (self, error);
}

/* Version 3: tag colours, in a table of ours. No foreign key to tags:
 * InnoDB refuses to drop a table another one refers to (error 1451), and
 * the Node.js app's sync({force: true}) drops tags. A deleted tag's
 * colour goes with it in the same transaction (tt-store-colour.c); rows
 * left by others (the Node.js app deleting a tag) are cleared at open. */
static const char * const mysql_colours[] = {
  "CREATE TABLE IF NOT EXISTS tt_tag_colour ("
  " tag_id INTEGER NOT NULL,"
  " colour VARCHAR(16) NOT NULL,"
  " PRIMARY KEY (tag_id)"
  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
  NULL
};

static const char * const sqlite_colours[] = {
  "CREATE TABLE IF NOT EXISTS tt_tag_colour ("
  " tag_id INTEGER PRIMARY KEY,"
  " colour VARCHAR(16) NOT NULL)",
  NULL
};

static gboolean
write_version_body (TtStore   *self,
                    gpointer   data,
                    GError   **error)
{
  return write_schema_version (self, GPOINTER_TO_INT (data), error);
}

static gboolean
migrate_to_3 (TtStore  *self,
              GError  **error)
{
  return exec_all (self, tt_store_is_mysql (self) ? mysql_colours : sqlite_colours, error) &&
         tt_store_run_atomically (self, write_version_body, GINT_TO_POINTER (3), error);
}

/* Colours of tags that are gone: deleted by a program that does not know
 * the table. Ids are not given again (AUTOINCREMENT, InnoDB's counter),
 * except by a table made anew: see forget_colours_of_new_tags(). */
#define ORPHAN_COLOURS " FROM tt_tag_colour WHERE tag_id NOT IN (SELECT id FROM tags)"

static gboolean
drop_orphan_colours (TtStore  *self,
                     GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  /* Read first: most opens find none, and need not wait for a write lock. */
  gint64 n = tt_store_select_int64 (self, "SELECT COUNT(*)" ORPHAN_COLOURS, &local_error);

  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;

  return n == 0 || tt_store_exec_sql (self, "DELETE" ORPHAN_COLOURS, error);
}

/* The list's default order, by title (tt-store.c sorts by
 * COALESCE(title, ''), then id), read from an index instead of sorted at
 * every open: at 1 000 000 tutorials sorting took 0.6 s, the index scan
 * 0.1 s. SQLite only: MariaDB indexes an expression only through a
 * generated column, which would change the Node.js app's table.
 * It belongs to the tutorials table, so Sequelize's sync({force: true})
 * drops it with the table; every open and re-adoption makes it again.
 * A catalogue we may not write is sorted without it. */
static gboolean
ensure_title_order_index (TtStore  *self,
                          GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 n;

  if (tt_store_is_mysql (self) || self->read_only || self->file_read_only)
    return TRUE;

  /* Read first: an open that finds it writes nothing. */
  n = tt_store_select_int64 (self, "SELECT COUNT(*) FROM sqlite_master"
                                   " WHERE type = 'index' AND name = 'tt_tutorials_by_title'", &local_error);
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  return n > 0 || tt_store_exec_sql (self, "CREATE INDEX IF NOT EXISTS tt_tutorials_by_title"
                                           " ON tutorials (COALESCE(title, ''))", error);
}

/* Version 4: the search index (tt-store-search.c); its triggers are
 * made, and it is filled, by tt_store_search_ensure(). */
static gboolean
migrate_to_4 (TtStore  *self,
              GError  **error)
{
  return tt_store_search_create_tables (self, error) &&
         tt_store_run_atomically (self, write_version_body, GINT_TO_POINTER (4), error);
}

typedef gboolean (*TtMigration) (TtStore *self, GError **error);

/* The oldest schema whose catalogue this version can read unchanged. */
#define READABLE_FROM 3

static const TtMigration migrations[TT_SCHEMA_VERSION] = {
  migrate_to_1,
  migrate_to_2,
  migrate_to_3,
  migrate_to_4,
};

/* SQLite's count of schema changes to the file, by anyone; -1 on MySQL
 * or error. */
static gint64
read_schema_cookie (TtStore *self)
{
  g_autoptr(GError) error = NULL;

  if (tt_store_is_mysql (self))
    return -1;
  return tt_store_select_int64 (self, "PRAGMA schema_version", &error);
}

gboolean
tt_store_migrate (TtStore  *self,
                  GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  int version = read_schema_version (self, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (version > TT_SCHEMA_VERSION)
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_SCHEMA_TOO_NEW,
                   _("This catalogue was written by a newer version of Tutorial Tags (schema %d; this version knows %d). Please update the app; the catalogue was not changed."),
                   version, TT_SCHEMA_VERSION);
      return FALSE;
    }

  /* A catalogue we may not write, from a version whose tables this one
   * can read: read as it is, without what later versions add (the
   * search index: search reads the tables instead). */
  if ((self->read_only || self->file_read_only) && version >= READABLE_FROM &&
      version < TT_SCHEMA_VERSION)
    {
      self->schema_version = version;
      return tt_store_search_ensure (self, error);
    }

  /* Only now, with the file found fit and ours to change. */
  if (!tt_store_prepare_writing (self, error))
    return FALSE;

  if (version >= 1 && !adoption_intact (self) && !adopt_seed_tables (self, error))
    return FALSE;

  for (int v = version; v < TT_SCHEMA_VERSION; v++)
    {
      if (!migrations[v] (self, error))
        return FALSE;
    }

  if (!shorten_long_name_keys (self, error) || !drop_orphan_colours (self, error) ||
      !ensure_title_order_index (self, error) || !tt_store_journal_ensure_triggers (self, error) ||
      !tt_store_search_ensure (self, error))
    return FALSE;

  self->schema_version = TT_SCHEMA_VERSION;
  self->adopted_schema_cookie = read_schema_cookie (self);
  return TRUE;
}

/* All three seed tables are there, whatever their columns. */
static gboolean
seed_tables_there (TtStore *self)
{
  return tt_store_query_works (self, "SELECT id FROM tags WHERE 1 = 0") &&
         tt_store_query_works (self, "SELECT id FROM tutorials WHERE 1 = 0") &&
         tt_store_query_works (self, "SELECT tutorial_id FROM tutorial_tag WHERE 1 = 0");
}

/* A table missing is never made here, unlike at an open: Sequelize drops
 * tutorial_tag, tags and tutorials, then makes them again, one by one,
 * and a tutorial_tag of ours made in between (it references tags) made
 * its DROP TABLE tags fail ("Cannot delete or update a parent row"):
 * the Node.js app could not start. Until all three are there again,
 * another program is at work; the caller tries again later. */
static gboolean
readopt_once (TtStore  *self,
              GError  **error)
{
  if (!seed_tables_there (self))
    {
      g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_TABLES_CHANGED,
                           _("Another program is making the catalogue’s tables again"));
      return FALSE;
    }
  return (adoption_intact (self) || adopt_seed_tables (self, error)) &&
         shorten_long_name_keys (self, error) &&
         ensure_title_order_index (self, error) &&
         tt_store_journal_ensure_triggers (self, error) &&
         tt_store_search_ensure (self, error);
}

/* While the catalogue is open, another program made its tables again
 * (Sequelize's sync({force: true}): the Node.js app at every start in
 * development) or dropped some: a statement met a missing table or
 * column. Puts back what the adoption adds, as the next open would; the
 * journal's readers are then told to read everything again (see
 * tt_store_read_changes()). Only for a catalogue opened for writing, not
 * inside a transaction (MySQL's DDL would commit it) or a read snapshot
 * (tt_store_begin_reading(): it would write inside it), and not from
 * inside itself. A second try covers another client adopting the same
 * tables at the same moment (its ALTER first, ours then refused). */
gboolean
tt_store_readopt (TtStore  *self,
                  GError  **error)
{
  g_autoptr(GError) first_error = NULL;
  gboolean ok;

  if (self->readopting || self->in_transaction || self->reading || self->read_only || self->file_read_only ||
      self->schema_version != TT_SCHEMA_VERSION)
    return FALSE;

  self->readopting = TRUE;
  ok = readopt_once (self, &first_error) || readopt_once (self, error);
  self->readopting = FALSE;
  if (ok)
    {
      self->adoption_generation++;
      self->adopted_schema_cookie = read_schema_cookie (self);
    }
  return ok;
}

/**
 * tt_store_readopt_if_remade:
 *
 * SQLite: adopts the tables again when the file's schema changed since
 * they were adopted. Sequelize's sync({force: true}) makes them again
 * without our triggers, and with its columns only; on MySQL the next
 * read of the change journal meets that (a column is missing), but
 * search names none of our columns, and its index would miss every
 * tutorial added after. Quiet: a search is right without it, as at the
 * next open.
 */
void
tt_store_readopt_if_remade (TtStore *self)
{
  g_autoptr(GError) error = NULL;
  gint64 cookie;

  if (tt_store_is_mysql (self) || self->adopted_schema_cookie < 0)
    return;
  cookie = read_schema_cookie (self);
  if (cookie < 0 || cookie == self->adopted_schema_cookie)
    return;

  /* Failed (another program is still at work): tried again once the
   * schema changes again. Done, tt_store_readopt() noted the new one. */
  if (!tt_store_readopt (self, &error))
    {
      if (error != NULL)
        g_debug ("The catalogue’s tables were not adopted again: %s", error->message);
      self->adopted_schema_cookie = cookie;
    }
}

gboolean
tt_store_drop_tables (TtStore  *self,
                      GError  **error)
{
  static const char * const drops[] = {
    "DROP TABLE IF EXISTS tutorial_tag",
    "DROP TABLE IF EXISTS tags",
    "DROP TABLE IF EXISTS tutorials",
    "DROP TABLE IF EXISTS tt_schema_version",
    "DROP TABLE IF EXISTS tt_change_journal",
    "DROP TABLE IF EXISTS tt_tag_colour",
    "DROP TABLE IF EXISTS tt_search_text",
    "DROP TABLE IF EXISTS tt_search_stale",
    NULL
  };

  return exec_all (self, drops, error);
}
