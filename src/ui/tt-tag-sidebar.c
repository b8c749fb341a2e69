/* tt-tag-sidebar.c: the tag sidebar of the main window, and its dialogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sidebar lists "All Tutorials", "Untagged", then every tag of its
 * "tags" model. Several tags can be selected (Ctrl+click) to show the
 * tutorials with any or all of them; "All Tutorials" and "Untagged"
 * stand alone. That choice, the filter, is the sidebar's: it is kept as
 * tag ids, since the controller replaces every tag after a change, and
 * the selection is rebuilt from it whenever the tags change. Whoever
 * shows the tutorials asks for it on ::filter-changed.
 *
 * The tags are sorted (by name, by count or by recent use: "tag-sort")
 * and filtered by the text of the field above them, matched as tag
 * suggestions are (case and accents ignored). Each tag's folded name
 * is made once (tt_tag_get_search_key()), so a keystroke only compares:
 * 10 000 tags stay instant. Tags in the filter stay listed whatever is
 * typed, so that the selection always shows what the list shows.
 *
 * The dialogs that make, rename, merge and delete tags are the sidebar's
 * too. A merge is asked about in one place (tt_tag_sidebar_confirm_merge())
 * however it was started: a rename onto another tag's name, a tag
 * dropped on another, or "Merge Into…" in a tag's menu. They change nothing themselves: they activate the controller's
 * "tag." actions, which an ancestor (the window) provides.
 */

#define G_LOG_DOMAIN "tt-tag-sidebar"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tt-format.h"
#include "tt-rules.h"
#include "tt-tag.h"
#include "tt-tag-row.h"
#include "tt-tag-sidebar.h"

/* The list starts with the two filter entries, then the tags. */
#define N_FILTER_ROWS 2

struct _TtTagSidebar
{
  GtkWidget          parent_instance;

  GListModel        *tags;              /* nullable */
  GListStore        *sections;          /* the filter rows, then the tags */
  /* A tag renamed from here: its row gets the focus once the list has
   * it where its new name sorts it (0: none). */
  gint64             focus_tag_id;
  char              *focus_tag_key;     /* its new name, case-folded */
  guint              focus_frames_left;
  guint              focus_row_source;  /* moves the list's own focus to a row */
  GtkMultiSelection *selection;
  GtkSortListModel  *sorted_tags;
  GtkFilterListModel *shown_tags;
  GtkStringObject   *untagged_row;

  char              *filter_key;        /* tt_rules_search_key() of the text, or NULL */
  char              *tag_sort;          /* "name", "count" or "recent" */
  gint64             untagged_count;    /* -1: not known */

  TtTagFilter        filter;
  GArray            *tag_ids;           /* gint64, with TT_TAG_FILTER_TAGS */
  char              *tag_match;         /* "any" or "all" */
  char              *filter_title;

  guint              syncing : 1;
  guint              folded : 1;

  /* Template widgets */
  AdwHeaderBar      *header_bar;
  GtkSearchEntry    *filter_entry;
  GtkScrolledWindow *tag_scroller;
  GtkGridView       *tag_list;
  AdwStatusPage     *no_tags_page;
  GtkRevealer       *match_revealer;
};

G_DEFINE_FINAL_TYPE (TtTagSidebar, tt_tag_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TAGS,
  PROP_TAG_MATCH,
  PROP_FILTER_TITLE,
  PROP_FOLDED,
  PROP_TAG_SORT,
  PROP_UNTAGGED_COUNT,
  N_PROPS
};

enum {
  FILTER_CHANGED,
  FILTER_ACTIVATED,
  TAG_DELETED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

GtkWidget *
tt_tag_sidebar_new (void)
{
  return g_object_new (TT_TYPE_TAG_SIDEBAR, NULL);
}

/* ---- finding tags ---------------------------------------------------- */

/* Returns: (transfer full) (nullable): the tag with @tag_id */
static TtTag *
tt_tag_sidebar_find (TtTagSidebar *self,
                     gint64        tag_id)
{
  guint n = self->tags != NULL ? g_list_model_get_n_items (self->tags) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (self->tags, i);

      if (tt_tag_get_id (tag) == tag_id)
        return g_steal_pointer (&tag);
    }

  return NULL;
}

/* Returns: (transfer full) (nullable): the tag called @name in any case */
static TtTag *
tt_tag_sidebar_find_by_name (TtTagSidebar *self,
                             const char   *name)
{
  guint n = self->tags != NULL ? g_list_model_get_n_items (self->tags) : 0;
  g_autofree char *key = tt_tag_name_key (name);

  for (guint i = 0; i < n && key != NULL; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (self->tags, i);
      g_autofree char *tag_key = tt_tag_name_key (tt_tag_get_name (tag));

      if (g_strcmp0 (key, tag_key) == 0)
        return g_steal_pointer (&tag);
    }

  return NULL;
}

static gboolean
tt_tag_sidebar_is_single (TtTagSidebar *self)
{
  return self->filter == TT_TAG_FILTER_TAGS && self->tag_ids->len == 1;
}

/* Returns: (transfer full) (nullable): the tag the filter is, if one */
static TtTag *
tt_tag_sidebar_get_single (TtTagSidebar *self)
{
  if (!tt_tag_sidebar_is_single (self))
    return NULL;

  return tt_tag_sidebar_find (self, g_array_index (self->tag_ids, gint64, 0));
}

/* Returns: (transfer full): what the list shows, as its title */
static char *
tt_tag_sidebar_describe_filter (TtTagSidebar *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (self->filter == TT_TAG_FILTER_ALL)
    return g_strdup (_("All Tutorials"));
  if (self->filter == TT_TAG_FILTER_UNTAGGED)
    return g_strdup (_("Untagged"));

  for (guint i = 0; i < self->tag_ids->len; i++)
    {
      g_autoptr(TtTag) tag = tt_tag_sidebar_find (self, g_array_index (self->tag_ids, gint64, i));

      if (tag != NULL)
        g_ptr_array_add (names, g_strdup (tt_tag_get_name (tag)));
    }
  g_ptr_array_add (names, NULL);

  /* Translators: what separates the names of the tags a list shows */
  return g_strjoinv (_(", "), (char **) names->pdata);
}

/* ---- the filter and the selection ------------------------------------ */

static gboolean
tt_tag_sidebar_filter_has (TtTagSidebar *self,
                           gint64        tag_id)
{
  for (guint i = 0; i < self->tag_ids->len; i++)
    {
      if (g_array_index (self->tag_ids, gint64, i) == tag_id)
        return TRUE;
    }

  return FALSE;
}

