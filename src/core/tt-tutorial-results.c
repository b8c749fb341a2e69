/* tt-tutorial-results.c: the tutorials a query selects, loaded as shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A catalogue can hold 100 000 tutorials. Making an object with its tags
 * for each of them costs seconds and hundreds of megabytes, while a list
 * view shows a screenful. So the list keeps the ids of the selected
 * tutorials (8 bytes each) and makes objects as the view asks for them:
 * an unknown row is first an empty placeholder, and the page around it
 * (PAGE_SIZE rows) is read on the store's worker thread; when it arrives
 * the placeholders are swapped for the loaded tutorials.
 *
 * A refresh reads the new ids and the first rows in one job, then changes
 * the list as little as it can: the ids both lists start and end with
 * stay put, a tutorial that moved (an edit, sorted by update time) is
 * moved, and a tutorial whose content did not change keeps its object,
 * so views redraw and selections move only where something changed.
 *
 * GTK's list view and multi-selection look for a selected or focused row
 * that a change removed among the rows the same change adds, one
 * g_list_model_get_item() at a time: over a search result of 80 000 rows
 * that is 80 000 placeholders. So a large replacement is announced in two
 * steps: every row from the first that differs to the end is removed,
 * then the new ones added (a view has no rows to make in between), and
 * the window restores its selection by id once the second step is there.
 * For the same reason a view asking for a row does not load it at once:
 * the pages still shown once the main loop is idle are loaded, not every
 * row someone looked at.
 */

#define G_LOG_DOMAIN "tt-tutorial-results"

#include "config.h"

#include <string.h>

#include "tt-tutorial.h"
#include "tt-tutorial-results.h"

#define PAGE_SIZE 50
/* Rows loaded with the ids: the top of the list is what shows first. */
#define EAGER_ROWS 100
/* Past this many cached objects, those nobody else holds are let go. */
#define CACHE_LIMIT 4000
/* A replacement adding more rows than this is announced in two steps. */
#define TWO_STEPS_ABOVE 64

#define ID_KEY(id) ((gpointer) (gintptr) (id))

typedef enum
{
  ENTRY_PLACEHOLDER,  /* nothing read yet */
  ENTRY_STALE,        /* read, but the catalogue changed since */
  ENTRY_LOADED,
} EntryState;

typedef struct
{
  TtTutorial *tutorial;
  EntryState  state;
  gboolean    requested;  /* a load for it is on its way */
} Entry;

struct _TtTutorialResults
{
  GObject     parent_instance;

  TtStore    *store;
  GArray     *ids;      /* gint64, in list order */
  GHashTable *entries;  /* id → Entry */
  guint       n_loads;  /* jobs on their way */
  gint64      apply_usec;  /* main-thread time of the last refresh */
  GHashTable *wanted_pages;  /* first positions of pages a view asked for */
  guint       load_source;   /* loads them once the main loop is idle */
  gboolean    replacing;     /* between the two steps of a replacement */
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void tt_tutorial_results_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TtTutorialResults, tt_tutorial_results, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tt_tutorial_results_list_model_init))

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->tutorial);
  g_free (entry);
}

/* Whether anyone but this cache holds the object: a row showing it, an
 * editor. Objects nobody holds can be dropped and made again. */
static gboolean
entry_is_shown (Entry *entry)
{
  return G_OBJECT (entry->tutorial)->ref_count > 1;
}

static Entry *
lookup_or_add (TtTutorialResults *self,
               gint64             id)
{
  Entry *entry = g_hash_table_lookup (self->entries, ID_KEY (id));

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->tutorial = tt_tutorial_new_placeholder (id);
      entry->state = ENTRY_PLACEHOLDER;
      g_hash_table_insert (self->entries, ID_KEY (id), entry);
    }

  return entry;
}

