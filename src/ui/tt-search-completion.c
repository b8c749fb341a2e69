/* tt-search-completion.c: tag names completed inside the search field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Holds the search entry and, while the cursor is in a `tag:` word
 * (tt-search-syntax.h), a popover of the tags whose names start with what
 * was typed, then those that only contain it, as the tag editor's
 * suggestions do. Up/Down move in it; Enter takes the highlighted tag,
 * Tab the highlighted or the first one; Escape closes the popover, and
 * only a second Escape reaches the entry (which ends the search). The
 * keyboard stays in the entry throughout.
 */

#define G_LOG_DOMAIN "tt-search-completion"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-rules.h"
#include "tt-search-completion.h"
#include "tt-search-syntax.h"
#include "tt-tag-editor.h"

/* As in the tag editor: typing narrows the list down, and a list view
 * taking thousands of rows on each keystroke makes typing lag. */
#define MAX_SUGGESTIONS 100

struct _TtSearchCompletion
{
  GtkWidget           parent_instance;

  GtkWidget          *entry;
  GtkPopover         *popover;
  GtkListView        *list_view;
  GtkSingleSelection *selection;
  GtkFilterListModel *starts_model;
  GtkFilterListModel *contains_model;
  /* tt_rules_search_key() of the name in the tag word at the cursor, or
   * NULL when the cursor is in no tag word. */
  char               *typed_key;
  /* Escape closed the popover: it stays closed until the text changes. */
  guint               dismissed : 1;
  /* Showing or hiding the popover waits until the text and the cursor
   * have settled (tt_search_completion_update_popover()). */
  guint               popover_idle;
  /* We showed the popover and did not hide it; how many times GTK hid it
   * since the text last changed (see tt_search_completion_hidden_cb()). */
  guint               shown : 1;
  guint               hidden_by_gtk;
};

G_DEFINE_FINAL_TYPE (TtSearchCompletion, tt_search_completion, GTK_TYPE_WIDGET)

static gboolean
starts_with_typed (gpointer item,
                   gpointer user_data)
{
  TtSearchCompletion *self = user_data;

  return self->typed_key != NULL &&
         tt_search_syntax_match_tag (item, self->typed_key) == TT_SEARCH_MATCH_START;
}

static gboolean
only_contains_typed (gpointer item,
                     gpointer user_data)
{
  TtSearchCompletion *self = user_data;

  return self->typed_key != NULL &&
         tt_search_syntax_match_tag (item, self->typed_key) == TT_SEARCH_MATCH_INSIDE;
}

static GtkText *
tt_search_completion_get_text (TtSearchCompletion *self)
{
  return GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->entry)));
}

/* The tag word the cursor is in, if any. */
static gboolean
tt_search_completion_word_at_cursor (TtSearchCompletion *self,
                                     TtSearchTagWord    *word)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  int position = gtk_editable_get_position (GTK_EDITABLE (self->entry));
  const char *cursor = g_utf8_offset_to_pointer (text, position);

  return tt_search_syntax_tag_word_at (text, cursor - text, word);
}

/* The popover opens under the tag word being typed, not under the
 * start of the field. */
static void
tt_search_completion_point_at_word (TtSearchCompletion *self)
{
  GtkText *text = tt_search_completion_get_text (self);
  g_auto(TtSearchTagWord) word = { 0 };
  graphene_rect_t strong;
  graphene_point_t at;
  const char *chars;

  if (!tt_search_completion_word_at_cursor (self, &word))
    return;

  chars = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  gtk_text_compute_cursor_extents (text, g_utf8_pointer_to_offset (chars, chars + word.start),
                                   &strong, NULL);
  if (!gtk_widget_compute_point (GTK_WIDGET (text), GTK_WIDGET (self),
                                 &strong.origin, &at))
    return;

  gtk_popover_set_pointing_to (self->popover, &(GdkRectangle) {
                                 (int) at.x, 0, 1, gtk_widget_get_height (GTK_WIDGET (self)) });
}

static gboolean
tt_search_completion_should_show (TtSearchCompletion *self)
{
  return self->typed_key != NULL && !self->dismissed &&
         gtk_widget_get_mapped (self->entry) &&
         gtk_widget_has_focus (GTK_WIDGET (tt_search_completion_get_text (self))) &&
         g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0;
}

