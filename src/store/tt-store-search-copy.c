/* tt-store-search-copy.c: the search index's rows, kept in memory (MySQL)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MariaDB has no index for a substring: a search reads every row of
 * tt_search_text on the server, 25–29 ms at 100 000 tutorials before a
 * single id is sent (tt-store-search.c). So on MySQL the store keeps a
 * copy of those rows, the folded text, and a search scans the copy:
 * 20 MB at 100 000 tutorials, read once (0.15–0.16 s at the first
 * search), scanned with memmem() in a few milliseconds.
 *
 * The copy is a cache of the server's rows, never a second owner of
 * them: a record is trusted only while the change journal (which every
 * client's changes write, tt-store-journal.c) says nothing about its
 * tutorial since it was read.
 *  - Each change to a tutorial the stamp reader reports makes its record
 *    "dirty": left out of the scan, and read again at the next search,
 *    after that search has brought the index up to date.
 *  - A tutorial still listed in tt_search_stale at that read (changed
 *    after the refresh, or by a client whose refresh failed) stays
 *    dirty: search takes it as a candidate and folds its text itself, as
 *    it does without the copy.
 *  - The stamp reader having to read everything again (the journal
 *    pruned past it, the tables made again) drops the copy: the next
 *    search reads it anew.
 *  - A record is read with its stale flag in one statement: a tutorial
 *    changed before the stamp reader started, whose index row another
 *    client brings up to date later, is dirty from the start.
 *
 * Above TT_SEARCH_COPY_MAX_BYTES (folded text and records: about 250 000
 * tutorials of the sizes measured) the store keeps no copy and the
 * server scans, so that a window stays within its memory at a million
 * tutorials.
 */

#define _GNU_SOURCE /* memmem() */

#include "config.h"

#include <string.h>

#include "tt-store-private.h"

#define TT_SEARCH_COPY_MAX_BYTES (64 * 1024 * 1024)
/* What a record costs besides its text: the Record and its entry in
 * by_id (bench-search peaked 25.8 MB higher with the copy of 100 000
 * tutorials, 20.3 MB of it text: 55 bytes a tutorial). */
#define RECORD_OVERHEAD_BYTES 56
/* Dirty records read again a batch at a time; beyond this many the whole
 * copy is read again instead (one statement against dozens). */
#define DIRTY_BATCH 50
#define DIRTY_MAX 2000

typedef struct
{
  gint64 id;      /* 0: dead, its bytes wait for compaction */
  gsize  offset;  /* "title\0description\0" in text */
  gsize  length;
} Record;

struct _TtSearchCopy
{
  GByteArray *text;
  GArray     *records;    /* Record */
  GHashTable *by_id;      /* id → index in records */
  GHashTable *dirty;      /* ids not to be trusted until read again */
  gsize       dead_bytes;
};

/* @reserve: the bytes of text expected */
static TtSearchCopy *
copy_new (gsize reserve)
{
  TtSearchCopy *copy = g_new0 (TtSearchCopy, 1);

  copy->text = g_byte_array_sized_new (reserve);
  copy->records = g_array_new (FALSE, FALSE, sizeof (Record));
  copy->by_id = g_hash_table_new (NULL, NULL);
  copy->dirty = g_hash_table_new (NULL, NULL);
  return copy;
}

void
tt_search_copy_free (TtSearchCopy *copy)
{
  if (copy == NULL)
    return;

  g_byte_array_unref (copy->text);
  g_array_unref (copy->records);
  g_hash_table_unref (copy->by_id);
  g_hash_table_unref (copy->dirty);
  g_free (copy);
}

static void
forget_record (TtSearchCopy *copy,
               gint64        id)
{
  gpointer index;

  if (!g_hash_table_steal_extended (copy->by_id, ID_KEY (id), NULL, &index))
    return;

  Record *record = &g_array_index (copy->records, Record, GPOINTER_TO_UINT (index));
  copy->dead_bytes += record->length;
  record->id = 0;
}

/* The bytes of a text or binary value (MySQL's binary columns come as
 * GdaBinary or GdaBlob); %NULL for anything else. */
