/* tt-tag-editor.c: the tags of one tutorial, as chips in an entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editor shows a list of tags as chips followed by a text field, and
 * completes what is typed from the suggestions (every existing tag). It
 * holds no database logic: it updates its own list at once, so typing
 * stays snappy, and says what happened with "tag-added", "tag-created" and
 * "tag-removed"; the window turns those into store operations and later
 * hands back the real list with tt_tag_editor_set_tags().
 *
 * Keyboard model (GUIDE §5): Up/Down move in the suggestions, Enter or ','
 * takes the highlighted suggestion or the typed text, Escape closes the
 * popover, then clears the text; in an empty field Backspace selects the
 * last chip and removes it on the second press, Left goes to the chips;
 * on a chip Left/Right move, Delete/Backspace remove it.
 *
 * The whole editor is one Tab stop: the chips are reached with the arrow
 * keys, so tabbing through a form does not visit every tag.
 */

#define G_LOG_DOMAIN "tt-tag-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tt-a11y.h"
#include "tt-rules.h"
#include "tt-search-syntax.h"
#include "tt-tag-chip.h"
#include "tt-tag-editor-private.h"
#include "tt-text-undo.h"

#define CHIP_SPACING   4
#define LINE_SPACING   4
/* Less room than this after the last chip puts the text on a line of its own. */
#define TEXT_MIN_WIDTH 80
/* The popover shows the best matches only: typing narrows them down, and a
 * list view taking in thousands of rows on each keystroke makes typing lag
 * (measured with 10 000 tags: 20-100 ms a keystroke, ~10 ms with the cap;
 * filtering in slices instead made the list blink empty between frames). */
#define MAX_SUGGESTIONS 100

/* Chips flow like words: left to right, wrapping to a new line when full.
 * GtkFlowBox would align the chips in columns, which leaves gaps. */
typedef struct
{
  int width;
  int x;
  int y;
  int line_height;
} Flow;

static void
flow_place (Flow          *flow,
            int            width,
            int            height,
            GtkAllocation *allocation)
{
  if (flow->x > 0 && flow->x + width > flow->width)
    {
      flow->y += flow->line_height + LINE_SPACING;
      flow->x = 0;
      flow->line_height = 0;
    }

  allocation->x = flow->x;
  allocation->y = flow->y;
  allocation->width = width;
  allocation->height = height;

  flow->x += width + CHIP_SPACING;
  flow->line_height = MAX (flow->line_height, height);
}

/* Places every chip of @chips on lines @width wide, and allocates them
 * when @allocate is set. @flow is left where the text would go next. */
static void
chips_flow (GtkWidget *chips,
            int        width,
            gboolean   allocate,
            Flow      *flow)
{
  gboolean rtl = gtk_widget_get_direction (chips) == GTK_TEXT_DIR_RTL;

  *flow = (Flow) { width, 0, 0, 0 };

  for (GtkWidget *child = gtk_widget_get_first_child (chips);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkAllocation allocation;
      int min_width, nat_width, height;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1,
                          &min_width, &nat_width, NULL, NULL);
      /* A long name is ellipsized rather than overflowing a narrow editor. */
      nat_width = MAX (min_width, MIN (nat_width, width));
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, nat_width,
                          NULL, &height, NULL, NULL);
      flow_place (flow, nat_width, height, &allocation);

      if (!allocate)
        continue;
      if (rtl)
        allocation.x = width - allocation.x - allocation.width;
      gtk_widget_size_allocate (child, &allocation, -1);
    }
}

static int
flow_get_height (const Flow *flow)
{
  return flow->y + flow->line_height;
}

/* TtTagEditorChips: the chips as an accessible list. The text field is not
 * in it (a list should hold list items only); the editor places the text
 * at the end of the chips' last line instead. */

#define TT_TYPE_TAG_EDITOR_CHIPS (tt_tag_editor_chips_get_type ())
G_DECLARE_FINAL_TYPE (TtTagEditorChips, tt_tag_editor_chips, TT, TAG_EDITOR_CHIPS, GtkWidget)

struct _TtTagEditorChips
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TtTagEditorChips, tt_tag_editor_chips, GTK_TYPE_WIDGET)

static void
tt_tag_editor_chips_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  Flow flow;

  *minimum = *natural = 0;

  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      chips_flow (widget, for_size < 0 ? G_MAXINT / 2 : for_size, FALSE, &flow);
      *minimum = *natural = flow_get_height (&flow);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural += child_nat + (*natural > 0 ? CHIP_SPACING : 0);
    }
}

static void
tt_tag_editor_chips_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  Flow flow;

  chips_flow (widget, width, TRUE, &flow);
}

static GtkSizeRequestMode
get_height_for_width (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tt_tag_editor_chips_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_tag_editor_chips_parent_class)->dispose (object);
}

static void
tt_tag_editor_chips_class_init (TtTagEditorChipsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_tag_editor_chips_dispose;

  widget_class->measure = tt_tag_editor_chips_measure;
  widget_class->size_allocate = tt_tag_editor_chips_size_allocate;
  widget_class->get_request_mode = get_height_for_width;

  gtk_widget_class_set_css_name (widget_class, "chips");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST);
}

static void
tt_tag_editor_chips_init (TtTagEditorChips *self)
{
}

/* Keys of a tag, kept on the tag and remade when its name changes: the
 * popover filters every existing tag on each keystroke, and normalizing
 * thousands of names each time would make typing lag. */
typedef struct
{
  char  *name;
  char  *name_key;
  /* How the tag matched the pass of filtering numbered match_serial: both
   * filters ask, the second one gets the first one's answer. */
  guint  match_serial;
  guint  match;
} TagKeys;

/* How a tag matches: TtSearchMatch (tt_search_syntax_match_tag()). */
enum {
  MATCH_NONE = TT_SEARCH_MATCH_NONE,
  MATCH_START = TT_SEARCH_MATCH_START,
  MATCH_INSIDE = TT_SEARCH_MATCH_INSIDE,
};

