/* tt-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three panes in two leaflets: the tag sidebar (TtTagSidebar), the
 * tutorial list and the editor. The window turns what the person does
 * into the controller's actions and shows the controller's two models;
 * it holds no database logic.
 *
 * The sidebar owns the tag filter; the window owns the tutorial
 * selection and the query it builds from the filter, the search and the
 * sort order. The controller replaces every item of its models after
 * each change, so the selection lives here as ids and is put back after
 * each reload.
 */

#define G_LOG_DOMAIN "tt-window"

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "tt-db-settings.h"
#include "tt-error-table.h"
#include "tt-format.h"
#include "tt-rules.h"
#include "tt-text-undo.h"
#include "tt-tutorial-results.h"
#include "tt-tutorial-row.h"
#include "tt-window-private.h"

G_DEFINE_FINAL_TYPE (TtWindow, tt_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTROLLER,
  PROP_SORT_KEY,
  PROP_SORT_DIRECTION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void tt_window_show_selection (TtWindow *self);

TtWindow *
tt_window_new (AdwApplication *application)
{
  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);

  return g_object_new (TT_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

void
tt_window_add_toast (TtWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (TT_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- errors ---------------------------------------------------------- */

/* Returns: (transfer full): what went wrong, as markup for a toast */
static char *
tt_window_describe_error (const GError *error)
{
  const char *summary = tt_error_get_summary (error);

  return g_markup_escape_text (summary != NULL ? summary : error->message, -1);
}

static void
tt_window_controller_error_cb (TtWindow     *self,
                               const GError *error)
{
  g_autofree char *text = NULL;
  AdwToast *toast;

  g_debug ("The controller failed: %s", error->message);
  /* Nothing more can be done with this catalogue but export what can
   * be read: the lists give way to the page that says so. */
  if (tt_window_is_damage (error))
    {
      tt_window_show_store_error (self, error);
      return;
    }

  text = tt_window_describe_error (error);
  toast = adw_toast_new (text);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  tt_window_add_toast (self, toast);
}

void
tt_window_show_store_error (TtWindow     *self,
                            const GError *error)
{
  g_autofree char *escaped = NULL;
  g_autofree char *description = NULL;
  gboolean damaged;

  g_return_if_fail (TT_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* The description is markup; the message and the hint plain text. */
  description = g_strdup_printf ("%s\n%s", error->message,
                                 tt_error_get_hint (error) != NULL ? tt_error_get_hint (error) : "");
  escaped = g_markup_escape_text (g_strstrip (description), -1);
  damaged = tt_window_is_damage (error);
  adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
  adw_status_page_set_title (self->status_page,
                             damaged ? _("The Catalogue Is Damaged")
                                     : _("Could Not Open the Catalogue"));
  adw_status_page_set_description (self->status_page, escaped);
  /* Trying a damaged file again finds it damaged again. */
  gtk_widget_set_visible (self->retry_button, !damaged);
  gtk_widget_set_visible (self->salvage_button, damaged);
  gtk_widget_set_visible (GTK_WIDGET (self->status_buttons), TRUE);
  tt_window_set_controller (self, NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "status");
}

/* While the catalogue is being opened again. */
void
tt_window_show_connecting (TtWindow *self)
{
  g_return_if_fail (TT_IS_WINDOW (self));

  adw_status_page_set_icon_name (self->status_page, "com.example.TutorialTags-symbolic");
  adw_status_page_set_title (self->status_page, _("Opening the Catalogue…"));
  adw_status_page_set_description (self->status_page, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_buttons), FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "status");
}

/* ---- the query ------------------------------------------------------- */

static TtSortKey
tt_window_get_sort (TtWindow *self)
{
  if (g_strcmp0 (self->sort_key, "created") == 0)
    return TT_SORT_BY_CREATED;
  if (g_strcmp0 (self->sort_key, "updated") == 0)
    return TT_SORT_BY_UPDATED;

  return TT_SORT_BY_TITLE;
}

static gboolean
tt_window_is_filtered (TtWindow *self)
{
  return tt_tag_sidebar_get_filter (self->sidebar) != TT_TAG_FILTER_ALL ||
         (self->search_text != NULL && self->search_text[0] != '\0');
}

static void
tt_window_update_list_title (TtWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tutorial_selection));
  const char *title = tt_tag_sidebar_get_filter_title (self->sidebar);
  g_autofree char *shortened = NULL;
  g_autofree char *subtitle = NULL;
  const char *tooltip;

  /* An empty catalogue says so in the middle of the window already. */
  if (self->loaded && (n > 0 || tt_window_is_filtered (self)))
    {
      g_autofree char *count = tt_format_count (n);

      /* Translators: %s is a number, with the thousands separator */
      subtitle = g_strdup_printf (ngettext ("%s tutorial", "%s tutorials", n), count);
    }
  /* A label's natural width is its whole text: a long tag name as the
   * title made the panes too wide for the window, which then folded to
   * one pane (the sidebar went) on a 1200-pixel screen. */
  shortened = title != NULL ? tt_format_shorten (title, TT_FORMAT_TITLE_CHARS) : NULL;
  adw_window_title_set_title (self->list_title, shortened);
  /* Only when it changes: GTK 4.8 asks the X server where the pointer is
   * at every call, and this runs at every search keystroke. */
  tooltip = g_strcmp0 (shortened, title) != 0 ? title : NULL;
  if (g_strcmp0 (tooltip, gtk_widget_get_tooltip_text (GTK_WIDGET (self->list_title))) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->list_title), tooltip);
  adw_window_title_set_subtitle (self->list_title, subtitle != NULL ? subtitle : "");
}

/* Asks the controller for the tutorials the sidebar, the search and the
 * sort order describe. */
static void
tt_window_update_query (TtWindow *self)
{
  TtTutorialQuery query = { 0 };
  TtTagFilter filter = tt_tag_sidebar_get_filter (self->sidebar);

  tt_window_update_list_title (self);
  if (self->controller == NULL)
    return;

  query.sort = tt_window_get_sort (self);
  query.descending = g_strcmp0 (self->sort_direction, "descending") == 0 ||
                     (g_strcmp0 (self->sort_direction, "usual") == 0 && query.sort != TT_SORT_BY_TITLE);
  /* With tag words in the search, they are the filter (tt-window-search.c). */
  if (tt_window_search_fill_query (self, &query))
    ;
  else if (filter == TT_TAG_FILTER_UNTAGGED)
    query.match = TT_TAG_MATCH_UNTAGGED;
  else if (filter == TT_TAG_FILTER_TAGS)
    {
      const char *match = tt_tag_sidebar_get_tag_match (self->sidebar);

      query.tag_ids = tt_tag_sidebar_get_tag_ids (self->sidebar, &query.n_tag_ids);
      query.match = g_strcmp0 (match, "all") == 0 ? TT_TAG_MATCH_ALL : TT_TAG_MATCH_ANY;
    }

  tt_controller_set_query (self->controller, &query);
}

/* @select_tags: whether the sidebar follows the search's tag words */
static void
tt_window_set_search_text (TtWindow   *self,
                           const char *text,
                           gboolean    select_tags)
{
  if (g_strcmp0 (text, self->search_text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_strdup (text);
  tt_window_search_text_changed (self, select_tags);
  tt_window_update_query (self);
}

static void
tt_window_search_changed_cb (TtWindow       *self,
                             GtkSearchEntry *entry)
{
  if (!self->syncing_search)
    tt_window_set_search_text (self, gtk_editable_get_text (GTK_EDITABLE (entry)), TRUE);
}

/* A choice in the sidebar while the search is open becomes its tag
 * words; then the query follows both. */
static void
tt_window_sidebar_filter_changed_cb (TtWindow *self)
{
  tt_window_search_sidebar_changed (self);
  tt_window_update_query (self);
}

static void
tt_window_stop_search_cb (TtWindow       *self,
                          GtkSearchEntry *entry)
{
  /* Ending the search leaves the sidebar as it is (tt_window_search_mode_cb). */
  tt_window_set_search_text (self, "", FALSE);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->tutorial_list));
}

/* A hidden search must not keep filtering the list. The sidebar keeps
 * what it shows: that filter stays in sight. */
static void
tt_window_search_mode_cb (TtWindow     *self,
                          GParamSpec   *pspec,
                          GtkSearchBar *search_bar)
{
  if (gtk_search_bar_get_search_mode (search_bar))
    return;

  tt_window_set_search_text (self, "", FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* ---- the tutorial list ----------------------------------------------- */

/* The list is lazy (see TtTutorialResults): ids are known for every
 * row, objects are made as rows are shown. Asking for ids makes none. */
static TtTutorialResults *
tt_window_get_results (TtWindow *self)
{
  return TT_TUTORIAL_RESULTS (gtk_multi_selection_get_model (self->tutorial_selection));
}

static gint64
tt_window_tutorial_id_at (TtWindow *self,
                          guint     position)
{
  if (self->controller == NULL)
    return -1;
  return tt_tutorial_results_get_id (tt_window_get_results (self), position);
}

/* Returns: (transfer full): the ids of the selected tutorials, in list order */
GArray *
tt_window_get_selected_tutorial_ids (TtWindow *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint position;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->tutorial_selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      gint64 id = tt_window_tutorial_id_at (self, position);

      g_array_append_val (ids, id);
    }

  return ids;
}

static void
tt_window_remember_selection (TtWindow *self)
{
  g_autoptr(GArray) ids = tt_window_get_selected_tutorial_ids (self);

  g_hash_table_remove_all (self->selected_ids);
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (self->selected_ids,
                      g_memdup2 (&g_array_index (ids, gint64, i), sizeof (gint64)));
}

/* Selects the remembered tutorials in the newly loaded list, and forgets
 * those it no longer has (deleted, or filtered out). */
static void
tt_window_restore_selection (TtWindow *self)
{
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->tutorial_selection);
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) current = gtk_selection_model_get_selection (model);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < n && g_hash_table_size (self->selected_ids) > 0; i++)
    {
      gint64 id = tt_window_tutorial_id_at (self, i);

      if (g_hash_table_contains (self->selected_ids, &id))
        gtk_bitset_add (selected, i);
    }

  if (!gtk_bitset_equals (selected, current))
    {
      /* Only the rows whose state changes. */
      g_autoptr(GtkBitset) changing = gtk_bitset_copy (selected);

      gtk_bitset_union (changing, current);
      self->syncing_tutorials = TRUE;
      gtk_selection_model_set_selection (model, selected, changing);
      self->syncing_tutorials = FALSE;
    }

  tt_window_remember_selection (self);
  tt_window_show_selection (self);
}