static const char *
value_bytes (const GValue *value,
             gsize        *length)
{
  const GdaBinary *binary = NULL;

  if (G_VALUE_HOLDS (value, GDA_TYPE_BINARY))
    binary = gda_value_get_binary (value);
  else if (G_VALUE_HOLDS (value, GDA_TYPE_BLOB))
    binary = (const GdaBinary *) gda_value_get_blob (value);
  else if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    {
      *length = strlen (g_value_get_string (value));
      return g_value_get_string (value);
    }

  *length = binary != NULL ? (gsize) binary->binary_length : 0;
  return binary != NULL ? (const char *) binary->data : NULL;
}

/* @title and @description (of those lengths), each with a NUL after it. */
static void
put_record (TtSearchCopy *copy,
            gint64        id,
            const char   *title,
            gsize         title_length,
            const char   *description,
            gsize         description_length)
{
  static const guint8 nul = 0;
  Record record = { id, copy->text->len, title_length + description_length + 2 };

  forget_record (copy, id);
  g_byte_array_append (copy->text, (const guint8 *) title, title_length);
  g_byte_array_append (copy->text, &nul, 1);
  g_byte_array_append (copy->text, (const guint8 *) description, description_length);
  g_byte_array_append (copy->text, &nul, 1);
  g_hash_table_insert (copy->by_id, ID_KEY (id), GUINT_TO_POINTER (copy->records->len));
  g_array_append_val (copy->records, record);
}

/* Once half the text is dead records, the live ones move together. */
static void
compact (TtSearchCopy *copy)
{
  g_autoptr(GByteArray) text = NULL;
  guint kept = 0;

  if (copy->dead_bytes * 2 < copy->text->len)
    return;

  text = g_byte_array_sized_new (copy->text->len - copy->dead_bytes);
  g_hash_table_remove_all (copy->by_id);
  for (guint i = 0; i < copy->records->len; i++)
    {
      Record record = g_array_index (copy->records, Record, i);

      if (record.id == 0)
        continue;
      g_byte_array_append (text, copy->text->data + record.offset, record.length);
      record.offset = text->len - record.length;
      g_hash_table_insert (copy->by_id, ID_KEY (record.id), GUINT_TO_POINTER (kept));
      g_array_index (copy->records, Record, kept++) = record;
    }
  g_array_set_size (copy->records, kept);
  g_byte_array_unref (copy->text);
  copy->text = g_steal_pointer (&text);
  copy->dead_bytes = 0;
}

static void
mark_dirty (TtSearchCopy *copy,
            gint64        id)
{
  forget_record (copy, id);
  g_hash_table_add (copy->dirty, ID_KEY (id));
}

/* A tutorial's index row as read: trusted, or (@stale) left out until
 * the next search reads it again. */
static void
take_record (TtSearchCopy *copy,
             gint64        id,
             gboolean      stale,
             const char   *title,
             gsize         title_length,
             const char   *description,
             gsize         description_length)
{
  g_hash_table_remove (copy->dirty, ID_KEY (id));
  if (stale)
    mark_dirty (copy, id);
  else
    put_record (copy, id, title, title_length, description, description_length);
}

/* A row of RECORD_COLUMNS: the tutorial is stale (new ones have no index
 * row yet, and stay dirty until they have), has no index row and is not
 * stale (deleted), or its record is put in the copy. */
static void
take_record_row (TtSearchCopy *copy,
                 TtRows       *rows)
{
  gint64 id = tt_value_get_int64 (tt_rows_get (rows, 0));
  gboolean stale = tt_value_get_int64 (tt_rows_get (rows, 3)) != 0;
  const GValue *title = tt_rows_get (rows, 1);
  const GValue *description = tt_rows_get (rows, 2);
  gsize title_length, description_length;
  const char *title_bytes = value_bytes (title, &title_length);
  const char *description_bytes = value_bytes (description, &description_length);

  if (!stale && (gda_value_is_null (title) || gda_value_is_null (description)))
    {
      g_hash_table_remove (copy->dirty, ID_KEY (id));
      forget_record (copy, id);
      return;
    }
  take_record (copy, id, stale, title_bytes, title_length, description_bytes, description_length);
}

/* Whether the tutorial is stale: IN over the whole list, which MariaDB
 * reads once a statement (EXISTS for each row took 10 s for 5 000 rows
 * against 33 000 stale entries: the list has no index by tutorial). */
#define IS_STALE(id) id " IN (SELECT st.tutorial_id FROM tt_search_stale st)"

#define RECORD_COLUMNS(id) \
  id ", s.title, s.description, " IS_STALE (id)

