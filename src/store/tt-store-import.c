/* tt-store-import.c: bringing a whole catalogue in, all or nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows go in through tt_store_insert_batches() (tt-store-insert.c).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tt-store-private.h"

/* Where a tag's name, times and colour came from: a tag listed on its own
 * beats a tutorial's reference to it, whichever the file holds first (an
 * export writes the tutorials first); a tag that was there before is left
 * alone, colour included. */
typedef enum
{
  TAG_EXISTING,
  TAG_REFERENCED,
  TAG_LISTED,
} TagOrigin;

typedef struct
{
  gint64     id;             /* 0 until this batch inserts it */
  TagOrigin  origin;
  gboolean   in_file;        /* counted once in n_file_tags */
} TagEntry;

/* What lives for the whole import is one entry per tag; what a batch
 * brings (tutorials, their ids and links) is dropped after it. */
typedef struct
{
  TtStore        *store;
  TtImportSource  source;
  gpointer        source_data;
  GListModel     *tutorials;    /* this batch's */
  GListModel     *tags;         /* this batch's, listed on their own */
  GPtrArray      *new_tags;     /* TtTag: first spelling and times kept */
  GPtrArray      *listed_later; /* TtTag with id: referenced first, listed now */
  GHashTable     *entry_by_key; /* tag name key → TagEntry */
  GHashTable     *key_by_name;  /* tag name as written → its key */
  GArray         *tutorial_ids; /* new id of each tutorial, in order */
  GArray         *links;        /* pairs of (tutorial id, tag id) */
  guint           n_tutorials_done;
  guint           n_tags_done;
  guint           n_file_tags;
  gboolean        batch_ids;    /* a multi-row insert gets consecutive ids */
  char           *now;
  gint64          n_before;     /* tutorials before the import; -1: not counted */
  GPtrArray      *set_aside;    /* SQL of the indexes and triggers dropped until the end */
  gboolean        journal_aside; /* the journal's triggers among them */
  TtSearchStaging *staging;     /* NULL: the refresh after the commit indexes */
} Import;

static char *
format_time_or_now (GDateTime  *time,
                    const char *now)
{
  return time != NULL ? tt_format_sql_time (time) : g_strdup (now);
}

/* ---- tags ------------------------------------------------------------ */

static TagEntry *
add_entry (Import     *import,
           const char *key,
           gint64      id,
           TagOrigin   origin)
{
  TagEntry *entry = g_new0 (TagEntry, 1);

  entry->id = id;
  entry->origin = origin;
  g_hash_table_insert (import->entry_by_key, g_strdup (key), entry);
  return entry;
}