static void
tt_window_scroll_to (TtWindow *self,
                     guint     position)
{
  gtk_widget_activate_action (GTK_WIDGET (self->tutorial_list),
                              "list.scroll-to-item", "u", position);
}

/* Selects only the tutorial @id, if the list has it. */
static gboolean
tt_window_select_tutorial (TtWindow *self,
                           gint64    id)
{
  guint position;

  if (self->controller == NULL ||
      !tt_tutorial_results_find (tt_window_get_results (self), id, &position))
    return FALSE;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->tutorial_selection),
                                   position, TRUE);
  tt_window_scroll_to (self, position);
  return TRUE;
}

static void
tt_window_update_list_page (TtWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tutorial_selection));
  g_autofree char *description = NULL;

  if (n > 0 || !self->loaded)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (!tt_window_is_filtered (self))
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  else
    {
      description = tt_window_search_describe_no_results (self);
      if (description != NULL)
        ;
      else if (self->search_text != NULL && self->search_text[0] != '\0')
        description = g_strdup (_("Try a different search, or look in all tutorials"));
      else
        description = g_strdup (_("No tutorial matches the tags chosen in the sidebar"));
      adw_status_page_set_description (self->no_results_page, description);
      gtk_stack_set_visible_child_name (self->list_stack, "no-results");
    }
}

