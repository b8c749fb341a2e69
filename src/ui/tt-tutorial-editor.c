/* tt-tutorial-editor.c: the pane that edits one tutorial
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * There is no Save button: half a second after the last keystroke the
 * editor activates tutorial.update, and the tag chips activate
 * tutorial.add-tag and tutorial.remove-tag (or remove-tag-by-name) at
 * once. The editor holds no controller; the actions are found on the
 * window it sits in.
 *
 * What a person typed always wins over what the catalogue says. The
 * controller hands out a new TtTutorial after every change; a field is
 * reloaded from it only while the field still shows what the previous
 * copy said, that is, when nothing typed is waiting to be confirmed.
 * A failed save therefore leaves the typed text in place, and a text
 * not yet confirmed when the person moves to another tutorial is kept
 * as a draft until it is.
 *
 * The fields hold only the shown tutorial's text or what was typed for
 * it. A row the list has not read yet is a placeholder with no title
 * (see tt-tutorial-results.c): the editor shows it empty and takes no
 * typing until the loaded copy comes, so nothing of the tutorial shown
 * before can stay behind and be sent as this one's.
 */

#define G_LOG_DOMAIN "tt-tutorial-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tt-clock.h"
#include "tt-format.h"
#include "tt-tag-editor.h"
#include "tt-text-undo.h"
#include "tt-rules.h"
#include "tt-tutorial-editor.h"

#define SAVE_DELAY_MS 500

typedef struct
{
  char *title;
  char *description;
} Draft;

struct _TtTutorialEditor
{
  GtkWidget      parent_instance;

  /* The newest copy the window gave us: what the catalogue says. */
  TtTutorial    *tutorial;
  /* gint64 id → Draft: typed texts of other tutorials, not confirmed. */
  GHashTable    *drafts;
  GtkWidget     *tag_editor;
  guint          save_source;
  guint          loading : 1;

  /* Template widgets */
  GtkScrolledWindow *scroller;
  AdwEntryRow   *title_row;
  GtkTextView   *description_view;
  AdwBin        *tags_slot;
  GtkLabel      *dates_label;
};

G_DEFINE_FINAL_TYPE (TtTutorialEditor, tt_tutorial_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TUTORIAL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  COPY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
draft_free (gpointer data)
{
  Draft *draft = data;

  g_free (draft->title);
  g_free (draft->description);
  g_free (draft);
}

GtkWidget *
tt_tutorial_editor_new (void)
{
  return g_object_new (TT_TYPE_TUTORIAL_EDITOR, NULL);
}

/* ---- the texts ------------------------------------------------------- */

static char *
tt_tutorial_editor_dup_description (TtTutorialEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
tt_tutorial_editor_get_title_text (TtTutorialEditor *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->title_row));
}

static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* A placeholder stands for a row not read yet. (Not "has no title": a
 * row the Node.js app wrote may have none, and must stay editable.) */
static gboolean
is_loaded (TtTutorial *tutorial)
{
  return tutorial != NULL && !tt_tutorial_is_placeholder (tutorial);
}

/* Puts exactly @title and @description in the fields (NULL is empty).
 * A field that already says so is left alone, so that the cursor of
 * someone typing in it stays put. */
static void
tt_tutorial_editor_load_texts (TtTutorialEditor *self,
                               const char       *title,
                               const char       *description)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  g_autofree char *shown_description = tt_tutorial_editor_dup_description (self);

  /* Text put in a field is no typing of the person's: Ctrl+Z there is
   * the window's Undo (tt-text-undo.c). */
  self->loading = TRUE;
  if (!same_text (title, tt_tutorial_editor_get_title_text (self)))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), title != NULL ? title : "");
      tt_text_undo_forget (GTK_WIDGET (self->title_row));
    }
  if (!same_text (description, shown_description))
    {
      gtk_text_buffer_set_text (buffer, description != NULL ? description : "", -1);
      tt_text_undo_forget (GTK_WIDGET (self->description_view));
    }
  self->loading = FALSE;
}

/* The title the store would refuse outright is not sent; the row says
 * what is wrong with it instead. */
