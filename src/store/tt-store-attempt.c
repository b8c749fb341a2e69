/* tt-store-attempt.c: a connection attempt that answers in time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libgda has no connect timeout, and its MySQL provider sets none on the
 * client library (it only sets MYSQL_OPT_PROTOCOL before
 * mysql_real_connect()), so a server that accepts the TCP connection and
 * then never speaks holds gda_connection_open_from_string() for as long
 * as the socket stays open. So each attempt runs on a thread of its own,
 * and the caller hears back on its main context by the deadline whatever
 * that thread does. A thread still stuck then is abandoned: when it comes
 * back it frees what it made, closing the connection it got in the end.
 * A stuck thread never holds up the next attempt, which has its own.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tt-store-private.h"

typedef enum
{
  ATTEMPT_CONNECTING,  /* the deadline applies */
  ATTEMPT_CONNECTED,   /* the server answered: the rest may take its time */
  ATTEMPT_DONE,        /* the thread finished; its answer is on the way */
  ATTEMPT_ABANDONED,   /* the caller was answered: timed out or cancelled */
} AttemptState;

struct _TtAttempt
{
  GMutex          lock;
  AttemptState    state;

  /* Used on the task's context only, until the task is answered. */
  GTask          *task;
  GSource        *deadline;
  GSource        *cancelled;
  GError         *timeout_error;

  TtAttemptFunc   func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;

  /* The thread's answer, handed to the task's context. */
  gpointer        result;
  GError         *error;
};

static void
attempt_clear (gpointer data)
{
  TtAttempt *self = data;

  g_assert (self->task == NULL);
  if (self->data_free != NULL)
    self->data_free (self->data);
  g_clear_error (&self->timeout_error);
  g_mutex_clear (&self->lock);
}

static TtAttempt *
attempt_ref (TtAttempt *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
attempt_unref (gpointer self)
{
  g_atomic_rc_box_release_full (self, attempt_clear);
}

static void
drop_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* On the task's context, once: takes @result and @error. */
static void
answer (TtAttempt *self,
        gpointer   result,
        GError    *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  drop_source (&self->deadline);
  drop_source (&self->cancelled);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, self->result_free);
}

/* Moves to ABANDONED when the state is one of @from (a bit mask);
 * returns whether it did, so that only one side answers the task. */
static gboolean
abandon_if (TtAttempt *self,
            guint      from)
{
  gboolean abandoned = FALSE;

  g_mutex_lock (&self->lock);
  if (from & (1u << self->state))
    {
      self->state = ATTEMPT_ABANDONED;
      abandoned = TRUE;
    }
  g_mutex_unlock (&self->lock);

  return abandoned;
}

static gboolean
deadline_cb (gpointer data)
{
  TtAttempt *self = data;

  /* This source is being dispatched: answer() must not destroy it. */
  g_clear_pointer (&self->deadline, g_source_unref);
  if (abandon_if (self, 1u << ATTEMPT_CONNECTING))
    answer (self, NULL, g_error_copy (self->timeout_error));

  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      data)
{
  TtAttempt *self = data;

  g_clear_pointer (&self->cancelled, g_source_unref);
  if (abandon_if (self, (1u << ATTEMPT_CONNECTING) | (1u << ATTEMPT_CONNECTED)))
    answer (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             _("The operation was cancelled")));

  return G_SOURCE_REMOVE;
}

static gboolean
deliver_cb (gpointer data)
{
  TtAttempt *self = data;

  answer (self, g_steal_pointer (&self->result), g_steal_pointer (&self->error));
  return G_SOURCE_REMOVE;
}