static void
tt_window_update_selection_actions (TtWindow *self,
                                    guint     n_selected)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.delete-selection", n_selected > 0);
  gtk_widget_action_set_enabled (widget, "win.add-tag-to-selection", n_selected > 0);
  gtk_widget_action_set_enabled (widget, "win.remove-tag-from-selection", n_selected > 0);
  gtk_widget_action_set_enabled (widget, "win.focus-tags", n_selected == 1);
}

/* The editor shows the one selected tutorial; several get a summary. */
static void
tt_window_show_selection (TtWindow *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autofree char *title = NULL;
  guint n;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->tutorial_selection));
  n = (guint) gtk_bitset_get_size (selected);
  tt_window_update_selection_actions (self, n);

  if (n == 1)
    tutorial = g_list_model_get_item (G_LIST_MODEL (self->tutorial_selection),
                                      gtk_bitset_get_minimum (selected));
  tt_tutorial_editor_set_tutorial (self->editor, tutorial);

  /* With no tutorial at all, the list's empty state says it all. */
  if (n == 0 && g_list_model_get_n_items (G_LIST_MODEL (self->tutorial_selection)) == 0)
    {
      gtk_stack_set_visible_child_name (self->editor_stack, "blank");
      return;
    }
  if (n <= 1)
    {
      gtk_stack_set_visible_child_name (self->editor_stack, n == 1 ? "editor" : "none");
      return;
    }

  title = g_strdup_printf (ngettext ("%u Tutorial Selected", "%u Tutorials Selected", n), n);
  adw_status_page_set_title (self->many_page, title);
  gtk_stack_set_visible_child_name (self->editor_stack, "many");
}

static void
tt_window_tutorial_selection_changed_cb (TtWindow          *self,
                                         guint              position,
                                         guint              n_items,
                                         GtkSelectionModel *selection)
{
  if (self->syncing_tutorials)
    return;

  tt_window_remember_selection (self);
  tt_window_show_selection (self);
}

static void
tt_window_tutorials_changed_cb (TtWindow   *self,
                                guint       position,
                                guint       removed,
                                guint       added,
                                GListModel *model)
{
  TtTutorialResults *results = tt_window_get_results (self);

  /* The rows just removed may come back with the next step. (No results:
   * the controller has just been taken away, and the rows with it.) */
  if (results != NULL && tt_tutorial_results_is_replacing (results))
    return;

  tt_window_restore_selection (self);
  tt_window_update_list_page (self);
  tt_window_update_list_title (self);
}

/* Enter or a double click; a single click when the list is all there is
 * room for. */
static void
tt_window_tutorial_activated_cb (TtWindow    *self,
                                 guint        position,
                                 GtkGridView *view)
{
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->tutorial_selection),
                                   position, TRUE);
  adw_leaflet_set_visible_child_name (self->content_leaflet, "editor");
}

/* ---- the controller -------------------------------------------------- */

/* With room for both, the first tutorial is shown rather than nothing. */
static void
tt_window_first_load (TtWindow *self)
{
  self->loaded = TRUE;

  if (!adw_leaflet_get_folded (self->content_leaflet) &&
      g_hash_table_size (self->selected_ids) == 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->tutorial_selection)) > 0)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->tutorial_selection), 0, TRUE);
}

typedef void (*GridViewScrollTo) (GtkGridView *self,
                                  guint        position,
                                  guint        flags,
                                  gpointer     scroll);

/* gtk_grid_view_scroll_to() of GTK 4.12 and later, or NULL: the build
 * targets GTK 4.8 (Debian 12), which has no such function. */
static GridViewScrollTo
grid_view_scroll_to_function (void)
{
  static gsize once;
  static GridViewScrollTo function;

  if (g_once_init_enter (&once))
    {
      GModule *self_module = g_module_open (NULL, 0);
      gpointer symbol = NULL;

      if (self_module != NULL && g_module_symbol (self_module, "gtk_grid_view_scroll_to", &symbol))
        function = (GridViewScrollTo) symbol;
      g_once_init_leave (&once, 1);
    }
  return function;
}

