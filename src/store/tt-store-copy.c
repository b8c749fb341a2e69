/* tt-store-copy.c: a whole catalogue from one database into another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The source is read a page at a time. Each page is read under the
 * source's lock into plain memory (no GObjects), and the lock is let go
 * before the page is written, so the source's worker runs its jobs between
 * pages. The target is written in one transaction, under the target's
 * lock from BEGIN to COMMIT: anything else on its connection in between
 * would become part of the transaction. What stays in memory is a page,
 * the target's tag keys and ids, and a digest of each tutorial the target
 * had before.
 *
 * Locks: a copy holds the target's lock throughout and takes the source's
 * for each page; nothing else in the store holds two locks at once. Copies
 * run one at a time in a process (copy_mutex, taken before either lock),
 * so two copies in opposite directions cannot wait for each other. The
 * asynchronous copy runs in a GTask thread, not on either store's worker,
 * so that waiting for another copy blocks neither store; the target's
 * worker waits for the commit only when it has a job to run meanwhile.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tt-store-private.h"
#include "tt-store-copy.h"

/* Source rows per page; whole batches, so that a copy into an empty target
 * needs no short inserts for its tutorials. */
#define PAGE_ROWS 1000
G_STATIC_ASSERT (PAGE_ROWS % TT_BATCH_ROWS == 0);

/* The target's tutorials are read only for their digests: larger pages. */
#define KNOWN_PAGE_ROWS 5000

/* 128 bits of SHA-256 tell a catalogue's tutorials apart with no
 * practical chance of two different ones meeting. */
#define DIGEST_BYTES 16

#define SQL_TIME_SIZE sizeof "2026-11-25 17:46:18"

typedef struct
{
  gint64  id;
  char   *name;  /* in the page's string chunk, as stored: trimmed */
  char   *key;
  char   *colour;  /* in the page's string chunk; NULL for none */
  char    created[SQL_TIME_SIZE];
  char    updated[SQL_TIME_SIZE];
} TagRow;

typedef struct
{
  gint64  id;
  char   *title;  /* in the page's string chunk; NULL stays NULL */
  char   *description;
  char    created[SQL_TIME_SIZE];
  char    updated[SQL_TIME_SIZE];
  gint64  target_id;
  gboolean known;  /* the target had it before */
} TutorialRow;

typedef struct
{
  gint64 tutorial_id;
  gint64 tag_id;
} Pair;

typedef struct
{
  Pair pair;  /* the source's ids, then the target's */
  char created[SQL_TIME_SIZE];
  char updated[SQL_TIME_SIZE];
} LinkRow;

/* A tutorial the target had before the copy. Several can have the same
 * title, description and creation time: each matches one source tutorial. */
typedef struct _Known Known;
struct _Known
{
  guint8   digest[DIGEST_BYTES];
  gint64   id;
  gboolean taken;
  Known   *next;  /* another one with the same digest */
};

typedef struct
{
  TtStore            *source;
  TtStore            *target;
  GCancellable       *cancellable;
  TtCopyProgressFunc  progress;
  gpointer            progress_data;
  TtCopyReport        report;
  guint64             done;
  guint64             total;
  gint64              before[3];   /* the target's tutorials, tags, links */
  gboolean            batch_ids;
  char               *now;
  GChecksum          *checksum;
  GHashTable         *tag_by_key;  /* name key → target tag id */
  GHashTable         *tag_ids;     /* source tag id → target tag id */
  GHashTable         *known;       /* Known → Known, by digest */

  /* The page being copied */
  GStringChunk       *strings;
  GArray             *tags;        /* TagRow */
  GArray             *tutorials;   /* TutorialRow, by source id */
  GArray             *links;       /* LinkRow */
  GPtrArray          *pending;     /* the rows to insert */
  GArray             *ids;         /* and the ids they got */
} Copy;

/* One copy at a time in a process: see the top of the file. */
static GMutex copy_mutex;

/* ---- values ---------------------------------------------------------- */

/* The time as tt_format_sql_time() writes it, or the copy's start when
 * the source holds something that is not a time. */
static void
copy_time (Copy         *copy,
           const GValue *value,
           char          out[SQL_TIME_SIZE])
{
  g_autoptr(GDateTime) time = tt_value_get_date_time (value);
  g_autofree char *text = time != NULL ? tt_format_sql_time (time) : NULL;

  g_strlcpy (out, text != NULL ? text : copy->now, SQL_TIME_SIZE);
}

/* NULL only for SQL's NULL: libgda's MySQL provider reads an empty TEXT
 * as a string value holding NULL, which is "" in the database. */
static const char *
text_of (const GValue *value)
{
  const char *text = tt_value_get_string (value);

  if (text == NULL && value != NULL && G_VALUE_HOLDS_STRING (value))
    return "";
  return text;
}

static char *
copy_string (Copy         *copy,
             const GValue *value)
{
  const char *text = text_of (value);

  return text != NULL ? g_string_chunk_insert (copy->strings, text) : NULL;
}

/* Says which row of the source @error is about. */
static gboolean
source_row_error (GError   **error,
                  GError    *row_error,
                  gboolean   is_tag,
                  gint64     id)
{
  char number[32];

  /* Formatted first: xgettext cannot read G_GINT64_FORMAT. */
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
  if (is_tag)
    g_prefix_error (&row_error, _("Tag %s of the source: "), number);
  else
    g_prefix_error (&row_error, _("Tutorial %s of the source: "), number);
  g_propagate_error (error, row_error);
  return FALSE;
}