static gpointer
attempt_thread (gpointer data)
{
  TtAttempt *self = data;
  g_autoptr(GError) error = NULL;
  gpointer result = self->func (self, self->data, &error);
  gboolean abandoned;

  g_mutex_lock (&self->lock);
  abandoned = self->state == ATTEMPT_ABANDONED;
  if (!abandoned)
    self->state = ATTEMPT_DONE;
  g_mutex_unlock (&self->lock);

  if (abandoned)
    {
      /* Nobody waits for it any more: close what was opened. */
      g_debug ("A connection attempt finished after it was given up");
      if (result != NULL && self->result_free != NULL)
        self->result_free (result);
    }
  else
    {
      /* Held until this thread has let go of the source: once the answer
       * is dispatched, the caller may free the context at once (the
       * synchronous open's own does), and dropping an attached source's
       * last reference then raced with the context's end (a corrupted
       * heap, "source_remove_from_context: assertion failed"). */
      g_autoptr(GMainContext) context = g_main_context_ref (g_task_get_context (self->task));
      GSource *idle = g_idle_source_new ();

      self->result = result;
      self->error = g_steal_pointer (&error);
      /* An idle's own priority is below redrawing: a spinner animating
       * on a slow renderer would hold the answer back for good. */
      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (idle, deliver_cb, attempt_ref (self), attempt_unref);
      g_source_attach (idle, context);
      g_source_unref (idle);
    }

  attempt_unref (self);
  return NULL;
}

static GError *
timeout_error_for (const TtDbLocation *location)
{
  int seconds = TT_STORE_CONNECT_TIMEOUT_SECONDS;

  if (location->backend == TT_DB_BACKEND_SQLITE)
    return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_TIMED_OUT,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "The database file could not be opened within %d second; another program may be holding it locked",
                                     "The database file could not be opened within %d seconds; another program may be holding it locked",
                                     seconds),
                        seconds);

  return g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_TIMED_OUT,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "The server did not answer within %d second",
                                   "The server did not answer within %d seconds",
                                   seconds),
                      seconds);
}

static GSource *
attach_source (GSource      *source,
               GSourceFunc   func,
               TtAttempt    *self,
               GMainContext *context)
{
  g_source_set_callback (source, func, attempt_ref (self), attempt_unref);
  g_source_attach (source, context);
  return source;
}

/* Runs @func (@attempt, @data) on a new thread and answers @task with its
 * result, or with TT_STORE_ERROR_TIMED_OUT when it has not called
 * tt_attempt_connected() by the deadline, or G_IO_ERROR_CANCELLED. */
void
tt_attempt_start (GTask              *task,
                  const TtDbLocation *location,
                  TtAttemptFunc       func,
                  gpointer            data,
                  GDestroyNotify      data_free,
                  GDestroyNotify      result_free)
{
  TtAttempt *self = g_atomic_rc_box_new0 (TtAttempt);
  GMainContext *context = g_task_get_context (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  GThread *thread;

  g_mutex_init (&self->lock);
  self->state = ATTEMPT_CONNECTING;
  self->task = g_object_ref (task);
  self->timeout_error = timeout_error_for (location);
  self->func = func;
  self->data = data;
  self->data_free = data_free;
  self->result_free = result_free;

  self->deadline = attach_source (g_timeout_source_new (TT_STORE_CONNECT_TIMEOUT_SECONDS * 1000),
                                  deadline_cb, self, context);
  if (cancellable != NULL)
    self->cancelled = attach_source (g_cancellable_source_new (cancellable),
                                     (GSourceFunc) cancelled_cb, self, context);

  thread = g_thread_try_new ("tt-connect", attempt_thread, attempt_ref (self), &error);
  if (thread != NULL)
    g_thread_unref (thread);
  else
    {
      attempt_unref (self);
      abandon_if (self, 1u << ATTEMPT_CONNECTING);
      answer (self, NULL, g_error_new (TT_STORE_ERROR, TT_STORE_ERROR_FAILED,
                                       _("Cannot start a thread to connect: %s"),
                                       error->message));
    }

  attempt_unref (self);
}

/* Called by the attempt's function once the server has answered: the
 * deadline no longer applies. FALSE when it is too late, the caller has
 * been answered already: the function should then give up. A NULL
 * @attempt (a synchronous open) is never too late. */
gboolean
tt_attempt_connected (TtAttempt *attempt)
{
  gboolean in_time;

  if (attempt == NULL)
    return TRUE;

  g_mutex_lock (&attempt->lock);
  in_time = attempt->state != ATTEMPT_ABANDONED;
  if (in_time)
    attempt->state = ATTEMPT_CONNECTED;
  g_mutex_unlock (&attempt->lock);

  return in_time;
}