/* Makes the selection say what the filter is. */
static void
tt_tag_sidebar_sync_selection (TtTagSidebar *self)
{
  GListModel *rows = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (rows);
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) all = gtk_bitset_new_range (0, n);

  if (self->filter == TT_TAG_FILTER_ALL)
    gtk_bitset_add (selected, 0);
  else if (self->filter == TT_TAG_FILTER_UNTAGGED)
    gtk_bitset_add (selected, 1);
  else
    for (guint i = N_FILTER_ROWS; i < n; i++)
      {
        g_autoptr(TtTag) tag = g_list_model_get_item (rows, i);

        if (tt_tag_sidebar_filter_has (self, tt_tag_get_id (tag)))
          gtk_bitset_add (selected, i);
      }

  self->syncing = TRUE;
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, all);
  self->syncing = FALSE;
}

static void
tt_tag_sidebar_update_actions (TtTagSidebar *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sidebar.rename-selected-tag",
                                 tt_tag_sidebar_is_single (self));
  gtk_revealer_set_reveal_child (self->match_revealer,
                                 self->filter == TT_TAG_FILTER_TAGS &&
                                 self->tag_ids->len > 1);
}

/* The title changes with the filter, and with the names of its tags. */
static void
tt_tag_sidebar_update_filter_title (TtTagSidebar *self)
{
  g_autofree char *title = tt_tag_sidebar_describe_filter (self);

  if (g_strcmp0 (title, self->filter_title) == 0)
    return;

  g_free (self->filter_title);
  self->filter_title = g_steal_pointer (&title);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FILTER_TITLE]);
}

/* Everything that shows the filter, after it was set or the tags
 * changed; ::filter-changed only when it is another filter. */
static void
tt_tag_sidebar_filter_updated (TtTagSidebar *self,
                               gboolean      changed)
{
  tt_tag_sidebar_sync_selection (self);
  tt_tag_sidebar_update_actions (self);
  tt_tag_sidebar_update_filter_title (self);

  if (changed)
    g_signal_emit (self, signals [FILTER_CHANGED], 0);
}

static gboolean
tt_tag_sidebar_has_tag_ids (TtTagSidebar *self,
                            const gint64 *tag_ids,
                            guint         n_tag_ids)
{
  return self->tag_ids->len == n_tag_ids &&
         (n_tag_ids == 0 ||
          memcmp (self->tag_ids->data, tag_ids, n_tag_ids * sizeof (gint64)) == 0);
}

/**
 * tt_tag_sidebar_set_filter:
 * @tag_ids: (array length=n_tag_ids) (nullable): with %TT_TAG_FILTER_TAGS,
 *   the tags to show the tutorials of; ignored otherwise
 *
 * Selects what @filter says, as if the person had.
 */
void
tt_tag_sidebar_set_filter (TtTagSidebar *self,
                           TtTagFilter   filter,
                           const gint64 *tag_ids,
                           guint         n_tag_ids)
{
  gboolean changed;

  g_return_if_fail (TT_IS_TAG_SIDEBAR (self));
  g_return_if_fail (filter != TT_TAG_FILTER_TAGS || (tag_ids != NULL && n_tag_ids > 0));

  if (filter != TT_TAG_FILTER_TAGS)
    n_tag_ids = 0;
  changed = filter != self->filter || !tt_tag_sidebar_has_tag_ids (self, tag_ids, n_tag_ids);

  self->filter = filter;
  g_array_set_size (self->tag_ids, 0);
  g_array_append_vals (self->tag_ids, tag_ids, n_tag_ids);
  tt_tag_sidebar_filter_updated (self, changed);
}

/* What the person selected, read as a filter. "All Tutorials" or
 * "Untagged" added to a selection of tags replaces them, and the other
 * way round. */
static void
tt_tag_sidebar_selection_changed_cb (TtTagSidebar      *self,
                                     guint              position,
                                     guint              n_items,
                                     GtkSelectionModel *selection)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkBitsetIter iter;
  guint i;

  if (self->syncing)
    return;

  for (gboolean ok = gtk_bitset_iter_init_at (&iter, selected, N_FILTER_ROWS, &i);
       ok;
       ok = gtk_bitset_iter_next (&iter, &i))
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (G_LIST_MODEL (selection), i);
      gint64 id = tt_tag_get_id (tag);

      g_array_append_val (ids, id);
    }

  if (gtk_bitset_contains (selected, 0) && self->filter != TT_TAG_FILTER_ALL)
    tt_tag_sidebar_set_filter (self, TT_TAG_FILTER_ALL, NULL, 0);
  else if (gtk_bitset_contains (selected, 1) && self->filter != TT_TAG_FILTER_UNTAGGED)
    tt_tag_sidebar_set_filter (self, TT_TAG_FILTER_UNTAGGED, NULL, 0);
  else if (ids->len > 0)
    tt_tag_sidebar_set_filter (self, TT_TAG_FILTER_TAGS, (gint64 *) (gpointer) ids->data, ids->len);
  else if (gtk_bitset_contains (selected, 1))
    tt_tag_sidebar_set_filter (self, TT_TAG_FILTER_UNTAGGED, NULL, 0);
  else
    tt_tag_sidebar_set_filter (self, TT_TAG_FILTER_ALL, NULL, 0);
}

/* Drops deleted tags from the filter. Returns whether it changed. */
static gboolean
tt_tag_sidebar_prune_filter (TtTagSidebar *self)
{
  guint before = self->tag_ids->len;

  for (guint i = self->tag_ids->len; i > 0; i--)
    {
      g_autoptr(TtTag) tag = tt_tag_sidebar_find (self, g_array_index (self->tag_ids, gint64, i - 1));

      if (tag == NULL)
        g_array_remove_index (self->tag_ids, i - 1);
    }

  if (self->filter == TT_TAG_FILTER_TAGS && self->tag_ids->len == 0)
    self->filter = TT_TAG_FILTER_ALL;

  return self->tag_ids->len != before;
}

/* GTK 4.8 leaves the window's focus on the item widget of a row that
 * went away (deleted with the Delete key): keys then reach nothing, not
 * even Ctrl+Z. The list takes the focus back, on a row still there. */
static void
tt_tag_sidebar_keep_focus (TtTagSidebar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && gtk_widget_get_root (focus) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->tag_list));
}

/* The item widget of the first selected row the list has made, or of
 * its first row when it made none of them. */
static GtkWidget *
tt_tag_sidebar_find_selected_item (TtTagSidebar *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GObject) wanted = NULL;
  GtkWidget *first = NULL;

  if (!gtk_bitset_is_empty (selected))
    wanted = g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_minimum (selected));

  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->tag_list));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      GObject *shown = TT_IS_TAG_ROW (row) ? tt_tag_row_get_item (TT_TAG_ROW (row)) : NULL;

      if (shown != NULL && shown == wanted)
        return item;
      if (shown != NULL && first == NULL)
        first = item;
    }
  return first;
}

