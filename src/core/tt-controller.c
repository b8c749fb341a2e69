/* tt-controller.c: turns user actions into store operations, with undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every action becomes one TtUndoCommand. Commands, undos, redos and
 * model refreshes wait in one queue and run one at a time, in the order
 * they were asked for: an undo pressed while an edit is still on its way
 * undoes that edit. Each runs on the store's worker thread; when it is
 * done the undo history changes and both models are reloaded before the
 * next one starts, so ::changed always describes a settled state.
 *
 * The window inserts the three action groups ("tutorial", "tag", "edit")
 * and binds to the two models; it holds no database logic.
 */

#define G_LOG_DOMAIN "tt-controller"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-controller.h"
#include "tt-tutorial-results.h"
#include "tt-undo-command.h"

/* Snapshots can be large (a tag with all its tutorials): keep the most
 * recent ones only. */
#define UNDO_LIMIT 100

typedef enum
{
  OP_APPLY,
  OP_UNDO,
  OP_REDO,
  OP_REFRESH,
} OpKind;

/* What an OP_REFRESH reads again. */
typedef enum
{
  LIST_TUTORIALS = 1 << 0,
  LIST_TAGS      = 1 << 1,
  LIST_BOTH      = LIST_TUTORIALS | LIST_TAGS,
} Lists;

typedef struct
{
  OpKind         kind;
  Lists          lists;             /* refreshed when it is done */
  gboolean       contents_changed;  /* not only the query */
  gboolean       external;          /* someone else changed the catalogue */
  /* Owned for OP_APPLY until it goes on the undo stack; for OP_UNDO and
   * OP_REDO the top of the stack, which stays there while it runs. */
  TtUndoCommand *command;
  GObject       *created;
  GError        *error;
  guint          n_pending;  /* lists still to come back */
  gboolean       resent;     /* was kept while the catalogue was away */
  gboolean       untagged_applied;  /* its link change counted locally */
} Op;

struct _TtController
{
  GObject             parent_instance;

  TtStore            *store;
  GSimpleActionGroup *tutorial_actions;
  GSimpleActionGroup *tag_actions;
  GSimpleActionGroup *edit_actions;

  TtTutorialResults  *tutorials;
  GListStore         *tags;
  TtTutorialQuery    *query;

  GQueue              queue;     /* Op: waiting */
  Op                 *current;   /* running, or NULL */
  GPtrArray          *undo_stack;  /* TtUndoCommand, newest last */
  GPtrArray          *redo_stack;
  char               *undo_label;
  char               *redo_label;
  guint               first_load;  /* idle source */
  /* Changes elsewhere: the catalogue's stamp when last read, checked
   * every CHECK_SECONDS (see tt_store_get_change_stamp()). */
  char               *stamp;
  guint               check_source;
  gboolean            checking;
  gboolean            offline;     /* the last check could not reach it */
  GPtrArray          *unsent;      /* TtUndoCommand not sent: no connection */
  guint               n_resending; /* of them, sent again, not back yet */
  guint               n_resent_saved;
  /* Tutorials without a tag, or -1 before the first count. */
  gint64              untagged_count;
  guint               file_check_asked : 1;
  guint               busy : 1;
  guint               can_undo : 1;
  guint               can_redo : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_TUTORIALS,
  PROP_TAGS,
  PROP_BUSY,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  PROP_OFFLINE,
  PROP_N_UNSENT,
  PROP_UNTAGGED_COUNT,
  N_PROPS
};

enum {
  CHANGED,
  ERROR,
  CREATED,
  UNSENT_SAVED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TtController, tt_controller, G_TYPE_OBJECT)
G_DEFINE_QUARK (tt-controller-error-quark, tt_controller_error)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void run_next (TtController *self);
static Op  *enqueue_refresh (TtController *self, Lists lists, gboolean contents_changed);
static gpointer stamp_job (TtStore *store, gpointer data, GError **error);
static void refresh_stamp_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* Another client's change shows within this plus one refresh: the issue
 * asks for 5 s. */
#define CHECK_SECONDS 2

/* ---- operations ------------------------------------------------------ */

static void
op_free (Op *op)
{
  if (op->kind == OP_APPLY)
    g_clear_pointer (&op->command, tt_undo_command_free);
  g_clear_object (&op->created);
  g_clear_error (&op->error);
  g_free (op);
}

static void
set_busy (TtController *self,
          gboolean      busy)
{
  if (self->busy == !!busy)
    return;

  self->busy = !!busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static Op *
queued_refresh (TtController *self)
{
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Op *op = l->data;

      if (op->kind == OP_REFRESH)
        return op;
    }

  return NULL;
}

static Op *
queue_op (TtController  *self,
          OpKind         kind,
          TtUndoCommand *command)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->command = command;
  /* A command changes the catalogue: both lists are read again. */
  op->lists = LIST_BOTH;
  op->contents_changed = TRUE;
  g_queue_push_tail (&self->queue, op);
  set_busy (self, TRUE);
  return op;
}

static void
enqueue (TtController  *self,
         OpKind         kind,
         TtUndoCommand *command)
{
  queue_op (self, kind, command);
  run_next (self);
}

/* One waiting refresh reads the newest query when it starts, so a
 * burst of keystrokes costs one refresh, not one each. */
static Op *
enqueue_refresh (TtController *self,
                 Lists         lists,
                 gboolean      contents_changed)
{
  Op *op = queued_refresh (self);

  if (op == NULL)
    {
      op = queue_op (self, OP_REFRESH, NULL);
      op->lists = 0;
      op->contents_changed = FALSE;
    }
  op->lists |= lists;
  op->contents_changed |= contents_changed;
  run_next (self);
  return op;
}

/* What the change check found: the catalogue changed elsewhere. The
 * refresh's lists come back later, in callbacks: marked in time. */
static void
enqueue_external_refresh (TtController *self)
{
  enqueue_refresh (self, LIST_BOTH, TRUE)->external = TRUE;
}

/* The first error is the one to report: a refresh that fails after it
 * is most likely the same trouble. */
static void
op_take_error (Op     *op,
               GError *error)
{
  if (op->error == NULL)
    op->error = error;
  else
    g_error_free (error);
}

