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
#include "tt-tutorial-results.h"
#include "tt-tag-chip.h"
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
G_DEFINE_BOXED_TYPE (TtTutorialIds, tt_tutorial_ids, g_array_ref, g_array_unref)

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
        {
          gtk_label_set_label (GTK_LABEL (self->chips[i]), tt_tag_get_name (tag));
          tt_tag_chip_show_colour (self->chips[i], tt_tag_get_colour (tag));
        }
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

  if (updated_at == NULL)
    {
      gtk_label_set_label (self->time_label, "");
      return;
    }

  now = g_date_time_new_now_local ();
  relative = tt_format_relative_time (updated_at, now, tt_clock_get_format (tt_clock_get_default ()));
  gtk_label_set_label (self->time_label, relative);
}

/* The full time is made when the pointer rests on the time, not on
 * every bind: GTK 4.8's gtk_widget_set_tooltip_text() asks the X server
 * where the pointer is, a round trip for each row a search brings into
 * view. The text is kept in the label's tooltip-text, which GTK's own
 * handler then shows; it is set only when it changes, as setting it
 * asks for the pointer again. */
static gboolean
tt_tutorial_row_query_time_tooltip_cb (TtTutorialRow *self,
                                       int            x,
                                       int            y,
                                       gboolean       keyboard_mode,
                                       GtkTooltip    *tooltip,
                                       GtkWidget     *time_label)
{
  GDateTime *updated_at = self->tutorial != NULL ? tt_tutorial_get_updated_at (self->tutorial) : NULL;
  g_autofree char *full = NULL;

  /* A row not read yet has no time: nothing to show, not the time of
   * the tutorial the row showed before. */
  if (updated_at == NULL)
    {
      g_signal_stop_emission_by_name (time_label, "query-tooltip");
      return FALSE;
    }
  full = tt_format_full_time (updated_at, tt_clock_get_format (tt_clock_get_default ()));
  if (g_strcmp0 (full, gtk_widget_get_tooltip_text (time_label)) != 0)
    gtk_widget_set_tooltip_text (time_label, full);
  /* Not handled: GTK's handler shows the label's tooltip-text. */
  return FALSE;
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

/* ---- dragging -------------------------------------------------------- */

/* The id at @position of the list the row is in: the window's results
 * know the ids of rows not read yet, which have no tutorial to ask. */
static gint64
tutorial_id_at (GListModel *rows,
                guint       position)
{
  GListModel *results = GTK_IS_MULTI_SELECTION (rows) ? gtk_multi_selection_get_model (GTK_MULTI_SELECTION (rows))
                                                      : NULL;
  g_autoptr(TtTutorial) tutorial = NULL;

  if (TT_IS_TUTORIAL_RESULTS (results))
    return tt_tutorial_results_get_id (TT_TUTORIAL_RESULTS (results), position);
  tutorial = g_list_model_get_item (rows, position);
  return TT_IS_TUTORIAL (tutorial) ? tt_tutorial_get_id (tutorial) : -1;
}

/* Returns: (transfer full): the ids of the selected rows of the list
 * the row is in, in list order */
static GArray *
tt_tutorial_row_selected_ids (TtTutorialRow *self)
{
  GtkWidget *list = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_GRID_VIEW);
  GtkSelectionModel *rows = list != NULL ? gtk_grid_view_get_model (GTK_GRID_VIEW (list)) : NULL;
  g_autoptr(GtkBitset) selected = rows != NULL ? gtk_selection_model_get_selection (rows) : gtk_bitset_new_empty ();
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), gtk_bitset_get_size (selected));
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      gint64 id = tutorial_id_at (G_LIST_MODEL (rows), position);

      if (id > 0)
        g_array_append_val (ids, id);
    }
  return ids;
}

