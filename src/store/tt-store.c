/* tt-store.c: the catalogue's operations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every public operation takes the store's lock, so the synchronous API
 * (the CLI, the tests) and the worker thread that runs the asynchronous API
 * (the window) never use the connection at the same time. The window only
 * uses the _async calls: the GTK main loop never waits on the database.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tt-object-list.h"
#include "tt-rules.h"
#include "tt-store-private.h"

G_DEFINE_FINAL_TYPE (TtStore, tt_store, G_TYPE_OBJECT)

#define LOCKED(self) \
  g_autoptr(GRecMutexLocker) G_PASTE (locker, __LINE__) = g_rec_mutex_locker_new (&(self)->lock)

/* Column lists and their types: ids are read as 64-bit on both backends. */
#define TUTORIAL_COLUMNS "tu.id, tu.title, tu.description, tu.createdAt, tu.updatedAt"
/* The colour by a subquery on tt_tag_colour's key rather than a join:
 * one lookup per tag row all the same, and every query that lists tags
 * gets it by naming these columns, whatever its FROM. */
#define TAG_COLUMNS "t.id, t.name, t.createdAt, t.updatedAt," \
  " (SELECT c.colour FROM tt_tag_colour c WHERE c.tag_id = t.id)"
#define TUTORIAL_TYPES G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING, TT_COL_AUTO, TT_COL_AUTO
#define TAG_TYPES G_TYPE_INT64, G_TYPE_STRING, TT_COL_AUTO, TT_COL_AUTO, G_TYPE_STRING

/* Rows are fetched by id this many at a time; short batches repeat their
 * first id, so every batch is the same statement (one cache entry). */
#define ID_BATCH 50

static void worker_run (gpointer data, gpointer user_data);
static TtRows *select_id_batch (TtStore *self, const char *head, const gint64 *ids, guint n,
                                const GType *types, GError **error);

/* ---- object ---------------------------------------------------------- */

static void
tt_store_dispose (GObject *object)
{
  TtStore *self = (TtStore *)object;

  tt_store_close (self);

  G_OBJECT_CLASS (tt_store_parent_class)->dispose (object);
}

static void
tt_store_finalize (GObject *object)
{
  TtStore *self = (TtStore *)object;

  tt_store_sql_clear (self);
  g_clear_pointer (&self->location, tt_db_location_free);
  g_clear_pointer (&self->stamp_reader, tt_journal_reader_free);
  g_clear_pointer (&self->search_copy, tt_search_copy_free);
  g_clear_pointer (&self->kept_order, tt_kept_order_free);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tt_store_parent_class)->finalize (object);
}

static void
tt_store_class_init (TtStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tt_store_dispose;
  object_class->finalize = tt_store_finalize;
}

static void
tt_store_init (TtStore *self)
{
  g_rec_mutex_init (&self->lock);
  tt_store_sql_init (self);
  self->adopted_schema_cookie = -1;
}

/* ---- opening --------------------------------------------------------- */

static gpointer
init_gda (gpointer data)
{
  gda_init ();
  return NULL;
}

/* A store that is not connected yet. */
TtStore *
tt_store_new_unopened (const TtDbLocation *location,
                       const char         *password)
{
  static GOnce gda_once = G_ONCE_INIT;
  TtStore *self;

  g_once (&gda_once, init_gda, NULL);

  self = g_object_new (TT_TYPE_STORE, NULL);
  self->location = tt_db_location_copy (location);
  self->password = g_strdup (password);
  return self;
}

/* With an @attempt, the deadline covers connecting only: creating or
 * adopting the tables of a large catalogue may take longer, and then the
 * server has answered. */
static TtStore *
open_store (const TtDbLocation  *location,
            const char          *password,
            TtAttempt           *attempt,
            GError             **error)
{
  g_autoptr(TtStore) self = tt_store_new_unopened (location, password);

  if (!tt_store_connect (self, error))
    return NULL;

  if (!tt_attempt_connected (attempt))
    {
      /* Nobody reads this: the caller was told it timed out already. */
      tt_store_disconnect (self);
      g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_TIMED_OUT,
                           "Connected after the deadline");
      return NULL;
    }

  /* The integrity check reads every page of the catalogue's tables:
   * 1.1 s of the 1.5 s before the window's first rows at 1 000 000
   * tutorials. It runs before the first write (tt-store-sql.c) and
   * tt_store_open() runs it before returning; a window asks for it once
   * its lists are read (tt_store_finish_check()). Opening an intact,
   * up-to-date catalogue writes nothing. */
  self->check_pending = !tt_store_is_mysql (self);
  if (!tt_store_migrate (self, error))
    {
      tt_store_disconnect (self);
      return NULL;
    }

  self->worker = g_thread_pool_new (worker_run, self, 1, FALSE, NULL);
  return g_steal_pointer (&self);
}

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Blocks, with the same deadline as tt_store_open_async() (the CLI must
 * not hang on a server that does not answer): the asynchronous open runs
 * on a main context of its own, which this thread iterates. A SQLite
 * file is checked before this returns: nothing is read from a damaged
 * one as if it were whole. */
TtStore *
tt_store_open (const TtDbLocation  *location,
               const char          *password,
               GError             **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TtStore *store;

  g_return_val_if_fail (location != NULL, NULL);

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  tt_store_open_async (location, password, NULL, open_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  store = tt_store_open_finish (result, error);
  if (store != NULL && !tt_store_finish_check (store, error))
    g_clear_object (&store);
  return store;
}

void
tt_store_close (TtStore *self)
{
  g_return_if_fail (TT_IS_STORE (self));

  /* Queued jobs hold a reference, so this runs once they are done or when
   * called explicitly; then let the running one finish. When the worker
   * itself dropped the last reference it cannot wait for itself. */
  if (self->worker != NULL)
    {
      gboolean on_worker = g_thread_self () == self->worker_thread;

      g_thread_pool_free (g_steal_pointer (&self->worker), on_worker, !on_worker);
    }

  LOCKED (self);
  tt_store_disconnect (self);
}

TtDbBackend
tt_store_get_backend (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), TT_DB_BACKEND_SQLITE);

  return self->location->backend;
}

/**
 * tt_store_finish_check:
 *
 * Runs the integrity check of a SQLite catalogue that
 * tt_store_open_async() left for later, if it has not run yet (a write
 * runs it first). Blocks: from a window, run it as a job.
 *
 * Returns: %FALSE with TT_STORE_ERROR_CORRUPT when the file is damaged
 * (found now, or before)
 */
gboolean
tt_store_finish_check (TtStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  LOCKED (self);
  return tt_store_refuse_if_damaged (self, error);
}

gboolean
tt_store_is_damaged (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  return self->damaged;
}

int
tt_store_get_schema_version (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), 0);

  return self->schema_version;
}

gboolean
tt_store_reset (TtStore  *self,
                GError  **error)
{
  gboolean ok;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  LOCKED (self);
  if (!tt_store_ensure_alive (self, error))
    return FALSE;

  /* The tables are missing on purpose in between: nothing to adopt. */
  self->readopting = TRUE;
  ok = tt_store_drop_tables (self, error) && tt_store_migrate (self, error);
  self->readopting = FALSE;
  return ok;
}

/* ---- input rules ----------------------------------------------------- */

typedef enum
{
  RECORD_TUTORIAL,
  RECORD_TAG,
} Record;

static gboolean
not_found (GError **error,
           Record   record,
           gint64   id)
{
  char number[32];

  /* The number is formatted first: xgettext cannot read G_GINT64_FORMAT
   * inside a translatable string. */
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
  if (record == RECORD_TAG)
    g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND, _("Tag %s does not exist"), number);
  else
    g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND, _("Tutorial %s does not exist"), number);
  return FALSE;
}

gboolean
tt_store_tag_not_found (GError **error,
                        gint64   id)
{
  return not_found (error, RECORD_TAG, id);
}

char *
tt_now_sql (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return tt_format_sql_time (now);
}

/* What tt_format_sql_time() stored, read back: whole seconds. */
static GDateTime *
parse_sql_time (const char *text)
{
  GValue v = G_VALUE_INIT;
  GDateTime *result;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_static_string (&v, text);
  result = tt_value_get_date_time (&v);
  g_value_unset (&v);
  return result;
}

/* ---- reading rows ---------------------------------------------------- */

static GDateTime *
row_date_time (TtRows *rows,
               int     col)
{
  return tt_value_get_date_time (tt_rows_get (rows, col));
}

static gint64
row_int64 (TtRows *rows,
           int     col)
{
  return tt_value_get_int64 (tt_rows_get (rows, col));
}

static const char *
row_string (TtRows *rows,
            int     col)
{
  return tt_value_get_string (tt_rows_get (rows, col));
}

TtTutorial *
tt_store_tutorial_from_row (TtRows *rows,
                   int     col)
{
  g_autoptr(GDateTime) created = row_date_time (rows, col + 3);
  g_autoptr(GDateTime) updated = row_date_time (rows, col + 4);
  TtTutorial *tutorial;

  tutorial = tt_tutorial_new (row_int64 (rows, col), row_string (rows, col + 1),
                              row_string (rows, col + 2));
  tt_tutorial_set_created_at (tutorial, created);
  tt_tutorial_set_updated_at (tutorial, updated);
  return tutorial;
}

TtTag *
tt_store_tag_from_row (TtRows *rows,
              int     col)
{
  g_autoptr(GDateTime) created = row_date_time (rows, col + 2);
  g_autoptr(GDateTime) updated = row_date_time (rows, col + 3);
  TtTag *tag;

  tag = tt_tag_new (row_int64 (rows, col), row_string (rows, col + 1));
  tt_tag_set_created_at (tag, created);
  tt_tag_set_updated_at (tag, updated);
  return tag;
}

/* TAG_COLUMNS of a row, with the colour. */
static TtTag *
coloured_tag_from_row (TtRows *rows,
                       int     col)
{
  TtTag *tag = tt_store_tag_from_row (rows, col);

  tt_tag_set_colour (tag, row_string (rows, col + 4));
  return tag;
}

/* The id's row count in @table: 0 or 1. */
static gint64
count_by_id (TtStore     *self,
             const char  *sql,
             gint64       id,
             GError     **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, sql, &params, error);

  if (stmt == NULL)
    return -1;

  tt_params_set_int64 (params, "id", id);
  rows = tt_store_select_rows (self, stmt, params, types, error);
  if (rows == NULL)
    return -1;

  return tt_rows_next (rows) ? row_int64 (rows, 0) : 0;
}

static gboolean
tutorial_exists (TtStore  *self,
                 gint64    id,
                 GError  **error)
{
  gint64 n = count_by_id (self, "SELECT COUNT(*) FROM tutorials WHERE id = ##id::int64", id, error);

  return n > 0 || (n == 0 && not_found (error, RECORD_TUTORIAL, id));
}

static gboolean
tag_exists (TtStore  *self,
            gint64    id,
            GError  **error)
{
  gint64 n = count_by_id (self, "SELECT COUNT(*) FROM tags WHERE id = ##id::int64", id, error);

  return n > 0 || (n == 0 && not_found (error, RECORD_TAG, id));
}

/* Both ends of a link, in one round trip (a link is the most frequent
 * write, and on a server each query is a round trip). */
static gboolean
pair_exists (TtStore  *self,
             gint64    tutorial_id,
             gint64    tag_id,
             GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (self,
                           "SELECT (SELECT COUNT(*) FROM tutorials WHERE id = ##tutorial::int64),"
                           " (SELECT COUNT(*) FROM tags WHERE id = ##tag::int64)",
                           &params, error);
  if (stmt != NULL)
    {
      tt_params_set_int64 (params, "tutorial", tutorial_id);
      tt_params_set_int64 (params, "tag", tag_id);
    }
  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)))
    return FALSE;

  if (!tt_rows_next (rows) || row_int64 (rows, 0) == 0)
    return not_found (error, RECORD_TUTORIAL, tutorial_id);
  if (row_int64 (rows, 1) == 0)
    return not_found (error, RECORD_TAG, tag_id);

  return TRUE;
}

/* Inside a transaction already: @func joins it. Its failure dooms the
 * whole transaction, even when the caller goes on without the error:
 * the statements it ran before failing are not undone on their own. */
static gboolean
run_nested (TtStore            *self,
            TtStoreAtomicFunc   func,
            gpointer            data,
            GError            **error)
{
  gboolean ok;

  self->tx_depth++;
  ok = func (self, data, error);
  self->tx_depth--;
  if (!ok)
    self->tx_doomed = TRUE;
  return ok;
}

static gboolean
doomed (GError **error)
{
  g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                       _("Part of the change failed, so none of it was saved"));
  return FALSE;
}

/* The server rolled the transaction back while @func went on (it may
 * have let the error pass): whatever it says, none of it happened. */
static gboolean
conflicted (GError **error)
{
  g_clear_error (error);
  g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_CONFLICT,
                       _("The server rolled the transaction back after a conflict with another client"));
  return FALSE;
}

/* A Galera node may roll back a transaction for another node's commit
 * while the client is between statements, and the next statement may then
 * run outside it without reporting a conflict: a failure on MySQL is
 * checked against the server's own word that the transaction is open.
 * Not after a lost connection (the store reconnected, and no transaction
 * is open on the new one): a write cut off is never run again. */
static void
note_ended_by_server (TtStore *self)
{
  g_autoptr(GError) error = NULL;

  if (!tt_store_is_mysql (self) || self->tx_conflict || self->cnc == NULL ||
      !self->in_transaction)
    return;
  if (tt_store_select_int64 (self, "SELECT @@in_transaction", &error) == 0)
    {
      g_debug ("The server ended the transaction: a conflict");
      self->tx_conflict = TRUE;
    }
}

static gboolean
run_transaction (TtStore            *self,
                 TtStoreAtomicFunc   func,
                 gpointer            data,
                 GError            **error)
{
  gboolean ok;

  if (!tt_store_begin (self, error))
    return FALSE;

  self->tx_doomed = FALSE;
  self->tx_depth = 1;
  ok = func (self, data, error);
  self->tx_depth = 0;
  if (!ok)
    note_ended_by_server (self);
  if (self->tx_conflict)
    ok = conflicted (error);
  else if (ok && self->tx_doomed)
    ok = doomed (error);

  if (!ok)
    {
      tt_store_rollback (self);
      return FALSE;
    }

  return tt_store_commit (self, error);
}

gboolean
tt_store_run_atomically_once (TtStore            *self,
                              TtStoreAtomicFunc   func,
                              gpointer            data,
                              GError            **error)
{
  LOCKED (self);
  if (self->tx_depth > 0)
    return run_nested (self, func, data, error);

  return run_transaction (self, func, data, error);
}

