/* tt-store-journal.c: the change journal, and reading it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Triggers on the three seed tables write a row into tt_change_journal for
 * every row inserted, updated or deleted, whoever changes it: this app, the
 * Node.js app, a mysql client. So "what changed?" is one indexed read of
 * the journal's newest rows instead of a scan of the catalogue.
 *
 * Ids are given at insert and seen at commit: a transaction that took id 5
 * can commit after one that took id 6 was read (and a Galera cluster steps
 * ids by its size). A reader therefore reads again, each time, every row
 * above the highest id it had seen TT_JOURNAL_TAIL_SECONDS ago (at most
 * TT_JOURNAL_TAIL_IDS back), and drops the ids it reported already. A
 * change is missed only when its transaction commits more than that long
 * after it was made.
 *
 * The journal is pruned by age (tt_store_journal_prune()), a bounded
 * number of rows at a time, by the clients that write and read it. The
 * marker row (id MARKER_ID) holds the highest id pruned so far in
 * tutorial_id: a reader that had not read that far yet must read
 * everything again (TtJournalBatch.resync).
 *
 * Where triggers cannot be made (a MySQL user without the TRIGGER
 * privilege, binary logging without SUPER), the store says so once and
 * tt_store_get_change_stamp() scans the tables as before.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tt-store-private.h"

#define MARKER_ID (-1)
#define N_TRIGGERS 9

/* How long, and how many ids back, a reader reads again (see above). */
#define TT_JOURNAL_TAIL_SECONDS 30
#define TT_JOURNAL_TAIL_IDS 2000

/* Writers prune at most this often, and at most this many rows a time. */
#define PRUNE_INTERVAL_USEC (60 * G_USEC_PER_SEC)
#define PRUNE_BATCH 1000

/* ---- the triggers ---------------------------------------------------- */

typedef struct
{
  const char *table;
  const char *kind;
  const char *tutorial_column;  /* NULL: the row has none */
  const char *tag_column;
} JournalSource;

static const JournalSource sources[] = {
  { "tutorials", "tutorial", "id", NULL },
  { "tags", "tag", NULL, "id" },
  { "tutorial_tag", "link", "tutorial_id", "tag_id" },
};

typedef struct
{
  const char *op;
  const char *event;
  const char *row;   /* the row's values after the change, or before a delete */
} JournalEvent;

