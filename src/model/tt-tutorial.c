/* tt-tutorial.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tt-tutorial"

#include "config.h"

#include "tt-model-private.h"
#include "tt-tag.h"
#include "tt-tutorial.h"

struct _TtTutorial
{
  GObject      parent_instance;

  gint64       id;
  char         *title;
  /* NULL stands for the empty description, which most rows have, so they
   * cost no allocation.
   */
  char         *description;
  GDateTime    *created_at;
  GDateTime    *updated_at;

  /* Made when first asked for or filled (see tt_model_ensure_list()),
   * then owned for the whole life of the tutorial and never replaced, so
   * a chip editor bound to it stays valid; only its content changes.
   */
  TtObjectList *tags;

  /* Stands for a row not read yet: its id only. */
  gboolean      placeholder;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_TAGS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TtTutorial, tt_tutorial, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
tt_tutorial_dispose (GObject *object)
{
  TtTutorial *self = (TtTutorial *)object;

  g_clear_object (&self->tags);

  G_OBJECT_CLASS (tt_tutorial_parent_class)->dispose (object);
}

static void
tt_tutorial_finalize (GObject *object)
{
  TtTutorial *self = (TtTutorial *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (tt_tutorial_parent_class)->finalize (object);
}

static void
tt_tutorial_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TtTutorial *self = TT_TUTORIAL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, tt_tutorial_get_description (self));
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;

    case PROP_TAGS:
      g_value_set_object (value, tt_tutorial_get_tags (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tutorial_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TtTutorial *self = TT_TUTORIAL (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;

    case PROP_TITLE:
      tt_tutorial_set_title (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      tt_tutorial_set_description (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      tt_tutorial_set_created_at (self, g_value_get_boxed (value));
      break;

    case PROP_UPDATED_AT:
      tt_tutorial_set_updated_at (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_tutorial_class_init (TtTutorialClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tt_tutorial_dispose;
  object_class->finalize = tt_tutorial_finalize;
  object_class->get_property = tt_tutorial_get_property;
  object_class->set_property = tt_tutorial_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /* Reads as "" rather than NULL so it can be bound straight to a label. */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         "",
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

  properties[PROP_TAGS] =
    g_param_spec_object ("tags", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_tutorial_init (TtTutorial *self)
{
}

TtTutorial *
tt_tutorial_new (gint64      id,
                 const char *title,
                 const char *description)
{
  return g_object_new (TT_TYPE_TUTORIAL,
                       "id", id,
                       "title", title,
                       "description", description,
                       NULL);
}

/**
 * tt_tutorial_new_placeholder:
 *
 * Returns: (transfer full): a stand-in for the tutorial @id while it is
 *   read: no title, no description, no dates, and
 *   tt_tutorial_is_placeholder() says so (a real tutorial can lack a
 *   title too: the Node.js app allows it)
 */
TtTutorial *
tt_tutorial_new_placeholder (gint64 id)
{
  TtTutorial *self = tt_tutorial_new (id, NULL, NULL);

  self->placeholder = TRUE;
  return self;
}

gboolean
tt_tutorial_is_placeholder (TtTutorial *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL (self), FALSE);

  return self->placeholder;
}

/**
 * tt_tutorial_dup:
 *
 * Returns: (transfer full): a new object with the same content and a
 *   list of the same tags, for a newer copy that differs a little
 */
TtTutorial *
tt_tutorial_dup (TtTutorial *self)
{
  TtTutorial *copy;

  g_return_val_if_fail (TT_IS_TUTORIAL (self), NULL);

  copy = tt_tutorial_new (self->id, self->title, self->description);
  tt_tutorial_set_created_at (copy, self->created_at);
  tt_tutorial_set_updated_at (copy, self->updated_at);
  tt_tutorial_set_tags (copy, tt_tutorial_get_tags (self));
  copy->placeholder = self->placeholder;
  return copy;
}

gint64
tt_tutorial_get_id (TtTutorial *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL (self), 0);

  return self->id;
}

const char *
tt_tutorial_get_title (TtTutorial *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL (self), NULL);

  return self->title;
}

void
tt_tutorial_set_title (TtTutorial *self,
                       const char *title)
{
  g_return_if_fail (TT_IS_TUTORIAL (self));

  if (tt_model_set_str (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * tt_tutorial_get_description:
 *
 * Returns: (not nullable): the description, "" when there is none
 */
const char *
tt_tutorial_get_description (TtTutorial *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL (self), "");

  return self->description != NULL ? self->description : "";
}

/**
 * tt_tutorial_set_description:
 * @description: (nullable): the new description; %NULL and "" are the same
 */
void
tt_tutorial_set_description (TtTutorial *self,
                             const char *description)
{
  g_return_if_fail (TT_IS_TUTORIAL (self));

  if (description != NULL && description[0] == '\0')
    description = NULL;

  if (tt_model_set_str (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

/**
 * tt_tutorial_get_created_at:
 *
 * Returns: (transfer none) (nullable): when the tutorial was created
 */
GDateTime *
tt_tutorial_get_created_at (TtTutorial *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL (self), NULL);

  return self->created_at;
}

void
tt_tutorial_set_created_at (TtTutorial *self,
                            GDateTime  *created_at)
{
  g_return_if_fail (TT_IS_TUTORIAL (self));

  if (tt_model_set_date_time (&self->created_at, created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

/**
 * tt_tutorial_get_updated_at:
 *
 * Returns: (transfer none) (nullable): when the tutorial was last changed
 */
GDateTime *
tt_tutorial_get_updated_at (TtTutorial *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL (self), NULL);

  return self->updated_at;
}

void
tt_tutorial_set_updated_at (TtTutorial *self,
                            GDateTime  *updated_at)
{
  g_return_if_fail (TT_IS_TUTORIAL (self));

  if (tt_model_set_date_time (&self->updated_at, updated_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

/**
 * tt_tutorial_get_tags:
 *
 * Returns: (transfer none): a list of #TtTag that stays the same object for
 *   the life of @self
 */
GListModel *
tt_tutorial_get_tags (TtTutorial *self)
{
  g_return_val_if_fail (TT_IS_TUTORIAL (self), NULL);

  return G_LIST_MODEL (tt_model_ensure_list (&self->tags, TT_TYPE_TAG));
}

/**
 * tt_tutorial_set_tags:
 * @tags: (nullable): #TtTag items, or %NULL for none
 *
 * Replaces the content of the tags list.
 */
void
tt_tutorial_set_tags (TtTutorial *self,
                      GListModel *tags)
{
  g_return_if_fail (TT_IS_TUTORIAL (self));
  g_return_if_fail (tags == NULL || G_IS_LIST_MODEL (tags));
  g_return_if_fail (tt_model_holds_only (tags, TT_TYPE_TAG));

  tt_model_replace_items (&self->tags, TT_TYPE_TAG, tags);
}

static gboolean
same_tags (GListModel *a,
           GListModel *b)
{
  guint n = a != NULL ? g_list_model_get_n_items (a) : 0;

  if (n != (b != NULL ? g_list_model_get_n_items (b) : 0))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtTag) x = g_list_model_get_item (a, i);
      g_autoptr(TtTag) y = g_list_model_get_item (b, i);

      if (tt_tag_get_id (x) != tt_tag_get_id (y) ||
          g_strcmp0 (tt_tag_get_name (x), tt_tag_get_name (y)) != 0 ||
          g_strcmp0 (tt_tag_get_colour (x), tt_tag_get_colour (y)) != 0)
        return FALSE;
    }

  return TRUE;
}

/**
 * tt_tutorial_equal:
 *
 * Whether @a and @b show the same: id, texts, times, and the ids,
 * names and colours of their tags. A reload keeps the object it already has when
 * this holds, so views do not redraw what did not change.
 */
gboolean
tt_tutorial_equal (TtTutorial *a,
                   TtTutorial *b)
{
  g_return_val_if_fail (TT_IS_TUTORIAL (a), FALSE);
  g_return_val_if_fail (TT_IS_TUTORIAL (b), FALSE);

  return a->id == b->id &&
         g_strcmp0 (a->title, b->title) == 0 &&
         g_strcmp0 (a->description, b->description) == 0 &&
         tt_model_date_time_equal (a->created_at, b->created_at) &&
         tt_model_date_time_equal (a->updated_at, b->updated_at) &&
         same_tags (G_LIST_MODEL (a->tags), G_LIST_MODEL (b->tags));
}