/**
 * tt_store_run_atomically:
 * @func: the work; every store call it makes joins the transaction
 *
 * Runs @func inside one transaction: everything it changed is committed
 * together when it returns %TRUE, and rolled back when it fails, when
 * any atomic operation inside it failed, or when the commit fails. Calls
 * nest: an inner one joins the outer transaction (MySQL has no nested
 * BEGIN, and libgda no savepoints there). The store's lock is held
 * throughout, so no other thread's call comes in between.
 *
 * When the server rolled the transaction back because of a conflict with
 * another client (a deadlock; on a Galera cluster, another node's commit
 * of the same rows), @func is run again from the start in a new
 * transaction, up to TT_STORE_CONFLICT_TRIES times in all: so @func must
 * start from @data as the caller gave it, not from what a try left.
 */
gboolean
tt_store_run_atomically (TtStore            *self,
                         TtStoreAtomicFunc   func,
                         gpointer            data,
                         GError            **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  LOCKED (self);
  if (self->tx_depth > 0)
    return run_nested (self, func, data, error);

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (run_transaction (self, func, data, &local_error))
        return TRUE;
      if (!tt_store_wait_before_retry (self, local_error, attempt))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}

/* ---- tutorials ------------------------------------------------------- */

TtTutorial *
tt_store_create_tutorial (TtStore     *self,
                          const char  *title,
                          const char  *description,
                          GError     **error)
{
  g_autofree char *now = tt_now_sql ();
  g_autoptr(GDateTime) created = NULL;
  TtTutorial *tutorial;
  GdaStatement *stmt;
  GdaSet *params;
  gint64 id;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  if (!tt_rules_check_title (title, error) || !tt_rules_check_description (description, error))
    return NULL;

  LOCKED (self);
  stmt = tt_store_prepare (self,
                           "INSERT INTO tutorials (title, description, createdAt, updatedAt)"
                           " VALUES (##title::string, ##description::string::null,"
                           " ##now::string, ##now::string)",
                           &params, error);
  if (stmt == NULL)
    return NULL;

  tt_params_set_string (params, "title", title);
  tt_params_set_string (params, "description", description != NULL ? description : "");
  tt_params_set_string (params, "now", now);
  if (!tt_store_exec (self, stmt, params, NULL, error) ||
      (id = tt_store_last_insert_id (self, error)) <= 0)
    return NULL;

  created = parse_sql_time (now);
  tutorial = tt_tutorial_new (id, title, description);
  tt_tutorial_set_created_at (tutorial, created);
  tt_tutorial_set_updated_at (tutorial, created);
  return tutorial;
}

/* A tutorial's tags and a tag's tutorials come as one column of ids,
 * "3,1,2" (GROUP_CONCAT on both backends): a row per owner instead of a
 * row per link, which is most of what a large list costs through libgda. */
#define TAG_IDS_OF_TUTORIAL \
  "(SELECT GROUP_CONCAT(l.tag_id) FROM tutorial_tag l WHERE l.tutorial_id = tu.id)"
#define TUTORIAL_IDS_OF_TAG \
  "(SELECT GROUP_CONCAT(l.tutorial_id) FROM tutorial_tag l WHERE l.tag_id = t.id)"

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Appends the ids of a GROUP_CONCAT list ("3,1,2") to @ids. */
static void
parse_listed_ids (const char *csv,
                  GArray     *ids)
{
  char *end;

  for (const char *p = csv; p != NULL && *p != '\0'; p = *end == ',' ? end + 1 : end)
    {
      gint64 id = g_ascii_strtoll (p, &end, 10);

      if (end == p)
        break;
      g_array_append_val (ids, id);
    }
}

/* Replaces @list's items by the objects of @objects whose ids @csv
 * lists, in id order (GROUP_CONCAT promises no order), in one splice. */
static void
attach_listed (GListModel *list,
               const char *csv,
               GHashTable *objects)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) items = NULL;

  /* No links: leave the list unmade (TtTag and TtTutorial make it on
   * demand), which saves memory on large lists. */
  if (csv == NULL || *csv == '\0')
    return;

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  items = g_ptr_array_new ();
  parse_listed_ids (csv, ids);
  g_array_sort (ids, compare_ids);

  for (guint i = 0; i < ids->len; i++)
    {
      gpointer item = g_hash_table_lookup (objects, ID_KEY (g_array_index (ids, gint64, i)));

      if (item != NULL)
        g_ptr_array_add (items, item);
    }

  tt_object_list_splice (TT_OBJECT_LIST (list), 0, g_list_model_get_n_items (list),
                         items->pdata, items->len);
}

typedef gpointer (*FromRow) (TtRows *rows, int col);

/* Every row of a select as an object, by id (the table owns them). */
static GHashTable *
load_by_id (TtStore      *self,
            GdaStatement *stmt,
            GdaSet       *params,
            const GType  *types,
            FromRow       from_row,
            GError      **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  g_autoptr(TtRows) rows = tt_store_select_rows (self, stmt, params, types, error);

  if (rows == NULL)
    return NULL;

  while (tt_rows_next (rows))
    g_hash_table_insert (by_id, ID_KEY (row_int64 (rows, 0)), from_row (rows, 0));

  return g_steal_pointer (&by_id);
}

static GHashTable *
load_all_tags (TtStore  *self,
               GError  **error)
{
  static const GType types[] = { TAG_TYPES, G_TYPE_NONE };

  return load_by_id (self, tt_store_prepare (self, "SELECT " TAG_COLUMNS " FROM tags t", NULL, error),
                     NULL, types, (FromRow) coloured_tag_from_row, error);
}


TtTutorial *
tt_store_get_tutorial (TtStore  *self,
                       gint64    id,
                       GError  **error)
{
  static const GType types[] = { TUTORIAL_TYPES, TAG_TYPES, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  GdaStatement *stmt;
  GdaSet *params;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  LOCKED (self);
  stmt = tt_store_prepare (self,
                           "SELECT " TUTORIAL_COLUMNS ", " TAG_COLUMNS
                           " FROM tutorials tu"
                           " LEFT JOIN tutorial_tag x ON x.tutorial_id = tu.id"
                           " LEFT JOIN tags t ON t.id = x.tag_id"
                           " WHERE tu.id = ##id::int64 ORDER BY x.tag_id",
                           &params, error);
  if (stmt != NULL)
    tt_params_set_int64 (params, "id", id);
  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)))
    return NULL;

  while (tt_rows_next (rows))
    {
      g_autoptr(TtTag) tag = NULL;

      if (tutorial == NULL)
        tutorial = tt_store_tutorial_from_row (rows, 0);
      if (row_int64 (rows, 5) == 0)
        continue;  /* no tags: the LEFT JOIN's NULL row */
      tag = coloured_tag_from_row (rows, 5);
      g_list_store_append (tags, tag);
    }

  if (tutorial == NULL)
    return not_found (error, RECORD_TUTORIAL, id), NULL;

  tt_tutorial_set_tags (tutorial, G_LIST_MODEL (tags));
  return g_steal_pointer (&tutorial);
}

/* ---- search ----------------------------------------------------------
 *
 * Search ignores case, accents and compatibility forms, identically on
 * both backends: what matches is decided by tt_rules_search_key(), the
 * fold the tag suggestions use. Neither database can fold that way
 * (SQLite's LIKE knows only ASCII case; MariaDB's follows its collation,
 * which has its own idea of "ß" and none of "ﬁ" or of a decomposed
 * accent), so the work is split:
 *
 * - text that holds the folded pattern, ASCII letters in any case,
 *   folds to one that holds it (like_sql()); text that is all ASCII
 *   folds to its lower case, so for it LIKE decides exactly, on both
 *   backends: that is most rows, in one scan, as before;
 * - a tutorial with a non-ASCII title or description, or with a
 *   non-ASCII tag name, is a candidate: the query lets it through, and
 *   the store reads the candidates LIKE did not match and drops those
 *   whose folded text does not hold the folded pattern either
 *   (search_rejects()).
 *
 * Every value is bound; the pieces below are fixed SQL. */

/* Whether a text column holds anything outside ASCII: its length in
 * bytes and in characters differ. */
static char *
non_ascii_sql (gboolean    mysql,
               const char *column)
{
  return mysql ? g_strdup_printf ("LENGTH(COALESCE(%s, '')) <> CHAR_LENGTH(COALESCE(%s, ''))",
                                  column, column)
               : g_strdup_printf ("length(CAST(COALESCE(%s, '') AS BLOB)) <> length(COALESCE(%s, ''))",
                                  column, column);
}

/* The text holds the folded pattern, ASCII letters in any case (LIKE on
 * SQLite; on MariaDB the lower case compared byte for byte, keeping the
 * collation's own equivalences out). That the text then folds to one
 * holding it too follows from the fold going a character at a time:
 * the characters matched fold to the pattern. The reverse is what
 * needs the store: "CAFÉ" folds to "cafe" but does not match it. */
static char *
like_sql (gboolean    mysql,
          const char *column)
{
  return mysql ? g_strdup_printf ("LOWER(%s) COLLATE utf8mb4_bin LIKE ##pattern::string ESCAPE '!'",
                                  column)
               : g_strdup_printf ("%s LIKE ##pattern::string ESCAPE '!'", column);
}

/* Whether a search for @needle (folded) goes through SQLite's trigram
 * index: it finds substrings of three characters and more. */
static gboolean
search_uses_trigrams (TtStore    *self,
                      const char *needle)
{
  return self->search_fts && g_utf8_strlen (needle, -1) >= 3;
}

/* The ids (as "id") of the tutorials whose folded title or description
 * in the search index (tt-store-search.c) holds the needle: bytes
 * compared, on both backends. */
static const char *
index_match_sql (TtStore    *self,
                 const char *needle)
{
  if (tt_store_is_mysql (self))
    return "SELECT s.tutorial_id AS id FROM tt_search_text s"
           " WHERE INSTR(s.title, ##needle::string) > 0 OR INSTR(s.description, ##needle::string) > 0";
  if (search_uses_trigrams (self, needle))
    return "SELECT rowid AS id FROM tt_search_text WHERE tt_search_text = ##phrase::string";
  return "SELECT rowid AS id FROM tt_search_text"
         " WHERE instr(title, ##needle::string) > 0 OR instr(description, ##needle::string) > 0";
}

/* The ids of the tutorials linked to a tag whose name (as "t.name") meets
 * @condition. The tags are read first, then their links by tag:
 * otherwise both databases read every link and look its tag up (SQLite
 * 15 ms, MariaDB 40 ms at 300 000 links, against 1–2 ms). */
static char *
tagged_sql (TtStore    *self,
            const char *condition)
{
  return g_strdup_printf ("SELECT l.tutorial_id FROM tags t %s tutorial_tag l ON l.tag_id = t.id WHERE %s",
                          tt_store_is_mysql (self) ? "STRAIGHT_JOIN" : "CROSS JOIN", condition);
}

#define STALE_TUTORIALS "(SELECT st.tutorial_id FROM tt_search_stale st)"

/* How a search's SQL matches titles and descriptions: by LIKE on the
 * tutorials (no index), through the index, or not at all, since the
 * index's copy in memory matched them (tt-store-search-copy.c). */
typedef enum
{
  TEXT_BY_LIKE,
  TEXT_BY_INDEX,
  TEXT_BY_COPY,
} TextMatch;

/* The way without the copy. */
static TextMatch
text_match_in_sql (TtStore *self)
{
  return self->search_indexed ? TEXT_BY_INDEX : TEXT_BY_LIKE;
}

/* The tutorials the database finds: titles, descriptions (as @match
 * says) or tag names holding the pattern. With the index, only
 * tutorials whose index row is up to date are found by it. */
static char *
search_decided_sql (TtStore    *self,
                    const char *needle,
                    TextMatch   match)
{
  gboolean mysql = tt_store_is_mysql (self);
  g_autofree char *name = like_sql (mysql, "t.name");
  g_autofree char *tagged = tagged_sql (self, name);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  switch (match)
    {
    case TEXT_BY_INDEX:
      return g_strdup_printf ("((tu.id IN (%s) AND tu.id NOT IN " STALE_TUTORIALS ") OR tu.id IN (%s))",
                              index_match_sql (self, needle), tagged);
    case TEXT_BY_LIKE:
      title = like_sql (mysql, "tu.title");
      description = like_sql (mysql, "tu.description");
      return g_strdup_printf ("(%s OR %s OR tu.id IN (%s))", title, description, tagged);
    case TEXT_BY_COPY:
    default:
      return g_strdup_printf ("(tu.id IN (%s))", tagged);
    }
}

/* The tutorials tagged with a tag whose name is not ASCII. */
static char *
non_ascii_tagged_sql (TtStore *self)
{
  g_autofree char *name = non_ascii_sql (tt_store_is_mysql (self), "t.name");

  return tagged_sql (self, name);
}

/* The tutorials the store must look at itself: some text of theirs is
 * not ASCII, or (with the index) their index row is not up to date. */
static char *
search_candidate_sql (TtStore *self)
{
  gboolean mysql = tt_store_is_mysql (self);
  g_autofree char *tagged = non_ascii_tagged_sql (self);
  g_autofree char *text = NULL;

  if (self->search_indexed)
    text = g_strdup ("tu.id IN " STALE_TUTORIALS);
  else
    {
      g_autofree char *title = non_ascii_sql (mysql, "tu.title");
      g_autofree char *description = non_ascii_sql (mysql, "tu.description");

      text = g_strdup_printf ("%s OR %s", title, description);
    }

  return g_strdup_printf ("(%s OR tu.id IN (%s))", text, tagged);
}

/* With the index on SQLite, what a search lets through, decided or
 * candidate, as one set the database makes first, from which it looks
 * the tutorials up: the condition of ORs over subqueries made it read
 * every tutorial (15 ms at 100 000, against 2 for a rare word). The
 * set's parts are search_decided_sql()'s and search_candidate_sql()'s,
 * stale tutorials whole. (MariaDB reads every tutorial and looks it up
 * in the set either way, and takes three times as long with it.) */
static char *
indexed_search_sql (TtStore    *self,
                    const char *needle)
{
  g_autofree char *name = like_sql (tt_store_is_mysql (self), "t.name");
  g_autofree char *tagged = tagged_sql (self, name);
  g_autofree char *non_ascii_tagged = non_ascii_tagged_sql (self);

  return g_strdup_printf ("tu.id IN (SELECT m.id FROM (%s UNION %s UNION SELECT st.tutorial_id FROM tt_search_stale st"
                          " UNION %s) m)",
                          index_match_sql (self, needle), tagged, non_ascii_tagged);
}

/* The part of a query after "FROM tutorials tu": built from fixed pieces
 * only; every value in it is a placeholder. The text is the folded one
 * (search_query()). */