static void
op_finish (TtController *self)
{
  Op *op = g_steal_pointer (&self->current);

  if (g_queue_is_empty (&self->queue))
    set_busy (self, FALSE);

  if (op->error != NULL)
    g_signal_emit (self, signals[ERROR], 0, op->error);
  else
    {
      if (op->created != NULL)
        g_signal_emit (self, signals[CREATED], 0, op->created);
      g_signal_emit (self, signals[CHANGED], 0);
    }

  op_free (op);
  run_next (self);
}

/* ---- models ---------------------------------------------------------- */

/* Puts @fresh into @list changing as little as it can: tags that both
 * start and end with and that did not change keep their objects, so the
 * sidebar keeps its rows, selection and scroll position. */
static void
merge_tags (GListStore *list,
            GListModel *fresh)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (list));
  guint n_new = g_list_model_get_n_items (fresh);
  guint prefix = 0, suffix = 0;
  g_autoptr(GPtrArray) middle = NULL;

  for (; prefix < n_old && prefix < n_new; prefix++)
    {
      g_autoptr(TtTag) a = g_list_model_get_item (G_LIST_MODEL (list), prefix);
      g_autoptr(TtTag) b = g_list_model_get_item (fresh, prefix);

      if (!tt_tag_equal (a, b))
        break;
    }
  for (; suffix < n_old - prefix && suffix < n_new - prefix; suffix++)
    {
      g_autoptr(TtTag) a = g_list_model_get_item (G_LIST_MODEL (list), n_old - 1 - suffix);
      g_autoptr(TtTag) b = g_list_model_get_item (fresh, n_new - 1 - suffix);

      if (!tt_tag_equal (a, b))
        break;
    }

  if (n_old - prefix - suffix == 0 && n_new - prefix - suffix == 0)
    return;

  middle = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = prefix; i < n_new - suffix; i++)
    g_ptr_array_add (middle, g_list_model_get_item (fresh, i));
  g_list_store_splice (list, prefix, n_old - prefix - suffix, middle->pdata, middle->len);
}

static void
refresh_step_done (TtController *self)
{
  if (--self->current->n_pending == 0)
    op_finish (self);
}

static void
tutorials_refreshed_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TtController) self = user_data;
  GError *error = NULL;

  if (!tt_tutorial_results_refresh_finish (TT_TUTORIAL_RESULTS (source), result, &error))
    op_take_error (self->current, error);
  refresh_step_done (self);
}

static void
tags_listed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TtController) self = user_data;
  GError *error = NULL;
  g_autoptr(GListModel) tags = tt_store_list_tags_finish (TT_STORE (source), result, &error);

  if (tags != NULL)
    merge_tags (self->tags, tags);
  else
    op_take_error (self->current, error);
  refresh_step_done (self);
}

static void
set_untagged_count (TtController *self,
                    gint64        count)
{
  if (count == self->untagged_count)
    return;

  self->untagged_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNTAGGED_COUNT]);
}

static gpointer
count_untagged_job (TtStore   *store,
                    gpointer   data,
                    GError   **error)
{
  gint64 *count = g_new (gint64, 1);

  *count = tt_store_count_untagged (store, error);
  if (*count < 0)
    g_clear_pointer (&count, g_free);
  return count;
}

static void
untagged_counted_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TtController) self = user_data;
  g_autofree gint64 *count = tt_store_run_finish (TT_STORE (source), result, NULL);

  /* A failure here shows in the lists' own errors. */
  if (count != NULL)
    set_untagged_count (self, *count);
  refresh_step_done (self);
}

/* Whether @op may have tagged or untagged a tutorial, or added or
 * deleted one: then "Untagged" is counted again. */
static gboolean
op_changes_untagged (Op *op)
{
  return (op->lists & LIST_TAGS) != 0 ||
         (!op->untagged_applied && op->command != NULL &&
          tt_undo_command_get_link_change (op->command) != NULL);
}

static gpointer
stamp_job (TtStore   *store,
           gpointer   data,
           GError   **error)
{
  return tt_store_get_change_stamp (store, error);
}

static void
refresh_stamp_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TtController) self = user_data;
  char *stamp = tt_store_run_finish (TT_STORE (source), result, NULL);

  /* A failure here shows in the lists' own errors. */
  if (stamp != NULL)
    {
      g_free (self->stamp);
      self->stamp = stamp;
    }
  refresh_step_done (self);
}

static gpointer
finish_check_job (TtStore   *store,
                  gpointer   data,
                  GError   **error)
{
  return tt_store_finish_check (store, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
file_checked_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TtController) self = user_data;
  GError *error = NULL;

  if (tt_store_run_finish (TT_STORE (source), result, &error) == NULL)
    op_take_error (self->current, error);
  refresh_step_done (self);
}

/* The open left the file's integrity check for later, so that the first
 * rows show before it (tt_store_open_async()). It runs right after the
 * first lists, as part of the same op: commands wait for it, and the
 * window shows a damaged file as such even where its lists were read. */
static void
ask_for_file_check (TtController *self)
{
  if (self->file_check_asked)
    return;

  self->file_check_asked = TRUE;
  self->current->n_pending++;
  tt_store_run_async (self->store, finish_check_job, NULL, NULL, NULL, NULL,
                      file_checked_cb, g_object_ref (self));
}

/* The op's lists, also after a failed command: part of it may have
 * happened, and the catalogue may be shared. The worker runs jobs in
 * order, so these see the command's result. */
static void
refresh_start (TtController *self)
{
  Op *op = self->current;

  op->n_pending = ((op->lists & LIST_TUTORIALS) != 0) + ((op->lists & LIST_TAGS) != 0);
  /* The stamp is read before the lists, so a change made between the
   * two is seen again by the next check rather than missed. */
  if (op->contents_changed)
    {
      op->n_pending++;
      tt_store_run_async (self->store, stamp_job, NULL, NULL, g_free, NULL,
                          refresh_stamp_cb, g_object_ref (self));
    }
  if (op->lists & LIST_TUTORIALS)
    tt_tutorial_results_refresh_async (self->tutorials, self->query, op->contents_changed, NULL,
                                       tutorials_refreshed_cb, g_object_ref (self));
  if (op->lists & LIST_TAGS)
    tt_store_list_tags_async (self->store, NULL, tags_listed_cb, g_object_ref (self));
  if (op_changes_untagged (op))
    {
      op->n_pending++;
      tt_store_run_async (self->store, count_untagged_job, NULL, NULL, g_free, NULL,
                          untagged_counted_cb, g_object_ref (self));
    }
  ask_for_file_check (self);
  if (op->n_pending == 0)
    op_finish (self);
}

