/* test-tag-editor.c: the tag-chip editor's keyboard and mouse model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb with a D-Bus session (see tests/meson.build). Keys are
 * delivered through the editor's own GtkEventControllerKey, as GTK does for
 * a real key press that nothing nearer the root handled first; text arrives
 * through GtkEditable, as an input method would insert it.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tt-tag-chip.h"
#include "tt-tag-editor-private.h"
#include "tt-test-display.h"

typedef struct
{
  GtkWidget   *window;
  TtTagEditor *editor;
  GListStore  *suggestions;
  GPtrArray   *added;    /* TtTag */
  GPtrArray   *created;  /* char * */
  GPtrArray   *removed;  /* TtTag */
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
on_tag_added (TtTagEditor *editor,
              TtTag       *tag,
              Fixture     *f)
{
  g_ptr_array_add (f->added, g_object_ref (tag));
}

static void
on_tag_created (TtTagEditor *editor,
                const char  *name,
                Fixture     *f)
{
  g_ptr_array_add (f->created, g_strdup (name));
}

static void
on_tag_removed (TtTagEditor *editor,
                TtTag       *tag,
                Fixture     *f)
{
  g_ptr_array_add (f->removed, g_object_ref (tag));
}

static void
add_suggestion (GListStore *store,
                gint64      id,
                const char *name,
                guint       count)
{
  g_autoptr(TtTag) tag = tt_tag_new (id, name);

  tt_tag_set_tutorial_count (tag, count);
  g_list_store_append (store, tag);
}

static TtTag *
suggestion (Fixture *f,
            guint    position)
{
  g_autoptr(TtTag) tag = g_list_model_get_item (G_LIST_MODEL (f->suggestions), position);

  return tag;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->suggestions = g_list_store_new (TT_TYPE_TAG);
  add_suggestion (f->suggestions, 1, "Rust", 12);
  add_suggestion (f->suggestions, 2, "Rubber", 3);
  add_suggestion (f->suggestions, 3, "GNOME", 7);
  add_suggestion (f->suggestions, 4, "Café", 1);

  f->added = g_ptr_array_new_with_free_func (g_object_unref);
  f->created = g_ptr_array_new_with_free_func (g_free);
  f->removed = g_ptr_array_new_with_free_func (g_object_unref);

  f->editor = TT_TAG_EDITOR (tt_tag_editor_new ());
  g_object_ref_sink (f->editor);
  tt_tag_editor_set_suggestions (f->editor, G_LIST_MODEL (f->suggestions));
  g_signal_connect (f->editor, "tag-added", G_CALLBACK (on_tag_added), f);
  g_signal_connect (f->editor, "tag-created", G_CALLBACK (on_tag_created), f);
  g_signal_connect (f->editor, "tag-removed", G_CALLBACK (on_tag_removed), f);

  f->window = g_object_ref (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, -1);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->editor));
  gtk_window_present (GTK_WINDOW (f->window));

  while (!gtk_widget_get_mapped (GTK_WIDGET (f->editor)))
    g_main_context_iteration (NULL, TRUE);

  tt_tag_editor_grab_entry_focus (f->editor);
  iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->added, g_ptr_array_unref);
  g_clear_pointer (&f->created, g_ptr_array_unref);
  g_clear_pointer (&f->removed, g_ptr_array_unref);

  gtk_window_destroy (GTK_WINDOW (f->window));
  iterate ();

  /* Nothing may keep the window, the editor or the suggestions alive
   * (gtk_window_destroy() only drops GTK's own reference). */
  g_assert_finalize_object (f->window);
  g_assert_finalize_object (f->editor);
  g_assert_finalize_object (f->suggestions);
}

/* A key press on the editor, then whatever it set off. */
static gboolean
press_key (Fixture *f,
           guint    keyval)
{
  gboolean handled = tt_test_press_key (GTK_WIDGET (f->editor), "tt-tag-editor-keys", keyval);

  iterate ();
  return handled;
}