static gboolean
tt_window_keys_in_list (TtWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && (focus == GTK_WIDGET (self->tutorial_list) ||
                           gtk_widget_is_ancestor (focus, GTK_WIDGET (self->tutorial_list)));
}

/* Gives the keyboard to the row at @position. GTK 4.12 and later keep
 * the list's own keyboard position apart from the focus widget, and lose
 * both with a focused row that is deleted: Down then moved on from the
 * first row (GTK 4.18), and grabbing the new row did not help. That
 * position is set through gtk_grid_view_scroll_to() with
 * GTK_LIST_SCROLL_FOCUS, which focuses the row too; GTK 4.8 keeps the
 * focus in the list and follows the selection. */
static void
tt_window_move_list_focus (TtWindow *self,
                           guint     position)
{
  enum { LIST_SCROLL_FOCUS = 1 << 0 };  /* GtkListScrollFlags, GTK 4.12 */
  GridViewScrollTo scroll_to = grid_view_scroll_to_function ();

  if (scroll_to != NULL)
    scroll_to (self->tutorial_list, position, LIST_SCROLL_FOCUS, NULL);
}

/* After a deletion the next tutorial takes the place of the deleted one,
 * so that Delete can be pressed again. */
static void
tt_window_select_neighbour (TtWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tutorial_selection));
  guint position = self->select_after_delete;

  self->select_after_delete = G_MAXUINT;
  if (n == 0 || g_hash_table_size (self->selected_ids) > 0)
    return;

  position = MIN (position, n - 1);

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->tutorial_selection), position, TRUE);
  tt_window_scroll_to (self, position);
  if (self->keys_in_list_at_delete)
    tt_window_move_list_focus (self, position);
}

static void
tt_window_controller_changed_cb (TtWindow *self)
{
  /* Still busy: the list of the window's own query is yet to come. */
  if (!self->loaded && !tt_controller_get_busy (self->controller))
    tt_window_first_load (self);
  if (self->select_after_delete != G_MAXUINT && !tt_controller_get_busy (self->controller))
    tt_window_select_neighbour (self);

  tt_window_update_list_page (self);
  tt_window_update_list_title (self);
}

static void
tt_window_controller_created_cb (TtWindow *self,
                                 GObject  *object)
{
  if (!TT_IS_TUTORIAL (object))
    return;

  if (!tt_window_select_tutorial (self, tt_tutorial_get_id (TT_TUTORIAL (object))))
    return;

  adw_leaflet_set_visible_child_name (self->content_leaflet, "editor");
  tt_tutorial_editor_focus_title (self->editor);
}

/* The menu says what Undo and Redo would do ("Undo Delete “Rust”"). */
static void
tt_window_update_history_menu (TtWindow *self)
{
  const char *undo = self->controller ? tt_controller_get_undo_label (self->controller) : NULL;
  const char *redo = self->controller ? tt_controller_get_redo_label (self->controller) : NULL;

  /* A menu item cannot ellipsize: a long tag name would take the menu
   * off the screen. */
  g_autofree char *undo_item = tt_format_shorten (undo, TT_FORMAT_MENU_ITEM_CHARS);
  g_autofree char *redo_item = tt_format_shorten (redo, TT_FORMAT_MENU_ITEM_CHARS);

  g_menu_remove_all (self->history_section);
  g_menu_append (self->history_section, undo != NULL ? undo_item : _("_Undo"), "edit.undo");
  g_menu_append (self->history_section, redo != NULL ? redo_item : _("_Redo"), "edit.redo");
}

/* ---- the connection -------------------------------------------------- */

/* The banner says what is true while the catalogue cannot be reached:
 * offline, and how many changes wait to be saved. */
static void
tt_window_update_offline (TtWindow *self)
{
  gboolean offline = self->controller != NULL && tt_controller_get_offline (self->controller);
  guint n_unsent = self->controller != NULL ? tt_controller_get_n_unsent (self->controller) : 0;
  g_autofree char *text = NULL;

  if (n_unsent > 0)
    text = g_strdup_printf (ngettext ("Cannot reach the database. %u change waits to be saved when the connection is back.",
                                      "Cannot reach the database. %u changes wait to be saved when the connection is back.",
                                      n_unsent),
                            n_unsent);
  else
    text = g_strdup (_("Cannot reach the database. Trying again every few seconds."));
  gtk_label_set_text (self->offline_label, text);
  gtk_revealer_set_reveal_child (self->offline_revealer, offline || n_unsent > 0);
}

static void
tt_window_unsent_saved_cb (TtWindow *self,
                           guint     n_saved)
{
  g_autofree char *text = g_strdup_printf (ngettext ("Connection is back: %u change saved",
                                                     "Connection is back: %u changes saved",
                                                     n_saved),
                                           n_saved);
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 5);
  tt_window_add_toast (self, toast);
}

/* An undo toast's button undoes the newest command: once the history
 * moved by other means (Ctrl+Z, the menu), it would undo something else. */
static void
tt_window_dismiss_undo_toast (TtWindow *self)
{
  AdwToast *toast = self->undo_toast;

  /* Dismissed once only: libadwaita 1.2 hides a toast dismissed twice
   * twice, and its second hide animation frees it again. */
  if (self->undoing_from_toast)
    return;
  g_clear_weak_pointer (&self->undo_toast);
  if (toast != NULL)
    adw_toast_dismiss (toast);
}

