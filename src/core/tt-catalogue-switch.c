/* tt-catalogue-switch.c: moving to another catalogue, all or nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Open the new location → count both catalogues → ask whether to copy →
 * copy (one transaction on the target) → save the location in GSettings
 * and the MySQL password in the keyring → hand over the new store. Each
 * step starts only when the one before worked; a failure or a cancel
 * before SAVING leaves the settings, the keyring and the new database as
 * they were, and whoever owns the current catalogue keeps it. No GTK
 * here: Preferences shows the steps, the application acts on the end,
 * the CLI's "copy" runs the copy alone, and the tests need no display.
 */

#define G_LOG_DOMAIN "tt-catalogue-switch"

#include "config.h"

#include "tt-catalogue-switch.h"
#include "tt-db-settings.h"
#include "tt-secret.h"

typedef struct
{
  gint64 n_tutorials;
  gint64 n_tags;
} Counts;

struct _TtCatalogueSwitch
{
  GObject                 parent_instance;

  TtStore                *source;       /* NULL: nothing to copy from */
  TtDbLocation           *current;      /* NULL for a copy */
  TtDbLocation           *location;
  char                   *password;
  GSettings              *settings;
  guint                   copy_only : 1;

  TtCatalogueSwitchState  state;
  TtCatalogueSwitchState  last_step;
  /* Set while running: the caller of run_async() waits on it. */
  GTask                  *task;
  GCancellable           *cancellable;
  /* The new catalogue, once open; handed over only at DONE. */
  TtStore                *store;
  Counts                  source_counts;
  Counts                  target_counts;
  double                  fraction;
  TtCopyReport            report;
  guint                   copied : 1;
  GError                 *error;
  GError                 *keyring_error;
};