static void
loads_changed (TtTutorialResults *self,
               int                delta)
{
  gboolean was_loading = self->n_loads > 0;

  self->n_loads += delta;
  if (was_loading != (self->n_loads > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---- putting loaded tutorials in ------------------------------------- */

/* Emits one items-changed per run of positions in [@from, @to) whose ids
 * @changed holds, skipping [@skip_from, @skip_to), which was just
 * replaced anyway. */
static void
emit_changed (TtTutorialResults *self,
              GHashTable        *changed,
              guint              from,
              guint              to,
              guint              skip_from,
              guint              skip_to)
{
  guint run_start = 0;
  guint run_length = 0;

  if (g_hash_table_size (changed) == 0)
    return;

  to = MIN (to, self->ids->len);
  for (guint i = from; i <= to; i++)
    {
      gboolean hit = i < to && (i < skip_from || i >= skip_to) &&
                     g_hash_table_contains (changed, ID_KEY (g_array_index (self->ids, gint64, i)));

      if (hit && run_length == 0)
        run_start = i;
      if (hit)
        run_length++;
      else if (run_length > 0)
        {
          g_list_model_items_changed (G_LIST_MODEL (self), run_start, run_length, run_length);
          run_length = 0;
        }
    }
}

/* Puts @loaded in place of what the cache has for the same ids, keeping
 * objects whose content is unchanged. Returns the ids whose shown object
 * was replaced: their rows need an items-changed. */
static GHashTable *
take_loaded (TtTutorialResults *self,
             GPtrArray         *loaded)
{
  GHashTable *changed = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < loaded->len; i++)
    {
      TtTutorial *tutorial = loaded->pdata[i];
      gint64 id = tt_tutorial_get_id (tutorial);
      Entry *entry = g_hash_table_lookup (self->entries, ID_KEY (id));
      gboolean same;

      if (entry == NULL)
        continue;

      same = entry->state != ENTRY_PLACEHOLDER && tt_tutorial_equal (entry->tutorial, tutorial);
      entry->state = ENTRY_LOADED;
      if (same)
        continue;

      if (entry_is_shown (entry))
        g_hash_table_add (changed, ID_KEY (id));
      g_set_object (&entry->tutorial, tutorial);
    }

  return changed;
}

/* Lets go of the objects nobody shows once the cache is large. */
static void
trim_cache (TtTutorialResults *self)
{
  GHashTableIter iter;
  Entry *entry;

  if (g_hash_table_size (self->entries) <= CACHE_LIMIT)
    return;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (!entry->requested && !entry_is_shown (entry))
      g_hash_table_iter_remove (&iter);
}

/* ---- loading pages as they are shown ---------------------------------- */

/* Owned by the load's callback, which always runs. */
typedef struct
{
  TtTutorialResults *self;
  GArray            *ids;
  GArray            *list;   /* the list's ids when asked … */
  guint              from;   /* … and where in it the rows are */
  guint              to;
} LoadData;

static void
load_data_free (LoadData *load)
{
  g_object_unref (load->self);
  g_array_unref (load->ids);
  g_array_unref (load->list);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static gpointer
load_job (TtStore   *store,
          gpointer   data,
          GError   **error)
{
  LoadData *load = data;

  return tt_store_load_tutorials (store, (const gint64 *) (gpointer) load->ids->data,
                                  load->ids->len, error);
}

/* The load's ids are no longer on their way, whatever came back. */
static void
clear_requested (TtTutorialResults *self,
                 GArray            *ids)
{
  for (guint i = 0; i < ids->len; i++)
    {
      Entry *entry = g_hash_table_lookup (self->entries, ID_KEY (g_array_index (ids, gint64, i)));

      if (entry != NULL)
        entry->requested = FALSE;
    }
}

static void
page_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LoadData) load = user_data;
  TtTutorialResults *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = tt_store_run_finish (TT_STORE (source), result, &error);
  g_autoptr(GHashTable) changed = NULL;

  clear_requested (self, load->ids);
  loads_changed (self, -1);
  if (loaded == NULL)
    {
      /* Placeholders stay; the next time a view asks, they are tried again. */
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      return;
    }

  changed = take_loaded (self, loaded);
  /* Unless the list changed meanwhile, only the page's rows can show them. */
  if (load->list == self->ids)
    emit_changed (self, changed, load->from, load->to, 0, 0);
  else
    emit_changed (self, changed, 0, G_MAXUINT, 0, 0);
  trim_cache (self);
}

/* Reads the tutorials @ids, which are at [@from, @to) in the list. */
static void
load_ids (TtTutorialResults *self,
          GArray            *ids,
          guint              from,
          guint              to)
{
  LoadData *load;

  if (ids->len == 0)
    return;

  load = g_new0 (LoadData, 1);
  load->self = g_object_ref (self);
  load->ids = g_array_ref (ids);
  load->list = g_array_ref (self->ids);
  load->from = from;
  load->to = to;
  loads_changed (self, +1);
  tt_store_run_async (self->store, load_job, load, NULL,
                      (GDestroyNotify) g_ptr_array_unref, NULL,
                      page_loaded_cb, load);
}

/* Loads the page around @position: what is not loaded and not on its way. */
static void
request_page (TtTutorialResults *self,
              guint              position)
{
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint start = position - position % PAGE_SIZE;
  guint end = MIN (start + PAGE_SIZE, self->ids->len);

  for (guint i = start; i < end; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);
      Entry *entry = lookup_or_add (self, id);

      if (entry->state == ENTRY_LOADED || entry->requested)
        continue;
      entry->requested = TRUE;
      g_array_append_val (wanted, id);
    }

  load_ids (self, wanted, start, end);
}