/* Types @text a character at a time at the cursor. */
static void
type_text (Fixture    *f,
           const char *text)
{
  GtkEditable *editable = GTK_EDITABLE (_tt_tag_editor_get_text (f->editor));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      int position = gtk_editable_get_position (editable);

      gtk_editable_insert_text (editable, p, g_utf8_next_char (p) - p, &position);
      gtk_editable_set_position (editable, position);
      iterate ();
    }
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *frame_clock,
             gpointer       data)
{
  guint *n_frames = data;

  return --(*n_frames) > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Lets the window lay out (and paint) what changed. */
static void
wait_for_frames (GtkWidget *widget,
                 guint      n_frames)
{
  gtk_widget_add_tick_callback (widget, count_frame, &n_frames, NULL);
  while (n_frames > 0)
    g_main_context_iteration (NULL, TRUE);
}

static const char *
entry_text (Fixture *f)
{
  return gtk_editable_get_text (GTK_EDITABLE (_tt_tag_editor_get_text (f->editor)));
}

static gboolean
popover_is_open (Fixture *f)
{
  return gtk_widget_get_visible (GTK_WIDGET (_tt_tag_editor_get_popover (f->editor)));
}

/* The GtkListView in the popover. */
static GtkWidget *
suggestion_list (Fixture *f)
{
  GtkPopover *popover = _tt_tag_editor_get_popover (f->editor);

  return gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (gtk_popover_get_child (popover)));
}

/* The names the popover lists, joined with commas. */
static char *
popover_names (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (_tt_tag_editor_get_selection (f->editor));
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (model, i);

      g_string_append_printf (names, "%s%s", i > 0 ? "," : "", tt_tag_get_name (tag));
    }

  return g_strdup (names->str);
}

/* The names of the chips shown, in order, joined with commas. */
static char *
chip_names (Fixture *f)
{
  g_autoptr(GString) names = g_string_new (NULL);
  GtkWidget *chip;
  guint n_chips = 0;

  for (; (chip = _tt_tag_editor_get_chip (f->editor, n_chips)); n_chips++)
    g_string_append_printf (names, "%s%s", n_chips > 0 ? "," : "",
                            tt_tag_get_name (tt_tag_chip_get_tag (TT_TAG_CHIP (chip))));

  /* The chips mirror the editor's tags model. */
  g_assert_cmpuint (n_chips, ==, g_list_model_get_n_items (tt_tag_editor_get_tags (f->editor)));

  return g_strdup (names->str);
}

static void
set_tags (Fixture    *f,
          const guint positions[],
          guint       n_positions)
{
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);

  for (guint i = 0; i < n_positions; i++)
    g_list_store_append (tags, suggestion (f, positions [i]));

  tt_tag_editor_set_tags (f->editor, G_LIST_MODEL (tags));
  iterate ();
}

static GtkWidget *
focus_widget (Fixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->window));
}

#define assert_chips(f, expected) \
  G_STMT_START { \
    g_autofree char *names__ = chip_names (f); \
    g_assert_cmpstr (names__, ==, expected); \
  } G_STMT_END

#define assert_popover(f, expected) \
  G_STMT_START { \
    g_autofree char *names__ = popover_names (f); \
    g_assert_true (popover_is_open (f)); \
    g_assert_cmpstr (names__, ==, expected); \
  } G_STMT_END

static void
test_down_enter_adds_suggestion (Fixture       *f,
                                 gconstpointer  data)
{
  type_text (f, "ru");
  assert_popover (f, "Rust,Rubber");

  g_assert_true (press_key (f, GDK_KEY_Down));
  g_assert_true (press_key (f, GDK_KEY_Return));

  assert_chips (f, "Rust");
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_true (f->added->pdata [0] == suggestion (f, 0));
  g_assert_cmpint (tt_tag_get_id (f->added->pdata [0]), ==, 1);
  g_assert_cmpuint (f->created->len, ==, 0);
  g_assert_cmpstr (entry_text (f), ==, "");
  g_assert_false (popover_is_open (f));
}

static void
test_down_moves_highlight (Fixture       *f,
                           gconstpointer  data)
{
  GtkSingleSelection *selection = _tt_tag_editor_get_selection (f->editor);

  type_text (f, "ru");
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);

  press_key (f, GDK_KEY_Down);
  press_key (f, GDK_KEY_Down);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);
  press_key (f, GDK_KEY_Down);  /* stays on the last one */
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);
  press_key (f, GDK_KEY_Up);
  press_key (f, GDK_KEY_Up);    /* back to the typed text */
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);

  press_key (f, GDK_KEY_Down);
  press_key (f, GDK_KEY_Down);
  press_key (f, GDK_KEY_Return);
  assert_chips (f, "Rubber");
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpint (tt_tag_get_id (f->added->pdata [0]), ==, 2);
}