static gboolean
tt_tag_sidebar_focus_row_cb (gpointer user_data)
{
  TtTagSidebar *self = user_data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *item;

  self->focus_row_source = 0;
  if (root == NULL || gtk_root_get_focus (root) != GTK_WIDGET (self->tag_list))
    return G_SOURCE_REMOVE;
  item = tt_tag_sidebar_find_selected_item (self);
  if (item != NULL)
    gtk_widget_grab_focus (item);
  return G_SOURCE_REMOVE;
}

/* GTK 4.8's grid view given the focus itself (Escape in the filter, a
 * row deleted, a click beside the rows) keeps it with no row focused,
 * and then Up and Down move nothing (a list view's Down happened to
 * reach its first row). The focus goes on to the selected row: once
 * the window has finished setting it, since it cannot be moved from
 * inside that. */
static void
tt_tag_sidebar_list_focused_cb (TtTagSidebar            *self,
                                GtkEventControllerFocus *controller)
{
  if (self->focus_row_source == 0)
    self->focus_row_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, tt_tag_sidebar_focus_row_cb,
                                              self, NULL);
}

/* The item widget of the row of tag @id called @key (case-folded), if
 * the list shows it: until the rename is done, the row with the old name
 * is there, soon to go. */
static GtkWidget *
tt_tag_sidebar_find_row_item (TtTagSidebar *self,
                              gint64        id,
                              const char   *key)
{
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->tag_list));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      GObject *tag = TT_IS_TAG_ROW (row) ? tt_tag_row_get_item (TT_TAG_ROW (row)) : NULL;

      g_autofree char *row_key = NULL;

      if (!TT_IS_TAG (tag) || tt_tag_get_id (TT_TAG (tag)) != id)
        continue;
      row_key = g_utf8_casefold (tt_tag_get_name (TT_TAG (tag)), -1);
      if (g_strcmp0 (row_key, key) == 0)
        return item;
    }
  return NULL;
}

/* A rename re-sorts the list, which makes the row again elsewhere (and
 * the focus was on the old one): the new row takes it, on the first
 * frame that shows it. */
static gboolean
tt_tag_sidebar_focus_renamed_cb (GtkWidget     *list,
                                 GdkFrameClock *clock,
                                 gpointer       user_data)
{
  TtTagSidebar *self = user_data;
  GtkWidget *item = tt_tag_sidebar_find_row_item (self, self->focus_tag_id, self->focus_tag_key);

  if (item == NULL && --self->focus_frames_left > 0)
    return G_SOURCE_CONTINUE;
  if (item != NULL)
    gtk_widget_grab_focus (item);
  self->focus_tag_id = 0;
  g_clear_pointer (&self->focus_tag_key, g_free);
  return G_SOURCE_REMOVE;
}

static void
tt_tag_sidebar_rename (TtTagSidebar *self,
                       gint64        tag_id,
                       const char   *name,
                       gint64        focus_id,
                       const char   *focus_name)
{
  if (self->focus_tag_id == 0)
    gtk_widget_add_tick_callback (GTK_WIDGET (self->tag_list), tt_tag_sidebar_focus_renamed_cb,
                                  self, NULL);
  self->focus_tag_id = focus_id;
  g_free (self->focus_tag_key);
  self->focus_tag_key = g_utf8_casefold (focus_name, -1);
  /* About two seconds at 60 frames a second: the store answers first. */
  self->focus_frames_left = 120;
  gtk_widget_activate_action (GTK_WIDGET (self), "tag.rename", "(xs)", tag_id, name);
}

static void
tt_tag_sidebar_rows_changed_cb (TtTagSidebar *self,
                                guint         position,
                                guint         removed,
                                guint         added,
                                GListModel   *model)
{
  gboolean empty = self->tags == NULL || g_list_model_get_n_items (self->tags) == 0;

  /* No tags: the two filter rows on top, the empty state below them. */
  gtk_widget_set_visible (GTK_WIDGET (self->no_tags_page), empty && self->tags != NULL);
  gtk_widget_set_vexpand (GTK_WIDGET (self->tag_scroller), !empty);
  gtk_scrolled_window_set_propagate_natural_height (self->tag_scroller, empty);

  /* A tag in the title may have been renamed, too. */
  tt_tag_sidebar_filter_updated (self, tt_tag_sidebar_prune_filter (self));
  if (removed > 0)
    tt_tag_sidebar_keep_focus (self);
}

/* A click when the sidebar is all there is room for, or Enter. */
static void
tt_tag_sidebar_activated_cb (TtTagSidebar *self,
                             guint         position,
                             GtkGridView  *grid_view)
{
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);

  if (!gtk_selection_model_is_selected (selection, position))
    gtk_selection_model_select_item (selection, position, TRUE);

  g_signal_emit (self, signals [FILTER_ACTIVATED], 0);
}

/* ---- filtering and sorting ------------------------------------------- */

static gboolean
tt_tag_sidebar_tag_shown_cb (gpointer item,
                             gpointer user_data)
{
  TtTagSidebar *self = user_data;
  TtTag *tag = item;

  return self->filter_key == NULL ||
         strstr (tt_tag_get_search_key (tag), self->filter_key) != NULL ||
         tt_tag_sidebar_filter_has (self, tt_tag_get_id (tag));
}

/* How the rows shown change from @before to @after: the filter model
 * then looks only at the rows that can change. */
static GtkFilterChange
filter_change_between (const char *before,
                       const char *after)
{
  if (before == NULL || (after != NULL && strstr (after, before) != NULL))
    return GTK_FILTER_CHANGE_MORE_STRICT;
  if (after == NULL || strstr (before, after) != NULL)
    return GTK_FILTER_CHANGE_LESS_STRICT;
  return GTK_FILTER_CHANGE_DIFFERENT;
}

static void
tt_tag_sidebar_filter_text_changed_cb (TtTagSidebar *self,
                                       GtkEditable  *entry)
{
  g_autofree char *text = tt_rules_strip (gtk_editable_get_text (entry));
  g_autofree char *key = text[0] != '\0' ? tt_rules_search_key (text) : NULL;
  GtkFilterChange change;

  if (g_strcmp0 (key, self->filter_key) == 0)
    return;

  change = filter_change_between (self->filter_key, key);
  g_free (self->filter_key);
  self->filter_key = g_steal_pointer (&key);
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->shown_tags), change);
}

/* Escape: clears the text, then goes back to the tags. */
static void
tt_tag_sidebar_stop_filter_cb (TtTagSidebar   *self,
                               GtkSearchEntry *entry)
{
  if (gtk_editable_get_text (GTK_EDITABLE (entry))[0] != '\0')
    gtk_editable_set_text (GTK_EDITABLE (entry), "");
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->tag_list));
}

static int
compare_counts (TtTag *a,
                TtTag *b)
{
  guint x = tt_tag_get_tutorial_count (a);
  guint y = tt_tag_get_tutorial_count (b);

  return (x < y) - (x > y);
}