static char *
tutorial_filter_sql (TtStore               *self,
                     const TtTutorialQuery *query)
{
  GString *sql = g_string_new (" WHERE 1 = 1");

  if (query->text != NULL && *query->text != '\0')
    {
      g_autofree char *decided = NULL;
      g_autofree char *candidate = NULL;

      if (self->search_indexed && !tt_store_is_mysql (self))
        {
          g_autofree char *found = indexed_search_sql (self, query->text);

          g_string_append_printf (sql, " AND %s", found);
        }
      else
        {
          decided = search_decided_sql (self, query->text, text_match_in_sql (self));
          candidate = search_candidate_sql (self);
          g_string_append_printf (sql, " AND (%s OR %s)", decided, candidate);
        }
    }

  if (query->match == TT_TAG_MATCH_UNTAGGED)
    g_string_append (sql, " AND tu.id NOT IN (SELECT x.tutorial_id FROM tutorial_tag x)");
  else if (query->n_tag_ids > 0)
    {
      g_string_append (sql, " AND tu.id IN (SELECT x.tutorial_id FROM tutorial_tag x"
                            " WHERE x.tag_id IN (");
      for (guint i = 0; i < query->n_tag_ids; i++)
        g_string_append_printf (sql, "%s##t%u::int64", i > 0 ? ", " : "", i);
      g_string_append (sql, ")");
      if (query->match == TT_TAG_MATCH_ALL)
        g_string_append (sql, " GROUP BY x.tutorial_id HAVING COUNT(*) = ##n_tags::int64");
      g_string_append (sql, ")");
    }

  return g_string_free (sql, FALSE);
}

/* LIKE matches a substring: %, _ and the escape character itself are
 * escaped so that what the person typed is matched literally. */
static char *
like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '!')
        g_string_append_c (pattern, '!');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/* The values of search_decided_sql() for @needle (folded). */
static void
bind_search (TtStore    *self,
             GdaSet     *params,
             const char *needle,
             TextMatch   match)
{
  g_autofree char *pattern = like_pattern (needle);

  tt_params_set_string (params, "pattern", pattern);
  if (match != TEXT_BY_INDEX)
    return;
  if (search_uses_trigrams (self, needle))
    {
      /* One FTS5 phrase: the trigram tokenizer makes it consecutive
       * trigrams, the substring. */
      g_autofree char *phrase = tt_store_double_quoted (needle);

      tt_params_set_string (params, "phrase", phrase);
    }
  else
    tt_params_set_string (params, "needle", needle);
}

/* Whether @text, folded, holds @needle (folded already). */
static gboolean
search_key_holds (const char *text,
                  const char *needle)
{
  g_autofree char *key = text != NULL ? tt_rules_search_key (text) : NULL;

  return key != NULL && strstr (key, needle) != NULL;
}

/* The non-ASCII tags whose folded name holds @needle, as a set of ids:
 * the database cannot tell. */
static GHashTable *
search_matching_tags (TtStore     *self,
                      const char  *needle,
                      GError     **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_NONE };
  g_autofree char *non_ascii = non_ascii_sql (tt_store_is_mysql (self), "t.name");
  g_autofree char *sql = g_strdup_printf ("SELECT t.id, t.name FROM tags t WHERE %s", non_ascii);
  g_autoptr(GHashTable) matching = g_hash_table_new (NULL, NULL);
  g_autoptr(TtRows) rows = NULL;

  rows = tt_store_select_rows (self, tt_store_prepare (self, sql, NULL, error), NULL, types, error);
  if (rows == NULL)
    return NULL;

  while (tt_rows_next (rows))
    if (search_key_holds (row_string (rows, 1), needle))
      g_hash_table_add (matching, ID_KEY (row_int64 (rows, 0)));

  return g_steal_pointer (&matching);
}

/* Whether one of the tags listed in @csv ("3,1,2") is in @tags. */
static gboolean
has_listed_tag (const char *csv,
                GHashTable *tags)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  parse_listed_ids (csv, ids);
  for (guint i = 0; i < ids->len; i++)
    if (g_hash_table_contains (tags, ID_KEY (g_array_index (ids, gint64, i))))
      return TRUE;
  return FALSE;
}

/* Whether a tutorial's folded title or description holds @needle, or
 * one of its tags (@tag_ids, "3,1,2") is in @tags. */
static gboolean
search_holds (const char *title,
              const char *description,
              const char *tag_ids,
              const char *needle,
              GHashTable *tags)
{
  return search_key_holds (title, needle) || search_key_holds (description, needle) ||
         has_listed_tag (tag_ids, tags);
}

/* On SQLite the candidates come as one text of records
 * "ID:N:TITLE:N:DESCRIPTION:TAGS;", each text after its length in bytes
 * (so that no character of theirs is taken for a separator): libgda's
 * cost per row would be most of the search's time. */
#define SQLITE_CANDIDATE_RECORD \
  "tu.id || ':' || length(CAST(COALESCE(tu.title, '') AS BLOB)) || ':' || COALESCE(tu.title, '')" \
  " || ':' || length(CAST(COALESCE(tu.description, '') AS BLOB)) || ':' || COALESCE(tu.description, '')" \
  " || ':' || COALESCE(" TAG_IDS_OF_TUTORIAL ", '') || ';'"

/* Reads "N:TEXT:" at *@p (moving on past it) into a copy of TEXT;
 * %NULL if it is not there. */
static char *
take_counted (const char **p,
              const char  *end)
{
  const char *text;
  gsize length;

  return tt_read_counted (p, end, &text, &length) ? g_strndup (text, length) : NULL;
}

/* Adds the ids of the records (SQLITE_CANDIDATE_RECORD) that do not hold
 * @needle to @rejects. Returns FALSE if @records cannot be read. */
static gboolean
reject_records (const char *records,
                const char *needle,
                GHashTable *tags,
                GHashTable *rejects)
{
  const char *end = records + (records != NULL ? strlen (records) : 0);

  for (const char *p = records; p != NULL && p < end; )
    {
      g_autofree char *title = NULL;
      g_autofree char *description = NULL;
      g_autofree char *tag_ids = NULL;
      const char *stop;
      char *after;
      gint64 id = g_ascii_strtoll (p, &after, 10);

      if (after == p || *after != ':' || id <= 0)
        return FALSE;
      p = after + 1;
      if (!(title = take_counted (&p, end)) || !(description = take_counted (&p, end)) ||
          !(stop = strchr (p, ';')))
        return FALSE;
      tag_ids = g_strndup (p, stop - p);
      p = stop + 1;
      if (!search_holds (title, description, tag_ids, needle, tags))
        g_hash_table_add (rejects, ID_KEY (id));
    }
  return TRUE;
}

/**
 * search_rejects:
 * @needle: the folded search text (its LIKE pattern bound as "pattern")
 *
 * The candidates of tutorial_filter_sql() that no ASCII text matched and
 * whose folded title, description and tag names do not hold @needle
 * either: the tutorials its query lets through wrongly.
 *
 * Returns: (transfer full): a set of ids, or %NULL on error
 */
static GHashTable *
search_rejects (TtStore     *self,
                const char  *needle,
                GError     **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_NONE };
  static const GType one_text[] = { G_TYPE_STRING, G_TYPE_NONE };
  gboolean mysql = tt_store_is_mysql (self);
  /* With the copy, the candidates its scan also found are read here
   * too: search_holds() decides them as it decides the others. */
  TextMatch match = tt_store_search_copy_kept (self) ? TEXT_BY_COPY : text_match_in_sql (self);
  g_autofree char *decided = search_decided_sql (self, needle, match);
  g_autofree char *candidate = search_candidate_sql (self);
  g_autofree char *sql = NULL;
  g_autoptr(GHashTable) tags = NULL;
  g_autoptr(GHashTable) rejects = g_hash_table_new (NULL, NULL);
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  if (!(tags = search_matching_tags (self, needle, error)))
    return NULL;

  sql = g_strdup_printf (mysql ? "SELECT tu.id, tu.title, tu.description, " TAG_IDS_OF_TUTORIAL
                                 " FROM tutorials tu WHERE %s AND NOT %s"
                               : "SELECT group_concat(" SQLITE_CANDIDATE_RECORD ", '')"
                                 " FROM tutorials tu WHERE %s AND NOT %s",
                         candidate, decided);
  stmt = tt_store_prepare (self, sql, &params, error);
  if (stmt != NULL)
    bind_search (self, params, needle, match);
  if (!(rows = tt_store_select_rows (self, stmt, params, mysql ? types : one_text, error)))
    return NULL;

  if (!mysql)
    {
      if (tt_rows_next (rows) && !reject_records (row_string (rows, 0), needle, tags, rejects))
        {
          g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                               _("The database sent a list of tutorials that could not be read"));
          return NULL;
        }
      return g_steal_pointer (&rejects);
    }

  while (tt_rows_next (rows))
    if (!search_holds (row_string (rows, 1), row_string (rows, 2), row_string (rows, 3), needle, tags))
      g_hash_table_add (rejects, ID_KEY (row_int64 (rows, 0)));

  return g_steal_pointer (&rejects);
}

/* @query with its text folded into @folded (NULL when there is nothing
 * left to search for: "" or only accents match everything, as an empty
 * search does). */
static TtTutorialQuery
search_query (const TtTutorialQuery  *query,
              char                  **folded)
{
  TtTutorialQuery copy = *query;

  *folded = query->text != NULL ? tt_rules_search_key (query->text) : NULL;
  /* Not UTF-8 (the rules refuse that before): searched for as it is. */
  if (*folded == NULL && query->text != NULL)
    *folded = g_strdup (query->text);
  copy.text = *folded != NULL && **folded != '\0' ? *folded : NULL;
  return copy;
}

/* Before a search: the tables adopted again if another program made
 * them again, and the index rows of tutorials changed since the last one
 * brought up to date. */
static void
refresh_search_index (TtStore               *self,
                      const TtTutorialQuery *query)
{
  if (query->text == NULL)
    return;
  tt_store_readopt_if_remade (self);
  tt_store_search_refresh_quietly (self);
}

/* The search's rejects, or an empty set without search text. */
static GHashTable *
query_rejects (TtStore               *self,
               const TtTutorialQuery *query,
               GError               **error)
{
  if (query->text == NULL)
    return g_hash_table_new (NULL, NULL);
  return search_rejects (self, query->text, error);
}

/* Large lists are read a page at a time: a whole result would sit in
 * memory twice (the MySQL client's copy and libgda's rows) next to the
 * objects made from it. Pages follow the sort key (keyset paging), so no
 * page rereads what came before. */
#define PAGE_ROWS 5000

typedef struct
{
  gboolean  first;
  char     *key;  /* the sort key of the last row so far */
  gint64    id;   /* and its id, which breaks ties */
} Page;

static const char *
sort_column (const TtTutorialQuery *query)
{
  switch (query->sort)
    {
    case TT_SORT_BY_TITLE:
      /* COALESCE: a NULL title (the Node.js app allows it) would
       * compare as neither greater nor equal and be skipped. */
      return "COALESCE(tu.title, '')";
    case TT_SORT_BY_CREATED:
      return "tu.createdAt";
    case TT_SORT_BY_UPDATED:
      return "tu.updatedAt";
    case TT_SORT_BY_ID:
    default:
      return NULL;
    }
}

/* ORDER BY for @query: the sort key, then the id, which breaks ties. */
static char *
order_sql (const TtTutorialQuery *query)
{
  const char *column = sort_column (query);
  const char *dir = query->descending ? " DESC" : "";

  if (column == NULL)
    return g_strdup_printf (" ORDER BY tu.id%s", dir);
  return g_strdup_printf (" ORDER BY %s%s, tu.id%s", column, dir, dir);
}

/* The condition for the rows after @page, and the order: fixed pieces
 * only; the key and id are placeholders. */
static char *
page_sql (const TtTutorialQuery *query,
          const Page            *page)
{
  const char *column = sort_column (query);
  const char *cmp = query->descending ? "<" : ">";
  g_autofree char *after = NULL;
  g_autofree char *order = order_sql (query);

  if (page->first)
    after = g_strdup ("");
  else if (column == NULL)
    after = g_strdup_printf (" AND tu.id %s ##after_id::int64", cmp);
  else
    after = g_strdup_printf (" AND (%s %s ##after_key::string OR (%s = ##after_key::string"
                             " AND tu.id %s ##after_id::int64))",
                             column, cmp, column, cmp);

  return g_strdup_printf ("%s%s LIMIT %d", after, order, PAGE_ROWS);
}

static void
page_advance (Page                  *page,
              const TtTutorialQuery *query,
              TtTutorial            *last)
{
  page->first = FALSE;
  page->id = tt_tutorial_get_id (last);
  g_clear_pointer (&page->key, g_free);

  if (query->sort == TT_SORT_BY_TITLE)
    page->key = g_strdup (tt_tutorial_get_title (last) != NULL ? tt_tutorial_get_title (last) : "");
  else if (query->sort == TT_SORT_BY_CREATED && tt_tutorial_get_created_at (last) != NULL)
    page->key = tt_format_sql_time (tt_tutorial_get_created_at (last));
  else if (query->sort == TT_SORT_BY_UPDATED && tt_tutorial_get_updated_at (last) != NULL)
    page->key = tt_format_sql_time (tt_tutorial_get_updated_at (last));
}

static void
bind_tutorial_filter (TtStore               *self,
                      GdaSet                *params,
                      const TtTutorialQuery *query)
{
  if (query->text != NULL && *query->text != '\0')
    bind_search (self, params, query->text, text_match_in_sql (self));

  if (query->match == TT_TAG_MATCH_UNTAGGED)
    return;

  for (guint i = 0; i < query->n_tag_ids; i++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "t%u", i);
      tt_params_set_int64 (params, name, query->tag_ids[i]);
    }
  if (query->match == TT_TAG_MATCH_ALL && query->n_tag_ids > 0)
    tt_params_set_int64 (params, "n_tags", query->n_tag_ids);
}

static TtRows *
select_page (TtStore               *self,
             const TtTutorialQuery *query,
             const char            *head,
             const Page            *page,
             const GType           *types,
             GError               **error)
{
  g_autofree char *filter = tutorial_filter_sql (self, query);
  g_autofree char *tail = page_sql (query, page);
  g_autofree char *sql = g_strconcat (head, filter, tail, NULL);
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, sql, &params, error);

  if (stmt != NULL && params != NULL)
    bind_tutorial_filter (self, params, query);
  if (stmt != NULL && !page->first)
    {
      tt_params_set_int64 (params, "after_id", page->id);
      if (sort_column (query) != NULL)
        tt_params_set_string (params, "after_key", page->key != NULL ? page->key : "");
    }

  return tt_store_select_rows (self, stmt, params, types, error);
}

/* Removes repeated tag ids: ALL counts distinct links per tutorial. */
static TtTutorialQuery
dedup_query (const TtTutorialQuery *query,
             GArray                *ids)
{
  TtTutorialQuery copy = *query;

  for (guint i = 0; i < query->n_tag_ids; i++)
    {
      gboolean seen = FALSE;

      for (guint j = 0; j < ids->len && !seen; j++)
        seen = g_array_index (ids, gint64, j) == query->tag_ids[i];
      if (!seen)
        g_array_append_val (ids, query->tag_ids[i]);
    }

  copy.tag_ids = (const gint64 *) ids->data;
  copy.n_tag_ids = ids->len;
  return copy;
}