static gboolean
load_existing_keys (TtStore  *self,
                    Import   *import,
                    GError  **error)
{
  static const GType types[] = { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  GdaStatement *stmt;

  if (!tt_store_backfill_name_keys (self, error))
    return FALSE;

  stmt = tt_store_prepare (self, "SELECT id, name_key FROM tags WHERE name_key IS NOT NULL",
                           NULL, error);
  if (!(rows = tt_store_select_rows (self, stmt, NULL, types, error)))
    return FALSE;

  while (tt_rows_next (rows))
    add_entry (import, tt_value_get_string (tt_rows_get (rows, 1)),
               tt_value_get_int64 (tt_rows_get (rows, 0)), TAG_EXISTING);

  return TRUE;
}

/* The key of a name as the file writes it, worked out once per spelling:
 * 300 000 links may name only 10 000 tags. NULL for a bad name. */
static const char *
cached_key (Import      *import,
            const char  *name,
            GError     **error)
{
  g_autofree char *clean = NULL;
  char *key = g_hash_table_lookup (import->key_by_name, name);

  if (key != NULL)
    return key;
  if (!(clean = tt_rules_clean_tag_name (name, error)))
    return NULL;

  key = tt_tag_name_key (clean);
  g_hash_table_insert (import->key_by_name, g_strdup (name), key);
  return key;
}

/* @source's clean name, times and colour, as a tag with @id. */
static TtTag *
clean_copy (TtTag  *source,
            gint64  id)
{
  g_autofree char *clean = tt_rules_clean_tag_name (tt_tag_get_name (source), NULL);
  TtTag *tag = tt_tag_new (id, clean);

  tt_tag_set_created_at (tag, tt_tag_get_created_at (source));
  tt_tag_set_updated_at (tag, tt_tag_get_updated_at (source));
  tt_tag_set_colour (tag, tt_tag_get_colour (source));
  return tag;
}

/* A tag this import created for a tutorial's reference is listed now:
 * the list's spelling and times win, as when the list comes first. */
static void
note_listed_later (Import   *import,
                   TagEntry *entry,
                   TtTag    *source)
{
  entry->origin = TAG_LISTED;
  /* Within a batch the list is noted before the references. */
  g_return_if_fail (entry->id > 0);
  g_ptr_array_add (import->listed_later, clean_copy (source, entry->id));
}

static gboolean
note_tag (Import     *import,
          TtTag      *source,
          TagOrigin   origin,
          GError    **error)
{
  const char *key = cached_key (import, tt_tag_get_name (source), error);
  TagEntry *entry;

  if (key == NULL ||
      !tt_rules_check_time (tt_tag_get_created_at (source), error) ||
      !tt_rules_check_time (tt_tag_get_updated_at (source), error) ||
      !tt_rules_check_tag_colour (tt_tag_get_colour (source), error))
    return FALSE;

  entry = g_hash_table_lookup (import->entry_by_key, key);
  if (entry == NULL)
    {
      entry = add_entry (import, key, 0, origin);
      g_ptr_array_add (import->new_tags, clean_copy (source, 0));
    }
  else if (origin == TAG_LISTED && entry->origin == TAG_REFERENCED)
    note_listed_later (import, entry, source);

  if (!entry->in_file)
    import->n_file_tags++;
  entry->in_file = TRUE;
  return TRUE;
}

static gboolean
collect_tag_names (Import  *import,
                   GError **error)
{
  guint n_tags = import->tags != NULL ? g_list_model_get_n_items (import->tags) : 0;
  guint n_tutorials = g_list_model_get_n_items (import->tutorials);

  for (guint i = 0; i < n_tags; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (import->tags, i);

      if (!note_tag (import, tag, TAG_LISTED, error))
        return g_prefix_error (error, _("Tag %u: "), import->n_tags_done + i + 1), FALSE;
    }

  for (guint i = 0; i < n_tutorials; i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (import->tutorials, i);
      GListModel *tags = tt_tutorial_get_tags (tutorial);

      for (guint j = 0; j < g_list_model_get_n_items (tags); j++)
        {
          g_autoptr(TtTag) tag = g_list_model_get_item (tags, j);

          if (!note_tag (import, tag, TAG_REFERENCED, error))
            return g_prefix_error (error, _("Tutorial %u: "), import->n_tutorials_done + i + 1), FALSE;
        }
    }

  return TRUE;
}

static void
bind_tag (gpointer     data,
          TtRowWriter *writer,
          guint        row)
{
  Import *import = data;
  TtTag *tag = import->new_tags->pdata[row];
  g_autofree char *key = tt_tag_name_key (tt_tag_get_name (tag));
  g_autofree char *created = format_time_or_now (tt_tag_get_created_at (tag), import->now);
  g_autofree char *updated = format_time_or_now (tt_tag_get_updated_at (tag), import->now);

  tt_row_writer_add_string (writer, tt_tag_get_name (tag));
  tt_row_writer_add_string (writer, key);
  tt_row_writer_add_string (writer, created);
  tt_row_writer_add_string (writer, updated);
}

static gboolean
insert_new_tags (TtStore  *self,
                 Import   *import,
                 GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) colours = g_array_new (FALSE, FALSE, sizeof (TtTagColour));

  if (!tt_store_insert_batches (self,
                                "INSERT INTO tags (name, name_key, createdAt, updatedAt) VALUES",
                                "(##name@::string, ##key@::string, ##created@::string, ##updated@::string)",
                                import->new_tags->len, import->batch_ids ? TT_BATCH_ROWS : 1,
                                bind_tag, import, ids, error))
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      TtTag *tag = import->new_tags->pdata[i];
      g_autofree char *key = tt_tag_name_key (tt_tag_get_name (tag));
      TagEntry *entry = g_hash_table_lookup (import->entry_by_key, key);
      TtTagColour colour = { g_array_index (ids, gint64, i), tt_tag_get_colour (tag) };

      entry->id = colour.tag_id;
      if (colour.colour != NULL)
        g_array_append_val (colours, colour);
    }

  /* Before the tags go: the colours are theirs. */
  if (!tt_store_insert_tag_colours (self, colours, error))
    return FALSE;
  g_ptr_array_set_size (import->new_tags, 0);
  return TRUE;
}