static const JournalEvent events[] = {
  { "insert", "INSERT", "NEW" },
  { "update", "UPDATE", "NEW" },
  { "delete", "DELETE", "OLD" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (sources) * G_N_ELEMENTS (events) == N_TRIGGERS);

/* TT_JOURNAL_TRIGGERS_LIKE finds these names. */
static char *
trigger_name (const JournalSource *source,
              const JournalEvent  *event)
{
  return g_strdup_printf ("tt_journal_%s_%s", source->table, event->op);
}

static char *
row_column (const JournalEvent *event,
            const char         *column)
{
  return column != NULL ? g_strdup_printf ("%s.%s", event->row, column) : g_strdup ("NULL");
}

/* Names and values are this file's constants: nothing to bind. */
static char *
trigger_sql (TtStore             *self,
             const JournalSource *source,
             const JournalEvent  *event)
{
  g_autofree char *name = trigger_name (source, event);
  g_autofree char *tutorial = row_column (event, source->tutorial_column);
  g_autofree char *tag = row_column (event, source->tag_column);
  gboolean mysql = tt_store_is_mysql (self);
  g_autofree char *insert =
    g_strdup_printf ("INSERT INTO tt_change_journal (kind, op, tutorial_id, tag_id, changed_at)"
                     " VALUES ('%s', '%s', %s, %s, %s)", source->kind, event->op, tutorial, tag,
                     mysql ? "NOW(3)" : "CURRENT_TIMESTAMP");

  if (mysql)
    return g_strdup_printf ("CREATE TRIGGER %s AFTER %s ON %s FOR EACH ROW %s",
                            name, event->event, source->table, insert);
  return g_strdup_printf ("CREATE TRIGGER IF NOT EXISTS %s AFTER %s ON %s FOR EACH ROW BEGIN %s; END",
                          name, event->event, source->table, insert);
}

/* The journal's triggers that are there. A MySQL user without the
 * TRIGGER privilege sees none. */
static GHashTable *
existing_triggers (TtStore  *self,
                   GError  **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(TtRows) rows = NULL;
  const char *sql = tt_store_is_mysql (self)
    ? "SELECT trigger_name FROM information_schema.triggers"
      " WHERE trigger_schema = DATABASE() AND trigger_name LIKE 'tt\\_journal\\_%'"
    : "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tt_journal_%'";

  rows = tt_store_select_rows (self, tt_store_prepare (self, sql, NULL, error), NULL, types, error);
  if (rows == NULL)
    return NULL;
  while (tt_rows_next (rows))
    g_hash_table_add (names, g_strdup (tt_value_get_string (tt_rows_get (rows, 0))));
  return g_steal_pointer (&names);
}

/* Only the missing ones: dropping one that is there would lose the
 * changes other clients make meanwhile. */
static gboolean
create_missing_triggers (TtStore     *self,
                         GHashTable  *existing,
                         GError     **error)
{
  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    for (guint e = 0; e < G_N_ELEMENTS (events); e++)
      {
        g_autofree char *name = trigger_name (&sources[s], &events[e]);
        g_autofree char *sql = NULL;

        if (g_hash_table_contains (existing, name))
          continue;
        sql = trigger_sql (self, &sources[s], &events[e]);
        if (!tt_store_exec_sql (self, sql, error))
          return FALSE;
      }
  return TRUE;
}

static void
say_no_journal_once (const char *reason)
{
  static gboolean said = FALSE;

  if (g_atomic_int_compare_and_exchange (&said, FALSE, TRUE))
    g_message ("This database user may not create triggers (%s): changes made elsewhere are found"
               " by scanning the catalogue every few seconds instead of reading the change journal."
               " See README.md, “Running it for a team”.", reason);
}

static gboolean
try_triggers (TtStore  *self,
              GError  **error)
{
  g_autoptr(GHashTable) existing = existing_triggers (self, error);

  return existing != NULL &&
         (g_hash_table_size (existing) == N_TRIGGERS || create_missing_triggers (self, existing, error));
}

/* At every open: Sequelize's sync({force: true}) drops the seed tables,
 * and their triggers with them. */
gboolean
tt_store_journal_ensure_triggers (TtStore  *self,
                                  GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) again = NULL;

  self->journal = FALSE;
  if (self->read_only || self->file_read_only)
    return TRUE;

  if (try_triggers (self, &local_error))
    {
      self->journal = TRUE;
      return TRUE;
    }

  if (g_error_matches (local_error, TT_STORE_ERROR, TT_STORE_ERROR_NO_PERMISSION))
    {
      say_no_journal_once (local_error->message);
      return TRUE;
    }

  /* Another client may have made the same trigger a moment before. */
  again = existing_triggers (self, NULL);
  if (again != NULL && g_hash_table_size (again) == N_TRIGGERS)
    {
      self->journal = TRUE;
      return TRUE;
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
tt_store_journal_ensure_marker (TtStore  *self,
                                GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 n = tt_store_select_int64 (self, "SELECT COUNT(*) FROM tt_change_journal WHERE id = -1",
                                    &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (n > 0)
    return TRUE;

  return tt_store_exec_sql (self,
                            tt_store_is_mysql (self)
                              ? "INSERT INTO tt_change_journal (id, kind, op, tutorial_id, changed_at)"
                                " VALUES (-1, 'pruned', 'delete', 0, NOW(3))"
                              : "INSERT INTO tt_change_journal (id, kind, op, tutorial_id, changed_at)"
                                " VALUES (-1, 'pruned', 'delete', 0, CURRENT_TIMESTAMP)",
                            error);
}

gboolean
tt_store_has_journal (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  return self->journal;
}

/* ---- pruning --------------------------------------------------------- */

/* The highest id among the oldest PRUNE_BATCH entries older than
 * @keep_seconds; 0 for none. */
static gint64
prune_point (TtStore  *self,
             guint     keep_seconds,
             GError  **error)
{
  static const GType types[] = { TT_COL_AUTO, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaStatement *stmt;
  GdaSet *params;

  stmt = tt_store_prepare (self,
                           tt_store_is_mysql (self)
                             ? "SELECT MAX(id) FROM (SELECT id FROM tt_change_journal WHERE id > 0"
                               " AND changed_at < NOW(3) - INTERVAL ##keep::int64 SECOND"
                               " ORDER BY id LIMIT " G_STRINGIFY (PRUNE_BATCH) ") AS oldest"
                             : "SELECT MAX(id) FROM (SELECT id FROM tt_change_journal WHERE id > 0"
                               " AND changed_at < datetime('now', ##modifier::string)"
                               " ORDER BY id LIMIT " G_STRINGIFY (PRUNE_BATCH) ") AS oldest",
                           &params, error);
  if (stmt == NULL)
    return -1;

  if (tt_store_is_mysql (self))
    tt_params_set_int64 (params, "keep", keep_seconds);
  else
    {
      g_autofree char *modifier = g_strdup_printf ("-%u seconds", keep_seconds);

      tt_params_set_string (params, "modifier", modifier);
    }

  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)))
    return -1;
  if (!tt_rows_next (rows) || gda_value_is_null (tt_rows_get (rows, 0)))
    return 0;
  return tt_value_get_int64 (tt_rows_get (rows, 0));
}

/* The marker moves first: a reader never finds rows gone that the
 * marker does not own up to. */
static gboolean
prune_up_to (TtStore  *self,
             gint64    last,
             GError  **error)
{
  GdaStatement *mark;
  GdaStatement *delete;
  GdaSet *mark_params;
  GdaSet *delete_params;

  mark = tt_store_prepare (self, "UPDATE tt_change_journal SET tutorial_id = ##last::int64"
                                 " WHERE id = -1 AND tutorial_id < ##last::int64",
                           &mark_params, error);
  delete = tt_store_prepare (self, "DELETE FROM tt_change_journal WHERE id > 0 AND id <= ##last::int64",
                             &delete_params, error);
  if (mark == NULL || delete == NULL)
    return FALSE;

  tt_params_set_int64 (mark_params, "last", last);
  tt_params_set_int64 (delete_params, "last", last);
  return tt_store_journal_ensure_marker (self, error) &&
         tt_store_exec (self, mark, mark_params, NULL, error) &&
         tt_store_exec (self, delete, delete_params, NULL, error);
}

/* Prunes every entry, so that every reader reads everything again: for
 * a bulk import that wrote its rows with the triggers set aside
 * (tt-store-import.c). The entries it wrote before that are above any
 * id a reader has seen (SQLite has one writer), so the marker passes
 * every reader's floor. */
gboolean
tt_store_journal_prune_all (TtStore  *self,
                            GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 last = tt_store_select_int64 (self, "SELECT COALESCE(MAX(id), 0) FROM tt_change_journal",
                                       &local_error);

  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  return last <= 0 || prune_up_to (self, last, error);
}

/* Deletes up to PRUNE_BATCH entries older than @keep_seconds, oldest
 * first; *@pruned (nullable) says whether any were. */
gboolean
tt_store_journal_prune (TtStore   *self,
                        guint      keep_seconds,
                        gboolean  *pruned,
                        GError   **error)
{
  gint64 last;
  gboolean ok;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->lock);
  last = self->journal ? prune_point (self, keep_seconds, error) : 0;
  ok = last >= 0 && (last == 0 || prune_up_to (self, last, error));
  g_rec_mutex_unlock (&self->lock);

  if (pruned != NULL)
    *pruned = ok && last > 0;
  return ok;
}