/* Reads one page into @items; returns how many rows it had, -1 on error. */
static int
read_tutorial_page (TtStore               *self,
                    const TtTutorialQuery *query,
                    Page                  *page,
                    GHashTable            *tags,
                    GPtrArray             *items,
                    GError               **error)
{
  static const GType with_ids[] = { TUTORIAL_TYPES, G_TYPE_STRING, G_TYPE_NONE };
  static const GType without_ids[] = { TUTORIAL_TYPES, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  int n = 0;

  rows = select_page (self, query,
                      tags != NULL ? "SELECT " TUTORIAL_COLUMNS ", " TAG_IDS_OF_TUTORIAL " FROM tutorials tu"
                                   : "SELECT " TUTORIAL_COLUMNS " FROM tutorials tu",
                      page, tags != NULL ? with_ids : without_ids, error);
  if (rows == NULL)
    return -1;

  for (; tt_rows_next (rows); n++)
    {
      TtTutorial *tutorial = tt_store_tutorial_from_row (rows, 0);

      if (tags != NULL)
        attach_listed (tt_tutorial_get_tags (tutorial), row_string (rows, 5), tags);
      g_ptr_array_add (items, tutorial);
    }

  if (n > 0)
    page_advance (page, query, items->pdata[items->len - 1]);
  return n;
}

/* Hands @items (read from one page) to @func without the rejected, and
 * lets them go. */
static gboolean
pass_page (GPtrArray           *items,
           GHashTable          *rejects,
           TtTutorialPageFunc   func,
           gpointer             data,
           GError             **error)
{
  gboolean ok;

  for (guint i = items->len; i > 0; i--)
    if (g_hash_table_contains (rejects, ID_KEY (tt_tutorial_get_id (items->pdata[i - 1]))))
      g_ptr_array_remove_index (items, i - 1);
  ok = items->len == 0 || func (items, data, error);
  g_ptr_array_set_size (items, 0);
  return ok;
}

/**
 * tt_store_foreach_tutorial_page:
 * @func: called with each page of tutorials (a #GPtrArray of
 *   #TtTutorial, never empty, theirs until it returns), with the store's
 *   lock held; returns %FALSE with its error to stop
 *
 * The tutorials @query selects, in its order, a page at a time: what
 * tt_store_list_tutorials() gives, without holding them all (an export of
 * 1 000 000 tutorials held 4.2 GB).
 */
gboolean
tt_store_foreach_tutorial_page (TtStore                *self,
                                const TtTutorialQuery  *query,
                                TtTutorialPageFunc      func,
                                gpointer                data,
                                GError                **error)
{
  static const TtTutorialQuery all = { 0 };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) tags = NULL;
  g_autoptr(GHashTable) rejects = NULL;
  g_autofree char *folded = NULL;
  Page page = { TRUE, NULL, 0 };
  TtTutorialQuery q;
  gboolean ok;
  int n;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  q = dedup_query (query != NULL ? query : &all, ids);
  q = search_query (&q, &folded);

  LOCKED (self);
  refresh_search_index (self, &q);
  if (q.with_tags && !(tags = load_all_tags (self, error)))
    return FALSE;
  if (!(rejects = query_rejects (self, &q, error)))
    return FALSE;

  do
    {
      n = read_tutorial_page (self, &q, &page, tags, items, error);
      ok = n >= 0 && (n == 0 || pass_page (items, rejects, func, data, error));
    }
  while (ok && n == PAGE_ROWS);
  g_free (page.key);
  return ok;
}

/* One splice a page: an append would tell the list's watchers of each. */
static gboolean
append_page (GPtrArray  *page,
             gpointer    data,
             GError    **error)
{
  GListStore *result = data;

  g_list_store_splice (result, g_list_model_get_n_items (G_LIST_MODEL (result)), 0, page->pdata, page->len);
  return TRUE;
}

GListModel *
tt_store_list_tutorials (TtStore                *self,
                         const TtTutorialQuery  *query,
                         GError                **error)
{
  g_autoptr(GListStore) result = g_list_store_new (TT_TYPE_TUTORIAL);

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  if (!tt_store_foreach_tutorial_page (self, query, append_page, result, error))
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&result));
}

/* How many ids "ID,ID,…" lists. */
static gint64
count_listed (const char *text)
{
  gint64 n = 1;

  if (text == NULL || *text == '\0')
    return 0;
  for (const char *p = text; *p != '\0'; p++)
    n += *p == ',';
  return n;
}

/* Reads "ID,ID,…" (an id is negative for a search candidate, see
 * tt_store_list_tutorial_ids()); %NULL with @error set unless every
 * item is a non-zero id. */
static GArray *
parse_id_list (const char  *text,
               GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = count_listed (text);

  g_array_set_size (ids, n);

  for (guint i = 0; i < n; i++)
    {
      char *end;
      gint64 id = g_ascii_strtoll (text, &end, 10);

      if (end == text || id == 0 || *end != (i + 1 < n ? ',' : '\0'))
        {
          g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                               _("The database sent a list of tutorials that could not be read"));
          return NULL;
        }
      g_array_index (ids, gint64, i) = id;
      text = end + 1;
    }
  return g_steal_pointer (&ids);
}

/* libgda spends 3–4 µs on each row of a result, which makes 100 000 ids
 * take 0.45 s where SQLite needs 0.1 s: on SQLite the ids come as one
 * text, group_concat() over the sorted rows. SQLite keeps the ORDER BY
 * of a FROM-clause subquery whose outer query uses an aggregate other
 * than count(), min() and max() (select.c, "omit superfluous ORDER BY",
 * condition 4), and does not flatten it into an aggregate (condition
 * 16), so the ids come in order; the store tests compare them with
 * tt_store_list_tutorials(). Numbering the rows (ROW_NUMBER()), as this
 * did before, cost 0.6 s of 0.8 at 1 000 000 tutorials, and
 * group_concat(… ORDER BY …) (SQLite 3.44) sorts them again. */
static GArray *
select_id_list (TtStore       *self,
                GdaStatement  *stmt,
                GdaSet        *params,
                GError       **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = tt_store_select_rows (self, stmt, params, types, error);
  const GValue *value;

  if (rows == NULL)
    return NULL;
  if (!tt_rows_next (rows))
    return g_array_new (FALSE, FALSE, sizeof (gint64));

  value = tt_rows_get (rows, 0);
  return parse_id_list (G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL, error);
}

/* The id column of a list of ids: negative for a search candidate (see
 * search_rejects()), so that the store looks at candidates only when
 * the list has some. */
static char *
signed_id_sql (TtStore               *self,
               const TtTutorialQuery *query)
{
  g_autofree char *candidate = NULL;

  if (query->text == NULL)
    return g_strdup ("tu.id");

  candidate = search_candidate_sql (self);
  return g_strdup_printf ("CASE WHEN %s THEN -tu.id ELSE tu.id END", candidate);
}

/* @ids (taken; %NULL passes through) as signed_id_sql() gave them: the
 * candidates the search rejects dropped, the others made positive, in
 * their order. */
static GArray *
settle_candidates (TtStore               *self,
                   const TtTutorialQuery *query,
                   GArray                *ids,
                   GError               **error)
{
  g_autoptr(GHashTable) rejects = NULL;
  guint kept = 0;

  for (guint i = 0; ids != NULL && i < ids->len && rejects == NULL; i++)
    if (g_array_index (ids, gint64, i) < 0 &&
        !(rejects = search_rejects (self, query->text, error)))
      return g_array_unref (ids), NULL;
  if (rejects == NULL)
    return ids;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = ABS (g_array_index (ids, gint64, i));

      if (!g_hash_table_contains (rejects, ID_KEY (id)))
        g_array_index (ids, gint64, kept++) = id;
    }
  g_array_set_size (ids, kept);
  return ids;
}

/* The ids @query selects, in its order; on SQLite one text
 * (select_id_list()). */
static char *
ordered_ids_sql (TtStore               *self,
                 const TtTutorialQuery *query)
{
  g_autofree char *filter = tutorial_filter_sql (self, query);
  g_autofree char *order = order_sql (query);
  g_autofree char *id = signed_id_sql (self, query);

  if (tt_store_is_mysql (self))
    return g_strconcat ("SELECT ", id, " FROM tutorials tu", filter, order, NULL);
  return g_strconcat ("SELECT group_concat(id) FROM"
                      " (SELECT ", id, " AS id FROM tutorials tu", filter, order, ")", NULL);
}

static GArray *
select_mysql_ids (TtStore       *self,
                  GdaStatement  *stmt,
                  GdaSet        *params,
                  GError       **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(TtRows) rows = tt_store_select_rows (self, stmt, params, types, error);
  GArray *ids;

  if (rows == NULL)
    return NULL;
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), rows->n_rows);
  while (tt_rows_next (rows))
    {
      gint64 row_id = row_int64 (rows, 0);

      g_array_append_val (ids, row_id);
    }
  return ids;
}

/* @sql prepared, with @query's values in *@params. */
static GdaStatement *
prepare_for_query (TtStore               *self,
                   const char            *sql,
                   const TtTutorialQuery *query,
                   GdaSet               **params,
                   GError               **error)
{
  GdaStatement *stmt = tt_store_prepare (self, sql, params, error);

  if (stmt != NULL && *params != NULL)
    bind_tutorial_filter (self, *params, query);
  return stmt;
}

/* The ids @query selects, in its order. */
static GArray *
select_ordered_ids (TtStore               *self,
                    const TtTutorialQuery *query,
                    GError               **error)
{
  g_autofree char *sql = ordered_ids_sql (self, query);
  GdaSet *params = NULL;
  GdaStatement *stmt = prepare_for_query (self, sql, query, &params, error);

  if (tt_store_is_mysql (self))
    return select_mysql_ids (self, stmt, params, error);
  return select_id_list (self, stmt, params, error);
}

/* Whether @query lists every tutorial. */
static gboolean
lists_everything (const TtTutorialQuery *query)
{
  return query->text == NULL && query->n_tag_ids == 0 && query->match != TT_TAG_MATCH_UNTAGGED;
}

/* A search by text alone: the ids of what tutorial_filter_sql() lets
 * through, unsorted, repeated, a candidate's negative, and some that are
 * no tutorial's (links and index rows of deleted ones), as one text with
 * their count; without looking a tutorial up, which took 25 of the 35 ms
 * on SQLite and 95 of 130 on MariaDB at 100 000 tutorials for a word
 * that finds 32 000. */
static char *
found_ids_sql (TtStore    *self,
               const char *needle,
               TextMatch   match)
{
  gboolean mysql = tt_store_is_mysql (self);
  g_autofree char *name = like_sql (mysql, "t.name");
  g_autofree char *tagged = tagged_sql (self, name);

  return g_strdup_printf ("SELECT GROUP_CONCAT(f.id), COUNT(*) FROM"
                          " (SELECT -st.tutorial_id AS id FROM tt_search_stale st"
                          " UNION ALL %s%s%s) f",
                          tagged,
                          match == TEXT_BY_INDEX ? " UNION ALL " : "",
                          match == TEXT_BY_INDEX ? index_match_sql (self, needle) : "");
}

/* Adds the tutorials linked to a non-ASCII tag whose folded name holds
 * @needle (search_matching_tags(): the database cannot fold the names),
 * reading the links of those tags only. Before, every tutorial with any
 * non-ASCII tag was a candidate whose text the store read and folded at
 * each search: 10 000 of them (one "Übung" tag) took every search at
 * 100 000 tutorials from 2–19 ms to 46–66 ms on SQLite, 112–121 ms on
 * MariaDB. FALSE without @error when a list of links was more than
 * MySQL's group_concat_max_len holds. */
static gboolean
add_non_ascii_tag_matches (TtStore     *self,
                           const char  *needle,
                           GArray      *found,
                           GError     **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(GHashTable) tags = search_matching_tags (self, needle, error);
  g_autoptr(GArray) tag_ids = NULL;

  if (tags == NULL)
    return FALSE;
  tag_ids = tt_id_set_to_array (tags);

  for (guint i = 0; i < tag_ids->len; i += ID_BATCH)
    {
      g_autoptr(TtRows) rows = NULL;
      g_autoptr(GArray) linked = NULL;

      rows = select_id_batch (self, "SELECT GROUP_CONCAT(l.tutorial_id), COUNT(*) FROM tutorial_tag l WHERE l.tag_id",
                              &g_array_index (tag_ids, gint64, i), MIN (ID_BATCH, tag_ids->len - i),
                              types, error);
      if (rows == NULL)
        return FALSE;
      if (!tt_rows_next (rows))
        continue;
      if (count_listed (row_string (rows, 0)) != row_int64 (rows, 1) ||
          !(linked = parse_id_list (row_string (rows, 0), error)))
        return FALSE;
      g_array_append_vals (found, linked->data, linked->len);
    }
  return TRUE;
}

/* found_ids_sql()'s ids, those of add_non_ascii_tag_matches(), and with
 * the copy its scan's (which comes first: it brings the copy up to date,
 * and what changes after that is stale in the server's part); %NULL
 * without @error when they were more than MySQL's group_concat_max_len
 * holds (16 MB: over a million). */
static GArray *
select_found_ids (TtStore               *self,
                  const TtTutorialQuery *query,
                  GError               **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(GArray) found_here = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sql = NULL;
  g_autoptr(TtRows) rows = NULL;
  GError *copy_error = NULL;
  TextMatch match = text_match_in_sql (self);
  GdaSet *params = NULL;
  GdaStatement *stmt;
  const GValue *value;
  const char *text;
  GArray *ids;

  if (tt_store_search_copy_find (self, query->text, found_here, &copy_error))
    match = TEXT_BY_COPY;
  else if (copy_error != NULL)
    return g_propagate_error (error, copy_error), NULL;
  if (!add_non_ascii_tag_matches (self, query->text, found_here, error))
    return NULL;

  sql = found_ids_sql (self, query->text, match);
  if ((stmt = tt_store_prepare (self, sql, &params, error)) != NULL)
    bind_search (self, params, query->text, match);

  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)))
    return NULL;
  if (!tt_rows_next (rows))
    return g_steal_pointer (&found_here);

  value = tt_rows_get (rows, 0);
  text = G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL;
  if (count_listed (text) != row_int64 (rows, 1))
    return NULL;
  if ((ids = parse_id_list (text, error)) != NULL)
    g_array_append_vals (ids, found_here->data, found_here->len);
  return ids;
}

