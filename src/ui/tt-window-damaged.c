/* tt-window-damaged.c: a damaged catalogue file, in the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SQLite catalogue found damaged (when it is opened, or by any read
 * later) is not written to again: the window says so on its status page,
 * instead of the lists, and offers to export what can still be read, the
 * JSON that "import" takes into a new catalogue
 * (tt_salvage_export_to_file_async(), the same as the CLI's
 * "export --salvage").
 */

#define G_LOG_DOMAIN "tt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-application.h"
#include "tt-salvage-export.h"
#include "tt-store-error.h"
#include "tt-window-private.h"

gboolean
tt_window_is_damage (const GError *error)
{
  return g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT);
}

static char *
tt_window_describe_salvage (const TtSalvageReport *report,
                            GFile                 *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *tutorials = g_strdup_printf (ngettext ("%u tutorial", "%u tutorials", report->n_tutorials),
                                                report->n_tutorials);
  g_autofree char *tags = g_strdup_printf (ngettext ("%u tag", "%u tags", report->n_tags),
                                           report->n_tags);

  if (report->n_damaged == 0)
    /* Translators: "Exported 3 tutorials and 2 tags to “x.json”" */
    return g_strdup_printf (_("Exported %s and %s to “%s”: everything could be read"),
                            tutorials, tags, name);

  return g_strdup_printf (ngettext ("Exported %s and %s to “%s”; %u damaged part of the file could not be read",
                                    "Exported %s and %s to “%s”; %u damaged parts of the file could not be read",
                                    report->n_damaged),
                          tutorials, tags, name, report->n_damaged);
}

typedef struct
{
  TtWindow *window;
  GFile    *file;
} Salvage;

static void
salvage_free (Salvage *salvage)
{
  g_object_unref (salvage->window);
  g_object_unref (salvage->file);
  g_free (salvage);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Salvage, salvage_free)

static void
tt_window_salvage_done_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(Salvage) salvage = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  TtSalvageReport report = { 0 };
  AdwToast *toast;

  if (tt_salvage_export_to_file_finish (result, &report, &error))
    text = tt_window_describe_salvage (&report, salvage->file);
  else
    text = g_strdup_printf (_("Could not export what can be read: %s"), error->message);

  /* A toast's title is markup (libadwaita 1.2), the file name is not. */
  escaped = g_markup_escape_text (text, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 0);
  tt_window_add_toast (salvage->window, toast);
}

/**
 * tt_window_export_readable:
 * @file: where to write
 *
 * Writes what can be read of the application's catalogue to @file, then
 * says in a toast how much that was.
 */
void
tt_window_export_readable (TtWindow *self,
                           GFile    *file)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(TtDbLocation) location = NULL;
  Salvage *salvage;

  g_return_if_fail (TT_IS_APPLICATION (application));

  location = tt_application_dup_location (TT_APPLICATION (application));
  salvage = g_new0 (Salvage, 1);
  salvage->window = g_object_ref (self);
  salvage->file = g_object_ref (file);
  tt_salvage_export_to_file_async (location, file, NULL, tt_window_salvage_done_cb, salvage);
}

static void
tt_window_export_readable_response_cb (GtkNativeDialog *chooser,
                                       int              response,
                                       TtWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    tt_window_export_readable (self, file);
  g_object_unref (chooser);
}

static void
tt_window_export_readable_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export What Can Be Read"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: a file name */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("readable-tutorials.json"));
  g_signal_connect (chooser, "response",
                    G_CALLBACK (tt_window_export_readable_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
tt_window_damaged_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-readable", NULL,
                                   tt_window_export_readable_action);
}