/* Called after a write of ours was committed: at most every
 * PRUNE_INTERVAL_USEC, never inside a transaction, failures ignored (a
 * user who may not delete from the journal leaves it to others). */
void
tt_store_journal_prune_maybe (TtStore *self)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;

  if (!self->journal || self->in_transaction || self->pruning ||
      (self->last_prune_usec != 0 && now - self->last_prune_usec < PRUNE_INTERVAL_USEC))
    return;

  self->pruning = TRUE;
  self->last_prune_usec = now;
  if (!tt_store_journal_prune (self, TT_JOURNAL_KEEP_SECONDS, NULL, &error))
    g_debug ("Pruning the change journal: %s", error->message);
  self->pruning = FALSE;
}

/* ---- reading --------------------------------------------------------- */

typedef struct
{
  gint64 usec;      /* monotonic */
  gint64 max_seen;
} PollMark;

struct _TtJournalReader
{
  gboolean    started;
  gint64      floor;        /* every row above it is read again */
  gint64      max_seen;
  GHashTable *reported;     /* ids above the floor given out already */
  GQueue      marks;        /* PollMark, oldest first */
  char       *stamp;        /* without a journal: the last change stamp */
  guint       adoption;     /* the store's adoption_generation at the start */
};

TtJournalReader *
tt_journal_reader_new (void)
{
  TtJournalReader *reader = g_new0 (TtJournalReader, 1);

  reader->reported = g_hash_table_new (NULL, NULL);
  g_queue_init (&reader->marks);
  return reader;
}