static GQuark tag_keys_quark;

static void
tag_keys_free (gpointer data)
{
  TagKeys *keys = data;

  g_free (keys->name);
  g_free (keys->name_key);
  g_free (keys);
}

static TagKeys *
tag_keys_get (TtTag *tag)
{
  const char *name = tt_tag_get_name (tag);
  TagKeys *keys;

  if (name == NULL)
    name = "";

  keys = g_object_get_qdata (G_OBJECT (tag), tag_keys_quark);
  if (keys != NULL && strcmp (keys->name, name) == 0)
    return keys;

  keys = g_new0 (TagKeys, 1);
  keys->name = g_strdup (name);
  keys->name_key = tt_tag_name_key (name);
  if (keys->name_key == NULL)
    keys->name_key = g_strdup (name);
  g_object_set_qdata_full (G_OBJECT (tag), tag_keys_quark, keys, tag_keys_free);

  return keys;
}

struct _TtTagEditor
{
  GtkWidget           parent_instance;

  /* The tags shown as chips, in order; each chip mirrors one item. */
  GListStore         *tags;
  /* tt_tag_name_key() of each of them: those are not suggested again. */
  GHashTable         *tag_keys;
  GListModel         *suggestions;
  /* tt_tag_editor_match_key() of the typed text. */
  char               *query;
  /* Numbers each pass of filtering, unique across editors. */
  guint               match_serial;
  /* The chip a first Backspace selected; a second one removes it. */
  GtkWidget          *selected_chip;
  GdkRectangle        text_area;
  /* Whether typing or Down asked for the popover; Escape says no. */
  guint               popover_wanted : 1;
  guint               has_error : 1;

  GtkWidget          *chips;
  /* The suggestions whose names start with the typed text, then those
   * that only contain it: two filters rather than a sort, which would
   * cost too much on every keystroke with thousands of tags. */
  GtkFilterListModel *starts_model;
  GtkFilterListModel *contains_model;

  /* Template widgets */
  GtkText            *text;
  GtkPopover         *popover;
  GtkListView        *list_view;
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (TtTagEditor, tt_tag_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TAGS,
  PROP_SUGGESTIONS,
  PROP_PLACEHOLDER_TEXT,
  N_PROPS
};

enum {
  TAG_ADDED,
  TAG_CREATED,
  TAG_REMOVED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

GtkWidget *
tt_tag_editor_new (void)
{
  return g_object_new (TT_TYPE_TAG_EDITOR, NULL);
}

static GtkWidget *
tt_tag_editor_get_nth_chip (TtTagEditor *self,
                            guint        position)
{
  GtkWidget *child = gtk_widget_get_first_child (self->chips);

  for (; child != NULL && position > 0; position--)
    child = gtk_widget_get_next_sibling (child);

  return child;
}

static guint
tt_tag_editor_get_chip_position (TtTagEditor *self,
                                 GtkWidget   *chip)
{
  guint position = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (self->chips);
       child != chip;
       child = gtk_widget_get_next_sibling (child))
    position++;

  return position;
}

static gboolean
tt_tag_editor_has_tag_key (TtTagEditor *self,
                           const char  *name_key)
{
  return g_hash_table_contains (self->tag_keys, name_key);
}

/* The existing tag that typing @name_key means: "rust" means "Rust".
 * Returns: (transfer full) (nullable) */
static TtTag *
tt_tag_editor_find_suggestion (TtTagEditor *self,
                               const char  *name_key)
{
  guint n_items;

  if (self->suggestions == NULL)
    return NULL;

  n_items = g_list_model_get_n_items (self->suggestions);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (self->suggestions, i);

      if (strcmp (tag_keys_get (tag)->name_key, name_key) == 0)
        return g_steal_pointer (&tag);
    }

  return NULL;
}

static void
tt_tag_editor_select_chip (TtTagEditor *self,
                           GtkWidget   *chip)
{
  if (self->selected_chip == chip)
    return;

  if (self->selected_chip != NULL)
    tt_tag_chip_set_selected (TT_TAG_CHIP (self->selected_chip), FALSE);

  self->selected_chip = chip;

  if (chip != NULL)
    tt_tag_chip_set_selected (TT_TAG_CHIP (chip), TRUE);
}

/* Starts a new pass of filtering. Serials start at 1: a tag's keys are
 * made with serial 0, meaning no pass yet. */
static void
tt_tag_editor_forget_matches (TtTagEditor *self)
{
  static guint last_serial;

  self->match_serial = ++last_serial;
}

static guint
tt_tag_editor_match (TtTagEditor *self,
                     TtTag       *tag)
{
  TagKeys *keys = tag_keys_get (tag);

  if (keys->match_serial == self->match_serial)
    return keys->match;

  keys->match_serial = self->match_serial;
  if (tt_tag_editor_has_tag_key (self, keys->name_key))
    keys->match = MATCH_NONE;
  else
    keys->match = tt_search_syntax_match_tag (tag, self->query != NULL ? self->query : "");

  return keys->match;
}

static gboolean
suggestion_starts_with (gpointer item,
                        gpointer user_data)
{
  return tt_tag_editor_match (user_data, item) == MATCH_START;
}

static gboolean
suggestion_only_contains (gpointer item,
                          gpointer user_data)
{
  return tt_tag_editor_match (user_data, item) == MATCH_INSIDE;
}

static GtkFilterListModel *
suggestion_filter_model_new (TtTagEditor        *self,
                             GtkCustomFilterFunc func)
{
  return gtk_filter_list_model_new (NULL, GTK_FILTER (gtk_custom_filter_new (func, self, NULL)));
}

static void
tt_tag_editor_init_suggestions (TtTagEditor *self)
{
  g_autoptr(GListStore) parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr(GtkFlattenListModel) suggestions = NULL;
  g_autoptr(GtkSliceListModel) top = NULL;

  tt_tag_editor_forget_matches (self);
  self->starts_model = suggestion_filter_model_new (self, suggestion_starts_with);
  self->contains_model = suggestion_filter_model_new (self, suggestion_only_contains);
  g_list_store_append (parts, self->starts_model);
  g_list_store_append (parts, self->contains_model);

  suggestions = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&parts)));
  top = gtk_slice_list_model_new (G_LIST_MODEL (g_steal_pointer (&suggestions)), 0, MAX_SUGGESTIONS);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (top));
}