/* Newest first; never used last. */
static int
compare_last_use (TtTag *a,
                  TtTag *b)
{
  GDateTime *x = tt_tag_get_last_linked_at (a);
  GDateTime *y = tt_tag_get_last_linked_at (b);

  if (x == NULL || y == NULL)
    return (x == NULL) - (y == NULL);
  return g_date_time_compare (y, x);
}

/* Coloured tags first, as Zotero lists them: a colour marks the tags
 * one wants at hand. */
static int
compare_coloured (TtTag *a,
                  TtTag *b)
{
  return (tt_tag_get_colour (a) == NULL) - (tt_tag_get_colour (b) == NULL);
}

/* Coloured first, then the order "tag-sort" says, then by name
 * (tt_tag_compare_by_name()). */
static int
tt_tag_sidebar_compare_cb (gconstpointer a,
                           gconstpointer b,
                           gpointer      user_data)
{
  TtTagSidebar *self = user_data;
  int c = compare_coloured (TT_TAG ((gpointer) a), TT_TAG ((gpointer) b));

  if (c != 0)
    return c;
  if (g_str_equal (self->tag_sort, "count"))
    c = compare_counts (TT_TAG ((gpointer) a), TT_TAG ((gpointer) b));
  else if (g_str_equal (self->tag_sort, "recent"))
    c = compare_last_use (TT_TAG ((gpointer) a), TT_TAG ((gpointer) b));

  return c != 0 ? c : tt_tag_compare_by_name (TT_TAG ((gpointer) a), TT_TAG ((gpointer) b));
}

/* A character typed with the focus on a row goes on in the filter.
 * Not GtkSearchEntry's key capture: it hands every key to the field
 * first, and its text swallowed Delete, which deletes the focused tag. */
static gboolean
tt_tag_sidebar_type_to_find_cb (TtTagSidebar          *self,
                                guint                  keyval,
                                guint                  keycode,
                                GdkModifierType        state,
                                GtkEventControllerKey *controller)
{
  GtkEditable *entry = GTK_EDITABLE (self->filter_entry);
  gunichar c = gdk_keyval_to_unicode (keyval);
  char utf8[8] = { 0 };
  int position;

  if (!g_unichar_isgraph (c) || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  g_unichar_to_utf8 (c, utf8);
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  position = g_utf8_strlen (gtk_editable_get_text (entry), -1);
  gtk_editable_insert_text (entry, utf8, -1, &position);
  gtk_editable_set_position (entry, position);
  return GDK_EVENT_STOP;
}

/* Typing on a row goes on in the filter; the focus given to the list
 * goes on to a row. */
static void
tt_tag_sidebar_init_list_controllers (TtTagSidebar *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (tt_tag_sidebar_type_to_find_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->tag_list), keys);
  g_signal_connect_object (focus, "enter", G_CALLBACK (tt_tag_sidebar_list_focused_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->tag_list), focus);
}

/* Ctrl+F with the focus in the sidebar: its filter, not the search of
 * the tutorials (the window's Ctrl+F). */
static gboolean
tt_tag_sidebar_focus_filter_cb (GtkWidget *widget,
                                GVariant  *args,
                                gpointer   user_data)
{
  TtTagSidebar *self = TT_TAG_SIDEBAR (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->filter_entry), 0, -1);
  return TRUE;
}

/* ---- naming a tag ---------------------------------------------------- */

static GtkWindow *
tt_tag_sidebar_get_window (TtTagSidebar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

typedef struct
{
  TtTagSidebar *sidebar;
  TtTag        *tag;       /* renamed, or NULL for a new tag */
  GtkEntry     *entry;
} NameDialog;

static void
name_dialog_free (gpointer data)
{
  NameDialog *state = data;

  g_clear_object (&state->tag);
  g_free (state);
}

static char *
name_dialog_dup_name (NameDialog *state)
{
  g_autofree char *name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (state->entry)));

  return g_strdup (g_strstrip (name));
}

/* "Will merge into …" while a rename's name is another tag's: said as
 * it is typed, asked about after Rename. */
static char *
name_dialog_describe_merge (NameDialog *state,
                            const char *name)
{
  g_autoptr(TtTag) target = tt_tag_sidebar_find_by_name (state->sidebar, name);
  g_autofree char *target_name = NULL;

  if (target == NULL || tt_tag_get_id (target) == tt_tag_get_id (state->tag))
    return g_strdup ("");
  target_name = tt_format_shorten (tt_tag_get_name (target), TT_FORMAT_QUOTED_CHARS);
  /* Translators: %s is the name of the tag the renamed one merges into */
  return g_strdup_printf (_("Will merge into “%s”."), target_name);
}

/* A new tag needs a name nobody has; a rename onto another tag's name is
 * a merge. */
