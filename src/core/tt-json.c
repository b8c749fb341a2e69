/* tt-json.c: tutorials and tags as JSON, in the Node.js tutorial's shapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tt-json.h"
#include "tt-rules.h"

/* Writing */

char *
tt_json_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);

  /* Date.toJSON() always writes milliseconds and "Z". */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          g_date_time_get_year (utc),
                          g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc),
                          g_date_time_get_second (utc),
                          g_date_time_get_microsecond (utc) / 1000);
}

GDateTime *
tt_json_parse_time (const char  *text,
                    GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *iso = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  /* Databases and people write "2026-11-25 17:46:18"; GLib wants a "T". */
  iso = g_strdup (text);
  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';

  parsed = g_date_time_new_from_iso8601 (iso, utc);
  if (parsed == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a date and time like 2026-11-25T17:46:18.000Z"),
                   text);
      return NULL;
    }

  /* Near year 1 or 9999 an offset can take it out of range in UTC. */
  if (!tt_rules_check_time (parsed, error))
    return NULL;

  return g_date_time_to_utc (parsed);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time_member (JsonBuilder *builder,
                 const char  *name,
                 GDateTime   *time)
{
  g_autofree char *text = NULL;

  if (time != NULL)
    text = tt_json_format_time (time);
  add_string_member (builder, name, text);
}

static void
add_id_member (JsonBuilder *builder,
               gint64       id)
{
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
}

/* Writes one list item; @nested says whether to include its relations. */
typedef void (*BuildItemFunc) (JsonBuilder *builder,
                               gpointer     item,
                               gboolean     nested);

static void
add_list (JsonBuilder   *builder,
          GListModel    *list,
          BuildItemFunc  build_item,
          gboolean       nested)
{
  guint n_items = list != NULL ? g_list_model_get_n_items (list) : 0;

  /* A missing relation list is written as [] so readers need no check. */
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      build_item (builder, item, nested);
    }
  json_builder_end_array (builder);
}

static void
add_list_member (JsonBuilder   *builder,
                 const char    *name,
                 GListModel    *list,
                 BuildItemFunc  build_item,
                 gboolean       nested)
{
  json_builder_set_member_name (builder, name);
  add_list (builder, list, build_item, nested);
}

/* A reference is what the other side of the relation lists; the full
 * object starts with the same members. */
static void
add_tag_ref_members (JsonBuilder *builder,
                     TtTag       *tag)
{
  add_id_member (builder, tt_tag_get_id (tag));
  add_string_member (builder, "name", tt_tag_get_name (tag));
}

static void
add_tutorial_ref_members (JsonBuilder *builder,
                          TtTutorial  *tutorial)
{
  add_id_member (builder, tt_tutorial_get_id (tutorial));
  add_string_member (builder, "title", tt_tutorial_get_title (tutorial));
  add_string_member (builder, "description",
                     tt_tutorial_get_description (tutorial));
}

static void
build_tag_ref (JsonBuilder *builder,
               gpointer     item,
               gboolean     nested)
{
  json_builder_begin_object (builder);
  add_tag_ref_members (builder, item);
  json_builder_end_object (builder);
}

static void
build_tutorial_ref (JsonBuilder *builder,
                    gpointer     item,
                    gboolean     nested)
{
  json_builder_begin_object (builder);
  add_tutorial_ref_members (builder, item);
  json_builder_end_object (builder);
}

static void
build_tag (JsonBuilder *builder,
           gpointer     item,
           gboolean     with_tutorials)
{
  TtTag *tag = item;

  json_builder_begin_object (builder);
  add_tag_ref_members (builder, tag);
  add_time_member (builder, "createdAt", tt_tag_get_created_at (tag));
  add_time_member (builder, "updatedAt", tt_tag_get_updated_at (tag));
  if (with_tutorials)
    add_list_member (builder, "tutorials", tt_tag_get_tutorials (tag),
                     build_tutorial_ref, FALSE);
  json_builder_end_object (builder);
}