G_DEFINE_FINAL_TYPE (TtCatalogueSwitch, tt_catalogue_switch, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (TtCatalogueSwitchState, tt_catalogue_switch_state,
  G_DEFINE_ENUM_VALUE (TT_CATALOGUE_SWITCH_STATE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (TT_CATALOGUE_SWITCH_STATE_OPENING, "opening"),
  G_DEFINE_ENUM_VALUE (TT_CATALOGUE_SWITCH_STATE_COUNTING, "counting"),
  G_DEFINE_ENUM_VALUE (TT_CATALOGUE_SWITCH_STATE_NEEDS_DECISION, "needs-decision"),
  G_DEFINE_ENUM_VALUE (TT_CATALOGUE_SWITCH_STATE_COPYING, "copying"),
  G_DEFINE_ENUM_VALUE (TT_CATALOGUE_SWITCH_STATE_SAVING, "saving"),
  G_DEFINE_ENUM_VALUE (TT_CATALOGUE_SWITCH_STATE_DONE, "done"),
  G_DEFINE_ENUM_VALUE (TT_CATALOGUE_SWITCH_STATE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (TT_CATALOGUE_SWITCH_STATE_CANCELLED, "cancelled"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_SOURCE_N_TUTORIALS,
  PROP_SOURCE_N_TAGS,
  PROP_TARGET_N_TUTORIALS,
  PROP_TARGET_N_TAGS,
  PROP_FRACTION,
  PROP_STORE,
  N_PROPS
};

enum {
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static TtCatalogueSwitch *
tt_catalogue_switch_new_internal (TtStore            *source,
                                  const TtDbLocation *location,
                                  const char         *password)
{
  TtCatalogueSwitch *self = g_object_new (TT_TYPE_CATALOGUE_SWITCH, NULL);

  g_set_object (&self->source, source);
  self->location = tt_db_location_copy (location);
  self->password = g_strdup (password);
  return self;
}

TtCatalogueSwitch *
tt_catalogue_switch_new (TtStore            *source,
                         const TtDbLocation *current,
                         const TtDbLocation *location,
                         const char         *password,
                         GSettings          *settings)
{
  TtCatalogueSwitch *self;

  g_return_val_if_fail (source == NULL || TT_IS_STORE (source), NULL);
  g_return_val_if_fail (current != NULL, NULL);
  g_return_val_if_fail (location != NULL, NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = tt_catalogue_switch_new_internal (source, location, password);
  self->current = tt_db_location_copy (current);
  g_set_object (&self->settings, settings);
  return self;
}

TtCatalogueSwitch *
tt_catalogue_switch_new_copy (TtStore            *source,
                              const TtDbLocation *location,
                              const char         *password)
{
  TtCatalogueSwitch *self;

  g_return_val_if_fail (TT_IS_STORE (source), NULL);
  g_return_val_if_fail (location != NULL, NULL);

  self = tt_catalogue_switch_new_internal (source, location, password);
  self->copy_only = TRUE;
  return self;
}

/* ---- the state --------------------------------------------------------- */

static gboolean
is_end (TtCatalogueSwitchState state)
{
  return state >= TT_CATALOGUE_SWITCH_STATE_DONE;
}

static void
tt_catalogue_switch_set_state (TtCatalogueSwitch      *self,
                               TtCatalogueSwitchState  state)
{
  if (self->state == state)
    return;

  if (state == TT_CATALOGUE_SWITCH_STATE_FAILED || state == TT_CATALOGUE_SWITCH_STATE_CANCELLED)
    self->last_step = self->state;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

static void
tt_catalogue_switch_set_counts (TtCatalogueSwitch *self,
                                gboolean           target,
                                const Counts      *found)
{
  if (target)
    {
      self->target_counts = *found;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TARGET_N_TUTORIALS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TARGET_N_TAGS]);
    }
  else
    {
      self->source_counts = *found;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SOURCE_N_TUTORIALS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SOURCE_N_TAGS]);
    }
}

/* Takes @error. The new store was never handed over: let it go. */
static void
tt_catalogue_switch_fail (TtCatalogueSwitch *self,
                          GError            *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (self->store != NULL)
    tt_store_close (self->store);
  g_clear_object (&self->store);
  if (!cancelled)
    self->error = g_error_copy (error);

  tt_catalogue_switch_set_state (self, cancelled ? TT_CATALOGUE_SWITCH_STATE_CANCELLED
                                                 : TT_CATALOGUE_SWITCH_STATE_FAILED);
  g_task_return_error (task, error);
}

static void
tt_catalogue_switch_finish (TtCatalogueSwitch *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  tt_catalogue_switch_set_state (self, TT_CATALOGUE_SWITCH_STATE_DONE);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STORE]);
  g_task_return_pointer (task, g_object_ref (self->store), g_object_unref);
}

/* ---- saving ------------------------------------------------------------ */

static void
tt_catalogue_switch_stored_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(TtCatalogueSwitch) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The switch stands: only the next start will ask the keyring in vain,
   * and the owner can say so. */
  if (!tt_secret_store_finish (result, &error))
    {
      g_debug ("Could not keep the password in the keyring: %s", error->message);
      self->keyring_error = g_steal_pointer (&error);
    }
  tt_catalogue_switch_finish (self);
}

/* Everything worked: from here on the new catalogue is the one in use,
 * and a cancel comes too late. */
static void
tt_catalogue_switch_save (TtCatalogueSwitch *self)
{
  if (self->copy_only)
    {
      tt_catalogue_switch_finish (self);
      return;
    }

  tt_catalogue_switch_set_state (self, TT_CATALOGUE_SWITCH_STATE_SAVING);
  if (self->settings != NULL)
    tt_db_location_save_to_settings (self->location, self->settings);
  /* Never in the settings: only the keyring keeps it. Without one (the
   * keyring had none for app.switch-catalogue) there is nothing to keep. */
  if (self->location->backend != TT_DB_BACKEND_MYSQL || self->password == NULL)
    {
      tt_catalogue_switch_finish (self);
      return;
    }
  tt_secret_store_async (self->location, self->password, NULL,
                         tt_catalogue_switch_stored_cb, g_object_ref (self));
}

/* ---- copying ----------------------------------------------------------- */