/* Its own button or its timeout dismissed it. */
static void
tt_window_undo_toast_dismissed_cb (TtWindow *self,
                                   AdwToast *toast)
{
  if (self->undo_toast == toast)
    g_clear_weak_pointer (&self->undo_toast);
}

static void
tt_window_update_untagged_count (TtWindow *self)
{
  tt_tag_sidebar_set_untagged_count (self->sidebar,
                                     self->controller != NULL
                                       ? tt_controller_get_untagged_count (self->controller)
                                       : -1);
}

static void
tt_window_connect_controller (TtWindow *self)
{
  static const char * const history_actions[] = { "undo", "redo" };
  GActionGroup *edit_group = tt_controller_get_action_group (self->controller, "edit");

  g_signal_connect_object (self->controller, "notify::offline",
                           G_CALLBACK (tt_window_update_offline),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "notify::untagged-count",
                           G_CALLBACK (tt_window_update_untagged_count),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "notify::n-unsent",
                           G_CALLBACK (tt_window_update_offline),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "unsent-saved",
                           G_CALLBACK (tt_window_unsent_saved_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "changed",
                           G_CALLBACK (tt_window_controller_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "error",
                           G_CALLBACK (tt_window_controller_error_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "created",
                           G_CALLBACK (tt_window_controller_created_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "notify::undo-label",
                           G_CALLBACK (tt_window_update_history_menu),
                           self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < G_N_ELEMENTS (history_actions); i++)
    g_signal_connect_object (g_action_map_lookup_action (G_ACTION_MAP (edit_group),
                                                         history_actions[i]),
                             "activate", G_CALLBACK (tt_window_dismiss_undo_toast),
                             self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "notify::redo-label",
                           G_CALLBACK (tt_window_update_history_menu),
                           self, G_CONNECT_SWAPPED);
}

/**
 * tt_window_set_controller:
 * @controller: (nullable): the catalogue's controller, or %NULL while
 *   there is none (opening, or it could not be opened)
 *
 * The window shows the controller's models and sends every change
 * through its actions; it never sees the store.
 */
void
tt_window_set_controller (TtWindow     *self,
                          TtController *controller)
{
  static const char * const prefixes[] = { "tutorial", "tag", "edit" };

  g_return_if_fail (TT_IS_WINDOW (self));
  g_return_if_fail (controller == NULL || TT_IS_CONTROLLER (controller));

  if (controller == self->controller)
    return;

  /* Another catalogue: nothing selected or filtered in the old one means
   * anything here. */
  if (self->controller != NULL)
    {
      /* Typed text goes to the catalogue it was typed for: the editor's
       * actions still lead to the old controller here. */
      tt_tutorial_editor_forget (self->editor);
      g_signal_handlers_disconnect_by_data (self->controller, self);
    }
  g_set_object (&self->controller, controller);
  self->loaded = FALSE;
  g_hash_table_remove_all (self->selected_ids);

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    gtk_widget_insert_action_group (GTK_WIDGET (self), prefixes[i],
                                    controller ? tt_controller_get_action_group (controller, prefixes[i])
                                               : NULL);

  if (controller != NULL)
    tt_window_connect_controller (self);
  tt_window_update_history_menu (self);
  tt_window_update_offline (self);
  gtk_multi_selection_set_model (self->tutorial_selection,
                                 controller ? tt_controller_get_tutorials (controller) : NULL);
  /* A search typed for the old catalogue would filter the new one
   * unnoticed; ending it clears the text (tt_window_search_mode_cb). */
  if (controller != NULL)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  tt_tag_sidebar_set_tags (self->sidebar, controller ? tt_controller_get_tags (controller) : NULL);
  tt_window_search_set_tags (self, controller ? tt_controller_get_tags (controller) : NULL);
  tt_window_update_untagged_count (self);
  tt_tag_sidebar_set_filter (self->sidebar, TT_TAG_FILTER_ALL, NULL, 0);
  /* An unchanged filter says nothing, and the new controller needs the
   * query all the same. */
  tt_window_update_query (self);
  if (controller != NULL)
    tt_tutorial_editor_set_all_tags (self->editor, tt_controller_get_tags (controller));
  gtk_stack_set_visible_child_name (self->main_stack, controller ? "catalogue" : "status");

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONTROLLER]);
}

TtController *
tt_window_get_controller (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);

  return self->controller;
}

/* ---- actions --------------------------------------------------------- */

static void
tt_window_new_tutorial_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);

  /* The new tutorial must be in the list to be shown. */
  if (tt_window_is_filtered (self))
    {
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
      tt_tag_sidebar_set_filter (self->sidebar, TT_TAG_FILTER_ALL, NULL, 0);
    }

  gtk_widget_activate_action (widget, "tutorial.create", "(ss)", _("New Tutorial"), "");
}

void
tt_window_undo_toast (TtWindow   *self,
                      const char *title,
                      guint       n_commands)
{
  AdwToast *toast = adw_toast_new (title);

  tt_window_dismiss_undo_toast (self);
  g_set_weak_pointer (&self->undo_toast, toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (tt_window_undo_toast_dismissed_cb),
                           self, G_CONNECT_SWAPPED);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-many");
  adw_toast_set_action_target_value (toast, g_variant_new_uint32 (n_commands));
  tt_window_add_toast (self, toast);
}

