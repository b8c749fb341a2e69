/* tt-tag-row.c: one entry of the tag sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a tag with the number of tutorials that have it, or one of the
 * two entries above the tags ("All Tutorials", "Untagged"). Tags get a
 * context menu whose items ask the sidebar to rename, merge or delete
 * them, so the row itself changes nothing.
 *
 * A tag row is also a drop target: tutorials dropped on it get the tag
 * (the controller's "tag.add-to-tutorials", one command), a tag dropped
 * on it asks the sidebar to merge that tag into this one. A tag row can
 * be dragged itself. The two entries above the tags take no drop.
 */

#define G_LOG_DOMAIN "tt-tag-row"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-format.h"
#include "tt-a11y.h"
#include "tt-rules.h"
#include "tt-tag.h"
#include "tt-tag-chip.h"
#include "tt-tag-row.h"
#include "tt-tutorial-row.h"

struct _TtTagRow
{
  GtkWidget       parent_instance;

  GObject        *item;
  GBinding       *name_binding;
  GBinding       *count_binding;
  GBinding       *count_shown_binding;

  GtkImage       *icon;
  GtkLabel       *name_label;
  GtkLabel       *count_label;

  /* Made the first time it opens (see tt_tag_row_init()). */
  GtkPopoverMenu *context_menu;
};

/* tt-tag-row.ui, loaded once for every row. */
static GMenuModel *tag_menu;

#define SPACING 12
/* A long name is ellipsized: without a cap its natural width is the
 * whole name, and a long one made the sidebar so wide that the window
 * folded to one pane. */
#define NAME_CHARS 20

G_DEFINE_FINAL_TYPE (TtTagRow, tt_tag_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_COLOUR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

GtkWidget *
tt_tag_row_new (void)
{
  return g_object_new (TT_TYPE_TAG_ROW, NULL);
}

/* A count as uint (a tag's) or int64 (a filter row's, negative when
 * not known); with the locale's thousands separator. */
static gint64
count_of (const GValue *value)
{
  return G_VALUE_HOLDS_UINT (value) ? g_value_get_uint (value) : g_value_get_int64 (value);
}

static gboolean
count_to_label (GBinding     *binding,
                const GValue *from_value,
                GValue       *to_value,
                gpointer      user_data)
{
  gint64 count = count_of (from_value);

  g_value_take_string (to_value, count >= 0 ? tt_format_count ((guint64) count) : g_strdup (""));
  return TRUE;
}

static gboolean
count_to_visible (GBinding     *binding,
                  const GValue *from_value,
                  GValue       *to_value,
                  gpointer      user_data)
{
  g_value_set_boolean (to_value, count_of (from_value) >= 0);
  return TRUE;
}

/* Where a filter row ("Untagged") reads its count: kept on its item. */
typedef struct
{
  GWeakRef  source;
  char     *property;
} CountSource;

static void
count_source_free (gpointer data)
{
  CountSource *count_source = data;

  g_weak_ref_clear (&count_source->source);
  g_free (count_source->property);
  g_free (count_source);
}

/**
 * tt_tag_row_count_filter_from:
 * @filter: one of the two entries above the tags
 * @source: what knows its count (the sidebar, which owns @filter)
 * @property: the gint64 property of @source with the count; negative
 *   when not known, and then no count is shown
 *
 * Makes the row of @filter show a count, as the rows of tags do.
 */
void
tt_tag_row_count_filter_from (GtkStringObject *filter,
                              GObject         *source,
                              const char      *property)
{
  CountSource *count_source = g_new0 (CountSource, 1);

  g_return_if_fail (GTK_IS_STRING_OBJECT (filter));
  g_return_if_fail (G_IS_OBJECT (source));

  g_weak_ref_init (&count_source->source, source);
  count_source->property = g_strdup (property);
  g_object_set_data_full (G_OBJECT (filter), "tt-tag-row-count-source", count_source,
                          count_source_free);
}

static void
tt_tag_row_bind_count (TtTagRow   *self,
                       GObject    *source,
                       const char *property)
{
  self->count_binding = g_object_bind_property_full (source, property,
                                                     self->count_label, "label",
                                                     G_BINDING_SYNC_CREATE,
                                                     count_to_label, NULL,
                                                     NULL, NULL);
  self->count_shown_binding = g_object_bind_property_full (source, property,
                                                           self->count_label, "visible",
                                                           G_BINDING_SYNC_CREATE,
                                                           count_to_visible, NULL,
                                                           NULL, NULL);
}

/* The tag's colour (or "" for none): the state of the menu's Colour
 * items (tag-row.colour). */
static const char *
tt_tag_row_get_colour (TtTagRow *self)
{
  const char *colour = TT_IS_TAG (self->item) ? tt_tag_get_colour (TT_TAG (self->item)) : NULL;

  return colour != NULL ? colour : "";
}

/* The menu's Colour items set the property: the controller changes the
 * tag (one undoable command), and the row shows it once it has. */
static void
tt_tag_row_request_colour (TtTagRow   *self,
                           const char *colour)
{
  if (!TT_IS_TAG (self->item) || g_strcmp0 (colour, tt_tag_row_get_colour (self)) == 0)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "tag.set-colour", "(xs)",
                              tt_tag_get_id (TT_TAG (self->item)), colour != NULL ? colour : "");
}