/* ---- counting and progress ------------------------------------------- */

static gboolean
count_rows (TtStore  *store,
            gint64    counts[3],
            GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&store->lock);
  g_autoptr(TtRows) rows = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (store,
                           "SELECT (SELECT COUNT(*) FROM tutorials), (SELECT COUNT(*) FROM tags),"
                           " (SELECT COUNT(*) FROM tutorial_tag)",
                           NULL, error);
  if (!(rows = tt_store_select_rows (store, stmt, NULL, types, error)))
    return FALSE;

  if (!tt_rows_next (rows))
    {
      g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                           _("The database did not say how many rows it holds"));
      return FALSE;
    }

  for (int i = 0; i < 3; i++)
    counts[i] = tt_value_get_int64 (tt_rows_get (rows, i));
  return TRUE;
}

static gboolean
copy_step (Copy     *copy,
           guint64   n_rows,
           GError  **error)
{
  copy->done += n_rows;
  copy->total = MAX (copy->total, copy->done);
  if (copy->progress != NULL)
    copy->progress (copy->done, copy->total, copy->progress_data);

  return !g_cancellable_set_error_if_cancelled (copy->cancellable, error);
}

/* Before + what was reported must be what the target now holds: a row
 * that went missing (or came from elsewhere) undoes the copy. */
static gboolean
check_counts (Copy    *copy,
              GError **error)
{
  gint64 expected[3] = {
    copy->before[0] + copy->report.tutorials_copied,
    copy->before[1] + copy->report.tags_created,
    copy->before[2] + copy->report.links_copied,
  };
  gint64 found[3];
  char text[6][32];

  if (!count_rows (copy->target, found, error))
    return FALSE;
  if (memcmp (expected, found, sizeof found) == 0)
    return TRUE;

  for (int i = 0; i < 3; i++)
    {
      g_snprintf (text[i], sizeof text[i], "%" G_GINT64_FORMAT, found[i]);
      g_snprintf (text[i + 3], sizeof text[i + 3], "%" G_GINT64_FORMAT, expected[i]);
    }
  g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
               _("The copy was undone: the target would have held %s tutorials, %s tags and %s links instead of %s, %s and %s"),
               text[0], text[1], text[2], text[3], text[4], text[5]);
  return FALSE;
}

/* ---- tags ------------------------------------------------------------ */

static gboolean
load_tag_keys (Copy    *copy,
               GError **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (copy->target, "SELECT id, name_key FROM tags WHERE name_key IS NOT NULL",
                           NULL, error);
  if (!(rows = tt_store_select_rows (copy->target, stmt, NULL, types, error)))
    return FALSE;

  while (tt_rows_next (rows))
    g_hash_table_insert (copy->tag_by_key, g_strdup (tt_value_get_string (tt_rows_get (rows, 1))),
                         ID_KEY (tt_value_get_int64 (tt_rows_get (rows, 0))));

  return TRUE;
}

static void
clear_page (Copy *copy)
{
  g_string_chunk_clear (copy->strings);
  g_array_set_size (copy->tags, 0);
  g_array_set_size (copy->tutorials, 0);
  g_array_set_size (copy->links, 0);
  g_ptr_array_set_size (copy->pending, 0);
  g_array_set_size (copy->ids, 0);
}

static gboolean
read_tag_page (Copy     *copy,
               gint64    after,
               GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, TT_COL_AUTO, TT_COL_AUTO, G_TYPE_STRING,
                                 G_TYPE_NONE };
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&copy->source->lock);
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (copy->source,
                           "SELECT t.id, t.name, t.createdAt, t.updatedAt,"
                           " (SELECT c.colour FROM tt_tag_colour c WHERE c.tag_id = t.id) FROM tags t"
                           " WHERE t.id > ##after::int64 ORDER BY t.id LIMIT " G_STRINGIFY (PAGE_ROWS),
                           &params, error);
  if (stmt != NULL)
    tt_params_set_int64 (params, "after", after);
  if (!(rows = tt_store_select_rows (copy->source, stmt, params, types, error)))
    return FALSE;

  while (tt_rows_next (rows))
    {
      TagRow row = { 0 };

      row.id = tt_value_get_int64 (tt_rows_get (rows, 0));
      row.name = copy_string (copy, tt_rows_get (rows, 1));
      copy_time (copy, tt_rows_get (rows, 2), row.created);
      copy_time (copy, tt_rows_get (rows, 3), row.updated);
      row.colour = copy_string (copy, tt_rows_get (rows, 4));
      g_array_append_val (copy->tags, row);
    }

  return TRUE;
}

/* The name as the target stores it, and its key; a name the store would
 * refuse (empty, too long) fails the copy. */
static gboolean
clean_tag_name (Copy    *copy,
                TagRow  *row,
                GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *clean = tt_rules_clean_tag_name (row->name, &local_error);
  g_autofree char *key = NULL;

  if (clean == NULL)
    return source_row_error (error, g_steal_pointer (&local_error), TRUE, row->id);

  key = tt_tag_name_key (clean);
  row->name = g_string_chunk_insert (copy->strings, clean);
  row->key = g_string_chunk_insert (copy->strings, key);
  return TRUE;
}

