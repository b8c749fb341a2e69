/* tt-tutorial-row.c: one tutorial in the tutorial list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Title, the first line of the description, the tags as small chips and
 * when it was last changed. Rows are recycled while scrolling, so the
 * chips are made once and only relabelled.
 */

#define G_LOG_DOMAIN "tt-tutorial-row"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-a11y.h"
#include "tt-clock.h"
#include "tt-format.h"
#include "tt-tutorial-row.h"

/* More would not fit beside each other in a list row; "+N" says the rest. */
#define MAX_CHIPS 4

struct _TtTutorialRow
{
  GtkWidget   parent_instance;

  TtTutorial *tutorial;
  GtkWidget  *chips[MAX_CHIPS];

  /* Template widgets */
  GtkWidget  *heading_box;
  GtkLabel   *title_label;
  GtkLabel   *time_label;
  GtkLabel   *description_label;
  GtkBox     *chips_box;
  GtkLabel   *more_label;
};

G_DEFINE_FINAL_TYPE (TtTutorialRow, tt_tutorial_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TUTORIAL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

GtkWidget *
tt_tutorial_row_new (void)
{
  return g_object_new (TT_TYPE_TUTORIAL_ROW, NULL);
}

static void
tt_tutorial_row_show_tags (TtTutorialRow *self,
                           GListModel    *tags)
{
  /* By name, as the editor shows them. */
  g_autoptr(GPtrArray) sorted = tt_tag_sorted_by_name (tags);
  guint n_tags = sorted->len;
  guint n_shown = MIN (n_tags, MAX_CHIPS);

  for (guint i = 0; i < MAX_CHIPS; i++)
    {
      TtTag *tag = i < n_shown ? g_ptr_array_index (sorted, i) : NULL;

      gtk_widget_set_visible (self->chips[i], tag != NULL);
      if (tag != NULL)
        gtk_label_set_label (GTK_LABEL (self->chips[i]), tt_tag_get_name (tag));
    }

  if (n_tags > n_shown)
    {
      /* Translators: how many more tags a tutorial has than the row shows */
      g_autofree char *more = g_strdup_printf (_("+%u"), n_tags - n_shown);

      gtk_label_set_label (self->more_label, more);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), n_tags > n_shown);
  gtk_widget_set_visible (GTK_WIDGET (self->chips_box), n_tags > 0);
}

static void
tt_tutorial_row_show_time (TtTutorialRow *self,
                           GDateTime     *updated_at)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *full = NULL;

  if (updated_at == NULL)
    {
      gtk_label_set_label (self->time_label, "");
      return;
    }

  now = g_date_time_new_now_local ();
  relative = tt_format_relative_time (updated_at, now, tt_clock_get_format (tt_clock_get_default ()));
  full = tt_format_full_time (updated_at, tt_clock_get_format (tt_clock_get_default ()));
  gtk_label_set_label (self->time_label, relative);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), full);
}

static void
tt_tutorial_row_update (TtTutorialRow *self)
{
  TtTutorial *tutorial = self->tutorial;
  g_autofree char *first_line = NULL;

  if (tutorial == NULL)
    return;

  first_line = tt_format_first_line (tt_tutorial_get_description (tutorial));
  gtk_label_set_label (self->title_label, tt_tutorial_get_title (tutorial));
  gtk_label_set_label (self->description_label, first_line);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), first_line[0] != '\0');
  tt_tutorial_row_show_time (self, tt_tutorial_get_updated_at (tutorial));
  tt_tutorial_row_show_tags (self, tt_tutorial_get_tags (tutorial));
}

static void
tt_tutorial_row_notify_cb (TtTutorialRow *self,
                           GParamSpec    *pspec,
                           TtTutorial    *tutorial)
{
  tt_tutorial_row_update (self);
}

TtTutorial *
tt_tutorial_row_get_tutorial (TtTutorialRow *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL_ROW (self), NULL);

  return self->tutorial;
}