static void
tt_catalogue_switch_progress (guint64  done,
                              guint64  total,
                              gpointer user_data)
{
  TtCatalogueSwitch *self = user_data;

  g_signal_emit (self, signals [PROGRESS], 0, done, total);
  if (total == 0)
    return;
  self->fraction = (double) done / (double) total;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FRACTION]);
}

static void
tt_catalogue_switch_copied_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(TtCatalogueSwitch) self = user_data;
  GError *error = NULL;

  /* Success stands even after a cancel: the copy is committed, and
   * saying otherwise would hide what the new database holds. */
  if (!tt_store_copy_into_finish (TT_STORE (object), result, &self->report, &error))
    {
      tt_catalogue_switch_fail (self, error);
      return;
    }
  self->copied = TRUE;
  tt_catalogue_switch_save (self);
}

static void
tt_catalogue_switch_start_copy (TtCatalogueSwitch *self)
{
  self->fraction = 0;
  tt_catalogue_switch_set_state (self, TT_CATALOGUE_SWITCH_STATE_COPYING);
  tt_store_copy_into_async (self->source, self->store, self->cancellable,
                            tt_catalogue_switch_progress, self,
                            tt_catalogue_switch_copied_cb, g_object_ref (self));
}

/* ---- opening and counting ---------------------------------------------- */

/* On a store's worker thread. */
static gpointer
count_job (TtStore  *store,
           gpointer  data,
           GError  **error)
{
  g_autofree Counts *counts = g_new0 (Counts, 1);

  if (!tt_store_count (store, &counts->n_tutorials, &counts->n_tags, error))
    return NULL;

  return g_steal_pointer (&counts);
}

/* The catalogue to switch to: its file checked first (tt_store_open_async()
 * leaves that for later), so that a damaged file is refused here, with
 * the catalogue in use kept, rather than switched to. */
static gpointer
check_and_count_job (TtStore  *store,
                     gpointer  data,
                     GError  **error)
{
  if (!tt_store_finish_check (store, error))
    return NULL;
  return count_job (store, data, error);
}

static void
tt_catalogue_switch_source_counted_cb (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  g_autoptr(TtCatalogueSwitch) self = user_data;
  GError *error = NULL;
  g_autofree Counts *counts = tt_store_run_finish (TT_STORE (object), result, &error);

  if (counts == NULL)
    {
      tt_catalogue_switch_fail (self, error);
      return;
    }

  tt_catalogue_switch_set_counts (self, FALSE, counts);
  /* Nothing to copy: no question to ask. */
  if (counts->n_tutorials == 0 && counts->n_tags == 0)
    tt_catalogue_switch_save (self);
  else
    tt_catalogue_switch_set_state (self, TT_CATALOGUE_SWITCH_STATE_NEEDS_DECISION);
}

static void
tt_catalogue_switch_target_counted_cb (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  g_autoptr(TtCatalogueSwitch) self = user_data;
  GError *error = NULL;
  g_autofree Counts *counts = tt_store_run_finish (TT_STORE (object), result, &error);

  if (counts == NULL)
    {
      tt_catalogue_switch_fail (self, error);
      return;
    }

  tt_catalogue_switch_set_counts (self, TRUE, counts);
  if (self->copy_only)
    tt_catalogue_switch_start_copy (self);
  /* Nothing to copy from, or the same database under a new password. */
  else if (self->source == NULL || tt_db_location_equal (self->location, self->current))
    tt_catalogue_switch_save (self);
  else
    {
      tt_catalogue_switch_set_state (self, TT_CATALOGUE_SWITCH_STATE_COUNTING);
      tt_store_run_async (self->source, count_job, NULL, NULL, g_free, self->cancellable,
                          tt_catalogue_switch_source_counted_cb, g_object_ref (self));
    }
}

static void
tt_catalogue_switch_opened_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(TtCatalogueSwitch) self = user_data;
  GError *error = NULL;

  self->store = tt_store_open_finish (result, &error);
  if (self->store == NULL)
    {
      tt_catalogue_switch_fail (self, error);
      return;
    }

  tt_store_run_async (self->store, check_and_count_job, NULL, NULL, g_free, self->cancellable,
                      tt_catalogue_switch_target_counted_cb, g_object_ref (self));
}