/* One row each: only tags that tutorials named before the list did. */
static gboolean
update_listed_later (TtStore  *self,
                     Import   *import,
                     GError  **error)
{
  GdaSet *params;
  GdaStatement *stmt = tt_store_prepare (self,
                                         "UPDATE tags SET name = ##name::string, createdAt = ##created::string,"
                                         " updatedAt = ##updated::string WHERE id = ##id::int64",
                                         &params, error);

  for (guint i = 0; stmt != NULL && i < import->listed_later->len; i++)
    {
      TtTag *tag = import->listed_later->pdata[i];
      g_autofree char *created = format_time_or_now (tt_tag_get_created_at (tag), import->now);
      g_autofree char *updated = format_time_or_now (tt_tag_get_updated_at (tag), import->now);

      tt_holder_set_string (gda_set_get_holder (params, "name"), tt_tag_get_name (tag));
      tt_holder_set_string (gda_set_get_holder (params, "created"), created);
      tt_holder_set_string (gda_set_get_holder (params, "updated"), updated);
      tt_holder_set_int64 (gda_set_get_holder (params, "id"), tt_tag_get_id (tag));
      if (!tt_store_exec (self, stmt, params, NULL, error) ||
          !tt_store_put_tag_colour (self, tt_tag_get_id (tag), tt_tag_get_colour (tag), error))
        return FALSE;
    }

  g_ptr_array_set_size (import->listed_later, 0);
  return stmt != NULL;
}

/* ---- indexes and triggers set aside (SQLite) ------------------------ */

/* An index in another order than the rows' (by title, by tag) takes each
 * new row at a random page; once it outgrows the page cache every insert
 * reads and writes pages. A 1 000 000-tutorial import spent most of its
 * 55 s before the search index that way; dropped and made again at the
 * end, which sorts once, the same took 32 s and 2 s. So a large import
 * (at least TT_LARGE_IMPORT tutorials, and as many as the catalogue had)
 * drops the plain indexes of tutorials and tutorial_tag, whoever made
 * them, and makes them again from their own SQL before it commits: no
 * other connection sees them missing, and a failed import gets them
 * back with the rollback. UNIQUE indexes stay: they check the rows.
 *
 * Our own triggers on those tables go aside the same way: each row
 * would write a journal entry (2.5 million at 1 000 000 tutorials, 10 s
 * of 70, and hours of pruning afterwards) and a stale-list entry the
 * import's own indexing takes off again. Instead the import indexes its
 * tutorials itself (TtSearchStaging, which must then be there), and
 * prunes the whole journal at the end, so that every reader reads
 * everything again, as it would after any prune past it. Other
 * triggers stay: they may do what the import must not skip.
 * SQLite only: MySQL commits the transaction at any DDL. */

static gboolean
count_tutorials_before (TtStore  *self,
                        Import   *import,
                        GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  import->n_before = -1;
  if (tt_store_is_mysql (self))
    return TRUE;
  import->n_before = tt_store_select_int64 (self, "SELECT COUNT(*) FROM tutorials", &local_error);
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  return TRUE;
}

/* The SQL that drops @name, an index or a trigger. */
static char *
drop_sql (const char *type,
          const char *name)
{
  g_autofree char *quoted = tt_store_double_quoted (name);

  return g_strconcat (g_strcmp0 (type, "trigger") == 0 ? "DROP TRIGGER " : "DROP INDEX ", quoted, NULL);
}

static gboolean
set_aside (TtStore  *self,
           Import   *import,
           GError  **error)
{
  static const GType types[] = { G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_NONE };
  g_autoptr(TtRows) rows = NULL;
  g_autoptr(GPtrArray) drops = g_ptr_array_new_with_free_func (g_free);
  GdaSet *params = NULL;
  GdaStatement *stmt;

  /* sql is NULL for the indexes of PRIMARY KEY and UNIQUE constraints;
   * a pattern bound to NULL matches nothing. */
  stmt = tt_store_prepare (self, "SELECT type, name, sql FROM sqlite_master"
                                 " WHERE tbl_name IN ('tutorials', 'tutorial_tag') AND sql IS NOT NULL"
                                 " AND ((type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%')"
                                 " OR (type = 'trigger' AND (name LIKE ##journal::string::null ESCAPE '!'"
                                 " OR name LIKE ##search::string::null ESCAPE '!')))",
                           &params, error);
  if (stmt == NULL)
    return FALSE;
  import->journal_aside = tt_store_has_journal (self);
  tt_params_set_string (params, "journal", import->journal_aside ? TT_JOURNAL_TRIGGERS_LIKE : NULL);
  tt_params_set_string (params, "search", import->staging != NULL ? TT_SEARCH_TRIGGERS_LIKE : NULL);
  if (!(rows = tt_store_select_rows (self, stmt, params, types, error)))
    return FALSE;

  import->set_aside = g_ptr_array_new_with_free_func (g_free);
  while (tt_rows_next (rows))
    {
      g_ptr_array_add (drops, drop_sql (tt_value_get_string (tt_rows_get (rows, 0)),
                                        tt_value_get_string (tt_rows_get (rows, 1))));
      g_ptr_array_add (import->set_aside, g_strdup (tt_value_get_string (tt_rows_get (rows, 2))));
    }
  /* SQLite drops nothing while a statement still reads the schema. */
  g_clear_pointer (&rows, tt_rows_free);

  for (guint i = 0; i < drops->len; i++)
    if (!tt_store_exec_sql (self, drops->pdata[i], error))
      return FALSE;
  return TRUE;
}