static void
name_dialog_changed_cb (AdwMessageDialog *dialog,
                        GtkEditable      *entry)
{
  NameDialog *state = g_object_get_data (G_OBJECT (dialog), "state");
  g_autofree char *name = name_dialog_dup_name (state);
  g_autofree char *merge = NULL;
  g_autoptr(TtTag) existing = NULL;
  gboolean valid = name[0] != '\0';

  if (valid && state->tag == NULL)
    existing = tt_tag_sidebar_find_by_name (state->sidebar, name);
  else if (valid)
    valid = g_strcmp0 (name, tt_tag_get_name (state->tag)) != 0;
  if (state->tag != NULL)
    merge = name_dialog_describe_merge (state, name);

  if (existing != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  adw_message_dialog_set_body (dialog, existing != NULL ? _("A tag with that name already exists")
                                       : merge != NULL ? merge : "");
  adw_message_dialog_set_response_enabled (dialog, "apply", valid && existing == NULL);
}

static AdwMessageDialog *
name_dialog_new (TtTagSidebar *self,
                 TtTag        *tag,
                 const char   *heading,
                 const char   *apply_label)
{
  AdwMessageDialog *dialog;
  NameDialog *state = g_new0 (NameDialog, 1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (tt_tag_sidebar_get_window (self), heading, NULL));
  state->sidebar = self;
  state->tag = tag != NULL ? g_object_ref (tag) : NULL;
  state->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_activates_default (state->entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (state->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tag name"), -1);
  g_object_set_data_full (G_OBJECT (dialog), "state", state, name_dialog_free);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "apply", apply_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "apply");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (state->entry));
  if (tag != NULL)
    gtk_editable_set_text (GTK_EDITABLE (state->entry), tt_tag_get_name (tag));

  g_signal_connect_object (state->entry, "changed",
                           G_CALLBACK (name_dialog_changed_cb),
                           dialog, G_CONNECT_SWAPPED);
  name_dialog_changed_cb (dialog, GTK_EDITABLE (state->entry));

  return dialog;
}

static void
tt_tag_sidebar_merge_response_cb (AdwMessageDialog *dialog,
                                  const char       *response,
                                  TtTagSidebar     *self)
{
  TtTag *tag = g_object_get_data (G_OBJECT (dialog), "tag");
  TtTag *target = g_object_get_data (G_OBJECT (dialog), "target");
  const char *name = g_object_get_data (G_OBJECT (dialog), "name");

  if (g_str_equal (response, "merge"))
    tt_tag_sidebar_rename (self, tt_tag_get_id (tag), name, tt_tag_get_id (target),
                           tt_tag_get_name (target));
}

static void
tt_tag_sidebar_confirm_merge (TtTagSidebar *self,
                              TtTag        *tag,
                              TtTag        *target,
                              const char   *name)
{
  guint count = tt_tag_get_tutorial_count (tag);
  g_autofree char *tag_name = tt_format_shorten (tt_tag_get_name (tag), TT_FORMAT_QUOTED_CHARS);
  g_autofree char *target_name = tt_format_shorten (tt_tag_get_name (target), TT_FORMAT_QUOTED_CHARS);
  g_autofree char *question = NULL;
  g_autofree char *consequence = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: %s is the name of the tag another one is merged into */
  question = g_strdup_printf (_("Merge into “%s”?"), target_name);
  /* Translators: the first %s is the tag that goes away, %u the number of
   * its tutorials, the second %s the tag they get instead */
  consequence = g_strdup_printf (ngettext ("“%s” goes away, and its %u tutorial gets the tag “%s” instead.",
                                           "“%s” goes away, and its %u tutorials get the tag “%s” instead.",
                                           count),
                                 tag_name, count, target_name);
  /* The question opens the body, which wraps: AdwMessageDialog
   * (libadwaita 1.7) measures a heading at any width it is asked about,
   * however narrow, and GTK 4.18 warns when it does not fit (as in
   * Preferences' copy question). */
  body = g_strdup_printf ("%s %s", question, consequence);
  dialog = adw_message_dialog_new (tt_tag_sidebar_get_window (self), NULL, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "merge", _("_Merge"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "merge");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "tag", g_object_ref (tag), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (name), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "target", g_object_ref (target), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (tt_tag_sidebar_merge_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tt_tag_sidebar_name_response_cb (AdwMessageDialog *dialog,
                                 const char       *response,
                                 TtTagSidebar     *self)
{
  NameDialog *state = g_object_get_data (G_OBJECT (dialog), "state");
  g_autofree char *name = name_dialog_dup_name (state);
  g_autoptr(TtTag) existing = NULL;

  if (!g_str_equal (response, "apply") || name[0] == '\0')
    return;

  if (state->tag == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "tag.create", "s", name);
      return;
    }

  existing = tt_tag_sidebar_find_by_name (self, name);
  if (existing != NULL && tt_tag_get_id (existing) != tt_tag_get_id (state->tag))
    tt_tag_sidebar_confirm_merge (self, state->tag, existing, name);
  else
    tt_tag_sidebar_rename (self, tt_tag_get_id (state->tag), name, tt_tag_get_id (state->tag), name);
}

static void
tt_tag_sidebar_present_name_dialog (TtTagSidebar *self,
                                    TtTag        *tag,
                                    const char   *heading,
                                    const char   *apply_label)
{
  AdwMessageDialog *dialog = name_dialog_new (self, tag, heading, apply_label);

  g_signal_connect_object (dialog, "response", G_CALLBACK (tt_tag_sidebar_name_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tt_tag_sidebar_new_tag_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  tt_tag_sidebar_present_name_dialog (TT_TAG_SIDEBAR (widget), NULL, _("New Tag"), _("C_reate"));
}

static void
tt_tag_sidebar_rename_tag_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  TtTagSidebar *self = TT_TAG_SIDEBAR (widget);
  g_autoptr(TtTag) tag = NULL;

  if (parameter != NULL)
    tag = tt_tag_sidebar_find (self, g_variant_get_int64 (parameter));
  else
    tag = tt_tag_sidebar_get_single (self);

  if (tag != NULL)
    tt_tag_sidebar_present_name_dialog (self, tag, _("Rename Tag"), _("_Rename"));
}

/* ---- merging a tag into another --------------------------------------- */

/**
 * tt_tag_sidebar_new_tag_chooser:
 * @tags: the tags to choose from
 *
 * Returns: (transfer floating): a drop-down of @tags by name, with a
 *   search field for long lists
 */
GtkDropDown *
tt_tag_sidebar_new_tag_chooser (GListModel *tags)
{
  GtkExpression *expression = gtk_property_expression_new (TT_TYPE_TAG, NULL, "name");
  GtkDropDown *drop_down = GTK_DROP_DOWN (gtk_drop_down_new (g_object_ref (tags), expression));

  gtk_drop_down_set_enable_search (drop_down, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tag"), -1);
  return drop_down;
}

/* A tag dropped onto another: (dropped, onto). */
static void
tt_tag_sidebar_merge_tag_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  TtTagSidebar *self = TT_TAG_SIDEBAR (widget);
  gint64 tag_id, target_id;
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(TtTag) target = NULL;

  g_variant_get (parameter, "(xx)", &tag_id, &target_id);
  tag = tt_tag_sidebar_find (self, tag_id);
  target = tt_tag_sidebar_find (self, target_id);
  if (tag != NULL && target != NULL && tag_id != target_id)
    tt_tag_sidebar_confirm_merge (self, tag, target, tt_tag_get_name (target));
}

static gboolean
tag_is_not (gpointer item,
            gpointer user_data)
{
  return tt_tag_get_id (item) != tt_tag_get_id (user_data);
}

static void
tt_tag_sidebar_merge_into_response_cb (AdwMessageDialog *dialog,
                                       const char       *response,
                                       TtTagSidebar     *self)
{
  TtTag *tag = g_object_get_data (G_OBJECT (dialog), "tag");
  GtkDropDown *chooser = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  TtTag *target = gtk_drop_down_get_selected_item (chooser);

  if (g_str_equal (response, "choose") && target != NULL)
    tt_tag_sidebar_confirm_merge (self, tag, target, tt_tag_get_name (target));
}

/* "Merge Into…": the keyboard's way to drop a tag on another. The other
 * tags are offered by name; the merge question follows, as for a drop. */
static void
tt_tag_sidebar_merge_into_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  TtTagSidebar *self = TT_TAG_SIDEBAR (widget);
  g_autoptr(TtTag) tag = tt_tag_sidebar_find (self, g_variant_get_int64 (parameter));
  g_autofree char *tag_name = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GtkFilterListModel) others = NULL;
  GtkWidget *dialog;

  if (tag == NULL)
    return;
  others = gtk_filter_list_model_new (g_object_ref (self->tags),
                                      GTK_FILTER (gtk_custom_filter_new (tag_is_not, g_object_ref (tag),
                                                                         g_object_unref)));
  tag_name = tt_format_shorten (tt_tag_get_name (tag), TT_FORMAT_QUOTED_CHARS);
  /* The name in the body, not the heading: GTK 4.18 warns about a
   * heading wider than the dialog, which a long name makes. */
  /* Translators: %s is the name of the tag to merge into another */
  body = g_strdup_printf (_("Choose the tag that “%s” goes into."), tag_name);
  dialog = adw_message_dialog_new (tt_tag_sidebar_get_window (self), _("Merge Into Another Tag"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "choose", _("_Merge…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "choose",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "choose");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "choose",
                                           g_list_model_get_n_items (G_LIST_MODEL (others)) > 0);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog),
                                      GTK_WIDGET (tt_tag_sidebar_new_tag_chooser (G_LIST_MODEL (others))));
  g_object_set_data_full (G_OBJECT (dialog), "tag", g_steal_pointer (&tag), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (tt_tag_sidebar_merge_into_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- deleting a tag -------------------------------------------------- */

/* No confirmation: the window's toast offers Undo, as the GNOME HIG
 * prefers for an action that can be taken back. */
static void
tt_tag_sidebar_delete_tag_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  TtTagSidebar *self = TT_TAG_SIDEBAR (widget);
  g_autoptr(TtTag) tag = tt_tag_sidebar_find (self, g_variant_get_int64 (parameter));

  if (tag == NULL)
    return;

  gtk_widget_activate_action (widget, "tag.delete", "x", tt_tag_get_id (tag));
  g_signal_emit (self, signals [TAG_DELETED], 0, tag);
}

/* ---- the keyboard ---------------------------------------------------- */

/* Returns: (transfer none) (nullable): the row whose entry of the list has
 *   the keyboard focus */
static TtTagRow *
tt_tag_sidebar_get_focused_row (TtTagSidebar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *child;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->tag_list)))
    return NULL;

  /* The list's item widget has the focus; the row is its child. */
  child = gtk_widget_get_first_child (focus);
  if (TT_IS_TAG_ROW (focus))
    return TT_TAG_ROW (focus);
  return TT_IS_TAG_ROW (child) ? TT_TAG_ROW (child) : NULL;
}

/* Delete with the focus on a tag asks whether to delete that tag (the
 * one focused, whatever else is selected). On "All Tutorials" or
 * "Untagged" it does nothing rather than delete the selected tutorials,
 * which the person is not looking at. */
static gboolean
tt_tag_sidebar_delete_key_cb (GtkWidget *widget,
                              GVariant  *args,
                              gpointer   user_data)
{
  TtTagSidebar *self = TT_TAG_SIDEBAR (widget);
  TtTagRow *row = tt_tag_sidebar_get_focused_row (self);
  GObject *item = row != NULL ? tt_tag_row_get_item (row) : NULL;

  if (row == NULL)
    return FALSE;

  if (!TT_IS_TAG (item))
    {
      gtk_widget_error_bell (widget);
      return TRUE;
    }

  gtk_widget_activate_action (widget, "sidebar.delete-tag", "x", tt_tag_get_id (TT_TAG (item)));
  return TRUE;
}

/* Shift+F10 and Menu: the focused row's context menu. */
static gboolean
tt_tag_sidebar_menu_key_cb (GtkWidget *widget,
                            GVariant  *args,
                            gpointer   user_data)
{
  TtTagRow *row = tt_tag_sidebar_get_focused_row (TT_TAG_SIDEBAR (widget));

  return row != NULL && tt_tag_row_popup_menu (row);
}

static void
tt_tag_sidebar_add_shortcuts (GtkWidgetClass *widget_class)
{
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, 0,
                                tt_tag_sidebar_delete_key_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Delete, 0,
                                tt_tag_sidebar_delete_key_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                tt_tag_sidebar_menu_key_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0,
                                tt_tag_sidebar_menu_key_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                tt_tag_sidebar_focus_filter_cb, NULL);
}