static gboolean
tt_tutorial_editor_check_title (TtTutorialEditor *self)
{
  g_autoptr(GError) error = NULL;
  gboolean valid = tt_rules_check_title (tt_tutorial_editor_get_title_text (self), &error);

  /* The store's rule, asked first: a title it would refuse stays here,
   * marked, with the reason on the row, until it is corrected. */
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->title_row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_row), valid ? NULL : error->message);

  return valid;
}

static gboolean
tt_tutorial_editor_is_dirty (TtTutorialEditor *self)
{
  g_autofree char *description = NULL;

  if (!is_loaded (self->tutorial))
    return FALSE;

  description = tt_tutorial_editor_dup_description (self);

  return g_strcmp0 (tt_tutorial_editor_get_title_text (self),
                    tt_tutorial_get_title (self->tutorial)) != 0 ||
         g_strcmp0 (description, tt_tutorial_get_description (self->tutorial)) != 0;
}

/* ---- saving ---------------------------------------------------------- */

static void tt_tutorial_editor_forget_undo (TtTutorialEditor *self);

void
tt_tutorial_editor_save_now (TtTutorialEditor *self)
{
  g_autofree char *description = NULL;

  g_return_if_fail (TT_IS_TUTORIAL_EDITOR (self));

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (!tt_tutorial_editor_is_dirty (self) || !tt_tutorial_editor_check_title (self))
    return;

  description = tt_tutorial_editor_dup_description (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "tutorial.update", "(xss)",
                              tt_tutorial_get_id (self->tutorial),
                              tt_tutorial_editor_get_title_text (self),
                              description);
  /* The typing is a command now: Ctrl+Z in the field undoes that (the
   * window's Undo) instead of changing the text behind its back. */
  tt_tutorial_editor_forget_undo (self);
}

static gboolean
tt_tutorial_editor_save_timeout_cb (gpointer user_data)
{
  TtTutorialEditor *self = user_data;

  self->save_source = 0;
  tt_tutorial_editor_save_now (self);

  return G_SOURCE_REMOVE;
}

static void
tt_tutorial_editor_text_changed_cb (TtTutorialEditor *self)
{
  if (self->loading || !is_loaded (self->tutorial))
    return;

  tt_tutorial_editor_check_title (self);
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, tt_tutorial_editor_save_timeout_cb, self);
}

/* ---- drafts ---------------------------------------------------------- */

static void
tt_tutorial_editor_keep_draft (TtTutorialEditor *self)
{
  Draft *draft;
  gint64 *key;

  if (!tt_tutorial_editor_is_dirty (self))
    return;

  draft = g_new0 (Draft, 1);
  draft->title = g_strdup (tt_tutorial_editor_get_title_text (self));
  draft->description = tt_tutorial_editor_dup_description (self);
  key = g_memdup2 (&(gint64) { tt_tutorial_get_id (self->tutorial) }, sizeof (gint64));
  g_hash_table_replace (self->drafts, key, draft);
}

/* Puts back what was typed for @tutorial and not confirmed since, or
 * forgets the draft once the catalogue says the same. */
static void
tt_tutorial_editor_restore_draft (TtTutorialEditor *self,
                                  TtTutorial       *tutorial)
{
  gint64 id = tt_tutorial_get_id (tutorial);
  Draft *draft = g_hash_table_lookup (self->drafts, &id);

  if (draft == NULL)
    return;

  if (g_strcmp0 (draft->title, tt_tutorial_get_title (tutorial)) != 0 ||
      g_strcmp0 (draft->description, tt_tutorial_get_description (tutorial)) != 0)
    tt_tutorial_editor_load_texts (self, draft->title, draft->description);

  g_hash_table_remove (self->drafts, &id);
}

/* ---- showing a tutorial ---------------------------------------------- */

static void
tt_tutorial_editor_show_dates (TtTutorialEditor *self)
{
  GDateTime *created_at = tt_tutorial_get_created_at (self->tutorial);
  GDateTime *updated_at = tt_tutorial_get_updated_at (self->tutorial);
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *text = NULL;

  if (!is_loaded (self->tutorial))
    {
      gtk_label_set_label (self->dates_label, _("Loading…"));
      return;
    }
  if (created_at == NULL || updated_at == NULL)
    {
      gtk_label_set_label (self->dates_label, "");
      return;
    }

  created = tt_format_full_time (created_at, tt_clock_get_format (tt_clock_get_default ()));
  updated = tt_format_full_time (updated_at, tt_clock_get_format (tt_clock_get_default ()));
  /* Translators: the first %s is when a tutorial was created, the second
   * when it was last changed */
  text = g_strdup_printf (_("Created %s · Updated %s"), created, updated);
  gtk_label_set_label (self->dates_label, text);
}