static const GType record_types[] = { G_TYPE_INT64, TT_COL_AUTO, TT_COL_AUTO, G_TYPE_INT64, G_TYPE_NONE };

/* The copy is read a page at a time, in id order: a whole result held
 * three times over (the client library's, libgda's values, the copy)
 * took a search's peak memory from 38 to 122 MB at 100 000 tutorials.
 * Each row comes with its stale flag in one statement; what changes
 * between two pages the journal reports. */
#define COPY_PAGE_ROWS 5000

/* Reads the records after id *@after a row at a time; FALSE on error. */
static gboolean
read_copy_page (TtStore       *self,
                TtSearchCopy  *copy,
                gint64        *after,
                guint         *n_read,
                GError       **error)
{
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (self, "SELECT " RECORD_COLUMNS ("s.tutorial_id") " FROM tt_search_text s"
                                 " WHERE s.tutorial_id > ##after::int64 ORDER BY s.tutorial_id"
                                 " LIMIT " G_STRINGIFY (COPY_PAGE_ROWS),
                           &params, error);
  if (stmt != NULL)
    tt_params_set_int64 (params, "after", *after);
  if (!(rows = tt_store_select_rows (self, stmt, params, record_types, error)))
    return FALSE;

  for (*n_read = 0; tt_rows_next (rows); (*n_read)++)
    {
      *after = tt_value_get_int64 (tt_rows_get (rows, 0));
      take_record_row (copy, rows);
    }
  return TRUE;
}

/* A page as one text of records "ID:STALE:N:TITLE:N:DESCRIPTION:" with
 * a comma between them, each text after its length in bytes (no byte of
 * it is taken for a separator; libgda's parser leaks on SEPARATOR ''),
 * in no order: the ids from the first after @after and the
 * COPY_PAGE_ROWS after it (a range of the primary key; a derived table
 * with LIMIT made MariaDB copy the rows' BLOBs into a temporary table).
 * Read as rows, the first search took 0.33–0.36 s at 100 000 tutorials,
 * libgda's 3–4 µs a row most of it. A page the session's
 * group_concat_max_len (16 MB) cuts short is read again a row at a
 * time. */
#define PAGE_TEXT_SQL \
  "SELECT GROUP_CONCAT(CONCAT(s.tutorial_id, ':', " IS_STALE ("s.tutorial_id") ", ':'," \
  " LENGTH(s.title), ':', s.title, ':', LENGTH(s.description), ':', s.description, ':'))," \
  " COUNT(*), MAX(s.tutorial_id)" \
  " FROM (SELECT MIN(f.tutorial_id) AS id FROM tt_search_text f WHERE f.tutorial_id > ##after::int64) first," \
  " tt_search_text s" \
  " WHERE s.tutorial_id >= first.id AND s.tutorial_id < first.id + " G_STRINGIFY (COPY_PAGE_ROWS)

/* Takes the records of a page's text; how many in *@n_read. FALSE when
 * it is not records to the end. */
static gboolean
take_page_text (TtSearchCopy *copy,
                const char   *text,
                gsize         length,
                guint        *n_read)
{
  const char *p = text;
  const char *end = text + length;

  for (*n_read = 0; p < end; (*n_read)++)
    {
      if (*n_read > 0 && *p++ != ',')
        return FALSE;
      const char *title, *description;
      gsize title_length, description_length;
      guint64 id, stale;

      if (!tt_read_number (&p, end, &id) || id == 0 || id > G_MAXINT64 || !tt_read_number (&p, end, &stale) ||
          !tt_read_counted (&p, end, &title, &title_length) ||
          !tt_read_counted (&p, end, &description, &description_length))
        return FALSE;
      take_record (copy, (gint64) id, stale != 0, title, title_length, description, description_length);
    }
  return TRUE;
}

/* Reads the page after id *@after (PAGE_TEXT_SQL) and moves *@after to
 * its last id; *@n_read is 0 when no tutorial is left. */