/* Whether a row of the page starting at @start is shown and not loaded. */
static gboolean
page_needs_load (TtTutorialResults *self,
                 guint              start)
{
  guint end = MIN (start + PAGE_SIZE, self->ids->len);

  for (guint i = start; i < end; i++)
    {
      Entry *entry = g_hash_table_lookup (self->entries, ID_KEY (g_array_index (self->ids, gint64, i)));

      if (entry != NULL && entry->state != ENTRY_LOADED && !entry->requested && entry_is_shown (entry))
        return TRUE;
    }

  return FALSE;
}

static gboolean
load_wanted_pages_cb (gpointer user_data)
{
  TtTutorialResults *self = user_data;
  GHashTableIter iter;
  gpointer key;

  self->load_source = 0;
  g_hash_table_iter_init (&iter, self->wanted_pages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint start = GPOINTER_TO_UINT (key) - 1;

      if (start < self->ids->len && page_needs_load (self, start))
        request_page (self, start);
    }
  g_hash_table_remove_all (self->wanted_pages);
  /* Now the requested loads, if any, keep the list loading. */
  loads_changed (self, -1);

  return G_SOURCE_REMOVE;
}

/* Notes that a view asked for the row at @position. */
static void
want_page (TtTutorialResults *self,
           guint              position)
{
  /* + 1: the first page starts at 0, which is NULL as a key. */
  g_hash_table_add (self->wanted_pages, GUINT_TO_POINTER (position - position % PAGE_SIZE + 1));
  if (self->load_source != 0)
    return;
  self->load_source = g_idle_add_full (G_PRIORITY_DEFAULT, load_wanted_pages_cb, self, NULL);
  loads_changed (self, +1);
}

/* ---- GListModel ------------------------------------------------------- */

static GType
tt_tutorial_results_get_item_type (GListModel *model)
{
  return TT_TYPE_TUTORIAL;
}

static guint
tt_tutorial_results_get_n_items (GListModel *model)
{
  return TT_TUTORIAL_RESULTS (model)->ids->len;
}

static gpointer
tt_tutorial_results_get_item (GListModel *model,
                              guint       position)
{
  TtTutorialResults *self = TT_TUTORIAL_RESULTS (model);
  Entry *entry;

  if (position >= self->ids->len)
    return NULL;

  entry = lookup_or_add (self, g_array_index (self->ids, gint64, position));
  if (entry->state != ENTRY_LOADED && !entry->requested)
    want_page (self, position);

  return g_object_ref (entry->tutorial);
}

static void
tt_tutorial_results_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tt_tutorial_results_get_item_type;
  iface->get_n_items = tt_tutorial_results_get_n_items;
  iface->get_item = tt_tutorial_results_get_item;
}

/* ---- refreshing ------------------------------------------------------- */

/* The data of the refresh's task; the job fills in the result. */
typedef struct
{
  TtTutorialQuery *query;
  gboolean         contents_changed;
  GArray          *reload;  /* shown objects to read again */
  GArray          *ids;     /* the result: the new ids … */
  GPtrArray       *loaded;  /* … the first rows and @reload */
} RefreshData;

static void
refresh_data_free (gpointer data)
{
  RefreshData *refresh = data;

  tt_tutorial_query_free (refresh->query);
  g_clear_pointer (&refresh->reload, g_array_unref);
  g_clear_pointer (&refresh->ids, g_array_unref);
  g_clear_pointer (&refresh->loaded, g_ptr_array_unref);
  g_free (refresh);
}