static void
tt_tutorial_editor_clock_changed_cb (TtTutorialEditor *self)
{
  if (self->tutorial != NULL)
    tt_tutorial_editor_show_dates (self);
}

/* Only fields that show what the previous copy said take the new one's
 * text: anything else was typed here and is not confirmed yet. Both
 * copies are loaded ones of the same tutorial. */
static void
tt_tutorial_editor_refresh_texts (TtTutorialEditor *self,
                                  TtTutorial       *old,
                                  TtTutorial       *tutorial)
{
  g_autofree char *title = g_strdup (tt_tutorial_editor_get_title_text (self));
  g_autofree char *description = tt_tutorial_editor_dup_description (self);
  const char *new_title = tt_tutorial_get_title (tutorial);
  const char *new_description = tt_tutorial_get_description (tutorial);
  gboolean typed_title = !same_text (title, tt_tutorial_get_title (old));
  gboolean typed_description = !same_text (description, tt_tutorial_get_description (old));
  gboolean changed = !same_text (new_title, tt_tutorial_get_title (old)) ||
                     !same_text (new_description, tt_tutorial_get_description (old));
  gboolean kept_typing = (typed_title && !same_text (title, new_title)) ||
                         (typed_description && !same_text (description, new_description));

  tt_tutorial_editor_load_texts (self,
                                 typed_title ? title : new_title,
                                 typed_description ? description : new_description);
  if (changed)
    g_signal_emit (self, signals[COPY_CHANGED], 0, kept_typing);
}

static void
tt_tutorial_editor_show_tags (TtTutorialEditor *self)
{
  tt_tag_editor_set_tags (TT_TAG_EDITOR (self->tag_editor),
                          self->tutorial != NULL ? tt_tutorial_get_tags (self->tutorial) : NULL);
}

/* The fields take typing only while they show a loaded tutorial. A
 * field made insensitive while it has the focus gets no focus-out in
 * GTK 4.8 (its cursor would blink on, with a warning): the focus leaves
 * first. */
static void
tt_tutorial_editor_set_editable (TtTutorialEditor *self,
                                 gboolean          editable)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!editable && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_root_set_focus (root, NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->title_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->description_view), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tags_slot), editable);
}

/* Ctrl+Z in a field must not bring back what it said for another
 * tutorial, nor take back typing that is a command already. */
static void
tt_tutorial_editor_forget_undo (TtTutorialEditor *self)
{
  tt_text_undo_forget (GTK_WIDGET (self->title_row));
  tt_text_undo_forget (GTK_WIDGET (self->description_view));
}

/* The fields as the tutorial shown says, or as typed for it and not
 * confirmed yet; empty while there is no loaded tutorial to show. */
static void
tt_tutorial_editor_show_texts (TtTutorialEditor *self)
{
  TtTutorial *tutorial = self->tutorial;
  gboolean loaded = is_loaded (tutorial);

  gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
  tt_tutorial_editor_load_texts (self,
                                 loaded ? tt_tutorial_get_title (tutorial) : "",
                                 loaded ? tt_tutorial_get_description (tutorial) : "");
  tt_tutorial_editor_forget_undo (self);
  tt_tutorial_editor_set_editable (self, loaded);
  if (loaded)
    tt_tutorial_editor_restore_draft (self, tutorial);
}

/* Another tutorial, none, or the first loaded copy of a placeholder:
 * what was typed for the previous one is sent now, and kept as a draft
 * until the catalogue confirms it. */
static void
tt_tutorial_editor_switch (TtTutorialEditor *self,
                           TtTutorial       *tutorial)
{
  if (self->tutorial != NULL)
    {
      tt_tutorial_editor_save_now (self);
      tt_tutorial_editor_keep_draft (self);
    }

  g_set_object (&self->tutorial, tutorial);
  tt_tutorial_editor_show_texts (self);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

/* A newer copy of the loaded tutorial shown; a placeholder's first
 * loaded copy has nothing typed to weigh against and is shown anew. */
static gboolean
tt_tutorial_editor_is_newer_copy (TtTutorialEditor *self,
                                  TtTutorial       *tutorial)
{
  return is_loaded (self->tutorial) && is_loaded (tutorial) &&
         tt_tutorial_get_id (tutorial) == tt_tutorial_get_id (self->tutorial);
}

TtTutorial *
tt_tutorial_editor_get_tutorial (TtTutorialEditor *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL_EDITOR (self), NULL);

  return self->tutorial;
}

