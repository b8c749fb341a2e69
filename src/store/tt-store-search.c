/* tt-store-search.c: the search index of folded text, and its upkeep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search matches the folded text of a tutorial (tt_rules_search_key():
 * no case, no accents, compatibility forms), which neither database can
 * compute. So the store keeps it, one row a tutorial (title and
 * description apart: a match never spans the two), in tt_search_text:
 * on SQLite an FTS5 table with the trigram tokenizer (a substring of
 * three characters or more is found through the index), on MySQL two
 * binary columns that INSTR() scans without a collation (a quarter of the
 * time LIKE over a utf8mb4 column takes; MariaDB has no trigram index,
 * and InnoDB's FULLTEXT over trigram tokens took a second for a common
 * word; a search scans the store's copy of these rows in memory instead,
 * tt-store-search-copy.c). Both compare bytes of the same folded text:
 * the same tutorials match on both backends.
 *
 * Any client changes tutorials, the Node.js app and a mysql client too,
 * so triggers on tutorials write the id of each tutorial whose title or
 * description changed (or that was added or deleted) into
 * tt_search_stale. Its index row is not trusted while it is listed
 * there: search folds such a tutorial's text itself (a search
 * "candidate", see tt-store.c). The first search after changes brings
 * the index up to date (tt_store_search_refresh()), so the list stays
 * short. An import on SQLite writes the rows of the tutorials it adds
 * itself, in its transaction (TtSearchStaging).
 *
 * Where the triggers cannot be made (a MySQL user without the TRIGGER
 * privilege), the index cannot follow others' changes and search scans
 * the tables instead, as the journal's fallback does.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tt-rules.h"
#include "tt-store-private.h"

#define N_SEARCH_TRIGGERS 3
/* Stale entries brought up to date in one transaction. */
#define REFRESH_BATCH 20000
/* Index rows deleted by one statement. */
#define DELETE_BATCH 50

/* ---- tables ---------------------------------------------------------- */

static const char * const mysql_tables[] = {
  "CREATE TABLE IF NOT EXISTS tt_search_text ("
  " tutorial_id INTEGER NOT NULL,"
  " title MEDIUMBLOB NOT NULL,"
  " description MEDIUMBLOB NOT NULL,"
  " PRIMARY KEY (tutorial_id)"
  ") ENGINE=InnoDB",
  "CREATE TABLE IF NOT EXISTS tt_search_stale ("
  " seq BIGINT NOT NULL auto_increment,"
  " tutorial_id INTEGER NOT NULL,"
  " PRIMARY KEY (seq)"
  ") ENGINE=InnoDB",
  NULL
};

/* case_sensitive: the text is folded already, by our rules. */
#define SQLITE_FTS_TABLE \
  "CREATE VIRTUAL TABLE IF NOT EXISTS tt_search_text" \
  " USING fts5(title, description, tokenize = 'trigram case_sensitive 1')"
/* An SQLite built without FTS5: the same rows, scanned. */
#define SQLITE_PLAIN_TABLE \
  "CREATE TABLE IF NOT EXISTS tt_search_text (tutorial_id INTEGER PRIMARY KEY," \
  " title TEXT NOT NULL, description TEXT NOT NULL)"
/* Writing 1 000 000 tutorials' text into FTS5 is mostly merging its
 * segments. By default it merges 4 segments of a level at a time and
 * writes a new segment for each 1 MiB of terms; merging 16 at a time and
 * holding 16 MiB (the memory of a writer's transaction) took a test build
 * from 50 s to 23 s, and a search finds a common word as fast. */
static const char * const sqlite_fts_settings[] = {
  "INSERT INTO tt_search_text (tt_search_text, rank) VALUES ('automerge', 16)",
  "INSERT INTO tt_search_text (tt_search_text, rank) VALUES ('hashsize', 16777216)",
  NULL
};
#define SQLITE_STALE_TABLE \
  "CREATE TABLE IF NOT EXISTS tt_search_stale (seq INTEGER PRIMARY KEY AUTOINCREMENT, tutorial_id INTEGER NOT NULL)"