/* A text search, sorted by the kept order of every tutorial
 * (tt-store-order.c). A kept order that is out of date is read again
 * when the search finds a sixteenth of it or more, as the next
 * keystrokes will; then it pays for itself at once (at 100 000
 * tutorials on SQLite, 15 ms against 35 for sorting 32 000). */
static GArray *
list_found_ids (TtStore               *self,
                const TtTutorialQuery *query,
                const TtChangeKey     *key,
                GError               **error)
{
  const TtTutorialQuery everything = { .sort = query->sort, .descending = query->descending };
  g_autoptr(GArray) found = NULL;
  g_autoptr(GArray) order = NULL;
  GError *local_error = NULL;
  guint n_stale;

  if ((order = tt_store_kept_order (self, query, key, &n_stale)) != NULL)
    g_array_ref (order);
  else if (n_stale == 0)
    return select_ordered_ids (self, query, error);

  if (!(found = select_found_ids (self, query, &local_error)))
    return local_error != NULL ? (g_propagate_error (error, local_error), NULL)
                               : select_ordered_ids (self, query, error);
  if (order == NULL)
    {
      if ((guint64) found->len * 16 < n_stale)
        return select_ordered_ids (self, query, error);
      if (!(order = select_ordered_ids (self, &everything, error)))
        return NULL;
      tt_store_keep_order (self, &everything, key, order);
    }
  return tt_store_order_found (order, found);
}

/* Whether the store keeps the order of every tutorial: for search by the
 * index, and on MySQL with the change journal, which says when the order
 * changed. */
static gboolean
keeps_order (TtStore *self)
{
  return self->search_indexed && (!tt_store_is_mysql (self) || self->journal);
}

/* Whether a search is sorted by the kept order: by text alone. */
static gboolean
sorts_by_kept_order (TtStore               *self,
                     const TtTutorialQuery *query)
{
  return keeps_order (self) && query->text != NULL && query->n_tag_ids == 0 &&
         query->match != TT_TAG_MATCH_UNTAGGED;
}

/* The list with what says whether the kept order is still the
 * catalogue's, and the whole list kept. Without the key (the journal's
 * tables made again, say) the list is what it was before there was a
 * kept order. */
static GArray *
list_ids_with_key (TtStore               *self,
                   const TtTutorialQuery *query,
                   GError               **error)
{
  g_autoptr(GError) key_error = NULL;
  TtChangeKey key;
  GArray *ids;

  if (!tt_store_read_change_key (self, &key, &key_error))
    {
      g_debug ("Listing without the kept order: %s", key_error->message);
      return select_ordered_ids (self, query, error);
    }

  if (!lists_everything (query))
    return list_found_ids (self, query, &key, error);
  ids = select_ordered_ids (self, query, error);
  if (ids != NULL)
    tt_store_keep_order (self, query, &key, ids);
  return ids;
}

/* The list; where the store keeps the order, read (on SQLite in one
 * state of the file) with what says whether the kept order still holds.
 * A read in that snapshot does not adopt tables made again (that
 * writes; see tt_store_select()): when it fails, the list is read again
 * outside it, as before. */
static GArray *
list_ids (TtStore               *self,
          const TtTutorialQuery *query,
          GError               **error)
{
  g_autoptr(GError) snapshot_error = NULL;
  g_autoptr(GError) end_error = NULL;
  GArray *ids;
  gboolean began;

  if (!sorts_by_kept_order (self, query) && !(lists_everything (query) && keeps_order (self)))
    return select_ordered_ids (self, query, error);

  if (!tt_store_begin_reading (self, error))
    return NULL;
  began = self->reading;
  ids = list_ids_with_key (self, query, &snapshot_error);
  if (!tt_store_end_reading (self, &end_error) && ids == NULL &&
      g_error_matches (end_error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT))
    return g_propagate_error (error, g_steal_pointer (&end_error)), NULL;
  if (ids != NULL || !began)
    return ids != NULL ? ids : (g_propagate_error (error, g_steal_pointer (&snapshot_error)), NULL);

  g_debug ("Listing again outside the snapshot: %s", snapshot_error->message);
  return select_ordered_ids (self, query, error);
}

/**
 * tt_store_list_tutorial_ids:
 *
 * The ids of the tutorials @query selects, in its order, and nothing
 * else: a list of 100 000 tutorials costs 800 kB, and a view loads the
 * rows it shows with tt_store_load_tutorials().
 *
 * Returns: (transfer full): a #GArray of gint64, or %NULL on error
 */
GArray *
tt_store_list_tutorial_ids (TtStore                *self,
                            const TtTutorialQuery  *query,
                            GError                **error)
{
  static const TtTutorialQuery all = { 0 };
  g_autoptr(GArray) tag_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *folded = NULL;
  TtTutorialQuery q;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  q = dedup_query (query != NULL ? query : &all, tag_ids);
  q = search_query (&q, &folded);

  LOCKED (self);
  refresh_search_index (self, &q);
  return settle_candidates (self, &q, list_ids (self, &q, error), error);
}


static char *
in_batch_sql (const char *head)
{
  GString *sql = g_string_new (head);

  g_string_append (sql, " IN (");
  for (guint i = 0; i < ID_BATCH; i++)
    g_string_append_printf (sql, "%s##i%u::int64", i > 0 ? ", " : "", i);
  g_string_append (sql, ")");
  return g_string_free (sql, FALSE);
}

/* Selects the rows of @ids[0 .. MIN (n, ID_BATCH)) with @head, which
 * ends in the column to match ("… WHERE tu.id"). */
static TtRows *
select_id_batch (TtStore      *self,
                 const char   *head,
                 const gint64 *ids,
                 guint         n,
                 const GType  *types,
                 GError      **error)
{
  g_autofree char *sql = in_batch_sql (head);
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, sql, &params, error);

  if (stmt != NULL)
    tt_params_set_id_batch (params, ids, n, ID_BATCH);
  return tt_store_select_rows (self, stmt, params, types, error);
}

/* Adds the ids of a GROUP_CONCAT list to @set. */
static void
add_listed_ids (GHashTable *set,
                const char *csv)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  parse_listed_ids (csv, ids);
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (set, ID_KEY (g_array_index (ids, gint64, i)));
}

/* The tags whose ids @set holds, by id. */
static GHashTable *
load_tags_by_id (TtStore     *self,
                 GHashTable  *set,
                 GError     **error)
{
  static const GType types[] = { TAG_TYPES, G_TYPE_NONE };
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  g_autoptr(GArray) ids = tt_id_set_to_array (set);

  for (guint i = 0; i < ids->len; i += ID_BATCH)
    {
      const gint64 *batch = &g_array_index (ids, gint64, i);
      g_autoptr(TtRows) rows = select_id_batch (self, "SELECT " TAG_COLUMNS " FROM tags t WHERE t.id",
                                                batch, MIN (ID_BATCH, ids->len - i), types, error);

      if (rows == NULL)
        return NULL;
      while (tt_rows_next (rows))
        g_hash_table_insert (by_id, ID_KEY (row_int64 (rows, 0)), coloured_tag_from_row (rows, 0));
    }

  return g_steal_pointer (&by_id);
}

/* One batch of tutorials with their tags, added to @by_id. */
static gboolean
load_tutorial_batch (TtStore       *self,
                     const gint64  *ids,
                     guint          n,
                     GHashTable    *by_id,
                     GError       **error)
{
  static const GType types[] = { TUTORIAL_TYPES, G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(GHashTable) tag_ids = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) tags = NULL;
  g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) loaded = g_ptr_array_new ();
  g_autoptr(TtRows) rows = NULL;

  rows = select_id_batch (self, "SELECT " TUTORIAL_COLUMNS ", " TAG_IDS_OF_TUTORIAL
                                " FROM tutorials tu WHERE tu.id",
                          ids, n, types, error);
  if (rows == NULL)
    return FALSE;

  while (tt_rows_next (rows))
    {
      TtTutorial *tutorial = tt_store_tutorial_from_row (rows, 0);

      g_hash_table_insert (by_id, ID_KEY (tt_tutorial_get_id (tutorial)), tutorial);
      g_ptr_array_add (loaded, tutorial);
      g_ptr_array_add (lists, g_strdup (row_string (rows, 5)));
      add_listed_ids (tag_ids, row_string (rows, 5));
    }

  if (!(tags = load_tags_by_id (self, tag_ids, error)))
    return FALSE;
  for (guint i = 0; i < loaded->len; i++)
    attach_listed (tt_tutorial_get_tags (loaded->pdata[i]), lists->pdata[i], tags);
  return TRUE;
}

/**
 * tt_store_load_tutorials:
 * @ids: (array length=n_ids): tutorial ids
 *
 * The tutorials of @ids with their tags, in the order of @ids; ids no
 * longer in the catalogue are left out.
 *
 * Returns: (transfer full) (element-type TtTutorial): the tutorials, or
 *   %NULL on error
 */
GPtrArray *
tt_store_load_tutorials (TtStore       *self,
                         const gint64  *ids,
                         guint          n_ids,
                         GError       **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  GPtrArray *result;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  LOCKED (self);
  for (guint i = 0; i < n_ids; i += ID_BATCH)
    if (!load_tutorial_batch (self, ids + i, MIN (ID_BATCH, n_ids - i), by_id, error))
      return NULL;

  result = g_ptr_array_new_full (n_ids, g_object_unref);
  for (guint i = 0; i < n_ids; i++)
    {
      TtTutorial *tutorial = g_hash_table_lookup (by_id, ID_KEY (ids[i]));

      if (tutorial != NULL)
        g_ptr_array_add (result, g_object_ref (tutorial));
    }
  return result;
}

/**
 * tt_store_get_change_stamp:
 *
 * Something that changes whenever another client adds, edits, deletes,
 * links or unlinks anything, cheap enough to ask every few seconds, so
 * that changes made elsewhere show up without reloading everything to
 * find out.
 *
 * SQLite counts the commits other connections made to the file: one
 * number. On MySQL, the change journal's reader (tt-store-journal.c)
 * counts the reads that found changes: one indexed read. Without a
 * journal (no TRIGGER privilege), MySQL has nothing like it, so the stamp
 * sums the tables up:
 * counts and id sums (rows added or deleted), the newest update times,
 * and, since those have whole seconds, a checksum of the rows updated in
 * the newest second (two edits of a title within one second). It reads
 * the tables through: 0.2 s of server time for 100 000 tutorials and
 * 300 000 links (measured on MariaDB 10.11, two cores).
 *
 * Returns: (transfer full): the stamp, or %NULL on error
 */
/* How many tutorials and tags the catalogue holds, in one statement
 * (counting a list of every id and every tag object cost 100 000 ids
 * and 10 000 objects at the size the window benchmark uses). */
gboolean
tt_store_count (TtStore  *self,
                gint64   *n_tutorials,
                gint64   *n_tags,
                GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaStatement *stmt;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  LOCKED (self);
  stmt = tt_store_prepare (self, "SELECT (SELECT COUNT(*) FROM tutorials), (SELECT COUNT(*) FROM tags)",
                           NULL, error);
  if (!(rows = tt_store_select_rows (self, stmt, NULL, types, error)) || !tt_rows_next (rows))
    return FALSE;

  if (n_tutorials != NULL)
    *n_tutorials = row_int64 (rows, 0);
  if (n_tags != NULL)
    *n_tags = row_int64 (rows, 1);
  return TRUE;
}

/**
 * tt_store_count_untagged:
 *
 * How many tutorials have no tag: what the sidebar's "Untagged" shows.
 *
 * Returns: the number, or -1 with @error set
 */
gint64
tt_store_count_untagged (TtStore  *self,
                         GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaStatement *stmt;

  g_return_val_if_fail (TT_IS_STORE (self), -1);

  LOCKED (self);
  /* A join rather than NOT EXISTS, which libgda's parser renders as
   * "NOT EXISTS ((SELECT …))": SQLite refuses that. The junction's key
   * starts with tutorial_id on both backends, so no row is read. */
  stmt = tt_store_prepare (self, "SELECT COUNT(*) FROM tutorials tu"
                                 " LEFT JOIN tutorial_tag x ON x.tutorial_id = tu.id"
                                 " WHERE x.tutorial_id IS NULL",
                           NULL, error);
  if (!(rows = tt_store_select_rows (self, stmt, NULL, types, error)) || !tt_rows_next (rows))
    return -1;

  return row_int64 (rows, 0);
}