/* Down in an empty field lists every tag not yet on the tutorial. */
static void
test_down_lists_all (Fixture       *f,
                     gconstpointer  data)
{
  g_assert_false (popover_is_open (f));
  g_assert_true (press_key (f, GDK_KEY_Down));
  assert_popover (f, "Rust,Rubber,GNOME,Café");

  press_key (f, GDK_KEY_Down);
  press_key (f, GDK_KEY_Return);
  assert_chips (f, "Rubber");

  press_key (f, GDK_KEY_Down);
  assert_popover (f, "Rust,GNOME,Café");
}

static void
test_filter_leaves_out_current_tags (Fixture       *f,
                                     gconstpointer  data)
{
  type_text (f, "ru");
  assert_popover (f, "Rust,Rubber");

  press_key (f, GDK_KEY_Escape);
  press_key (f, GDK_KEY_Escape);
  g_assert_cmpstr (entry_text (f), ==, "");

  set_tags (f, (guint []) { 0 }, 1);
  /* Loading tags is not an edit. */
  g_assert_cmpuint (f->added->len + f->created->len + f->removed->len, ==, 0);
  assert_chips (f, "Rust");

  type_text (f, "ru");
  assert_popover (f, "Rubber");

  /* Names containing the text follow those starting with it, each in the
   * order of the suggestions. */
  press_key (f, GDK_KEY_Escape);
  press_key (f, GDK_KEY_Escape);
  add_suggestion (f->suggestions, 5, "Encoding", 2);
  type_text (f, "e");
  assert_popover (f, "Encoding,Rubber,GNOME,Café");
}

/* With thousands of tags the popover shows the best hundred matches. */
static void
test_many_suggestions (Fixture       *f,
                       gconstpointer  data)
{
  GListModel *shown = G_LIST_MODEL (_tt_tag_editor_get_selection (f->editor));
  g_autoptr(TtTag) first = NULL;

  for (guint i = 0; i < 1500; i++)
    {
      g_autofree char *name = g_strdup_printf ("Tag %04u", i);

      add_suggestion (f->suggestions, 100 + i, name, 0);
    }

  type_text (f, "ru");
  assert_popover (f, "Rust,Rubber");

  press_key (f, GDK_KEY_Escape);
  press_key (f, GDK_KEY_Escape);
  type_text (f, "tag 1");
  g_assert_true (popover_is_open (f));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 100);
  first = g_list_model_get_item (shown, 0);
  g_assert_cmpstr (tt_tag_get_name (first), ==, "Tag 1000");

  type_text (f, "499");
  assert_popover (f, "Tag 1499");
  g_assert_true (press_key (f, GDK_KEY_Down));
  g_assert_true (press_key (f, GDK_KEY_Return));
  assert_chips (f, "Tag 1499");
  g_assert_cmpint (tt_tag_get_id (f->added->pdata [0]), ==, 1599);

  /* A query nothing matches closes the popover. */
  type_text (f, "zzz");
  g_assert_false (popover_is_open (f));
}

static void
test_typed_name_of_existing_tag (Fixture       *f,
                                 gconstpointer  data)
{
  type_text (f, "rust");
  g_assert_true (press_key (f, GDK_KEY_Return));

  g_assert_cmpuint (f->created->len, ==, 0);
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_true (f->added->pdata [0] == suggestion (f, 0));
  assert_chips (f, "Rust");

  /* Typing it again when it is already there adds nothing. */
  type_text (f, "RUST ");
  press_key (f, GDK_KEY_Return);
  g_assert_cmpuint (f->added->len + f->created->len, ==, 1);
  assert_chips (f, "Rust");
  g_assert_cmpstr (entry_text (f), ==, "");
}

static void
test_accent_insensitive (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *key = tt_rules_search_key ("Café Ǆ ﬁ İ");

  g_assert_cmpstr (key, ==, "cafe dz fi i");

  type_text (f, "cafe");
  assert_popover (f, "Café");
  press_key (f, GDK_KEY_Down);
  press_key (f, GDK_KEY_Return);

  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpint (tt_tag_get_id (f->added->pdata [0]), ==, 4);
  assert_chips (f, "Café");
}