static void
tt_search_completion_update_popover_now (TtSearchCompletion *self)
{
  gboolean show = tt_search_completion_should_show (self);

  g_clear_handle_id (&self->popover_idle, g_source_remove);
  self->shown = show;
  if (show)
    {
      tt_search_completion_point_at_word (self);
      gtk_popover_popup (self->popover);
    }
  else
    gtk_popover_popdown (self->popover);

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry),
                               GTK_ACCESSIBLE_STATE_EXPANDED, show,
                               -1);
}

static gboolean
tt_search_completion_popover_idle_cb (gpointer data)
{
  TtSearchCompletion *self = data;

  self->popover_idle = 0;
  tt_search_completion_update_popover_now (self);
  return G_SOURCE_REMOVE;
}

/* Shown at once; hidden when the text and the cursor have settled:
 * replacing the text (gtk_editable_set_text() empties it first) would
 * hide it and show it again at once, and on GTK's X11 backend the unmap
 * of that hide came back after the show and closed it (GTK 4.18, and
 * now and then 4.8). */
static void
tt_search_completion_update_popover (TtSearchCompletion *self)
{
  if (tt_search_completion_should_show (self))
    tt_search_completion_update_popover_now (self);
  else if (self->popover_idle == 0)
    self->popover_idle = g_idle_add (tt_search_completion_popover_idle_cb, self);
}

/* GTK hid the popover, which we had shown. A popover follows its
 * surface's mapped state, and on X11 the unmap of a popover hidden a
 * moment before can come back after it was shown again, and hide it: it
 * is shown again, if it still should be (a few times at most, in case
 * something else keeps hiding it). */
static void
tt_search_completion_hidden_cb (TtSearchCompletion *self)
{
  if (!self->shown || self->hidden_by_gtk >= 3)
    return;
  self->shown = FALSE;
  self->hidden_by_gtk++;
  tt_search_completion_update_popover (self);
}

static void
tt_search_completion_refilter (TtSearchCompletion *self)
{
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->starts_model),
                      GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->contains_model),
                      GTK_FILTER_CHANGE_DIFFERENT);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
tt_search_completion_update (TtSearchCompletion *self)
{
  g_auto(TtSearchTagWord) word = { 0 };
  g_autofree char *key = NULL;

  if (tt_search_completion_word_at_cursor (self, &word))
    key = tt_rules_search_key (word.name);

  if (g_strcmp0 (key, self->typed_key) != 0)
    {
      g_free (self->typed_key);
      self->typed_key = g_steal_pointer (&key);
      tt_search_completion_refilter (self);
    }
  tt_search_completion_update_popover (self);
}

static void
tt_search_completion_text_changed_cb (TtSearchCompletion *self)
{
  self->dismissed = FALSE;
  self->hidden_by_gtk = 0;
  tt_search_completion_update (self);
}

/* Puts @tag's word in place of the tag word at the cursor, followed by a
 * space, with the cursor after it: the next word can be typed at once. */
static void
tt_search_completion_complete (TtSearchCompletion *self,
                               TtTag              *tag)
{
  GtkEditable *editable = GTK_EDITABLE (self->entry);
  g_auto(TtSearchTagWord) word = { 0 };
  g_autofree char *quoted = NULL;
  const char *text;
  gboolean space_after;
  int start, end, position;

  if (!tt_search_completion_word_at_cursor (self, &word))
    return;

  text = gtk_editable_get_text (editable);
  start = g_utf8_pointer_to_offset (text, text + word.start);
  end = g_utf8_pointer_to_offset (text, text + word.end);
  /* A space after the word already is used rather than doubled. */
  space_after = text[word.end] == ' ';
  quoted = tt_search_syntax_quote_tag (tt_tag_get_name (tag));

  if (!space_after)
    {
      char *spaced = g_strconcat (quoted, " ", NULL);

      g_free (quoted);
      quoted = spaced;
    }

  /* Inserted before the old word is deleted: the text is never empty on
   * the way, which the search entry would search for at once. */
  position = start;
  gtk_editable_insert_text (editable, quoted, -1, &position);
  gtk_editable_delete_text (editable, position, position + (end - start));
  gtk_editable_set_position (editable, space_after ? position + 1 : position);
}

static void
tt_search_completion_move (TtSearchCompletion *self,
                           int                 step)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint next;

  if (selected == GTK_INVALID_LIST_POSITION)
    next = step > 0 ? 0 : n_items - 1;
  else
    next = CLAMP ((int) selected + step, 0, (int) n_items - 1);

  gtk_single_selection_set_selected (self->selection, next);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", next);
}

