/* tt-window-tags.c: the tag sidebar of the main window, and its dialogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sidebar lists "All Tutorials", "Untagged", then every tag. Several
 * tags can be selected (Ctrl+click) to show the tutorials with any or
 * all of them; "All Tutorials" and "Untagged" stand alone. The filter is
 * kept as tag ids, and the selection is rebuilt from it whenever the
 * controller reloads its tags.
 */

#define G_LOG_DOMAIN "tt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-tag-row.h"
#include "tt-window-private.h"

/* ---- finding tags ---------------------------------------------------- */

static GListModel *
tt_window_tags_model (TtWindow *self)
{
  return self->controller != NULL ? tt_controller_get_tags (self->controller) : NULL;
}

/* Returns: (transfer full) (nullable): the tag with @tag_id */
TtTag *
tt_window_tags_find (TtWindow *self,
                     gint64    tag_id)
{
  GListModel *tags = tt_window_tags_model (self);
  guint n = tags != NULL ? g_list_model_get_n_items (tags) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      if (tt_tag_get_id (tag) == tag_id)
        return g_steal_pointer (&tag);
    }

  return NULL;
}

/* Returns: (transfer full) (nullable): the tag called @name in any case */
static TtTag *
tt_window_tags_find_by_name (TtWindow   *self,
                             const char *name)
{
  GListModel *tags = tt_window_tags_model (self);
  guint n = tags != NULL ? g_list_model_get_n_items (tags) : 0;
  g_autofree char *key = tt_tag_name_key (name);

  for (guint i = 0; i < n && key != NULL; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);
      g_autofree char *tag_key = tt_tag_name_key (tt_tag_get_name (tag));

      if (g_strcmp0 (key, tag_key) == 0)
        return g_steal_pointer (&tag);
    }

  return NULL;
}

/* Returns: (transfer full) (nullable): the tag the filter is, if one */
static TtTag *
tt_window_tags_get_single (TtWindow *self)
{
  if (self->filter != TT_FILTER_TAGS || self->filter_tag_ids->len != 1)
    return NULL;

  return tt_window_tags_find (self, g_array_index (self->filter_tag_ids, gint64, 0));
}

/* Returns: (transfer full): what the list shows, as its title */
char *
tt_window_tags_describe_filter (TtWindow *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (self->filter == TT_FILTER_ALL)
    return g_strdup (_("All Tutorials"));
  if (self->filter == TT_FILTER_UNTAGGED)
    return g_strdup (_("Untagged"));

  for (guint i = 0; i < self->filter_tag_ids->len; i++)
    {
      g_autoptr(TtTag) tag = tt_window_tags_find (self, g_array_index (self->filter_tag_ids, gint64, i));

      if (tag != NULL)
        g_ptr_array_add (names, g_strdup (tt_tag_get_name (tag)));
    }
  g_ptr_array_add (names, NULL);

  /* Translators: what separates the names of the tags a list shows */
  return g_strjoinv (_(", "), (char **) names->pdata);
}

/* ---- the selection --------------------------------------------------- */

static gboolean
tt_window_tags_filter_has (TtWindow *self,
                           gint64    tag_id)
{
  for (guint i = 0; i < self->filter_tag_ids->len; i++)
    {
      if (g_array_index (self->filter_tag_ids, gint64, i) == tag_id)
        return TRUE;
    }

  return FALSE;
}

/* Makes the sidebar's selection say what the filter is. */
static void
tt_window_tags_sync_selection (TtWindow *self)
{
  GListModel *rows = G_LIST_MODEL (self->tag_selection);
  guint n = g_list_model_get_n_items (rows);
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) all = gtk_bitset_new_range (0, n);

  if (self->filter == TT_FILTER_ALL)
    gtk_bitset_add (selected, 0);
  else if (self->filter == TT_FILTER_UNTAGGED)
    gtk_bitset_add (selected, 1);
  else
    for (guint i = TT_N_FILTER_ROWS; i < n; i++)
      {
        g_autoptr(TtTag) tag = g_list_model_get_item (rows, i);

        if (tt_window_tags_filter_has (self, tt_tag_get_id (tag)))
          gtk_bitset_add (selected, i);
      }

  self->syncing_tags = TRUE;
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->tag_selection), selected, all);
  self->syncing_tags = FALSE;
}