static void
test_comma_creates (Fixture       *f,
                    gconstpointer  data)
{
  TtTag *tag;

  type_text (f, "Vala");
  g_assert_false (popover_is_open (f));
  g_assert_true (press_key (f, GDK_KEY_comma));

  g_assert_cmpuint (f->added->len, ==, 0);
  g_assert_cmpuint (f->created->len, ==, 1);
  g_assert_cmpstr (f->created->pdata [0], ==, "Vala");
  g_assert_cmpstr (entry_text (f), ==, "");
  assert_chips (f, "Vala");

  /* A provisional tag until the window hands back the stored one. */
  tag = tt_tag_chip_get_tag (TT_TAG_CHIP (_tt_tag_editor_get_chip (f->editor, 0)));
  g_assert_cmpint (tt_tag_get_id (tag), ==, 0);
}

static void
test_pasted_commas (Fixture       *f,
                    gconstpointer  data)
{
  GtkEditable *editable = GTK_EDITABLE (_tt_tag_editor_get_text (f->editor));

  gtk_editable_set_text (editable, " Vala, gnome,,Go");
  iterate ();

  g_assert_cmpuint (f->created->len, ==, 1);
  g_assert_cmpstr (f->created->pdata [0], ==, "Vala");
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpint (tt_tag_get_id (f->added->pdata [0]), ==, 3);
  assert_chips (f, "GNOME,Vala");  /* by name, not as typed */
  g_assert_cmpstr (entry_text (f), ==, "Go");
}

static void
test_escape (Fixture       *f,
             gconstpointer  data)
{
  type_text (f, "ru");
  g_assert_true (popover_is_open (f));

  g_assert_true (press_key (f, GDK_KEY_Escape));
  g_assert_false (popover_is_open (f));
  g_assert_cmpstr (entry_text (f), ==, "ru");

  g_assert_true (press_key (f, GDK_KEY_Escape));
  g_assert_cmpstr (entry_text (f), ==, "");

  /* Nothing left to undo: a dialog holding the editor may close. */
  g_assert_false (press_key (f, GDK_KEY_Escape));
  g_assert_cmpuint (f->added->len + f->created->len + f->removed->len, ==, 0);
}

static void
test_backspace_twice (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *last;

  set_tags (f, (guint []) { 0, 2 }, 2);
  last = _tt_tag_editor_get_chip (f->editor, 1);

  g_assert_true (press_key (f, GDK_KEY_BackSpace));
  g_assert_true (tt_tag_chip_get_selected (TT_TAG_CHIP (last)));
  g_assert_true (gtk_widget_get_state_flags (last) & GTK_STATE_FLAG_SELECTED);
  g_assert_cmpuint (f->removed->len, ==, 0);
  assert_chips (f, "GNOME,Rust");

  g_assert_true (press_key (f, GDK_KEY_BackSpace));
  g_assert_cmpuint (f->removed->len, ==, 1);
  g_assert_true (f->removed->pdata [0] == suggestion (f, 0));
  assert_chips (f, "GNOME");
  g_assert_true (focus_widget (f) == GTK_WIDGET (_tt_tag_editor_get_text (f->editor)));

  /* Typing in between cancels the selection. */
  press_key (f, GDK_KEY_BackSpace);
  type_text (f, "x");
  g_assert_false (tt_tag_chip_get_selected (TT_TAG_CHIP (_tt_tag_editor_get_chip (f->editor, 0))));
}

static void
test_chip_navigation (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *text = GTK_WIDGET (_tt_tag_editor_get_text (f->editor));

  set_tags (f, (guint []) { 0, 1, 2 }, 3);

  g_assert_true (press_key (f, GDK_KEY_Left));
  g_assert_true (focus_widget (f) == _tt_tag_editor_get_chip (f->editor, 2));
  press_key (f, GDK_KEY_Left);
  press_key (f, GDK_KEY_Left);
  g_assert_true (focus_widget (f) == _tt_tag_editor_get_chip (f->editor, 0));
  press_key (f, GDK_KEY_Left);  /* stays on the first chip */
  g_assert_true (focus_widget (f) == _tt_tag_editor_get_chip (f->editor, 0));

  press_key (f, GDK_KEY_Right);
  press_key (f, GDK_KEY_Right);
  g_assert_true (focus_widget (f) == _tt_tag_editor_get_chip (f->editor, 2));
  press_key (f, GDK_KEY_Right);
  g_assert_true (focus_widget (f) == text);

  /* Typing on a chip goes on in the text field. */
  press_key (f, GDK_KEY_Left);
  g_assert_true (press_key (f, GDK_KEY_g));
  g_assert_true (focus_widget (f) == text);
  g_assert_cmpstr (entry_text (f), ==, "g");

  /* Left in a field with text moves the cursor, as usual. */
  type_text (f, "o");
  g_assert_false (press_key (f, GDK_KEY_Left));
  g_assert_true (focus_widget (f) == text);
}