static void
build_tutorial (JsonBuilder *builder,
                gpointer     item,
                gboolean     with_tags)
{
  TtTutorial *tutorial = item;

  json_builder_begin_object (builder);
  add_tutorial_ref_members (builder, tutorial);
  add_time_member (builder, "createdAt", tt_tutorial_get_created_at (tutorial));
  add_time_member (builder, "updatedAt", tt_tutorial_get_updated_at (tutorial));
  if (with_tags)
    add_list_member (builder, "tags", tt_tutorial_get_tags (tutorial),
                     build_tag_ref, FALSE);
  json_builder_end_object (builder);
}

static void
build_tags (JsonBuilder *builder,
            gpointer     list,
            gboolean     with_tutorials)
{
  add_list (builder, list, build_tag, with_tutorials);
}

static void
build_tutorials (JsonBuilder *builder,
                 gpointer     list,
                 gboolean     with_tags)
{
  add_list (builder, list, build_tutorial, with_tags);
}

/* What the public writers share: one value, built on its own. */
static JsonNode *
build_root (BuildItemFunc build,
            gpointer      item,
            gboolean      nested)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  build (builder, item, nested);
  return json_builder_get_root (builder);
}

JsonNode *
tt_json_tag (TtTag    *tag,
             gboolean  with_tutorials)
{
  g_return_val_if_fail (TT_IS_TAG (tag), NULL);

  return build_root (build_tag, tag, with_tutorials);
}

JsonNode *
tt_json_tutorial (TtTutorial *tutorial,
                  gboolean    with_tags)
{
  g_return_val_if_fail (TT_IS_TUTORIAL (tutorial), NULL);

  return build_root (build_tutorial, tutorial, with_tags);
}

JsonNode *
tt_json_tags (GListModel *tags,
              gboolean    with_tutorials)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (tags), NULL);

  return build_root (build_tags, tags, with_tutorials);
}

JsonNode *
tt_json_tutorials (GListModel *tutorials,
                   gboolean    with_tags)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (tutorials), NULL);

  return build_root (build_tutorials, tutorials, with_tags);
}

JsonNode *
tt_json_export (GListModel *tutorials_with_tags,
                GListModel *tags)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (G_IS_LIST_MODEL (tutorials_with_tags), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (tags), NULL);

  json_builder_begin_object (builder);
  add_list_member (builder, "tutorials", tutorials_with_tags, build_tutorial, TRUE);
  /* Listed on their own too, so that tags without tutorials survive. */
  add_list_member (builder, "tags", tags, build_tag, FALSE);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
