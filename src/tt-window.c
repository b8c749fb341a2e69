/* tt-window.c: the main window
 *
 * A placeholder until the main window lands: it says how many tutorials
 * the catalogue holds, or why the catalogue could not be opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tt-window.h"

struct _TtWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwHeaderBar         *header_bar;
  AdwStatusPage        *status_page;

  TtStore              *store;
  /* Cancels the count of the current store when it is replaced. */
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (TtWindow, tt_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

TtWindow *
tt_window_new (AdwApplication *application)
{
  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);

  return g_object_new (TT_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
tt_window_show_count (TtWindow *self,
                      guint     n_tutorials)
{
  g_autofree char *description = NULL;

  if (n_tutorials == 0)
    {
      adw_status_page_set_title (self->status_page, _("No Tutorials Yet"));
      adw_status_page_set_description (self->status_page,
                                       _("The catalogue is empty."));
      return;
    }

  adw_status_page_set_title (self->status_page, _("Tutorial Catalogue"));
  description = g_strdup_printf (ngettext ("The catalogue holds %u tutorial.",
                                           "The catalogue holds %u tutorials.",
                                           n_tutorials),
                                 n_tutorials);
  adw_status_page_set_description (self->status_page, description);
}

static void
tt_window_tutorials_listed_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(TtWindow) self = user_data;
  g_autoptr(GListModel) tutorials = NULL;
  g_autoptr(GError) error = NULL;

  tutorials = tt_store_list_tutorials_finish (TT_STORE (object), result, &error);

  /* Cancelled: the store was replaced or the window went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->status_page == NULL)
    return;

  if (tutorials == NULL)
    tt_window_show_store_error (self, error);
  else
    tt_window_show_count (self, g_list_model_get_n_items (tutorials));
}

static void
tt_window_count_tutorials (TtWindow *self)
{
  /* A zeroed query lists every tutorial, without their tags. */
  static const TtTutorialQuery all_tutorials = { 0 };

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->store == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  tt_store_list_tutorials_async (self->store,
                                 &all_tutorials,
                                 self->cancellable,
                                 tt_window_tutorials_listed_cb,
                                 g_object_ref (self));
}

TtStore *
tt_window_get_store (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);

  return self->store;
}

void
tt_window_set_store (TtWindow *self,
                     TtStore  *store)
{
  g_return_if_fail (TT_IS_WINDOW (self));
  g_return_if_fail (store == NULL || TT_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  adw_status_page_set_icon_name (self->status_page, "user-bookmarks-symbolic");
  adw_status_page_set_title (self->status_page, _("No Tutorials Yet"));
  adw_status_page_set_description (self->status_page,
                                   _("Reading the catalogue…"));
  tt_window_count_tutorials (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STORE]);
}

void
tt_window_show_store_error (TtWindow     *self,
                            const GError *error)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (TT_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* The description is markup; the message is plain text. */
  escaped = g_markup_escape_text (error->message, -1);
  adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
  adw_status_page_set_title (self->status_page,
                             _("Could Not Open the Catalogue"));
  adw_status_page_set_description (self->status_page, escaped);
}

static void
tt_window_dispose (GObject *object)
{
  TtWindow *self = (TtWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_WINDOW);

  G_OBJECT_CLASS (tt_window_parent_class)->dispose (object);
}

static void
tt_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TtWindow *self = TT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TtWindow *self = TT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tt_window_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_window_class_init (TtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_window_dispose;
  object_class->get_property = tt_window_get_property;
  object_class->set_property = tt_window_set_property;

  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         TT_TYPE_STORE,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/TutorialTags/tt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TtWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, status_page);
}

static void
tt_window_init (TtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