/* In a right-to-left locale the chips are on the right of the text, so
 * Right goes to them and Left comes back. */
static void
test_chip_navigation_rtl (Fixture       *f,
                          gconstpointer  data)
{
  set_tags (f, (guint []) { 0, 1 }, 2);
  gtk_widget_set_direction (GTK_WIDGET (f->editor), GTK_TEXT_DIR_RTL);

  g_assert_false (press_key (f, GDK_KEY_Left));
  g_assert_true (press_key (f, GDK_KEY_Right));
  g_assert_true (focus_widget (f) == _tt_tag_editor_get_chip (f->editor, 1));
  press_key (f, GDK_KEY_Right);
  g_assert_true (focus_widget (f) == _tt_tag_editor_get_chip (f->editor, 0));
  press_key (f, GDK_KEY_Left);
  press_key (f, GDK_KEY_Left);
  g_assert_true (focus_widget (f) == GTK_WIDGET (_tt_tag_editor_get_text (f->editor)));
}

/* The editor is one Tab stop, however many chips it has. */
static void
test_one_tab_stop (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *before = gtk_entry_new ();
  GtkWidget *after = gtk_entry_new ();
  GtkWidget *text = GTK_WIDGET (_tt_tag_editor_get_text (f->editor));

  set_tags (f, (guint []) { 0, 1, 2 }, 3);

  g_object_ref (f->editor);
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gtk_box_append (GTK_BOX (box), before);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->editor));
  gtk_box_append (GTK_BOX (box), after);
  g_object_unref (f->editor);
  /* Tab goes by position on screen. */
  wait_for_frames (f->window, 2);

  gtk_widget_grab_focus (before);
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD));
  g_assert_true (focus_widget (f) == text);
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_is_ancestor (focus_widget (f), after));

  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_BACKWARD));
  g_assert_true (focus_widget (f) == text);

  /* Leaving from a chip works the same. */
  press_key (f, GDK_KEY_Left);
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_BACKWARD));
  g_assert_true (gtk_widget_is_ancestor (focus_widget (f), before));
}

static void
test_delete_on_chip (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *text = GTK_WIDGET (_tt_tag_editor_get_text (f->editor));
  GtkWidget *rust;

  /* Shown by name: GNOME, Rubber, Rust. */
  set_tags (f, (guint []) { 0, 1, 2 }, 3);
  rust = _tt_tag_editor_get_chip (f->editor, 2);

  press_key (f, GDK_KEY_Left);
  press_key (f, GDK_KEY_Left);
  g_assert_true (focus_widget (f) == _tt_tag_editor_get_chip (f->editor, 1));

  g_assert_true (press_key (f, GDK_KEY_Delete));
  g_assert_cmpuint (f->removed->len, ==, 1);
  g_assert_true (f->removed->pdata [0] == suggestion (f, 1));
  assert_chips (f, "GNOME,Rust");
  g_assert_true (focus_widget (f) == rust);

  /* Deleting the last chip ends in the text field. */
  g_assert_true (press_key (f, GDK_KEY_Delete));
  assert_chips (f, "GNOME");
  g_assert_true (focus_widget (f) == text);

  /* Backspace on a chip removes it too; with no chip left, focus goes
   * back to the text field. */
  press_key (f, GDK_KEY_Left);
  g_assert_true (press_key (f, GDK_KEY_BackSpace));
  assert_chips (f, "");
  g_assert_cmpuint (f->removed->len, ==, 3);
  g_assert_true (focus_widget (f) == text);
}

static GtkWidget *
chip_close_button (GtkWidget *chip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (chip);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      return child;

  return NULL;
}