static void
tt_tag_editor_update_popover (TtTagEditor *self)
{
  gboolean show;

  show = self->popover_wanted &&
         gtk_widget_get_mapped (GTK_WIDGET (self)) &&
         gtk_widget_is_focus (GTK_WIDGET (self->text)) &&
         g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0;

  if (show)
    gtk_popover_popup (self->popover);
  else
    gtk_popover_popdown (self->popover);

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->text),
                               GTK_ACCESSIBLE_STATE_EXPANDED, show,
                               -1);
}

static void
tt_tag_editor_refilter (TtTagEditor *self)
{
  tt_tag_editor_forget_matches (self);

  /* Between the two filters the list may be empty for a moment: that
   * must not close the popover and open it again. */
  g_signal_handlers_block_by_func (self->selection, tt_tag_editor_update_popover, self);
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->starts_model),
                      GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->contains_model),
                      GTK_FILTER_CHANGE_DIFFERENT);
  g_signal_handlers_unblock_by_func (self->selection, tt_tag_editor_update_popover, self);

  /* A new list starts with nothing highlighted: Enter then means the
   * typed text until Down picks a suggestion. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  tt_tag_editor_update_popover (self);
}

static void
tt_tag_editor_set_error (TtTagEditor *self,
                         const char  *message)
{
  gboolean has_error = message != NULL;

  if (has_error)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), message);
  tt_a11y_announce_error (GTK_WIDGET (self->text), message);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->text),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               has_error ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);

  if (has_error)
    gtk_widget_error_bell (GTK_WIDGET (self));

  self->has_error = has_error;
}

/* Once typed text has become chips, it is a command of the window's:
 * Ctrl+Z must undo that command rather than bring the text back. */
static void
tt_tag_editor_replace_text (TtTagEditor *self,
                            const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (self->text), text);
  tt_text_undo_forget (GTK_WIDGET (self->text));
}

static void
tt_tag_editor_clear_text (TtTagEditor *self)
{
  tt_tag_editor_replace_text (self, "");
}

/* The list is updated before the signal: a handler may call
 * tt_tag_editor_set_tags() at once with what the store now says. */
static void
tt_tag_editor_add_existing (TtTagEditor *self,
                            TtTag       *tag)
{
  g_autoptr(TtTag) hold = g_object_ref (tag);

  tt_tag_editor_clear_text (self);

  if (tt_tag_editor_has_tag_key (self, tag_keys_get (tag)->name_key))
    return;

  g_list_store_insert_sorted (self->tags, tag, tt_tag_compare_by_name_data, NULL);
  g_signal_emit (self, signals [TAG_ADDED], 0, tag);
}

/* The chip shows a provisional tag (id 0) until the window hands back the
 * one the store made. */
static void
tt_tag_editor_create (TtTagEditor *self,
                      const char  *name)
{
  g_autoptr(TtTag) tag = tt_tag_new (0, name);

  tt_tag_editor_clear_text (self);
  g_list_store_insert_sorted (self->tags, tag, tt_tag_compare_by_name_data, NULL);
  g_signal_emit (self, signals [TAG_CREATED], 0, name);
}

/* Makes a tag of @text: the existing tag of that name whatever its case,
 * else a new one. Returns FALSE when the name is not acceptable. */
static gboolean
tt_tag_editor_commit (TtTagEditor *self,
                      const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = tt_rules_clean_tag_name (text, &error);
  g_autofree char *name_key = NULL;
  g_autoptr(TtTag) existing = NULL;

  /* The store's own rule, asked here so that the chip never appears. */
  if (name == NULL)
    {
      tt_tag_editor_set_error (self, error->message);
      return FALSE;
    }

  name_key = tt_tag_name_key (name);
  if (name_key == NULL || tt_tag_editor_has_tag_key (self, name_key))
    tt_tag_editor_clear_text (self);
  else if ((existing = tt_tag_editor_find_suggestion (self, name_key)))
    tt_tag_editor_add_existing (self, existing);
  else
    tt_tag_editor_create (self, name);

  return TRUE;
}

/* Enter and ',': the highlighted suggestion, else the typed text. */
static gboolean
tt_tag_editor_activate (TtTagEditor *self)
{
  TtTag *suggestion = NULL;

  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    suggestion = gtk_single_selection_get_selected_item (self->selection);

  if (suggestion != NULL)
    {
      tt_tag_editor_add_existing (self, suggestion);
      return TRUE;
    }

  if (gtk_editable_get_text (GTK_EDITABLE (self->text))[0] == '\0')
    return FALSE;

  tt_tag_editor_commit (self, gtk_editable_get_text (GTK_EDITABLE (self->text)));
  return TRUE;
}

/* Text pasted with commas in it is several tags; what follows the last
 * comma stays in the field to be finished. */
static void
tt_tag_editor_commit_pasted (TtTagEditor *self,
                             const char  *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint n_parts = g_strv_length (parts);

  for (guint i = 0; i + 1 < n_parts; i++)
    {
      g_autofree char *part = tt_rules_strip (parts [i]);

      if (part[0] != '\0' && !tt_tag_editor_commit (self, part))
        return;
    }

  tt_tag_editor_replace_text (self, g_strchug (parts [n_parts - 1]));
}

static void
tt_tag_editor_remove_at (TtTagEditor *self,
                         guint        position)
{
  g_autoptr(TtTag) tag = g_list_model_get_item (G_LIST_MODEL (self->tags), position);

  g_list_store_remove (self->tags, position);
  g_signal_emit (self, signals [TAG_REMOVED], 0, tag);
}

