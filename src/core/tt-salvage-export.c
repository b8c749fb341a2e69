/* tt-salvage-export.c: what can still be read of a damaged catalogue,
 * written as an export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tt-salvage-export.h"

#include "tt-json.h"

JsonNode *
tt_salvage_export (const TtDbLocation  *location,
                   TtSalvageReport     *report,
                   GError             **error)
{
  g_autoptr(GListModel) tutorials = NULL;
  g_autoptr(GListModel) tags = NULL;

  g_return_val_if_fail (location != NULL, NULL);
  g_return_val_if_fail (report != NULL, NULL);

  if (!tt_store_salvage (location, &tutorials, &tags, report, error))
    return NULL;

  return tt_json_export (tutorials, tags);
}

typedef struct
{
  TtDbLocation    *location;
  GFile           *file;
  TtSalvageReport  report;
} SalvageJob;

static void
salvage_job_free (SalvageJob *job)
{
  tt_db_location_free (job->location);
  g_object_unref (job->file);
  g_free (job);
}

static void
salvage_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SalvageJob *job = task_data;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  root = tt_salvage_export (job->location, &job->report, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  text = tt_json_to_string (root, TRUE);
  if (!g_file_replace_contents (job->file, text, strlen (text), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tt_salvage_export_to_file_async (const TtDbLocation  *location,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SalvageJob *job;

  g_return_if_fail (location != NULL);
  g_return_if_fail (G_IS_FILE (file));

  job = g_new0 (SalvageJob, 1);
  job->location = tt_db_location_copy (location);
  job->file = g_object_ref (file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_salvage_export_to_file_async);
  g_task_set_task_data (task, job, (GDestroyNotify) salvage_job_free);
  g_task_run_in_thread (task, salvage_thread);
}

gboolean
tt_salvage_export_to_file_finish (GAsyncResult     *result,
                                  TtSalvageReport  *report,
                                  GError          **error)
{
  SalvageJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (report != NULL)
    *report = job->report;
  return TRUE;
}