static void
test_accessible (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *text = GTK_WIDGET (_tt_tag_editor_get_text (f->editor));
  GtkWidget *chip;
  GtkWidget *close;

  set_tags (f, (guint []) { 0 }, 1);
  chip = _tt_tag_editor_get_chip (f->editor, 0);
  close = chip_close_button (chip);
  g_assert_nonnull (close);

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (gtk_widget_get_parent (chip)),
                                   GTK_ACCESSIBLE_ROLE_LIST);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chip),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Rust");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (close),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove tag Rust");

  /* The text field says when its completions are showing. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text),
                                       GTK_ACCESSIBLE_PROPERTY_AUTOCOMPLETE,
                                       GTK_ACCESSIBLE_AUTOCOMPLETE_LIST);
  gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_RELATION_CONTROLS,
                                       suggestion_list (f), NULL);
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_STATE_EXPANDED, FALSE);
  type_text (f, "ru");
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_STATE_EXPANDED, TRUE);
  press_key (f, GDK_KEY_Escape);
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_STATE_EXPANDED, FALSE);

  /* The labels follow a rename. */
  tt_tag_set_name (suggestion (f, 0), "Rust Lang");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (close),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove tag Rust Lang");
}

static void
test_close_button (Fixture       *f,
                   gconstpointer  data)
{
  set_tags (f, (guint []) { 0, 2 }, 2);

  /* What a click on it ends in: "clicked", which runs its action. Rust's
   * chip is the second: GNOME comes first by name. */
  g_signal_emit_by_name (chip_close_button (_tt_tag_editor_get_chip (f->editor, 1)), "clicked");
  iterate ();

  g_assert_cmpuint (f->removed->len, ==, 1);
  g_assert_true (f->removed->pdata [0] == suggestion (f, 0));
  assert_chips (f, "GNOME");
}

static void
test_click_suggestion (Fixture       *f,
                       gconstpointer  data)
{
  type_text (f, "ru");
  /* What a click on the second row ends in. */
  g_signal_emit_by_name (suggestion_list (f), "activate", 1);
  iterate ();

  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpint (tt_tag_get_id (f->added->pdata [0]), ==, 2);
  assert_chips (f, "Rubber");
}

static void
test_invalid_names (Fixture       *f,
                    gconstpointer  data)
{
  GtkEditable *editable = GTK_EDITABLE (_tt_tag_editor_get_text (f->editor));
  g_autofree char *long_name = g_strnfill (300, 'a');

  gtk_editable_set_text (editable, long_name);
  iterate ();
  g_assert_true (press_key (f, GDK_KEY_Return));
  g_assert_cmpuint (f->added->len + f->created->len, ==, 0);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->editor), "error"));
  g_assert_cmpstr (entry_text (f), ==, long_name);
  assert_chips (f, "");

  /* Changing the text clears the error. */
  gtk_editable_delete_text (editable, 255, -1);
  iterate ();
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->editor), "error"));

  /* 255 characters are fine, counted as characters, not bytes. */
  gtk_editable_set_text (editable, "");
  for (guint i = 0; i < 255; i++)
    gtk_editable_insert_text (editable, "é", -1, &(int) { -1 });
  g_assert_true (press_key (f, GDK_KEY_Return));
  g_assert_cmpuint (f->created->len, ==, 1);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->editor), "error"));

  gtk_editable_set_text (editable, "   ");
  iterate ();
  g_assert_true (press_key (f, GDK_KEY_Return));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->editor), "error"));
  g_assert_cmpuint (f->created->len, ==, 1);
}

static void
test_set_tags_keeps_focus (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GListStore) stored = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(TtTag) vala = tt_tag_new (9, "Vala");
  GtkWidget *chip;

  type_text (f, "vala");
  press_key (f, GDK_KEY_Return);
  press_key (f, GDK_KEY_Left);
  chip = _tt_tag_editor_get_chip (f->editor, 0);
  g_assert_true (focus_widget (f) == chip);

  /* The window swaps the provisional tag for the stored one. */
  g_list_store_append (stored, vala);
  tt_tag_editor_set_tags (f->editor, G_LIST_MODEL (stored));
  iterate ();

  g_assert_true (_tt_tag_editor_get_chip (f->editor, 0) == chip);
  g_assert_true (tt_tag_chip_get_tag (TT_TAG_CHIP (chip)) == vala);
  g_assert_true (focus_widget (f) == chip);

  /* And when the focused chip's tag is gone, focus stays in the editor. */
  tt_tag_editor_set_tags (f->editor, NULL);
  iterate ();
  assert_chips (f, "");
  g_assert_true (focus_widget (f) == GTK_WIDGET (_tt_tag_editor_get_text (f->editor)));
}