static void
reader_restart (TtJournalReader *reader)
{
  reader->started = FALSE;
  reader->floor = 0;
  reader->max_seen = 0;
  g_hash_table_remove_all (reader->reported);
  g_queue_clear_full (&reader->marks, g_free);
}

/* Whether the reader reports changes from here on: it has read where the
 * journal stood. */
gboolean
tt_journal_reader_started (const TtJournalReader *reader)
{
  return reader != NULL && reader->started;
}

void
tt_journal_reader_free (TtJournalReader *reader)
{
  if (reader == NULL)
    return;

  reader_restart (reader);
  g_hash_table_unref (reader->reported);
  g_free (reader->stamp);
  g_free (reader);
}

/* The rows above a point, and the marker with the highest id in tag_id:
 * one statement, so one consistent view. Its last part reads no row:
 * it names the column our adoption adds to tags, so that the statement
 * fails once Sequelize's sync({force: true}) has made the tables again
 * without it (and without the triggers), and the store adopts them
 * again (tt_store_select()) at no cost to the reads in between. */
#define JOURNAL_ROWS "SELECT id, kind, op, tutorial_id, tag_id FROM tt_change_journal WHERE id > "
#define JOURNAL_MARKER \
  " UNION ALL SELECT id, kind, op, tutorial_id, (SELECT COALESCE(MAX(id), 0) FROM tt_change_journal)" \
  " FROM tt_change_journal WHERE id = -1" \
  " UNION ALL SELECT id, name_key, name_key, id, id FROM tags WHERE 1 = 0"

typedef struct
{
  GArray  *changes;     /* TtChange, not sorted yet */
  gint64   pruned;      /* the highest id pruned */
  gint64   max_id;      /* the highest id there is */
  gboolean marked;      /* the marker was there */
} JournalRead;

static gint64
nullable_int64 (const GValue *value)
{
  return gda_value_is_null (value) ? 0 : tt_value_get_int64 (value);
}