/* A focused chip hands the focus to a neighbour first, so that the
 * keyboard user can go on removing: Delete moves forward, ending in the
 * text field, Backspace moves back. */
static void
tt_tag_editor_remove_chip (TtTagEditor *self,
                           GtkWidget   *chip,
                           gboolean     backwards)
{
  if (gtk_widget_is_focus (chip))
    {
      GtkWidget *prev = gtk_widget_get_prev_sibling (chip);
      GtkWidget *next = gtk_widget_get_next_sibling (chip);
      GtkWidget *target = backwards && prev != NULL ? prev : next;

      gtk_widget_grab_focus (target != NULL ? target : GTK_WIDGET (self->text));
    }

  tt_tag_editor_remove_at (self, tt_tag_editor_get_chip_position (self, chip));
}

static void
on_chip_remove_cb (TtTagEditor *self,
                   TtTagChip   *chip)
{
  tt_tag_editor_remove_chip (self, GTK_WIDGET (chip), FALSE);
}

static GtkWidget *
tt_tag_editor_create_chip (TtTagEditor *self,
                           TtTag       *tag)
{
  GtkWidget *chip = tt_tag_chip_new (tag);

  g_signal_connect_object (chip, "remove",
                           G_CALLBACK (on_chip_remove_cb), self,
                           G_CONNECT_SWAPPED);
  return chip;
}

/* A chip whose tag has the same key is kept and given the new tag, so
 * replacing the list with what the store says (set_tags) keeps the focus
 * and the selection on it. */
static GtkWidget *
take_reusable_chip (GPtrArray *old_chips,
                    guint      index,
                    TtTag     *tag)
{
  GtkWidget *chip;
  TtTag *old_tag;

  if (index >= old_chips->len || old_chips->pdata [index] == NULL)
    return NULL;

  chip = old_chips->pdata [index];
  old_tag = tt_tag_chip_get_tag (TT_TAG_CHIP (chip));
  if (strcmp (tag_keys_get (old_tag)->name_key, tag_keys_get (tag)->name_key) != 0)
    return NULL;

  old_chips->pdata [index] = NULL;
  tt_tag_chip_set_tag (TT_TAG_CHIP (chip), tag);
  return chip;
}

static void
tt_tag_editor_update_tag_keys (TtTagEditor *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->tags));

  g_hash_table_remove_all (self->tag_keys);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (G_LIST_MODEL (self->tags), i);

      g_hash_table_add (self->tag_keys, g_strdup (tag_keys_get (tag)->name_key));
    }
}

static void
on_tags_items_changed_cb (TtTagEditor *self,
                          guint        position,
                          guint        removed,
                          guint        added,
                          GListModel  *model)
{
  g_autoptr(GPtrArray) old_chips = g_ptr_array_new ();
  GtkWidget *prev = position > 0 ? tt_tag_editor_get_nth_chip (self, position - 1) : NULL;
  GtkWidget *child = prev != NULL ? gtk_widget_get_next_sibling (prev)
                                  : gtk_widget_get_first_child (self->chips);

  for (guint i = 0; i < removed && child != NULL; i++)
    {
      g_ptr_array_add (old_chips, child);
      child = gtk_widget_get_next_sibling (child);
    }

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (model, position + i);
      GtkWidget *chip = take_reusable_chip (old_chips, i, tag);

      if (chip == NULL)
        chip = tt_tag_editor_create_chip (self, tag);
      gtk_widget_insert_after (chip, self->chips, prev);
      prev = chip;
    }

  for (guint i = 0; i < old_chips->len; i++)
    {
      if (old_chips->pdata [i] == NULL)
        continue;
      if (old_chips->pdata [i] == self->selected_chip)
        self->selected_chip = NULL;
      gtk_widget_unparent (old_chips->pdata [i]);
    }

  tt_tag_editor_update_tag_keys (self);
  tt_tag_editor_refilter (self);
}

static void
tt_tag_editor_set_query (TtTagEditor *self,
                         const char  *text)
{
  g_autofree char *stripped = tt_rules_strip (text);

  g_clear_pointer (&self->query, g_free);
  if (stripped[0] != '\0')
    self->query = tt_rules_search_key (stripped);
}

static void
on_text_changed_cb (TtTagEditor *self,
                    GtkText     *text)
{
  const char *str = gtk_editable_get_text (GTK_EDITABLE (text));

  if (self->has_error)
    tt_tag_editor_set_error (self, NULL);
  tt_tag_editor_select_chip (self, NULL);

  if (strchr (str, ',') != NULL)
    {
      tt_tag_editor_commit_pasted (self, str);
      return;
    }

  tt_tag_editor_set_query (self, str);
  self->popover_wanted = str[0] != '\0';
  tt_tag_editor_refilter (self);
}

/* Up and Down walk the suggestions; Up from the first one goes back to
 * nothing highlighted, that is, to the typed text. Down with the popover
 * closed opens it, listing every tag when nothing is typed. */
static gboolean
tt_tag_editor_move_selection (TtTagEditor *self,
                              int          step)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint target;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    {
      if (step < 0)
        return FALSE;
      self->popover_wanted = TRUE;
      tt_tag_editor_update_popover (self);
      selected = GTK_INVALID_LIST_POSITION;
    }

  if (n_items == 0)
    return TRUE;

  if (selected == GTK_INVALID_LIST_POSITION)
    target = step > 0 ? 0 : n_items - 1;
  else if (step > 0)
    target = MIN (selected + 1, n_items - 1);
  else
    target = selected > 0 ? selected - 1 : GTK_INVALID_LIST_POSITION;

  gtk_single_selection_set_selected (self->selection, target);
  if (target != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view),
                                "list.scroll-to-item", "u", target);

  return TRUE;
}

static gboolean
tt_tag_editor_escape (TtTagEditor *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    {
      self->popover_wanted = FALSE;
      tt_tag_editor_update_popover (self);
      return TRUE;
    }

  if (gtk_editable_get_text (GTK_EDITABLE (self->text))[0] != '\0')
    {
      tt_tag_editor_clear_text (self);
      return TRUE;
    }

  if (self->selected_chip != NULL)
    {
      tt_tag_editor_select_chip (self, NULL);
      return TRUE;
    }

  return FALSE;
}