/* The list item around the row is what a screen reader lands on
 * (tt_a11y_name_list_item()): it reads the colour as its description,
 * "Rust, 12, Red". */
static void
tt_tag_row_describe_list_item (TtTagRow *self)
{
  GtkWidget *list_item = gtk_widget_get_parent (GTK_WIDGET (self));
  const char *colour = TT_IS_TAG (self->item) ? tt_tag_get_colour (TT_TAG (self->item)) : NULL;

  if (list_item == NULL)
    return;
  if (colour != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (list_item),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tt_rules_tag_colour_label (colour),
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (list_item), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* The icon in the tag's colour: a shape that stays in high contrast,
 * with the colour's name as its tooltip. The tooltip is set only when it
 * changes: GTK 4.8 asks the X server where the pointer is on every
 * gtk_widget_set_tooltip_text(), a round trip for every row a filter
 * keystroke binds (half of that keystroke's time at 10 000 tags). */
static void
tt_tag_row_show_colour (TtTagRow *self)
{
  const char *colour = TT_IS_TAG (self->item) ? tt_tag_get_colour (TT_TAG (self->item)) : NULL;
  const char *tooltip = tt_rules_tag_colour_label (colour);
  const char *shown_tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (self->icon));

  tt_tag_chip_show_colour (GTK_WIDGET (self->icon), colour);
  if (g_strcmp0 (tooltip, shown_tooltip) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->icon), tooltip);
  tt_tag_chip_show_colour (GTK_WIDGET (self), colour);
  tt_tag_row_describe_list_item (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOUR]);
}

static void
tt_tag_row_show_tag (TtTagRow *self,
                     TtTag    *tag)
{
  gtk_image_set_from_icon_name (self->icon, "tt-tag-symbolic");
  g_signal_connect_object (tag, "notify::colour", G_CALLBACK (tt_tag_row_show_colour), self,
                           G_CONNECT_SWAPPED);
  self->name_binding = g_object_bind_property (tag, "name",
                                               self->name_label, "label",
                                               G_BINDING_SYNC_CREATE);
  tt_tag_row_bind_count (self, G_OBJECT (tag), "tutorial-count");
}

static void
tt_tag_row_show_filter (TtTagRow        *self,
                        GtkStringObject *filter)
{
  gboolean untagged = g_strcmp0 (gtk_string_object_get_string (filter),
                                 TT_TAG_ROW_UNTAGGED) == 0;
  CountSource *count_source = g_object_get_data (G_OBJECT (filter), "tt-tag-row-count-source");
  g_autoptr(GObject) source = count_source != NULL ? g_weak_ref_get (&count_source->source) : NULL;

  gtk_image_set_from_icon_name (self->icon,
                                untagged ? "tt-untagged-symbolic" : "view-list-bullet-symbolic");
  gtk_label_set_label (self->name_label,
                       untagged ? _("Untagged") : _("All Tutorials"));
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), FALSE);
  if (source != NULL)
    tt_tag_row_bind_count (self, source, count_source->property);
}