/* ---- properties ------------------------------------------------------ */

GListModel *
tt_tag_sidebar_get_tags (TtTagSidebar *self)
{
  g_return_val_if_fail (TT_IS_TAG_SIDEBAR (self), NULL);

  return self->tags;
}

/* Shows @tags, or none, below the two filter rows. */
void
tt_tag_sidebar_set_tags (TtTagSidebar *self,
                         GListModel   *tags)
{
  g_return_if_fail (TT_IS_TAG_SIDEBAR (self));
  g_return_if_fail (tags == NULL || G_IS_LIST_MODEL (tags));

  if (!g_set_object (&self->tags, tags))
    return;

  gtk_sort_list_model_set_model (self->sorted_tags, tags);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TAGS]);
}

/* Returns: "name", "count" or "recent": the order of the tags */
const char *
tt_tag_sidebar_get_tag_sort (TtTagSidebar *self)
{
  g_return_val_if_fail (TT_IS_TAG_SIDEBAR (self), NULL);

  return self->tag_sort;
}

void
tt_tag_sidebar_set_tag_sort (TtTagSidebar *self,
                             const char   *tag_sort)
{
  g_return_if_fail (TT_IS_TAG_SIDEBAR (self));
  g_return_if_fail (g_strcmp0 (tag_sort, "name") == 0 ||
                    g_strcmp0 (tag_sort, "count") == 0 ||
                    g_strcmp0 (tag_sort, "recent") == 0);

  if (g_strcmp0 (tag_sort, self->tag_sort) == 0)
    return;

  g_free (self->tag_sort);
  self->tag_sort = g_strdup (tag_sort);
  gtk_sorter_changed (gtk_sort_list_model_get_sorter (self->sorted_tags), GTK_SORTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TAG_SORT]);
}

/* Returns: how many tutorials have no tag, or -1 when not known */
gint64
tt_tag_sidebar_get_untagged_count (TtTagSidebar *self)
{
  g_return_val_if_fail (TT_IS_TAG_SIDEBAR (self), -1);

  return self->untagged_count;
}

/* "Untagged" shows @count, or no count when it is negative. */
void
tt_tag_sidebar_set_untagged_count (TtTagSidebar *self,
                                   gint64        count)
{
  g_return_if_fail (TT_IS_TAG_SIDEBAR (self));

  count = MAX (count, -1);
  if (count == self->untagged_count)
    return;

  self->untagged_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_UNTAGGED_COUNT]);
}

TtTagFilter
tt_tag_sidebar_get_filter (TtTagSidebar *self)
{
  g_return_val_if_fail (TT_IS_TAG_SIDEBAR (self), TT_TAG_FILTER_ALL);

  return self->filter;
}