/* ---- showing our own link changes without reading the lists ------- */

/* Whether the tutorials the query selects, or their order, can depend on
 * links: then the ids are read again (the objects are not). */
static gboolean
query_follows_links (const TtTutorialQuery *query)
{
  return query != NULL &&
         (query->n_tag_ids > 0 || query->match == TT_TAG_MATCH_UNTAGGED ||
          (query->text != NULL && query->text[0] != '\0'));
}

static gboolean
find_tag (GListModel *tags,
          gint64      id,
          guint      *position)
{
  guint n = g_list_model_get_n_items (tags);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      *position = i;
      if (tt_tag_get_id (tag) >= id)
        return tt_tag_get_id (tag) == id;
    }

  *position = n;
  return FALSE;
}

/* The sidebar's tag, with its new count; added or removed when the
 * change made or deleted it. Tags are listed by id, as the store lists
 * them. */
static void
apply_to_tag_list (TtController       *self,
                   const TtLinkChange *change)
{
  g_autoptr(TtTag) current = NULL;
  g_autoptr(TtTag) updated = NULL;
  guint position;
  gboolean found = find_tag (G_LIST_MODEL (self->tags), tt_tag_get_id (change->tag), &position);
  /* What the store wrote into the new links (whole seconds); a removed
   * link leaves the last use as it was until the tags are read again. */
  g_autoptr(GDateTime) exact = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) now = g_date_time_add (exact, -(g_date_time_get_microsecond (exact)));
  guint count;

  if (change->tag_deleted)
    {
      if (found)
        g_list_store_remove (self->tags, position);
      return;
    }

  current = found ? g_list_model_get_item (G_LIST_MODEL (self->tags), position) : NULL;
  count = current != NULL ? tt_tag_get_tutorial_count (current) : 0;
  count = change->added ? count + change->tutorial_ids->len
                        : count - MIN (count, change->tutorial_ids->len);
  updated = tt_tag_new (tt_tag_get_id (change->tag), tt_tag_get_name (change->tag));
  tt_tag_set_colour (updated, tt_tag_get_colour (current != NULL ? current : change->tag));
  tt_tag_set_created_at (updated, tt_tag_get_created_at (current != NULL ? current : change->tag));
  tt_tag_set_updated_at (updated, tt_tag_get_updated_at (current != NULL ? current : change->tag));
  tt_tag_set_tutorial_count (updated, count);
  tt_tag_set_last_linked_at (updated, change->added ? now
                                     : current != NULL ? tt_tag_get_last_linked_at (current) : NULL);
  g_list_store_splice (self->tags, position, found ? 1 : 0, (gpointer *) &updated, 1);
}

/* A copy of @tutorial with @tag added (kept in id order) or removed. */
static TtTutorial *
retagged (TtTutorial *tutorial,
          TtTag      *tag,
          gboolean    added)
{
  TtTutorial *copy = tt_tutorial_dup (tutorial);
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  GListModel *old = tt_tutorial_get_tags (tutorial);
  guint position;
  gboolean found;

  for (guint i = 0; i < g_list_model_get_n_items (old); i++)
    {
      g_autoptr(TtTag) item = g_list_model_get_item (old, i);

      g_list_store_append (tags, item);
    }

  found = find_tag (G_LIST_MODEL (tags), tt_tag_get_id (tag), &position);
  if (added && !found)
    g_list_store_insert (tags, position, tag);
  else if (!added && found)
    g_list_store_remove (tags, position);

  tt_tutorial_set_tags (copy, G_LIST_MODEL (tags));
  return copy;
}

static void
apply_to_tutorials (TtController       *self,
                    const TtLinkChange *change)
{
  g_autoptr(GPtrArray) newer = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TtTag) bare = tt_tag_new (tt_tag_get_id (change->tag), tt_tag_get_name (change->tag));
  g_autoptr(TtTag) listed = NULL;
  guint position;

  /* A command knows its tag by id and name; the sidebar knows its colour. */
  if (find_tag (G_LIST_MODEL (self->tags), tt_tag_get_id (change->tag), &position))
    listed = g_list_model_get_item (G_LIST_MODEL (self->tags), position);
  tt_tag_set_colour (bare, tt_tag_get_colour (listed != NULL ? listed : change->tag));

  for (guint i = 0; i < change->tutorial_ids->len; i++)
    {
      gint64 id = g_array_index (change->tutorial_ids, gint64, i);
      TtTutorial *shown = tt_tutorial_results_peek (self->tutorials, id);

      /* Not loaded: it will be read as it is now when a view needs it. */
      if (shown != NULL)
        g_ptr_array_add (newer, retagged (shown, bare, change->added));
    }

  tt_tutorial_results_update (self->tutorials, newer);
}

/* How @change moves "Untagged", from the tags its tutorials had: a first
 * tag takes one out, the last one's removal puts it in. FALSE when a
 * tutorial is not loaded (its tags unknown here): the store counts. */
static gboolean
untagged_delta (TtController       *self,
                const TtLinkChange *change,
                gint64             *delta)
{
  guint position;

  *delta = 0;
  for (guint i = 0; i < change->tutorial_ids->len; i++)
    {
      gint64 id = g_array_index (change->tutorial_ids, gint64, i);
      TtTutorial *shown = tt_tutorial_results_peek (self->tutorials, id);
      GListModel *tags = shown != NULL ? tt_tutorial_get_tags (shown) : NULL;
      guint n = tags != NULL ? g_list_model_get_n_items (tags) : 0;

      if (shown == NULL)
        return FALSE;
      if (change->added && n == 0)
        (*delta)--;
      else if (!change->added && n == 1 && find_tag (tags, tt_tag_get_id (change->tag), &position))
        (*delta)++;
    }

  return TRUE;
}

/* A chip on a shown tutorial costs no count (the round trips the tests
 * allow a chip). */
static void
apply_to_untagged (TtController       *self,
                   Op                 *op,
                   const TtLinkChange *change)
{
  gint64 delta;

  if (self->untagged_count < 0 || !untagged_delta (self, change, &delta))
    return;

  set_untagged_count (self, MAX (self->untagged_count + delta, 0));
  op->untagged_applied = TRUE;
}