static gboolean
read_copy_page_text (TtStore       *self,
                     TtSearchCopy  *copy,
                     gint64        *after,
                     guint         *n_read,
                     GError       **error)
{
  static const GType types[] = { TT_COL_AUTO, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, PAGE_TEXT_SQL, &params, error);
  const char *text = NULL;
  gsize length = 0;

  if (stmt != NULL)
    tt_params_set_int64 (params, "after", *after);
  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)))
    return FALSE;

  *n_read = 0;
  if (!tt_rows_next (rows) || tt_value_get_int64 (tt_rows_get (rows, 1)) == 0)
    return TRUE;
  if (!gda_value_is_null (tt_rows_get (rows, 0)))
    text = value_bytes (tt_rows_get (rows, 0), &length);
  if (text == NULL || !take_page_text (copy, text, length, n_read) ||
      *n_read != tt_value_get_int64 (tt_rows_get (rows, 1)))
    {
      g_debug ("A page of the search copy came cut short; reading it a row at a time");
      return read_copy_page (self, copy, after, n_read, error);
    }
  *after = tt_value_get_int64 (tt_rows_get (rows, 2));
  return TRUE;
}

/* Every stale tutorial starts dirty, read before the pages: a new one
 * has no index row for a page to bring, and once another client has
 * indexed it the journal will not name it again. (One indexed before
 * its page is read comes with the page, trusted.) */
static gboolean
read_stale (TtStore       *self,
            TtSearchCopy  *copy,
            GError       **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;

  rows = tt_store_select_rows (self, tt_store_prepare (self, "SELECT st.tutorial_id FROM tt_search_stale st",
                                                       NULL, error),
                               NULL, types, error);
  if (rows == NULL)
    return FALSE;
  while (tt_rows_next (rows))
    mark_dirty (copy, tt_value_get_int64 (tt_rows_get (rows, 0)));
  return TRUE;
}

/* The whole copy, or %NULL (without @error) when the folded text is
 * more than the store keeps, or more tutorials are stale than it would
 * read again one by one (it tries again at the next search). */
static TtSearchCopy *
read_copy (TtStore  *self,
           GError  **error)
{
  g_autoptr(TtSearchCopy) copy = NULL;
  gint64 n_stale;
  gint64 bytes;
  gint64 after = G_MININT64;
  guint n_read;

  n_stale = tt_store_select_int64 (self, "SELECT COUNT(*) FROM tt_search_stale", error);
  if (n_stale < 0 || n_stale > DIRTY_MAX)
    return NULL;
  bytes = tt_store_select_int64 (self,
                                 "SELECT COALESCE(SUM(LENGTH(s.title) + LENGTH(s.description) + 2), 0)"
                                 " + COUNT(*) * " G_STRINGIFY (RECORD_OVERHEAD_BYTES)
                                 " FROM tt_search_text s", error);
  if (bytes < 0)
    return NULL;
  if ((guint64) bytes > (self->search_copy_budget > 0 ? self->search_copy_budget : TT_SEARCH_COPY_MAX_BYTES))
    {
      g_debug ("No copy of the search index: %" G_GINT64_FORMAT " bytes", bytes);
      return NULL;
    }

  copy = copy_new (bytes);
  if (!read_stale (self, copy, error))
    return NULL;
  do
    if (!read_copy_page_text (self, copy, &after, &n_read, error))
      return NULL;
  while (n_read > 0);
  return g_steal_pointer (&copy);
}

/* One statement for DIRTY_BATCH ids: each id's index row (NULLs for none)
 * and whether it is stale, in one view of the tables. */
static char *
dirty_batch_sql (void)
{
  GString *sql = g_string_new ("SELECT " RECORD_COLUMNS ("d.id") " FROM (");

  for (guint i = 0; i < DIRTY_BATCH; i++)
    g_string_append_printf (sql, "%sSELECT ##i%u::int64 AS id", i > 0 ? " UNION ALL " : "", i);
  g_string_append (sql, ") d LEFT JOIN tt_search_text s ON s.tutorial_id = d.id");
  return g_string_free (sql, FALSE);
}

/* Reads @ids[0 .. n) again. */
static gboolean
read_dirty_batch (TtStore       *self,
                  TtSearchCopy  *copy,
                  const gint64  *ids,
                  guint          n,
                  GError       **error)
{
  g_autofree char *sql = dirty_batch_sql ();
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, sql, &params, error);

  if (stmt != NULL)
    tt_params_set_id_batch (params, ids, n, DIRTY_BATCH);
  if (!(rows = tt_store_select_rows (self, stmt, params, record_types, error)))
    return FALSE;
  while (tt_rows_next (rows))
    take_record_row (copy, rows);
  return TRUE;
}