tt_json_to_string (JsonNode *node,
                   gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

/* Reading */

/* A pass over an import file's text before json-glib sees it, for
 * what json-glib does not check: how deep it nests (json-glib recurses
 * once per level), NUL characters (json-glib turns "\u0000" into a C
 * string that ends there and keeps no length, so the rest of the text
 * would vanish), and JSON itself: json-glib also takes comments, single
 * quotes and hex numbers and ignores whatever follows the first value,
 * and a comment or a single quote would hide brackets and escapes from
 * this pass. Structure (commas, colons, matching brackets) is left to
 * json-glib. */
typedef struct
{
  const char *p;
  const char *end;
  guint       line;
  guint       depth;
  /* A whole value has been read at the top: only spaces may follow. */
  gboolean    root_done;
} Lexer;

/* @error (set by a rule) or @why, said with the line it is on. */
static gboolean
lex_fail (Lexer       *lexer,
          GError     **error,
          const char  *why)
{
  if (why != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("Line %u: this is not JSON: %s"), lexer->line, why);
  else
    g_prefix_error (error, _("Line %u: "), lexer->line);
  return FALSE;
}

static gboolean
lex_refuse_nul (Lexer   *lexer,
                GError **error)
{
  tt_rules_refuse_nul (error);
  return lex_fail (lexer, error, NULL);
}

/* "\uXXXX" at @p (after the backslash); -1 when it is not one. */
static int
unicode_escape_value (const char *p,
                      const char *end)
{
  int value = 0;

  if (end - p < 5 || *p != 'u')
    return -1;
  for (int i = 1; i <= 4; i++)
    {
      if (!g_ascii_isxdigit (p[i]))
        return -1;
      value = value * 16 + g_ascii_xdigit_value (p[i]);
    }
  return value;
}

/* @lexer->p is at a backslash in a string; leaves it on the escape's
 * last character. A lone half of a surrogate pair is refused here
 * because json-glib calls it "unterminated string constant". */
static gboolean
lex_escape (Lexer   *lexer,
            GError **error)
{
  const char *p = lexer->p + 1;
  int value = unicode_escape_value (p, lexer->end);

  if (p < lexer->end && *p == '\0')
    return lex_refuse_nul (lexer, error);
  if (p < lexer->end && strchr ("\"\\/bfnrt", *p) != NULL)
    {
      lexer->p = p;
      return TRUE;
    }
  if (value < 0)
    return lex_fail (lexer, error, _("a backslash in a string starts no escape"));
  if (value == 0)
    return lex_refuse_nul (lexer, error);
  if (value >= 0xdc00 && value <= 0xdfff)
    return lex_fail (lexer, error, _("a \\u escape names the second half of a surrogate pair without the first"));
  if (value >= 0xd800 && value <= 0xdbff)
    {
      int low = unicode_escape_value (p + 6, lexer->end);

      if (p + 5 >= lexer->end || p[5] != '\\' || low < 0xdc00 || low > 0xdfff)
        return lex_fail (lexer, error, _("a \\u escape names the first half of a surrogate pair without the second"));
      p += 6;
    }
  lexer->p = p + 4;
  return TRUE;
}

/* @lexer->p is at the opening quote; leaves it after the closing one. */
static gboolean
lex_string (Lexer   *lexer,
            GError **error)
{
  for (lexer->p++; lexer->p < lexer->end; lexer->p++)
    {
      guchar c = *lexer->p;

      if (c == '"')
        {
          lexer->p++;
          return TRUE;
        }
      if (c == '\0')
        return lex_refuse_nul (lexer, error);
      if (c < 0x20)
        return lex_fail (lexer, error, _("a string holds a control character (a line break, a tab…); write it as an escape such as \\n"));
      if (c == '\\' && !lex_escape (lexer, error))
        return FALSE;
    }
  return lex_fail (lexer, error, _("a string does not end"));
}

static gboolean
is_literal_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '-' || c == '.';
}

static gboolean
skip_digits (const char **p,
             const char  *end)
{
  const char *start = *p;

  while (*p < end && g_ascii_isdigit (**p))
    (*p)++;
  return *p > start;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, exactly @length bytes. */
static gboolean
is_json_number (const char *text,
                gsize       length)
{
  const char *p = text;
  const char *end = text + length;

  if (p < end && *p == '-')
    p++;
  if (p < end && *p == '0')
    p++;
  else if (p >= end || *p < '1' || *p > '9' || !skip_digits (&p, end))
    return FALSE;
  if (p < end && *p == '.' && (p++, !skip_digits (&p, end)))
    return FALSE;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (!skip_digits (&p, end))
        return FALSE;
    }
  return p == end;
}

/* A number, true, false or null. */
static gboolean
lex_literal (Lexer   *lexer,
             GError **error)
{
  const char *start = lexer->p;
  gsize length;

  while (lexer->p < lexer->end && is_literal_char (*lexer->p))
    lexer->p++;
  length = lexer->p - start;

  if (is_json_number (start, length)
      || (length == 4 && memcmp (start, "true", 4) == 0)
      || (length == 5 && memcmp (start, "false", 5) == 0)
      || (length == 4 && memcmp (start, "null", 4) == 0))
    return TRUE;

  return lex_fail (lexer, error, _("a value is neither a number, a string, true, false nor null"));
}

/* A value starts at the top: only the first one may. */
static gboolean
lex_value_start (Lexer   *lexer,
                 GError **error)
{
  if (lexer->depth > 0)
    return TRUE;
  if (lexer->root_done)
    return lex_fail (lexer, error, _("something follows the first value (a file holds one object or array)"));
  lexer->root_done = TRUE;
  return TRUE;
}