/**
 * tt_tutorial_editor_set_tutorial:
 * @tutorial: (nullable): the tutorial, or a newer copy of the one shown
 *
 * Shows @tutorial. A newer copy of the same tutorial (same id) updates
 * the tags and dates, and the texts nobody is typing in. A placeholder
 * for a tutorial not loaded yet is shown empty and cannot be edited.
 */
void
tt_tutorial_editor_set_tutorial (TtTutorialEditor *self,
                                 TtTutorial       *tutorial)
{
  g_return_if_fail (TT_IS_TUTORIAL_EDITOR (self));
  g_return_if_fail (tutorial == NULL || TT_IS_TUTORIAL (tutorial));

  if (tutorial == self->tutorial)
    return;

  if (tt_tutorial_editor_is_newer_copy (self, tutorial))
    {
      g_autoptr(TtTutorial) old = g_steal_pointer (&self->tutorial);

      self->tutorial = g_object_ref (tutorial);
      tt_tutorial_editor_refresh_texts (self, old, tutorial);
    }
  else
    tt_tutorial_editor_switch (self, tutorial);

  if (self->tutorial != NULL)
    tt_tutorial_editor_show_dates (self);
  tt_tutorial_editor_show_tags (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TUTORIAL]);
}

void
tt_tutorial_editor_forget (TtTutorialEditor *self)
{
  g_return_if_fail (TT_IS_TUTORIAL_EDITOR (self));

  tt_tutorial_editor_save_now (self);
  g_hash_table_remove_all (self->drafts);
  if (self->tutorial == NULL)
    return;

  g_clear_object (&self->tutorial);
  tt_tutorial_editor_show_texts (self);
  tt_tutorial_editor_show_tags (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TUTORIAL]);
}

void
tt_tutorial_editor_set_all_tags (TtTutorialEditor *self,
                                 GListModel       *tags)
{
  g_return_if_fail (TT_IS_TUTORIAL_EDITOR (self));
  g_return_if_fail (G_IS_LIST_MODEL (tags));

  tt_tag_editor_set_suggestions (TT_TAG_EDITOR (self->tag_editor), tags);
}

void
tt_tutorial_editor_focus_title (TtTutorialEditor *self)
{
  g_return_if_fail (TT_IS_TUTORIAL_EDITOR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
  gtk_editable_select_region (GTK_EDITABLE (self->title_row), 0, -1);
}

void
tt_tutorial_editor_focus_tags (TtTutorialEditor *self)
{
  g_return_if_fail (TT_IS_TUTORIAL_EDITOR (self));

  tt_tag_editor_grab_entry_focus (TT_TAG_EDITOR (self->tag_editor));
}

/* ---- the tag chips --------------------------------------------------- */

static void
tt_tutorial_editor_tag_added_cb (TtTutorialEditor *self,
                                 TtTag            *tag)
{
  if (!is_loaded (self->tutorial))
    return;

  /* A tag picked from the suggestions is known by its id: one statement
   * in the store, and no lookup by name. */
  gtk_widget_activate_action (GTK_WIDGET (self), "tutorial.add-known-tag", "(xxs)",
                              tt_tutorial_get_id (self->tutorial),
                              tt_tag_get_id (tag),
                              tt_tag_get_name (tag));
}

/* The controller finds an existing tag of that name in any case, or
 * creates it. */
static void
tt_tutorial_editor_tag_created_cb (TtTutorialEditor *self,
                                   const char       *name)
{
  if (!is_loaded (self->tutorial))
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "tutorial.add-tag", "(xs)",
                              tt_tutorial_get_id (self->tutorial), name);
}

/* A chip made for a typed name holds a provisional tag (id 0) until the
 * store's comes back. Removed before that, it goes by name: the command
 * finds the tag when it runs, after the add queued before it. */