static gboolean
read_dirty (TtStore       *self,
            TtSearchCopy  *copy,
            GError       **error)
{
  g_autoptr(GArray) ids = tt_id_set_to_array (copy->dirty);

  for (guint i = 0; i < ids->len; i += DIRTY_BATCH)
    if (!read_dirty_batch (self, copy, &g_array_index (ids, gint64, i), MIN (DIRTY_BATCH, ids->len - i), error))
      return FALSE;
  compact (copy);
  return TRUE;
}

/**
 * tt_store_search_copy_note_changes:
 * @changes: (element-type TtChange) (nullable): what the stamp reader
 *   reported; %NULL when reading failed
 * @resync: the reader may have missed changes
 *
 * Keeps the copy to what the journal allows (see above).
 */
void
tt_store_search_copy_note_changes (TtStore      *self,
                                   const GArray *changes,
                                   gboolean      resync)
{
  TtSearchCopy *copy = self->search_copy;

  if (copy == NULL)
    return;
  if (resync)
    {
      g_clear_pointer (&self->search_copy, tt_search_copy_free);
      return;
    }

  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      const TtChange *change = &g_array_index (changes, TtChange, i);

      if (g_strcmp0 (change->kind, "tutorial") == 0)
        mark_dirty (copy, change->tutorial_id);
    }
  if (g_hash_table_size (copy->dirty) > DIRTY_MAX)
    g_clear_pointer (&self->search_copy, tt_search_copy_free);
}

/* Whether the store may keep a copy: MySQL with the search index and the
 * journal, whose stamp reader has started (a search reads the stamp
 * before it finds ids). */
static gboolean
may_keep_copy (TtStore *self)
{
  return tt_store_is_mysql (self) && self->search_indexed && self->journal &&
         tt_journal_reader_started (self->stamp_reader);
}

/* The copy, read or brought up to date; %NULL without @error when the
 * store keeps none. */
static TtSearchCopy *
current_copy (TtStore  *self,
              GError  **error)
{
  /* Not even kept for later: what changed meanwhile may not be in the
   * journal (its triggers gone with the tables, say). */
  if (!may_keep_copy (self))
    {
      g_clear_pointer (&self->search_copy, tt_search_copy_free);
      return NULL;
    }
  if (self->search_copy == NULL)
    return self->search_copy = read_copy (self, error);
  if (!read_dirty (self, self->search_copy, error))
    {
      g_clear_pointer (&self->search_copy, tt_search_copy_free);
      return NULL;
    }
  return self->search_copy;
}

/* Appends the id of each record with @needle in its title or description. */
static void
scan (TtSearchCopy *copy,
      const char   *needle,
      GArray       *found)
{
  gsize needle_length = strlen (needle);

  for (guint i = 0; i < copy->records->len; i++)
    {
      const Record *record = &g_array_index (copy->records, Record, i);

      /* The NUL after each field keeps a match from spanning two: the
       * needle holds none. */
      if (record->id != 0 &&
          memmem (copy->text->data + record->offset, record->length, needle, needle_length) != NULL)
        g_array_append_val (found, record->id);
    }
}

/**
 * tt_store_search_copy_find:
 * @needle: folded, not empty
 * @found: (element-type gint64): where the ids go
 *
 * Appends the ids of the tutorials whose index row (title or
 * description) holds @needle, leaving out those whose row is not to be
 * trusted: they are stale, and the caller takes those as candidates.
 *
 * Returns: FALSE when the store keeps no copy (then the server scans),
 * with @error set if reading it failed
 */
gboolean
tt_store_search_copy_find (TtStore     *self,
                           const char  *needle,
                           GArray      *found,
                           GError     **error)
{
  TtSearchCopy *copy = current_copy (self, error);

  if (copy == NULL)
    return FALSE;
  scan (copy, needle, found);
  return TRUE;
}

/* Whether search has a copy to scan (search_rejects() then leaves the
 * index to it). */
gboolean
tt_store_search_copy_kept (TtStore *self)
{
  return self->search_copy != NULL;
}

void
tt_store_debug_set_search_copy_budget (TtStore *self,
                                       gsize    max_bytes)
{
  g_return_if_fail (TT_IS_STORE (self));

  self->search_copy_budget = max_bytes;
  g_clear_pointer (&self->search_copy, tt_search_copy_free);
}

gint64
tt_store_debug_get_search_copy_records (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), -1);

  return self->search_copy != NULL ? (gint64) g_hash_table_size (self->search_copy->by_id) : -1;
}