/* Brackets and punctuation: one character each. */
static gboolean
lex_structure (Lexer   *lexer,
               GError **error)
{
  char c = *lexer->p++;

  if (c == '{' || c == '[')
    {
      lexer->depth++;
      return tt_rules_check_import_depth (lexer->depth, error) || lex_fail (lexer, error, NULL);
    }
  /* A closing bracket without an opening one is json-glib's to refuse. */
  if ((c == '}' || c == ']') && lexer->depth > 0)
    lexer->depth--;
  return TRUE;
}

/* What is not in a string: brackets, punctuation, literals, strings. */
static gboolean
lex_token (Lexer   *lexer,
           GError **error)
{
  char c = *lexer->p;

  if (c == '\0')
    return lex_refuse_nul (lexer, error);
  if ((c == '{' || c == '[' || c == '"' || is_literal_char (c))
      && !lex_value_start (lexer, error))
    return FALSE;

  if (c == '"')
    return lex_string (lexer, error);
  if (is_literal_char (c))
    return lex_literal (lexer, error);
  if (strchr ("{}[]:,", c) != NULL)
    return lex_structure (lexer, error);
  return lex_fail (lexer, error, _("a character that JSON does not allow there (comments and single quotes are not JSON)"));
}

static gboolean
check_import_text (const char  *text,
                   gsize        length,
                   GError     **error)
{
  Lexer lexer = { text, text + length, 1, 0, FALSE };

  if (!tt_rules_check_import_size (length, error))
    return FALSE;

  while (lexer.p < lexer.end)
    {
      if (*lexer.p == '\n')
        lexer.line++;
      if (strchr (" \t\r\n", *lexer.p) != NULL && *lexer.p != '\0')
        lexer.p++;
      else if (!lex_token (&lexer, error))
        return FALSE;
    }
  return TRUE;
}

JsonNode *
tt_json_load_import (const char  *text,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  g_return_val_if_fail (text != NULL, NULL);

  /* Some editors start UTF-8 files with a byte order mark; JSON may
   * skip it (RFC 8259, 8.1). */
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  if (!check_import_text (text, length, error))
    return NULL;

  /* The length, not -1: no NUL byte is left, but nothing is cut off
   * either way. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  return root != NULL ? json_node_copy (root) : NULL;
}

typedef struct
{
  GListStore *tutorials;
  GListStore *tags;
  /* Folded tag name → the TtTag in @tags that stands for it. */
  GHashTable *tags_by_key;
  /* Tags with tutorials name each tutorial once per tag: id or title →
   * the TtTutorial in @tutorials, and TtTutorial → GListStore of its tags. */
  GHashTable *tutorials_by_key;
  GHashTable *tags_of_tutorial;
} ImportState;

static void
import_state_init (ImportState *state)
{
  state->tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  state->tags = g_list_store_new (TT_TYPE_TAG);
  state->tags_by_key = g_hash_table_new_full (g_str_hash, g_str_equal,
                                              g_free, NULL);
  state->tutorials_by_key = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                   g_free, NULL);
  state->tags_of_tutorial = g_hash_table_new_full (NULL, NULL, NULL,
                                                   g_object_unref);
}

static void
import_state_clear (ImportState *state)
{
  g_clear_object (&state->tutorials);
  g_clear_object (&state->tags);
  g_clear_pointer (&state->tags_by_key, g_hash_table_unref);
  g_clear_pointer (&state->tutorials_by_key, g_hash_table_unref);
  g_clear_pointer (&state->tags_of_tutorial, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImportState, import_state_clear)

/**
 * tt_json_fail:
 *
 * g_set_error() that returns %FALSE. Exported because the command line
 * reports its own errors the same way.
 *
 * Returns: %FALSE
 */
gboolean
tt_json_fail (GError     **error,
              GQuark       domain,
              int          code,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, domain, code, message);
  return FALSE;
}