static void
bind_tag (gpointer     data,
          TtRowWriter *writer,
          guint        row)
{
  Copy *copy = data;
  const TagRow *tag = copy->pending->pdata[row];

  tt_row_writer_add_string (writer, tag->name);
  tt_row_writer_add_string (writer, tag->key);
  tt_row_writer_add_string (writer, tag->created);
  tt_row_writer_add_string (writer, tag->updated);
}

/* The colours of the tags just inserted (copy->pending, with copy->ids);
 * a tag that was merged keeps the target's colour, or its lack of one. */
static gboolean
copy_new_tag_colours (Copy    *copy,
                      GError **error)
{
  g_autoptr(GArray) colours = g_array_new (FALSE, FALSE, sizeof (TtTagColour));

  for (guint i = 0; i < copy->pending->len; i++)
    {
      const TagRow *row = copy->pending->pdata[i];
      TtTagColour colour = { g_array_index (copy->ids, gint64, i), row->colour };

      if (colour.colour != NULL)
        g_array_append_val (colours, colour);
    }

  return tt_store_insert_tag_colours (copy->target, colours, error);
}

/* A tag whose key the target (or an earlier tag of the source) has is
 * merged with that one; the others are inserted, with their colours. */
static gboolean
copy_tag_page (Copy    *copy,
               GError **error)
{
  for (guint i = 0; i < copy->tags->len; i++)
    {
      TagRow *row = &g_array_index (copy->tags, TagRow, i);
      GError *problem = NULL;

      if (!clean_tag_name (copy, row, error))
        return FALSE;
      if (g_hash_table_contains (copy->tag_by_key, row->key))
        continue;
      if (!tt_rules_check_tag_colour (row->colour, &problem))
        return source_row_error (error, problem, TRUE, row->id);
      g_hash_table_insert (copy->tag_by_key, g_strdup (row->key), NULL);
      g_ptr_array_add (copy->pending, row);
    }

  if (!tt_store_insert_batches (copy->target,
                                "INSERT INTO tags (name, name_key, createdAt, updatedAt) VALUES",
                                "(##name@::string, ##key@::string, ##created@::string, ##updated@::string)",
                                copy->pending->len, copy->batch_ids ? TT_BATCH_ROWS : 1,
                                bind_tag, copy, copy->ids, error) ||
      !copy_new_tag_colours (copy, error))
    return FALSE;

  for (guint i = 0; i < copy->pending->len; i++)
    g_hash_table_insert (copy->tag_by_key, g_strdup (((TagRow *) copy->pending->pdata[i])->key),
                         ID_KEY (g_array_index (copy->ids, gint64, i)));

  for (guint i = 0; i < copy->tags->len; i++)
    {
      TagRow *row = &g_array_index (copy->tags, TagRow, i);

      g_hash_table_insert (copy->tag_ids, ID_KEY (row->id),
                           g_hash_table_lookup (copy->tag_by_key, row->key));
    }

  copy->report.tags_created += copy->pending->len;
  copy->report.tags_merged += copy->tags->len - copy->pending->len;
  return TRUE;
}

static gboolean
copy_tags (Copy    *copy,
           GError **error)
{
  gint64 after = 0;
  guint n;

  do
    {
      clear_page (copy);
      if (!read_tag_page (copy, after, error))
        return FALSE;
      if ((n = copy->tags->len) == 0)
        break;
      after = g_array_index (copy->tags, TagRow, n - 1).id;
      if (!copy_tag_page (copy, error) || !copy_step (copy, n, error))
        return FALSE;
    }
  while (n == PAGE_ROWS);

  return TRUE;
}

/* ---- recognising tutorials the target has ---------------------------- */

/* A NULL and an empty text differ, and no field runs into the next. */
static void
digest_field (GChecksum  *checksum,
              const char *text)
{
  guint8 present = text != NULL;
  guint64 length = text != NULL ? strlen (text) : 0;

  g_checksum_update (checksum, &present, sizeof present);
  g_checksum_update (checksum, (const guchar *) &length, sizeof length);
  if (text != NULL)
    g_checksum_update (checksum, (const guchar *) text, length);
}

static void
tutorial_digest (Copy       *copy,
                 const char *title,
                 const char *description,
                 const char *created,
                 guint8      digest[DIGEST_BYTES])
{
  guint8 full[32];
  gsize length = sizeof full;

  g_checksum_reset (copy->checksum);
  digest_field (copy->checksum, title);
  digest_field (copy->checksum, description);
  digest_field (copy->checksum, created);
  g_checksum_get_digest (copy->checksum, full, &length);
  memcpy (digest, full, DIGEST_BYTES);
}

static guint
known_hash (gconstpointer key)
{
  guint hash;

  memcpy (&hash, ((const Known *) key)->digest, sizeof hash);
  return hash;
}

static gboolean
known_equal (gconstpointer a,
             gconstpointer b)
{
  return memcmp (((const Known *) a)->digest, ((const Known *) b)->digest, DIGEST_BYTES) == 0;
}

static void
known_free (gpointer data)
{
  Known *known = data;

  while (known != NULL)
    {
      Known *next = known->next;

      g_free (known);
      known = next;
    }
}

/* Same ones stay in id order, so that they are matched in the order the
 * source's are read: a copy made twice pairs each with its own. */
static void
add_known (Copy   *copy,
           Known  *known)
{
  Known *last = g_hash_table_lookup (copy->known, known);

  if (last == NULL)
    {
      g_hash_table_insert (copy->known, known, known);
      return;
    }

  while (last->next != NULL)
    last = last->next;
  last->next = known;
}