static void
tt_tutorial_editor_tag_removed_cb (TtTutorialEditor *self,
                                   TtTag            *tag)
{
  gint64 tutorial_id;

  if (!is_loaded (self->tutorial))
    return;

  tutorial_id = tt_tutorial_get_id (self->tutorial);
  if (tt_tag_get_id (tag) == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "tutorial.remove-tag-by-name", "(xs)",
                                tutorial_id, tt_tag_get_name (tag));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "tutorial.remove-tag", "(xx)",
                                tutorial_id, tt_tag_get_id (tag));
}

/* Made here rather than in the template, so that the .ui validator does
 * not need our widget types. */
static void
tt_tutorial_editor_add_tag_editor (TtTutorialEditor *self)
{
  self->tag_editor = tt_tag_editor_new ();
  tt_tag_editor_set_placeholder_text (TT_TAG_EDITOR (self->tag_editor), _("Add a tag…"));
  g_signal_connect_object (self->tag_editor, "tag-added",
                           G_CALLBACK (tt_tutorial_editor_tag_added_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tag_editor, "tag-created",
                           G_CALLBACK (tt_tutorial_editor_tag_created_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tag_editor, "tag-removed",
                           G_CALLBACK (tt_tutorial_editor_tag_removed_cb),
                           self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->tags_slot, self->tag_editor);
}

/* ---- object ---------------------------------------------------------- */

static void
tt_tutorial_editor_dispose (GObject *object)
{
  TtTutorialEditor *self = (TtTutorialEditor *)object;

  /* Disposed while a save waited: send it while the window's actions can
   * still be reached. */
  if (self->save_source != 0)
    tt_tutorial_editor_save_now (self);

  g_clear_object (&self->tutorial);
  self->tag_editor = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_TUTORIAL_EDITOR);

  G_OBJECT_CLASS (tt_tutorial_editor_parent_class)->dispose (object);
}

static void
tt_tutorial_editor_finalize (GObject *object)
{
  TtTutorialEditor *self = (TtTutorialEditor *)object;

  g_clear_pointer (&self->drafts, g_hash_table_unref);

  G_OBJECT_CLASS (tt_tutorial_editor_parent_class)->finalize (object);
}

static void
tt_tutorial_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TtTutorialEditor *self = TT_TUTORIAL_EDITOR (object);

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
tt_tutorial_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TtTutorialEditor *self = TT_TUTORIAL_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TUTORIAL:
      tt_tutorial_editor_set_tutorial (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tutorial_editor_class_init (TtTutorialEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_tutorial_editor_dispose;
  object_class->finalize = tt_tutorial_editor_finalize;
  object_class->get_property = tt_tutorial_editor_get_property;
  object_class->set_property = tt_tutorial_editor_set_property;

  properties [PROP_TUTORIAL] =
    g_param_spec_object ("tutorial", NULL, NULL,
                         TT_TYPE_TUTORIAL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TtTutorialEditor::copy-changed:
   * @kept_typing: whether text typed here, not saved yet, was kept over
   *   the new copy's
   *
   * A newer copy of the tutorial shown has another title or description.
   */
  signals[COPY_CHANGED] =
    g_signal_new ("copy-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/TutorialTags/tt-tutorial-editor.ui");
  gtk_widget_class_set_css_name (widget_class, "tutorialeditor");
  gtk_widget_class_bind_template_child (widget_class, TtTutorialEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, TtTutorialEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, TtTutorialEditor, description_view);
  gtk_widget_class_bind_template_child (widget_class, TtTutorialEditor, tags_slot);
  gtk_widget_class_bind_template_child (widget_class, TtTutorialEditor, dates_label);
  gtk_widget_class_bind_template_callback (widget_class, tt_tutorial_editor_text_changed_cb);
}

static void
tt_tutorial_editor_init (TtTutorialEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->drafts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, draft_free);
  tt_tutorial_editor_add_tag_editor (self);
  tt_tutorial_editor_set_editable (self, FALSE);

  g_signal_connect_object (gtk_text_view_get_buffer (self->description_view), "changed",
                           G_CALLBACK (tt_tutorial_editor_text_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (tt_clock_get_default (), "notify::twelve-hour",
                           G_CALLBACK (tt_tutorial_editor_clock_changed_cb), self, G_CONNECT_SWAPPED);
}