char *
tt_store_get_change_stamp (TtStore  *self,
                           GError  **error)
{
  static const GType types[] = { TT_COL_AUTO, TT_COL_AUTO, TT_COL_AUTO, TT_COL_AUTO, TT_COL_AUTO, TT_COL_AUTO,
                                  TT_COL_AUTO, TT_COL_AUTO, TT_COL_AUTO, TT_COL_AUTO, TT_COL_AUTO,
                                  TT_COL_AUTO, TT_COL_AUTO, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GString *stamp;
  GdaStatement *stmt;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  LOCKED (self);
  if (!tt_store_is_mysql (self))
    {
      gint64 version = tt_store_select_int64 (self, "PRAGMA data_version", error);

      return version >= 0 ? g_strdup_printf ("v%" G_GINT64_FORMAT, version) : NULL;
    }
  if (self->journal)
    return tt_store_journal_stamp (self, error);

  stmt = tt_store_prepare (self,
                           "SELECT (SELECT COUNT(*) FROM tutorials), (SELECT COALESCE(SUM(id), 0) FROM tutorials),"
                           " (SELECT MAX(updatedAt) FROM tutorials),"
                           " (SELECT BIT_XOR(CRC32(CONCAT_WS(CHAR(31), id, title, description))) FROM tutorials"
                           "  WHERE updatedAt = (SELECT MAX(updatedAt) FROM tutorials)),"
                           " (SELECT COUNT(*) FROM tags), (SELECT COALESCE(SUM(id), 0) FROM tags),"
                           " (SELECT MAX(updatedAt) FROM tags),"
                           " (SELECT BIT_XOR(CRC32(CONCAT_WS(CHAR(31), id, name))) FROM tags"
                           "  WHERE updatedAt = (SELECT MAX(updatedAt) FROM tags)),"
                           " (SELECT COUNT(*) FROM tutorial_tag),"
                           " (SELECT COALESCE(SUM(tutorial_id * 31 + tag_id), 0) FROM tutorial_tag),"
                           " (SELECT MAX(updatedAt) FROM tutorial_tag),"
                           /* Colours change no row of the seed tables. */
                           " (SELECT COUNT(*) FROM tt_tag_colour),"
                           " (SELECT BIT_XOR(CRC32(CONCAT_WS(CHAR(31), tag_id, colour))) FROM tt_tag_colour)",
                           NULL, error);
  if (!(rows = tt_store_select_rows (self, stmt, NULL, types, error)) || !tt_rows_next (rows))
    return NULL;

  /* The columns' types differ between backends; their text is enough. */
  stamp = g_string_new (NULL);
  for (int i = 0; types[i] != G_TYPE_NONE; i++)
    {
      const GValue *value = tt_rows_get (rows, i);
      /* SQL NULL (an empty table's MAX) is an unset GValue in libgda. */
      g_autofree char *text = gda_value_is_null (value) ? g_strdup ("-") : g_strdup_value_contents (value);

      g_string_append_printf (stamp, "%s/", text);
    }
  return g_string_free (stamp, FALSE);
}

/* Every tutorial by id, read in pages like a list (the tags' side of a
 * large catalogue needs them all at once). */
static GHashTable *
load_all_tutorials (TtStore  *self,
                    GError  **error)
{
  static const TtTutorialQuery all = { 0 };
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  Page page = { TRUE, NULL, 0 };
  int n;

  do
    n = read_tutorial_page (self, &all, &page, NULL, items, error);
  while (n == PAGE_ROWS);
  g_free (page.key);
  if (n < 0)
    {
      g_ptr_array_foreach (items, (GFunc) g_object_unref, NULL);
      return NULL;
    }

  for (guint i = 0; i < items->len; i++)
    g_hash_table_insert (by_id, ID_KEY (tt_tutorial_get_id (items->pdata[i])), items->pdata[i]);

  return g_steal_pointer (&by_id);
}

TtTutorial *
tt_store_update_tutorial (TtStore     *self,
                          gint64       id,
                          const char  *title,
                          const char  *description,
                          GError     **error)
{
  g_autofree char *now = tt_now_sql ();
  g_autoptr(TtTutorial) current = NULL;
  GdaStatement *stmt;
  GdaSet *params;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  if ((title != NULL && !tt_rules_check_title (title, error)) || !tt_rules_check_description (description, error))
    return NULL;

  LOCKED (self);
  if (!(current = tt_store_get_tutorial (self, id, error)))
    return NULL;

  stmt = tt_store_prepare (self,
                           "UPDATE tutorials SET title = ##title::string,"
                           " description = ##description::string::null,"
                           " updatedAt = ##now::string WHERE id = ##id::int64",
                           &params, error);
  if (stmt == NULL)
    return NULL;

  tt_params_set_string (params, "title", title != NULL ? title : tt_tutorial_get_title (current));
  tt_params_set_string (params, "description",
                        description != NULL ? description : tt_tutorial_get_description (current));
  tt_params_set_string (params, "now", now);
  tt_params_set_int64 (params, "id", id);
  if (!tt_store_exec (self, stmt, params, NULL, error))
    return NULL;

  return tt_store_get_tutorial (self, id, error);
}

/* Deletes one row by id; the junction's rows go with it (ON DELETE CASCADE). */
static gboolean
delete_by_id (TtStore     *self,
              const char  *sql,
              Record       what,
              gint64       id,
              GError     **error)
{
  GdaSet *params;
  GdaStatement *stmt = tt_store_prepare (self, sql, &params, error);
  int rows = 0;

  if (stmt == NULL)
    return FALSE;

  tt_params_set_int64 (params, "id", id);
  if (!tt_store_exec (self, stmt, params, &rows, error))
    return FALSE;
  if (rows == 0)
    return not_found (error, what, id);

  return TRUE;
}

gboolean
tt_store_delete_tutorial (TtStore  *self,
                          gint64    id,
                          GError  **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  LOCKED (self);
  return delete_by_id (self, "DELETE FROM tutorials WHERE id = ##id::int64",
                       RECORD_TUTORIAL, id, error);
}

/* ---- tags ------------------------------------------------------------ */

/* @latest: read the newest committed row, not the transaction's
 * snapshot. After our INSERT met another client's row of the same key,
 * MySQL's REPEATABLE READ snapshot (taken at the transaction's first
 * read) does not show that row to a plain SELECT; a locking read does.
 * SQLite has no such snapshot: one writer at a time. */
static TtTag *
find_tag_by_key_full (TtStore     *self,
                      const char  *key,
                      gboolean     latest,
                      GError     **error)
{
  static const GType types[] = { TAG_TYPES, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;
  gboolean locking = latest && tt_store_is_mysql (self);

  stmt = tt_store_prepare (self,
                           locking ? "SELECT " TAG_COLUMNS " FROM tags t"
                                     " WHERE t.name_key = ##key::string LOCK IN SHARE MODE"
                                   : "SELECT " TAG_COLUMNS " FROM tags t"
                                     " WHERE t.name_key = ##key::string",
                           &params, error);
  if (stmt != NULL)
    tt_params_set_string (params, "key", key);
  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)))
    return NULL;

  if (!tt_rows_next (rows))
    return NULL;

  return coloured_tag_from_row (rows, 0);
}

static TtTag *
find_tag_by_key (TtStore     *self,
                 const char  *key,
                 GError     **error)
{
  return find_tag_by_key_full (self, key, FALSE, error);
}

static gboolean
duplicate_tag (GError     **error,
               const char  *name)
{
  g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE,
               _("A tag named “%s” already exists"), name);
  return FALSE;
}

/* Inserts a tag whose name was checked and whose key is free. */
static TtTag *
insert_tag (TtStore     *self,
            const char  *name,
            const char  *key,
            GError     **error)
{
  g_autofree char *now = tt_now_sql ();
  g_autoptr(GDateTime) created = NULL;
  GdaStatement *stmt;
  GdaSet *params;
  TtTag *tag;
  gint64 id;

  stmt = tt_store_prepare (self,
                           "INSERT INTO tags (name, name_key, createdAt, updatedAt)"
                           " VALUES (##name::string, ##key::string, ##now::string, ##now::string)",
                           &params, error);
  if (stmt == NULL)
    return NULL;

  tt_params_set_string (params, "name", name);
  tt_params_set_string (params, "key", key);
  tt_params_set_string (params, "now", now);
  if (!tt_store_exec (self, stmt, params, NULL, error) ||
      (id = tt_store_last_insert_id (self, error)) <= 0)
    return NULL;

  created = parse_sql_time (now);
  tag = tt_tag_new (id, name);
  tt_tag_set_created_at (tag, created);
  tt_tag_set_updated_at (tag, created);
  return tag;
}

static TtTag *
find_created_meanwhile (TtStore     *self,
                        const char  *name,
                        const char  *key,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  TtTag *tag = find_tag_by_key_full (self, key, TRUE, &local_error);

  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), NULL;
  /* Never NULL without an error: the caller would report "unknown". */
  if (tag == NULL)
    g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                 _("The tag “%s” was made by someone else at the same moment and could not be read back"),
                 name);
  return tag;
}

/* Finds the tag called @name in any case, or creates it when @create.
 * Tags the Node.js app added since are given their key first, so that
 * its "Rust" is found when we look for "rust". */
static TtTag *
lookup_tag (TtStore     *self,
            const char  *name,
            gboolean     create,
            gboolean    *created,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *clean = tt_rules_clean_tag_name (name, error);
  g_autofree char *key = NULL;
  TtTag *tag;

  if (clean == NULL || !tt_store_backfill_name_keys (self, error))
    return NULL;

  key = tt_tag_name_key (clean);
  tag = find_tag_by_key (self, key, &local_error);
  if (tag != NULL || local_error != NULL || !create)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (tag == NULL)
        g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND,
                     _("There is no tag named “%s”"), clean);
      return tag;
    }

  tag = insert_tag (self, clean, key, &local_error);
  /* Another client created it between our look and our insert: theirs
   * is the tag (racing creators converge on one). */
  if (tag == NULL && g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE))
    return find_created_meanwhile (self, clean, key, error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (created != NULL)
    *created = TRUE;
  return tag;
}

TtTag *
tt_store_create_tag (TtStore     *self,
                     const char  *name,
                     GError     **error)
{
  g_autoptr(TtTag) tag = NULL;
  gboolean created = FALSE;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  LOCKED (self);
  tag = lookup_tag (self, name, TRUE, &created, error);
  if (tag == NULL)
    return NULL;
  if (!created)
    return duplicate_tag (error, tt_tag_get_name (tag)), NULL;

  return g_steal_pointer (&tag);
}

TtTag *
tt_store_ensure_tag (TtStore     *self,
                     const char  *name,
                     gboolean    *created,
                     GError     **error)
{
  gboolean made = FALSE;
  TtTag *tag;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  LOCKED (self);
  tag = lookup_tag (self, name, TRUE, &made, error);
  if (created != NULL)
    *created = tag != NULL && made;
  return tag;
}

TtTag *
tt_store_find_tag_by_name (TtStore     *self,
                           const char  *name,
                           GError     **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  LOCKED (self);
  return lookup_tag (self, name, FALSE, NULL, error);
}

static GHashTable *
load_tutorials_of_tag (TtStore  *self,
                       gint64    tag_id,
                       GError  **error)
{
  static const GType types[] = { TUTORIAL_TYPES, G_TYPE_NONE };
  GdaSet *params = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (self, "SELECT " TUTORIAL_COLUMNS " FROM tutorial_tag x"
                                 " JOIN tutorials tu ON tu.id = x.tutorial_id"
                                 " WHERE x.tag_id = ##tag::int64",
                           &params, error);
  if (stmt != NULL)
    tt_params_set_int64 (params, "tag", tag_id);

  return load_by_id (self, stmt, params, types, (FromRow) tt_store_tutorial_from_row, error);
}

/* Tags with their tutorial counts, and their tutorials when
 * @tutorials is given; @only_tag 0 means all of them. */
static GListStore *
list_tags (TtStore     *self,
           gint64       only_tag,
           GHashTable  *tutorials,
           GError     **error)
{
  static const GType with_ids[] = { TAG_TYPES, G_TYPE_INT64, TT_COL_AUTO, G_TYPE_STRING, G_TYPE_NONE };
  static const GType without_ids[] = { TAG_TYPES, G_TYPE_INT64, TT_COL_AUTO, G_TYPE_NONE };
  g_autoptr(GListStore) result = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  g_autofree char *sql = NULL;

  /* Four fixed texts, so the statement cache keeps four statements. */
  /* When the tag was last given to a tutorial: the newest updatedAt of
   * its links (Sequelize sets it with createdAt when it links; we keep
   * no other record of use). */
  sql = g_strconcat ("SELECT " TAG_COLUMNS ", (SELECT COUNT(*) FROM tutorial_tag x WHERE x.tag_id = t.id),"
                     " (SELECT MAX(x.updatedAt) FROM tutorial_tag x WHERE x.tag_id = t.id)",
                     tutorials != NULL ? ", " TUTORIAL_IDS_OF_TAG : "",
                     " FROM tags t",
                     only_tag > 0 ? " WHERE t.id = ##tag::int64" : " ORDER BY t.id",
                     NULL);
  stmt = tt_store_prepare (self, sql, &params, error);
  if (stmt != NULL && only_tag > 0)
    tt_params_set_int64 (params, "tag", only_tag);
  if (!(rows = tt_store_select_rows (self, stmt, params, tutorials != NULL ? with_ids : without_ids, error)))
    return NULL;

  while (tt_rows_next (rows))
    {
      g_autoptr(TtTag) tag = coloured_tag_from_row (rows, 0);
      g_autoptr(GDateTime) last_linked = row_date_time (rows, 6);

      tt_tag_set_tutorial_count (tag, (guint) row_int64 (rows, 5));
      tt_tag_set_last_linked_at (tag, last_linked);
      if (tutorials != NULL)
        attach_listed (tt_tag_get_tutorials (tag), row_string (rows, 7), tutorials);
      g_list_store_append (result, tag);
    }

  return g_steal_pointer (&result);
}

GListModel *
tt_store_list_tags (TtStore   *self,
                    gboolean   with_tutorials,
                    GError   **error)
{
  g_autoptr(GHashTable) tutorials = NULL;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  LOCKED (self);
  if (with_tutorials && !(tutorials = load_all_tutorials (self, error)))
    return NULL;

  return G_LIST_MODEL (list_tags (self, 0, tutorials, error));
}

TtTag *
tt_store_get_tag (TtStore  *self,
                  gint64    id,
                  GError  **error)
{
  g_autoptr(GListStore) tags = NULL;
  g_autoptr(GHashTable) tutorials = NULL;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (id > 0, NULL);

  LOCKED (self);
  if (!(tutorials = load_tutorials_of_tag (self, id, error)) ||
      !(tags = list_tags (self, id, tutorials, error)))
    return NULL;
  if (g_list_model_get_n_items (G_LIST_MODEL (tags)) == 0)
    return not_found (error, RECORD_TAG, id), NULL;

  return g_list_model_get_item (G_LIST_MODEL (tags), 0);
}

/* The tutorials that have @from and not @into. */
static GArray *
tutorials_to_move (TtStore  *self,
                   gint64    from,
                   gint64    into,
                   GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (self,
                           "SELECT x.tutorial_id FROM tutorial_tag x WHERE x.tag_id = ##from::int64"
                           " AND x.tutorial_id NOT IN (SELECT y.tutorial_id FROM tutorial_tag y"
                           " WHERE y.tag_id = ##into::int64)",
                           &params, error);
  if (stmt != NULL)
    {
      tt_params_set_int64 (params, "from", from);
      tt_params_set_int64 (params, "into", into);
    }
  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)))
    return NULL;

  while (tt_rows_next (rows))
    {
      gint64 id = row_int64 (rows, 0);
      g_array_append_val (ids, id);
    }

  return g_steal_pointer (&ids);
}

static gboolean insert_link (TtStore *self, gint64 tutorial_id, gint64 tag_id,
                             gboolean *inserted, GError **error);

/* Inside a transaction: the tag and its colour (tt_tag_colour has no
 * foreign key to cascade). */
static gboolean
delete_tag_row (TtStore  *self,
                gint64    id,
                GError  **error)
{
  return tt_store_forget_tag_colour (self, id, error) &&
         delete_by_id (self, "DELETE FROM tags WHERE id = ##id::int64", RECORD_TAG, id, error);
}

/* Gives @into every tutorial of @from (each link once), then deletes
 * @from. (libgda re-renders "NOT EXISTS (SELECT …)" as "NOT EXISTS
 * ((SELECT …))", which SQLite rejects: NOT IN it is.) @gained gets the
 * tutorials that gained @into. */
static gboolean
merge_tags (TtStore  *self,
            gint64    from,
            gint64    into,
            GArray  **gained,
            GError  **error)
{
  g_autoptr(GArray) ids = tutorials_to_move (self, from, into, error);

  if (ids == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      if (!insert_link (self, g_array_index (ids, gint64, i), into, NULL, error))
        return FALSE;
    }

  if (!delete_tag_row (self, from, error))
    return FALSE;

  *gained = g_steal_pointer (&ids);
  return TRUE;
}

