/* tt-store-insert.c: many rows into one table, every value bound
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One statement per row costs a round trip per row, which on a MySQL
 * server is most of the time an import takes; so rows go in as
 * multi-row INSERTs, a placeholder per value.
 *
 * On SQLite the placeholders themselves are the cost: libgda emits four
 * signals and copies the value for every holder set, about a third of a
 * large import's time. There the rows go in as one JSON document, bound
 * to one placeholder and unpacked by SQLite's json_each(); the callers
 * describe and fill a row the same way for both.
 */

#include "config.h"

#include "tt-store-private.h"

/* A JSON document ends after this many rows or bytes, whichever comes
 * first: an import batch of 2 000 tutorials with the longest
 * descriptions (64 KiB) would otherwise make one of 128 MB, which
 * libgda and SQLite each copy again. */
#define JSON_ROWS_MAX 10000
#define JSON_BYTES_MAX (4 * 1024 * 1024)

struct _TtRowWriter
{
  GdaHolder **holders;  /* multi-row INSERT: this row's placeholders */
  GString    *json;     /* JSON document: the rows so far */
  guint       column;
};

static void
json_append_string (GString    *json,
                    const char *text)
{
  g_string_append_c (json, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (json, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (json, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (json, *p);
    }
  g_string_append_c (json, '"');
}

/* The next value's placeholder; NULL when it goes into the JSON
 * document, which then has its separator. */
static GdaHolder *
next_value (TtRowWriter *writer)
{
  guint column = writer->column++;

  if (writer->holders != NULL)
    return writer->holders[column];
  if (column > 0)
    g_string_append_c (writer->json, ',');
  return NULL;
}

/* The next value of the row, NULL as SQL NULL. */
void
tt_row_writer_add_string (TtRowWriter *writer,
                          const char  *value)
{
  GdaHolder *holder = next_value (writer);

  if (holder != NULL)
    tt_holder_set_string (holder, value);
  else if (value == NULL)
    g_string_append (writer->json, "null");
  else
    json_append_string (writer->json, value);
}

void
tt_row_writer_add_int64 (TtRowWriter *writer,
                         gint64       value)
{
  GdaHolder *holder = next_value (writer);

  if (holder != NULL)
    tt_holder_set_int64 (holder, value);
  else
    g_string_append_printf (writer->json, "%" G_GINT64_FORMAT, value);
}

/* ---- multi-row INSERT ------------------------------------------------ */

/* "INSERT … VALUES" followed by @n copies of @row with each "@" replaced
 * by the row's slot number, so every row has placeholders of its own. */
static char *
batch_sql (const char *head,
           const char *row,
           guint       n)
{
  GString *sql = g_string_new (head);

  for (guint slot = 0; slot < n; slot++)
    {
      g_string_append (sql, slot > 0 ? ", " : " ");
      for (const char *p = row; *p != '\0'; p++)
        {
          if (*p == '@')
            g_string_append_printf (sql, "%u", slot);
          else
            g_string_append_c (sql, *p);
        }
    }

  return g_string_free (sql, FALSE);
}

/* The first id a multi-row insert gave: MySQL's LAST_INSERT_ID() is the
 * first row's, SQLite's last_insert_rowid() the last row's. */
static gint64
first_batch_id (TtStore  *self,
                guint     n,
                GError  **error)
{
  gint64 id = tt_store_last_insert_id (self, error);

  if (id <= 0 || tt_store_is_mysql (self))
    return id;

  return id - n + 1;
}

static gboolean
insert_batch (TtStore    *self,
              const char *sql,
              guint       start,
              guint       n,
              TtBindRow   bind,
              gpointer    data,
              GError    **error)
{
  GdaSet *params;
  GdaStatement *stmt = tt_store_prepare (self, sql, &params, error);
  g_autoptr(GPtrArray) holders = g_ptr_array_new ();
  guint per_row;

  if (stmt == NULL)
    return FALSE;

  for (GSList *l = params->holders; l != NULL; l = l->next)
    g_ptr_array_add (holders, l->data);
  /* Each row repeats the same placeholders under its own numbers. */
  per_row = holders->len / n;
  g_return_val_if_fail (per_row * n == holders->len, FALSE);

  for (guint slot = 0; slot < n; slot++)
    {
      TtRowWriter writer = { (GdaHolder **) holders->pdata + slot * per_row, NULL, 0 };

      bind (data, &writer, start + slot);
    }

  return tt_store_exec (self, stmt, params, NULL, error);
}

static gboolean
append_batch_ids (TtStore  *self,
                  guint     n,
                  GArray   *ids,
                  GError  **error)
{
  gint64 first;

  if (ids == NULL)
    return TRUE;
  if ((first = first_batch_id (self, n, error)) <= 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      gint64 id = first + i;
      g_array_append_val (ids, id);
    }
  return TRUE;
}

/* ---- one JSON document ----------------------------------------------- */

/* The placeholder names of @row ("##title@::string" gives "title@"),
 * one for each time it names one. */
static GPtrArray *
placeholder_names (const char *row)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (const char *p = strstr (row, "##"); p != NULL; p = strstr (p, "##"))
    {
      const char *end = strstr (p += 2, "::");

      g_ptr_array_add (names, g_strndup (p, end != NULL ? (gsize) (end - p) : strlen (p)));
    }

  return names;
}

/* @head ("INSERT INTO t (a, b) VALUES") and @row ("(##a@::string,
 * ##b@::int64)") as one INSERT … SELECT of the rows of a JSON array of
 * arrays, bound to ##rows. A row array holds each placeholder's value
 * once, in the order the names first appear (a TtBindRow's order); a
 * placeholder named twice takes the same value twice. */
static char *
json_insert_sql (const char *head,
                 const char *row)
{
  g_autoptr(GPtrArray) names = placeholder_names (row);
  g_autoptr(GPtrArray) distinct = g_ptr_array_new ();
  GString *sql;

  g_return_val_if_fail (g_str_has_suffix (head, "VALUES"), NULL);

  sql = g_string_new_len (head, strlen (head) - strlen ("VALUES"));
  g_string_append (sql, "SELECT ");
  for (guint i = 0; i < names->len; i++)
    {
      guint index;

      if (!g_ptr_array_find_with_equal_func (distinct, names->pdata[i], g_str_equal, &index))
        {
          index = distinct->len;
          g_ptr_array_add (distinct, names->pdata[i]);
        }
      g_string_append_printf (sql, "%sjson_extract(r.value, '$[%u]')", i > 0 ? ", " : "", index);
    }
  g_string_append (sql, " FROM json_each(##rows::string) r");

  return g_string_free (sql, FALSE);
}

/* Rows from @start on, until the document is full; *@n_written says
 * how many. */
static gboolean
insert_json_document (TtStore     *self,
                      const char  *sql,
                      guint        start,
                      guint        n_rows,
                      TtBindRow    bind,
                      gpointer     data,
                      guint       *n_written,
                      GError     **error)
{
  g_autoptr(GString) json = g_string_sized_new (64 * 1024);
  GdaSet *params = NULL;
  GdaStatement *stmt = tt_store_prepare (self, sql, &params, error);
  guint n = 0;

  if (stmt == NULL)
    return FALSE;

  g_string_append_c (json, '[');
  while (start + n < n_rows && n < JSON_ROWS_MAX && json->len < JSON_BYTES_MAX)
    {
      TtRowWriter writer = { NULL, json, 0 };

      g_string_append (json, n > 0 ? ",[" : "[");
      bind (data, &writer, start + n++);
      g_string_append_c (json, ']');
    }
  g_string_append_c (json, ']');

  *n_written = n;
  tt_params_set_string (params, "rows", json->str);
  return tt_store_exec (self, stmt, params, NULL, error);
}

static gboolean
insert_json_documents (TtStore     *self,
                       const char  *head,
                       const char  *row,
                       guint        n_rows,
                       TtBindRow    bind,
                       gpointer     data,
                       GArray      *ids,
                       GError     **error)
{
  g_autofree char *sql = json_insert_sql (head, row);
  guint n;

  for (guint start = 0; start < n_rows; start += n)
    if (!insert_json_document (self, sql, start, n_rows, bind, data, &n, error) ||
        !append_batch_ids (self, n, ids, error))
      return FALSE;

  return TRUE;
}

/**
 * tt_store_insert_batches:
 * @head: "INSERT INTO table (columns) VALUES"
 * @row: one row's values, "(##name@::type, …)": every "@" becomes the
 *   row's number, so every row has placeholders of its own
 * @batch: rows a multi-row INSERT takes at most; 1 where @ids would not be
 *   consecutive (see tt_store_batch_ids_reliable())
 * @bind: gives row @row's values, in the order their placeholders first
 *   appear in @row
 * @ids: (nullable): gets each row's new id, in order
 *
 * Inserts @n_rows rows of @data: on SQLite as JSON documents (its write
 * lock makes the ids consecutive), elsewhere @batch at a time.
 */
gboolean
tt_store_insert_batches (TtStore     *self,
                         const char  *head,
                         const char  *row,
                         guint        n_rows,
                         guint        batch,
                         TtBindRow    bind,
                         gpointer     data,
                         GArray      *ids,
                         GError     **error)
{
  g_autofree char *full_sql = NULL;
  guint n;

  if (self->sqlite_json)
    return insert_json_documents (self, head, row, n_rows, bind, data, ids, error);

  /* A shorter rest goes in batches of falling powers of two: however
   * many rows are left over, the statement cache gets at most eight more
   * statements per table instead of one per length (each holds a holder
   * per value). */
  full_sql = batch_sql (head, row, batch);
  for (guint start = 0; start < n_rows; start += n)
    {
      g_autofree char *short_sql = NULL;

      n = MIN (batch, n_rows - start);
      if (n < batch)
        {
          while (n & (n - 1))
            n &= n - 1;
          short_sql = batch_sql (head, row, n);
        }

      if (!insert_batch (self, short_sql != NULL ? short_sql : full_sql, start, n, bind, data, error) ||
          !append_batch_ids (self, n, ids, error))
        return FALSE;
    }

  return TRUE;
}

/* Consecutive ids for a multi-row insert hold on SQLite (the write lock is
 * ours) and on InnoDB unless it interleaves ids or steps by more than 1;
 * otherwise rows that need their id go in one at a time. */
gboolean
tt_store_batch_ids_reliable (TtStore *self)
{
  g_autoptr(GError) error = NULL;

  if (!tt_store_is_mysql (self))
    return TRUE;

  return tt_store_select_int64 (self, "SELECT @@innodb_autoinc_lock_mode", &error) < 2 &&
         tt_store_select_int64 (self, "SELECT @@auto_increment_increment", &error) == 1;
}