void
tt_window_tags_update_actions (TtWindow *self)
{
  gboolean one_tag = self->filter == TT_FILTER_TAGS && self->filter_tag_ids->len == 1;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rename-selected-tag", one_tag);
  gtk_revealer_set_reveal_child (self->match_revealer,
                                 self->filter == TT_FILTER_TAGS &&
                                 self->filter_tag_ids->len > 1);
}

void
tt_window_tags_set_filter (TtWindow     *self,
                           TtFilter      filter,
                           const gint64 *tag_ids,
                           guint         n_tag_ids)
{
  self->filter = filter;
  g_array_set_size (self->filter_tag_ids, 0);
  if (filter == TT_FILTER_TAGS)
    g_array_append_vals (self->filter_tag_ids, tag_ids, n_tag_ids);

  tt_window_tags_sync_selection (self);
  tt_window_tags_update_actions (self);
  tt_window_update_query (self);
}

/* What the person selected, read as a filter. "All Tutorials" or
 * "Untagged" added to a selection of tags replaces them, and the other
 * way round. */
static void
tt_window_tags_selection_changed_cb (TtWindow          *self,
                                     guint              position,
                                     guint              n_items,
                                     GtkSelectionModel *selection)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkBitsetIter iter;
  guint i;

  if (self->syncing_tags)
    return;

  for (gboolean ok = gtk_bitset_iter_init_at (&iter, selected, TT_N_FILTER_ROWS, &i);
       ok;
       ok = gtk_bitset_iter_next (&iter, &i))
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (G_LIST_MODEL (selection), i);
      gint64 id = tt_tag_get_id (tag);

      g_array_append_val (ids, id);
    }

  if (gtk_bitset_contains (selected, 0) && self->filter != TT_FILTER_ALL)
    tt_window_tags_set_filter (self, TT_FILTER_ALL, NULL, 0);
  else if (gtk_bitset_contains (selected, 1) && self->filter != TT_FILTER_UNTAGGED)
    tt_window_tags_set_filter (self, TT_FILTER_UNTAGGED, NULL, 0);
  else if (ids->len > 0)
    tt_window_tags_set_filter (self, TT_FILTER_TAGS, (gint64 *) (gpointer) ids->data, ids->len);
  else if (gtk_bitset_contains (selected, 1))
    tt_window_tags_set_filter (self, TT_FILTER_UNTAGGED, NULL, 0);
  else
    tt_window_tags_set_filter (self, TT_FILTER_ALL, NULL, 0);
}

/* Drops deleted tags from the filter. Returns whether it changed. */
static gboolean
tt_window_tags_prune_filter (TtWindow *self)
{
  guint before = self->filter_tag_ids->len;

  for (guint i = self->filter_tag_ids->len; i > 0; i--)
    {
      g_autoptr(TtTag) tag = tt_window_tags_find (self, g_array_index (self->filter_tag_ids, gint64, i - 1));

      if (tag == NULL)
        g_array_remove_index (self->filter_tag_ids, i - 1);
    }

  if (self->filter == TT_FILTER_TAGS && self->filter_tag_ids->len == 0)
    self->filter = TT_FILTER_ALL;

  return self->filter_tag_ids->len != before;
}

static void
tt_window_tags_changed_cb (TtWindow   *self,
                           guint       position,
                           guint       removed,
                           guint       added,
                           GListModel *model)
{
  GListModel *tags = tt_window_tags_model (self);
  gboolean empty = tags == NULL || g_list_model_get_n_items (tags) == 0;

  /* No tags: the two filter rows on top, the empty state below them. */
  gtk_widget_set_visible (GTK_WIDGET (self->no_tags_page), empty && self->controller != NULL);
  gtk_widget_set_vexpand (GTK_WIDGET (self->tag_scroller), !empty);
  gtk_scrolled_window_set_propagate_natural_height (self->tag_scroller, empty);

  if (tt_window_tags_prune_filter (self))
    tt_window_tags_set_filter (self, self->filter,
                               (gint64 *) (gpointer) self->filter_tag_ids->data,
                               self->filter_tag_ids->len);
  else
    {
      tt_window_tags_sync_selection (self);
      tt_window_tags_update_actions (self);
      /* A tag in the title may have been renamed. */
      tt_window_update_list_title (self);
    }
}

