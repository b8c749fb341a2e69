/* tt-window-search.c: the search field's `tag:` words and the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The search's `tag:` words (tt-search-syntax.h) and the tags selected in
 * the sidebar are one filter shown in two places:
 *  - typing `tag:rust` selects Rust in the sidebar; removing the last tag
 *    word selects All Tutorials again;
 *  - choosing in the sidebar while the search is open writes the chosen
 *    tags into the search as its tag words (none for All Tutorials and
 *    Untagged), before the words of text;
 *  - a search with tag words shows the tutorials that have all of them
 *    (as its words of text must all match), whatever the sidebar's
 *    Any/All says: with the search open, the tag words are the filter;
 *  - a tag word that names no tag shows nothing, and says so;
 *  - ending the search leaves the sidebar as it is.
 * A change made to follow the other side does not come back (the
 * syncing_search flag, and the search text kept in search_text).
 */

#define G_LOG_DOMAIN "tt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-format.h"
#include "tt-search-completion.h"
#include "tt-window-private.h"

/* No tag has this id: a tag word that names no tag asks the store for
 * the tutorials that have it, which are none. */
#define NO_SUCH_TAG_ID G_GINT64_CONSTANT (-1)

/* The search entry goes into a TtSearchCompletion, made here rather than
 * in the template, which then holds GTK types only. */