static gboolean
update_tag_name (TtStore     *self,
                 gint64       id,
                 const char  *name,
                 const char  *key,
                 GError     **error)
{
  g_autofree char *now = tt_now_sql ();
  GdaStatement *stmt;
  GdaSet *params;

  stmt = tt_store_prepare (self,
                           "UPDATE tags SET name = ##name::string, name_key = ##key::string,"
                           " updatedAt = ##now::string WHERE id = ##id::int64",
                           &params, error);
  if (stmt == NULL)
    return FALSE;

  tt_params_set_string (params, "name", name);
  tt_params_set_string (params, "key", key);
  tt_params_set_string (params, "now", now);
  tt_params_set_int64 (params, "id", id);
  return tt_store_exec (self, stmt, params, NULL, error);
}

void
tt_tag_rename_clear (TtTagRename *rename)
{
  g_clear_pointer (&rename->old_name, g_free);
  g_clear_object (&rename->merged);
  g_clear_pointer (&rename->gained, g_array_unref);
}

typedef struct
{
  gint64       id;
  const char  *name;
  gint64       result_id;
  TtTagRename *did;
} RenameData;

/* The renamed tag as it was, with its tutorials, goes into @did first:
 * it is what an undo of the merge puts back. */
static gboolean
rename_merge (TtStore     *self,
              RenameData  *rename,
              TtTag       *into,
              GError     **error)
{
  TtTagRename *did = rename->did;

  did->merged = tt_store_get_tag (self, rename->id, error);
  if (did->merged == NULL)
    return FALSE;

  did->old_name = g_strdup (tt_tag_get_name (did->merged));
  rename->result_id = tt_tag_get_id (into);
  return merge_tags (self, rename->id, rename->result_id, &did->gained, error);
}

static char *
tag_name_by_id (TtStore  *self,
                gint64    id,
                GError  **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, "SELECT name FROM tags WHERE id = ##id::int64",
                                         &params, error);

  if (stmt != NULL)
    tt_params_set_int64 (params, "id", id);
  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)))
    return NULL;
  if (!tt_rows_next (rows))
    return not_found (error, RECORD_TAG, id), NULL;

  return g_strdup (row_string (rows, 0));
}

static gboolean
rename_body (TtStore   *self,
             gpointer   data,
             GError   **error)
{
  RenameData *rename = data;
  g_autofree char *clean = tt_rules_clean_tag_name (rename->name, error);
  g_autofree char *key = NULL;
  g_autoptr(TtTag) other = NULL;
  g_autoptr(GError) local_error = NULL;

  /* A try the server rolled back may have filled it in. */
  tt_tag_rename_clear (rename->did);
  rename->result_id = 0;
  if (clean == NULL || !tt_store_backfill_name_keys (self, error))
    return FALSE;

  key = tt_tag_name_key (clean);
  other = find_tag_by_key (self, key, &local_error);
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;

  if (other != NULL && tt_tag_get_id (other) != rename->id)
    return rename_merge (self, rename, other, error);

  rename->did->old_name = tag_name_by_id (self, rename->id, error);
  rename->result_id = rename->id;
  return rename->did->old_name != NULL &&
         update_tag_name (self, rename->id, clean, key, error);
}

TtTag *
tt_store_rename_tag (TtStore      *self,
                     gint64        id,
                     const char   *new_name,
                     TtTagRename  *did,
                     GError      **error)
{
  g_auto(TtTagRename) scratch = { 0 };
  RenameData data = { id, new_name, 0, &scratch };

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  LOCKED (self);
  if (!tt_store_run_atomically (self, rename_body, &data, error))
    return NULL;

  if (did != NULL)
    {
      *did = scratch;
      memset (&scratch, 0, sizeof scratch);
    }
  return tt_store_get_tag (self, data.result_id, error);
}

static gboolean
delete_tag_body (TtStore   *self,
                 gpointer   data,
                 GError   **error)
{
  return delete_tag_row (self, *(const gint64 *) data, error);
}

gboolean
tt_store_delete_tag (TtStore  *self,
                     gint64    id,
                     GError  **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  LOCKED (self);
  return tt_store_run_atomically (self, delete_tag_body, &id, error);
}

GPtrArray *
tt_store_find_case_duplicates (TtStore  *self,
                               GError  **error)
{
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  if (!(tags = tt_store_list_tags (self, FALSE, error)))
    return NULL;

  groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  n = g_list_model_get_n_items (tags);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);
      char *key = tt_tag_name_key (tt_tag_get_name (tag) != NULL ? tt_tag_get_name (tag) : "");
      GListStore *group = g_hash_table_lookup (groups, key);

      if (group == NULL)
        {
          group = g_list_store_new (TT_TYPE_TAG);
          g_hash_table_insert (groups, key, group);
          g_ptr_array_add (result, group);
        }
      else
        g_free (key);
      g_list_store_append (group, tag);
    }

  for (guint i = result->len; i > 0; i--)
    {
      if (g_list_model_get_n_items (result->pdata[i - 1]) < 2)
        g_ptr_array_remove_index (result, i - 1);
    }

  return g_steal_pointer (&result);
}

/* ---- links ----------------------------------------------------------- */

/* A link that is already there is not an error: two people adding the
 * same tag at once both succeed, and the link exists once. *@inserted
 * (nullable) says whether this call made it. */
static gboolean
insert_link (TtStore   *self,
             gint64     tutorial_id,
             gint64     tag_id,
             gboolean  *inserted,
             GError   **error)
{
  g_autofree char *now = tt_now_sql ();
  g_autoptr(GError) local_error = NULL;
  GdaStatement *stmt;
  GdaSet *params;
  gboolean ok;

  stmt = tt_store_prepare (self,
                           "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id)"
                           " VALUES (##now::string, ##now::string, ##tutorial::int64, ##tag::int64)",
                           &params, error);
  if (stmt == NULL)
    return FALSE;

  tt_params_set_string (params, "now", now);
  tt_params_set_int64 (params, "tutorial", tutorial_id);
  tt_params_set_int64 (params, "tag", tag_id);
  ok = tt_store_exec (self, stmt, params, NULL, &local_error);
  if (inserted != NULL)
    *inserted = ok;
  if (ok || g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE))
    return TRUE;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Links only when both ends exist, in one statement: the usual chip
 * costs one round trip, and needs no transaction of its own. When
 * nothing was inserted, a second query says which end is missing. */
static gboolean
link_checked (TtStore   *self,
              gint64     tutorial_id,
              gint64     tag_id,
              gboolean  *linked,
              GError   **error)
{
  g_autofree char *now = tt_now_sql ();
  g_autoptr(GError) local_error = NULL;
  GdaStatement *stmt;
  GdaSet *params;
  int n_rows = 0;

  *linked = FALSE;
  /* On MySQL the ends are read as they are now, not as the transaction's
   * snapshot has them: a tag another client made after the snapshot (a
   * lookup that lost the race to create it found theirs) is not in it.
   * MariaDB with row-based binary logging (a Galera cluster) reads the
   * SELECT of an INSERT … SELECT from the snapshot otherwise. */
  stmt = tt_store_prepare (self,
                           tt_store_is_mysql (self)
                             ? "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id)"
                               " SELECT ##now::string, ##now::string, tu.id, t.id"
                               " FROM tutorials tu, tags t"
                               " WHERE tu.id = ##tutorial::int64 AND t.id = ##tag::int64"
                               " LOCK IN SHARE MODE"
                             : "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id)"
                               " SELECT ##now::string, ##now::string, tu.id, t.id"
                               " FROM tutorials tu, tags t"
                               " WHERE tu.id = ##tutorial::int64 AND t.id = ##tag::int64",
                           &params, error);
  if (stmt == NULL)
    return FALSE;

  tt_params_set_string (params, "now", now);
  tt_params_set_int64 (params, "tutorial", tutorial_id);
  tt_params_set_int64 (params, "tag", tag_id);
  if (tt_store_exec (self, stmt, params, &n_rows, &local_error) && n_rows > 0)
    return *linked = TRUE;
  if (g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_DUPLICATE))
    return TRUE;
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;

  return pair_exists (self, tutorial_id, tag_id, error);
}

static gboolean
delete_link (TtStore  *self,
             gint64    tutorial_id,
             gint64    tag_id,
             int      *n_rows,
             GError  **error)
{
  GdaStatement *stmt;
  GdaSet *params;

  stmt = tt_store_prepare (self,
                           "DELETE FROM tutorial_tag"
                           " WHERE tutorial_id = ##tutorial::int64 AND tag_id = ##tag::int64",
                           &params, error);
  if (stmt == NULL)
    return FALSE;

  tt_params_set_int64 (params, "tutorial", tutorial_id);
  tt_params_set_int64 (params, "tag", tag_id);
  return tt_store_exec (self, stmt, params, n_rows, error);
}

/* One statement on the usual path; when nothing was deleted, a second
 * says why: a missing end, or a tutorial without that tag. */
static gboolean
unlink_checked (TtStore  *self,
                gint64    tutorial_id,
                gint64    tag_id,
                GError  **error)
{
  g_autofree char *tutorial = NULL;
  g_autofree char *tag = NULL;
  int n_rows = 0;

  if (!delete_link (self, tutorial_id, tag_id, &n_rows, error))
    return FALSE;
  if (n_rows > 0)
    return TRUE;
  if (!pair_exists (self, tutorial_id, tag_id, error))
    return FALSE;

  tutorial = g_strdup_printf ("%" G_GINT64_FORMAT, tutorial_id);
  tag = g_strdup_printf ("%" G_GINT64_FORMAT, tag_id);
  g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND,
               _("Tutorial %s does not have tag %s"), tutorial, tag);
  return FALSE;
}

gboolean
tt_store_link (TtStore  *self,
               gint64    tutorial_id,
               gint64    tag_id,
               GError  **error)
{
  gboolean linked;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  LOCKED (self);
  return link_checked (self, tutorial_id, tag_id, &linked, error);
}

gboolean
tt_store_unlink (TtStore  *self,
                 gint64    tutorial_id,
                 gint64    tag_id,
                 GError  **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  LOCKED (self);
  return unlink_checked (self, tutorial_id, tag_id, error);
}

/* ---- chips: tagging by id or by name --------------------------------- */

typedef struct
{
  gint64     tutorial_id;
  TtTag     *asked;   /* id or name */
  TtTag     *tag;     /* out: the tag, with its id */
  TtTagging *did;
} Tagging;

static TtTag *resolve_tag (TtStore *self, TtTag *tag, GError **error);

static gboolean
tag_body (TtStore   *self,
          gpointer   data,
          GError   **error)
{
  Tagging *tagging = data;
  TtTag *asked = tagging->asked;
  g_autoptr(TtTag) tag = NULL;

  /* A try the server rolled back may have made the tag, and said so. */
  memset (tagging->did, 0, sizeof *tagging->did);
  if (tt_tag_get_id (asked) > 0)
    tag = resolve_tag (self, asked, error);
  else
    tag = lookup_tag (self, tt_tag_get_name (asked), TRUE, &tagging->did->tag_created, error);

  if (tag == NULL ||
      !link_checked (self, tagging->tutorial_id, tt_tag_get_id (tag), &tagging->did->linked, error))
    return FALSE;

  g_set_object (&tagging->tag, tag);
  return TRUE;
}

/* A tag known by id and name is one statement; otherwise the tag is
 * found (or made) first, in the same transaction. */
TtTag *
tt_store_tag_tutorial (TtStore     *self,
                       gint64       tutorial_id,
                       TtTag       *tag,
                       TtTagging   *did,
                       GError     **error)
{
  TtTagging scratch = { 0 };
  Tagging tagging = { tutorial_id, tag, NULL, did != NULL ? did : &scratch };
  gboolean known;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (TT_IS_TAG (tag), NULL);

  known = tt_tag_get_id (tag) > 0 && tt_tag_get_name (tag) != NULL;
  memset (tagging.did, 0, sizeof *tagging.did);
  tagging.tag = g_object_ref (tag);
  LOCKED (self);
  if (known ? !link_checked (self, tutorial_id, tt_tag_get_id (tag), &tagging.did->linked, error)
            : !tt_store_run_atomically (self, tag_body, &tagging, error))
    {
      g_clear_object (&tagging.tag);
      memset (tagging.did, 0, sizeof *tagging.did);
    }

  return tagging.tag;
}

/* The tag to take off, as the store has it: by id (for its name), or
 * by name in any case. */
static TtTag *
resolve_tag (TtStore  *self,
             TtTag    *tag,
             GError  **error)
{
  g_autofree char *name = NULL;

  if (tt_tag_get_id (tag) <= 0)
    return lookup_tag (self, tt_tag_get_name (tag), FALSE, NULL, error);

  name = tag_name_by_id (self, tt_tag_get_id (tag), error);
  return name != NULL ? tt_tag_new (tt_tag_get_id (tag), name) : NULL;
}

static gboolean
untag_body (TtStore   *self,
            gpointer   data,
            GError   **error)
{
  Tagging *tagging = data;
  g_autoptr(TtTag) tag = resolve_tag (self, tagging->asked, error);

  if (tag == NULL || !unlink_checked (self, tagging->tutorial_id, tt_tag_get_id (tag), error))
    return FALSE;

  g_set_object (&tagging->tag, tag);
  return TRUE;
}

/* A tag known by id and name is one statement; otherwise the tag is
 * read first, in the same transaction. */
TtTag *
tt_store_untag_tutorial (TtStore  *self,
                         gint64    tutorial_id,
                         TtTag    *tag,
                         GError  **error)
{
  Tagging tagging = { tutorial_id, tag, NULL, NULL };
  gboolean known = tt_tag_get_id (tag) > 0 && tt_tag_get_name (tag) != NULL;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (TT_IS_TAG (tag), NULL);

  tagging.tag = g_object_ref (tag);
  LOCKED (self);
  if (known ? !unlink_checked (self, tutorial_id, tt_tag_get_id (tag), error)
            : !tt_store_run_atomically (self, untag_body, &tagging, error))
    g_clear_object (&tagging.tag);

  return tagging.tag;
}

/* ---- many tutorials, one tag ----------------------------------------- */

typedef struct
{
  const gint64 *tutorial_ids;
  guint         n_tutorial_ids;
  gint64        tag_id;
  gboolean      add;
  TtLinkFlags   flags;
  GArray       *changed;
  guint         n_changed_before;  /* what @changed held before */
} BulkData;

/* Whether @tutorial_id is there to change: FALSE with no error when it
 * is missing and may be passed over. */