/**
 * tt_tag_sidebar_get_tag_ids:
 * @n_tag_ids: (out): how many
 *
 * Returns: (array length=n_tag_ids) (transfer none): the tags whose
 *   tutorials the filter shows, in the order of the list; none unless
 *   the filter is %TT_TAG_FILTER_TAGS
 */
const gint64 *
tt_tag_sidebar_get_tag_ids (TtTagSidebar *self,
                            guint        *n_tag_ids)
{
  g_return_val_if_fail (TT_IS_TAG_SIDEBAR (self), NULL);
  g_return_val_if_fail (n_tag_ids != NULL, NULL);

  *n_tag_ids = self->tag_ids->len;
  return (const gint64 *) (gpointer) self->tag_ids->data;
}

/* Returns: "any" or "all": whether the tutorials shown have any or all
 *   of the filter's tags */
const char *
tt_tag_sidebar_get_tag_match (TtTagSidebar *self)
{
  g_return_val_if_fail (TT_IS_TAG_SIDEBAR (self), NULL);

  return self->tag_match;
}

void
tt_tag_sidebar_set_tag_match (TtTagSidebar *self,
                              const char   *tag_match)
{
  g_return_if_fail (TT_IS_TAG_SIDEBAR (self));
  g_return_if_fail (g_strcmp0 (tag_match, "any") == 0 || g_strcmp0 (tag_match, "all") == 0);

  if (g_strcmp0 (tag_match, self->tag_match) == 0)
    return;

  g_free (self->tag_match);
  self->tag_match = g_strdup (tag_match);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TAG_MATCH]);
  g_signal_emit (self, signals [FILTER_CHANGED], 0);
}

/* Returns: what the filter shows, in words: "All Tutorials", "Untagged"
 *   or the names of its tags */
const char *
tt_tag_sidebar_get_filter_title (TtTagSidebar *self)
{
  g_return_val_if_fail (TT_IS_TAG_SIDEBAR (self), NULL);

  return self->filter_title;
}

gboolean
tt_tag_sidebar_get_folded (TtTagSidebar *self)
{
  g_return_val_if_fail (TT_IS_TAG_SIDEBAR (self), FALSE);

  return self->folded;
}

/* Folded, the sidebar is all the window shows: it has the window's
 * buttons, and a click on a row goes on to the list (::filter-activated). */
void
tt_tag_sidebar_set_folded (TtTagSidebar *self,
                           gboolean      folded)
{
  g_return_if_fail (TT_IS_TAG_SIDEBAR (self));

  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  adw_header_bar_set_show_end_title_buttons (self->header_bar, folded);
  gtk_grid_view_set_single_click_activate (self->tag_list, folded);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FOLDED]);
}

/* ---- object ---------------------------------------------------------- */

static void
tt_tag_sidebar_dispose (GObject *object)
{
  TtTagSidebar *self = (TtTagSidebar *)object;

  g_clear_handle_id (&self->focus_row_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_TAG_SIDEBAR);

  g_clear_object (&self->selection);
  g_clear_object (&self->sections);
  g_clear_object (&self->sorted_tags);
  g_clear_object (&self->shown_tags);
  g_clear_object (&self->untagged_row);
  g_clear_object (&self->tags);

  G_OBJECT_CLASS (tt_tag_sidebar_parent_class)->dispose (object);
}

static void
tt_tag_sidebar_finalize (GObject *object)
{
  TtTagSidebar *self = (TtTagSidebar *)object;

  g_clear_pointer (&self->tag_ids, g_array_unref);
  g_free (self->tag_match);
  g_free (self->filter_title);
  g_free (self->filter_key);
  g_free (self->focus_tag_key);
  g_free (self->tag_sort);

  G_OBJECT_CLASS (tt_tag_sidebar_parent_class)->finalize (object);
}