/* A click when the sidebar is all there is room for, or Enter. */
static void
tt_window_tags_activated_cb (TtWindow    *self,
                             guint        position,
                             GtkListView *list_view)
{
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->tag_selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->tag_selection), position, TRUE);

  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

/* ---- naming a tag ---------------------------------------------------- */

typedef struct
{
  TtWindow *window;
  TtTag    *tag;       /* renamed, or NULL for a new tag */
  GtkEntry *entry;
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

/* A new tag needs a name nobody has; a rename onto another tag's name is
 * a merge, asked about afterwards. */
static void
name_dialog_changed_cb (AdwMessageDialog *dialog,
                        GtkEditable      *entry)
{
  NameDialog *state = g_object_get_data (G_OBJECT (dialog), "state");
  g_autofree char *name = name_dialog_dup_name (state);
  g_autoptr(TtTag) existing = NULL;
  gboolean valid = name[0] != '\0';

  if (valid && state->tag == NULL)
    existing = tt_window_tags_find_by_name (state->window, name);
  else if (valid)
    valid = g_strcmp0 (name, tt_tag_get_name (state->tag)) != 0;

  if (existing != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  adw_message_dialog_set_body (dialog, existing != NULL ? _("A tag with that name already exists") : "");
  adw_message_dialog_set_response_enabled (dialog, "apply", valid && existing == NULL);
}

static AdwMessageDialog *
name_dialog_new (TtWindow   *self,
                 TtTag      *tag,
                 const char *heading,
                 const char *apply_label)
{
  AdwMessageDialog *dialog;
  NameDialog *state = g_new0 (NameDialog, 1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  state->window = self;
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
tt_window_merge_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             TtWindow         *self)
{
  TtTag *tag = g_object_get_data (G_OBJECT (dialog), "tag");
  const char *name = g_object_get_data (G_OBJECT (dialog), "name");

  if (g_str_equal (response, "merge"))
    gtk_widget_activate_action (GTK_WIDGET (self), "tag.rename", "(xs)",
                                tt_tag_get_id (tag), name);
}

static void
tt_window_confirm_merge (TtWindow   *self,
                         TtTag      *tag,
                         TtTag      *target,
                         const char *name)
{
  guint count = tt_tag_get_tutorial_count (tag);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: %s is the name of the tag another one is merged into */
  heading = g_strdup_printf (_("Merge into “%s”?"), tt_tag_get_name (target));
  /* Translators: the first %s is the tag that goes away, %u the number of
   * its tutorials, the second %s the tag they get instead */
  body = g_strdup_printf (ngettext ("“%s” goes away, and its %u tutorial gets the tag “%s” instead.",
                                    "“%s” goes away, and its %u tutorials get the tag “%s” instead.",
                                    count),
                          tt_tag_get_name (tag), count, tt_tag_get_name (target));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
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
  g_signal_connect_object (dialog, "response", G_CALLBACK (tt_window_merge_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tt_window_name_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            TtWindow         *self)
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

  existing = tt_window_tags_find_by_name (self, name);
  if (existing != NULL && tt_tag_get_id (existing) != tt_tag_get_id (state->tag))
    tt_window_confirm_merge (self, state->tag, existing, name);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "tag.rename", "(xs)",
                                tt_tag_get_id (state->tag), name);
}

static void
tt_window_present_name_dialog (TtWindow   *self,
                               TtTag      *tag,
                               const char *heading,
                               const char *apply_label)
{
  AdwMessageDialog *dialog = name_dialog_new (self, tag, heading, apply_label);

  g_signal_connect_object (dialog, "response", G_CALLBACK (tt_window_name_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tt_window_new_tag_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  tt_window_present_name_dialog (TT_WINDOW (widget), NULL, _("New Tag"), _("C_reate"));
}

static void
tt_window_rename_tag_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  g_autoptr(TtTag) tag = NULL;

  if (parameter != NULL)
    tag = tt_window_tags_find (self, g_variant_get_int64 (parameter));
  else
    tag = tt_window_tags_get_single (self);

  if (tag != NULL)
    tt_window_present_name_dialog (self, tag, _("Rename Tag"), _("_Rename"));
}

/* ---- deleting a tag -------------------------------------------------- */

static void
tt_window_delete_tag_response_cb (AdwMessageDialog *dialog,
                                  const char       *response,
                                  TtWindow         *self)
{
  TtTag *tag = g_object_get_data (G_OBJECT (dialog), "tag");
  g_autofree char *escaped = NULL;
  g_autofree char *title = NULL;

  if (!g_str_equal (response, "delete"))
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "tag.delete", "x", tt_tag_get_id (tag));

  escaped = g_markup_escape_text (tt_tag_get_name (tag), -1);
  /* Translators: %s is the name of a tag */
  title = g_strdup_printf (_("Tag “%s” deleted"), escaped);
  tt_window_undo_toast (self, title, 1);
}

static void
tt_window_delete_tag_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  g_autoptr(TtTag) tag = tt_window_tags_find (self, g_variant_get_int64 (parameter));
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  guint count;

  if (tag == NULL)
    return;

  count = tt_tag_get_tutorial_count (tag);
  /* Translators: %s is the name of a tag */
  heading = g_strdup_printf (_("Delete “%s”?"), tt_tag_get_name (tag));
  body = count == 0 ? g_strdup (_("No tutorial has this tag."))
                    : g_strdup_printf (ngettext ("%u tutorial will lose it.",
                                                 "%u tutorials will lose it.", count),
                                       count);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "tag", g_steal_pointer (&tag), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (tt_window_delete_tag_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- one tag on many tutorials --------------------------------------- */

static void
tt_window_add_new_tags (GListStore *tags,
                        GHashTable *seen,
                        GListModel *more)
{
  guint n = more != NULL ? g_list_model_get_n_items (more) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (more, i);
      gint64 id = tt_tag_get_id (tag);

      if (g_hash_table_contains (seen, &id))
        continue;

      g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
      g_list_store_append (tags, tag);
    }
}

/* Past this many, the dialog offers every tag rather than read them all. */
#define MAX_SELECTION_READ 500

/* Returns: (transfer full): the tags some of the selected tutorials
 *   have, or every tag when they are not all at hand */
static GListModel *
tt_window_tags_of_selection (TtWindow *self)
{
  GListModel *tutorials = G_LIST_MODEL (self->tutorial_selection);
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  GtkBitsetIter iter;
  guint position;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->tutorial_selection));
  if (gtk_bitset_get_size (selected) > MAX_SELECTION_READ)
    return g_object_ref (tt_controller_get_tags (self->controller));

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, position);

      /* Not read yet (a row far from view): its tags are unknown. */
      if (tt_tutorial_get_created_at (tutorial) == NULL)
        return g_object_ref (tt_controller_get_tags (self->controller));
      tt_window_add_new_tags (tags, seen, tt_tutorial_get_tags (tutorial));
    }

  return G_LIST_MODEL (g_steal_pointer (&tags));
}

