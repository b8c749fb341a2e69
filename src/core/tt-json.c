/* tt-json.c: tutorials and tags as JSON, in the Node.js tutorial's shapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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
  /* Ours, not the Node.js tutorial's: left out when there is none, so a
   * tag without a colour has the tutorial's shape exactly. */
  if (tt_tag_get_colour (tag) != NULL)
    add_string_member (builder, "colour", tt_tag_get_colour (tag));
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

/* Writing an export a record at a time */

struct _TtJsonExportWriter
{
  FILE     *stream;
  gboolean  pretty;
  guint     n_members;  /* begun so far */
  guint     n_items;    /* in the member being written */
};

TtJsonExportWriter *
tt_json_export_writer_new (FILE     *stream,
                           gboolean  pretty)
{
  TtJsonExportWriter *writer = g_new0 (TtJsonExportWriter, 1);

  writer->stream = stream;
  writer->pretty = pretty;
  return writer;
}

void
tt_json_export_writer_free (TtJsonExportWriter *writer)
{
  g_free (writer);
}

/* @text to @stream, flushed after it when @flush; the command line's
 * output goes this way too. */
gboolean
tt_json_write (FILE        *stream,
               const char  *text,
               gboolean     flush,
               GError     **error)
{
  gsize length = strlen (text);
  int saved_errno;

  /* fwrite, not g_print: g_print converts to the locale's character set
   * and JSON is UTF-8 whatever the locale. */
  if (fwrite (text, 1, length, stream) == length && (!flush || fflush (stream) == 0))
    return TRUE;
  saved_errno = errno;
  return tt_json_fail (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not write the output: %s"), g_strerror (saved_errno));
}

static gboolean
writer_put (TtJsonExportWriter  *writer,
            const char          *text,
            GError             **error)
{
  return tt_json_write (writer->stream, text, FALSE, error);
}

/* "{" or "," and the member's name: the layout json-glib gives the whole
 * document (tt_json_to_string()). */
static gboolean
writer_begin_member (TtJsonExportWriter  *writer,
                     const char          *name,
                     GError             **error)
{
  g_autofree char *text = g_strdup_printf (writer->pretty ? "%s\n  \"%s\" : " : "%s\"%s\":",
                                           writer->n_members > 0 ? "," : "{", name);

  writer->n_members++;
  writer->n_items = 0;
  return writer_put (writer, text, error);
}

static gboolean
writer_end_member (TtJsonExportWriter  *writer,
                   GError             **error)
{
  if (writer->n_items == 0)
    return writer_put (writer, "[]", error);
  return writer_put (writer, writer->pretty ? "\n  ]" : "]", error);
}

/* One record of the member's array; takes @node. */
static gboolean
writer_add_item (TtJsonExportWriter  *writer,
                 JsonNode            *node,
                 GError             **error)
{
  g_autoptr(JsonNode) owned = node;
  g_autofree char *text = tt_json_to_string (owned, writer->pretty);
  g_auto(GStrv) lines = NULL;
  gboolean first = writer->n_items++ == 0;

  if (!writer_put (writer, first ? "[" : ",", error))
    return FALSE;
  if (!writer->pretty)
    return writer_put (writer, text, error);
  /* Two levels in: the array, in the document. */
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (!writer_put (writer, "\n    ", error) || !writer_put (writer, lines[i], error))
      return FALSE;
  return TRUE;
}

/* The first call begins the document. */
gboolean
tt_json_export_writer_add_tutorial (TtJsonExportWriter  *writer,
                                    TtTutorial          *tutorial_with_tags,
                                    GError             **error)
{
  return (writer->n_members > 0 || writer_begin_member (writer, "tutorials", error)) &&
         writer_add_item (writer, build_root (build_tutorial, tutorial_with_tags, TRUE), error);
}

gboolean
tt_json_export_writer_finish (TtJsonExportWriter  *writer,
                              GListModel          *tags,
                              GError             **error)
{
  if (writer->n_members == 0 && !writer_begin_member (writer, "tutorials", error))
    return FALSE;
  if (!writer_end_member (writer, error) || !writer_begin_member (writer, "tags", error))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      if (!writer_add_item (writer, build_root (build_tag, tag, FALSE), error))
        return FALSE;
    }
  return writer_end_member (writer, error) && writer_put (writer, writer->pretty ? "\n}\n" : "}\n", error);
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
lex_all (Lexer   *lexer,
         GError **error)
{
  while (lexer->p < lexer->end)
    {
      if (*lexer->p == '\n')
        lexer->line++;
      if (strchr (" \t\r\n", *lexer->p) != NULL && *lexer->p != '\0')
        lexer->p++;
      else if (!lex_token (lexer, error))
        return FALSE;
    }
  return TRUE;
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
  /* Those tutorials: complete only when the last tag has been read. */
  GListStore *held_tutorials;
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
  state->held_tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
}

static void
import_state_clear (ImportState *state)
{
  g_clear_object (&state->tutorials);
  g_clear_object (&state->tags);
  g_clear_pointer (&state->tags_by_key, g_hash_table_unref);
  g_clear_pointer (&state->tutorials_by_key, g_hash_table_unref);
  g_clear_pointer (&state->tags_of_tutorial, g_hash_table_unref);
  g_clear_object (&state->held_tutorials);
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

/* A palette name (tt_rules_check_tag_colour()); absent, null and ""
 * give NULL: no colour. */
static gboolean
lookup_colour (JsonObject  *object,
               const char  *path,
               const char **out,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!lookup_string (object, path, "colour", FALSE, out, error))
    return FALSE;
  if (*out != NULL && **out == '\0')
    *out = NULL;
  if (!tt_rules_check_tag_colour (*out, &local_error))
    {
      g_autofree char *where = member_path (path, "colour");

      return fail (error, _("%s: %s, not “%s”"), where, local_error->message, *out);
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

/* {"name", "createdAt"?, "updatedAt"?, "colour"?}; any other member is
 * ignored. */
static TtTag *
read_tag_fields (JsonNode     *node,
                 const char   *path,
                 GError      **error)
{
  g_autoptr(GDateTime) created_at = NULL;
  g_autoptr(GDateTime) updated_at = NULL;
  JsonObject *object;
  const char *name;
  const char *colour;
  TtTag *tag;

  if ((object = expect_object (node, path, error)) == NULL
      || !lookup_string (object, path, "name", TRUE, &name, error)
      || !lookup_time (object, path, "createdAt", &created_at, error)
      || !lookup_time (object, path, "updatedAt", &updated_at, error)
      || !lookup_colour (object, path, &colour, error))
    return NULL;

  tag = tt_tag_new (0, name);
  tt_tag_set_colour (tag, colour);
  if (created_at != NULL)
    tt_tag_set_created_at (tag, created_at);
  if (updated_at != NULL)
    tt_tag_set_updated_at (tag, updated_at);
  return tag;
}

/* A tag listed on its own: its spelling and times are the ones kept. */
static TtTag *
read_tag (ImportState  *state,
          JsonNode     *node,
          const char   *path,
          GError      **error)
{
  g_autoptr(TtTag) tag = read_tag_fields (node, path, error);

  return tag != NULL ? remember_tag (state, tag) : NULL;
}

/* A tutorial's tag: {"id"?, "name"} or, written by hand, just "name".
 * It is not listed: the store creates it only when no listed tag (in
 * this batch or any other) has its name. */
static TtTag *
read_tag_ref (ImportState  *state,
              JsonNode     *node,
              const char   *path,
              GError      **error)
{
  g_autoptr(TtTag) tag = NULL;
  g_autofree char *key = NULL;
  TtTag *known;

  if (!node_is_string (node))
    tag = read_tag_fields (node, path, error);
  else if (*json_node_get_string (node) == '\0')
    fail (error, _("%s is empty"), path);
  else
    tag = tt_tag_new (0, json_node_get_string (node));
  if (tag == NULL)
    return NULL;

  key = fold_name (tt_tag_get_name (tag));
  known = g_hash_table_lookup (state->tags_by_key, key);
  return known != NULL ? g_object_ref (known) : g_steal_pointer (&tag);
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
      g_autoptr(TtTag) tag = read_tag_ref (state, json_array_get_element (array, i),
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
  g_list_store_append (state->held_tutorials, tutorial);
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


/* Streaming: the file is read a buffer at a time, and each record (a
 * tutorial, a tag, or any other value in an array or under a member of
 * the file's object) is cut out whole, checked by the lexer above with
 * the line it starts on, and parsed by json-glib on its own. The
 * brackets around the records are checked here. Records go to the sink
 * a batch at a time, so memory does not grow with the file. */

/* Records a batch holds before it goes to the sink. */
#define IMPORT_BATCH 2000

typedef struct
{
  FILE         *stream;
  const char   *name;
  char          buffer[65536];
  gsize         pos;
  gsize         len;
  gboolean      eof;
  guint64       n_bytes;
  guint         line;
  GString      *record;
  guint         record_line;
  JsonParser   *parser;
  ImportState   state;
  TtImportSink  sink;
  gpointer      sink_data;
} Reader;

static gboolean
reader_fill (Reader  *reader,
             GError **error)
{
  if (reader->pos < reader->len || reader->eof)
    return TRUE;

  reader->pos = 0;
  reader->len = fread (reader->buffer, 1, sizeof reader->buffer, reader->stream);
  reader->n_bytes += reader->len;
  if (ferror (reader->stream))
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not read %s: %s"), reader->name, g_strerror (saved_errno));
      return FALSE;
    }
  reader->eof = reader->len == 0;
  return tt_rules_check_import_size (reader->n_bytes, error);
}

/* The next byte without taking it: -1 at the end, -2 on an error. */
static int
reader_peek (Reader  *reader,
             GError **error)
{
  if (!reader_fill (reader, error))
    return -2;
  return reader->pos < reader->len ? (guchar) reader->buffer[reader->pos] : -1;
}

static void
reader_take (Reader *reader)
{
  if (reader->buffer[reader->pos++] == '\n')
    reader->line++;
}

/* Skips spaces; the next byte as reader_peek() gives it. */
static int
reader_skip_space (Reader  *reader,
                   GError **error)
{
  int c;

  while ((c = reader_peek (reader, error)) == ' ' || c == '\t' || c == '\r' || c == '\n')
    reader_take (reader);
  return c;
}

/* Refuses the byte at hand: in the lexer's words when it knows what is
 * wrong with it (NUL, a comment, a single quote…), else in @why's. */
static gboolean
reader_fail (Reader      *reader,
             int          c,
             const char  *why,
             GError     **error)
{
  char text = (char) c;
  Lexer lexer = { &text, &text + 1, reader->line, 1, FALSE };

  if (c == -2)
    return FALSE;
  if (c == -1)
    why = _("the file ends before its brackets close");
  else if (!lex_token (&lexer, error))
    return FALSE;
  return lex_fail (&lexer, error, why);
}

/* Where a value cut out of the file ends: after a string's closing
 * quote, the bracket that closes the first one, or a literal's last
 * character. Also at a NUL byte, or nested too deep (the lexer says
 * which), so that no such text is gathered without end. */
typedef struct
{
  guint    depth;
  gboolean in_string;
  gboolean escaped;
} Cut;

static gboolean
cut_ends_before (Cut      *cut,
                 GString  *record,
                 char      c)
{
  char first = record->str[0];

  return record->len > 0 && first != '"' && first != '{' && first != '['
         && (!is_literal_char (first) || !is_literal_char (c));
}

static gboolean
cut_ends_after (Cut     *cut,
                char     c,
                guint    base_depth)
{
  if (c == '\0')
    return TRUE;
  if (cut->in_string)
    {
      if (cut->escaped)
        cut->escaped = FALSE;
      else if (c == '\\')
        cut->escaped = TRUE;
      else if (c == '"')
        cut->in_string = FALSE;
      return !cut->in_string && cut->depth == 0;
    }
  if (c == '"')
    cut->in_string = TRUE;
  else if (c == '{' || c == '[')
    cut->depth++;
  else if ((c == '}' || c == ']') && cut->depth > 0)
    cut->depth--;
  return cut->depth == 0 ? !cut->in_string && !is_literal_char (c)
                         : cut->depth + base_depth > TT_MAX_IMPORT_DEPTH;
}

static gboolean
reader_cut_value (Reader  *reader,
                  guint    base_depth,
                  GError **error)
{
  Cut cut = { 0, FALSE, FALSE };
  int c;

  g_string_truncate (reader->record, 0);
  reader->record_line = reader->line;
  while ((c = reader_peek (reader, error)) >= 0)
    {
      if (cut_ends_before (&cut, reader->record, c))
        break;
      /* What keeps memory from growing with the file (the comparison
       * first: this runs for every byte). */
      if (reader->record->len >= TT_MAX_IMPORT_RECORD_BYTES
          && !tt_rules_check_import_record_size (reader->record->len + 1, error))
        return g_prefix_error (error, _("Line %u: "), reader->record_line), FALSE;
      g_string_append_c (reader->record, c);
      reader_take (reader);
      if (cut_ends_after (&cut, c, base_depth))
        break;
    }
  return c != -2;
}

/* json-glib counts lines from the record's start: "<data>:2:5: …" says
 * the file's line instead. */
static void
relocate_parse_error (Reader *reader,
                      GError *error)
{
  guint line;
  int skip = 0;
  char *message;

  if (sscanf (error->message, "<data>:%u:%*u: %n", &line, &skip) < 1 || skip == 0)
    line = 1;
  message = g_strdup_printf (_("Line %u: this is not JSON: %s"),
                             reader->record_line + line - 1, error->message + skip);
  g_free (error->message);
  error->message = message;
}

/* Cuts out the next value, checks it and parses it: its node, which
 * lives until the next record, or NULL. */
static JsonNode *
reader_record (Reader  *reader,
               guint    base_depth,
               GError **error)
{
  Lexer lexer = { 0 };
  GError *local_error = NULL;

  if (!reader_cut_value (reader, base_depth, error))
    return NULL;
  if (reader->record->len == 0)
    return reader_fail (reader, -1, NULL, error), NULL;

  lexer = (Lexer) { reader->record->str, reader->record->str + reader->record->len,
                    reader->record_line, base_depth, FALSE };
  if (!lex_all (&lexer, error))
    return NULL;
  if (!json_parser_load_from_data (reader->parser, reader->record->str,
                                   reader->record->len, &local_error))
    {
      relocate_parse_error (reader, local_error);
      g_propagate_error (error, local_error);
      return NULL;
    }
  return json_parser_get_root (reader->parser);
}

static gboolean
reader_flush (Reader  *reader,
              GError **error)
{
  ImportState *state = &reader->state;

  if (!reader->sink (reader->sink_data, G_LIST_MODEL (state->tutorials),
                     G_LIST_MODEL (state->tags), error))
    return FALSE;
  g_list_store_remove_all (state->tutorials);
  g_list_store_remove_all (state->tags);
  /* The store tells one tag from another across batches. */
  g_hash_table_remove_all (state->tags_by_key);
  return TRUE;
}

static gboolean
reader_flush_if_full (Reader  *reader,
                      GError **error)
{
  ImportState *state = &reader->state;

  if (g_list_model_get_n_items (G_LIST_MODEL (state->tutorials)) < IMPORT_BATCH
      && g_list_model_get_n_items (G_LIST_MODEL (state->tags)) < IMPORT_BATCH)
    return TRUE;
  return reader_flush (reader, error);
}

/* "[", records separated by commas, "]": each record to @read_item. */
static gboolean
reader_array (Reader        *reader,
              const char    *name,
              ReadItemFunc   read_item,
              guint          base_depth,
              GError       **error)
{
  int c;

  reader_take (reader);
  if ((c = reader_skip_space (reader, error)) == ']')
    return reader_take (reader), TRUE;

  for (guint i = 0;; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s[%u]", name, i);
      JsonNode *node = reader_record (reader, base_depth, error);

      if (node == NULL)
        return FALSE;
      /* A record's mistake is said with the line the record starts on. */
      if (!read_item (&reader->state, node, where, error))
        return g_prefix_error (error, _("Line %u: "), reader->record_line), FALSE;
      if (!reader_flush_if_full (reader, error))
        return FALSE;

      c = reader_skip_space (reader, error);
      if (c != ',' && c != ']')
        return reader_fail (reader, c, _("a “,” or a “]” is missing after a value"), error);
      reader_take (reader);
      if (c == ']')
        return TRUE;
      reader_skip_space (reader, error);
    }
}

/* A member name of the file's object: a string, then a colon. */
static char *
reader_member_name (Reader  *reader,
                    GError **error)
{
  g_autofree char *name = NULL;
  JsonNode *node;
  int c = reader_skip_space (reader, error);

  if (c != '"')
    return reader_fail (reader, c, _("a member name in double quotes is missing"), error), NULL;
  if ((node = reader_record (reader, 1, error)) == NULL)
    return NULL;
  name = g_strdup (json_node_get_string (node));

  if ((c = reader_skip_space (reader, error)) != ':')
    return reader_fail (reader, c, _("a “:” is missing after a member name"), error), NULL;
  reader_take (reader);
  reader_skip_space (reader, error);
  return g_steal_pointer (&name);
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

/* One member of the file's object; other members than "tutorials" and
 * "tags" are checked as JSON and ignored. */
static gboolean
reader_member (Reader      *reader,
               const char  *name,
               GError     **error)
{
  gboolean is_tutorials = g_str_equal (name, "tutorials");
  gboolean is_list = is_tutorials || g_str_equal (name, "tags");
  JsonNode *node;

  if (is_list && reader_peek (reader, error) == '[')
    return reader_array (reader, name, is_tutorials ? read_tutorial : read_export_tag, 2, error);

  if ((node = reader_record (reader, 1, error)) == NULL)
    return FALSE;
  if (is_list && !JSON_NODE_HOLDS_NULL (node))
    return fail (error, _("%s is not an array"), name);
  return TRUE;
}

static gboolean
reader_object (Reader  *reader,
               GError **error)
{
  gboolean has_lists = FALSE;
  int c;

  reader_take (reader);
  c = reader_skip_space (reader, error);
  while (c != '}')
    {
      g_autofree char *name = reader_member_name (reader, error);

      if (name == NULL || !reader_member (reader, name, error))
        return FALSE;
      has_lists |= g_str_equal (name, "tutorials") || g_str_equal (name, "tags");

      c = reader_skip_space (reader, error);
      if (c != ',' && c != '}')
        return reader_fail (reader, c, _("a “,” or a “}” is missing after a value"), error);
      reader_take (reader);
    }
  if (!has_lists)
    return fail (error, _("The file has neither “tutorials” nor “tags”"));
  return TRUE;
}

static gboolean
reader_root (Reader  *reader,
             GError **error)
{
  int c = reader_skip_space (reader, error);

  if (c == -1)
    return fail (error, _("The file is empty"));
  if (c == '{')
    return reader_object (reader, error);
  if (c == '[')
    return reader_array (reader, "", read_array_item, 1, error);
  if (c >= 0 && reader_record (reader, 0, error) == NULL)
    return FALSE;
  return c >= 0 && fail (error, _("The file holds neither an object with “tutorials” and “tags” nor an array of tutorials"));
}

static void
reader_skip_bom (Reader *reader)
{
  /* Some editors start UTF-8 files with a byte order mark; JSON may
   * skip it (RFC 8259, 8.1). */
  if (reader_fill (reader, NULL) && reader->len >= 3
      && memcmp (reader->buffer, "\xef\xbb\xbf", 3) == 0)
    reader->pos = 3;
}

/* A regular file's size is known at once: one too large is refused
 * whatever it holds. */
static gboolean
check_stream_size (FILE    *stream,
                   GError **error)
{
  struct stat info;

  if (fstat (fileno (stream), &info) != 0 || !S_ISREG (info.st_mode))
    return TRUE;
  return tt_rules_check_import_size (info.st_size, error);
}

/* The demo's tutorials get the tags every tag record gave them. */
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

static gboolean
reader_finish (Reader  *reader,
               GError **error)
{
  ImportState *state = &reader->state;
  int c = reader_skip_space (reader, error);

  if (c != -1)
    return reader_fail (reader, c, _("something follows the first value (a file holds one object or array)"), error);

  import_state_finish (state);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (state->held_tutorials)); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (G_LIST_MODEL (state->held_tutorials), i);

      g_list_store_append (state->tutorials, tutorial);
    }
  return reader_flush (reader, error);
}

gboolean
tt_json_stream_import (FILE          *stream,
                       const char    *name,
                       TtImportSink   sink,
                       gpointer       sink_data,
                       GError       **error)
{
  Reader *reader;
  gboolean ok;

  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_stream_size (stream, error))
    return FALSE;

  reader = g_new0 (Reader, 1);
  reader->stream = stream;
  reader->name = name;
  reader->line = 1;
  reader->record = g_string_new (NULL);
  reader->parser = json_parser_new ();
  reader->sink = sink;
  reader->sink_data = sink_data;
  import_state_init (&reader->state);

  reader_skip_bom (reader);
  ok = reader_root (reader, error) && reader_finish (reader, error);

  import_state_clear (&reader->state);
  g_object_unref (reader->parser);
  g_string_free (reader->record, TRUE);
  g_free (reader);
  return ok;
}