/* One job, so that the ids and the rows come from the same moment. */
static gpointer
refresh_job (TtStore   *store,
             gpointer   data,
             GError   **error)
{
  RefreshData *refresh = data;
  g_autoptr(GArray) wanted = NULL;

  if (!(refresh->ids = tt_store_list_tutorial_ids (store, refresh->query, error)))
    return NULL;

  wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (wanted, refresh->ids->data, MIN (refresh->ids->len, EAGER_ROWS));
  g_array_append_vals (wanted, refresh->reload->data, refresh->reload->len);
  refresh->loaded = tt_store_load_tutorials (store, (const gint64 *) (gpointer) wanted->data,
                                             wanted->len, error);

  return refresh->loaded != NULL ? refresh : NULL;
}

/* After a change, what the refresh did not read again may be out of
 * date: dropped when nobody shows it, else marked stale. Returns the
 * stale ids. */
static GHashTable *
expire_unread (TtTutorialResults *self,
               GPtrArray         *loaded)
{
  g_autoptr(GHashTable) read = g_hash_table_new (NULL, NULL);
  GHashTable *stale = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key;
  Entry *entry;

  for (guint i = 0; i < loaded->len; i++)
    g_hash_table_add (read, ID_KEY (tt_tutorial_get_id (loaded->pdata[i])));

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, (gpointer *) &entry))
    {
      if (g_hash_table_contains (read, key) || entry->requested)
        continue;
      if (!entry_is_shown (entry))
        g_hash_table_iter_remove (&iter);
      else
        {
          if (entry->state == ENTRY_LOADED)
            entry->state = ENTRY_STALE;
          g_hash_table_add (stale, key);
        }
    }

  return stale;
}

/* Reads again the @stale tutorials still in the list; the others (gone,
 * or filtered out) are shown only until their holder lets go. */
static void
reload_listed (TtTutorialResults *self,
               GHashTable        *stale)
{
  g_autoptr(GArray) again = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (g_hash_table_size (stale) == 0)
    return;

  for (guint i = 0; i < self->ids->len; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);
      Entry *entry;

      if (!g_hash_table_contains (stale, ID_KEY (id)))
        continue;
      entry = g_hash_table_lookup (self->entries, ID_KEY (id));
      entry->requested = TRUE;
      g_array_append_val (again, id);
    }

  load_ids (self, again, 0, G_MAXUINT);
}

/* Announces the change to @ids in two steps through the list @between:
 * first the removal of @removed rows at @removed_at, then the addition of
 * @added rows at @added_at. */
static void
announce_in_two (TtTutorialResults *self,
                 GArray            *between,
                 GArray            *ids,
                 guint              removed_at,
                 guint              removed,
                 guint              added_at,
                 guint              added)
{
  g_clear_pointer (&self->ids, g_array_unref);
  self->ids = g_array_ref (between);
  self->replacing = TRUE;
  g_list_model_items_changed (G_LIST_MODEL (self), removed_at, removed, 0);
  self->replacing = FALSE;

  g_clear_pointer (&self->ids, g_array_unref);
  self->ids = g_array_ref (ids);
  g_list_model_items_changed (G_LIST_MODEL (self), added_at, 0, added);
}

/* A copy of @old without the id at @skip. */
static GArray *
ids_without (GArray *old,
             guint   skip)
{
  GArray *between = g_array_sized_new (FALSE, FALSE, sizeof (gint64), old->len - 1);

  g_array_append_vals (between, old->data, skip);
  g_array_append_vals (between, &g_array_index (old, gint64, skip + 1), old->len - skip - 1);
  return between;
}

/* When the @n differing ids from @at are one tutorial that moved from
 * the end of them to the start, or the other way round (an edit while
 * the list is sorted by update time), announces a move. */
static gboolean
announce_move (TtTutorialResults *self,
               GArray            *old,
               GArray            *ids,
               guint              at,
               guint              n)
{
  const gint64 *a = &g_array_index (old, gint64, at);
  const gint64 *b = &g_array_index (ids, gint64, at);
  g_autoptr(GArray) between = NULL;
  gsize rest = (n - 1) * sizeof (gint64);

  if (n < 2)
    return FALSE;

  if (b[0] == a[n - 1] && memcmp (a, b + 1, rest) == 0)
    {
      between = ids_without (old, at + n - 1);
      announce_in_two (self, between, ids, at + n - 1, 1, at, 1);
      return TRUE;
    }
  if (a[0] == b[n - 1] && memcmp (a + 1, b, rest) == 0)
    {
      between = ids_without (old, at);
      announce_in_two (self, between, ids, at, 1, at + n - 1, 1);
      return TRUE;
    }

  return FALSE;
}