/* A command that only changed links (a chip added or removed, a tag
 * given to many tutorials, and their undo and redo) is shown at once
 * from what the store said it did.
 *
 * On SQLite nothing is read again but the ids of a query that links
 * decide: the change check's PRAGMA data_version counts only the other
 * connections' commits, so it stays right. On MySQL the check's stamp
 * sums the tables: our own change moves it, and reading it again would
 * also swallow a change another client made meanwhile (the two-clients
 * test sees that). There the lists are read again as after any command,
 * until a change journal tells our changes from others'. */
static void
apply_link_change (TtController *self,
                   Op           *op)
{
  const TtLinkChange *change = tt_undo_command_get_link_change (op->command);

  if (change == NULL)
    return;

  apply_to_tag_list (self, change);
  apply_to_untagged (self, op, change);
  apply_to_tutorials (self, change);
  if (tt_store_get_backend (self->store) == TT_DB_BACKEND_MYSQL)
    return;

  op->lists = query_follows_links (self->query) ? LIST_TUTORIALS : 0;
  op->contents_changed = FALSE;
}

/* ---- history --------------------------------------------------------- */

static gboolean
replace_string (char **field,
                char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return FALSE;
    }

  g_free (*field);
  *field = value;
  return TRUE;
}

static char *
make_label (GPtrArray *stack,
            gboolean   undo)
{
  g_autofree char *what = NULL;

  if (stack->len == 0)
    return NULL;

  what = tt_undo_command_describe (g_ptr_array_index (stack, stack->len - 1));
  /* Translators: %s says what is undone (redone), such as Delete “Tut#1” */
  return undo ? g_strdup_printf (_("Undo %s"), what) : g_strdup_printf (_("Redo %s"), what);
}

static void
set_flag (TtController *self,
          guint         prop_id,
          gboolean      value)
{
  gboolean old = prop_id == PROP_CAN_UNDO ? self->can_undo : self->can_redo;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->edit_actions),
                                                prop_id == PROP_CAN_UNDO ? "undo" : "redo");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), value);
  if (old == value)
    return;

  if (prop_id == PROP_CAN_UNDO)
    self->can_undo = value;
  else
    self->can_redo = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
history_changed (TtController *self)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  set_flag (self, PROP_CAN_UNDO, self->undo_stack->len > 0);
  set_flag (self, PROP_CAN_REDO, self->redo_stack->len > 0);
  if (replace_string (&self->undo_label, make_label (self->undo_stack, TRUE)))
    g_object_notify_by_pspec (object, properties[PROP_UNDO_LABEL]);
  if (replace_string (&self->redo_label, make_label (self->redo_stack, FALSE)))
    g_object_notify_by_pspec (object, properties[PROP_REDO_LABEL]);
  g_object_thaw_notify (object);
}

static void
push_undo (TtController  *self,
           TtUndoCommand *command)
{
  g_ptr_array_add (self->undo_stack, command);
  if (self->undo_stack->len > UNDO_LIMIT)
    g_ptr_array_remove_index (self->undo_stack, 0);
}

static void
history_commit (TtController *self,
                Op           *op)
{
  switch (op->kind)
    {
    case OP_APPLY:
      g_set_object (&op->created, tt_undo_command_get_created (op->command));
      if (tt_undo_command_changed_nothing (op->command))
        return;
      push_undo (self, g_steal_pointer (&op->command));
      g_ptr_array_set_size (self->redo_stack, 0);
      break;

    case OP_UNDO:
      g_ptr_array_add (self->redo_stack,
                       g_ptr_array_steal_index (self->undo_stack, self->undo_stack->len - 1));
      break;

    case OP_REDO:
      push_undo (self, g_ptr_array_steal_index (self->redo_stack, self->redo_stack->len - 1));
      break;

    case OP_REFRESH:
    default:
      g_assert_not_reached ();
    }

  history_changed (self);
}

/* ---- running commands ------------------------------------------------ */

static gpointer
apply_job (TtStore   *store,
           gpointer   data,
           GError   **error)
{
  return tt_undo_command_apply (data, store, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
revert_job (TtStore   *store,
            gpointer   data,
            GError   **error)
{
  return tt_undo_command_revert (data, store, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/* ---- changes elsewhere, and the connection coming back ------------- */

/* Could not reach the catalogue at all: nothing was sent, so the command
 * can safely be sent again. (A connection lost during a write is not
 * this: the write may have happened, and is reported as such.) */
static gboolean
is_unreachable (const GError *error)
{
  return g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_FAILED) ||
         g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_TIMED_OUT);
}

static gboolean
is_connection_trouble (const GError *error)
{
  return is_unreachable (error) ||
         g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST);
}

static void
set_offline (TtController *self,
             gboolean      offline)
{
  if (self->offline == offline)
    return;

  self->offline = offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

/* Keeps the change to send when the connection is back, and says so. */
static void
keep_unsent (TtController *self,
             Op           *op)
{
  g_ptr_array_add (self->unsent, g_steal_pointer (&op->command));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNSENT]);
  set_offline (self, TRUE);
  /* Not "your change was not saved" (the table's sentence for the
   * store's error): it will be. */
  g_debug ("Kept to send later: %s", op->error->message);
  g_clear_error (&op->error);
  op->error = g_error_new_literal (TT_CONTROLLER_ERROR, TT_CONTROLLER_ERROR_NOT_SAVED_YET,
                                   _("Not saved yet: the database cannot be reached. "
                                     "The change will be saved when the connection is back."));
}

/* Sends, in order, what could not be sent. */
static void
send_unsent (TtController *self)
{
  g_autoptr(GPtrArray) unsent = g_steal_pointer (&self->unsent);

  self->unsent = g_ptr_array_new_with_free_func ((GDestroyNotify) tt_undo_command_free);
  if (unsent->len == 0)
    return;
  self->n_resending += unsent->len;
  while (unsent->len > 0)
    queue_op (self, OP_APPLY, g_ptr_array_steal_index (unsent, 0))->resent = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNSENT]);
  run_next (self);
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(TtController) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;
  g_autofree char *stamp = tt_store_run_finish (TT_STORE (source), result, &error);

  g_weak_ref_clear (weak);
  g_free (weak);
  if (self == NULL)
    return;

  self->checking = FALSE;
  if (stamp == NULL)
    {
      /* Not reaching the server is a state (::offline), not a failed
       * change; anything else (a damaged file) is said, once. */
      if (is_connection_trouble (error))
        set_offline (self, TRUE);
      /* Another program is making the tables again: the next check
       * adopts them once they are all there (tt_store_readopt()). */
      else if (g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_TABLES_CHANGED))
        return;
      else if (!self->offline)
        g_signal_emit (self, signals[ERROR], 0, error);
      return;
    }

  if (self->offline)
    {
      set_offline (self, FALSE);
      send_unsent (self);
      enqueue_external_refresh (self);
    }
  else if (g_strcmp0 (stamp, self->stamp) != 0)
    enqueue_external_refresh (self);
}