void
tt_tutorial_row_set_tutorial (TtTutorialRow *self,
                              TtTutorial    *tutorial)
{
  g_return_if_fail (TT_IS_TUTORIAL_ROW (self));
  g_return_if_fail (tutorial == NULL || TT_IS_TUTORIAL (tutorial));

  if (self->tutorial == tutorial)
    return;

  if (self->tutorial != NULL)
    g_signal_handlers_disconnect_by_func (self->tutorial, tt_tutorial_row_notify_cb, self);
  g_set_object (&self->tutorial, tutorial);

  /* The controller replaces its objects on each change; this is for an
   * object changed in place all the same. */
  if (tutorial != NULL)
    g_signal_connect_object (tutorial, "notify",
                             G_CALLBACK (tt_tutorial_row_notify_cb),
                             self, G_CONNECT_SWAPPED);

  tt_tutorial_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TUTORIAL]);
}

static void
tt_tutorial_row_dispose (GObject *object)
{
  TtTutorialRow *self = (TtTutorialRow *)object;

  tt_tutorial_row_set_tutorial (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_TUTORIAL_ROW);

  G_OBJECT_CLASS (tt_tutorial_row_parent_class)->dispose (object);
}

static void
tt_tutorial_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtTutorialRow *self = TT_TUTORIAL_ROW (object);

  switch (prop_id)
    {
    case PROP_TUTORIAL:
      g_value_set_object (value, self->tutorial);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tutorial_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TtTutorialRow *self = TT_TUTORIAL_ROW (object);

  switch (prop_id)
    {
    case PROP_TUTORIAL:
      tt_tutorial_row_set_tutorial (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tutorial_row_class_init (TtTutorialRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_tutorial_row_dispose;
  object_class->get_property = tt_tutorial_row_get_property;
  object_class->set_property = tt_tutorial_row_set_property;

  properties [PROP_TUTORIAL] =
    g_param_spec_object ("tutorial", NULL, NULL,
                         TT_TYPE_TUTORIAL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/TutorialTags/tt-tutorial-row.ui");
  gtk_widget_class_set_css_name (widget_class, "tutorialrow");
  gtk_widget_class_bind_template_child (widget_class, TtTutorialRow, heading_box);
  gtk_widget_class_bind_template_child (widget_class, TtTutorialRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TtTutorialRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, TtTutorialRow, description_label);
  gtk_widget_class_bind_template_child (widget_class, TtTutorialRow, chips_box);
  gtk_widget_class_bind_template_child (widget_class, TtTutorialRow, more_label);
}

static void
tt_tutorial_row_init (TtTutorialRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tt_a11y_name_list_item (GTK_WIDGET (self), GTK_WIDGET (self->title_label), NULL);
  g_signal_connect_object (tt_clock_get_default (), "notify::twelve-hour",
                           G_CALLBACK (tt_tutorial_row_update), self, G_CONNECT_SWAPPED);

  for (guint i = 0; i < MAX_CHIPS; i++)
    {
      self->chips[i] = g_object_new (GTK_TYPE_LABEL,
                                     "accessible-role", GTK_ACCESSIBLE_ROLE_LIST_ITEM,
                                     "ellipsize", PANGO_ELLIPSIZE_END,
                                     "max-width-chars", 16,
                                     "css-classes", (const char *[]) { "tag-chip", NULL },
                                     NULL);
      gtk_box_insert_child_after (self->chips_box, self->chips[i],
                                  i > 0 ? self->chips[i - 1] : NULL);
    }
}

/* ---- the list's factory ------------------------------------------------ */

/* In code rather than a GtkBuilderListItemFactory, which parses its
 * XML again for every row a search brings into view. */
static void
tt_tutorial_row_setup_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *item)
{
  gtk_list_item_set_child (item, tt_tutorial_row_new ());
}

static void
tt_tutorial_row_bind_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *item)
{
  tt_tutorial_row_set_tutorial (TT_TUTORIAL_ROW (gtk_list_item_get_child (item)),
                                gtk_list_item_get_item (item));
}

static void
tt_tutorial_row_unbind_cb (GtkSignalListItemFactory *factory,
                           GtkListItem              *item)
{
  tt_tutorial_row_set_tutorial (TT_TUTORIAL_ROW (gtk_list_item_get_child (item)), NULL);
}

/**
 * tt_tutorial_row_factory_new:
 *
 * A factory for a list of #TtTutorial items that shows each as a
 * #TtTutorialRow.
 *
 * Returns: (transfer full): the factory
 */
GtkListItemFactory *
tt_tutorial_row_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (tt_tutorial_row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (tt_tutorial_row_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (tt_tutorial_row_unbind_cb), NULL);
  return factory;
}