/* Chips are in order of name whatever order they come in, and a chip
 * added (an existing tag or a new one) lands at its place, not at the
 * end: it does not move when the store's answer comes back. */
static void
test_chips_sorted (Fixture       *f,
                   gconstpointer  data)
{
  set_tags (f, (guint[]) { 0, 3 }, 2);
  assert_chips (f, "Café,Rust");

  type_text (f, "GNO");
  g_assert_true (press_key (f, GDK_KEY_Down));
  g_assert_true (press_key (f, GDK_KEY_Return));
  assert_chips (f, "Café,GNOME,Rust");

  type_text (f, "zed");
  g_assert_true (press_key (f, GDK_KEY_Return));
  type_text (f, "dune");
  g_assert_true (press_key (f, GDK_KEY_Return));
  assert_chips (f, "Café,dune,GNOME,Rust,zed");
  g_assert_cmpuint (f->created->len, ==, 2);
}

/* A name too long for the chip is read whole in its tooltip; a name
 * that fits has none, also after a rename either way. */
static void
test_chip_tooltip_long_name (void)
{
  g_autofree char *long_name = g_strnfill (40, 'x');
  g_autoptr(TtTag) tag = tt_tag_new (1, long_name);
  GtkWidget *chip = g_object_ref_sink (tt_tag_chip_new (tag));
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (chip, TT_TYPE_TAG_CHIP, "label"));

  g_assert_cmpstr (gtk_widget_get_tooltip_text (label), ==, long_name);
  tt_tag_set_name (tag, "Rust");
  g_assert_null (gtk_widget_get_tooltip_text (label));
  g_assert_false (gtk_widget_get_has_tooltip (label));
  tt_tag_set_name (tag, long_name);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (label), ==, long_name);
  g_assert_true (gtk_widget_get_has_tooltip (label));
  g_assert_finalize_object (chip);
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  /* build-aux/run-tests.sh provides Xvfb; elsewhere, no display means
   * skipping, except in CI. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL &&
      g_getenv ("CI") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/tag-editor/chip-tooltip-long-name", test_chip_tooltip_long_name);
  add_test ("/tag-editor/down-enter-adds-suggestion", test_down_enter_adds_suggestion);
  add_test ("/tag-editor/down-moves-highlight", test_down_moves_highlight);
  add_test ("/tag-editor/down-lists-all", test_down_lists_all);
  add_test ("/tag-editor/filter-leaves-out-current-tags", test_filter_leaves_out_current_tags);
  add_test ("/tag-editor/many-suggestions", test_many_suggestions);
  add_test ("/tag-editor/typed-name-of-existing-tag", test_typed_name_of_existing_tag);
  add_test ("/tag-editor/accent-insensitive", test_accent_insensitive);
  add_test ("/tag-editor/comma-creates", test_comma_creates);
  add_test ("/tag-editor/pasted-commas", test_pasted_commas);
  add_test ("/tag-editor/escape", test_escape);
  add_test ("/tag-editor/backspace-twice", test_backspace_twice);
  add_test ("/tag-editor/chip-navigation", test_chip_navigation);
  add_test ("/tag-editor/chip-navigation-rtl", test_chip_navigation_rtl);
  add_test ("/tag-editor/one-tab-stop", test_one_tab_stop);
  add_test ("/tag-editor/delete-on-chip", test_delete_on_chip);
  add_test ("/tag-editor/accessible", test_accessible);
  add_test ("/tag-editor/close-button", test_close_button);
  add_test ("/tag-editor/click-suggestion", test_click_suggestion);
  add_test ("/tag-editor/invalid-names", test_invalid_names);
  add_test ("/tag-editor/set-tags-keeps-focus", test_set_tags_keeps_focus);
  add_test ("/tag-editor/chips-sorted", test_chips_sorted);

  return g_test_run ();
}