/* Completes with the highlighted tag or, when @or_first, the first one. */
static gboolean
tt_search_completion_take (TtSearchCompletion *self,
                           gboolean            or_first)
{
  guint selected = gtk_single_selection_get_selected (self->selection);
  g_autoptr(TtTag) tag = NULL;

  if (selected == GTK_INVALID_LIST_POSITION && or_first)
    selected = 0;
  tag = g_list_model_get_item (G_LIST_MODEL (self->selection), selected);
  if (tag == NULL)
    return FALSE;

  tt_search_completion_complete (self, tag);
  /* Taken on purpose: closed at once, not when the text has settled. */
  tt_search_completion_update_popover_now (self);
  return TRUE;
}

/* Capture phase: the popover's keys, before the entry moves the cursor,
 * activates or ends the search, and before Tab moves the focus. */
static gboolean
tt_search_completion_key_pressed_cb (TtSearchCompletion    *self,
                                     guint                  keyval,
                                     guint                  keycode,
                                     GdkModifierType        state,
                                     GtkEventControllerKey *controller)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)) ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      tt_search_completion_move (self, 1);
      return GDK_EVENT_STOP;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      tt_search_completion_move (self, -1);
      return GDK_EVENT_STOP;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      return tt_search_completion_take (self, FALSE);
    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
      return tt_search_completion_take (self, TRUE);
    case GDK_KEY_Escape:
      self->dismissed = TRUE;
      tt_search_completion_update_popover_now (self);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
tt_search_completion_activate_cb (TtSearchCompletion *self,
                                  guint               position,
                                  GtkListView        *list_view)
{
  g_autoptr(TtTag) tag = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (tag != NULL)
    tt_search_completion_complete (self, tag);
}

static void
tt_search_completion_setup_cb (GtkSignalListItemFactory *factory,
                               GtkListItem              *list_item)
{
  tt_tag_suggestion_setup (list_item);
}

static void
tt_search_completion_bind_cb (GtkSignalListItemFactory *factory,
                              GtkListItem              *list_item)
{
  tt_tag_suggestion_bind (list_item);
}

/* ---- the widget ------------------------------------------------------ */

static void
tt_search_completion_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  TtSearchCompletion *self = TT_SEARCH_COMPLETION (widget);

  gtk_widget_measure (self->entry, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

/* The popover is not a child to lay out: it is placed under the entry. */
static void
tt_search_completion_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  TtSearchCompletion *self = TT_SEARCH_COMPLETION (widget);

  gtk_widget_size_allocate (self->entry, &(GtkAllocation) { 0, 0, width, height }, baseline);
  gtk_popover_present (self->popover);
}

static gboolean
tt_search_completion_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (TT_SEARCH_COMPLETION (widget)->entry);
}

static void
tt_search_completion_dispose (GObject *object)
{
  TtSearchCompletion *self = TT_SEARCH_COMPLETION (object);

  g_clear_handle_id (&self->popover_idle, g_source_remove);
  g_clear_pointer (&self->entry, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->popover, gtk_widget_unparent);
  g_clear_object (&self->starts_model);
  g_clear_object (&self->contains_model);

  G_OBJECT_CLASS (tt_search_completion_parent_class)->dispose (object);
}

static void
tt_search_completion_finalize (GObject *object)
{
  TtSearchCompletion *self = TT_SEARCH_COMPLETION (object);

  g_free (self->typed_key);

  G_OBJECT_CLASS (tt_search_completion_parent_class)->finalize (object);
}

static void
tt_search_completion_class_init (TtSearchCompletionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_search_completion_dispose;
  object_class->finalize = tt_search_completion_finalize;

  widget_class->measure = tt_search_completion_measure;
  widget_class->size_allocate = tt_search_completion_size_allocate;
  widget_class->grab_focus = tt_search_completion_grab_focus;
}

/* The matching tags: those that start with the typed name, then those
 * that only contain it (two filters rather than a sort, as in the tag
 * editor), the first MAX_SUGGESTIONS of them. */
static void
tt_search_completion_init_suggestions (TtSearchCompletion *self)
{
  g_autoptr(GListStore) parts = g_list_store_new (G_TYPE_LIST_MODEL);
  GtkFlattenListModel *flat;
  GtkSliceListModel *top;

  self->starts_model = gtk_filter_list_model_new (NULL,
      GTK_FILTER (gtk_custom_filter_new (starts_with_typed, self, NULL)));
  self->contains_model = gtk_filter_list_model_new (NULL,
      GTK_FILTER (gtk_custom_filter_new (only_contains_typed, self, NULL)));
  g_list_store_append (parts, self->starts_model);
  g_list_store_append (parts, self->contains_model);

  flat = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&parts)));
  top = gtk_slice_list_model_new (G_LIST_MODEL (flat), 0, MAX_SUGGESTIONS);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (top));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (tt_search_completion_update_popover),
                           self, G_CONNECT_SWAPPED);
}