/* The id of an unmatched tutorial of the target that is the same as @row,
 * now matched; 0 when there is none. */
static gint64
take_known (Copy              *copy,
            const TutorialRow *row)
{
  Known probe = { 0 };

  tutorial_digest (copy, row->title, row->description, row->created, probe.digest);
  for (Known *known = g_hash_table_lookup (copy->known, &probe); known != NULL; known = known->next)
    {
      if (!known->taken)
        {
          known->taken = TRUE;
          return known->id;
        }
    }

  return 0;
}

/* Reads a page of the target's tutorials; how many rows it had, -1 on
 * error. */
static int
load_known_page (Copy     *copy,
                 gint64   *after,
                 GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING, TT_COL_AUTO, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;
  int n = 0;

  stmt = tt_store_prepare (copy->target,
                           "SELECT id, title, description, createdAt FROM tutorials"
                           " WHERE id > ##after::int64 ORDER BY id LIMIT " G_STRINGIFY (KNOWN_PAGE_ROWS),
                           &params, error);
  if (stmt != NULL)
    tt_params_set_int64 (params, "after", *after);
  if (!(rows = tt_store_select_rows (copy->target, stmt, params, types, error)))
    return -1;

  for (; tt_rows_next (rows); n++)
    {
      Known *known = g_new0 (Known, 1);
      char created[SQL_TIME_SIZE];

      known->id = *after = tt_value_get_int64 (tt_rows_get (rows, 0));
      copy_time (copy, tt_rows_get (rows, 3), created);
      tutorial_digest (copy, text_of (tt_rows_get (rows, 1)), text_of (tt_rows_get (rows, 2)),
                       created, known->digest);
      add_known (copy, known);
    }

  return n;
}

static gboolean
load_known (Copy    *copy,
            GError **error)
{
  gint64 after = 0;
  int n;

  if (copy->before[0] == 0)
    return TRUE;

  do
    n = load_known_page (copy, &after, error);
  while (n == KNOWN_PAGE_ROWS);

  return n >= 0;
}

/* ---- tutorials and links --------------------------------------------- */

static gboolean
read_tutorials (Copy     *copy,
                gint64    after,
                GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING, TT_COL_AUTO, TT_COL_AUTO, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (copy->source,
                           "SELECT id, title, description, createdAt, updatedAt FROM tutorials"
                           " WHERE id > ##after::int64 ORDER BY id LIMIT " G_STRINGIFY (PAGE_ROWS),
                           &params, error);
  if (stmt != NULL)
    tt_params_set_int64 (params, "after", after);
  if (!(rows = tt_store_select_rows (copy->source, stmt, params, types, error)))
    return FALSE;

  while (tt_rows_next (rows))
    {
      TutorialRow row = { 0 };

      row.id = tt_value_get_int64 (tt_rows_get (rows, 0));
      row.title = copy_string (copy, tt_rows_get (rows, 1));
      row.description = copy_string (copy, tt_rows_get (rows, 2));
      copy_time (copy, tt_rows_get (rows, 3), row.created);
      copy_time (copy, tt_rows_get (rows, 4), row.updated);
      g_array_append_val (copy->tutorials, row);
    }

  return TRUE;
}

/* The links of the page's tutorials: those with ids in (@after, @last]. */
static gboolean
read_links (Copy     *copy,
            gint64    after,
            gint64    last,
            GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_INT64, TT_COL_AUTO, TT_COL_AUTO, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (copy->source,
                           "SELECT tutorial_id, tag_id, createdAt, updatedAt FROM tutorial_tag"
                           " WHERE tutorial_id > ##after::int64 AND tutorial_id <= ##last::int64",
                           &params, error);
  if (stmt != NULL)
    {
      tt_params_set_int64 (params, "after", after);
      tt_params_set_int64 (params, "last", last);
    }
  if (!(rows = tt_store_select_rows (copy->source, stmt, params, types, error)))
    return FALSE;

  while (tt_rows_next (rows))
    {
      LinkRow row = { 0 };

      row.pair.tutorial_id = tt_value_get_int64 (tt_rows_get (rows, 0));
      row.pair.tag_id = tt_value_get_int64 (tt_rows_get (rows, 1));
      copy_time (copy, tt_rows_get (rows, 2), row.created);
      copy_time (copy, tt_rows_get (rows, 3), row.updated);
      g_array_append_val (copy->links, row);
    }

  return TRUE;
}

/* One page of tutorials and their links, under the source's lock. */
static gboolean
read_tutorial_page (Copy     *copy,
                    gint64    after,
                    GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&copy->source->lock);
  guint n;

  if (!read_tutorials (copy, after, error))
    return FALSE;
  if ((n = copy->tutorials->len) == 0)
    return TRUE;

  return read_links (copy, after, g_array_index (copy->tutorials, TutorialRow, n - 1).id, error);
}

/* What the target's columns hold (a VARCHAR(255) title, UTF-8 text) is
 * checked here, so that both backends refuse the same rows instead of
 * MySQL cutting a long title short. NULLs and empty titles, which the
 * Node.js app allows, are copied as they are. */
static gboolean
check_tutorial (const TutorialRow  *row,
                GError            **error)
{
  GError *problem = NULL;

  if (tt_rules_check_stored_title (row->title, &problem) &&
      tt_rules_check_description (row->description, &problem))
    return TRUE;

  return source_row_error (error, problem, FALSE, row->id);
}