static gboolean
set_fts_settings (TtStore  *self,
                  GError  **error)
{
  for (guint i = 0; sqlite_fts_settings[i] != NULL; i++)
    if (!tt_store_exec_sql (self, sqlite_fts_settings[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
create_sqlite_tables (TtStore  *self,
                      GError  **error)
{
  g_autoptr(GError) fts_error = NULL;

  if (tt_store_exec_sql (self, SQLITE_FTS_TABLE, &fts_error))
    {
      if (!set_fts_settings (self, error))
        return FALSE;
    }
  else
    {
      if (strstr (fts_error->message, "no such module") == NULL)
        return g_propagate_error (error, g_steal_pointer (&fts_error)), FALSE;
      g_message ("This SQLite has no FTS5 (%s): search reads every tutorial's folded text.",
                 fts_error->message);
      if (!tt_store_exec_sql (self, SQLITE_PLAIN_TABLE, error))
        return FALSE;
    }
  return tt_store_exec_sql (self, SQLITE_STALE_TABLE, error);
}

/* Version 4 of the schema. */
gboolean
tt_store_search_create_tables (TtStore  *self,
                               GError  **error)
{
  if (!tt_store_is_mysql (self))
    return create_sqlite_tables (self, error);

  for (guint i = 0; mysql_tables[i] != NULL; i++)
    if (!tt_store_exec_sql (self, mysql_tables[i], error))
      return FALSE;
  return TRUE;
}

/* Whether tt_search_text is SQLite's FTS5 table (MATCH finds a
 * substring of three characters through the index). */
static gboolean
sqlite_fts (TtStore *self)
{
  g_autoptr(GError) error = NULL;

  return !tt_store_is_mysql (self) &&
         tt_store_select_int64 (self,
                                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'tt_search_text'"
                                " AND sql LIKE '%fts5%'", &error) > 0;
}

/* ---- triggers -------------------------------------------------------- */

/* Fixed text: names and columns are this file's constants. An update
 * lists the tutorial only when its text (or id) changed: linking a tag
 * touches updatedAt, and search need not look again. */
static const char * const mysql_triggers[N_SEARCH_TRIGGERS] = {
  "CREATE TRIGGER tt_search_tutorials_insert AFTER INSERT ON tutorials FOR EACH ROW"
  " INSERT INTO tt_search_stale (tutorial_id) VALUES (NEW.id)",
  "CREATE TRIGGER tt_search_tutorials_update AFTER UPDATE ON tutorials FOR EACH ROW"
  " INSERT INTO tt_search_stale (tutorial_id)"
  " SELECT NEW.id FROM DUAL WHERE NOT (NEW.title <=> OLD.title AND NEW.description <=> OLD.description"
  " AND NEW.id = OLD.id)"
  " UNION ALL SELECT OLD.id FROM DUAL WHERE NEW.id <> OLD.id",
  "CREATE TRIGGER tt_search_tutorials_delete AFTER DELETE ON tutorials FOR EACH ROW"
  " INSERT INTO tt_search_stale (tutorial_id) VALUES (OLD.id)",
};

static const char * const sqlite_triggers[N_SEARCH_TRIGGERS] = {
  "CREATE TRIGGER IF NOT EXISTS tt_search_tutorials_insert AFTER INSERT ON tutorials FOR EACH ROW"
  " BEGIN INSERT INTO tt_search_stale (tutorial_id) VALUES (NEW.id); END",
  "CREATE TRIGGER IF NOT EXISTS tt_search_tutorials_update AFTER UPDATE ON tutorials FOR EACH ROW"
  " WHEN NEW.title IS NOT OLD.title OR NEW.description IS NOT OLD.description OR NEW.id IS NOT OLD.id"
  " BEGIN INSERT INTO tt_search_stale (tutorial_id) VALUES (NEW.id);"
  " INSERT INTO tt_search_stale (tutorial_id) SELECT OLD.id WHERE NEW.id IS NOT OLD.id; END",
  "CREATE TRIGGER IF NOT EXISTS tt_search_tutorials_delete AFTER DELETE ON tutorials FOR EACH ROW"
  " BEGIN INSERT INTO tt_search_stale (tutorial_id) VALUES (OLD.id); END",
};

static const char * const trigger_names[N_SEARCH_TRIGGERS] = {
  "tt_search_tutorials_insert",
  "tt_search_tutorials_update",
  "tt_search_tutorials_delete",
};

/* Which of the triggers are there, as bits; -1 on error. A MySQL user
 * without the TRIGGER privilege sees none. */
static int
existing_triggers (TtStore  *self,
                   GError  **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  const char *sql = tt_store_is_mysql (self)
    ? "SELECT trigger_name FROM information_schema.triggers"
      " WHERE trigger_schema = DATABASE() AND trigger_name LIKE 'tt\\_search\\_%'"
    : "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tt_search_%'";
  int bits = 0;

  rows = tt_store_select_rows (self, tt_store_prepare (self, sql, NULL, error), NULL, types, error);
  if (rows == NULL)
    return -1;
  while (tt_rows_next (rows))
    for (guint i = 0; i < N_SEARCH_TRIGGERS; i++)
      if (g_strcmp0 (tt_value_get_string (tt_rows_get (rows, 0)), trigger_names[i]) == 0)
        bits |= 1 << i;
  return bits;
}

#define ALL_TRIGGERS ((1 << N_SEARCH_TRIGGERS) - 1)

static gboolean
create_missing_triggers (TtStore  *self,
                         int       existing,
                         GError  **error)
{
  const char * const *sql = tt_store_is_mysql (self) ? mysql_triggers : sqlite_triggers;

  for (guint i = 0; i < N_SEARCH_TRIGGERS; i++)
    if (!(existing & (1 << i)) && !tt_store_exec_sql (self, sql[i], error))
      return FALSE;
  return TRUE;
}

/* Everything in the index is stale: its rows were written for tutorials
 * that may have been dropped and made again while no trigger watched. */
static gboolean
reset_body (TtStore   *self,
            gpointer   data,
            GError   **error)
{
  return tt_store_exec_sql (self, "DELETE FROM tt_search_text", error) &&
         tt_store_exec_sql (self, "DELETE FROM tt_search_stale", error) &&
         tt_store_exec_sql (self, "INSERT INTO tt_search_stale (tutorial_id) SELECT id FROM tutorials", error);
}

/* Makes the triggers that are missing; if any was, nothing watched the
 * tutorials for a while (a new index, or tables made again by Sequelize),
 * and the whole index is listed stale. Another client making the same
 * trigger at the same moment makes ours fail: then it is there. */
static gboolean
make_triggers (TtStore  *self,
               int       existing,
               GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!create_missing_triggers (self, existing, &local_error))
    {
      if (g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_NO_PERMISSION))
        return TRUE;
      if (existing_triggers (self, NULL) != ALL_TRIGGERS)
        return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
    }

  self->search_indexed = TRUE;
  return tt_store_run_atomically (self, reset_body, NULL, error);
}

/**
 * tt_store_search_ensure:
 *
 * At every open and re-adoption: makes the index's triggers that are
 * missing (Sequelize's sync({force: true}) drops them with the table),
 * decides whether search may use the index, and brings it up to date.
 */
gboolean
tt_store_search_ensure (TtStore  *self,
                        GError  **error)
{
  int existing = existing_triggers (self, error);

  self->search_indexed = FALSE;
  self->search_fts = FALSE;
  if (existing < 0)
    return FALSE;

  self->search_fts = sqlite_fts (self);
  if (existing == ALL_TRIGGERS)
    self->search_indexed = TRUE;
  else if (!self->read_only && !self->file_read_only && !make_triggers (self, existing, error))
    return FALSE;

  return !self->search_indexed || tt_store_search_refresh (self, error);
}

/* ---- refresh --------------------------------------------------------- */

typedef struct
{
  gint64  id;
  gboolean gone;  /* the tutorial was deleted */
  char   *title;  /* folded */
  char   *description;
} IndexRow;

static void
index_row_clear (gpointer data)
{
  IndexRow *row = data;

  g_free (row->title);
  g_free (row->description);
}

typedef struct
{
  GArray  *rows;     /* IndexRow, one per tutorial */
  GArray  *written;  /* IndexRow pointers' indices with text */
  gint64   first_seq;
  gint64   last_seq;
  guint    n_read;
} Batch;

static void
batch_init (Batch *batch,
            guint  reserved)
{
  batch->rows = g_array_sized_new (FALSE, FALSE, sizeof (IndexRow), reserved);
  g_array_set_clear_func (batch->rows, index_row_clear);
  batch->written = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
batch_clear (Batch *batch)
{
  g_array_unref (batch->rows);
  g_array_unref (batch->written);
}

/* Folded text, as search compares it: a title or description. Text that
 * is not UTF-8 (the rules refuse it, another client may not) is kept as
 * it is, as search_query() searches for such text; NULL as "". */
static char *
fold_text (const char *text)
{
  char *folded = text != NULL ? tt_rules_search_key (text) : g_strdup ("");

  return folded != NULL ? folded : g_strdup (text);
}

/* The oldest stale entries with the tutorials' text now. */
static gboolean
read_stale (TtStore  *self,
            Batch    *batch,
            GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_INT64, TT_COL_AUTO, G_TYPE_STRING, G_TYPE_STRING,
                                 G_TYPE_NONE };
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(TtRows) rows = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT st.seq, st.tutorial_id, tu.id, tu.title, tu.description"
                                          " FROM tt_search_stale st LEFT JOIN tutorials tu"
                                          " ON tu.id = st.tutorial_id ORDER BY st.seq LIMIT %d",
                                          REFRESH_BATCH);

  rows = tt_store_select_rows (self, tt_store_prepare (self, sql, NULL, error), NULL, types, error);
  if (rows == NULL)
    return FALSE;

  for (; tt_rows_next (rows); batch->n_read++)
    {
      gint64 id = tt_value_get_int64 (tt_rows_get (rows, 1));
      IndexRow row = { id, TRUE, NULL, NULL };

      batch->last_seq = tt_value_get_int64 (tt_rows_get (rows, 0));
      if (batch->n_read == 0)
        batch->first_seq = batch->last_seq;
      if (!g_hash_table_add (seen, ID_KEY (id)))
        continue;  /* one row a tutorial: its text now is the same */
      if (tt_value_get_int64 (tt_rows_get (rows, 2)) != 0)
        {
          row.gone = FALSE;
          row.title = fold_text (tt_value_get_string (tt_rows_get (rows, 3)));
          row.description = fold_text (tt_value_get_string (tt_rows_get (rows, 4)));
        }
      g_array_append_val (batch->rows, row);
    }
  return TRUE;
}

/* Takes the entries read off the list, all of them or none: an entry
 * in their range that the read did not see (another client's change,
 * committed since) or one another client took already means the text
 * read may be older than the list says; the transaction is tried again. */
static gboolean
take_stale (TtStore  *self,
            Batch    *batch,
            GError  **error)
{
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, "DELETE FROM tt_search_stale"
                                               " WHERE seq BETWEEN ##first::int64 AND ##last::int64",
                                         &params, error);
  int n = 0;

  if (stmt == NULL)
    return FALSE;
  tt_params_set_int64 (params, "first", batch->first_seq);
  tt_params_set_int64 (params, "last", batch->last_seq);
  if (!tt_store_exec (self, stmt, params, &n, error))
    return FALSE;
  if ((guint) n != batch->n_read)
    {
      g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_CONFLICT,
                           "Another client changed the search index at the same time");
      return FALSE;
    }
  return TRUE;
}