typedef struct
{
  GArray      *tutorial_ids;
  GtkDropDown *drop_down;
  gboolean     add;
} LinkDialog;

static void
link_dialog_free (gpointer data)
{
  LinkDialog *state = data;

  g_array_unref (state->tutorial_ids);
  g_free (state);
}

static void
tt_window_link_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            TtWindow         *self)
{
  LinkDialog *state = g_object_get_data (G_OBJECT (dialog), "state");
  TtTag *tag = gtk_drop_down_get_selected_item (state->drop_down);
  GVariant *ids;

  if (!g_str_equal (response, "apply") || tag == NULL)
    return;

  ids = g_variant_new_fixed_array (G_VARIANT_TYPE_INT64,
                                   state->tutorial_ids->data, state->tutorial_ids->len,
                                   sizeof (gint64));
  gtk_widget_activate_action_variant (GTK_WIDGET (self),
                                      state->add ? "tag.add-to-tutorials" : "tag.remove-from-tutorials",
                                      g_variant_new ("(@axx)", ids, tt_tag_get_id (tag)));
}

static GtkDropDown *
tt_window_tag_drop_down_new (GListModel *tags)
{
  GtkExpression *expression = gtk_property_expression_new (TT_TYPE_TAG, NULL, "name");
  GtkDropDown *drop_down = GTK_DROP_DOWN (gtk_drop_down_new (g_object_ref (tags), expression));

  gtk_drop_down_set_enable_search (drop_down, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tag"), -1);

  return drop_down;
}

static void
tt_window_present_link_dialog (TtWindow   *self,
                               GListModel *tags,
                               gboolean    add)
{
  LinkDialog *state = g_new0 (LinkDialog, 1);
  guint n;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  state->tutorial_ids = tt_window_get_selected_tutorial_ids (self);
  state->drop_down = tt_window_tag_drop_down_new (tags);
  state->add = add;
  n = state->tutorial_ids->len;
  heading = add ? g_strdup_printf (ngettext ("Add a Tag to %u Tutorial", "Add a Tag to %u Tutorials", n), n)
                : g_strdup_printf (ngettext ("Remove a Tag from %u Tutorial", "Remove a Tag from %u Tutorials", n), n);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "apply", add ? _("_Add") : _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                              add ? ADW_RESPONSE_SUGGESTED : ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (state->drop_down));
  g_object_set_data_full (G_OBJECT (dialog), "state", state, link_dialog_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (tt_window_link_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tt_window_link_selection_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  gboolean add = g_str_equal (action_name, "win.add-tag-to-selection");
  g_autoptr(GListModel) tags = NULL;

  tags = add ? g_object_ref (tt_window_tags_model (self)) : tt_window_tags_of_selection (self);
  if (g_list_model_get_n_items (tags) == 0)
    {
      tt_window_add_toast (self, adw_toast_new (add ? _("There are no tags yet")
                                                    : _("None of these tutorials has a tag")));
      return;
    }

  tt_window_present_link_dialog (self, tags, add);
}

/* ---- set-up ---------------------------------------------------------- */

void
tt_window_tags_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-tag", NULL,
                                   tt_window_new_tag_action);
  gtk_widget_class_install_action (widget_class, "win.rename-tag", "x",
                                   tt_window_rename_tag_action);
  gtk_widget_class_install_action (widget_class, "win.rename-selected-tag", NULL,
                                   tt_window_rename_tag_action);
  gtk_widget_class_install_action (widget_class, "win.delete-tag", "x",
                                   tt_window_delete_tag_action);
  gtk_widget_class_install_action (widget_class, "win.add-tag-to-selection", NULL,
                                   tt_window_link_selection_action);
  gtk_widget_class_install_action (widget_class, "win.remove-tag-from-selection", NULL,
                                   tt_window_link_selection_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0,
                                       "win.rename-selected-tag", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.new-tag", NULL);
}

void
tt_window_tags_init (TtWindow *self)
{
  g_autoptr(GListStore) sections = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr(GListStore) no_tags = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(GtkStringObject) all = gtk_string_object_new (TT_TAG_ROW_ALL);
  g_autoptr(GtkStringObject) untagged = gtk_string_object_new (TT_TAG_ROW_UNTAGGED);
  GtkFlattenListModel *rows;

  self->filter_rows = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_list_store_append (self->filter_rows, all);
  g_list_store_append (self->filter_rows, untagged);
  g_list_store_append (sections, self->filter_rows);
  g_list_store_append (sections, no_tags);

  rows = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&sections)));
  self->tag_selection = gtk_multi_selection_new (G_LIST_MODEL (rows));
  g_signal_connect_object (self->tag_selection, "selection-changed",
                           G_CALLBACK (tt_window_tags_selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tag_selection, "items-changed",
                           G_CALLBACK (tt_window_tags_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_list_view_set_model (self->tag_list, GTK_SELECTION_MODEL (self->tag_selection));
  g_signal_connect_object (self->tag_list, "activate",
                           G_CALLBACK (tt_window_tags_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->leaflet, "folded",
                          self->tag_list, "single-click-activate",
                          G_BINDING_SYNC_CREATE);

  tt_window_tags_set_filter (self, TT_FILTER_ALL, NULL, 0);
}

/* Shows the controller's tags, or none, below the two filter rows. */
void
tt_window_tags_attach (TtWindow *self)
{
  GtkFlattenListModel *rows = GTK_FLATTEN_LIST_MODEL (gtk_multi_selection_get_model (self->tag_selection));
  GListStore *sections = G_LIST_STORE (gtk_flatten_list_model_get_model (rows));
  g_autoptr(GListModel) no_tags = G_LIST_MODEL (g_list_store_new (TT_TYPE_TAG));
  GListModel *tags = tt_window_tags_model (self);

  if (tags == NULL)
    tags = no_tags;
  g_list_store_splice (sections, 1, 1, (gpointer *) &tags, 1);
}