/* Only while nothing else runs: a command's own refresh reads the stamp.
 * A check does not keep the controller alive (it is not "busy"). */
static gboolean
check_cb (gpointer user_data)
{
  TtController *self = user_data;
  GWeakRef *weak;

  if (self->current == NULL && g_queue_is_empty (&self->queue) && !self->checking)
    {
      self->checking = TRUE;
      weak = g_new0 (GWeakRef, 1);
      g_weak_ref_init (weak, self);
      tt_store_run_async (self->store, stamp_job, NULL, NULL, g_free, NULL,
                          check_done_cb, weak);
    }
  return G_SOURCE_CONTINUE;
}

/* An undo (redo) that can no longer apply, because someone deleted or
 * renamed what it needs: trying again would fail the same way, so the
 * entry goes, and the message says so. */
static void
history_drop (TtController *self,
              Op           *op)
{
  GPtrArray *stack = op->kind == OP_UNDO ? self->undo_stack : self->redo_stack;
  g_autoptr(TtUndoCommand) command = g_ptr_array_steal_index (stack, stack->len - 1);
  g_autofree char *what = tt_undo_command_describe (command);
  GError *error = op->error;

  op->command = NULL;
  op->error = g_error_new (error->domain, error->code,
                           op->kind == OP_UNDO
                             ? _("Could not undo %s: %s It was taken off the undo history.")
                             : _("Could not redo %s: %s It was taken off the redo history."),
                           what, error->message);
  g_error_free (error);
  history_changed (self);
}

/* Once every change sent again after the connection came back has an
 * answer, says how many of them are now saved (::unsent-saved). */
static void
count_resent (TtController *self,
              gboolean      saved)
{
  if (saved)
    self->n_resent_saved++;
  if (--self->n_resending > 0)
    return;

  if (self->n_resent_saved > 0)
    g_signal_emit (self, signals[UNSENT_SAVED], 0, self->n_resent_saved);
  self->n_resent_saved = 0;
}

/* A failed command, undo or redo changed nothing (each is one
 * transaction). Without a connection it is kept to be tried again; an
 * undo or redo that fails otherwise is dropped (see history_drop()). */
static void
command_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TtController) self = user_data;
  Op *op = self->current;

  if (tt_store_run_finish (TT_STORE (source), result, &op->error) != NULL)
    {
      apply_link_change (self, op);
      history_commit (self, op);
    }
  else if (op->kind == OP_APPLY && is_unreachable (op->error))
    keep_unsent (self, op);
  else if (op->kind != OP_APPLY && !is_connection_trouble (op->error))
    history_drop (self, op);
  if (op->resent)
    count_resent (self, op->error == NULL);

  refresh_start (self);
}

static GPtrArray *
stack_for (TtController *self,
           OpKind        kind)
{
  return kind == OP_UNDO ? self->undo_stack : self->redo_stack;
}

static void
run_next (TtController *self)
{
  Op *op;

  while (self->current == NULL && (op = g_queue_pop_head (&self->queue)) != NULL)
    {
      GPtrArray *stack = stack_for (self, op->kind);

      if (op->kind == OP_UNDO || op->kind == OP_REDO)
        {
          /* An earlier undo (redo) may have emptied the stack. */
          if (stack->len == 0)
            {
              op_free (op);
              continue;
            }
          op->command = g_ptr_array_index (stack, stack->len - 1);
        }

      self->current = op;
      if (op->kind == OP_REFRESH)
        refresh_start (self);
      else
        tt_store_run_async (self->store, op->kind == OP_UNDO ? revert_job : apply_job,
                            op->command, NULL, NULL, NULL,
                            command_done_cb, g_object_ref (self));
    }

  if (self->current == NULL)
    set_busy (self, FALSE);
}

/* ---- public entry points --------------------------------------------- */

void
tt_controller_create_tutorial (TtController *self,
                               const char   *title,
                               const char   *description)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  enqueue (self, OP_APPLY, tt_undo_command_create_tutorial (title, description));
}

/* A NULL @title or @description keeps the current one. */
void
tt_controller_update_tutorial (TtController *self,
                               gint64        tutorial_id,
                               const char   *title,
                               const char   *description)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  enqueue (self, OP_APPLY, tt_undo_command_update_tutorial (tutorial_id, title, description));
}

void
tt_controller_delete_tutorial (TtController *self,
                               gint64        tutorial_id)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  tt_controller_delete_tutorials (self, &tutorial_id, 1);
}

void
tt_controller_delete_tutorials (TtController *self,
                                const gint64 *tutorial_ids,
                                guint         n_tutorial_ids)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));
  g_return_if_fail (tutorial_ids != NULL || n_tutorial_ids == 0);

  if (n_tutorial_ids > 0)
    enqueue (self, OP_APPLY, tt_undo_command_delete_tutorials (tutorial_ids, n_tutorial_ids));
}

/* @tag_id, or when it is 0 the tag called @name in any case, made when
 * there is none. */
void
tt_controller_add_tag (TtController *self,
                       gint64        tutorial_id,
                       gint64        tag_id,
                       const char   *name)
{
  g_autoptr(TtTag) tag = NULL;

  g_return_if_fail (TT_IS_CONTROLLER (self));

  tag = tt_tag_new (tag_id, name);
  enqueue (self, OP_APPLY, tt_undo_command_add_tag (tutorial_id, tag));
}

/* @tag_id, or when it is 0 the tag called @name in any case: a chip
 * removed before the tag it names was made is removed by name once the
 * commands before it have run. */
void
tt_controller_remove_tag (TtController *self,
                          gint64        tutorial_id,
                          gint64        tag_id,
                          const char   *name)
{
  g_autoptr(TtTag) tag = NULL;

  g_return_if_fail (TT_IS_CONTROLLER (self));

  tag = tt_tag_new (tag_id, name);
  enqueue (self, OP_APPLY, tt_undo_command_remove_tag (tutorial_id, tag));
}