/* ---- what callers call ------------------------------------------------- */

void
tt_catalogue_switch_run_async (TtCatalogueSwitch   *self,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TT_IS_CATALOGUE_SWITCH (self));
  g_return_if_fail (self->state == TT_CATALOGUE_SWITCH_STATE_READY);

  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, tt_catalogue_switch_run_async);
  tt_catalogue_switch_set_state (self, TT_CATALOGUE_SWITCH_STATE_OPENING);
  tt_store_open_async (self->location, self->password, self->cancellable,
                       tt_catalogue_switch_opened_cb, g_object_ref (self));
}

TtStore *
tt_catalogue_switch_run_finish (TtCatalogueSwitch  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (TT_IS_CATALOGUE_SWITCH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tt_catalogue_switch_copy (TtCatalogueSwitch *self)
{
  g_return_if_fail (TT_IS_CATALOGUE_SWITCH (self));
  g_return_if_fail (self->state == TT_CATALOGUE_SWITCH_STATE_NEEDS_DECISION);

  tt_catalogue_switch_start_copy (self);
}

void
tt_catalogue_switch_use_as_is (TtCatalogueSwitch *self)
{
  g_return_if_fail (TT_IS_CATALOGUE_SWITCH (self));
  g_return_if_fail (self->state == TT_CATALOGUE_SWITCH_STATE_NEEDS_DECISION);

  tt_catalogue_switch_save (self);
}

void
tt_catalogue_switch_cancel (TtCatalogueSwitch *self)
{
  g_return_if_fail (TT_IS_CATALOGUE_SWITCH (self));

  if (self->state == TT_CATALOGUE_SWITCH_STATE_READY ||
      self->state >= TT_CATALOGUE_SWITCH_STATE_SAVING)
    return;

  g_cancellable_cancel (self->cancellable);
  /* Nothing is under way that would answer the cancel. */
  if (self->state == TT_CATALOGUE_SWITCH_STATE_NEEDS_DECISION)
    tt_catalogue_switch_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         "The switch was cancelled"));
}

/* ---- what callers read ------------------------------------------------- */

TtCatalogueSwitchState
tt_catalogue_switch_get_state (TtCatalogueSwitch *self)
{
  g_return_val_if_fail (TT_IS_CATALOGUE_SWITCH (self), TT_CATALOGUE_SWITCH_STATE_READY);

  return self->state;
}

TtCatalogueSwitchState
tt_catalogue_switch_get_last_step (TtCatalogueSwitch *self)
{
  g_return_val_if_fail (TT_IS_CATALOGUE_SWITCH (self), TT_CATALOGUE_SWITCH_STATE_READY);

  return self->last_step;
}

gboolean
tt_catalogue_switch_is_running (TtCatalogueSwitch *self)
{
  g_return_val_if_fail (TT_IS_CATALOGUE_SWITCH (self), FALSE);

  return !is_end (self->state);
}

const TtDbLocation *
tt_catalogue_switch_get_location (TtCatalogueSwitch *self)
{
  g_return_val_if_fail (TT_IS_CATALOGUE_SWITCH (self), NULL);

  return self->location;
}

void
tt_catalogue_switch_get_source_counts (TtCatalogueSwitch *self,
                                       gint64            *n_tutorials,
                                       gint64            *n_tags)
{
  g_return_if_fail (TT_IS_CATALOGUE_SWITCH (self));

  if (n_tutorials != NULL)
    *n_tutorials = self->source_counts.n_tutorials;
  if (n_tags != NULL)
    *n_tags = self->source_counts.n_tags;
}

void
tt_catalogue_switch_get_target_counts (TtCatalogueSwitch *self,
                                       gint64            *n_tutorials,
                                       gint64            *n_tags)
{
  g_return_if_fail (TT_IS_CATALOGUE_SWITCH (self));

  if (n_tutorials != NULL)
    *n_tutorials = self->target_counts.n_tutorials;
  if (n_tags != NULL)
    *n_tags = self->target_counts.n_tags;
}