static void
tt_tag_sidebar_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtTagSidebar *self = TT_TAG_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_TAGS:
      g_value_set_object (value, self->tags);
      break;

    case PROP_TAG_MATCH:
      g_value_set_string (value, self->tag_match);
      break;

    case PROP_FILTER_TITLE:
      g_value_set_string (value, self->filter_title);
      break;

    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;

    case PROP_TAG_SORT:
      g_value_set_string (value, self->tag_sort);
      break;

    case PROP_UNTAGGED_COUNT:
      g_value_set_int64 (value, self->untagged_count);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tag_sidebar_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TtTagSidebar *self = TT_TAG_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_TAGS:
      tt_tag_sidebar_set_tags (self, g_value_get_object (value));
      break;

    case PROP_TAG_MATCH:
      tt_tag_sidebar_set_tag_match (self, g_value_get_string (value));
      break;

    case PROP_FOLDED:
      tt_tag_sidebar_set_folded (self, g_value_get_boolean (value));
      break;

    case PROP_TAG_SORT:
      tt_tag_sidebar_set_tag_sort (self, g_value_get_string (value));
      break;

    case PROP_UNTAGGED_COUNT:
      tt_tag_sidebar_set_untagged_count (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tag_sidebar_install_properties (GObjectClass *object_class)
{
  properties [PROP_TAGS] =
    g_param_spec_object ("tags", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties [PROP_TAG_MATCH] =
    g_param_spec_string ("tag-match", NULL, NULL,
                         "any",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties [PROP_FILTER_TITLE] =
    g_param_spec_string ("filter-title", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties [PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));
  properties [PROP_TAG_SORT] =
    g_param_spec_string ("tag-sort", NULL, NULL,
                         "name",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties [PROP_UNTAGGED_COUNT] =
    g_param_spec_int64 ("untagged-count", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_tag_sidebar_install_signals (GObjectClass *object_class)
{
  /* The filter, the tag ids or the match: the tutorials to show. */
  signals [FILTER_CHANGED] =
    g_signal_new ("filter-changed",
                  G_TYPE_FROM_CLASS (object_class),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* A row chosen with Enter, or a click when folded: show the tutorials. */
  signals [FILTER_ACTIVATED] =
    g_signal_new ("filter-activated",
                  G_TYPE_FROM_CLASS (object_class),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The person confirmed deleting the tag, and "tag.delete" was asked:
   * the window offers to undo it. */
  signals [TAG_DELETED] =
    g_signal_new ("tag-deleted",
                  G_TYPE_FROM_CLASS (object_class),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TT_TYPE_TAG);
}

static void
tt_tag_sidebar_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "sidebar.new-tag", NULL,
                                   tt_tag_sidebar_new_tag_action);
  gtk_widget_class_install_action (widget_class, "sidebar.rename-tag", "x",
                                   tt_tag_sidebar_rename_tag_action);
  gtk_widget_class_install_action (widget_class, "sidebar.rename-selected-tag", NULL,
                                   tt_tag_sidebar_rename_tag_action);
  gtk_widget_class_install_action (widget_class, "sidebar.delete-tag", "x",
                                   tt_tag_sidebar_delete_tag_action);
  gtk_widget_class_install_action (widget_class, "sidebar.merge-tag", "(xx)",
                                   tt_tag_sidebar_merge_tag_action);
  gtk_widget_class_install_action (widget_class, "sidebar.merge-tag-into", "x",
                                   tt_tag_sidebar_merge_into_action);
  gtk_widget_class_install_property_action (widget_class, "sidebar.tag-match", "tag-match");
  gtk_widget_class_install_property_action (widget_class, "sidebar.tag-sort", "tag-sort");
}

static void
tt_tag_sidebar_class_init (TtTagSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_tag_sidebar_dispose;
  object_class->finalize = tt_tag_sidebar_finalize;
  object_class->get_property = tt_tag_sidebar_get_property;
  object_class->set_property = tt_tag_sidebar_set_property;

  tt_tag_sidebar_install_properties (object_class);
  tt_tag_sidebar_install_signals (object_class);
  tt_tag_sidebar_install_actions (widget_class);
  tt_tag_sidebar_add_shortcuts (widget_class);

  /* The list item factory builds these by name. */
  g_type_ensure (TT_TYPE_TAG_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/TutorialTags/tt-tag-sidebar.ui");
  gtk_widget_class_set_css_name (widget_class, "tagsidebar");
  /* What the GtkBox it replaces was. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, TtTagSidebar, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TtTagSidebar, filter_entry);
  gtk_widget_class_bind_template_callback (widget_class, tt_tag_sidebar_filter_text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tt_tag_sidebar_stop_filter_cb);
  gtk_widget_class_bind_template_child (widget_class, TtTagSidebar, tag_scroller);
  gtk_widget_class_bind_template_child (widget_class, TtTagSidebar, tag_list);
  gtk_widget_class_bind_template_child (widget_class, TtTagSidebar, no_tags_page);
  gtk_widget_class_bind_template_child (widget_class, TtTagSidebar, match_revealer);
}

/* The tags, sorted, then filtered by the text. */
static void
tt_tag_sidebar_init_tag_models (TtTagSidebar *self)
{
  GtkCustomSorter *sorter = gtk_custom_sorter_new (tt_tag_sidebar_compare_cb, self, NULL);
  GtkCustomFilter *filter = gtk_custom_filter_new (tt_tag_sidebar_tag_shown_cb, self, NULL);

  self->sorted_tags = gtk_sort_list_model_new (NULL, GTK_SORTER (sorter));
  self->shown_tags = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted_tags)),
                                                GTK_FILTER (filter));
}

/* A grid view's cells are grid cells to a screen reader; the sidebar
 * is a list (the grid view only makes fewer rows), so its cells are
 * list items, as a list view's rows were. Set as the row is put in its
 * cell, which is then new: not yet shown to a screen reader, and its
 * role can still change. */
static void
tt_tag_sidebar_row_placed_cb (GtkWidget  *row,
                              GParamSpec *pspec,
                              gpointer    user_data)
{
  GtkWidget *cell = gtk_widget_get_parent (row);

  if (cell != NULL &&
      gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (cell)) != GTK_ACCESSIBLE_ROLE_LIST_ITEM)
    g_object_set (cell, "accessible-role", GTK_ACCESSIBLE_ROLE_LIST_ITEM, NULL);
}

static void
tt_tag_sidebar_setup_row_cb (GtkSignalListItemFactory *factory,
                             GtkListItem              *list_item,
                             gpointer                  user_data)
{
  GtkWidget *row = tt_tag_row_new ();

  g_signal_connect (row, "notify::parent", G_CALLBACK (tt_tag_sidebar_row_placed_cb), NULL);
  gtk_list_item_set_child (list_item, row);
}

static void
tt_tag_sidebar_bind_row_cb (GtkSignalListItemFactory *factory,
                            GtkListItem              *list_item,
                            gpointer                  user_data)
{
  tt_tag_row_set_item (TT_TAG_ROW (gtk_list_item_get_child (list_item)),
                       gtk_list_item_get_item (list_item));
}

static void
tt_tag_sidebar_unbind_row_cb (GtkSignalListItemFactory *factory,
                              GtkListItem              *list_item,
                              gpointer                  user_data)
{
  tt_tag_row_set_item (TT_TAG_ROW (gtk_list_item_get_child (list_item)), NULL);
}

/* In code: a GtkBuilderListItemFactory parses its XML and watches an
 * expression for every row it makes, and the list makes them again on
 * every keystroke of the filter. */
static GtkListItemFactory *
tt_tag_sidebar_row_factory (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (tt_tag_sidebar_setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (tt_tag_sidebar_bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (tt_tag_sidebar_unbind_row_cb), NULL);
  return factory;
}

/* "All Tutorials" and "Untagged", then the tags (none yet).
 *
 * The list is a GtkGridView of one column, as the window's tutorial list
 * is, rather than a GtkListView: GTK 4.8's list view makes some 200 rows
 * around the one at the top again on every items-changed, so a filter
 * keystroke that changes thousands of tags took 16–30 ms; a grid view
 * makes the rows the sidebar shows (tests/bench-window.c measures it). */
static void
tt_tag_sidebar_init_rows (TtTagSidebar *self)
{
  g_autoptr(GListStore) filter_rows = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(GtkStringObject) all = gtk_string_object_new (TT_TAG_ROW_ALL);
  g_autoptr(GtkListItemFactory) factory = tt_tag_sidebar_row_factory ();
  GtkFlattenListModel *rows;

  self->untagged_row = gtk_string_object_new (TT_TAG_ROW_UNTAGGED);
  tt_tag_row_count_filter_from (self->untagged_row, G_OBJECT (self), "untagged-count");
  g_list_store_append (filter_rows, all);
  g_list_store_append (filter_rows, self->untagged_row);
  tt_tag_sidebar_init_tag_models (self);
  self->sections = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (self->sections, filter_rows);
  g_list_store_append (self->sections, self->shown_tags);

  rows = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->sections)));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (rows));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (tt_tag_sidebar_selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (tt_tag_sidebar_rows_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_grid_view_set_factory (self->tag_list, factory);
  gtk_grid_view_set_model (self->tag_list, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->tag_list, "activate",
                           G_CALLBACK (tt_tag_sidebar_activated_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
tt_tag_sidebar_init (TtTagSidebar *self)
{
  self->filter = TT_TAG_FILTER_ALL;
  self->tag_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* Before the template: its buttons ask the property action for its
   * state at once. */
  self->tag_match = g_strdup ("any");
  self->tag_sort = g_strdup ("name");
  self->untagged_count = -1;

  gtk_widget_init_template (GTK_WIDGET (self));

  tt_tag_sidebar_init_rows (self);
  tt_tag_sidebar_init_list_controllers (self);
  tt_tag_sidebar_filter_updated (self, FALSE);
}