static gboolean
ids_contain (GArray *ids,
             gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

/* A selected row carries the whole selection, as file managers do; any
 * other row only its own tutorial. */
static GdkContentProvider *
tt_tutorial_row_drag_prepare_cb (TtTutorialRow *self,
                                 double         x,
                                 double         y,
                                 GtkDragSource *source)
{
  g_autoptr(GArray) ids = NULL;
  gint64 id;

  if (self->tutorial == NULL || (id = tt_tutorial_get_id (self->tutorial)) <= 0)
    return NULL;

  ids = tt_tutorial_row_selected_ids (self);
  if (!ids_contain (ids, id))
    {
      g_array_set_size (ids, 0);
      g_array_append_val (ids, id);
    }
  return gdk_content_provider_new_typed (TT_TYPE_TUTORIAL_IDS, ids);
}

static void
tt_tutorial_row_drag_begin_cb (TtTutorialRow *self,
                               GdkDrag       *drag,
                               GtkDragSource *source)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (GTK_WIDGET (self->title_label));

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static void
tt_tutorial_row_init_drag (TtTutorialRow *self)
{
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect_object (source, "prepare", G_CALLBACK (tt_tutorial_row_drag_prepare_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (source, "drag-begin", G_CALLBACK (tt_tutorial_row_drag_begin_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));
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
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->time_label), TRUE);
  g_signal_connect_object (self->time_label, "query-tooltip",
                           G_CALLBACK (tt_tutorial_row_query_time_tooltip_cb), self, G_CONNECT_SWAPPED);
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
  tt_tutorial_row_init_drag (self);
}

/* ---- the list's factory ------------------------------------------------ */

/* GTK 4.8's list and grid views make a new child for each item that
 * comes into view and destroy the child of each that leaves, so a search
 * that changes the rows on screen built some 30 rows from their template
 * and destroyed 30 (a third of its main-thread time, tests/bench-window.c).
 * The factory keeps the rows the list lets go, up to a few screens' worth,
 * and gives them to the next items instead. A row is let go when it
 * loses its parent: GTK has taken it from its list item by the time the
 * factory's ::teardown is emitted. */
#define SPARE_ROWS_MAX 64
#define SPARE_ROWS_KEY "tt-tutorial-row-spare-rows"

static void
tt_tutorial_row_let_go_cb (GtkWidget  *row,
                           GParamSpec *pspec,
                           GWeakRef   *factory_ref)
{
  g_autoptr(GObject) factory = g_weak_ref_get (factory_ref);
  GPtrArray *spare_rows = factory != NULL ? g_object_get_data (factory, SPARE_ROWS_KEY) : NULL;

  if (gtk_widget_get_parent (row) != NULL || spare_rows == NULL || spare_rows->len >= SPARE_ROWS_MAX)
    return;
  tt_tutorial_row_set_tutorial (TT_TUTORIAL_ROW (row), NULL);
  g_ptr_array_add (spare_rows, g_object_ref (row));
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* A spare row, or a new one that is let go to the spares later. */
static GtkWidget *
tt_tutorial_row_take_spare (GtkListItemFactory *factory)
{
  GPtrArray *spare_rows = g_object_get_data (G_OBJECT (factory), SPARE_ROWS_KEY);
  GtkWidget *row;
  GWeakRef *factory_ref;

  if (spare_rows->len > 0)
    return g_ptr_array_steal_index_fast (spare_rows, spare_rows->len - 1);

  row = g_object_ref_sink (tt_tutorial_row_new ());
  factory_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (factory_ref, factory);
  g_signal_connect_data (row, "notify::parent", G_CALLBACK (tt_tutorial_row_let_go_cb),
                         factory_ref, (GClosureNotify) weak_ref_free, 0);
  return row;
}

/* In code rather than a GtkBuilderListItemFactory, which parses its
 * XML again for every row a search brings into view. */
static void
tt_tutorial_row_setup_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *item)
{
  g_autoptr(GtkWidget) row = tt_tutorial_row_take_spare (GTK_LIST_ITEM_FACTORY (factory));

  gtk_list_item_set_child (item, row);
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
 * #TtTutorialRow, using rows again once the list lets them go.
 *
 * Returns: (transfer full): the factory
 */
GtkListItemFactory *
tt_tutorial_row_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data_full (G_OBJECT (factory), SPARE_ROWS_KEY,
                          g_ptr_array_new_with_free_func (g_object_unref),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (factory, "setup", G_CALLBACK (tt_tutorial_row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (tt_tutorial_row_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (tt_tutorial_row_unbind_cb), NULL);
  return factory;
}