/* Replaces the ids, announcing only the middle part that differs.
 * Returns that part's new range in @from and @to. */
static void
replace_ids (TtTutorialResults *self,
             GArray            *ids,
             guint             *from,
             guint             *to)
{
  g_autoptr(GArray) old = g_array_ref (self->ids);
  const gint64 *a = (const gint64 *) (gpointer) old->data;
  const gint64 *b = (const gint64 *) (gpointer) ids->data;
  guint prefix = 0;
  guint suffix = 0;
  guint removed, added;

  while (prefix < old->len && prefix < ids->len && a[prefix] == b[prefix])
    prefix++;
  while (suffix < old->len - prefix && suffix < ids->len - prefix &&
         a[old->len - 1 - suffix] == b[ids->len - 1 - suffix])
    suffix++;

  removed = old->len - prefix - suffix;
  added = ids->len - prefix - suffix;
  *from = prefix;
  *to = ids->len - suffix;

  if (removed == added && announce_move (self, old, ids, prefix, added))
    return;

  if (removed > 0 && added > TWO_STEPS_ABOVE)
    {
      g_autoptr(GArray) between = g_array_sized_new (FALSE, FALSE, sizeof (gint64), prefix);

      g_array_append_vals (between, a, prefix);
      announce_in_two (self, between, ids, prefix, old->len - prefix, prefix, ids->len - prefix);
      *to = ids->len;
      return;
    }

  g_clear_pointer (&self->ids, g_array_unref);
  self->ids = g_array_ref (ids);
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
}

static void
refresh_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TtTutorialResults *self = g_task_get_source_object (task);
  RefreshData *refresh = g_task_get_task_data (task);
  g_autoptr(GHashTable) changed = NULL;
  g_autoptr(GHashTable) stale = NULL;
  gint64 start = g_get_monotonic_time ();
  GError *error = NULL;
  guint from, to;

  clear_requested (self, refresh->reload);
  loads_changed (self, -1);
  if (tt_store_run_finish (TT_STORE (source), result, &error) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (refresh->contents_changed)
    stale = expire_unread (self, refresh->loaded);

  /* New objects first, so the views that the new ids make ask for get them. */
  for (guint i = 0; i < refresh->loaded->len; i++)
    lookup_or_add (self, tt_tutorial_get_id (refresh->loaded->pdata[i]));
  changed = take_loaded (self, refresh->loaded);
  replace_ids (self, refresh->ids, &from, &to);
  emit_changed (self, changed, 0, G_MAXUINT, from, to);
  if (stale != NULL)
    reload_listed (self, stale);
  trim_cache (self);
  self->apply_usec = g_get_monotonic_time () - start;

  g_task_return_boolean (task, TRUE);
}

/* The ids of the shown objects, to read again after a change. */
static GArray *
shown_ids (TtTutorialResults *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, (gpointer *) &entry))
    if (entry_is_shown (entry))
      {
        gint64 id = (gint64) (gintptr) key;

        entry->requested = TRUE;
        g_array_append_val (ids, id);
      }

  return ids;
}

/**
 * tt_tutorial_results_refresh_async:
 * @query: (nullable): what to list
 * @contents_changed: whether the catalogue may have changed (a command
 *   ran, another client wrote) rather than only the query
 *
 * Lists what @query selects, with its first rows and, after a change,
 * the rows on show read again. Finishes once the list has changed.
 */
void
tt_tutorial_results_refresh_async (TtTutorialResults     *self,
                                   const TtTutorialQuery *query,
                                   gboolean               contents_changed,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  RefreshData *refresh;
  GTask *task;

  g_return_if_fail (TT_IS_TUTORIAL_RESULTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_tutorial_results_refresh_async);

  refresh = g_new0 (RefreshData, 1);
  refresh->query = tt_tutorial_query_copy (query);
  refresh->contents_changed = contents_changed;
  refresh->reload = contents_changed ? shown_ids (self)
                                     : g_array_new (FALSE, FALSE, sizeof (gint64));
  g_task_set_task_data (task, refresh, refresh_data_free);
  loads_changed (self, +1);

  tt_store_run_async (self->store, refresh_job, refresh, NULL, NULL,
                      cancellable, refresh_done_cb, task);
}