static void
bind_tutorial (gpointer     data,
               TtRowWriter *writer,
               guint        row)
{
  Copy *copy = data;
  const TutorialRow *tutorial = copy->pending->pdata[row];

  tt_row_writer_add_string (writer, tutorial->title);
  tt_row_writer_add_string (writer, tutorial->description);
  tt_row_writer_add_string (writer, tutorial->created);
  tt_row_writer_add_string (writer, tutorial->updated);
}

/* Gives every tutorial of the page its id in the target: the one it
 * already has there, or a new one. */
static gboolean
insert_tutorials (Copy    *copy,
                  GError **error)
{
  g_ptr_array_set_size (copy->pending, 0);
  g_array_set_size (copy->ids, 0);

  for (guint i = 0; i < copy->tutorials->len; i++)
    {
      TutorialRow *row = &g_array_index (copy->tutorials, TutorialRow, i);

      if (!check_tutorial (row, error))
        return FALSE;
      row->target_id = take_known (copy, row);
      row->known = row->target_id > 0;
      if (!row->known)
        g_ptr_array_add (copy->pending, row);
    }

  if (!tt_store_insert_batches (copy->target,
                                "INSERT INTO tutorials (title, description, createdAt, updatedAt) VALUES",
                                "(##title@::string::null, ##description@::string::null,"
                                " ##created@::string, ##updated@::string)",
                                copy->pending->len, copy->batch_ids ? TT_BATCH_ROWS : 1,
                                bind_tutorial, copy, copy->ids, error))
    return FALSE;

  for (guint i = 0; i < copy->pending->len; i++)
    ((TutorialRow *) copy->pending->pdata[i])->target_id = g_array_index (copy->ids, gint64, i);

  copy->report.tutorials_copied += copy->pending->len;
  copy->report.tutorials_skipped += copy->tutorials->len - copy->pending->len;
  return TRUE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Orders Pairs, and LinkRows by their pair. */
static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const Pair *x = a;
  const Pair *y = b;

  if (x->tutorial_id != y->tutorial_id)
    return x->tutorial_id < y->tutorial_id ? -1 : 1;
  return x->tag_id < y->tag_id ? -1 : x->tag_id > y->tag_id;
}

/* The page's tutorials are in source id order. */
static gint64
target_tutorial_id (Copy   *copy,
                    gint64  source_id)
{
  TutorialRow *row = bsearch (&source_id, copy->tutorials->data, copy->tutorials->len,
                              sizeof (TutorialRow), compare_ids);

  return row != NULL ? row->target_id : 0;
}

/* Each link in the target's ids, sorted, each pair once (tags of the
 * source merged into one give the same pair). A link whose tag was
 * created in the source after the tags were copied has no tag here and
 * is left out, as are links added to the source after their page. */
static void
map_links (Copy *copy)
{
  guint kept = 0;

  for (guint i = 0; i < copy->links->len; i++)
    {
      LinkRow *link = &g_array_index (copy->links, LinkRow, i);

      link->pair.tutorial_id = target_tutorial_id (copy, link->pair.tutorial_id);
      link->pair.tag_id = KEY_ID (g_hash_table_lookup (copy->tag_ids, ID_KEY (link->pair.tag_id)));
      if (link->pair.tutorial_id > 0 && link->pair.tag_id > 0)
        g_array_index (copy->links, LinkRow, kept++) = *link;
    }
  g_array_set_size (copy->links, kept);
  g_array_sort (copy->links, compare_pairs);

  kept = 0;
  for (guint i = 0; i < copy->links->len; i++)
    {
      LinkRow *link = &g_array_index (copy->links, LinkRow, i);

      if (kept == 0 || compare_pairs (link, &g_array_index (copy->links, LinkRow, kept - 1)) != 0)
        g_array_index (copy->links, LinkRow, kept++) = *link;
    }
  g_array_set_size (copy->links, kept);
}

/* The links the target has for @ids (at most TT_BATCH_ROWS of them), into
 * @pairs. One statement with a fixed number of slots; the unused ones get
 * 0, which is nobody's id. */
static gboolean
load_pairs (Copy     *copy,
            gint64   *ids,
            guint     n,
            GArray   *pairs,
            GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE };
  g_autoptr(GString) sql = g_string_new ("SELECT tutorial_id, tag_id FROM tutorial_tag WHERE tutorial_id IN (");
  g_autoptr(TtRows) rows = NULL;
  GdaSet *params = NULL;
  GdaStatement *stmt;

  for (guint slot = 0; slot < TT_BATCH_ROWS; slot++)
    g_string_append_printf (sql, "%s##t%u::int64", slot > 0 ? ", " : "", slot);
  g_string_append (sql, ")");

  if (!(stmt = tt_store_prepare (copy->target, sql->str, &params, error)))
    return FALSE;
  for (guint slot = 0; slot < TT_BATCH_ROWS; slot++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "t%u", slot);
      tt_params_set_int64 (params, name, slot < n ? ids[slot] : 0);
    }
  if (!(rows = tt_store_select_rows (copy->target, stmt, params, types, error)))
    return FALSE;

  while (tt_rows_next (rows))
    {
      Pair pair = { tt_value_get_int64 (tt_rows_get (rows, 0)), tt_value_get_int64 (tt_rows_get (rows, 1)) };

      g_array_append_val (pairs, pair);
    }

  return TRUE;
}

/* Drops the links that the target's own copies of the page's tutorials
 * (those it had before) already have. */