static char *
delete_rows_sql (TtStore *self)
{
  GString *sql = g_string_new (tt_store_is_mysql (self) ? "DELETE FROM tt_search_text WHERE tutorial_id IN ("
                                                        : "DELETE FROM tt_search_text WHERE rowid IN (");

  for (guint i = 0; i < DELETE_BATCH; i++)
    g_string_append_printf (sql, "%s##i%u::int64", i > 0 ? ", " : "", i);
  g_string_append (sql, ")");
  return g_string_free (sql, FALSE);
}

/* Deletes the index rows of the batch's tutorials, DELETE_BATCH a
 * statement (a short one repeats its first id). */
static gboolean
delete_index_rows (TtStore  *self,
                   Batch    *batch,
                   GError  **error)
{
  g_autofree char *sql = delete_rows_sql (self);

  for (guint start = 0; start < batch->rows->len; start += DELETE_BATCH)
    {
      GdaSet *params = NULL;
      GdaStatement *stmt = tt_store_prepare (self, sql, &params, error);

      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; i < DELETE_BATCH; i++)
        {
          guint at = start + i < batch->rows->len ? start + i : start;
          char name[16];

          g_snprintf (name, sizeof name, "i%u", i);
          tt_params_set_int64 (params, name, g_array_index (batch->rows, IndexRow, at).id);
        }
      if (!tt_store_exec (self, stmt, params, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static void
bind_index_row (gpointer     data,
                TtRowWriter *writer,
                guint        row)
{
  Batch *batch = data;
  const IndexRow *index_row = &g_array_index (batch->rows, IndexRow,
                                              g_array_index (batch->written, guint, row));

  tt_row_writer_add_int64 (writer, index_row->id);
  tt_row_writer_add_string (writer, index_row->title);
  tt_row_writer_add_string (writer, index_row->description);
}

/* On SQLite, index rows go through a table of our connection's own
 * (temp) and into FTS5 by one INSERT … SELECT: FTS5 writes what it holds
 * as a new segment at the start of every statement that writes to it,
 * so rows written 200 a statement made 25 times the segments to merge. */
#define STAGED_TABLE \
  "CREATE TEMP TABLE IF NOT EXISTS tt_search_staged" \
  " (id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL)"

static gboolean
stage_index_rows (TtStore  *self,
                  Batch    *batch,
                  GError  **error)
{
  return tt_store_exec_sql (self, STAGED_TABLE, error) &&
         tt_store_insert_batches (self, "INSERT INTO temp.tt_search_staged (id, title, description) VALUES",
                                  "(##id@::int64, ##title@::string, ##description@::string)",
                                  batch->written->len, TT_BATCH_ROWS, bind_index_row, batch, NULL, error);
}

/* Replaces the index rows of the staged ids by the staged rows. */
static gboolean
move_staged_rows (TtStore  *self,
                  GError  **error)
{
  return tt_store_exec_sql (self, STAGED_TABLE, error) &&
         tt_store_exec_sql (self, "DELETE FROM tt_search_text WHERE rowid IN (SELECT id FROM temp.tt_search_staged)",
                            error) &&
         tt_store_exec_sql (self, "INSERT INTO tt_search_text (rowid, title, description)"
                                  " SELECT id, title, description FROM temp.tt_search_staged", error) &&
         tt_store_exec_sql (self, "DELETE FROM temp.tt_search_staged", error);
}

static gboolean
insert_index_rows (TtStore  *self,
                   Batch    *batch,
                   GError  **error)
{
  for (guint i = 0; i < batch->rows->len; i++)
    if (!g_array_index (batch->rows, IndexRow, i).gone)
      g_array_append_val (batch->written, i);

  if (!tt_store_is_mysql (self))
    return stage_index_rows (self, batch, error) && move_staged_rows (self, error);
  return tt_store_insert_batches (self, "INSERT INTO tt_search_text (tutorial_id, title, description) VALUES",
                                  "(##id@::int64, ##title@::string, ##description@::string)",
                                  batch->written->len, TT_BATCH_ROWS, bind_index_row, batch, NULL, error);
}

/* One batch, inside a transaction; @data is a gboolean set when the
 * list is empty now. Starts from nothing at every try. */
static gboolean
refresh_body (TtStore   *self,
              gpointer   data,
              GError   **error)
{
  gboolean *done = data;
  Batch batch = { 0 };
  gboolean ok;

  batch_init (&batch, 0);
  ok = read_stale (self, &batch, error) &&
       (batch.n_read == 0 ||
        (take_stale (self, &batch, error) && delete_index_rows (self, &batch, error) &&
         insert_index_rows (self, &batch, error)));
  *done = batch.n_read < REFRESH_BATCH;

  batch_clear (&batch);
  return ok;
}

/* ---- tutorials an import adds --------------------------------------- */

/* Rows staged before they are moved into the index (about 360 MB of
 * temporary file): each move adds segments for FTS5 to merge. Building
 * 1 000 000 rows' index took 22.9–24.5 s in one move against 27.2–28.5 s
 * in four (FTS5 alone, in Python), and made 980 MB against 1 206. */
#define STAGED_ROWS_MAX 1000000

struct _TtSearchStaging
{
  TtStore *store;
  gint64   stale_end;  /* the newest stale entry before the import */
  guint    n_staged;
};

/**
 * tt_search_staging_new:
 *
 * For a bulk import on SQLite, which indexes the tutorials it adds while
 * it holds their text, and takes the triggers' entries for them off the
 * stale list, instead of leaving them to the refresh after the commit,
 * which would read every one back (at 1 000 000 tutorials, most of the
 * import's time). The entries after those there now are all the
 * import's: nobody else writes before it commits.
 *
 * Returns: (nullable): NULL with @error unset where the refresh does it:
 * without an index, and on MySQL, where the index is shared and its rows
 * locked for the minutes a large import takes would stall every other
 * client's refresh.
 */
TtSearchStaging *
tt_search_staging_new (TtStore  *self,
                       GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  TtSearchStaging *staging;
  gint64 stale_end;

  if (!self->search_indexed || tt_store_is_mysql (self))
    return NULL;
  stale_end = tt_store_select_int64 (self, "SELECT COALESCE(MAX(seq), 0) FROM tt_search_stale", &local_error);
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), NULL;
  /* An index made before the settings were given gets them here, in a
   * transaction that writes anyway, rather than at an open. */
  if (self->search_fts && !set_fts_settings (self, error))
    return NULL;

  staging = g_new0 (TtSearchStaging, 1);
  staging->store = self;
  staging->stale_end = stale_end;
  return staging;
}

void
tt_search_staging_free (TtSearchStaging *staging)
{
  g_free (staging);
}

/**
 * tt_search_staging_add:
 * @tutorials: tutorials the import's transaction has just added
 * @ids: their ids, in the same order
 *
 * Folds their text and stages it; moves what is staged into the index
 * when there is much of it.
 */
gboolean
tt_search_staging_add (TtSearchStaging  *staging,
                       GListModel       *tutorials,
                       GArray           *ids,
                       GError          **error)
{
  TtStore *self = staging->store;
  Batch batch = { 0 };
  gboolean ok;

  g_return_val_if_fail (ids->len == g_list_model_get_n_items (tutorials), FALSE);

  batch_init (&batch, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);
      IndexRow row = { g_array_index (ids, gint64, i), FALSE,
                       fold_text (tt_tutorial_get_title (tutorial)),
                       fold_text (tt_tutorial_get_description (tutorial)) };
      guint at = i;

      g_array_append_val (batch.rows, row);
      g_array_append_val (batch.written, at);
    }

  ok = stage_index_rows (self, &batch, error);
  staging->n_staged += ids->len;
  if (ok && staging->n_staged >= STAGED_ROWS_MAX)
    {
      ok = move_staged_rows (self, error);
      staging->n_staged = 0;
    }

  batch_clear (&batch);
  return ok;
}

/**
 * tt_search_staging_finish:
 *
 * At the end of the import, before it commits: moves the rest into the
 * index and takes the import's entries off the stale list.
 */
gboolean
tt_search_staging_finish (TtSearchStaging  *staging,
                          GError          **error)
{
  TtStore *self = staging->store;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  if (!move_staged_rows (self, error))
    return FALSE;
  staging->n_staged = 0;

  stmt = tt_store_prepare (self, "DELETE FROM tt_search_stale WHERE seq > ##since::int64", &params, error);
  if (stmt == NULL)
    return FALSE;
  tt_params_set_int64 (params, "since", staging->stale_end);
  return tt_store_exec (self, stmt, params, NULL, error);
}

/* ---- refresh, continued ---------------------------------------------- */

/* Whether anything is listed stale: most calls find nothing, and need
 * not take a write lock to learn it. */
static gboolean
anything_stale (TtStore  *self,
                GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 n = tt_store_select_int64 (self, "SELECT COUNT(*) FROM (SELECT seq FROM tt_search_stale LIMIT 1) s",
                                    &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return n > 0;
}

/**
 * tt_store_search_refresh:
 *
 * Brings the index rows of the tutorials listed stale up to date, a
 * batch a transaction, for a catalogue open for writing that has an
 * index. Others (read-only) search with the list as it is: its
 * tutorials are folded at each search.
 */
gboolean
tt_store_search_refresh (TtStore  *self,
                         GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean done = FALSE;

  if (!self->search_indexed || self->read_only || self->file_read_only || self->in_transaction)
    return TRUE;
  if (!anything_stale (self, &local_error))
    return local_error == NULL || (g_propagate_error (error, g_steal_pointer (&local_error)), FALSE);

  while (!done)
    if (!tt_store_run_atomically (self, refresh_body, &done, error))
      return FALSE;
  return TRUE;
}

/**
 * tt_store_search_refresh_quietly:
 *
 * tt_store_search_refresh() where its failure is nobody's: search is
 * right without it (it folds the stale tutorials itself), and the work
 * that called it (a search, an import) is done.
 */
void
tt_store_search_refresh_quietly (TtStore *self)
{
  g_autoptr(GError) error = NULL;

  if (!tt_store_search_refresh (self, &error))
    g_debug ("The search index was not brought up to date: %s", error->message);
}