/* After each batch: whether the import is large enough now. */
static gboolean
maybe_set_aside (TtStore  *self,
                 Import   *import,
                 GError  **error)
{
  gint64 n_done = import->n_tutorials_done;

  if (import->n_before < 0 || import->set_aside != NULL ||
      n_done < (gint64) tt_store_large_import (self) || n_done < import->n_before)
    return TRUE;
  return set_aside (self, import, error);
}

static gboolean
put_back (TtStore  *self,
          Import   *import,
          GError  **error)
{
  for (guint i = 0; import->set_aside != NULL && i < import->set_aside->len; i++)
    if (!tt_store_exec_sql (self, import->set_aside->pdata[i], error))
      return FALSE;
  return !import->journal_aside || tt_store_journal_prune_all (self, error);
}

/* ---- tutorials and links --------------------------------------------- */

static gboolean
check_tutorials (Import  *import,
                 GError **error)
{
  guint n = g_list_model_get_n_items (import->tutorials);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (import->tutorials, i);

      if (!tt_rules_check_title (tt_tutorial_get_title (tutorial), error) ||
          !tt_rules_check_description (tt_tutorial_get_description (tutorial), error) ||
          !tt_rules_check_time (tt_tutorial_get_created_at (tutorial), error) ||
          !tt_rules_check_time (tt_tutorial_get_updated_at (tutorial), error))
        return g_prefix_error (error, _("Tutorial %u: "), import->n_tutorials_done + i + 1), FALSE;
    }

  return TRUE;
}

static void
bind_tutorial (gpointer     data,
               TtRowWriter *writer,
               guint        row)
{
  Import *import = data;
  g_autoptr(TtTutorial) tutorial = g_list_model_get_item (import->tutorials, row);
  g_autofree char *created = format_time_or_now (tt_tutorial_get_created_at (tutorial), import->now);
  g_autofree char *updated = format_time_or_now (tt_tutorial_get_updated_at (tutorial), import->now);

  tt_row_writer_add_string (writer, tt_tutorial_get_title (tutorial));
  tt_row_writer_add_string (writer, tt_tutorial_get_description (tutorial));
  tt_row_writer_add_string (writer, created);
  tt_row_writer_add_string (writer, updated);
}

static gint64
tag_id_for_name (Import     *import,
                 const char *name)
{
  /* Every name was checked by collect_tag_names(). */
  const char *key = cached_key (import, name, NULL);
  TagEntry *entry = key != NULL ? g_hash_table_lookup (import->entry_by_key, key) : NULL;

  return entry != NULL ? entry->id : 0;
}

/* Each tutorial's links, each (tutorial, tag) pair once. */
static void
collect_links (Import *import)
{
  guint n = g_list_model_get_n_items (import->tutorials);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (import->tutorials, i);
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
      GListModel *tags = tt_tutorial_get_tags (tutorial);
      gint64 tutorial_id = g_array_index (import->tutorial_ids, gint64, i);

      for (guint j = 0; j < g_list_model_get_n_items (tags); j++)
        {
          g_autoptr(TtTag) tag = g_list_model_get_item (tags, j);
          gint64 tag_id = tag_id_for_name (import, tt_tag_get_name (tag));

          if (tag_id <= 0 || !g_hash_table_add (seen, GSIZE_TO_POINTER ((gsize) tag_id)))
            continue;
          g_array_append_val (import->links, tutorial_id);
          g_array_append_val (import->links, tag_id);
        }
    }
}

static void
bind_link (gpointer     data,
           TtRowWriter *writer,
           guint        row)
{
  Import *import = data;

  tt_row_writer_add_string (writer, import->now);
  tt_row_writer_add_int64 (writer, g_array_index (import->links, gint64, 2 * row));
  tt_row_writer_add_int64 (writer, g_array_index (import->links, gint64, 2 * row + 1));
}