static gboolean
tt_tag_editor_text_is_empty (TtTagEditor *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->text))[0] == '\0';
}

static gboolean
tt_tag_editor_backspace (TtTagEditor *self)
{
  GtkWidget *last = gtk_widget_get_last_child (self->chips);

  if (!tt_tag_editor_text_is_empty (self) || last == NULL)
    return FALSE;

  if (self->selected_chip != NULL)
    tt_tag_editor_remove_chip (self, self->selected_chip, FALSE);
  else
    tt_tag_editor_select_chip (self, last);

  return TRUE;
}

static void
tt_tag_editor_focus_chip (TtTagEditor *self,
                          GtkWidget   *chip)
{
  tt_tag_editor_select_chip (self, NULL);
  self->popover_wanted = FALSE;
  tt_tag_editor_update_popover (self);
  gtk_widget_grab_focus (chip);
}

static gboolean
tt_tag_editor_text_key (TtTagEditor *self,
                        guint        keyval,
                        gboolean     backward)
{
  GtkWidget *last = gtk_widget_get_last_child (self->chips);

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      return tt_tag_editor_move_selection (self, 1);

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      return tt_tag_editor_move_selection (self, -1);

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      return tt_tag_editor_activate (self);

    case GDK_KEY_comma:
      tt_tag_editor_activate (self);
      return TRUE;

    case GDK_KEY_Escape:
      return tt_tag_editor_escape (self);

    case GDK_KEY_BackSpace:
      return tt_tag_editor_backspace (self);

    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      if (!backward || last == NULL || !tt_tag_editor_text_is_empty (self))
        return FALSE;
      tt_tag_editor_focus_chip (self, last);
      return TRUE;

    default:
      return FALSE;
    }
}

/* Left/Right step through the chips; stepping past the last one returns
 * to the text field, stepping before the first one stays put. */
static gboolean
tt_tag_editor_step_chips (TtTagEditor *self,
                          GtkWidget   *chip,
                          gboolean     backward)
{
  GtkWidget *target;

  if (backward)
    target = gtk_widget_get_prev_sibling (chip);
  else
    target = gtk_widget_get_next_sibling (chip);

  if (target != NULL)
    gtk_widget_grab_focus (target);
  else if (!backward)
    gtk_widget_grab_focus (GTK_WIDGET (self->text));

  return TRUE;
}

/* A character typed on a chip starts a new tag: the typing goes on in
 * the text field rather than being lost. */
static gboolean
tt_tag_editor_type_from_chip (TtTagEditor *self,
                              guint        keyval)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  char utf8[7] = { 0, };
  int position = -1;

  if (c == 0 || !g_unichar_isgraph (c))
    return FALSE;

  g_unichar_to_utf8 (c, utf8);
  gtk_widget_grab_focus (GTK_WIDGET (self->text));
  gtk_editable_insert_text (GTK_EDITABLE (self->text), utf8, -1, &position);
  gtk_editable_set_position (GTK_EDITABLE (self->text), -1);

  return TRUE;
}

static gboolean
tt_tag_editor_chip_key (TtTagEditor *self,
                        GtkWidget   *chip,
                        guint        keyval,
                        gboolean     backward)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      return tt_tag_editor_step_chips (self, chip, backward);

    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      return gtk_widget_grab_focus (gtk_widget_get_first_child (self->chips));

    case GDK_KEY_End:
    case GDK_KEY_KP_End:
    case GDK_KEY_Escape:
      return gtk_widget_grab_focus (GTK_WIDGET (self->text));

    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      tt_tag_editor_remove_chip (self, chip, FALSE);
      return TRUE;

    case GDK_KEY_BackSpace:
      tt_tag_editor_remove_chip (self, chip, TRUE);
      return TRUE;

    default:
      return tt_tag_editor_type_from_chip (self, keyval);
    }
}

/* Whether @keyval moves towards the start of the chips: Left, or Right
 * in a right-to-left locale. */
static gboolean
tt_tag_editor_is_backward (TtTagEditor *self,
                           guint        keyval)
{
  gboolean left = keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left;

  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    return !left;

  return left;
}

static gboolean
on_key_pressed_cb (TtTagEditor           *self,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   GtkEventControllerKey *controller)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean backward = tt_tag_editor_is_backward (self, keyval);

  /* Ctrl+Backspace, Ctrl+Left… keep their text editing meaning. */
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;

  if (focus == GTK_WIDGET (self->text))
    return tt_tag_editor_text_key (self, keyval, backward);

  if (focus != NULL && gtk_widget_get_parent (focus) == self->chips)
    return tt_tag_editor_chip_key (self, focus, keyval, backward);

  return FALSE;
}

static void
on_focus_leave_cb (TtTagEditor             *self,
                   GtkEventControllerFocus *controller)
{
  tt_tag_editor_select_chip (self, NULL);
  self->popover_wanted = FALSE;
  tt_tag_editor_update_popover (self);
}

/* A click beside the chips goes to the text field, as in an entry. */
static void
on_click_pressed_cb (TtTagEditor     *self,
                     int              n_press,
                     double           x,
                     double           y,
                     GtkGestureClick *gesture)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->text));
  gtk_editable_set_position (GTK_EDITABLE (self->text), -1);
}

/**
 * tt_tag_suggestion_setup:
 *
 * A row of a list of suggested tags (the tag editor's, the search
 * field's): the name, and how many tutorials have it, both named for
 * screen readers.
 */
void
tt_tag_suggestion_setup (GtkListItem *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 32);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");

  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), count);
  tt_a11y_name_list_item (box, name, count);
  gtk_list_item_set_child (list_item, box);
}