void
tt_controller_create_tag (TtController *self,
                          const char   *name)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  enqueue (self, OP_APPLY, tt_undo_command_create_tag (name));
}

/* Onto another tag's name (in any case), this merges into that tag. */
void
tt_controller_rename_tag (TtController *self,
                          gint64        tag_id,
                          const char   *new_name)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  enqueue (self, OP_APPLY, tt_undo_command_rename_tag (tag_id, new_name));
}

void
tt_controller_delete_tag (TtController *self,
                          gint64        tag_id)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  enqueue (self, OP_APPLY, tt_undo_command_delete_tag (tag_id));
}

/* @colour: a palette name (tt_rules_tag_colours()), or NULL or "" for
 * none. An unknown name fails as the command runs, with the rules'
 * sentence. */
void
tt_controller_set_tag_colour (TtController *self,
                              gint64        tag_id,
                              const char   *colour)
{
  g_autoptr(TtTag) tag = NULL;
  guint position;

  g_return_if_fail (TT_IS_CONTROLLER (self));

  if (find_tag (G_LIST_MODEL (self->tags), tag_id, &position))
    tag = g_list_model_get_item (G_LIST_MODEL (self->tags), position);
  enqueue (self, OP_APPLY, tt_undo_command_set_tag_colour (tag_id, tag != NULL ? tt_tag_get_name (tag) : NULL,
                                                           colour));
}

/* The tag called @name, made when there is none; one undo. */
void
tt_controller_add_named_tag_to_tutorials (TtController *self,
                                          const gint64 *tutorial_ids,
                                          guint         n_tutorial_ids,
                                          const char   *name)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  enqueue (self, OP_APPLY, tt_undo_command_link_many_by_name (tutorial_ids, n_tutorial_ids, name));
}

/* Those of @tag_ids that are still unused when it runs; one undo. */
void
tt_controller_delete_unused_tags (TtController *self,
                                  const gint64 *tag_ids,
                                  guint         n_tag_ids)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  if (n_tag_ids > 0)
    enqueue (self, OP_APPLY, tt_undo_command_delete_unused_tags (tag_ids, n_tag_ids));
}

void
tt_controller_add_tag_to_tutorials (TtController *self,
                                    const gint64 *tutorial_ids,
                                    guint         n_tutorial_ids,
                                    gint64        tag_id)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));
  g_return_if_fail (tutorial_ids != NULL || n_tutorial_ids == 0);

  enqueue (self, OP_APPLY, tt_undo_command_link_many (tutorial_ids, n_tutorial_ids, tag_id, TRUE));
}

void
tt_controller_remove_tag_from_tutorials (TtController *self,
                                         const gint64 *tutorial_ids,
                                         guint         n_tutorial_ids,
                                         gint64        tag_id)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));
  g_return_if_fail (tutorial_ids != NULL || n_tutorial_ids == 0);

  enqueue (self, OP_APPLY, tt_undo_command_link_many (tutorial_ids, n_tutorial_ids, tag_id, FALSE));
}

static void
queue_history_op (TtController *self,
                  OpKind        kind)
{
  /* Nothing to undo and nothing on its way that could give us some. */
  if (stack_for (self, kind)->len == 0 && self->current == NULL &&
      g_queue_is_empty (&self->queue))
    return;

  enqueue (self, kind, NULL);
}

void
tt_controller_undo (TtController *self)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  queue_history_op (self, OP_UNDO);
}

void
tt_controller_redo (TtController *self)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  queue_history_op (self, OP_REDO);
}

/* Copies @query (NULL: every tutorial) and lists what it selects. */
void
tt_controller_set_query (TtController          *self,
                         const TtTutorialQuery *query)
{
  g_return_if_fail (TT_IS_CONTROLLER (self));

  /* The search entry says "changed" for the text it started with, the
   * sidebar for the row it selects: not worth reading 100 000 ids again. */
  if (tt_tutorial_query_equal (self->query, query))
    return;

  tt_tutorial_query_free (self->query);
  self->query = tt_tutorial_query_copy (query);
  enqueue_refresh (self, LIST_TUTORIALS, FALSE);
}

/* ---- actions --------------------------------------------------------- */

static void
tutorial_create_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  const char *title;
  const char *description;

  g_variant_get (parameter, "(&s&s)", &title, &description);
  tt_controller_create_tutorial (user_data, title, description);
}

static void
tutorial_update_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  gint64 id;
  const char *title;
  const char *description;

  g_variant_get (parameter, "(x&s&s)", &id, &title, &description);
  tt_controller_update_tutorial (user_data, id, title, description);
}

static void
tutorial_delete_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  tt_controller_delete_tutorial (user_data, g_variant_get_int64 (parameter));
}

static void
tutorial_delete_many_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  gsize n = 0;
  const gint64 *ids = g_variant_get_fixed_array (parameter, &n, sizeof (gint64));

  tt_controller_delete_tutorials (user_data, ids, n);
}

static void
tutorial_add_tag_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  gint64 id;
  const char *name;

  g_variant_get (parameter, "(x&s)", &id, &name);
  tt_controller_add_tag (user_data, id, 0, name);
}

static void
tutorial_add_known_tag_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  gint64 tutorial_id;
  gint64 tag_id;
  const char *name;

  g_variant_get (parameter, "(xx&s)", &tutorial_id, &tag_id, &name);
  tt_controller_add_tag (user_data, tutorial_id, tag_id, name);
}

static void
tutorial_remove_tag_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  gint64 tutorial_id;
  gint64 tag_id;

  g_variant_get (parameter, "(xx)", &tutorial_id, &tag_id);
  tt_controller_remove_tag (user_data, tutorial_id, tag_id, NULL);
}

static void
tutorial_remove_tag_by_name_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  gint64 tutorial_id;
  const char *name;

  g_variant_get (parameter, "(x&s)", &tutorial_id, &name);
  tt_controller_remove_tag (user_data, tutorial_id, 0, name);
}

static void
tag_create_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  tt_controller_create_tag (user_data, g_variant_get_string (parameter, NULL));
}

static void
tag_rename_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  gint64 id;
  const char *name;

  g_variant_get (parameter, "(x&s)", &id, &name);
  tt_controller_rename_tag (user_data, id, name);
}

static void
tag_delete_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  tt_controller_delete_tag (user_data, g_variant_get_int64 (parameter));
}