static gboolean
drop_existing_links (Copy    *copy,
                     GError **error)
{
  g_autoptr(GArray) matched = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  guint kept = 0;

  for (guint i = 0; i < copy->tutorials->len; i++)
    {
      TutorialRow *row = &g_array_index (copy->tutorials, TutorialRow, i);

      if (row->known)
        g_array_append_val (matched, row->target_id);
    }

  for (guint start = 0; start < matched->len; start += TT_BATCH_ROWS)
    {
      if (!load_pairs (copy, &g_array_index (matched, gint64, start),
                       MIN (TT_BATCH_ROWS, matched->len - start), pairs, error))
        return FALSE;
    }
  if (pairs->len == 0)
    return TRUE;
  g_array_sort (pairs, compare_pairs);

  for (guint i = 0; i < copy->links->len; i++)
    {
      LinkRow *link = &g_array_index (copy->links, LinkRow, i);

      if (bsearch (&link->pair, pairs->data, pairs->len, sizeof (Pair), compare_pairs) == NULL)
        g_array_index (copy->links, LinkRow, kept++) = *link;
    }
  g_array_set_size (copy->links, kept);
  return TRUE;
}

static void
bind_link (gpointer     data,
           TtRowWriter *writer,
           guint        row)
{
  Copy *copy = data;
  const LinkRow *link = &g_array_index (copy->links, LinkRow, row);

  tt_row_writer_add_string (writer, link->created);
  tt_row_writer_add_string (writer, link->updated);
  tt_row_writer_add_int64 (writer, link->pair.tutorial_id);
  tt_row_writer_add_int64 (writer, link->pair.tag_id);
}

static gboolean
copy_tutorial_page (Copy    *copy,
                    GError **error)
{
  guint n_links = copy->links->len;

  if (!insert_tutorials (copy, error))
    return FALSE;

  map_links (copy);
  if (!drop_existing_links (copy, error) ||
      !tt_store_insert_batches (copy->target,
                                "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id) VALUES",
                                "(##created@::string, ##updated@::string, ##tutorial@::int64, ##tag@::int64)",
                                copy->links->len, TT_BATCH_ROWS, bind_link, copy, NULL, error))
    return FALSE;

  copy->report.links_copied += copy->links->len;
  return copy_step (copy, copy->tutorials->len + n_links, error);
}

static gboolean
copy_tutorials (Copy    *copy,
                GError **error)
{
  gint64 after = 0;
  guint n;

  do
    {
      clear_page (copy);
      if (!read_tutorial_page (copy, after, error))
        return FALSE;
      if ((n = copy->tutorials->len) == 0)
        break;
      after = g_array_index (copy->tutorials, TutorialRow, n - 1).id;
      if (!copy_tutorial_page (copy, error))
        return FALSE;
    }
  while (n == PAGE_ROWS);

  return TRUE;
}

/* ---- the whole copy -------------------------------------------------- */

static gboolean
copy_body (TtStore   *target,
           gpointer   data,
           GError   **error)
{
  Copy *copy = data;

  copy->batch_ids = tt_store_batch_ids_reliable (target);
  return tt_store_backfill_name_keys (target, error) &&
         count_rows (target, copy->before, error) &&
         load_tag_keys (copy, error) &&
         load_known (copy, error) &&
         copy_tags (copy, error) &&
         copy_tutorials (copy, error) &&
         check_counts (copy, error);
}

static void
copy_init (Copy               *copy,
           TtStore            *source,
           TtStore            *target,
           GCancellable       *cancellable,
           TtCopyProgressFunc  progress,
           gpointer            progress_data)
{
  memset (copy, 0, sizeof *copy);
  copy->source = source;
  copy->target = target;
  copy->cancellable = cancellable;
  copy->progress = progress;
  copy->progress_data = progress_data;
  copy->now = tt_now_sql ();
  copy->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  copy->tag_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  copy->tag_ids = g_hash_table_new (NULL, NULL);
  copy->known = g_hash_table_new_full (known_hash, known_equal, NULL, known_free);
  copy->strings = g_string_chunk_new (64 * 1024);
  copy->tags = g_array_new (FALSE, FALSE, sizeof (TagRow));
  copy->tutorials = g_array_new (FALSE, FALSE, sizeof (TutorialRow));
  copy->links = g_array_new (FALSE, FALSE, sizeof (LinkRow));
  copy->pending = g_ptr_array_new ();
  copy->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
copy_clear (Copy *copy)
{
  g_free (copy->now);
  g_checksum_free (copy->checksum);
  g_hash_table_unref (copy->tag_by_key);
  g_hash_table_unref (copy->tag_ids);
  g_hash_table_unref (copy->known);
  g_string_chunk_free (copy->strings);
  g_array_unref (copy->tags);
  g_array_unref (copy->tutorials);
  g_array_unref (copy->links);
  g_ptr_array_unref (copy->pending);
  g_array_unref (copy->ids);
}

/* ---- one catalogue under two names ------------------------------------ */

/* The file SQLite has open for @store: the connection knows it best (libgda
 * may have added ".db" to the name it was given). */
static char *
sqlite_file (TtStore  *store,
             GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&store->lock);
  g_autoptr(TtRows) rows = NULL;
  GdaStatement *stmt;

  stmt = tt_store_prepare (store, "PRAGMA database_list", NULL, error);
  if (stmt == NULL || !(rows = tt_store_select_rows (store, stmt, NULL, types, error)))
    return NULL;

  while (tt_rows_next (rows))
    {
      if (g_strcmp0 (tt_value_get_string (tt_rows_get (rows, 1)), "main") == 0)
        return g_strdup (tt_value_get_string (tt_rows_get (rows, 2)));
    }

  g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                       _("SQLite did not say which file it has open"));
  return NULL;
}