/* Shows the TtTag of @list_item in a row of tt_tag_suggestion_setup(). */
void
tt_tag_suggestion_bind (GtkListItem *list_item)
{
  TtTag *tag = gtk_list_item_get_item (list_item);
  GtkWidget *name = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *count = gtk_widget_get_next_sibling (name);
  guint n_tutorials = tt_tag_get_tutorial_count (tag);
  g_autofree char *count_text = g_strdup_printf ("%u", n_tutorials);
  g_autofree char *count_label = NULL;

  /* Translators: read by screen readers beside a suggested tag. */
  count_label = g_strdup_printf (ngettext ("%u tutorial", "%u tutorials", n_tutorials),
                                 n_tutorials);

  gtk_label_set_label (GTK_LABEL (name), tt_tag_get_name (tag));
  gtk_label_set_label (GTK_LABEL (count), count_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (count),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, count_label,
                                  -1);
}

static void
on_suggestion_setup_cb (TtTagEditor              *self,
                        GtkListItem              *list_item,
                        GtkSignalListItemFactory *factory)
{
  tt_tag_suggestion_setup (list_item);
}

static void
on_suggestion_bind_cb (TtTagEditor              *self,
                       GtkListItem              *list_item,
                       GtkSignalListItemFactory *factory)
{
  tt_tag_suggestion_bind (list_item);
}

static void
on_suggestion_activate_cb (TtTagEditor *self,
                           guint        position,
                           GtkListView *list_view)
{
  g_autoptr(TtTag) tag = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (tag != NULL)
    tt_tag_editor_add_existing (self, tag);
}

typedef struct
{
  int           chips_height;
  GtkAllocation text;
  int           height;
} Layout;

/* The width the text field needs: its placeholder whole ("Add a tag…",
 * longer in German), whether or not it shows, so that the field does not
 * jump to another line at the first key. */
static int
tt_tag_editor_text_min_width (TtTagEditor *self)
{
  const char *placeholder = gtk_text_get_placeholder_text (self->text);
  int text_min, placeholder_width = 0;

  gtk_widget_measure (GTK_WIDGET (self->text), GTK_ORIENTATION_HORIZONTAL, -1,
                      &text_min, NULL, NULL, NULL);
  if (placeholder != NULL)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->text), placeholder);

      GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self->text));
      GtkBorder margin, border, padding;

      pango_layout_get_pixel_size (layout, &placeholder_width, NULL);
      /* The field's own box around the text (the app's style sheet gives
       * it a margin), which its measured minimum includes and the
       * placeholder's layout does not. */
      gtk_style_context_get_margin (style, &margin);
      gtk_style_context_get_border (style, &border);
      gtk_style_context_get_padding (style, &padding);
      placeholder_width += margin.left + margin.right + border.left + border.right +
                           padding.left + padding.right;
    }
  return MAX (MAX (text_min, TEXT_MIN_WIDTH), placeholder_width);
}

/* The text goes at the end of the chips' last line when there is room
 * for it, on a line of its own below them otherwise. */
static void
tt_tag_editor_compute_layout (TtTagEditor *self,
                              int          width,
                              Layout      *layout)
{
  Flow flow;
  int text_min, text_height;

  chips_flow (self->chips, width, FALSE, &flow);
  text_min = tt_tag_editor_text_min_width (self);
  gtk_widget_measure (GTK_WIDGET (self->text), GTK_ORIENTATION_VERTICAL, -1,
                      NULL, &text_height, NULL, NULL);

  layout->chips_height = flow_get_height (&flow);
  layout->text = (GtkAllocation) { 0, 0, width, text_height };

  if (flow.x > 0 && width - flow.x >= text_min)
    {
      layout->text.x = flow.x;
      layout->text.y = flow.y + MAX (0, (flow.line_height - text_height) / 2);
      layout->text.width = width - flow.x;
    }
  else if (flow.x > 0)
    {
      layout->text.y = layout->chips_height + LINE_SPACING;
    }

  layout->height = MAX (layout->chips_height, layout->text.y + text_height);
}

/* The chips on one line, then the text field. */
static void
tt_tag_editor_measure_width (TtTagEditor *self,
                             int         *minimum,
                             int         *natural)
{
  int chips_min, chips_nat, text_min, text_nat;

  gtk_widget_measure (self->chips, GTK_ORIENTATION_HORIZONTAL, -1,
                      &chips_min, &chips_nat, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->text), GTK_ORIENTATION_HORIZONTAL, -1,
                      NULL, &text_nat, NULL, NULL);
  text_min = tt_tag_editor_text_min_width (self);
  text_nat = MAX (text_nat, text_min);

  *minimum = MAX (chips_min, text_min);
  *natural = chips_nat + (chips_nat > 0 ? CHIP_SPACING : 0) + text_nat;
}

static void
tt_tag_editor_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  TtTagEditor *self = TT_TAG_EDITOR (widget);
  int min_width, nat_width;
  Layout layout;

  tt_tag_editor_measure_width (self, &min_width, &nat_width);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = min_width;
      *natural = nat_width;
      return;
    }

  tt_tag_editor_compute_layout (self, for_size < 0 ? nat_width : for_size, &layout);
  *minimum = *natural = layout.height;
}

/* The suggestions open under the editor's bottom edge, where the typing
 * happens: under the text field, not under the first chip. */
static void
tt_tag_editor_place_popover (TtTagEditor   *self,
                             GtkAllocation *text)
{
  graphene_rect_t bounds;
  GdkRectangle area;

  if (!gtk_widget_compute_bounds (GTK_WIDGET (self), GTK_WIDGET (self), &bounds))
    return;

  area.x = text->x;
  area.width = text->width;
  area.y = text->y;
  area.height = (int) (bounds.origin.y + bounds.size.height) - text->y;

  if (!gdk_rectangle_equal (&self->text_area, &area))
    {
      self->text_area = area;
      gtk_popover_set_pointing_to (self->popover, &self->text_area);
    }
}