static void
tt_window_delete_tutorials (TtWindow *self,
                            GArray   *ids)
{
  TtTutorial *shown = tt_tutorial_editor_get_tutorial (self->editor);
  g_autoptr(GtkBitset) selected = NULL;
  g_autofree char *title = NULL;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->tutorial_selection));
  self->select_after_delete = gtk_bitset_get_minimum (selected);
  self->keys_in_list_at_delete = tt_window_keys_in_list (self);
  gtk_widget_activate_action_variant (GTK_WIDGET (self), "tutorial.delete-many",
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids->data,
                                                                 ids->len, sizeof (gint64)));

  /* A row not loaded yet has no title to name it by. */
  if (ids->len == 1 && shown != NULL && tt_tutorial_get_title (shown) != NULL)
    {
      g_autofree char *shortened = tt_format_shorten (tt_tutorial_get_title (shown),
                                                      TT_FORMAT_QUOTED_CHARS);
      g_autofree char *escaped = g_markup_escape_text (shortened, -1);

      /* Translators: %s is the title of a tutorial */
      title = g_strdup_printf (_("“%s” deleted"), escaped);
    }
  else
    title = g_strdup_printf (ngettext ("%u tutorial deleted", "%u tutorials deleted", ids->len),
                             ids->len);
  tt_window_undo_toast (self, title, 1);
}

/* Delete on the selected tutorials. (With the focus on a tag of the
 * sidebar, the sidebar takes Delete first.) */
static void
tt_window_delete_selection_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  g_autoptr(GArray) ids = NULL;

  ids = tt_window_get_selected_tutorial_ids (self);
  if (ids->len > 0)
    tt_window_delete_tutorials (self, ids);
}

static void
tt_window_undo_many_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  guint n = g_variant_get_uint32 (parameter);

  /* The toast's own button: it dismisses the toast itself. */
  self->undoing_from_toast = TRUE;
  for (guint i = 0; i < n; i++)
    gtk_widget_activate_action (widget, "edit.undo", NULL);
  self->undoing_from_toast = FALSE;
}

static void
tt_window_search_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->content_leaflet, "list");
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
tt_window_focus_tags_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->content_leaflet, "editor");
  tt_tutorial_editor_focus_tags (self->editor);
}

static void
tt_window_show_pane_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);

  if (g_str_equal (action_name, "win.show-tags"))
    adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  else
    adw_leaflet_set_visible_child_name (self->content_leaflet, "list");
}

/* ---- closing --------------------------------------------------------- */

static void
tt_window_busy_changed_cb (TtWindow     *self,
                           GParamSpec   *pspec,
                           TtController *controller)
{
  if (!tt_controller_get_busy (controller))
    gtk_window_destroy (GTK_WINDOW (self));
}

/* Closing sends what is still typed and waits, hidden, until every
 * change has reached the catalogue: the application keeps running while
 * the window exists. */
static gboolean
tt_window_close_request (GtkWindow *window)
{
  TtWindow *self = TT_WINDOW (window);

  tt_tutorial_editor_save_now (self->editor);

  if (self->controller == NULL || !tt_controller_get_busy (self->controller))
    return GTK_WINDOW_CLASS (tt_window_parent_class)->close_request (window);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_signal_connect_object (self->controller, "notify::busy",
                           G_CALLBACK (tt_window_busy_changed_cb),
                           self, G_CONNECT_SWAPPED);
  return TRUE;
}

/* ---- object ---------------------------------------------------------- */

static void
tt_window_dispose (GObject *object)
{
  TtWindow *self = (TtWindow *)object;

  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);

  g_clear_weak_pointer (&self->undo_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_WINDOW);

  g_clear_object (&self->tutorial_selection);
  g_clear_object (&self->controller);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tt_window_parent_class)->dispose (object);
}

static void
tt_window_finalize (GObject *object)
{
  TtWindow *self = (TtWindow *)object;

  g_clear_pointer (&self->selected_ids, g_hash_table_unref);
  g_free (self->sort_key);
  g_free (self->sort_direction);
  g_free (self->search_text);
  tt_window_search_finalize (self);

  G_OBJECT_CLASS (tt_window_parent_class)->finalize (object);
}