static GtkWidget *
tt_search_completion_make_list (TtSearchCompletion *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (tt_search_completion_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (tt_search_completion_bind_cb), NULL);
  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (self->selection), factory));
  gtk_list_view_set_single_click_activate (self->list_view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Matching tags"),
                                  -1);
  g_signal_connect_object (self->list_view, "activate",
                           G_CALLBACK (tt_search_completion_activate_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 220);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 280);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list_view));

  return scrolled;
}

static void
tt_search_completion_init (TtSearchCompletion *self)
{
  tt_search_completion_init_suggestions (self);

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_autohide (self->popover, FALSE);
  g_signal_connect_object (self->popover, "hide", G_CALLBACK (tt_search_completion_hidden_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_popover_set_has_arrow (self->popover, FALSE);
  gtk_popover_set_position (self->popover, GTK_POS_BOTTOM);
  /* The keyboard stays in the entry while the popover is open. */
  gtk_widget_set_can_focus (GTK_WIDGET (self->popover), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->popover), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (self->popover), "tag-suggestions");
  gtk_popover_set_child (self->popover, tt_search_completion_make_list (self));
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
}

static void
tt_search_completion_watch_entry (TtSearchCompletion *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed",
                           G_CALLBACK (tt_search_completion_key_pressed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->entry, keys);
  /* GTK says a widget has the focus only while its window is active:
   * the list follows the window's focus too. */
  g_signal_connect_object (focus, "enter",
                           G_CALLBACK (tt_search_completion_update_popover),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (focus, "leave",
                           G_CALLBACK (tt_search_completion_update_popover),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->entry, focus);

  g_signal_connect_object (self->entry, "changed",
                           G_CALLBACK (tt_search_completion_text_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->entry, "notify::cursor-position",
                           G_CALLBACK (tt_search_completion_update),
                           self, G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_AUTOCOMPLETE,
                                  GTK_ACCESSIBLE_AUTOCOMPLETE_LIST,
                                  GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE,
                                  -1);
}

/**
 * tt_search_completion_new:
 * @entry: the search entry (a #GtkEditable), which it then holds
 */
GtkWidget *
tt_search_completion_new (GtkWidget *entry)
{
  TtSearchCompletion *self;

  g_return_val_if_fail (GTK_IS_EDITABLE (entry), NULL);
  g_return_val_if_fail (gtk_widget_get_parent (entry) == NULL, NULL);

  self = g_object_new (TT_TYPE_SEARCH_COMPLETION, NULL);
  self->entry = entry;
  gtk_widget_insert_after (entry, GTK_WIDGET (self), NULL);
  tt_search_completion_watch_entry (self);

  return GTK_WIDGET (self);
}

GtkWidget *
tt_search_completion_get_entry (TtSearchCompletion *self)
{
  g_return_val_if_fail (TT_IS_SEARCH_COMPLETION (self), NULL);

  return self->entry;
}

/**
 * tt_search_completion_set_tags:
 * @tags: (nullable) (element-type TtTag): the tags to suggest
 */
void
tt_search_completion_set_tags (TtSearchCompletion *self,
                               GListModel         *tags)
{
  g_autoptr(GtkSortListModel) by_name = NULL;

  g_return_if_fail (TT_IS_SEARCH_COMPLETION (self));
  g_return_if_fail (tags == NULL || G_IS_LIST_MODEL (tags));

  /* By name, as the sidebar lists them (the catalogue's list is by id). */
  if (tags != NULL)
    by_name = gtk_sort_list_model_new (g_object_ref (tags),
        GTK_SORTER (gtk_custom_sorter_new ((GCompareDataFunc) tt_tag_compare_by_name_data, NULL, NULL)));
  gtk_filter_list_model_set_model (self->starts_model, G_LIST_MODEL (by_name));
  gtk_filter_list_model_set_model (self->contains_model, G_LIST_MODEL (by_name));
}

GtkPopover *
_tt_search_completion_get_popover (TtSearchCompletion *self)
{
  return self->popover;
}

GtkSingleSelection *
_tt_search_completion_get_selection (TtSearchCompletion *self)
{
  return self->selection;
}