static void
tt_tag_editor_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  TtTagEditor *self = TT_TAG_EDITOR (widget);
  Layout layout;
  int offset;

  tt_tag_editor_compute_layout (self, width, &layout);

  /* One line is shorter than an entry's minimum height: centre it. */
  offset = MAX (0, (height - layout.height) / 2);
  layout.text.y += offset;
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    layout.text.x = width - layout.text.x - layout.text.width;

  gtk_widget_size_allocate (self->chips,
                            &(GtkAllocation) { 0, offset, width, layout.chips_height },
                            -1);
  gtk_widget_size_allocate (GTK_WIDGET (self->text), &layout.text, -1);

  tt_tag_editor_place_popover (self, &layout.text);
  gtk_popover_present (self->popover);
}

static gboolean
tt_tag_editor_grab_focus (GtkWidget *widget)
{
  return tt_tag_editor_grab_entry_focus (TT_TAG_EDITOR (widget));
}

/* One Tab stop for the whole editor: focus comes in to the text field
 * and leaves from wherever it is; the chips are reached with the arrows. */
static gboolean
tt_tag_editor_focus (GtkWidget        *widget,
                     GtkDirectionType  direction)
{
  if (gtk_widget_get_focus_child (widget) != NULL)
    return FALSE;

  return tt_tag_editor_grab_entry_focus (TT_TAG_EDITOR (widget));
}

static gboolean
tt_tag_editor_mnemonic_activate (GtkWidget *widget,
                                 gboolean   group_cycling)
{
  return tt_tag_editor_grab_entry_focus (TT_TAG_EDITOR (widget));
}

static void
tt_tag_editor_dispose (GObject *object)
{
  TtTagEditor *self = (TtTagEditor *)object;

  /* The filters and these handlers point back at us: cut them first. */
  g_signal_handlers_disconnect_by_data (self->tags, self);
  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->selection, self);
      gtk_single_selection_set_model (self->selection, NULL);
    }
  g_clear_object (&self->starts_model);
  g_clear_object (&self->contains_model);
  self->selected_chip = NULL;

  g_clear_pointer (&self->chips, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_TAG_EDITOR);

  g_clear_object (&self->suggestions);

  G_OBJECT_CLASS (tt_tag_editor_parent_class)->dispose (object);
}

static void
tt_tag_editor_finalize (GObject *object)
{
  TtTagEditor *self = (TtTagEditor *)object;

  g_clear_object (&self->tags);
  g_clear_pointer (&self->tag_keys, g_hash_table_unref);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (tt_tag_editor_parent_class)->finalize (object);
}

static void
tt_tag_editor_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TtTagEditor *self = TT_TAG_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TAGS:
      g_value_set_object (value, tt_tag_editor_get_tags (self));
      break;

    case PROP_SUGGESTIONS:
      g_value_set_object (value, tt_tag_editor_get_suggestions (self));
      break;

    case PROP_PLACEHOLDER_TEXT:
      g_value_set_string (value, tt_tag_editor_get_placeholder_text (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tag_editor_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TtTagEditor *self = TT_TAG_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SUGGESTIONS:
      tt_tag_editor_set_suggestions (self, g_value_get_object (value));
      break;

    case PROP_PLACEHOLDER_TEXT:
      tt_tag_editor_set_placeholder_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tag_editor_class_init_signals (TtTagEditorClass *klass)
{
  /**
   * TtTagEditor::tag-added:
   * @tag: the existing tag
   *
   * An existing tag was picked from the suggestions or typed.
   */
  signals [TAG_ADDED] =
    g_signal_new ("tag-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TT_TYPE_TAG);

  /**
   * TtTagEditor::tag-created:
   * @name: the typed name, without surrounding spaces
   *
   * A name that no existing tag has was typed. The editor shows a
   * provisional tag (id 0) until tt_tag_editor_set_tags() replaces it.
   */
  signals [TAG_CREATED] =
    g_signal_new ("tag-created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * TtTagEditor::tag-removed:
   * @tag: the tag whose chip was removed
   */
  signals [TAG_REMOVED] =
    g_signal_new ("tag-removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TT_TYPE_TAG);
}

static void
tt_tag_editor_class_init (TtTagEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_tag_editor_dispose;
  object_class->finalize = tt_tag_editor_finalize;
  object_class->get_property = tt_tag_editor_get_property;
  object_class->set_property = tt_tag_editor_set_property;

  widget_class->measure = tt_tag_editor_measure;
  widget_class->size_allocate = tt_tag_editor_size_allocate;
  widget_class->get_request_mode = get_height_for_width;
  widget_class->grab_focus = tt_tag_editor_grab_focus;
  widget_class->focus = tt_tag_editor_focus;
  widget_class->mnemonic_activate = tt_tag_editor_mnemonic_activate;

  properties [PROP_TAGS] =
    g_param_spec_object ("tags", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_SUGGESTIONS] =
    g_param_spec_object ("suggestions", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PLACEHOLDER_TEXT] =
    g_param_spec_string ("placeholder-text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  tt_tag_editor_class_init_signals (klass);

  /* The entry look (background, focus ring, .error) comes with the name. */
  gtk_widget_class_set_css_name (widget_class, "entry");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  tag_keys_quark = g_quark_from_static_string ("tt-tag-editor-keys");

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/TutorialTags/tt-tag-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TtTagEditor, text);
  gtk_widget_class_bind_template_child (widget_class, TtTagEditor, popover);
  gtk_widget_class_bind_template_child (widget_class, TtTagEditor, list_view);
  gtk_widget_class_bind_template_child (widget_class, TtTagEditor, selection);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_focus_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_click_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_suggestion_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_suggestion_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_suggestion_activate_cb);
}

/* Made here rather than in the template, which then holds GTK types only
 * and validates without the app's library. It goes first: the text field
 * after it is picked first where the two overlap. */
static void
tt_tag_editor_add_chips (TtTagEditor *self)
{
  self->chips = g_object_new (TT_TYPE_TAG_EDITOR_CHIPS, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chips),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tags"),
                                  -1);
  gtk_widget_insert_after (self->chips, GTK_WIDGET (self), NULL);
}

static void
tt_tag_editor_init (TtTagEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tt_tag_editor_add_chips (self);
  tt_tag_editor_init_suggestions (self);

  /* Screen readers: typing here opens a list of completions. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text),
                                  GTK_ACCESSIBLE_PROPERTY_AUTOCOMPLETE, GTK_ACCESSIBLE_AUTOCOMPLETE_LIST,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->text),
                                  GTK_ACCESSIBLE_RELATION_CONTROLS, self->list_view, NULL,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->text),
                               GTK_ACCESSIBLE_STATE_EXPANDED, FALSE,
                               -1);

  self->tags = g_list_store_new (TT_TYPE_TAG);
  self->tag_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_signal_connect_object (self->tags, "items-changed",
                           G_CALLBACK (on_tags_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* The suggestions may change while the popover is open. */
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (tt_tag_editor_update_popover), self,
                           G_CONNECT_SWAPPED);

}

/**
 * tt_tag_editor_get_tags:
 *
 * The tags the editor shows, in order. The editor owns this list and
 * changes it as the user edits; use tt_tag_editor_set_tags() to replace it.
 *
 * Returns: (transfer none): a #GListModel of #TtTag
 */
GListModel *
tt_tag_editor_get_tags (TtTagEditor *self)
{
  g_return_val_if_fail (TT_IS_TAG_EDITOR (self), NULL);

  return G_LIST_MODEL (self->tags);
}

static gboolean
tt_tag_editor_focus_is_on_chip (TtTagEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_get_parent (focus) == self->chips;
}

/**
 * tt_tag_editor_set_tags:
 * @tags: (nullable): a #GListModel of #TtTag
 *
 * Shows @tags, for instance when a tutorial is loaded or the store has
 * made the tags the user asked for. No signal is emitted. Chips for the
 * same tags are kept, so the keyboard focus stays where it was.
 */
void
tt_tag_editor_set_tags (TtTagEditor *self,
                        GListModel  *tags)
{
  g_autoptr(GPtrArray) items = NULL;
  gboolean had_chip_focus;
  GtkWidget *focus_target;

  g_return_if_fail (TT_IS_TAG_EDITOR (self));
  g_return_if_fail (!tags || G_IS_LIST_MODEL (tags));

  /* By name, as tt_tag_editor_add_existing() puts a new chip. */
  items = tt_tag_sorted_by_name (tags);

  had_chip_focus = tt_tag_editor_focus_is_on_chip (self);
  g_list_store_splice (self->tags, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tags)),
                       items->pdata, items->len);

  /* The focused chip's tag went away: stay in the editor. */
  if (had_chip_focus && !tt_tag_editor_focus_is_on_chip (self))
    {
      focus_target = gtk_widget_get_last_child (self->chips);
      gtk_widget_grab_focus (focus_target != NULL ? focus_target : GTK_WIDGET (self->text));
    }
}