static gboolean
insert_tutorials_and_links (TtStore  *self,
                            Import   *import,
                            GError  **error)
{
  g_array_set_size (import->tutorial_ids, 0);
  g_array_set_size (import->links, 0);

  if (!tt_store_insert_batches (self,
                                "INSERT INTO tutorials (title, description, createdAt, updatedAt) VALUES",
                                "(##title@::string, ##description@::string::null,"
                                " ##created@::string, ##updated@::string)",
                                g_list_model_get_n_items (import->tutorials),
                                import->batch_ids ? TT_BATCH_ROWS : 1,
                                bind_tutorial, import, import->tutorial_ids, error) ||
      (import->staging != NULL &&
       !tt_search_staging_add (import->staging, import->tutorials, import->tutorial_ids, error)))
    return FALSE;

  collect_links (import);
  return tt_store_insert_batches (self,
                                  "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id) VALUES",
                                  "(##now@::string, ##now@::string, ##tutorial@::int64, ##tag@::int64)",
                                  import->links->len / 2, TT_BATCH_ROWS, bind_link, import, NULL, error);
}

/* The TtImportSink: one batch into the open transaction. */
static gboolean
import_batch (gpointer     data,
              GListModel  *tutorials,
              GListModel  *tags,
              GError     **error)
{
  Import *import = data;
  TtStore *self = import->store;

  import->tutorials = tutorials;
  import->tags = tags;

  if (!check_tutorials (import, error) ||
      !collect_tag_names (import, error) ||
      !insert_new_tags (self, import, error) ||
      !update_listed_later (self, import, error) ||
      !insert_tutorials_and_links (self, import, error))
    return FALSE;

  import->n_tutorials_done += g_list_model_get_n_items (tutorials);
  import->n_tags_done += tags != NULL ? g_list_model_get_n_items (tags) : 0;
  import->tutorials = import->tags = NULL;
  return maybe_set_aside (self, import, error);
}

static gboolean
import_body (TtStore   *self,
             gpointer   data,
             GError   **error)
{
  Import *import = data;
  g_autoptr(GError) local_error = NULL;

  import->staging = tt_search_staging_new (self, &local_error);
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;

  return load_existing_keys (self, import, error) &&
         count_tutorials_before (self, import, error) &&
         import->source (import->source_data, import_batch, import, error) &&
         put_back (self, import, error) &&
         (import->staging == NULL || tt_search_staging_finish (import->staging, error));
}

static void
import_init (Import  *import,
             TtStore *self)
{
  import->store = self;
  import->new_tags = g_ptr_array_new_with_free_func (g_object_unref);
  import->listed_later = g_ptr_array_new_with_free_func (g_object_unref);
  import->entry_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  import->key_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  import->tutorial_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  import->links = g_array_new (FALSE, FALSE, sizeof (gint64));
  import->now = tt_now_sql ();
  import->batch_ids = tt_store_batch_ids_reliable (self);
}

static void
import_clear (Import *import)
{
  g_ptr_array_unref (import->new_tags);
  g_ptr_array_unref (import->listed_later);
  g_hash_table_unref (import->entry_by_key);
  g_hash_table_unref (import->key_by_name);
  g_array_unref (import->tutorial_ids);
  g_array_unref (import->links);
  g_free (import->now);
  g_clear_pointer (&import->set_aside, g_ptr_array_unref);
  g_clear_pointer (&import->staging, tt_search_staging_free);
}

gboolean
tt_store_import_stream (TtStore         *self,
                        TtImportSource   source,
                        gpointer         source_data,
                        guint           *n_tutorials,
                        guint           *n_tags,
                        GError         **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  Import import = { 0 };
  gboolean ok;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  import_init (&import, self);
  import.source = source;
  import.source_data = source_data;

  /* Once: the source cannot be read a second time. */
  ok = tt_store_run_atomically_once (self, import_body, &import, error);
  /* What others changed meanwhile: now rather than at the next search,
   * which someone waits for. */
  if (ok)
    tt_store_search_refresh_quietly (self);
  if (ok && n_tutorials != NULL)
    *n_tutorials = import.n_tutorials_done;
  if (ok && n_tags != NULL)
    *n_tags = import.n_file_tags;

  import_clear (&import);
  return ok;
}

typedef struct
{
  GListModel *tutorials;
  GListModel *tags;
} Lists;

static gboolean
read_lists (gpointer       data,
            TtImportSink   sink,
            gpointer       sink_data,
            GError       **error)
{
  Lists *lists = data;

  return sink (sink_data, lists->tutorials, lists->tags, error);
}

gboolean
tt_store_import (TtStore     *self,
                 GListModel  *tutorials,
                 GListModel  *tags,
                 GError     **error)
{
  Lists lists = { tutorials, tags };

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_LIST_MODEL (tutorials), FALSE);

  return tt_store_import_stream (self, read_lists, &lists, NULL, NULL, error);
}