void
tt_window_search_init (TtWindow *self)
{
  GtkWidget *entry = GTK_WIDGET (self->search_entry);
  AdwClamp *clamp = ADW_CLAMP (gtk_widget_get_parent (entry));

  g_object_ref (entry);
  adw_clamp_set_child (clamp, NULL);
  self->search_completion = TT_SEARCH_COMPLETION (tt_search_completion_new (entry));
  adw_clamp_set_child (clamp, GTK_WIDGET (self->search_completion));
  g_object_unref (entry);

  self->search_tag_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

void
tt_window_search_finalize (TtWindow *self)
{
  g_clear_pointer (&self->search, tt_search_syntax_free);
  g_clear_pointer (&self->search_tag_ids, g_array_unref);
  g_clear_pointer (&self->search_unknown_tag, g_free);
}

void
tt_window_search_set_tags (TtWindow   *self,
                           GListModel *tags)
{
  tt_search_completion_set_tags (self->search_completion, tags);
}

static gboolean
has_tag_id (GArray *ids,
            gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;

  return FALSE;
}

/* The ids of the search's tag words, each once, and the first word that
 * names no tag. */
static void
tt_window_search_resolve (TtWindow *self)
{
  GListModel *tags = self->controller != NULL ? tt_controller_get_tags (self->controller) : NULL;

  g_array_set_size (self->search_tag_ids, 0);
  g_clear_pointer (&self->search_unknown_tag, g_free);
  if (self->search == NULL || tags == NULL)
    return;

  for (guint i = 0; self->search->tags[i] != NULL; i++)
    {
      g_autoptr(TtTag) tag = tt_search_syntax_find_tag (tags, self->search->tags[i]);
      gint64 id;

      if (tag == NULL)
        {
          if (self->search_unknown_tag == NULL)
            self->search_unknown_tag = g_strdup (self->search->tags[i]);
          continue;
        }
      id = tt_tag_get_id (tag);
      if (!has_tag_id (self->search_tag_ids, id))
        g_array_append_val (self->search_tag_ids, id);
    }
}

static gboolean
tt_window_search_has_tags (TtWindow *self)
{
  return self->search != NULL && self->search->tags[0] != NULL;
}

/* Sets the sidebar to what the tag words say, unless a word names no tag
 * (the sidebar then keeps what it showed). */
static void
tt_window_search_select_in_sidebar (TtWindow *self,
                                    gboolean  had_tags)
{
  self->syncing_search = TRUE;
  if (tt_window_search_has_tags (self) && self->search_unknown_tag == NULL)
    tt_tag_sidebar_set_filter (self->sidebar, TT_TAG_FILTER_TAGS,
                               (const gint64 *) (gpointer) self->search_tag_ids->data,
                               self->search_tag_ids->len);
  else if (!tt_window_search_has_tags (self) && had_tags)
    tt_tag_sidebar_set_filter (self->sidebar, TT_TAG_FILTER_ALL, NULL, 0);
  self->syncing_search = FALSE;
}

/* Whether @a and @b hold the same names; NULL holds none. */
static gboolean
same_names (char **a,
            char **b)
{
  guint n_a = a != NULL ? g_strv_length (a) : 0;
  guint n_b = b != NULL ? g_strv_length (b) : 0;

  return n_a == n_b && (n_a == 0 || g_strv_equal ((const char * const *) a, (const char * const *) b));
}

/**
 * tt_window_search_text_changed:
 * @select_tags: whether the sidebar follows the tag words
 *
 * Reads the search text kept in search_text.
 */
void
tt_window_search_text_changed (TtWindow *self,
                               gboolean  select_tags)
{
  gboolean had_tags = tt_window_search_has_tags (self);
  g_auto(GStrv) old_tags = self->search != NULL ? g_strdupv (self->search->tags) : NULL;

  g_clear_pointer (&self->search, tt_search_syntax_free);
  if (self->search_text != NULL)
    self->search = tt_search_syntax_parse (self->search_text);
  tt_window_search_resolve (self);

  if (select_tags && !same_names (old_tags, self->search != NULL ? self->search->tags : NULL))
    tt_window_search_select_in_sidebar (self, had_tags);
}

/* Returns: (transfer full): the names of the tags the sidebar shows */
static GStrv
tt_window_search_sidebar_names (TtWindow *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  GListModel *tags = tt_controller_get_tags (self->controller);
  guint n_ids = 0;
  const gint64 *ids = tt_tag_sidebar_get_tag_ids (self->sidebar, &n_ids);

  if (tt_tag_sidebar_get_filter (self->sidebar) != TT_TAG_FILTER_TAGS)
    n_ids = 0;
  for (guint i = 0; i < n_ids; i++)
    for (guint j = 0; j < g_list_model_get_n_items (tags); j++)
      {
        g_autoptr(TtTag) tag = g_list_model_get_item (tags, j);

        if (tt_tag_get_id (tag) == ids[i])
          {
            g_strv_builder_add (names, tt_tag_get_name (tag));
            break;
          }
      }

  return g_strv_builder_end (names);
}

/**
 * tt_window_search_sidebar_changed:
 *
 * Writes what the sidebar now shows into the open search as its tag
 * words. The entry's own "search-changed" comes later and finds the text
 * it has already (search_text), so it changes nothing more.
 */
void
tt_window_search_sidebar_changed (TtWindow *self)
{
  g_auto(GStrv) names = NULL;
  g_autofree char *text = NULL;

  if (self->syncing_search || self->controller == NULL ||
      !gtk_search_bar_get_search_mode (self->search_bar))
    return;

  names = tt_window_search_sidebar_names (self);
  text = tt_search_syntax_format ((const char * const *) names,
                                  self->search != NULL ? self->search->text : NULL);
  if (g_strcmp0 (text, self->search_text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_strdup (text);
  tt_window_search_text_changed (self, FALSE);
  /* GTK empties the entry before it puts the new text in, and the search
   * entry reports an empty text at once: that is not the search. */
  self->syncing_search = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
  self->syncing_search = FALSE;
}

/**
 * tt_window_search_fill_query:
 *
 * Puts the search's text into @query and, when it has tag words, their
 * tags (all of them must match).
 *
 * Returns: whether the tag words are the query's tags (else the sidebar's
 *   filter is)
 */
gboolean
tt_window_search_fill_query (TtWindow        *self,
                             TtTutorialQuery *query)
{
  static const gint64 no_such_tag = NO_SUCH_TAG_ID;

  if (self->search == NULL)
    return FALSE;

  if (self->search->text[0] != '\0')
    query->text = self->search->text;
  if (!tt_window_search_has_tags (self))
    return FALSE;

  /* The tags may have changed since the text did. */
  tt_window_search_resolve (self);
  query->match = TT_TAG_MATCH_ALL;
  if (self->search_unknown_tag != NULL)
    {
      query->tag_ids = &no_such_tag;
      query->n_tag_ids = 1;
    }
  else
    {
      query->tag_ids = (const gint64 *) (gpointer) self->search_tag_ids->data;
      query->n_tag_ids = self->search_tag_ids->len;
    }

  return TRUE;
}

/* Returns: (transfer full) (nullable): why the list is empty, when a tag
 *   word names no tag */
char *
tt_window_search_describe_no_results (TtWindow *self)
{
  g_autofree char *shortened = NULL;

  if (self->search_unknown_tag == NULL)
    return NULL;

  shortened = tt_format_shorten (self->search_unknown_tag, TT_FORMAT_QUOTED_CHARS);
  /* Translators: %s is what was typed after "tag:" in the search */
  return g_strdup_printf (_("No tag named “%s”"), shortened);
}