/* Every mistake in a file is invalid data. */
#define fail(error, ...) \
  tt_json_fail ((error), G_IO_ERROR, G_IO_ERROR_INVALID_DATA, __VA_ARGS__)

/* "tutorials[3]" + "title" → "tutorials[3].title"; "" + "tags" → "tags". */
static char *
member_path (const char *path,
             const char *member)
{
  if (path[0] == '\0')
    return g_strdup (member);
  return g_strdup_printf ("%s.%s", path, member);
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Absent and null both give NULL, which is an error when @required. */
static gboolean
lookup_string (JsonObject  *object,
               const char  *path,
               const char  *member,
               gboolean     required,
               const char **out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *where = member_path (path, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return !required || fail (error, _("%s is missing"), where);
  if (!node_is_string (node))
    return fail (error, _("%s is not a string"), where);
  *out = json_node_get_string (node);
  if (required && **out == '\0')
    return fail (error, _("%s is empty"), where);
  return TRUE;
}

static gboolean
lookup_time (JsonObject  *object,
             const char  *path,
             const char  *member,
             GDateTime  **out,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *text;

  *out = NULL;
  if (!lookup_string (object, path, member, FALSE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  *out = tt_json_parse_time (text, &local_error);
  if (*out == NULL)
    {
      g_autofree char *where = member_path (path, member);

      return fail (error, "%s: %s", where, local_error->message);
    }
  return TRUE;
}

/* An absent or null array gives NULL. */
static gboolean
lookup_array (JsonObject  *object,
              const char  *path,
              const char  *member,
              JsonArray  **out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *where = member_path (path, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, _("%s is not an array"), where);
  *out = json_node_get_array (node);
  return TRUE;
}

static JsonObject *
expect_object (JsonNode    *node,
               const char  *path,
               GError     **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, _("%s is not an object"), path);
      return NULL;
    }
  return json_node_get_object (node);
}

/* Surrounding spaces do not make two tags different, nor does what
 * tt_tag_name_key() folds: the tags this file merges are the ones the
 * store would merge. */
static char *
fold_name (const char *name)
{
  g_autofree char *trimmed = tt_rules_strip (name);
  char *key = tt_tag_name_key (trimmed);

  return key != NULL ? key : g_steal_pointer (&trimmed);
}

/* Returns the tag that already stands for @tag's name, or adds @tag. */
static TtTag *
remember_tag (ImportState *state,
              TtTag       *tag)
{
  g_autofree char *key = fold_name (tt_tag_get_name (tag));
  TtTag *known = g_hash_table_lookup (state->tags_by_key, key);

  if (known != NULL)
    return known;

  g_list_store_append (state->tags, tag);
  g_hash_table_insert (state->tags_by_key, g_steal_pointer (&key), tag);
  return tag;
}

static void
append_unique (GListStore *list,
               gpointer    item)
{
  if (!g_list_store_find (list, item, NULL))
    g_list_store_append (list, item);
}

/* {"name", "createdAt"?, "updatedAt"?}; any other member is ignored. */
static TtTag *
read_tag (ImportState  *state,
          JsonNode     *node,
          const char   *path,
          GError      **error)
{
  g_autoptr(GDateTime) created_at = NULL;
  g_autoptr(GDateTime) updated_at = NULL;
  g_autoptr(TtTag) tag = NULL;
  JsonObject *object;
  const char *name;

  if ((object = expect_object (node, path, error)) == NULL
      || !lookup_string (object, path, "name", TRUE, &name, error)
      || !lookup_time (object, path, "createdAt", &created_at, error)
      || !lookup_time (object, path, "updatedAt", &updated_at, error))
    return NULL;

  tag = tt_tag_new (0, name);
  if (created_at != NULL)
    tt_tag_set_created_at (tag, created_at);
  if (updated_at != NULL)
    tt_tag_set_updated_at (tag, updated_at);

  return remember_tag (state, tag);
}

/* A tutorial's tag: {"id"?, "name"} or, written by hand, just "name". */
static TtTag *
read_tag_ref (ImportState  *state,
              JsonNode     *node,
              const char   *path,
              GError      **error)
{
  g_autoptr(TtTag) tag = NULL;

  if (!node_is_string (node))
    return read_tag (state, node, path, error);

  if (*json_node_get_string (node) == '\0')
    {
      fail (error, _("%s is empty"), path);
      return NULL;
    }
  tag = tt_tag_new (0, json_node_get_string (node));
  return remember_tag (state, tag);
}

static gboolean
read_tutorial_tags (ImportState  *state,
                    TtTutorial   *tutorial,
                    JsonArray    *array,
                    const char   *path,
                    GError      **error)
{
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  guint n_tags = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n_tags; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s.tags[%u]", path, i);
      TtTag *tag = read_tag_ref (state, json_array_get_element (array, i),
                                 where, error);

      if (tag == NULL)
        return FALSE;
      append_unique (tags, tag);
    }

  tt_tutorial_set_tags (tutorial, G_LIST_MODEL (tags));
  return TRUE;
}

/* {"title", "description"?, "createdAt"?, "updatedAt"?, "tags"?} */
static gboolean
read_tutorial (ImportState  *state,
               JsonNode     *node,
               const char   *path,
               GError      **error)
{
  g_autoptr(GDateTime) created_at = NULL;
  g_autoptr(GDateTime) updated_at = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  JsonObject *object;
  JsonArray *tags;
  const char *title;
  const char *description;

  if ((object = expect_object (node, path, error)) == NULL
      || !lookup_string (object, path, "title", TRUE, &title, error)
      || !lookup_string (object, path, "description", FALSE, &description, error)
      || !lookup_time (object, path, "createdAt", &created_at, error)
      || !lookup_time (object, path, "updatedAt", &updated_at, error)
      || !lookup_array (object, path, "tags", &tags, error))
    return FALSE;

  tutorial = tt_tutorial_new (0, title, description);
  if (created_at != NULL)
    tt_tutorial_set_created_at (tutorial, created_at);
  if (updated_at != NULL)
    tt_tutorial_set_updated_at (tutorial, updated_at);
  if (!read_tutorial_tags (state, tutorial, tags, path, error))
    return FALSE;

  g_list_store_append (state->tutorials, tutorial);
  return TRUE;
}

/* Several tags list the same tutorial: its id says which one it is, and
 * without an id its title and description do. */
static char *
tutorial_ref_key (JsonObject *object,
                  const char *title,
                  const char *description)
{
  JsonNode *id = json_object_get_member (object, "id");

  if (id != NULL && JSON_NODE_HOLDS_VALUE (id)
      && json_node_get_value_type (id) == G_TYPE_INT64)
    return g_strdup_printf ("#%" G_GINT64_FORMAT, json_node_get_int (id));
  return g_strdup_printf ("%s\x1f%s", title, description ? description : "");
}

/* Finds or adds the tutorial a tag's "tutorials" entry names. */
static GListStore *
read_tutorial_ref (ImportState  *state,
                   JsonNode     *node,
                   const char   *path,
                   GError      **error)
{
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autofree char *key = NULL;
  JsonObject *object;
  const char *title;
  const char *description;
  TtTutorial *known;

  if ((object = expect_object (node, path, error)) == NULL
      || !lookup_string (object, path, "title", TRUE, &title, error)
      || !lookup_string (object, path, "description", FALSE, &description, error))
    return NULL;

  key = tutorial_ref_key (object, title, description);
  known = g_hash_table_lookup (state->tutorials_by_key, key);
  if (known != NULL)
    return g_hash_table_lookup (state->tags_of_tutorial, known);

  tutorial = tt_tutorial_new (0, title, description);
  g_list_store_append (state->tutorials, tutorial);
  g_hash_table_insert (state->tutorials_by_key, g_steal_pointer (&key), tutorial);
  g_hash_table_insert (state->tags_of_tutorial, tutorial,
                       g_list_store_new (TT_TYPE_TAG));
  return g_hash_table_lookup (state->tags_of_tutorial, tutorial);
}

/* The demo's {"name", ..., "tutorials": [{"id", "title", "description"}]} */
static gboolean
read_tag_with_tutorials (ImportState  *state,
                         JsonNode     *node,
                         const char   *path,
                         GError      **error)
{
  TtTag *tag;
  JsonArray *tutorials;
  guint n_tutorials;

  if ((tag = read_tag (state, node, path, error)) == NULL
      || !lookup_array (json_node_get_object (node), path, "tutorials",
                        &tutorials, error))
    return FALSE;

  n_tutorials = tutorials != NULL ? json_array_get_length (tutorials) : 0;
  for (guint i = 0; i < n_tutorials; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s.tutorials[%u]", path, i);
      GListStore *tags = read_tutorial_ref (state,
                                            json_array_get_element (tutorials, i),
                                            where, error);

      if (tags == NULL)
        return FALSE;
      append_unique (tags, tag);
    }
  return TRUE;
}

typedef gboolean (*ReadItemFunc) (ImportState  *state,
                                  JsonNode     *node,
                                  const char   *path,
                                  GError      **error);

static gboolean
read_each (ImportState   *state,
           JsonArray     *array,
           const char    *name,
           ReadItemFunc   read_item,
           GError       **error)
{
  guint n_items = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s[%u]", name, i);

      if (!read_item (state, json_array_get_element (array, i), where, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_export_tag (ImportState  *state,
                 JsonNode     *node,
                 const char   *path,
                 GError      **error)
{
  /* A tag's own "tutorials" are ignored here: in the export and the demo
   * output the same tutorials are listed in full under "tutorials". */
  return read_tag (state, node, path, error) != NULL;
}

/* A bare array holds tutorials, or tags with their tutorials. */
static gboolean
read_array_item (ImportState  *state,
                 JsonNode     *node,
                 const char   *path,
                 GError      **error)
{
  JsonObject *object = expect_object (node, path, error);

  if (object == NULL)
    return FALSE;
  if (json_object_has_member (object, "title"))
    return read_tutorial (state, node, path, error);
  if (json_object_has_member (object, "name"))
    return read_tag_with_tutorials (state, node, path, error);
  return fail (error, _("%s is neither a tutorial (no “title”) nor a tag (no “name”)"),
               path);
}

static gboolean
read_export_object (ImportState  *state,
                    JsonObject   *root,
                    GError      **error)
{
  JsonArray *tutorials;
  JsonArray *tags;

  if (!json_object_has_member (root, "tutorials")
      && !json_object_has_member (root, "tags"))
    return fail (error, _("The file has neither “tutorials” nor “tags”"));

  /* Tags first, so that the tag list's spelling and times win over the
   * tutorials' references to the same names. */
  return lookup_array (root, "", "tags", &tags, error)
         && lookup_array (root, "", "tutorials", &tutorials, error)
         && read_each (state, tags, "tags", read_export_tag, error)
         && read_each (state, tutorials, "tutorials", read_tutorial, error);
}

static void
import_state_finish (ImportState *state)
{
  GHashTableIter iter;
  gpointer tutorial;
  gpointer tags;

  g_hash_table_iter_init (&iter, state->tags_of_tutorial);
  while (g_hash_table_iter_next (&iter, &tutorial, &tags))
    tt_tutorial_set_tags (tutorial, tags);
}

gboolean
tt_json_parse_import (JsonNode    *root,
                      GListStore **tutorials,
                      GListStore **tags,
                      GError     **error)
{
  g_auto(ImportState) state = { 0 };
  gboolean ok;

  g_return_val_if_fail (tutorials != NULL, FALSE);
  g_return_val_if_fail (tags != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  import_state_init (&state);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    ok = read_export_object (&state, json_node_get_object (root), error);
  else if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    ok = read_each (&state, json_node_get_array (root), "", read_array_item, error);
  else
    ok = fail (error, _("The file holds neither an object with “tutorials” and “tags” nor an array of tutorials"));

  if (!ok)
    return FALSE;

  import_state_finish (&state);
  *tutorials = g_steal_pointer (&state.tutorials);
  *tags = g_steal_pointer (&state.tags);
  return TRUE;
}