static void
tt_window_set_string (TtWindow   *self,
                      char      **field,
                      const char *value,
                      guint       prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  tt_window_update_query (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
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
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;

    case PROP_SORT_KEY:
      g_value_set_string (value, self->sort_key);
      break;

    case PROP_SORT_DIRECTION:
      g_value_set_string (value, self->sort_direction);
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
    case PROP_CONTROLLER:
      tt_window_set_controller (self, g_value_get_object (value));
      break;

    case PROP_SORT_KEY:
      tt_window_set_string (self, &self->sort_key, g_value_get_string (value), prop_id);
      break;

    case PROP_SORT_DIRECTION:
      tt_window_set_string (self, &self->sort_direction, g_value_get_string (value), prop_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_window_install_properties (GObjectClass *object_class)
{
  properties [PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL,
                         TT_TYPE_CONTROLLER,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties [PROP_SORT_KEY] =
    g_param_spec_string ("sort-key", NULL, NULL,
                         "title",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties [PROP_SORT_DIRECTION] =
    g_param_spec_string ("sort-direction", NULL, NULL,
                         "ascending",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_window_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-tutorial", NULL,
                                   tt_window_new_tutorial_action);
  gtk_widget_class_install_action (widget_class, "win.delete-selection", NULL,
                                   tt_window_delete_selection_action);
  gtk_widget_class_install_action (widget_class, "win.undo-many", "u",
                                   tt_window_undo_many_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL,
                                   tt_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.focus-tags", NULL,
                                   tt_window_focus_tags_action);
  gtk_widget_class_install_action (widget_class, "win.show-tags", NULL,
                                   tt_window_show_pane_action);
  gtk_widget_class_install_action (widget_class, "win.show-list", NULL,
                                   tt_window_show_pane_action);
  gtk_widget_class_install_property_action (widget_class, "win.sort-key", "sort-key");
  gtk_widget_class_install_property_action (widget_class, "win.sort-direction", "sort-direction");
}

/* The sidebar's shortcuts work wherever the focus is, as the window's
 * own do: they are the window's, and lead to the sidebar's actions. */
static gboolean
tt_window_sidebar_shortcut_cb (GtkWidget *widget,
                               GVariant  *args,
                               gpointer   user_data)
{
  TtWindow *self = TT_WINDOW (widget);

  return gtk_widget_activate_action (GTK_WIDGET (self->sidebar),
                                     g_variant_get_string (args, NULL), NULL);
}

/* Bubbling shortcuts: a text field that has the focus handles Delete
 * itself first. (Ctrl+Z: tt_window_add_undo_shortcuts().) */
static void
tt_window_add_shortcuts (GtkWidgetClass *widget_class)
{
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-tutorial", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.focus-tags", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "win.delete-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0,
                                       "win.delete-selection", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F2, 0,
                                tt_window_sidebar_shortcut_cb,
                                "s", "sidebar.rename-selected-tag");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                tt_window_sidebar_shortcut_cb,
                                "s", "sidebar.new-tag");
}

/* Ctrl+Z is the window's Undo wherever the focus is, but for typing of
 * a text field's own (tt-text-undo.c). Asked before the key reaches the
 * field: a text field takes every Ctrl+Z it gets. */
static gboolean
tt_window_undo_shortcut_cb (GtkWidget *widget,
                            GVariant  *args,
                            gpointer   user_data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget));

  if (tt_text_undo_has_own_typing (focus))
    return FALSE;

  return gtk_widget_activate_action (widget, g_variant_get_string (args, NULL), NULL);
}

static void
tt_window_add_undo_shortcut (GtkShortcutController *controller,
                             const char            *accelerator,
                             const char            *action_name)
{
  GtkShortcut *shortcut;

  shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerator),
                               gtk_callback_action_new (tt_window_undo_shortcut_cb, NULL, NULL));
  gtk_shortcut_set_arguments (shortcut, g_variant_new_string (action_name));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
tt_window_add_undo_shortcuts (TtWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  tt_window_add_undo_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>z", "edit.undo");
  tt_window_add_undo_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control><Shift>z", "edit.redo");
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
tt_window_class_init (TtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tt_window_dispose;
  object_class->finalize = tt_window_finalize;
  object_class->get_property = tt_window_get_property;
  object_class->set_property = tt_window_set_property;
  window_class->close_request = tt_window_close_request;

  tt_window_install_properties (object_class);

  /* The list item factory builds these by name. */
  g_type_ensure (TT_TYPE_TUTORIAL_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/TutorialTags/tt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, salvage_button);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, content_leaflet);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, sidebar_slot);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, status_buttons);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, history_section);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, tutorial_list);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, editor_slot);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, many_page);
  gtk_widget_class_bind_template_callback (widget_class, tt_window_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tt_window_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, tt_window_tutorial_activated_cb);

  tt_window_install_actions (widget_class);
  tt_window_add_shortcuts (widget_class);
  tt_window_tags_class_init (widget_class);
  tt_window_damaged_class_init (widget_class);
}

/* A sort key chosen brings its natural direction: titles from A, dates
 * from the newest (what was just added or changed is what one looks
 * for). The direction can then be turned round. */
static void
tt_window_sort_key_chosen_cb (TtWindow   *self,
                              GParamSpec *pspec,
                              gpointer    user_data)
{
  g_object_set (self, "sort-direction",
                tt_window_get_sort (self) == TT_SORT_BY_TITLE ? "ascending" : "descending",
                NULL);
}

static void
tt_window_bind_settings (TtWindow *self)
{
  self->settings = tt_db_settings_new ();
  if (self->settings == NULL)
    return;

  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sort-key", self, "sort-key", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sort-direction", self, "sort-direction", G_SETTINGS_BIND_DEFAULT);
  /* Never chosen (a first start, or settings from a version without
   * directions): the sort key's usual one, so a list sorted by date
   * still starts with the newest. */
  if (g_strcmp0 (self->sort_direction, "usual") == 0)
    tt_window_sort_key_chosen_cb (self, NULL, NULL);
  g_settings_bind (self->settings, "tag-sort", self->sidebar, "tag-sort", G_SETTINGS_BIND_DEFAULT);
  /* After the first read of the settings: only a key chosen later
   * brings its own direction. */
  g_signal_connect_object (self, "notify::sort-key",
                           G_CALLBACK (tt_window_sort_key_chosen_cb), NULL, 0);
}

