/* tt-tag.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tt-tag"

#include "config.h"

#include <string.h>

#include "tt-model-private.h"
#include "tt-rules.h"
#include "tt-tag.h"
#include "tt-tutorial.h"

struct _TtTag
{
  GObject      parent_instance;

  gint64       id;
  char         *name;
  GDateTime    *created_at;
  GDateTime    *updated_at;
  /* The newest link to a tutorial: when the tag was last used. */
  GDateTime    *last_linked_at;
  /* A palette name (tt_rules_tag_colours()) or NULL: kept by the store
   * in a table of ours, tt_tag_colour. */
  char         *colour;

  /* tt_rules_search_key() of the name, made when first asked for: the
   * sidebar filters and sorts thousands of tags on every keystroke, and
   * folding each name each time would make typing lag. */
  char         *search_key;

  /* Made when first asked for or filled (see tt_model_ensure_list()),
   * then owned for the whole life of the tag and never replaced, so a
   * list view bound to it stays valid across reloads; only its content
   * changes.
   */
  TtObjectList *tutorials;

  /* Kept apart from the store: lists show the count of every tag without
   * loading the tutorials of each.
   */
  guint        tutorial_count;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_TUTORIAL_COUNT,
  PROP_TUTORIALS,
  PROP_LAST_LINKED_AT,
  PROP_COLOUR,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TtTag, tt_tag, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
tt_tag_dispose (GObject *object)
{
  TtTag *self = (TtTag *)object;

  g_clear_object (&self->tutorials);

  G_OBJECT_CLASS (tt_tag_parent_class)->dispose (object);
}

static void
tt_tag_finalize (GObject *object)
{
  TtTag *self = (TtTag *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->colour, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->last_linked_at, g_date_time_unref);
  g_clear_pointer (&self->search_key, g_free);

  G_OBJECT_CLASS (tt_tag_parent_class)->finalize (object);
}