/* One file under two names ("./", a symbolic or a hard link) is one
 * device and inode. A file deleted while open has only its name left. */
static gboolean
same_file (const char *a,
           const char *b)
{
  g_autofree char *canonical_a = NULL;
  g_autofree char *canonical_b = NULL;
  GStatBuf stat_a;
  GStatBuf stat_b;

  if (g_stat (a, &stat_a) == 0 && g_stat (b, &stat_b) == 0)
    return stat_a.st_dev == stat_b.st_dev && stat_a.st_ino == stat_b.st_ino;

  canonical_a = g_canonicalize_filename (a, NULL);
  canonical_b = g_canonicalize_filename (b, NULL);
  return g_strcmp0 (canonical_a, canonical_b) == 0;
}

static gboolean
same_sqlite_file (TtStore   *a,
                  TtStore   *b,
                  gboolean  *same,
                  GError   **error)
{
  g_autofree char *file_a = sqlite_file (a, error);
  g_autofree char *file_b = file_a != NULL ? sqlite_file (b, error) : NULL;

  if (file_b == NULL)
    return FALSE;

  *same = same_file (file_a, file_b);
  return TRUE;
}

/* Runs @sql, which takes ##name and gives a number and a text, on @store.
 * With @tolerate_error, a failure reads as (0, NULL). */
static gboolean
ask_server (TtStore     *store,
            const char  *sql,
            const char  *name,
            gboolean     tolerate_error,
            gint64      *number,
            char       **text,
            GError     **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&store->lock);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TtRows) rows = NULL;
  GdaStatement *stmt;
  GdaSet *params = NULL;

  *number = 0;
  *text = NULL;
  stmt = tt_store_prepare (store, sql, &params, &local_error);
  if (stmt != NULL && params != NULL)
    tt_params_set_string (params, "name", name);
  if (stmt != NULL && (rows = tt_store_select_rows (store, stmt, params, types, &local_error)) &&
      tt_rows_next (rows))
    {
      *number = tt_value_get_int64 (tt_rows_get (rows, 0));
      *text = g_strdup (tt_value_get_string (tt_rows_get (rows, 1)));
    }

  if (local_error != NULL && !tolerate_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* A Galera cluster's nodes are different servers holding one database:
 * they share the cluster's state UUID (none without Galera). */
static gboolean
same_cluster (TtStore  *a,
              TtStore  *b,
              gboolean *same,
              GError  **error)
{
  static const char sql[] =
    "SELECT 0, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
    " WHERE VARIABLE_NAME = 'WSREP_CLUSTER_STATE_UUID'";
  g_autofree char *cluster_a = NULL;
  g_autofree char *cluster_b = NULL;
  gint64 unused;

  if (!ask_server (a, sql, NULL, FALSE, &unused, &cluster_a, error) ||
      !ask_server (b, sql, NULL, FALSE, &unused, &cluster_b, error))
    return FALSE;

  *same = cluster_a != NULL && *cluster_a != '\0' && g_strcmp0 (cluster_a, cluster_b) == 0;
  return TRUE;
}

/* Host names, ports and sockets can all differ for one server, so ask
 * the servers: a session lock @a takes under a random name is in use for
 * @b only on the same server. Galera refuses GET_LOCK(); its nodes are
 * told by their cluster instead. Then the database must be the same. */
static gboolean
same_mysql_database (TtStore   *a,
                     TtStore   *b,
                     gboolean  *same,
                     GError   **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strconcat ("tt-copy-", uuid, NULL);
  g_autofree char *database_a = NULL;
  g_autofree char *database_b = NULL;
  g_autofree char *unused = NULL;
  gint64 taken;
  gint64 seen = 0;
  gboolean ok;

  ok = ask_server (a, "SELECT GET_LOCK(##name::string, 0), DATABASE()", name, TRUE,
                   &taken, &database_a, error);
  ok = ok && ask_server (b, "SELECT IS_USED_LOCK(##name::string) IS NOT NULL, DATABASE()", name,
                         FALSE, &seen, &database_b, error);
  if (taken == 1)
    ask_server (a, "SELECT RELEASE_LOCK(##name::string), NULL", name, TRUE, &taken, &unused, NULL);
  if (!ok)
    return FALSE;

  *same = seen == 1;
  if (!*same && !same_cluster (a, b, same, error))
    return FALSE;
  *same = *same && database_a != NULL && g_strcmp0 (database_a, database_b) == 0;
  return TRUE;
}

/* Whether @a and @b are one catalogue, however their locations are spelt:
 * "sqlite:./a.db" and a link to it, a server's socket and its TCP port. */
static gboolean
same_catalogue (TtStore   *a,
                TtStore   *b,
                gboolean  *same,
                GError   **error)
{
  *same = FALSE;
  if (a->location->backend != b->location->backend)
    return TRUE;

  return tt_store_is_mysql (a) ? same_mysql_database (a, b, same, error)
                               : same_sqlite_file (a, b, same, error);
}

static gboolean
start_copy (Copy    *copy,
            GError **error)
{
  gint64 counts[3];
  gboolean same;

  if (g_cancellable_set_error_if_cancelled (copy->cancellable, error) ||
      !same_catalogue (copy->source, copy->target, &same, error))
    return FALSE;
  if (same)
    {
      g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_SAME_CATALOGUE,
                           _("The source and the target are the same catalogue"));
      return FALSE;
    }

  if (!count_rows (copy->source, counts, error))
    return FALSE;
  copy->total = counts[0] + counts[1] + counts[2];
  return TRUE;
}