static void
tt_tag_row_clear_bindings (TtTagRow *self)
{
  g_clear_pointer (&self->name_binding, g_binding_unbind);
  g_clear_pointer (&self->count_binding, g_binding_unbind);
  g_clear_pointer (&self->count_shown_binding, g_binding_unbind);
}

GObject *
tt_tag_row_get_item (TtTagRow *self)
{
  g_return_val_if_fail (TT_IS_TAG_ROW (self), NULL);

  return self->item;
}

void
tt_tag_row_set_item (TtTagRow *self,
                     GObject  *item)
{
  g_return_if_fail (TT_IS_TAG_ROW (self));
  g_return_if_fail (item == NULL || G_IS_OBJECT (item));

  if (self->item == item)
    return;
  if (TT_IS_TAG (self->item))
    g_signal_handlers_disconnect_by_func (self->item, tt_tag_row_show_colour, self);
  g_set_object (&self->item, item);

  tt_tag_row_clear_bindings (self);

  if (TT_IS_TAG (item))
    tt_tag_row_show_tag (self, TT_TAG (item));
  else if (GTK_IS_STRING_OBJECT (item))
    tt_tag_row_show_filter (self, GTK_STRING_OBJECT (item));

  /* Only tags can be renamed, merged or deleted. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tag-row.rename", TT_IS_TAG (item));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tag-row.merge-into", TT_IS_TAG (item));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tag-row.delete", TT_IS_TAG (item));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tag-row.colour", TT_IS_TAG (item));
  tt_tag_row_show_colour (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ITEM]);
}

/* Returns: whether the row has a menu (only tags do) */
static gboolean
tt_tag_row_popup_pointing_to (TtTagRow           *self,
                              const GdkRectangle *area)
{
  if (!TT_IS_TAG (self->item))
    return FALSE;

  if (self->context_menu == NULL)
    {
      self->context_menu = GTK_POPOVER_MENU (gtk_popover_menu_new_from_model (tag_menu));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (GTK_WIDGET (self->context_menu), GTK_ALIGN_START);
      gtk_widget_set_parent (GTK_WIDGET (self->context_menu), GTK_WIDGET (self));
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), area);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  return TRUE;
}

static void
tt_tag_row_popup_at (TtTagRow *self,
                     double    x,
                     double    y)
{
  tt_tag_row_popup_pointing_to (self, &(GdkRectangle) { (int) x, (int) y, 1, 1 });
}

/**
 * tt_tag_row_popup_menu:
 *
 * Opens the row's context menu from the keyboard (Shift+F10, Menu): at
 * the row, as there is no pointer position to open it at.
 *
 * Returns: whether the row has a menu (only tags do)
 */
gboolean
tt_tag_row_popup_menu (TtTagRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  g_return_val_if_fail (TT_IS_TAG_ROW (self), FALSE);

  return tt_tag_row_popup_pointing_to (self, &(GdkRectangle) {
                                         0, 0,
                                         gtk_widget_get_width (widget),
                                         gtk_widget_get_height (widget) });
}