gboolean
tt_tutorial_results_refresh_finish (TtTutorialResults  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- lookups ---------------------------------------------------------- */

/* Returns: the id at @position, or -1 past the end; makes no object. */
gint64
tt_tutorial_results_get_id (TtTutorialResults *self,
                            guint              position)
{
  g_return_val_if_fail (TT_IS_TUTORIAL_RESULTS (self), -1);

  return position < self->ids->len ? g_array_index (self->ids, gint64, position) : -1;
}

gboolean
tt_tutorial_results_find (TtTutorialResults *self,
                          gint64             id,
                          guint             *position)
{
  g_return_val_if_fail (TT_IS_TUTORIAL_RESULTS (self), FALSE);

  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == id)
      {
        if (position != NULL)
          *position = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * tt_tutorial_results_peek:
 *
 * Returns: (transfer none) (nullable): the loaded object for @id, if the
 *   list holds one (not a placeholder, nor one read before a change)
 */
TtTutorial *
tt_tutorial_results_peek (TtTutorialResults *self,
                          gint64             id)
{
  Entry *entry;

  g_return_val_if_fail (TT_IS_TUTORIAL_RESULTS (self), NULL);

  entry = g_hash_table_lookup (self->entries, ID_KEY (id));
  return entry != NULL && entry->state == ENTRY_LOADED ? entry->tutorial : NULL;
}

/**
 * tt_tutorial_results_update:
 * @tutorials: (element-type TtTutorial): newer copies of tutorials the
 *   list may hold
 *
 * Puts newer copies in, as a load would, without reading anything: for
 * a change this program made and knows the result of.
 */
void
tt_tutorial_results_update (TtTutorialResults *self,
                            GPtrArray         *tutorials)
{
  g_autoptr(GHashTable) changed = NULL;

  g_return_if_fail (TT_IS_TUTORIAL_RESULTS (self));
  g_return_if_fail (tutorials != NULL);

  changed = take_loaded (self, tutorials);
  emit_changed (self, changed, 0, G_MAXUINT, 0, 0);
}

/**
 * tt_tutorial_results_is_replacing:
 *
 * Whether the list is between the two steps of a large replacement: the
 * rows just removed may come back with the next items-changed, so whoever
 * keeps a selection by id should not forget it yet.
 */
gboolean
tt_tutorial_results_is_replacing (TtTutorialResults *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL_RESULTS (self), FALSE);

  return self->replacing;
}

/* Whether rows are being read: tests and benchmarks wait for this. */
gboolean
tt_tutorial_results_is_loading (TtTutorialResults *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL_RESULTS (self), FALSE);

  return self->n_loads > 0;
}

/* How long the last refresh's result took to put in place on the main
 * thread, views' items-changed handlers included: for benchmarks. */
gint64
tt_tutorial_results_get_apply_usec (TtTutorialResults *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL_RESULTS (self), 0);

  return self->apply_usec;
}

/* How many tutorial objects are held: for tests and benchmarks. */
guint
tt_tutorial_results_get_n_cached (TtTutorialResults *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL_RESULTS (self), 0);

  return g_hash_table_size (self->entries);
}

/* ---- life ------------------------------------------------------------- */

TtTutorialResults *
tt_tutorial_results_new (TtStore *store)
{
  TtTutorialResults *self;

  g_return_val_if_fail (TT_IS_STORE (store), NULL);

  self = g_object_new (TT_TYPE_TUTORIAL_RESULTS, NULL);
  self->store = g_object_ref (store);
  return self;
}

static void
tt_tutorial_results_finalize (GObject *object)
{
  TtTutorialResults *self = TT_TUTORIAL_RESULTS (object);

  g_clear_handle_id (&self->load_source, g_source_remove);
  g_clear_object (&self->store);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->wanted_pages, g_hash_table_unref);

  G_OBJECT_CLASS (tt_tutorial_results_parent_class)->finalize (object);
}

static void
tt_tutorial_results_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TtTutorialResults *self = TT_TUTORIAL_RESULTS (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, tt_tutorial_results_is_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tutorial_results_class_init (TtTutorialResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tt_tutorial_results_finalize;
  object_class->get_property = tt_tutorial_results_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TtTutorialResults::load-failed:
   * @error: why
   *
   * Rows could not be read; they stay empty until asked for again.
   */
  signals[LOAD_FAILED] =
    g_signal_new ("load-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tt_tutorial_results_init (TtTutorialResults *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, entry_free);
  self->wanted_pages = g_hash_table_new (NULL, NULL);
}