/* The tutorial list is a GtkGridView of one column rather than a
 * GtkListView: GTK 4.8's list view keeps 200 rows made around the one at
 * the top, and a search replaces them all (130 ms of main-thread work per
 * keystroke measured by tests/bench-window.c); a grid view keeps enough
 * rows for the window, about 30, which takes 20 ms. */
static void
tt_window_init_tutorial_list (TtWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  self->tutorial_selection = gtk_multi_selection_new (NULL);
  g_signal_connect_object (self->tutorial_selection, "selection-changed",
                           G_CALLBACK (tt_window_tutorial_selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* After the selection model has dropped the replaced items. */
  g_signal_connect_object (self->tutorial_selection, "items-changed",
                           G_CALLBACK (tt_window_tutorials_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_grid_view_set_model (self->tutorial_list, GTK_SELECTION_MODEL (self->tutorial_selection));
  factory = tt_tutorial_row_factory_new ();
  gtk_grid_view_set_factory (self->tutorial_list, factory);
  g_object_bind_property (self->content_leaflet, "folded",
                          self->tutorial_list, "single-click-activate",
                          G_BINDING_SYNC_CREATE);
}

/* The last write wins (README, "Working together on one server"): the
 * person is told when someone else's change reaches the tutorial they
 * have open, and whether what they are typing will replace it. */
static void
tt_window_copy_changed_cb (TtWindow         *self,
                           gboolean          kept_typing,
                           TtTutorialEditor *editor)
{
  TtTutorial *tutorial = tt_tutorial_editor_get_tutorial (editor);
  g_autofree char *shortened = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *text = NULL;
  const char *title;
  AdwToast *toast;

  if (self->controller == NULL || tutorial == NULL ||
      !tt_controller_is_refreshing_external (self->controller))
    return;

  title = tt_tutorial_get_title (tutorial);
  shortened = tt_format_shorten (title, TT_FORMAT_QUOTED_CHARS);
  escaped = g_markup_escape_text (shortened, -1);
  if (kept_typing)
    /* Translators: %s is the title someone else just saved */
    text = g_strdup_printf (_("Someone else saved this tutorial as “%s”; what you are typing is kept and will replace it"), escaped);
  else
    /* Translators: %s is the title someone else just saved */
    text = g_strdup_printf (_("Someone else changed this tutorial: it is now “%s”"), escaped);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 8);
  tt_window_add_toast (self, toast);
}

/* Made here rather than in the template, so that the .ui validator does
 * not need our widget types. */
static void
tt_window_init_editor (TtWindow *self)
{
  self->editor = TT_TUTORIAL_EDITOR (tt_tutorial_editor_new ());
  g_signal_connect_object (self->editor, "copy-changed",
                           G_CALLBACK (tt_window_copy_changed_cb), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->editor_slot, GTK_WIDGET (self->editor));
}

static void
tt_window_filter_activated_cb (TtWindow     *self,
                               TtTagSidebar *sidebar)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

static void
tt_window_tag_deleted_cb (TtWindow     *self,
                          TtTag        *tag,
                          TtTagSidebar *sidebar)
{
  g_autofree char *shortened = tt_format_shorten (tt_tag_get_name (tag), TT_FORMAT_QUOTED_CHARS);
  g_autofree char *escaped = g_markup_escape_text (shortened, -1);
  /* Translators: %s is the name of a tag */
  g_autofree char *title = g_strdup_printf (_("Tag “%s” deleted"), escaped);

  tt_window_undo_toast (self, title, 1);
}

/* Made here rather than in the template, as the editor is. */
static void
tt_window_init_sidebar (TtWindow *self)
{
  self->sidebar = TT_TAG_SIDEBAR (tt_tag_sidebar_new ());
  g_signal_connect_object (self->sidebar, "filter-changed",
                           G_CALLBACK (tt_window_sidebar_filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sidebar, "notify::filter-title",
                           G_CALLBACK (tt_window_update_list_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sidebar, "filter-activated",
                           G_CALLBACK (tt_window_filter_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sidebar, "tag-deleted",
                           G_CALLBACK (tt_window_tag_deleted_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->leaflet, "folded",
                          self->sidebar, "folded",
                          G_BINDING_SYNC_CREATE);
  adw_bin_set_child (self->sidebar_slot, GTK_WIDGET (self->sidebar));
}

static void
tt_window_init (TtWindow *self)
{
  /* Before the template: its buttons ask the property actions for their
   * state at once. */
  self->sort_key = g_strdup ("title");
  self->sort_direction = g_strdup ("ascending");
  self->selected_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->select_after_delete = G_MAXUINT;

  gtk_widget_init_template (GTK_WIDGET (self));

  tt_window_init_editor (self);
  tt_window_init_tutorial_list (self);
  tt_window_init_sidebar (self);
  tt_window_bind_settings (self);
  tt_window_add_undo_shortcuts (self);

  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (tt_window_search_mode_cb),
                           self, G_CONNECT_SWAPPED);
  tt_window_search_init (self);
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* What the store would refuse cannot be typed or pasted. */
  gtk_text_set_max_length (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry))),
                           TT_MAX_SEARCH_CHARS);
  tt_window_show_selection (self);
  tt_window_update_list_title (self);
}