static gboolean
bulk_tutorial_present (TtStore   *self,
                       BulkData  *bulk,
                       gint64     tutorial_id,
                       GError   **error)
{
  g_autoptr(GError) local_error = NULL;

  if (tutorial_exists (self, tutorial_id, &local_error))
    return TRUE;
  if ((bulk->flags & TT_LINK_SKIP_MISSING) == 0 ||
      !g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Whether to go on after @tutorial_id changed nothing: yes when it is
 * there, or missing and TT_LINK_SKIP_MISSING says to pass it over. */
static gboolean
bulk_go_on (TtStore   *self,
            BulkData  *bulk,
            gint64     tutorial_id,
            GError   **error)
{
  g_autoptr(GError) local_error = NULL;

  if (bulk_tutorial_present (self, bulk, tutorial_id, &local_error) || local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* One statement a tutorial on the usual path (a drop of 1 000 tutorials
 * onto a tag on a server is 1 000 round trips, not 2 000); only when it
 * changed nothing does a second query say whether an end is missing. */
static gboolean
bulk_one (TtStore   *self,
          BulkData  *bulk,
          gint64     tutorial_id,
          gboolean  *changed,
          GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  int n_rows = 0;

  *changed = FALSE;
  if (bulk->add)
    {
      if (link_checked (self, tutorial_id, bulk->tag_id, changed, &local_error))
        return TRUE;
      /* An end is missing: the tutorial (perhaps to pass over), or the
       * tag, which the error then names. */
      if (g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND) &&
          !tutorial_exists (self, tutorial_id, NULL))
        return bulk_go_on (self, bulk, tutorial_id, error);
      return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
    }

  if (!delete_link (self, tutorial_id, bulk->tag_id, &n_rows, error))
    return FALSE;
  *changed = n_rows > 0;
  return *changed || bulk_go_on (self, bulk, tutorial_id, error);
}

static gboolean
bulk_body (TtStore   *self,
           gpointer   data,
           GError   **error)
{
  BulkData *bulk = data;

  /* Not what a try the server rolled back reported. */
  if (bulk->changed != NULL)
    g_array_set_size (bulk->changed, bulk->n_changed_before);
  if (!tag_exists (self, bulk->tag_id, error))
    return FALSE;

  for (guint i = 0; i < bulk->n_tutorial_ids; i++)
    {
      gint64 tutorial_id = bulk->tutorial_ids[i];
      gboolean changed = FALSE;

      if (!bulk_one (self, bulk, tutorial_id, &changed, error))
        return FALSE;
      if (changed && bulk->changed != NULL)
        g_array_append_val (bulk->changed, tutorial_id);
    }

  return TRUE;
}

static gboolean
run_bulk (TtStore   *self,
          BulkData  *bulk,
          GError   **error)
{
  bulk->n_changed_before = bulk->changed != NULL ? bulk->changed->len : 0;
  if (tt_store_run_atomically (self, bulk_body, bulk, error))
    return TRUE;

  if (bulk->changed != NULL)
    g_array_set_size (bulk->changed, bulk->n_changed_before);
  return FALSE;
}

gboolean
tt_store_link_many (TtStore       *self,
                    const gint64  *tutorial_ids,
                    guint          n_tutorial_ids,
                    gint64         tag_id,
                    TtLinkFlags    flags,
                    GArray        *changed,
                    GError       **error)
{
  BulkData data = { tutorial_ids, n_tutorial_ids, tag_id, TRUE, flags, changed, 0 };

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  return run_bulk (self, &data, error);
}

gboolean
tt_store_unlink_many (TtStore       *self,
                      const gint64  *tutorial_ids,
                      guint          n_tutorial_ids,
                      gint64         tag_id,
                      TtLinkFlags    flags,
                      GArray        *changed,
                      GError       **error)
{
  BulkData data = { tutorial_ids, n_tutorial_ids, tag_id, FALSE, flags, changed, 0 };

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  return run_bulk (self, &data, error);
}

typedef struct
{
  gint64              tutorial_id;
  const char * const *names;
} SetTagsData;

static gboolean
remove_links_not_in (TtStore     *self,
                     gint64       tutorial_id,
                     GHashTable  *keep,
                     GError     **error)
{
  g_autoptr(TtTutorial) tutorial = tt_store_get_tutorial (self, tutorial_id, error);
  GListModel *tags;

  if (tutorial == NULL)
    return FALSE;

  tags = tt_tutorial_get_tags (tutorial);
  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      if (!g_hash_table_contains (keep, ID_KEY (tt_tag_get_id (tag))) &&
          !delete_link (self, tutorial_id, tt_tag_get_id (tag), NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
set_tags_body (TtStore   *self,
               gpointer   data,
               GError   **error)
{
  SetTagsData *set = data;
  g_autoptr(GHashTable) keep = g_hash_table_new (NULL, NULL);

  if (!tutorial_exists (self, set->tutorial_id, error))
    return FALSE;

  for (guint i = 0; set->names != NULL && set->names[i] != NULL; i++)
    {
      g_autoptr(TtTag) tag = lookup_tag (self, set->names[i], TRUE, NULL, error);

      if (tag == NULL || !insert_link (self, set->tutorial_id, tt_tag_get_id (tag), NULL, error))
        return FALSE;
      g_hash_table_add (keep, ID_KEY (tt_tag_get_id (tag)));
    }

  return remove_links_not_in (self, set->tutorial_id, keep, error);
}

TtTutorial *
tt_store_set_tutorial_tags (TtStore             *self,
                            gint64               tutorial_id,
                            const char * const  *tag_names,
                            GError             **error)
{
  SetTagsData data = { tutorial_id, tag_names };

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  LOCKED (self);
  if (!tt_store_run_atomically (self, set_tags_body, &data, error))
    return NULL;

  return tt_store_get_tutorial (self, tutorial_id, error);
}

/* ---- restoring (undo) ------------------------------------------------ */

static char *
sql_time_or_now (GDateTime *time)
{
  return time != NULL ? tt_format_sql_time (time) : tt_now_sql ();
}

/* Links @snapshot's items that still exist; a link is (tutorial, tag). */
static gboolean
restore_links (TtStore     *self,
               GListModel  *items,
               gint64       owner_id,
               gboolean     owner_is_tutorial,
               GError     **error)
{
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (items, i);
      gint64 item_id = owner_is_tutorial ? tt_tag_get_id (TT_TAG (item))
                                         : tt_tutorial_get_id (TT_TUTORIAL (item));
      gint64 tutorial_id = owner_is_tutorial ? owner_id : item_id;
      gint64 tag_id = owner_is_tutorial ? item_id : owner_id;
      g_autoptr(GError) local_error = NULL;
      gboolean linked;

      /* The other end may have been deleted since: that link is gone. */
      if (!link_checked (self, tutorial_id, tag_id, &linked, &local_error) &&
          !g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND))
        return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
    }

  return TRUE;
}

static gboolean
restore_tutorial_body (TtStore   *self,
                       gpointer   data,
                       GError   **error)
{
  TtTutorial *snapshot = data;
  g_autofree char *created = sql_time_or_now (tt_tutorial_get_created_at (snapshot));
  g_autofree char *updated = sql_time_or_now (tt_tutorial_get_updated_at (snapshot));
  GdaStatement *stmt;
  GdaSet *params;

  stmt = tt_store_prepare (self,
                           "INSERT INTO tutorials (id, title, description, createdAt, updatedAt)"
                           " VALUES (##id::int64, ##title::string, ##description::string::null,"
                           " ##created::string, ##updated::string)",
                           &params, error);
  if (stmt == NULL)
    return FALSE;

  tt_params_set_int64 (params, "id", tt_tutorial_get_id (snapshot));
  tt_params_set_string (params, "title", tt_tutorial_get_title (snapshot));
  tt_params_set_string (params, "description", tt_tutorial_get_description (snapshot));
  tt_params_set_string (params, "created", created);
  tt_params_set_string (params, "updated", updated);
  return tt_store_exec (self, stmt, params, NULL, error) &&
         restore_links (self, tt_tutorial_get_tags (snapshot), tt_tutorial_get_id (snapshot), TRUE, error);
}

TtTutorial *
tt_store_restore_tutorial (TtStore     *self,
                           TtTutorial  *snapshot,
                           GError     **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (TT_IS_TUTORIAL (snapshot), NULL);

  if (!tt_rules_check_title (tt_tutorial_get_title (snapshot), error) ||
      !tt_rules_check_description (tt_tutorial_get_description (snapshot), error))
    return NULL;

  LOCKED (self);
  if (!tt_store_run_atomically (self, restore_tutorial_body, snapshot, error))
    return NULL;

  return tt_store_get_tutorial (self, tt_tutorial_get_id (snapshot), error);
}

static gboolean
restore_tag_body (TtStore   *self,
                  gpointer   data,
                  GError   **error)
{
  TtTag *snapshot = data;
  g_autofree char *name = tt_rules_clean_tag_name (tt_tag_get_name (snapshot), error);
  g_autofree char *key = NULL;
  g_autofree char *created = sql_time_or_now (tt_tag_get_created_at (snapshot));
  g_autofree char *updated = sql_time_or_now (tt_tag_get_updated_at (snapshot));
  GdaStatement *stmt;
  GdaSet *params;

  if (name == NULL || !tt_store_backfill_name_keys (self, error))
    return FALSE;

  key = tt_tag_name_key (name);
  stmt = tt_store_prepare (self,
                           "INSERT INTO tags (id, name, name_key, createdAt, updatedAt)"
                           " VALUES (##id::int64, ##name::string, ##key::string,"
                           " ##created::string, ##updated::string)",
                           &params, error);
  if (stmt == NULL)
    return FALSE;

  tt_params_set_int64 (params, "id", tt_tag_get_id (snapshot));
  tt_params_set_string (params, "name", name);
  tt_params_set_string (params, "key", key);
  tt_params_set_string (params, "created", created);
  tt_params_set_string (params, "updated", updated);
  return tt_store_exec (self, stmt, params, NULL, error) &&
         tt_store_put_tag_colour (self, tt_tag_get_id (snapshot), tt_tag_get_colour (snapshot), error) &&
         restore_links (self, tt_tag_get_tutorials (snapshot), tt_tag_get_id (snapshot), FALSE, error);
}

TtTag *
tt_store_restore_tag (TtStore  *self,
                      TtTag    *snapshot,
                      GError  **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (TT_IS_TAG (snapshot), NULL);

  LOCKED (self);
  if (!tt_store_run_atomically (self, restore_tag_body, snapshot, error))
    return NULL;

  return tt_store_get_tag (self, tt_tag_get_id (snapshot), error);
}

/* ---- asynchronous API ------------------------------------------------ */

typedef struct
{
  TtStoreJob     job;
  gpointer       data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
worker_run (gpointer data,
            gpointer user_data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  TtStore *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  gpointer result;

  self->worker_thread = g_thread_self ();
  if (g_task_return_error_if_cancelled (task))
    return;

  result = job->job (self, job->data, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, job->result_free);
}

void
tt_store_run_async (TtStore             *self,
                    TtStoreJob           job_func,
                    gpointer             data,
                    GDestroyNotify       data_free,
                    GDestroyNotify       result_free,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (TT_IS_STORE (self));
  g_return_if_fail (job_func != NULL);

  job = g_new0 (Job, 1);
  job->job = job_func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_store_run_async);
  g_task_set_task_data (task, job, job_free);

  if (self->worker == NULL)
    {
      g_task_return_new_error (task, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_FAILED,
                               _("The catalogue is closed"));
      return;
    }

  g_thread_pool_push (self->worker, g_steal_pointer (&task), NULL);
}

gpointer
tt_store_run_finish (TtStore       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tt_tutorial_query_copy:
 * @query: (nullable): a query, or %NULL for every tutorial
 *
 * A deep copy, for a query kept or handed to another thread.
 *
 * Returns: (transfer full): the copy; free with tt_tutorial_query_free()
 */
TtTutorialQuery *
tt_tutorial_query_copy (const TtTutorialQuery *query)
{
  TtTutorialQuery *copy = g_new0 (TtTutorialQuery, 1);

  if (query != NULL)
    *copy = *query;
  copy->text = g_strdup (copy->text);
  copy->tag_ids = g_memdup2 (copy->tag_ids, sizeof (gint64) * copy->n_tag_ids);
  return copy;
}

/**
 * tt_tutorial_query_equal:
 * @a: (nullable): a query
 * @b: (nullable): another
 *
 * Whether both list the same tutorials in the same order; %NULL and an
 * empty text are the same. %NULL queries are equal only to each other.
 */
gboolean
tt_tutorial_query_equal (const TtTutorialQuery *a,
                         const TtTutorialQuery *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->text != NULL ? a->text : "", b->text != NULL ? b->text : "") == 0 &&
         a->n_tag_ids == b->n_tag_ids &&
         (a->n_tag_ids == 0 || memcmp (a->tag_ids, b->tag_ids, a->n_tag_ids * sizeof (gint64)) == 0) &&
         a->match == b->match && a->sort == b->sort &&
         !a->descending == !b->descending && !a->with_tags == !b->with_tags;
}

void
tt_tutorial_query_free (TtTutorialQuery *query)
{
  if (query == NULL)
    return;

  g_free ((char *) query->text);
  g_free ((gint64 *) query->tag_ids);
  g_free (query);
}

static gpointer
list_tutorials_job (TtStore   *self,
                    gpointer   data,
                    GError   **error)
{
  return tt_store_list_tutorials (self, data, error);
}

void
tt_store_list_tutorials_async (TtStore               *self,
                               const TtTutorialQuery *query,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  tt_store_run_async (self, list_tutorials_job, tt_tutorial_query_copy (query),
                      (GDestroyNotify) tt_tutorial_query_free, g_object_unref,
                      cancellable, callback, user_data);
}

GListModel *
tt_store_list_tutorials_finish (TtStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return tt_store_run_finish (self, result, error);
}

static gpointer
list_tags_job (TtStore   *self,
               gpointer   data,
               GError   **error)
{
  return tt_store_list_tags (self, FALSE, error);
}

void
tt_store_list_tags_async (TtStore             *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  tt_store_run_async (self, list_tags_job, NULL, NULL, g_object_unref,
                      cancellable, callback, user_data);
}

GListModel *
tt_store_list_tags_finish (TtStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return tt_store_run_finish (self, result, error);
}

typedef struct
{
  TtDbLocation *location;
  char         *password;
} OpenData;

static void
open_data_free (gpointer data)
{
  OpenData *open = data;

  tt_db_location_free (open->location);
  if (open->password != NULL)
    memset (open->password, 0, strlen (open->password));
  g_free (open->password);
  g_free (open);
}

static gpointer
open_attempt (TtAttempt  *attempt,
              gpointer    data,
              GError    **error)
{
  OpenData *open = data;

  return open_store (open->location, open->password, attempt, error);
}

/* Answers within TT_STORE_CONNECT_TIMEOUT_SECONDS when the server does
 * not (TT_STORE_ERROR_TIMED_OUT); see tt-store-attempt.c. */
void
tt_store_open_async (const TtDbLocation  *location,
                     const char          *password,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *open;

  g_return_if_fail (location != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_store_open_async);

  open = g_new0 (OpenData, 1);
  open->location = tt_db_location_copy (location);
  open->password = g_strdup (password);
  tt_attempt_start (task, location, open_attempt, open, open_data_free, g_object_unref);
}

TtStore *
tt_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