static void
tt_tag_row_secondary_pressed_cb (TtTagRow        *self,
                                 int              n_press,
                                 double           x,
                                 double           y,
                                 GtkGestureClick *gesture)
{
  tt_tag_row_popup_at (self, x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
tt_tag_row_long_pressed_cb (TtTagRow            *self,
                            double               x,
                            double               y,
                            GtkGestureLongPress *gesture)
{
  tt_tag_row_popup_at (self, x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* The sidebar owns the dialogs; it learns which tag from the target. */
static void
tt_tag_row_forward_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TtTagRow *self = TT_TAG_ROW (widget);
  const char *sidebar_action;

  if (!TT_IS_TAG (self->item))
    return;

  if (g_str_equal (action_name, "tag-row.rename"))
    sidebar_action = "sidebar.rename-tag";
  else if (g_str_equal (action_name, "tag-row.merge-into"))
    sidebar_action = "sidebar.merge-tag-into";
  else
    sidebar_action = "sidebar.delete-tag";
  gtk_widget_activate_action (widget, sidebar_action, "x",
                              tt_tag_get_id (TT_TAG (self->item)));
}

/* ---- dragging and dropping -------------------------------------------- */

static gint64
tt_tag_row_tag_id (TtTagRow *self)
{
  return TT_IS_TAG (self->item) ? tt_tag_get_id (TT_TAG (self->item)) : 0;
}

/* Only a tag can be dragged (to merge it into another). */
static GdkContentProvider *
tt_tag_row_drag_prepare_cb (TtTagRow      *self,
                            double         x,
                            double         y,
                            GtkDragSource *source)
{
  if (!TT_IS_TAG (self->item))
    return NULL;

  return gdk_content_provider_new_typed (TT_TYPE_TAG, self->item);
}

static void
tt_tag_row_drag_begin_cb (TtTagRow      *self,
                          GdkDrag       *drag,
                          GtkDragSource *source)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (GTK_WIDGET (self->name_label));

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

/* Whether @drop is a drag of this very tag, from this window. */
static gboolean
tt_tag_row_is_own_drag (TtTagRow *self,
                        GdkDrop  *drop)
{
  GdkDrag *drag = gdk_drop_get_drag (drop);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, TT_TYPE_TAG);
  return drag != NULL &&
         gdk_content_provider_get_value (gdk_drag_get_content (drag), &value, NULL) &&
         g_value_get_object (&value) != NULL &&
         tt_tag_get_id (g_value_get_object (&value)) == tt_tag_row_tag_id (self);
}

/* What GtkDropTarget's own ::accept checks (which a handler replaces),
 * and: only onto a tag, never a tag onto itself. Refused, the row shows
 * no drop highlight. */
static gboolean
tt_tag_row_accept_cb (TtTagRow      *self,
                      GdkDrop       *drop,
                      GtkDropTarget *target)
{
  return TT_IS_TAG (self->item) &&
         (gdk_drop_get_actions (drop) & gtk_drop_target_get_actions (target)) != 0 &&
         gdk_content_formats_match (gtk_drop_target_get_formats (target), gdk_drop_get_formats (drop)) &&
         !tt_tag_row_is_own_drag (self, drop);
}

static gboolean
tt_tag_row_drop_tutorials (TtTagRow *self,
                           GArray   *ids)
{
  if (ids == NULL || ids->len == 0)
    return FALSE;

  gtk_widget_activate_action_variant (GTK_WIDGET (self), "tag.add-to-tutorials",
                                      g_variant_new ("(@axx)",
                                                     g_variant_new_fixed_array (G_VARIANT_TYPE_INT64,
                                                                                ids->data, ids->len,
                                                                                sizeof (gint64)),
                                                     tt_tag_row_tag_id (self)));
  return TRUE;
}

/* The sidebar asks first, as for a rename onto this tag's name. */
static gboolean
tt_tag_row_drop_tag (TtTagRow *self,
                     TtTag    *dropped)
{
  if (dropped == NULL || tt_tag_get_id (dropped) == tt_tag_row_tag_id (self))
    return FALSE;

  gtk_widget_activate_action (GTK_WIDGET (self), "sidebar.merge-tag", "(xx)",
                              tt_tag_get_id (dropped), tt_tag_row_tag_id (self));
  return TRUE;
}

static gboolean
tt_tag_row_drop_cb (TtTagRow      *self,
                    const GValue  *value,
                    double         x,
                    double         y,
                    GtkDropTarget *target)
{
  if (!TT_IS_TAG (self->item))
    return FALSE;
  if (G_VALUE_HOLDS (value, TT_TYPE_TUTORIAL_IDS))
    return tt_tag_row_drop_tutorials (self, g_value_get_boxed (value));
  if (G_VALUE_HOLDS (value, TT_TYPE_TAG))
    return tt_tag_row_drop_tag (self, g_value_get_object (value));
  return FALSE;
}

static void
tt_tag_row_init_drag_and_drop (TtTagRow *self)
{
  GtkDragSource *source = gtk_drag_source_new ();
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect_object (source, "prepare", G_CALLBACK (tt_tag_row_drag_prepare_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (source, "drag-begin", G_CALLBACK (tt_tag_row_drag_begin_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));

  gtk_drop_target_set_gtypes (target, (GType[]) { TT_TYPE_TUTORIAL_IDS, TT_TYPE_TAG }, 2);
  g_signal_connect_object (target, "accept", G_CALLBACK (tt_tag_row_accept_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (target, "drop", G_CALLBACK (tt_tag_row_drop_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

static void
tt_tag_row_dispose (GObject *object)
{
  TtTagRow *self = (TtTagRow *)object;
  GtkWidget *child;

  tt_tag_row_clear_bindings (self);
  if (TT_IS_TAG (self->item))
    g_signal_handlers_disconnect_by_func (self->item, tt_tag_row_show_colour, self);
  g_clear_object (&self->item);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->context_menu = NULL;

  G_OBJECT_CLASS (tt_tag_row_parent_class)->dispose (object);
}

static void
tt_tag_row_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TtTagRow *self = TT_TAG_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_COLOUR:
      g_value_set_string (value, tt_tag_row_get_colour (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tag_row_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TtTagRow *self = TT_TAG_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      tt_tag_row_set_item (self, g_value_get_object (value));
      break;

    case PROP_COLOUR:
      tt_tag_row_request_colour (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The palette as radio items (their state is tag-row.colour's), from
 * the rules' list and names, so that no colour is named twice. */
static GMenuModel *
tt_tag_row_colour_menu (void)
{
  const char * const *palette = tt_rules_tag_colours ();
  GMenu *colours = g_menu_new ();
  g_autoptr(GMenu) none = g_menu_new ();
  g_autoptr(GMenu) named = g_menu_new ();

  g_menu_append (none, _("_None"), "tag-row.colour::");
  for (guint i = 0; palette[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (tt_rules_tag_colour_label (palette[i]), NULL);

      g_menu_item_set_action_and_target (item, "tag-row.colour", "s", palette[i]);
      g_menu_append_item (named, item);
    }
  g_menu_append_section (colours, NULL, G_MENU_MODEL (none));
  g_menu_append_section (colours, NULL, G_MENU_MODEL (named));
  return G_MENU_MODEL (colours);
}

static GMenuModel *
tt_tag_row_load_menu (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/com/example/TutorialTags/tt-tag-row.ui");
  GMenu *menu = G_MENU (gtk_builder_get_object (builder, "tag_menu"));
  g_autoptr(GMenu) colour_section = g_menu_new ();
  g_autoptr(GMenuModel) colours = tt_tag_row_colour_menu ();

  g_menu_append_submenu (colour_section, _("_Colour"), colours);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (colour_section));
  return g_object_ref (G_MENU_MODEL (menu));
}

/* NAME_CHARS characters of the row's font, in pixels. A label's own
 * max-width-chars would ask Pango for the font's metrics at every
 * measure of every new row (a tenth of a filter keystroke at 10 000
 * tags): asked once per font here. */
static int
name_width_cap (TtTagRow *self)
{
  static GQuark cached_font;
  static int cached_width;
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self->name_label));
  PangoFontDescription *font = pango_context_get_font_description (context);
  g_autofree char *font_name = pango_font_description_to_string (font);
  GQuark font_quark = g_quark_from_string (font_name);

  if (font_quark != cached_font)
    {
      PangoFontMetrics *metrics = pango_context_get_metrics (context, font, NULL);

      cached_width = NAME_CHARS * pango_font_metrics_get_approximate_char_width (metrics) / PANGO_SCALE;
      pango_font_metrics_unref (metrics);
      cached_font = font_quark;
    }
  return cached_width;
}

static void
tt_tag_row_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  TtTagRow *self = TT_TAG_ROW (widget);
  int n_shown = 0;

  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_VERTICAL)
        {
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
          continue;
        }
      if (child == GTK_WIDGET (self->name_label))
        child_nat = MAX (child_min, MIN (child_nat, name_width_cap (self)));
      *minimum += child_min;
      *natural += child_nat;
      n_shown++;
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL && n_shown > 1)
    {
      *minimum += SPACING * (n_shown - 1);
      *natural += SPACING * (n_shown - 1);
    }
}

/* Icon and count at their natural widths, the name in between. */
static void
tt_tag_row_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  TtTagRow *self = TT_TAG_ROW (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  GtkWidget *parts[] = { GTK_WIDGET (self->icon), GTK_WIDGET (self->name_label), GTK_WIDGET (self->count_label) };
  int widths[G_N_ELEMENTS (parts)] = { 0 };
  int rest = width, x = 0;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (i != 1 && gtk_widget_should_layout (parts[i]))
      {
        gtk_widget_measure (parts[i], GTK_ORIENTATION_HORIZONTAL, -1, NULL, &widths[i], NULL, NULL);
        rest -= widths[i] + SPACING;
      }
  widths[1] = MAX (rest, 0);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (!gtk_widget_should_layout (parts[i]))
        continue;
      gtk_widget_size_allocate (parts[i],
                                &(GtkAllocation) { rtl ? width - x - widths[i] : x, 0, widths[i], height },
                                -1);
      x += widths[i] + SPACING;
    }
}

static void
tt_tag_row_class_init (TtTagRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_tag_row_dispose;
  object_class->get_property = tt_tag_row_get_property;
  object_class->set_property = tt_tag_row_set_property;

  properties [PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         G_TYPE_OBJECT,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /* Set by the menu's Colour items: asks the controller; read, the
   * tag's colour ("" for none). */
  properties [PROP_COLOUR] =
    g_param_spec_string ("colour", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->measure = tt_tag_row_measure;
  widget_class->size_allocate = tt_tag_row_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "tagrow");
  tag_menu = tt_tag_row_load_menu ();

  gtk_widget_class_install_action (widget_class, "tag-row.rename", NULL,
                                   tt_tag_row_forward_action);
  gtk_widget_class_install_action (widget_class, "tag-row.merge-into", NULL,
                                   tt_tag_row_forward_action);
  gtk_widget_class_install_action (widget_class, "tag-row.delete", NULL,
                                   tt_tag_row_forward_action);
  gtk_widget_class_install_property_action (widget_class, "tag-row.colour", "colour");
}

static void
tt_tag_row_add_gestures (TtTagRow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (tt_tag_row_secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect_swapped (long_press, "pressed", G_CALLBACK (tt_tag_row_long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));
}

/* Built in code, not from a template, and the context menu only when it
 * first opens: the sidebar's list makes its rows again on every
 * keystroke of its filter, and at 10 000 tags a template's parsing and
 * a popover menu's widgets in every row took most of a keystroke's
 * 60–140 ms (bench-window's sidebar_filter). */
static void
tt_tag_row_init (TtTagRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->icon = g_object_new (GTK_TYPE_IMAGE,
                             "icon-name", "tt-tag-symbolic",
                             "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                             NULL);
  self->name_label = g_object_new (GTK_TYPE_LABEL,
                                   "hexpand", TRUE,
                                   "xalign", 0.0f,
                                   "ellipsize", PANGO_ELLIPSIZE_END,
                                   NULL);
  self->count_label = g_object_new (GTK_TYPE_LABEL,
                                    "xalign", 1.0f,
                                    "css-classes", (const char * const[]) { "dim-label", "numeric", NULL },
                                    NULL);
  gtk_widget_set_parent (GTK_WIDGET (self->icon), widget);
  gtk_widget_set_parent (GTK_WIDGET (self->name_label), widget);
  gtk_widget_set_parent (GTK_WIDGET (self->count_label), widget);
  tt_tag_row_add_gestures (self);
  tt_tag_row_init_drag_and_drop (self);

  tt_a11y_name_list_item (widget, GTK_WIDGET (self->name_label), GTK_WIDGET (self->count_label));
  g_signal_connect (widget, "notify::parent", G_CALLBACK (tt_tag_row_describe_list_item), NULL);
}