static void
tt_tag_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  TtTag *self = TT_TAG (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;

    case PROP_TUTORIAL_COUNT:
      g_value_set_uint (value, self->tutorial_count);
      break;

    case PROP_TUTORIALS:
      g_value_set_object (value, tt_tag_get_tutorials (self));
      break;

    case PROP_LAST_LINKED_AT:
      g_value_set_boxed (value, self->last_linked_at);
      break;

    case PROP_COLOUR:
      g_value_set_string (value, self->colour);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tag_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  TtTag *self = TT_TAG (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;

    case PROP_NAME:
      tt_tag_set_name (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      tt_tag_set_created_at (self, g_value_get_boxed (value));
      break;

    case PROP_UPDATED_AT:
      tt_tag_set_updated_at (self, g_value_get_boxed (value));
      break;

    case PROP_TUTORIAL_COUNT:
      tt_tag_set_tutorial_count (self, g_value_get_uint (value));
      break;

    case PROP_LAST_LINKED_AT:
      tt_tag_set_last_linked_at (self, g_value_get_boxed (value));
      break;

    case PROP_COLOUR:
      tt_tag_set_colour (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tag_class_init (TtTagClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tt_tag_dispose;
  object_class->finalize = tt_tag_finalize;
  object_class->get_property = tt_tag_get_property;
  object_class->set_property = tt_tag_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_TUTORIAL_COUNT] =
    g_param_spec_uint ("tutorial-count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_TUTORIALS] =
    g_param_spec_object ("tutorials", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_LAST_LINKED_AT] =
    g_param_spec_boxed ("last-linked-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_COLOUR] =
    g_param_spec_string ("colour", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_tag_init (TtTag *self)
{
}

TtTag *
tt_tag_new (gint64      id,
            const char *name)
{
  return g_object_new (TT_TYPE_TAG,
                       "id", id,
                       "name", name,
                       NULL);
}

gint64
tt_tag_get_id (TtTag *self)
{
  g_return_val_if_fail (TT_IS_TAG (self), 0);

  return self->id;
}

const char *
tt_tag_get_name (TtTag *self)
{
  g_return_val_if_fail (TT_IS_TAG (self), NULL);

  return self->name;
}

void
tt_tag_set_name (TtTag      *self,
                 const char *name)
{
  g_return_if_fail (TT_IS_TAG (self));

  if (!tt_model_set_str (&self->name, name))
    return;

  g_clear_pointer (&self->search_key, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

/**
 * tt_tag_get_colour:
 *
 * Returns: (nullable): the tag's palette colour ("red"), or %NULL for none
 */
const char *
tt_tag_get_colour (TtTag *self)
{
  g_return_val_if_fail (TT_IS_TAG (self), NULL);

  return self->colour;
}

/* @colour: a name tt_rules_check_tag_colour() accepts; "" is none too. */
void
tt_tag_set_colour (TtTag      *self,
                   const char *colour)
{
  g_return_if_fail (TT_IS_TAG (self));

  if (colour != NULL && *colour == '\0')
    colour = NULL;
  if (tt_model_set_str (&self->colour, colour))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOUR]);
}

/**
 * tt_tag_get_search_key:
 *
 * Returns: (transfer none): tt_rules_search_key() of the name (case and
 *   accents folded away), worked out once per name
 */
const char *
tt_tag_get_search_key (TtTag *self)
{
  g_return_val_if_fail (TT_IS_TAG (self), NULL);

  if (self->search_key == NULL && self->name != NULL)
    self->search_key = tt_rules_search_key (self->name);
  /* Invalid UTF-8 has no key; it is then matched as it is. */
  if (self->search_key == NULL)
    self->search_key = g_strdup (self->name != NULL ? self->name : "");

  return self->search_key;
}

/**
 * tt_tag_compare_by_name:
 *
 * The order tags are listed in by name, wherever they are: by their
 * search keys ("café" beside "Cafe", "rust" beside "Rust"), then by the
 * names themselves and the ids, so that the order is total and stable.
 *
 * Returns: negative, 0 or positive, as strcmp()
 */
int
tt_tag_compare_by_name (TtTag *a,
                        TtTag *b)
{
  int c;

  g_return_val_if_fail (TT_IS_TAG (a), 0);
  g_return_val_if_fail (TT_IS_TAG (b), 0);

  c = strcmp (tt_tag_get_search_key (a), tt_tag_get_search_key (b));
  if (c == 0)
    c = g_strcmp0 (a->name, b->name);
  if (c == 0)
    c = (a->id > b->id) - (a->id < b->id);

  return c;
}

/**
 * tt_tag_get_created_at:
 *
 * Returns: (transfer none) (nullable): when the tag was created
 */
GDateTime *
tt_tag_get_created_at (TtTag *self)
{
  g_return_val_if_fail (TT_IS_TAG (self), NULL);

  return self->created_at;
}

void
tt_tag_set_created_at (TtTag     *self,
                       GDateTime *created_at)
{
  g_return_if_fail (TT_IS_TAG (self));

  if (tt_model_set_date_time (&self->created_at, created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

/**
 * tt_tag_get_updated_at:
 *
 * Returns: (transfer none) (nullable): when the tag was last changed
 */
GDateTime *
tt_tag_get_updated_at (TtTag *self)
{
  g_return_val_if_fail (TT_IS_TAG (self), NULL);

  return self->updated_at;
}

void
tt_tag_set_updated_at (TtTag     *self,
                       GDateTime *updated_at)
{
  g_return_if_fail (TT_IS_TAG (self));

  if (tt_model_set_date_time (&self->updated_at, updated_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

guint
tt_tag_get_tutorial_count (TtTag *self)
{
  g_return_val_if_fail (TT_IS_TAG (self), 0);

  return self->tutorial_count;
}

void
tt_tag_set_tutorial_count (TtTag *self,
                           guint  count)
{
  g_return_if_fail (TT_IS_TAG (self));

  if (self->tutorial_count == count)
    return;

  self->tutorial_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TUTORIAL_COUNT]);
}

/* tt_tag_compare_by_name() as a GCompareDataFunc (g_list_store_insert_sorted()). */
int
tt_tag_compare_by_name_data (gconstpointer a,
                             gconstpointer b,
                             gpointer      unused)
{
  return tt_tag_compare_by_name (TT_TAG ((gpointer) a), TT_TAG ((gpointer) b));
}

static int
compare_tag_pointers (gconstpointer a,
                      gconstpointer b)
{
  return tt_tag_compare_by_name (*(TtTag **) a, *(TtTag **) b);
}

/**
 * tt_tag_sorted_by_name:
 * @tags: (nullable): a #GListModel of #TtTag
 *
 * The tags of @tags in the order chips show them: by name, so that a new
 * chip lands at its place rather than at the end one time and elsewhere
 * after a reload.
 *
 * Returns: (transfer full) (element-type TtTag): a new array
 */
GPtrArray *
tt_tag_sorted_by_name (GListModel *tags)
{
  guint n = tags != NULL ? g_list_model_get_n_items (tags) : 0;
  GPtrArray *sorted = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (sorted, g_list_model_get_item (tags, i));
  g_ptr_array_sort (sorted, compare_tag_pointers);

  return sorted;
}

/**
 * tt_tag_get_last_linked_at:
 *
 * Returns: (transfer none) (nullable): when the tag was last given to a
 *   tutorial (the newest link it has), or %NULL when it has none
 */
GDateTime *
tt_tag_get_last_linked_at (TtTag *self)
{
  g_return_val_if_fail (TT_IS_TAG (self), NULL);

  return self->last_linked_at;
}

void
tt_tag_set_last_linked_at (TtTag     *self,
                           GDateTime *last_linked_at)
{
  g_return_if_fail (TT_IS_TAG (self));

  if (tt_model_set_date_time (&self->last_linked_at, last_linked_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_LINKED_AT]);
}

/**
 * tt_tag_get_tutorials:
 *
 * Returns: (transfer none): a list of #TtTutorial that stays the same object
 *   for the life of @self
 */
GListModel *
tt_tag_get_tutorials (TtTag *self)
{
  g_return_val_if_fail (TT_IS_TAG (self), NULL);

  return G_LIST_MODEL (tt_model_ensure_list (&self->tutorials, TT_TYPE_TUTORIAL));
}

/**
 * tt_tag_set_tutorials:
 * @tutorials: (nullable): #TtTutorial items, or %NULL for none
 *
 * Replaces the content of the tutorials list. It does not touch
 * #TtTag:tutorial-count, which the caller keeps in step.
 */
void
tt_tag_set_tutorials (TtTag      *self,
                      GListModel *tutorials)
{
  g_return_if_fail (TT_IS_TAG (self));
  g_return_if_fail (tutorials == NULL || G_IS_LIST_MODEL (tutorials));
  g_return_if_fail (tt_model_holds_only (tutorials, TT_TYPE_TUTORIAL));

  tt_model_replace_items (&self->tutorials, TT_TYPE_TUTORIAL, tutorials);
}

/* Between the prefix of a shortened key and its digest: U+2026, which
 * NFKC spells out as "...", so no folded name contains it. A shortened key
 * can thus never equal a whole one, and two shortened keys are equal only
 * when their digests, that is the whole keys, are. */
#define SHORTENED_KEY_SEPARATOR "\xe2\x80\xa6"

/* @key as it is when it fits TT_TAG_NAME_KEY_MAX_CHARS; else a prefix,
 * the separator and the SHA-256 of the whole key, exactly that long.
 * U+FDFA alone folds to 18 characters, so a valid name of 255 can fold
 * to 4590: more than a key column can hold with a unique index. */
static char *
shorten_key (char *key)
{
  g_autofree char *whole = key;
  g_autofree char *digest = NULL;
  const char *cut;
  glong prefix_chars;

  if (g_utf8_strlen (whole, -1) <= TT_TAG_NAME_KEY_MAX_CHARS)
    return g_steal_pointer (&whole);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, whole, -1);
  prefix_chars = TT_TAG_NAME_KEY_MAX_CHARS - 1 - (glong) strlen (digest);
  cut = g_utf8_offset_to_pointer (whole, prefix_chars);
  return g_strdup_printf ("%.*s" SHORTENED_KEY_SEPARATOR "%s",
                          (int) (cut - whole), whole, digest);
}

/**
 * tt_tag_name_key:
 * @name: a tag name
 *
 * What makes two tag names the same tag: case and Unicode compatibility
 * forms do not count ("Rust" and "rust", "ﬁ" and "fi"), accents do ("café"
 * and "cafe" are two tags). The store keeps this key beside each name.
 * It has at most TT_TAG_NAME_KEY_MAX_CHARS characters (see shorten_key()).
 *
 * Returns: (transfer full) (nullable): the key, or %NULL for invalid UTF-8
 */
char *
tt_tag_name_key (const char *name)
{
  g_autofree char *normal = NULL;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  normal = g_utf8_normalize (name, -1, G_NORMALIZE_NFKC);
  if (normal == NULL)
    return NULL;

  folded = g_utf8_casefold (normal, -1);
  return shorten_key (g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC));
}

/**
 * tt_tag_equal:
 *
 * Whether @a and @b show the same: id, name, colour, times (the last link's too)
 * and tutorial count
 * (not the tutorials themselves). A reload keeps the object it already
 * has when this holds, so views do not redraw what did not change.
 */
gboolean
tt_tag_equal (TtTag *a,
              TtTag *b)
{
  g_return_val_if_fail (TT_IS_TAG (a), FALSE);
  g_return_val_if_fail (TT_IS_TAG (b), FALSE);

  return a->id == b->id &&
         g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->colour, b->colour) == 0 &&
         a->tutorial_count == b->tutorial_count &&
         tt_model_date_time_equal (a->created_at, b->created_at) &&
         tt_model_date_time_equal (a->updated_at, b->updated_at) &&
         tt_model_date_time_equal (a->last_linked_at, b->last_linked_at);
}