double
tt_catalogue_switch_get_fraction (TtCatalogueSwitch *self)
{
  g_return_val_if_fail (TT_IS_CATALOGUE_SWITCH (self), 0);

  return self->fraction;
}

TtStore *
tt_catalogue_switch_get_store (TtCatalogueSwitch *self)
{
  g_return_val_if_fail (TT_IS_CATALOGUE_SWITCH (self), NULL);

  return self->state == TT_CATALOGUE_SWITCH_STATE_DONE ? self->store : NULL;
}

const TtCopyReport *
tt_catalogue_switch_get_report (TtCatalogueSwitch *self)
{
  g_return_val_if_fail (TT_IS_CATALOGUE_SWITCH (self), NULL);

  return self->copied ? &self->report : NULL;
}

const GError *
tt_catalogue_switch_get_error (TtCatalogueSwitch *self)
{
  g_return_val_if_fail (TT_IS_CATALOGUE_SWITCH (self), NULL);

  return self->error;
}

const GError *
tt_catalogue_switch_get_keyring_error (TtCatalogueSwitch *self)
{
  g_return_val_if_fail (TT_IS_CATALOGUE_SWITCH (self), NULL);

  return self->keyring_error;
}

/* ---- the object -------------------------------------------------------- */

static void
tt_catalogue_switch_finalize (GObject *object)
{
  TtCatalogueSwitch *self = (TtCatalogueSwitch *)object;

  /* A running switch holds a reference through its task. */
  g_assert (self->task == NULL);

  g_clear_object (&self->source);
  g_clear_pointer (&self->current, tt_db_location_free);
  g_clear_pointer (&self->location, tt_db_location_free);
  g_clear_pointer (&self->password, tt_secret_password_free);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_error (&self->error);
  g_clear_error (&self->keyring_error);

  G_OBJECT_CLASS (tt_catalogue_switch_parent_class)->finalize (object);
}

static void
tt_catalogue_switch_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TtCatalogueSwitch *self = TT_CATALOGUE_SWITCH (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_SOURCE_N_TUTORIALS:
      g_value_set_int64 (value, self->source_counts.n_tutorials);
      break;

    case PROP_SOURCE_N_TAGS:
      g_value_set_int64 (value, self->source_counts.n_tags);
      break;

    case PROP_TARGET_N_TUTORIALS:
      g_value_set_int64 (value, self->target_counts.n_tutorials);
      break;

    case PROP_TARGET_N_TAGS:
      g_value_set_int64 (value, self->target_counts.n_tags);
      break;

    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    case PROP_STORE:
      g_value_set_object (value, tt_catalogue_switch_get_store (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
count_param (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL,
                             -1, G_MAXINT64, -1,
                             (G_PARAM_READABLE |
                              G_PARAM_EXPLICIT_NOTIFY |
                              G_PARAM_STATIC_STRINGS));
}

static void
tt_catalogue_switch_class_init (TtCatalogueSwitchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tt_catalogue_switch_finalize;
  object_class->get_property = tt_catalogue_switch_get_property;

  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       TT_TYPE_CATALOGUE_SWITCH_STATE,
                       TT_CATALOGUE_SWITCH_STATE_READY,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));
  /* -1 until counted. */
  properties [PROP_SOURCE_N_TUTORIALS] = count_param ("source-n-tutorials");
  properties [PROP_SOURCE_N_TAGS] = count_param ("source-n-tags");
  properties [PROP_TARGET_N_TUTORIALS] = count_param ("target-n-tutorials");
  properties [PROP_TARGET_N_TAGS] = count_param ("target-n-tags");
  properties [PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL,
                         0, 1, 0,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         TT_TYPE_STORE,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* @done of @total rows copied so far; @total can grow (see
   * TtCopyProgressFunc). */
  signals [PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_UINT64);
}

static void
tt_catalogue_switch_init (TtCatalogueSwitch *self)
{
  static const Counts uncounted = { -1, -1 };

  self->cancellable = g_cancellable_new ();
  self->source_counts = uncounted;
  self->target_counts = uncounted;
}