/**
 * tt_tag_editor_get_suggestions:
 *
 * Returns: (transfer none) (nullable): the tags typing completes from
 */
GListModel *
tt_tag_editor_get_suggestions (TtTagEditor *self)
{
  g_return_val_if_fail (TT_IS_TAG_EDITOR (self), NULL);

  return self->suggestions;
}

/**
 * tt_tag_editor_set_suggestions:
 * @suggestions: (nullable): a #GListModel of #TtTag, usually every tag
 *
 * Sets the tags typing completes from. Tags the editor already shows are
 * left out of the popover.
 */
void
tt_tag_editor_set_suggestions (TtTagEditor *self,
                               GListModel  *suggestions)
{
  g_return_if_fail (TT_IS_TAG_EDITOR (self));
  g_return_if_fail (!suggestions || G_IS_LIST_MODEL (suggestions));

  if (!g_set_object (&self->suggestions, suggestions))
    return;

  tt_tag_editor_forget_matches (self);
  gtk_filter_list_model_set_model (self->starts_model, suggestions);
  gtk_filter_list_model_set_model (self->contains_model, suggestions);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SUGGESTIONS]);
}

const char *
tt_tag_editor_get_placeholder_text (TtTagEditor *self)
{
  g_return_val_if_fail (TT_IS_TAG_EDITOR (self), NULL);

  return gtk_text_get_placeholder_text (self->text);
}

void
tt_tag_editor_set_placeholder_text (TtTagEditor *self,
                                    const char  *placeholder_text)
{
  g_return_if_fail (TT_IS_TAG_EDITOR (self));

  if (g_strcmp0 (placeholder_text, tt_tag_editor_get_placeholder_text (self)) == 0)
    return;

  gtk_text_set_placeholder_text (self->text, placeholder_text);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PLACEHOLDER_TEXT]);
}

/**
 * tt_tag_editor_grab_entry_focus:
 *
 * Puts the keyboard focus in the text field (Ctrl+L in the window).
 *
 * Returns: whether the focus moved there
 */
gboolean
tt_tag_editor_grab_entry_focus (TtTagEditor *self)
{
  g_return_val_if_fail (TT_IS_TAG_EDITOR (self), FALSE);

  return gtk_widget_grab_focus (GTK_WIDGET (self->text));
}

GtkText *
_tt_tag_editor_get_text (TtTagEditor *self)
{
  g_return_val_if_fail (TT_IS_TAG_EDITOR (self), NULL);

  return self->text;
}

GtkPopover *
_tt_tag_editor_get_popover (TtTagEditor *self)
{
  g_return_val_if_fail (TT_IS_TAG_EDITOR (self), NULL);

  return self->popover;
}

GtkSingleSelection *
_tt_tag_editor_get_selection (TtTagEditor *self)
{
  g_return_val_if_fail (TT_IS_TAG_EDITOR (self), NULL);

  return self->selection;
}

GtkWidget *
_tt_tag_editor_get_chip (TtTagEditor *self,
                         guint        position)
{
  g_return_val_if_fail (TT_IS_TAG_EDITOR (self), NULL);

  return tt_tag_editor_get_nth_chip (self, position);
}
