/* tt-tag-chip.c: one tag of a tag editor, shown as a pill
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A chip only shows its tag and asks to be removed (the "remove" signal,
 * from its close button). Keyboard handling lives in TtTagEditor, which
 * knows the neighbours a key should move to.
 */

#define G_LOG_DOMAIN "tt-tag-chip"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-rules.h"
#include "tt-tag-chip.h"

/* Names longer than this are ellipsized, and the whole name goes into a
 * tooltip so that it can still be read. */
#define MAX_WIDTH_CHARS 24

struct _TtTagChip
{
  GtkWidget  parent_instance;

  TtTag     *tag;
  gboolean   selected;

  /* Template widgets */
  GtkLabel  *label;
  GtkButton *close_button;
};

G_DEFINE_FINAL_TYPE (TtTagChip, tt_tag_chip, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TAG,
  PROP_SELECTED,
  N_PROPS
};

enum {
  REMOVE,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

GtkWidget *
tt_tag_chip_new (TtTag *tag)
{
  g_return_val_if_fail (TT_IS_TAG (tag), NULL);

  return g_object_new (TT_TYPE_TAG_CHIP,
                       "tag", tag,
                       NULL);
}

static void
tt_tag_chip_update_name (TtTagChip *self)
{
  g_autofree char *remove_label = NULL;
  const char *name;
  const char *tooltip;

  name = self->tag != NULL ? tt_tag_get_name (self->tag) : NULL;
  if (name == NULL)
    name = "";

  gtk_label_set_label (self->label, name);
  tooltip = g_utf8_strlen (name, -1) > MAX_WIDTH_CHARS ? name : NULL;
  /* Only when it changes: GTK 4.8's gtk_widget_set_tooltip_text() asks
   * the X server where the pointer is, even to set none. */
  if (g_strcmp0 (tooltip, gtk_widget_get_tooltip_text (GTK_WIDGET (self->label))) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->label), tooltip);

  /* Translators: the accessible label of the close button of a tag chip;
   * %s is the name of the tag. */
  remove_label = g_strdup_printf (_("Remove tag %s"), name);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->close_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
}

void
tt_tag_chip_show_colour (GtkWidget  *widget,
                         const char *colour)
{
  const char * const *palette = tt_rules_tag_colours ();
  const char *label = tt_rules_tag_colour_label (colour);

  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (guint i = 0; palette[i] != NULL; i++)
    {
      g_autofree char *css_class = g_strconcat ("tag-colour-", palette[i], NULL);

      if (g_strcmp0 (palette[i], colour) == 0)
        gtk_widget_add_css_class (widget, css_class);
      else
        gtk_widget_remove_css_class (widget, css_class);
    }

  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
tt_tag_chip_update_colour (TtTagChip *self)
{
  tt_tag_chip_show_colour (GTK_WIDGET (self), self->tag != NULL ? tt_tag_get_colour (self->tag) : NULL);
}

static void
tt_tag_chip_remove_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  g_signal_emit (widget, signals [REMOVE], 0);
}

/* A chip has no click behaviour of its own, so GTK would not focus it on
 * click; focusing it lets a mouse user pick a chip and press Delete.
 * Claiming the click keeps the editor from sending focus to its text. */
static void
on_click_pressed_cb (TtTagChip       *self,
                     int              n_press,
                     double           x,
                     double           y,
                     GtkGestureClick *gesture)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
tt_tag_chip_dispose (GObject *object)
{
  TtTagChip *self = (TtTagChip *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_TAG_CHIP);
  g_clear_object (&self->tag);

  G_OBJECT_CLASS (tt_tag_chip_parent_class)->dispose (object);
}

static void
tt_tag_chip_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TtTagChip *self = TT_TAG_CHIP (object);

  switch (prop_id)
    {
    case PROP_TAG:
      g_value_set_object (value, self->tag);
      break;

    case PROP_SELECTED:
      g_value_set_boolean (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tag_chip_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TtTagChip *self = TT_TAG_CHIP (object);

  switch (prop_id)
    {
    case PROP_TAG:
      tt_tag_chip_set_tag (self, g_value_get_object (value));
      break;

    case PROP_SELECTED:
      tt_tag_chip_set_selected (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tag_chip_class_init (TtTagChipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_tag_chip_dispose;
  object_class->get_property = tt_tag_chip_get_property;
  object_class->set_property = tt_tag_chip_set_property;

  properties [PROP_TAG] =
    g_param_spec_object ("tag", NULL, NULL,
                         TT_TYPE_TAG,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TtTagChip::remove:
   *
   * The close button was clicked.
   */
  signals [REMOVE] =
    g_signal_new ("remove",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "chip.remove", NULL,
                                   tt_tag_chip_remove_action);

  gtk_widget_class_set_css_name (widget_class, "chip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/TutorialTags/tt-tag-chip.ui");
  gtk_widget_class_bind_template_child (widget_class, TtTagChip, label);
  gtk_widget_class_bind_template_child (widget_class, TtTagChip, close_button);
  gtk_widget_class_bind_template_callback (widget_class, on_click_pressed_cb);
}

static void
tt_tag_chip_init (TtTagChip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TtTag *
tt_tag_chip_get_tag (TtTagChip *self)
{
  g_return_val_if_fail (TT_IS_TAG_CHIP (self), NULL);

  return self->tag;
}

/* Replacing the tag keeps the widget, and so the keyboard focus, which
 * matters when a provisional tag is swapped for the one the store made. */
void
tt_tag_chip_set_tag (TtTagChip *self,
                     TtTag     *tag)
{
  g_return_if_fail (TT_IS_TAG_CHIP (self));
  g_return_if_fail (!tag || TT_IS_TAG (tag));

  if (self->tag == tag)
    return;

  if (self->tag != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->tag, tt_tag_chip_update_name, self);
      g_signal_handlers_disconnect_by_func (self->tag, tt_tag_chip_update_colour, self);
    }

  g_set_object (&self->tag, tag);

  if (tag != NULL)
    {
      g_signal_connect_object (tag, "notify::name",
                               G_CALLBACK (tt_tag_chip_update_name), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (tag, "notify::colour",
                               G_CALLBACK (tt_tag_chip_update_colour), self,
                               G_CONNECT_SWAPPED);
    }

  tt_tag_chip_update_name (self);
  tt_tag_chip_update_colour (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TAG]);
}

gboolean
tt_tag_chip_get_selected (TtTagChip *self)
{
  g_return_val_if_fail (TT_IS_TAG_CHIP (self), FALSE);

  return self->selected;
}

void
tt_tag_chip_set_selected (TtTagChip *self,
                          gboolean   selected)
{
  g_return_if_fail (TT_IS_TAG_CHIP (self));

  selected = !!selected;
  if (self->selected == selected)
    return;

  self->selected = selected;

  if (selected)
    gtk_widget_set_state_flags (GTK_WIDGET (self), GTK_STATE_FLAG_SELECTED, FALSE);
  else
    gtk_widget_unset_state_flags (GTK_WIDGET (self), GTK_STATE_FLAG_SELECTED);

  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_SELECTED, selected,
                               -1);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED]);
}