static void
take_row (TtRows      *rows,
          JournalRead *read)
{
  TtChange change = { 0 };

  change.journal_id = tt_value_get_int64 (tt_rows_get (rows, 0));
  change.tutorial_id = nullable_int64 (tt_rows_get (rows, 3));
  change.tag_id = nullable_int64 (tt_rows_get (rows, 4));
  if (change.journal_id == MARKER_ID)
    {
      read->marked = TRUE;
      read->pruned = change.tutorial_id;
      /* The highest id given, also when every row was pruned. */
      read->max_id = MAX (change.tag_id, change.tutorial_id);
      return;
    }

  change.kind = g_intern_string (tt_value_get_string (tt_rows_get (rows, 1)));
  change.op = g_intern_string (tt_value_get_string (tt_rows_get (rows, 2)));
  g_array_append_val (read->changes, change);
}

/* @start: the rows of the last TT_JOURNAL_TAIL_IDS ids; else those above
 * the reader's floor. */
static gboolean
read_journal (TtStore          *self,
              TtJournalReader  *reader,
              gboolean          start,
              JournalRead      *read,
              GError          **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING, TT_COL_AUTO, TT_COL_AUTO,
                                 G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaStatement *stmt;
  GdaSet *params;

  stmt = tt_store_prepare (self,
                           start
                             ? JOURNAL_ROWS "(SELECT COALESCE(MAX(id), 0) FROM tt_change_journal) - ##after::int64"
                               JOURNAL_MARKER
                             : JOURNAL_ROWS "##after::int64" JOURNAL_MARKER,
                           &params, error);
  if (stmt == NULL)
    return FALSE;

  tt_params_set_int64 (params, "after", start ? TT_JOURNAL_TAIL_IDS : reader->floor);
  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)))
    return FALSE;

  while (tt_rows_next (rows))
    take_row (rows, read);
  return TRUE;
}

static void
note_reported (TtJournalReader *reader,
               gint64           id)
{
  g_hash_table_add (reader->reported, ID_KEY (id));
  reader->max_seen = MAX (reader->max_seen, id);
}

static gboolean
at_or_below_floor (gpointer key,
                   gpointer value,
                   gpointer user_data)
{
  return KEY_ID (key) <= *(gint64 *) user_data;
}

/* The floor rises to the highest id seen TT_JOURNAL_TAIL_SECONDS ago, and
 * is never more than TT_JOURNAL_TAIL_IDS below the highest seen now. */
static void
raise_floor (TtJournalReader *reader)
{
  gint64 now = g_get_monotonic_time ();
  PollMark *mark = g_new (PollMark, 1);
  PollMark *oldest;

  mark->usec = now;
  mark->max_seen = reader->max_seen;
  g_queue_push_tail (&reader->marks, mark);

  while ((oldest = g_queue_peek_head (&reader->marks)) != NULL &&
         now - oldest->usec >= TT_JOURNAL_TAIL_SECONDS * G_USEC_PER_SEC)
    {
      reader->floor = MAX (reader->floor, oldest->max_seen);
      g_free (g_queue_pop_head (&reader->marks));
    }
  reader->floor = MAX (reader->floor, reader->max_seen - TT_JOURNAL_TAIL_IDS);
  g_hash_table_foreach_remove (reader->reported, at_or_below_floor, &reader->floor);
}

/* Where reading starts: what is in the journal now counts as reported. */
static gboolean
start_reader (TtStore          *self,
              TtJournalReader  *reader,
              GError          **error)
{
  JournalRead read = { g_array_new (FALSE, FALSE, sizeof (TtChange)), 0, 0, FALSE };
  gboolean ok = read_journal (self, reader, TRUE, &read, error);

  if (ok)
    {
      reader_restart (reader);
      for (guint i = 0; i < read.changes->len; i++)
        note_reported (reader, g_array_index (read.changes, TtChange, i).journal_id);
      reader->max_seen = MAX (reader->max_seen, read.max_id);
      reader->floor = MAX (MAX (read.max_id - TT_JOURNAL_TAIL_IDS, read.pruned), 0);
      reader->started = TRUE;
      reader->adoption = self->adoption_generation;
      raise_floor (reader);
    }
  g_array_unref (read.changes);
  return ok;
}