static void
tag_set_colour_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  gint64 id;
  const char *colour;

  g_variant_get (parameter, "(x&s)", &id, &colour);
  tt_controller_set_tag_colour (user_data, id, colour);
}

static void
tag_add_named_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  g_autoptr(GVariant) ids = NULL;
  const char *name;
  gsize n = 0;
  const gint64 *tutorial_ids;

  g_variant_get (parameter, "(@ax&s)", &ids, &name);
  tutorial_ids = g_variant_get_fixed_array (ids, &n, sizeof (gint64));
  tt_controller_add_named_tag_to_tutorials (user_data, tutorial_ids, n, name);
}

static void
tag_delete_unused_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  gsize n = 0;
  const gint64 *ids = g_variant_get_fixed_array (parameter, &n, sizeof (gint64));

  tt_controller_delete_unused_tags (user_data, ids, n);
}

static void
tag_links_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  g_autoptr(GVariant) ids = NULL;
  const gint64 *tutorial_ids;
  gsize n = 0;
  gint64 tag_id;

  g_variant_get (parameter, "(@axx)", &ids, &tag_id);
  tutorial_ids = g_variant_get_fixed_array (ids, &n, sizeof (gint64));
  if (g_str_equal (g_action_get_name (G_ACTION (action)), "add-to-tutorials"))
    tt_controller_add_tag_to_tutorials (user_data, tutorial_ids, n, tag_id);
  else
    tt_controller_remove_tag_from_tutorials (user_data, tutorial_ids, n, tag_id);
}

static void
edit_undo_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  tt_controller_undo (user_data);
}

static void
edit_redo_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  tt_controller_redo (user_data);
}

static const GActionEntry tutorial_entries[] = {
  { "create", tutorial_create_action, "(ss)" },
  { "update", tutorial_update_action, "(xss)" },
  { "delete", tutorial_delete_action, "x" },
  { "delete-many", tutorial_delete_many_action, "ax" },
  /* by name, in any case: made when there is none */
  { "add-tag", tutorial_add_tag_action, "(xs)" },
  /* (tutorial, tag id, the tag's name) */
  { "add-known-tag", tutorial_add_known_tag_action, "(xxs)" },
  { "remove-tag", tutorial_remove_tag_action, "(xx)" },
  { "remove-tag-by-name", tutorial_remove_tag_by_name_action, "(xs)" },
};

static const GActionEntry tag_entries[] = {
  { "create", tag_create_action, "s" },
  { "rename", tag_rename_action, "(xs)" },
  { "delete", tag_delete_action, "x" },
  /* (tag id, a palette name or "" for none) */
  { "set-colour", tag_set_colour_action, "(xs)" },
  /* those of the tags still unused when it runs */
  { "delete-unused", tag_delete_unused_action, "ax" },
  { "add-to-tutorials", tag_links_action, "(axx)" },
  /* by name, made when there is none */
  { "add-named-to-tutorials", tag_add_named_action, "(axs)" },
  { "remove-from-tutorials", tag_links_action, "(axx)" },
};

static const GActionEntry edit_entries[] = {
  { "undo", edit_undo_action },
  { "redo", edit_redo_action },
};

static GSimpleActionGroup *
make_group (TtController       *self,
            const GActionEntry *entries,
            guint               n_entries)
{
  GSimpleActionGroup *group = g_simple_action_group_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, n_entries, self);
  return group;
}

/* The actions point at us without a reference: take them out so that a
 * window still holding a group cannot reach a finalized controller. */
static void
clear_group (GSimpleActionGroup **group)
{
  g_auto(GStrv) names = NULL;

  if (*group == NULL)
    return;

  names = g_action_group_list_actions (G_ACTION_GROUP (*group));
  for (guint i = 0; names[i] != NULL; i++)
    g_action_map_remove_action (G_ACTION_MAP (*group), names[i]);
  g_clear_object (group);
}

/* ---- object ---------------------------------------------------------- */

TtController *
tt_controller_new (TtStore *store)
{
  g_return_val_if_fail (TT_IS_STORE (store), NULL);

  return g_object_new (TT_TYPE_CONTROLLER, "store", store, NULL);
}

static gboolean
first_load_cb (gpointer user_data)
{
  TtController *self = user_data;

  self->first_load = 0;
  run_next (self);
  return G_SOURCE_REMOVE;
}

static void
tutorials_load_failed_cb (TtController *self,
                          GError       *error)
{
  g_signal_emit (self, signals[ERROR], 0, error);
}

static void
tt_controller_constructed (GObject *object)
{
  TtController *self = (TtController *)object;

  G_OBJECT_CLASS (tt_controller_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  self->tutorials = tt_tutorial_results_new (self->store);
  g_signal_connect_object (self->tutorials, "load-failed",
                           G_CALLBACK (tutorials_load_failed_cb), self, G_CONNECT_SWAPPED);

  /* Queued, not started: a query set right after construction (as a
   * window does) joins this first load instead of making a second. */
  queue_op (self, OP_REFRESH, NULL);
  self->first_load = g_idle_add_full (G_PRIORITY_HIGH_IDLE, first_load_cb, self, NULL);
  self->check_source = g_timeout_add_seconds (CHECK_SECONDS, check_cb, self);
}

static void
tt_controller_dispose (GObject *object)
{
  TtController *self = (TtController *)object;

  g_clear_handle_id (&self->first_load, g_source_remove);
  g_clear_handle_id (&self->check_source, g_source_remove);
  clear_group (&self->tutorial_actions);
  clear_group (&self->tag_actions);
  clear_group (&self->edit_actions);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tt_controller_parent_class)->dispose (object);
}

static void
tt_controller_finalize (GObject *object)
{
  TtController *self = (TtController *)object;

  /* Every running op holds a reference, so none is left here. */
  g_assert (self->current == NULL);
  g_queue_clear_full (&self->queue, (GDestroyNotify) op_free);
  g_clear_pointer (&self->undo_stack, g_ptr_array_unref);
  g_clear_pointer (&self->redo_stack, g_ptr_array_unref);
  g_clear_object (&self->tutorials);
  g_clear_object (&self->tags);
  g_clear_pointer (&self->query, tt_tutorial_query_free);
  g_clear_pointer (&self->stamp, g_free);
  g_clear_pointer (&self->unsent, g_ptr_array_unref);
  g_free (self->undo_label);
  g_free (self->redo_label);

  G_OBJECT_CLASS (tt_controller_parent_class)->finalize (object);
}

