/* tt-window-tags.c: one tag on many tutorials, the window's dialogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With several tutorials selected, a tag can be added to or removed from
 * all of them at once. The selection is the window's, so these dialogs
 * are too; the tags themselves, and the filter, are the sidebar's
 * (tt-tag-sidebar.c).
 */

#define G_LOG_DOMAIN "tt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-format.h"
#include "tt-window-private.h"

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
  GtkDropDown *drop_down;  /* NULL when there are no tags yet */
  GtkEditable *new_name;   /* adding: a new tag's name, which wins when given */
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
  TtTag *tag = state->drop_down != NULL ? gtk_drop_down_get_selected_item (state->drop_down) : NULL;
  g_autofree char *name = state->new_name != NULL ? g_strdup (gtk_editable_get_text (state->new_name)) : NULL;
  GVariant *ids;

  if (!g_str_equal (response, "apply"))
    return;

  ids = g_variant_new_fixed_array (G_VARIANT_TYPE_INT64,
                                   state->tutorial_ids->data, state->tutorial_ids->len,
                                   sizeof (gint64));
  /* The store checks the name (blank, too long) and says what is wrong. */
  if (name != NULL && g_strstrip (name)[0] != '\0')
    {
      gtk_widget_activate_action_variant (GTK_WIDGET (self), "tag.add-named-to-tutorials",
                                          g_variant_new ("(@axs)", ids, name));
      return;
    }
  if (tag == NULL)
    {
      g_variant_unref (g_variant_ref_sink (ids));
      return;
    }
  gtk_widget_activate_action_variant (GTK_WIDGET (self),
                                      state->add ? "tag.add-to-tutorials" : "tag.remove-from-tutorials",
                                      g_variant_new ("(@axx)", ids, tt_tag_get_id (tag)));
}

static GtkEditable *
tt_window_new_tag_entry_new (void)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Or a new tag"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("New tag"), -1);
  return GTK_EDITABLE (entry);
}

/* The tags there are to choose from, and (adding) a new one's name. */
static GtkWidget *
tt_window_link_dialog_child (LinkDialog *state)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  if (state->drop_down != NULL)
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (state->drop_down));
  if (state->new_name != NULL)
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (state->new_name));
  return box;
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
  if (g_list_model_get_n_items (tags) > 0)
    state->drop_down = tt_tag_sidebar_new_tag_chooser (tags);
  if (add)
    state->new_name = tt_window_new_tag_entry_new ();
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
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), tt_window_link_dialog_child (state));
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

  tags = add ? g_object_ref (tt_controller_get_tags (self->controller))
             : tt_window_tags_of_selection (self);
  /* Adding with no tags yet: a new one. */
  if (!add && g_list_model_get_n_items (tags) == 0)
    {
      tt_window_add_toast (self, adw_toast_new (_("None of these tutorials has a tag")));
      return;
    }

  tt_window_present_link_dialog (self, tags, add);
}

/* ---- deleting the tags nothing uses ---------------------------------- */

/* How many names the question lists before "and N more". */
#define MAX_LISTED_NAMES 10

/* Returns: (transfer full): the tags no tutorial has */
static GPtrArray *
tt_window_unused_tags (TtWindow *self)
{
  GListModel *tags = tt_controller_get_tags (self->controller);
  GPtrArray *unused = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      if (tt_tag_get_tutorial_count (tag) == 0)
        g_ptr_array_add (unused, g_steal_pointer (&tag));
    }
  return unused;
}

static GArray *
tt_window_tag_ids (GPtrArray *tags)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), tags->len);

  for (guint i = 0; i < tags->len; i++)
    {
      gint64 id = tt_tag_get_id (g_ptr_array_index (tags, i));

      g_array_append_val (ids, id);
    }
  return ids;
}

/* "Delete the 3 tags no tutorial has? a, b, c" (the names shortened, at
 * most MAX_LISTED_NAMES of them). In the body, which wraps: a heading
 * does not (see the merge question in tt-tag-sidebar.c). */
static char *
tt_window_unused_question (GPtrArray *unused)
{
  g_autoptr(GString) names = g_string_new (NULL);
  guint listed = MIN (unused->len, MAX_LISTED_NAMES);

  for (guint i = 0; i < listed; i++)
    {
      g_autofree char *name = tt_format_shorten (tt_tag_get_name (g_ptr_array_index (unused, i)),
                                                 TT_FORMAT_QUOTED_CHARS);

      /* Translators: a tag's name in a list of names */
      g_string_append_printf (names, i == 0 ? _("“%s”") : _(", “%s”"), name);
    }
  if (unused->len > listed)
    /* Translators: after a list of tag names; %u is how many more there are */
    g_string_append_printf (names, ngettext (" and %u more", " and %u more", unused->len - listed),
                            unused->len - listed);

  /* Translators: %u is a number of tags, %s their names */
  return g_strdup_printf (ngettext ("Delete the %u tag no tutorial has? %s. Undo brings it back.",
                                    "Delete the %u tags no tutorial has? %s. Undo brings them back.",
                                    unused->len),
                          unused->len, names->str);
}

static void
tt_window_delete_unused_response_cb (AdwMessageDialog *dialog,
                                     const char       *response,
                                     TtWindow         *self)
{
  GArray *ids = g_object_get_data (G_OBJECT (dialog), "ids");
  g_autofree char *title = NULL;

  if (!g_str_equal (response, "delete"))
    return;

  gtk_widget_activate_action_variant (GTK_WIDGET (self), "tag.delete-unused",
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids->data,
                                                                 ids->len, sizeof (gint64)));
  title = g_strdup_printf (ngettext ("%u unused tag deleted", "%u unused tags deleted", ids->len),
                           ids->len);
  tt_window_undo_toast (self, title, 1);
}

static void
tt_window_delete_unused_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  TtWindow *self = TT_WINDOW (widget);
  g_autoptr(GPtrArray) unused = NULL;
  g_autofree char *question = NULL;
  GtkWidget *dialog;

  if (self->controller == NULL)
    return;
  unused = tt_window_unused_tags (self);
  if (unused->len == 0)
    {
      tt_window_add_toast (self, adw_toast_new (_("Every tag is in use")));
      return;
    }

  question = tt_window_unused_question (unused);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, question);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ids", tt_window_tag_ids (unused),
                          (GDestroyNotify) g_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (tt_window_delete_unused_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- set-up ---------------------------------------------------------- */

void
tt_window_tags_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-tag-to-selection", NULL,
                                   tt_window_link_selection_action);
  gtk_widget_class_install_action (widget_class, "win.remove-tag-from-selection", NULL,
                                   tt_window_link_selection_action);
  gtk_widget_class_install_action (widget_class, "win.delete-unused-tags", NULL,
                                   tt_window_delete_unused_action);
  /* The keyboard's way to drop the selected tutorials on a tag. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK,
                                       "win.add-tag-to-selection", NULL);
}