gboolean
tt_store_copy_into (TtStore             *source,
                    TtStore             *target,
                    GCancellable        *cancellable,
                    TtCopyProgressFunc   progress,
                    gpointer             progress_data,
                    TtCopyReport        *report,
                    GError             **error)
{
  g_autoptr(GMutexLocker) copying = NULL;
  g_autoptr(GRecMutexLocker) locker = NULL;
  Copy copy;
  gboolean ok;

  g_return_val_if_fail (TT_IS_STORE (source), FALSE);
  g_return_val_if_fail (TT_IS_STORE (target), FALSE);
  g_return_val_if_fail (source != target, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  copying = g_mutex_locker_new (&copy_mutex);
  locker = g_rec_mutex_locker_new (&target->lock);
  copy_init (&copy, source, target, cancellable, progress, progress_data);

  ok = start_copy (&copy, error) &&
       tt_store_run_atomically_once (target, copy_body, &copy, error);
  if (ok)
    tt_store_search_refresh_quietly (target);

  if (report != NULL)
    {
      if (ok)
        *report = copy.report;
      else
        memset (report, 0, sizeof *report);
    }
  copy_clear (&copy);
  return ok;
}

/* ---- asynchronous copy ----------------------------------------------- */

/* Hands progress from the copy's thread to the caller's main context.
 * Only the latest figures wait there: a busy main loop gets one call, not
 * a queue of them. */
typedef struct
{
  GMutex              mutex;
  guint64             done;
  guint64             total;
  gboolean            queued;
  TtCopyProgressFunc  func;
  gpointer            data;
  GMainContext       *context;
} Relay;

static void
relay_clear (gpointer data)
{
  Relay *relay = data;

  g_mutex_clear (&relay->mutex);
  g_main_context_unref (relay->context);
}

static void
relay_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, relay_clear);
}

static gboolean
relay_deliver_cb (gpointer data)
{
  Relay *relay = data;
  guint64 done;
  guint64 total;

  g_mutex_lock (&relay->mutex);
  done = relay->done;
  total = relay->total;
  relay->queued = FALSE;
  g_mutex_unlock (&relay->mutex);

  relay->func (done, total, relay->data);
  return G_SOURCE_REMOVE;
}

/* An idle source rather than g_main_context_invoke(), which calls at once
 * when the context is free and this thread may take it. At the priority
 * of GTask's completion, and attached before it: every progress call is
 * made before the callback. */
static void
relay_progress (guint64  done,
                guint64  total,
                gpointer data)
{
  Relay *relay = data;
  g_autoptr(GSource) source = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&relay->mutex);

  relay->done = done;
  relay->total = total;
  if (relay->queued)
    return;

  relay->queued = TRUE;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, relay_deliver_cb, g_atomic_rc_box_acquire (relay), relay_release);
  g_source_set_static_name (source, "[tt] copy progress");
  g_source_attach (source, relay->context);
}

typedef struct
{
  TtStore *target;
  Relay   *relay;  /* NULL without progress */
} CopyTask;

static void
copy_task_free (gpointer data)
{
  CopyTask *task = data;

  g_object_unref (task->target);
  if (task->relay != NULL)
    relay_release (task->relay);
  g_free (task);
}

static void
copy_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CopyTask *data = task_data;
  GError *error = NULL;
  TtCopyReport report;

  if (tt_store_copy_into (source_object, data->target, cancellable,
                          data->relay != NULL ? relay_progress : NULL, data->relay,
                          &report, &error))
    g_task_return_pointer (task, g_memdup2 (&report, sizeof report), g_free);
  else
    g_task_return_error (task, error);
}

void
tt_store_copy_into_async (TtStore             *source,
                          TtStore             *target,
                          GCancellable        *cancellable,
                          TtCopyProgressFunc   progress,
                          gpointer             progress_data,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CopyTask *data;

  g_return_if_fail (TT_IS_STORE (source));
  g_return_if_fail (TT_IS_STORE (target));
  g_return_if_fail (source != target);

  data = g_new0 (CopyTask, 1);
  data->target = g_object_ref (target);
  if (progress != NULL)
    {
      data->relay = g_atomic_rc_box_new0 (Relay);
      g_mutex_init (&data->relay->mutex);
      data->relay->func = progress;
      data->relay->data = progress_data;
      data->relay->context = g_main_context_ref_thread_default ();
    }

  task = g_task_new (source, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_store_copy_into_async);
  g_task_set_task_data (task, data, copy_task_free);
  /* The result says what happened: a cancel that came after the commit
   * must not report a copy that is there as undone. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, copy_thread);
}

gboolean
tt_store_copy_into_finish (TtStore       *source,
                           GAsyncResult  *result,
                           TtCopyReport  *report,
                           GError       **error)
{
  g_autofree TtCopyReport *found = NULL;

  g_return_val_if_fail (TT_IS_STORE (source), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (report != NULL)
    {
      if (found != NULL)
        *report = *found;
      else
        memset (report, 0, sizeof *report);
    }

  return found != NULL;
}