static void
tt_controller_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TtController *self = TT_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_TUTORIALS:
      g_value_set_object (value, self->tutorials);
      break;

    case PROP_TAGS:
      g_value_set_object (value, self->tags);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->can_undo);
      break;

    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->can_redo);
      break;

    case PROP_UNDO_LABEL:
      g_value_set_string (value, self->undo_label);
      break;

    case PROP_REDO_LABEL:
      g_value_set_string (value, self->redo_label);
      break;

    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;

    case PROP_N_UNSENT:
      g_value_set_uint (value, self->unsent->len);
      break;

    case PROP_UNTAGGED_COUNT:
      g_value_set_int64 (value, self->untagged_count);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_controller_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TtController *self = TT_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_properties (GObjectClass *object_class)
{
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TUTORIALS] =
    g_param_spec_object ("tutorials", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_TAGS] =
    g_param_spec_object ("tags", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, ro);
  properties[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, NULL, NULL, ro);
  properties[PROP_REDO_LABEL] = g_param_spec_string ("redo-label", NULL, NULL, NULL, ro);
  /* The catalogue could not be reached at the last try (a check or a
   * command); changes wait in n-unsent until it can. */
  properties[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE, ro);
  /* How many tutorials have no tag; -1 until first counted. */
  properties[PROP_UNTAGGED_COUNT] =
    g_param_spec_int64 ("untagged-count", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_N_UNSENT] = g_param_spec_uint ("n-unsent", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
install_signals (GObjectClass *object_class)
{
  GType type = G_TYPE_FROM_CLASS (object_class);

  /**
   * TtController::changed:
   *
   * An action, undo, redo or refresh is done and both models show its
   * result.
   */
  signals[CHANGED] =
    g_signal_new ("changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * TtController::error:
   * @error: the store's error, unchanged
   *
   * An action, undo, redo or refresh failed; the models were reloaded and
   * the undo history is as before.
   */
  signals[ERROR] =
    g_signal_new ("error", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * TtController::created:
   * @object: the new TtTutorial or TtTag
   *
   * tutorial.create or tag.create succeeded (not on redo), just before
   * ::changed: the window can select what the person made.
   */
  signals[CREATED] =
    g_signal_new ("created", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_OBJECT);

  /**
   * TtController::unsent-saved:
   * @n_saved: how many of the changes kept while offline are now saved
   *
   * The connection came back and the changes kept meanwhile (see
   * TtController:n-unsent) were sent again; emitted once all of them
   * have an answer, when at least one was saved.
   */
  signals[UNSENT_SAVED] =
    g_signal_new ("unsent-saved", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
tt_controller_class_init (TtControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tt_controller_constructed;
  object_class->dispose = tt_controller_dispose;
  object_class->finalize = tt_controller_finalize;
  object_class->get_property = tt_controller_get_property;
  object_class->set_property = tt_controller_set_property;

  install_properties (object_class);
  install_signals (object_class);
}

static void
tt_controller_init (TtController *self)
{
  self->tags = g_list_store_new (TT_TYPE_TAG);
  self->untagged_count = -1;
  self->query = tt_tutorial_query_copy (NULL);
  self->unsent = g_ptr_array_new_with_free_func ((GDestroyNotify) tt_undo_command_free);
  self->undo_stack = g_ptr_array_new_with_free_func ((GDestroyNotify) tt_undo_command_free);
  self->redo_stack = g_ptr_array_new_with_free_func ((GDestroyNotify) tt_undo_command_free);
  g_queue_init (&self->queue);

  self->tutorial_actions = make_group (self, tutorial_entries, G_N_ELEMENTS (tutorial_entries));
  self->tag_actions = make_group (self, tag_entries, G_N_ELEMENTS (tag_entries));
  self->edit_actions = make_group (self, edit_entries, G_N_ELEMENTS (edit_entries));
  history_changed (self);
}

/* ---- accessors ------------------------------------------------------- */

TtStore *
tt_controller_get_store (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), NULL);

  return self->store;
}

/**
 * tt_controller_get_action_group:
 * @prefix: "tutorial", "tag" or "edit"
 *
 * Returns: (transfer none): the actions to insert under @prefix
 */
GActionGroup *
tt_controller_get_action_group (TtController *self,
                                const char   *prefix)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  if (g_str_equal (prefix, "tutorial"))
    return G_ACTION_GROUP (self->tutorial_actions);
  if (g_str_equal (prefix, "tag"))
    return G_ACTION_GROUP (self->tag_actions);
  if (g_str_equal (prefix, "edit"))
    return G_ACTION_GROUP (self->edit_actions);

  g_return_val_if_reached (NULL);
}

/* Returns: (transfer none): a GListModel of TtTutorial, with their tags */
GListModel *
tt_controller_get_tutorials (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), NULL);

  return G_LIST_MODEL (self->tutorials);
}

/* Returns: (transfer none): a GListModel of TtTag, with their counts */
/* Returns: how many tutorials have no tag, or -1 before they are counted */
gint64
tt_controller_get_untagged_count (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), -1);

  return self->untagged_count;
}

GListModel *
tt_controller_get_tags (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), NULL);

  return G_LIST_MODEL (self->tags);
}

/**
 * tt_controller_is_refreshing_external:
 *
 * Whether the lists are being read again because someone else (another
 * window, the CLI, the Node.js app) changed the catalogue: what changes
 * in them now was not done here.
 */
gboolean
tt_controller_is_refreshing_external (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), FALSE);

  return self->current != NULL && self->current->external;
}

gboolean
tt_controller_get_busy (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), FALSE);

  return self->busy;
}

gboolean
tt_controller_get_offline (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), FALSE);

  return self->offline;
}

guint
tt_controller_get_n_unsent (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), 0);

  return self->unsent->len;
}

gboolean
tt_controller_get_can_undo (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), FALSE);

  return self->can_undo;
}

gboolean
tt_controller_get_can_redo (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), FALSE);

  return self->can_redo;
}

const char *
tt_controller_get_undo_label (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), NULL);

  return self->undo_label;
}

const char *
tt_controller_get_redo_label (TtController *self)
{
  g_return_val_if_fail (TT_IS_CONTROLLER (self), NULL);

  return self->redo_label;
}