static int
compare_changes (gconstpointer a,
                 gconstpointer b)
{
  gint64 x = ((const TtChange *) a)->journal_id;
  gint64 y = ((const TtChange *) b)->journal_id;

  return (x > y) - (x < y);
}

/* Whether rows this reader had not read may be gone: pruned past its
 * floor, or the journal made anew (reset, or dropped by hand); or never
 * written: the tables were made again, without triggers until the store
 * adopted them again. */
static gboolean
fell_behind (TtStore           *self,
             TtJournalReader   *reader,
             const JournalRead *read)
{
  return !read->marked || read->pruned > reader->floor || read->max_id < reader->max_seen ||
         reader->adoption != self->adoption_generation;
}

static GArray *
new_changes (TtJournalReader *reader,
             JournalRead     *read)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (TtChange));

  for (guint i = 0; i < read->changes->len; i++)
    {
      TtChange *change = &g_array_index (read->changes, TtChange, i);

      if (g_hash_table_contains (reader->reported, ID_KEY (change->journal_id)))
        continue;
      note_reported (reader, change->journal_id);
      g_array_append_val (changes, *change);
    }
  g_array_sort (changes, compare_changes);
  raise_floor (reader);
  return changes;
}

/* Without a journal: the stamp says that something changed, not what. */
static GArray *
read_stamp (TtStore          *self,
            TtJournalReader  *reader,
            gboolean         *resync,
            GError          **error)
{
  g_autofree char *stamp = tt_store_get_change_stamp (self, error);

  if (stamp == NULL)
    return NULL;
  *resync = reader->stamp != NULL && g_strcmp0 (stamp, reader->stamp) != 0;
  g_free (reader->stamp);
  reader->stamp = g_steal_pointer (&stamp);
  return g_array_new (FALSE, FALSE, sizeof (TtChange));
}

/* Changes committed since the last call, oldest first (none at the first
 * call: it marks where reading starts). *@resync is TRUE when some may
 * have been missed (the journal was pruned past this reader, or there is
 * no journal and the catalogue changed): read everything again. */
GArray *
tt_store_read_changes (TtStore          *self,
                       TtJournalReader  *reader,
                       gboolean         *resync,
                       GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  JournalRead read = { NULL, 0, 0, FALSE };
  GArray *changes = NULL;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (reader != NULL && resync != NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  *resync = FALSE;
  if (!self->journal)
    return read_stamp (self, reader, resync, error);
  if (!reader->started)
    return start_reader (self, reader, error) ? g_array_new (FALSE, FALSE, sizeof (TtChange)) : NULL;

  read.changes = g_array_new (FALSE, FALSE, sizeof (TtChange));
  if (read_journal (self, reader, FALSE, &read, error))
    {
      if (fell_behind (self, reader, &read))
        {
          *resync = TRUE;
          changes = start_reader (self, reader, error) ? g_array_new (FALSE, FALSE, sizeof (TtChange)) : NULL;
        }
      else
        changes = new_changes (reader, &read);
    }
  g_array_unref (read.changes);
  return changes;
}

/* With a journal, the MySQL change stamp counts the reads that found
 * something: one indexed read instead of a scan of the tables. */
char *
tt_store_journal_stamp (TtStore  *self,
                        GError  **error)
{
  g_autoptr(GArray) changes = NULL;
  gboolean resync;

  if (self->stamp_reader == NULL)
    self->stamp_reader = tt_journal_reader_new ();
  changes = tt_store_read_changes (self, self->stamp_reader, &resync, error);
  tt_store_search_copy_note_changes (self, changes, resync);
  if (changes == NULL)
    return NULL;
  if (changes->len > 0 || resync)
    self->stamp_generation++;
  return g_strdup_printf ("j%" G_GUINT64_FORMAT, self->stamp_generation);
}
